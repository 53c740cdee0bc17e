// Table-driven tests of the logs.* checks, in-process through diagnose(). Every case gets a temp HOME and a
// temp log dir (--log-dir), and CLAW_DOCTOR_LOG_ROOTS points the default roots into a temp dir too, so the
// real /tmp/clawdbot is never read. diagnose() uses the real clock: logs are written under today's local date.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { findingsFor, fixtureConfig, tempHome, type TempHome } from '../support/doctor.js';
import {
  V1_LOG,
  V1_STATE,
  V1_MAIN_SESSION,
  assistantError,
  assistantOk,
  cleanupTemp,
  copyTree,
  lines,
  localDate,
  runStartLine,
  sessionHeader,
  setMtime,
  tempDir,
  tslogLine,
  userMessage,
  write,
} from '../support/logs-fixtures.js';
import { findFinding, type FindingExpect } from '../support/findings.js';

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

interface Setup {
  h: TempHome;
  logDir: string;
  roots: string;
}

interface Case {
  name: string;
  /** The config text; omitted = no config. */
  config?: string;
  /** Config mtime, seconds relative to BASE (default: now). */
  configAt?: number;
  /** The log's content (written to <logDir>/clawdbot-<today>.log); `null` = no file. */
  log?: string | Buffer | null;
  /** Copy the real V1 state dir (sessions) into ~/.clawdbot. */
  fixtureState?: boolean;
  setup?: (s: Setup) => void;
  /** Pass a --log-dir that does not exist. */
  missingLogDir?: boolean;
  /** Do not pass --log-dir: only the (temp) default roots are looked at. */
  noLogDir?: boolean;
  expect: Expect[];
  /** Checks that must have no findings at all, or that must have this status. */
  statuses?: Record<string, string>;
}

interface Expect extends FindingExpect {
  repair?: unknown;
  noRepair?: boolean;
}

const fixtureLog = () => fs.readFileSync(V1_LOG, 'utf8');

const cases: Case[] = [
  {
    name: 'the real V1 log: three runs at "low", the probe not counted',
    config: V1(WORKING),
    log: fixtureLog(),
    fixtureState: true,
    expect: [
      { check: 'logs.today', severity: 'info', title: /Read today's log: .*clawdbot-\d{4}-\d\d-\d\d\.log \(82 KiB, 121 lines\)/, detail: /64 DEBUG, 42 INFO, 15 ERROR/ },
      {
        check: 'logs.thinking',
        severity: 'info',
        title: /The last run used thinking=low \(thinkingDefault\)/,
        detail: /Last 3 of 3 run\(s\)[\s\S]*21:48:33Z  kimi-code\/kimi-for-coding  thinking=low  \(agent:main:main\)[\s\S]*1 probe run\(s\) \(runId probe-…[\s\S]*"low" from thinkingDefault/,
        evidence: /clawdbot-\d{4}-\d\d-\d\d\.log:74 \(.*21:48:33Z\)/,
      },
      // The config was written after these errors: they may be fixed already, so warnings, not errors.
      { check: 'logs.errors', severity: 'warn', title: /role "developer".*\(1× in the log\)/, detail: /Seen once, at .*21:48:35Z[\s\S]*Message ordering conflict[\s\S]*before the config was last changed/, cause: 'developer-role', evidence: /\.log:86 / },
      { check: 'logs.errors', severity: 'warn', title: /User-Agent gate\) \(1× in the log\)/, cause: 'client-gate', evidence: /\.log:34 / },
      { check: 'logs.errors', severity: 'info', title: /15 other ERROR line\(s\) in the log \(13 distinct\)/, detail: /3× "Gateway service check failed/ },
    ],
  },
  {
    name: 'the real log with the no-compat config: the log finding points to provider.compat',
    config: V1(fixtureConfig('config-no-compat.json5')),
    log: fixtureLog(),
    expect: [
      { check: 'provider.compat', severity: 'error', cause: 'developer-role' },
      { check: 'logs.errors', severity: 'error', title: /role "developer"/, detail: /config still has this cause[\s\S]*Same cause as provider\.compat/, fix: /See the fix under provider\.compat/, cause: 'developer-role' },
    ],
  },
  {
    name: 'the real log with the no-User-Agent config: the 403 points to provider.user-agent',
    config: V1(fixtureConfig('config-no-user-agent.json5')),
    log: fixtureLog(),
    expect: [{ check: 'logs.errors', severity: 'error', title: /User-Agent gate/, detail: /config still has this cause[\s\S]*Same cause as provider\.user-agent/, cause: 'client-gate' }],
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
      tslogLine('Message ordering conflict - please try again. If this persists, use /new to start a fresh session.', { time: at(90) }),
    ),
    expect: [
      { check: 'logs.errors', severity: 'error', title: /User-Agent gate\) \(4× in the log\)/, detail: new RegExp(`4 times, first at ${hms(10)}, last at ${hms(40)}[\\s\\S]*×3[\\s\\S]*Embedded agent failed before reply`), cause: 'client-gate' },
      { check: 'logs.errors', severity: 'error', title: /Missing env var "KIMICODE_API_KEY" \(2× in the log\)/, detail: new RegExp(`first at ${hms(50)}, last at ${hms(55)}`), cause: 'env-missing:KIMICODE_API_KEY' },
      { check: 'logs.errors', severity: 'error', title: /No API key found for provider "kimi-code" \(1×/, cause: 'key-missing' },
      { check: 'logs.errors', severity: 'error', title: /Unknown model: kimi-cod\/kimi-for-coding/, cause: 'model-unknown' },
      { check: 'logs.errors', severity: 'warn', title: /Rate limit/, cause: 'rate-limit' },
      { check: 'logs.errors', severity: 'error', title: /role "developer"/, detail: new RegExp(`once, at ${hms(90)}`), cause: 'developer-role' },
    ],
  },
  {
    name: '"Message ordering conflict" after the config stopped sending role "developer": the history, not the config',
    config: V1(WORKING),
    configAt: -60,
    log: lines(tslogLine('Message ordering conflict - please try again. If this persists, use /new to start a fresh session.', { time: at(10) })),
    expect: [{ check: 'logs.errors', severity: 'error', title: /role "developer"/, detail: /no longer sends role "developer"/, fix: /--reset-sessions/, cause: 'developer-role' }],
  },
  {
    name: 'an empty log',
    config: V1(WORKING),
    log: '',
    expect: [
      { check: 'logs.today', severity: 'info', title: /today's log is empty/ },
      { check: 'logs.thinking', severity: 'info', title: /No agent run in today's log yet/ },
    ],
    statuses: { 'logs.errors': 'pass' },
  },
  {
    name: 'a --log-dir that does not exist',
    config: V1(WORKING),
    missingLogDir: true,
    expect: [{ check: 'logs.today', severity: 'warn', title: /--log-dir .* is not a directory/ }],
    statuses: { 'logs.errors': 'skipped', 'logs.thinking': 'skipped' },
  },
  {
    name: 'no log file, level "debug" on V1: the inversion is explained even without a file',
    config: V1(edit('"level": "warn"', '"level": "debug"')(WORKING)),
    log: null,
    expect: [
      { check: 'logs.today', severity: 'info', title: /No log file for today/, detail: /Looked for: .*clawdbot-\d{4}/ },
      { check: 'logs.thinking', severity: 'info', title: /log level would hide it \(no log file found\)/, detail: /inverted/ },
    ],
  },
  {
    name: 'binary garbage',
    config: V1(WORKING),
    log: Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919 + 13) % 256)),
    expect: [{ check: 'logs.today', severity: 'warn', title: /does not look like the product's log/, detail: /not valid UTF-8/ }],
    statuses: { 'logs.thinking': 'pass', 'logs.errors': 'pass' },
  },
  {
    name: 'V1 inversion: logging.level "debug", the agent ran today, no thinking= line → the exact fix, opt-in repair',
    config: V1(edit('"level": "warn"', '"level": "debug"')(WORKING)),
    log: lines(tslogLine('Gateway service check failed: Error: systemctl --user unavailable', { level: 'ERROR', time: at(5) })),
    setup: ({ h }) => {
      h.write(path.join('.clawdbot/agents/main/sessions', `${V1_MAIN_SESSION}.jsonl`), lines(sessionHeader(V1_MAIN_SESSION, at(0)), userMessage('hi', at(1)), assistantOk(at(2))));
      h.write('.clawdbot/agents/main/sessions/sessions.json', JSON.stringify({ 'agent:main:main': { sessionId: V1_MAIN_SESSION, updatedAt: BASE + 2000 } }));
    },
    expect: [
      {
        check: 'logs.thinking',
        severity: 'warn',
        title: /No thinking= line today although the agent ran/,
        detail: /logging\.level is "debug", but this version maps file levels inverted: "debug" records less[\s\S]*Sessions show agent activity today/,
        fix: /^"logging": \{ "level": "warn" \}\nin the config, then restart the gateway/,
        evidence: /clawdbot\.json:\d+:\d+ \(logging\.level\)/,
        repair: { kind: 'config.set', summary: 'set logging.level to "warn" so thinking= lines are recorded', data: { path: ['logging', 'level'], value: 'warn', optIn: true } },
      },
    ],
  },
  {
    name: 'the default level on V1 (logging unset): the DEBUG line never reaches the file',
    config: V1(edit('"logging": { "level": "warn" },', '')(WORKING)),
    log: lines(tslogLine('gateway started', { time: at(1) })),
    expect: [
      {
        check: 'logs.thinking',
        severity: 'info',
        title: /No thinking= line today, and the log level would hide it/,
        detail: /not set \(default "info"\)/,
        repair: { kind: 'config.set', summary: 'set logging.level to "warn" so thinking= lines are recorded', data: { path: ['logging', 'level'], value: 'warn', optIn: true } },
      },
    ],
  },
  {
    name: 'only probe runs: not the user\'s level',
    config: V1(WORKING),
    log: lines(runStartLine({ time: at(1), runId: 'probe-1', sessionId: 'probe-kimi-code-1', thinking: 'off' })),
    expect: [{ check: 'logs.thinking', severity: 'info', title: /only probe runs/, detail: /1 probe run\(s\).*thinking=off by design/ }],
  },
  {
    name: 'a session thinkingLevel beats thinkingDefault, and the log agrees',
    config: V1(WORKING),
    configAt: -60,
    log: lines(runStartLine({ time: at(10), runId: 's-1', sessionId: 's-1', thinking: 'high' })),
    setup: ({ h }) => {
      h.write('.clawdbot/agents/main/sessions/sessions.json', JSON.stringify({ 'agent:main:main': { sessionId: 's-1', updatedAt: BASE + 10000, thinkingLevel: 'high' } }));
      h.write('.clawdbot/agents/main/sessions/s-1.jsonl', lines(sessionHeader('s-1', at(9))));
    },
    expect: [
      {
        check: 'logs.thinking',
        severity: 'info',
        title: /The last run used thinking=high \(the session's thinkingLevel\)/,
        detail: /Which setting won for session agent:main:main: "high" from the session's thinkingLevel\. The session's thinkingLevel "high" in sessions\.json wins over the config/,
      },
      { check: 'sessions.store', severity: 'info', title: /Session agent:main:main: thinkingLevel "high" beats thinkingDefault "low"/ },
    ],
  },
  {
    name: 'a session "off" override: thinking is off in that chat whatever the config says',
    config: V1(WORKING),
    configAt: -60,
    log: lines(runStartLine({ time: at(10), runId: 's-1', sessionId: 's-1', thinking: 'off' })),
    setup: ({ h }) => {
      h.write('.clawdbot/agents/main/sessions/sessions.json', JSON.stringify({ 'agent:main:main': { sessionId: 's-1', updatedAt: BASE + 10000, thinkingLevel: 'off' } }));
    },
    expect: [
      { check: 'logs.thinking', severity: 'warn', title: /Thinking is off in session agent:main:main: its thinkingLevel "off" beats thinkingDefault/, fix: /\/think low/ },
      { check: 'sessions.store', severity: 'warn', title: /thinkingLevel "off" beats thinkingDefault "low"/ },
    ],
  },
  {
    name: 'the log says off but the settings give high (run after the last config change)',
    config: V1(edit('"thinkingDefault": "low"', '"thinkingDefault": "high"')(WORKING)),
    configAt: -60,
    log: lines(runStartLine({ time: at(10), thinking: 'off' })),
    expect: [{ check: 'logs.thinking', severity: 'warn', title: /used thinking=off, but the settings give "high"/, detail: /not restarted/ }],
  },
  {
    name: 'the run predates the config change: info, not a warning',
    config: V1(edit('"thinkingDefault": "low"', '"thinkingDefault": "high"')(WORKING)),
    log: lines(runStartLine({ time: at(-600), thinking: 'low' })),
    expect: [{ check: 'logs.thinking', severity: 'info', title: /used thinking=low, but the settings give "high"/, detail: /after this run/ }],
  },
  {
    name: 'a model not marked reasoning: thinking off links to provider.model-limits',
    config: V1(edit('"reasoning": true,', '')(WORKING)),
    configAt: -60,
    log: lines(runStartLine({ time: at(10), thinking: 'off' })),
    expect: [{ check: 'logs.thinking', severity: 'warn', title: /not marked reasoning/, cause: 'reasoning-off', detail: /Same cause as provider\.model-limits/ }],
  },
  {
    name: 'a 3 GiB sparse log with the interesting lines at the end',
    config: V1(WORKING),
    configAt: -60,
    setup: ({ logDir }) => {
      const f = path.join(logDir, `clawdbot-${TODAY()}.log`);
      fs.writeFileSync(f, '');
      fs.truncateSync(f, 3 * 1024 ** 3);
      fs.appendFileSync(f, '\n' + lines(runStartLine({ time: at(10), thinking: 'medium', runId: 'r-9', sessionId: 's-9' }), tslogLine('403 Kimi For Coding is currently only available for Coding Agents', { time: at(12) })));
    },
    expect: [
      { check: 'logs.today', severity: 'info', title: /\(3\.0 GiB, 2 lines; only its last 1\.0 MiB read\)/ },
      { check: 'logs.thinking', severity: 'warn', title: /used thinking=medium, but the settings give "low"/, evidence: /clawdbot-.*\.log@\d+ / },
      { check: 'logs.errors', severity: 'error', title: /User-Agent gate\) \(1× in the last 1\.0 MiB of the log\)/, cause: 'client-gate' },
    ],
  },
  {
    name: 'the last run is further back than the first window: the read widens once',
    config: V1(WORKING),
    configAt: -60,
    setup: ({ logDir }) => {
      const filler = tslogLine('lane enqueue: lane=main queueSize=1', { level: 'DEBUG', time: at(20), subsystem: 'diagnostic' });
      const n = Math.ceil((2 * 1024 * 1024) / (filler.length + 1));
      write(path.join(logDir, `clawdbot-${TODAY()}.log`), lines(filler, runStartLine({ time: at(10), thinking: 'low' }), ...Array(n).fill(filler)));
    },
    expect: [
      { check: 'logs.today', severity: 'info', title: /only its last 2\.\d MiB read|\(2\.\d MiB, \d+ lines\)/ },
      { check: 'logs.thinking', severity: 'info', title: /The last run used thinking=low/ },
    ],
  },
  {
    name: 'CLAW_DOCTOR_LOG_ROOTS: without --log-dir the default roots are the temp ones',
    config: V1(WORKING),
    log: null,
    noLogDir: true,
    setup: ({ roots }) => {
      write(path.join(roots, 'clawdbot', `clawdbot-${TODAY()}.log`), lines(runStartLine({ time: at(1), thinking: 'low' })));
    },
    expect: [{ check: 'logs.today', severity: 'info', title: /Read today's log: .*clawdbot\/clawdbot-/ }],
  },
  {
    name: 'logging.file replaces the dated file; with --log-dir its name is looked up there',
    config: V1(edit('"level": "warn"', '"level": "warn", "file": "/var/log/clawdbot/gateway.log"')(WORKING)),
    log: null,
    setup: ({ logDir }) => write(path.join(logDir, 'gateway.log'), lines(runStartLine({ time: at(1), thinking: 'low' }))),
    expect: [
      { check: 'logs.today', severity: 'info', title: /Read logging\.file: .*gateway\.log/ },
      { check: 'logs.thinking', severity: 'info', title: /thinking=low/ },
    ],
  },
  {
    name: 'no config at all: the log is still read',
    log: lines(runStartLine({ time: at(1), thinking: 'low' })),
    expect: [
      { check: 'logs.today', severity: 'info', title: /Read today's log/ },
      { check: 'logs.thinking', severity: 'info', title: /thinking=low \(the model's default\)/ },
    ],
  },
];

let homes: TempHome[] = [];
afterEach(() => {
  for (const h of homes) h.cleanup();
  homes = [];
  cleanupTemp();
});

async function run(c: Case) {
  const h = tempHome();
  homes.push(h);
  const roots = tempDir('claw-doctor-roots-');
  const logDir = c.missingLogDir ? path.join(tempDir(), 'nope') : tempDir();
  if (c.config !== undefined) h.writeConfig(c.config);
  if (c.fixtureState) {
    copyTree(path.join(V1_STATE, 'agents'), path.join(h.stateDir, 'agents'));
  }
  if (c.log !== undefined && c.log !== null) write(path.join(logDir, `clawdbot-${TODAY()}.log`), c.log);
  c.setup?.({ h, logDir, roots });
  if (c.config !== undefined && c.configAt !== undefined) setMtime(h.configPath, BASE + c.configAt * 1000);
  return findingsFor(h, c.noLogDir ? {} : { logDir }, { CLAW_DOCTOR_LOG_ROOTS: roots, TMPDIR: roots });
}


describe('logs.* checks', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { findings, statuses } = await run(c);
    const mine = findings.filter((f) => f.check.startsWith('logs.') || f.check.startsWith('sessions.'));
    for (const s of Object.values(statuses)) expect(s).not.toBe('crashed');
    for (const e of c.expect) {
      const hit = findFinding(findings, e, statuses);
      if (e.repair) expect(hit.repair).toEqual(e.repair);
    }
    for (const [id, status] of Object.entries(c.statuses ?? {})) expect(statuses[id], id).toBe(status);
    expect(mine.every((f) => f.title && f.detail)).toBe(true);
  });

  it('never reads outside the temp dirs it is given (no real /tmp/clawdbot in the output)', async () => {
    const { findings } = await run({ name: 'x', config: V1(WORKING), log: null, expect: [] });
    const text = JSON.stringify(findings.filter((f) => f.check.startsWith('logs.')));
    expect(text).not.toMatch(/"\/tmp\/(clawdbot|moltbot|openclaw)\//);
  });
});
