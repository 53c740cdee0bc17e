// The logs.* checks, one table per check (test/support/check-tester.ts). Every row gets a log dir inside its
// temp HOME (--log-dir) and CLAW_DOCTOR_LOG_ROOTS/TMPDIR pointing into the home too, so the real /tmp/clawdbot
// is never read (the last logs.today row proves it). diagnose() uses the real clock: logs are written under
// today's local date, at times inside today.
import fs from 'node:fs';
import path from 'node:path';
import { fixtureConfig } from '../support/doctor.js';
import { V1_LOG, V1_STATE, V1_MAIN_SESSION, assistantOk, copyTree, lines, localDate, runStartLine, sessionHeader, setMtime, tslogLine, userMessage, write } from '../support/logs-fixtures.js';
import { checkTable, type CheckTable } from '../support/check-tester.js';
import type { TempHome } from '../support/temp-home.js';

const WORKING = fixtureConfig('config-working.json5');
const V1 = (text: string) => text.replace('{\n', '{\n  "meta": { "lastTouchedVersion": "2026.1.24" },\n');
const edit = (from: string | RegExp, to: string) => (t: string) => {
  const out = t.replace(from, to);
  if (out === t) throw new Error(`fixture edit did not apply: ${String(from)}`);
  return out;
};
const TODAY = () => localDate(new Date());
/** Times inside today (local), `sec` seconds after a base at most 30 min ago: safe near midnight. */
const startOfDay = () => {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};
const BASE = Math.max(Date.now() - 30 * 60 * 1000, startOfDay() + 1000);
const at = (sec: number) => new Date(BASE + sec * 1000).toISOString();
const hms = (sec: number) => at(sec).slice(11, 19) + 'Z';
const fixtureLog = () => fs.readFileSync(V1_LOG, 'utf8');
/** Today's log as a 3 GiB sparse file (a hole, no disk used) with `tail` at its end. */
const sparseLog = (h: TempHome, tail: string) => {
  const f = path.join(h.home, 'logs', `clawdbot-${TODAY()}.log`);
  fs.writeFileSync(f, '');
  fs.truncateSync(f, 3 * 1024 ** 3);
  fs.appendFileSync(f, '\n' + tail);
};

const DEBUG_V1 = V1(edit('"level": "warn"', '"level": "debug"')(WORKING));
const LEVEL_REPAIR = { kind: 'config.set' as const, summary: 'set logging.level to "warn" so thinking= lines are recorded', data: { path: ['logging', 'level'], value: 'warn', optIn: true } };
const ROLE = 'The system prompt is sent with role "developer", which Kimi rejects';
const GATE = 'Kimi For Coding refused the client (User-Agent gate)';
const ORDERING = 'Message ordering conflict - please try again. If this persists, use /new to start a fresh session.';
const READ_TODAY = /^Read today's log: .*clawdbot-\d{4}-\d\d-\d\d\.log \(/;
const NO_RUN = { check: 'logs.thinking', severity: 'info', title: "No agent run in today's log yet" } as const;

interface LogsRow {
  /** Config mtime, seconds relative to BASE (default: now). */
  configAt?: number;
  /** Written to <logDir>/clawdbot-<today>.log; omitted: no file. */
  log?: string | Buffer;
  /** Copy the real V1 state dir (sessions) into ~/.clawdbot. */
  fixtureState?: boolean;
  /** Pass a --log-dir that does not exist. */
  missingLogDir?: boolean;
  /** Do not pass --log-dir: only the (temp) default roots are looked at. */
  noLogDir?: boolean;
}

/** `~/logs` is the --log-dir, `~/roots` the default roots (CLAW_DOCTOR_LOG_ROOTS) and TMPDIR. */
const prepare: CheckTable<LogsRow>['prepare'] = (h, row) => {
  const logDir = path.join(h.home, 'logs');
  const roots = path.join(h.home, 'roots');
  fs.mkdirSync(roots, { recursive: true });
  if (!row.missingLogDir) fs.mkdirSync(logDir, { recursive: true });
  if (row.fixtureState) copyTree(path.join(V1_STATE, 'agents'), path.join(h.stateDir, 'agents'));
  if (row.log !== undefined) write(path.join(logDir, `clawdbot-${TODAY()}.log`), row.log);
  if (row.config !== undefined && row.configAt !== undefined) setMtime(h.configPath, BASE + row.configAt * 1000);
  return { options: row.noLogDir ? {} : { logDir }, env: { CLAW_DOCTOR_LOG_ROOTS: roots, TMPDIR: roots } };
};

checkTable<LogsRow>('logs.today', {
  prepare,
  invalid: [
    {
      name: 'the real V1 log',
      config: V1(WORKING),
      log: fixtureLog(),
      findings: [{ severity: 'info', title: /^Read today's log: .*clawdbot-\d{4}-\d\d-\d\d\.log \(82 KiB, 121 lines\)$/, detail: /64 DEBUG, 42 INFO, 15 ERROR/ }],
    },
    { name: 'an empty log', config: V1(WORKING), log: '', findings: [{ severity: 'info', title: /^today's log is empty: / }] },
    { name: 'a --log-dir that does not exist', config: V1(WORKING), missingLogDir: true, findings: [{ severity: 'warn', title: /^--log-dir .*logs is not a directory$/ }] },
    { name: 'no log file for today: says where it looked', config: V1(WORKING), findings: [{ severity: 'info', title: 'No log file for today', detail: /Looked for: .*clawdbot-\d{4}/ }] },
    {
      name: 'binary garbage',
      config: V1(WORKING),
      log: Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919 + 13) % 256)),
      findings: [
        { severity: 'warn', title: "The log does not look like the product's log", detail: /not valid UTF-8/ },
        { severity: 'info', title: /\(64 KiB, 0 lines\)$/ },
      ],
    },
    {
      name: 'a 3 GiB sparse log: only its end is read',
      config: V1(WORKING),
      setup: (h) => sparseLog(h, lines(runStartLine({ time: at(10), thinking: 'medium' }))),
      findings: [{ severity: 'info', title: /\(3\.0 GiB, 1 lines; only its last 1\.0 MiB read\)$/ }],
    },
    {
      name: 'CLAW_DOCTOR_LOG_ROOTS: without --log-dir the default roots are the temp ones',
      config: V1(WORKING),
      noLogDir: true,
      setup: (h) => void write(path.join(h.home, 'roots', 'clawdbot', `clawdbot-${TODAY()}.log`), lines(runStartLine({ time: at(1), thinking: 'low' }))),
      findings: [{ severity: 'info', title: /^Read today's log: .*roots\/clawdbot\/clawdbot-/ }],
    },
    {
      name: 'logging.file replaces the dated file; with --log-dir its name is looked up there',
      config: V1(edit('"level": "warn"', '"level": "warn", "file": "/var/log/clawdbot/gateway.log"')(WORKING)),
      setup: (h) => void write(path.join(h.home, 'logs', 'gateway.log'), lines(runStartLine({ time: at(1), thinking: 'low' }))),
      findings: [{ severity: 'info', title: /^Read logging\.file: .*logs\/gateway\.log \(/ }],
    },
    { name: 'no config at all: the log is still read', log: lines(runStartLine({ time: at(1), thinking: 'low' })), findings: [{ severity: 'info', title: READ_TODAY }] },
    {
      // The real default roots are /tmp and $TMPDIR. Here $TMPDIR holds a log for today: were the roots the
      // tests pass (CLAW_DOCTOR_LOG_ROOTS, here and in cleanEnv) ignored, this log would be read and named.
      name: 'never reads outside the dirs it is given: a log planted in $TMPDIR, where the defaults look, is not read',
      config: V1(WORKING),
      noLogDir: true,
      setup: (h) => {
        const planted = path.join(h.home, 'planted-tmp');
        write(path.join(planted, 'clawdbot', `clawdbot-${TODAY()}.log`), lines(runStartLine({ time: at(1), thinking: 'high' })));
        write(path.join(planted, `openclaw-${process.getuid?.() ?? 0}`, `openclaw-${TODAY()}.log`), lines(runStartLine({ time: at(1), thinking: 'high' })));
        return { env: { TMPDIR: planted } };
      },
      findings: [{ severity: 'info', title: 'No log file for today', detail: /^(?![\s\S]*planted-tmp)[\s\S]*roots\/clawdbot\/clawdbot-/ }],
    },
  ],
});

checkTable<LogsRow>('logs.thinking', {
  prepare,
  valid: [{ name: 'a --log-dir that does not exist: skipped', config: V1(WORKING), missingLogDir: true, status: 'skipped' }],
  invalid: [
    {
      name: 'the real V1 log: three runs at "low", the probe not counted',
      config: V1(WORKING),
      log: fixtureLog(),
      fixtureState: true,
      findings: [
        {
          severity: 'info',
          title: 'The last run used thinking=low (thinkingDefault)',
          detail: /Last 3 of 3 run\(s\)[\s\S]*21:48:33Z  kimi-code\/kimi-for-coding  thinking=low  \(agent:main:main\)[\s\S]*1 probe run\(s\) \(runId probe-…[\s\S]*"low" from thinkingDefault/,
          evidence: /clawdbot-\d{4}-\d\d-\d\d\.log:74 \(.*21:48:33Z\)/,
        },
      ],
    },
    { name: 'an empty log', config: V1(WORKING), log: '', findings: [NO_RUN] },
    {
      name: 'no log file, level "debug" on V1: the inversion is explained even without a file; the opt-in repair sets "warn"',
      config: DEBUG_V1,
      findings: [{ severity: 'info', title: 'No thinking= line today, and the log level would hide it (no log file found)', detail: /inverted/, repair: LEVEL_REPAIR }],
      output: V1(WORKING),
    },
    {
      name: 'V1 inversion: logging.level "debug", the agent ran today, no thinking= line → the exact fix, applied',
      config: DEBUG_V1,
      log: lines(tslogLine('Gateway service check failed: Error: systemctl --user unavailable', { level: 'ERROR', time: at(5) })),
      files: {
        [`.clawdbot/agents/main/sessions/${V1_MAIN_SESSION}.jsonl`]: lines(sessionHeader(V1_MAIN_SESSION, at(0)), userMessage('hi', at(1)), assistantOk(at(2))),
        '.clawdbot/agents/main/sessions/sessions.json': JSON.stringify({ 'agent:main:main': { sessionId: V1_MAIN_SESSION, updatedAt: BASE + 2000 } }),
      },
      findings: [
        {
          severity: 'warn',
          title: 'No thinking= line today although the agent ran',
          detail: /logging\.level is "debug", but this version maps file levels inverted: "debug" records less[\s\S]*The agent ran today/,
          fix: /^"logging": \{ "level": "warn" \}\nin the config, then restart the gateway/,
          evidence: /clawdbot\.json:\d+:\d+ \(logging\.level\)/,
          repair: LEVEL_REPAIR,
        },
      ],
      output: V1(WORKING),
    },
    {
      name: 'the default level on V1 (logging unset): the DEBUG line never reaches the file; the repair adds the level',
      config: V1(edit('"logging": { "level": "warn" },', '')(WORKING)),
      log: lines(tslogLine('gateway started', { time: at(1) })),
      findings: [{ severity: 'info', title: 'No thinking= line today, and the log level would hide it', detail: /not set \(default "info"\)/, repair: LEVEL_REPAIR }],
      output: V1(edit('"logging": { "level": "warn" },', '')(WORKING)).replace(/\n\}\n$/, '\n  "logging": { "level": "warn" },\n}\n'),
    },
    {
      name: "only probe runs: not the user's level",
      config: V1(WORKING),
      log: lines(runStartLine({ time: at(1), runId: 'probe-1', sessionId: 'probe-kimi-code-1', thinking: 'off' })),
      findings: [{ severity: 'info', title: 'No agent run in the log yet; only probe runs', detail: /1 probe run\(s\).*thinking=off by design/ }],
    },
    {
      name: 'a session thinkingLevel beats thinkingDefault, and the log agrees',
      config: V1(WORKING),
      configAt: -60,
      log: lines(runStartLine({ time: at(10), runId: 's-1', sessionId: 's-1', thinking: 'high' })),
      files: {
        '.clawdbot/agents/main/sessions/sessions.json': JSON.stringify({ 'agent:main:main': { sessionId: 's-1', updatedAt: BASE + 10000, thinkingLevel: 'high' } }),
        '.clawdbot/agents/main/sessions/s-1.jsonl': lines(sessionHeader('s-1', at(9))),
      },
      findings: [
        {
          severity: 'info',
          title: "The last run used thinking=high (the session's thinkingLevel)",
          detail: /Which setting won for session agent:main:main: "high" from the session's thinkingLevel\. The session's thinkingLevel "high" in sessions\.json wins over the config/,
        },
      ],
    },
    {
      name: 'a session "off" override: thinking is off in that chat whatever the config says',
      config: V1(WORKING),
      configAt: -60,
      log: lines(runStartLine({ time: at(10), runId: 's-1', sessionId: 's-1', thinking: 'off' })),
      files: { '.clawdbot/agents/main/sessions/sessions.json': JSON.stringify({ 'agent:main:main': { sessionId: 's-1', updatedAt: BASE + 10000, thinkingLevel: 'off' } }) },
      findings: [{ severity: 'warn', title: 'Thinking is off in session agent:main:main: its thinkingLevel "off" beats thinkingDefault', fix: /\/think low/ }],
    },
    {
      name: 'the log says off but the settings give high (run after the last config change)',
      config: V1(edit('"thinkingDefault": "low"', '"thinkingDefault": "high"')(WORKING)),
      configAt: -60,
      log: lines(runStartLine({ time: at(10), thinking: 'off' })),
      findings: [{ severity: 'warn', title: 'The last run used thinking=off, but the settings give "high"', detail: /not restarted/ }],
    },
    {
      name: 'the run predates the config change: info, not a warning',
      config: V1(edit('"thinkingDefault": "low"', '"thinkingDefault": "high"')(WORKING)),
      log: lines(runStartLine({ time: at(-600), thinking: 'low' })),
      findings: [{ severity: 'info', title: 'The last run used thinking=low, but the settings give "high"', detail: /after this run/ }],
    },
    {
      name: 'a model not marked reasoning: thinking off, the same cause as provider.model-limits',
      config: V1(edit('"reasoning": true,', '')(WORKING)),
      configAt: -60,
      log: lines(runStartLine({ time: at(10), thinking: 'off' })),
      also: ['provider.model-limits'],
      findings: [
        { check: 'provider.model-limits', severity: 'warn', cause: 'reasoning-off' },
        { severity: 'warn', title: 'The last run had thinking off: kimi-code/kimi-for-coding is not marked reasoning', cause: 'reasoning-off', detail: /Same cause as provider\.model-limits/, fix: 'See the fix under provider.model-limits.' },
      ],
    },
    {
      name: 'a 3 GiB sparse log with the last run at the end',
      config: V1(WORKING),
      configAt: -60,
      setup: (h) => sparseLog(h, lines(runStartLine({ time: at(10), thinking: 'medium', runId: 'r-9', sessionId: 's-9' }))),
      findings: [{ severity: 'warn', title: 'The last run used thinking=medium, but the settings give "low"', evidence: /clawdbot-.*\.log@\d+ / }],
    },
    {
      name: 'the last run is further back than the first window: the read widens once',
      config: V1(WORKING),
      configAt: -60,
      setup: (h) => {
        const filler = tslogLine('lane enqueue: lane=main queueSize=1', { level: 'DEBUG', time: at(20), subsystem: 'diagnostic' });
        const n = Math.ceil((2 * 1024 * 1024) / (filler.length + 1));
        write(path.join(h.home, 'logs', `clawdbot-${TODAY()}.log`), lines(filler, runStartLine({ time: at(10), thinking: 'low' }), ...Array<string>(n).fill(filler)));
      },
      findings: [{ severity: 'info', title: 'The last run used thinking=low (thinkingDefault)' }],
    },
    { name: "no config at all: the model's default", log: lines(runStartLine({ time: at(1), thinking: 'low' })), findings: [{ severity: 'info', title: "The last run used thinking=low (the model's default)" }] },
  ],
});

checkTable<LogsRow>('logs.errors', {
  prepare,
  valid: [
    { name: 'an empty log', config: V1(WORKING), log: '' },
    { name: 'binary garbage', config: V1(WORKING), log: Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919 + 13) % 256)) },
    { name: 'a --log-dir that does not exist: skipped', config: V1(WORKING), missingLogDir: true, status: 'skipped' },
    { name: 'no log file: skipped', config: V1(WORKING), status: 'skipped' },
  ],
  invalid: [
    {
      name: 'the real V1 log: the errors predate the config, so they are warnings',
      config: V1(WORKING),
      log: fixtureLog(),
      findings: [
        { severity: 'warn', title: `${ROLE} (1× in the log)`, detail: /Seen once, at .*21:48:35Z[\s\S]*Message ordering conflict[\s\S]*before the config was last changed/, cause: 'developer-role', evidence: /\.log:86 / },
        { severity: 'warn', title: `${GATE} (1× in the log)`, cause: 'client-gate', evidence: /\.log:34 / },
        { severity: 'info', title: '15 other ERROR line(s) in the log (13 distinct)', detail: /3× "Gateway service check failed/ },
      ],
    },
    {
      name: 'the real log with the no-compat config: the role error is the same cause as provider.compat',
      config: V1(fixtureConfig('config-no-compat.json5')),
      log: fixtureLog(),
      also: ['provider.compat'],
      findings: [
        { check: 'provider.compat', severity: 'error', cause: 'developer-role' },
        { severity: 'error', title: `${ROLE} (1× in the log)`, detail: /config still has this cause[\s\S]*Same cause as provider\.compat/, fix: 'See the fix under provider.compat.', cause: 'developer-role' },
        { severity: 'warn', title: `${GATE} (1× in the log)`, cause: 'client-gate' },
        { severity: 'info', title: '15 other ERROR line(s) in the log (13 distinct)' },
      ],
    },
    {
      name: 'the real log with the no-User-Agent config: the 403 is the same cause as provider.user-agent',
      config: V1(fixtureConfig('config-no-user-agent.json5')),
      log: fixtureLog(),
      also: ['provider.user-agent'],
      findings: [
        { check: 'provider.user-agent', severity: 'error', cause: 'client-gate' },
        { severity: 'warn', title: `${ROLE} (1× in the log)`, cause: 'developer-role' },
        { severity: 'error', title: `${GATE} (1× in the log)`, detail: /config still has this cause[\s\S]*Same cause as provider\.user-agent/, fix: 'See the fix under provider.user-agent.', cause: 'client-gate' },
        { severity: 'info', title: '15 other ERROR line(s) in the log (13 distinct)' },
      ],
    },
    {
      name: 'error counts, first and last seen, one finding per cause',
      config: V1(WORKING),
      configAt: -60,
      log: lines(
        tslogLine('403 Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.', { time: at(10) }),
        tslogLine('Embedded agent failed before reply: 403 Kimi For Coding is currently only available for Coding Agents such as Kimi CLI', { level: 'ERROR', time: at(20) }),
        tslogLine('403 Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.', { time: at(30) }),
        tslogLine('403 Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.', { time: at(40) }),
        tslogLine('Missing env var "KIMICODE_API_KEY" at models.providers.kimi-code.apiKey', { level: 'ERROR', time: at(50) }),
        tslogLine('Missing env var "KIMICODE_API_KEY" at models.providers.kimi-code.apiKey', { level: 'ERROR', time: at(55) }),
        tslogLine('No API key found for provider "kimi-code"', { level: 'ERROR', time: at(60) }),
        tslogLine('Unknown model: kimi-cod/kimi-for-coding', { level: 'ERROR', time: at(70) }),
        tslogLine('429 Too Many Requests: rate limit reached, please retry later', { time: at(80) }),
        tslogLine(ORDERING, { time: at(90) }),
      ),
      // Most recent first.
      findings: [
        { severity: 'error', title: `${ROLE} (1× in the log)`, detail: new RegExp(`once, at ${hms(90)}`), cause: 'developer-role' },
        { severity: 'warn', title: 'Rate limit reached (rolling 5-hour window) (1× in the log)', cause: 'rate-limit' },
        { severity: 'error', title: 'Unknown model: kimi-cod/kimi-for-coding (1× in the log)', cause: 'model-unknown' },
        { severity: 'error', title: 'No API key found for provider "kimi-code" (1× in the log)', cause: 'key-missing' },
        { severity: 'error', title: 'Missing env var "KIMICODE_API_KEY" (2× in the log)', detail: new RegExp(`first at ${hms(50)}, last at ${hms(55)}`), cause: 'env-missing:KIMICODE_API_KEY' },
        { severity: 'error', title: `${GATE} (4× in the log)`, detail: new RegExp(`4 times, first at ${hms(10)}, last at ${hms(40)}[\\s\\S]*×3[\\s\\S]*Embedded agent failed before reply`), cause: 'client-gate' },
      ],
    },
    {
      name: '"Message ordering conflict" after the config stopped sending role "developer": the history, not the config',
      config: V1(WORKING),
      configAt: -60,
      log: lines(tslogLine(ORDERING, { time: at(10) })),
      findings: [{ severity: 'error', title: `${ROLE} (1× in the log)`, detail: /no longer sends role "developer"/, fix: /--reset-sessions/, cause: 'developer-role' }],
    },
    {
      name: 'ERROR lines no cause explains are counted apart',
      config: V1(WORKING),
      log: lines(tslogLine('Gateway service check failed: Error: systemctl --user unavailable', { level: 'ERROR', time: at(5) })),
      findings: [{ severity: 'info', title: '1 other ERROR line(s) in the log (1 distinct)' }],
    },
    {
      name: 'a 3 GiB sparse log with the 403 at the end',
      config: V1(WORKING),
      configAt: -60,
      setup: (h) => sparseLog(h, lines(runStartLine({ time: at(10), thinking: 'low' }), tslogLine('403 Kimi For Coding is currently only available for Coding Agents', { time: at(12) }))),
      findings: [{ severity: 'error', title: `${GATE} (1× in the last 1.0 MiB of the log)`, cause: 'client-gate' }],
    },
  ],
});
