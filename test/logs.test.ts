import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  effectiveThinking,
  errorSignature,
  explainNoThinkingLines,
  findTodayLogs,
  matchLogError,
  parseLogLine,
  readLogEvidence,
} from '../src/facts/logs.js';
import { tailText } from '../src/facts/tail.js';
import {
  V1_LOG,
  cleanupTemp,
  localDate,
  runStartLine,
  setMtime,
  tempDir,
  tslogLine,
  write,
} from './support/logs-fixtures.js';

afterEach(cleanupTemp);

// Local noon: far from midnight, so "today" and "yesterday" do not depend on the test machine's zone.
const NOW = new Date(2026, 10, 23, 12, 0, 0);
const TODAY = localDate(NOW);
const YESTERDAY = localDate(new Date(2026, 10, 22, 12));
const HOUR = 3600_000;

describe('findTodayLogs', () => {
  it('finds today, yesterday and recently written dated files under every product name, and nothing stale', async () => {
    const root = tempDir();
    const tmp = tempDir();
    const today = write(path.join(root, 'clawdbot', `clawdbot-${TODAY}.log`), 'x\n');
    const yesterday = write(path.join(root, 'moltbot', `moltbot-${YESTERDAY}.log`), 'x\n');
    // A gateway started three days ago still writes to its start day's file (clawdbot.md §6).
    const longRunning = write(path.join(root, 'openclaw', 'openclaw-2026-11-20.log'), 'x\n');
    const stale = write(path.join(root, 'openclaw', 'openclaw-2026-11-19.log'), 'x\n');
    write(path.join(root, 'clawdbot', 'notes.txt'), 'not a log\n');
    write(path.join(root, 'clawdbot', 'clawdbot-latest.log'), 'not dated\n');
    const fallback = write(path.join(tmp, 'openclaw-1234', `openclaw-${TODAY}.log`), 'x\n');
    for (const f of [today, yesterday, fallback]) setMtime(f, NOW.getTime() - HOUR);
    setMtime(longRunning, NOW.getTime() - 2 * HOUR);
    setMtime(stale, NOW.getTime() - 4 * 24 * HOUR);

    const r = await findTodayLogs({ env: {}, now: NOW, roots: [root], tmpDir: tmp, uid: 1234 });
    const byPath = new Map(r.files.map((f) => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual([today, yesterday, longRunning, fallback].sort());
    expect(byPath.get(today)).toMatchObject({ product: 'clawdbot', date: TODAY, today: true, size: 2 });
    expect(byPath.get(yesterday)).toMatchObject({ product: 'moltbot', today: false });
    expect(byPath.get(fallback)).toMatchObject({ product: 'openclaw', today: true });
    expect(r.files.slice(0, 2).every((f) => f.today)).toBe(true);
    expect(r.tried).toEqual(
      expect.arrayContaining([
        path.join(root, 'clawdbot', `clawdbot-${TODAY}.log`),
        path.join(root, 'moltbot', `moltbot-${TODAY}.log`),
        path.join(root, 'openclaw', `openclaw-${TODAY}.log`),
        path.join(tmp, 'openclaw-1234', `openclaw-${TODAY}.log`),
      ]),
    );
  });

  it('uses the LOCAL date in the expected file name', async () => {
    const root = tempDir();
    const lateEvening = new Date(2026, 10, 23, 23, 30);
    const r = await findTodayLogs({ env: {}, now: lateEvening, roots: [root], tmpDir: root, uid: 1 });
    expect(r.tried).toContain(path.join(root, 'clawdbot', 'clawdbot-2026-11-23.log'));
  });

  it('reports nothing found, and where it looked, when no log dir exists', async () => {
    const root = path.join(tempDir(), 'does-not-exist');
    const r = await findTodayLogs({ env: {}, now: NOW, roots: [root], tmpDir: root, uid: 7 });
    expect(r.files).toEqual([]);
    expect(r.unreadable).toEqual([]);
    expect(r.tried).toHaveLength(4);
  });

  it('reads logging.file (with ~ expanded) as a custom log, dated by its mtime', async () => {
    const home = tempDir();
    const custom = write(path.join(home, 'logs', 'bot.log'), 'x\n');
    setMtime(custom, NOW.getTime() - HOUR);
    const r = await findTodayLogs({
      env: { HOME: home },
      now: NOW,
      loggingFile: '~/logs/bot.log',
      roots: [tempDir()],
      tmpDir: home,
      uid: 1,
    });
    expect(r.files).toEqual([expect.objectContaining({ path: custom, product: 'custom', today: true })]);
    expect(r.tried[0]).toBe(custom);
  });

  it('--log-dir replaces the default roots and accepts any of the three names', async () => {
    const root = tempDir();
    write(path.join(root, 'clawdbot', `clawdbot-${TODAY}.log`), 'should not be read\n');
    const dir = tempDir();
    const a = write(path.join(dir, `moltbot-${TODAY}.log`), 'x\n');
    const b = write(path.join(dir, 'openclaw', `openclaw-${TODAY}.log`), 'x\n');
    const r = await findTodayLogs({ env: {}, now: NOW, logDir: dir, roots: [root], tmpDir: root, uid: 1 });
    expect(r.files.map((f) => f.path).sort()).toEqual([a, b].sort());
    expect(r.files.every((f) => f.today)).toBe(true);
  });

  it('lists a file once when two search paths reach it', async () => {
    const root = tempDir();
    const f = write(path.join(root, 'openclaw', `openclaw-${TODAY}.log`), 'x\n');
    fs.symlinkSync(path.join(root, 'openclaw'), path.join(root, 'openclaw-5'));
    const r = await findTodayLogs({ env: {}, now: NOW, roots: [root], tmpDir: root, uid: 5 });
    expect(r.files.map((x) => x.path)).toEqual([f]);
  });
});

describe('parseLogLine', () => {
  const fixtureLines = fs.readFileSync(V1_LOG, 'utf8').split('\n').filter(Boolean);

  it('reads a subsystem line: subsystem from "0", message from "1", level and time', () => {
    const e = parseLogLine(fixtureLines[4]);
    expect(e).toMatchObject({
      format: 'json',
      subsystem: 'agent/embedded',
      level: 'DEBUG',
      time: '2026-11-23T21:47:48.356Z',
      timeMs: Date.parse('2026-11-23T21:47:48.356Z'),
    });
    expect(e?.message).toMatch(/^embedded run start: runId=7026c59e/);
  });

  it('reads a plain console line: message in "0", no subsystem', () => {
    const e = parseLogLine(fixtureLines[33]);
    expect(e).toMatchObject({ format: 'json', level: 'INFO', subsystem: undefined });
    expect(e?.message).toMatch(/^403 Kimi For Coding is currently only available/);
  });

  it('parses every line of the real log as JSON', () => {
    expect(fixtureLines.map((l) => parseLogLine(l)?.format)).toEqual(fixtureLines.map(() => 'json'));
  });

  it('falls back to plain text, guessing the level', () => {
    expect(parseLogLine('2026-11-23T21:48:25Z ERROR provider said no')).toMatchObject({
      format: 'plain',
      level: 'ERROR',
      timeMs: Date.parse('2026-11-23T21:48:25Z'),
      message: 'ERROR provider said no',
    });
    expect(parseLogLine('[gateway] warning: port busy')?.level).toBe('WARN');
    expect(parseLogLine('Embedded agent failed before reply: boom')?.level).toBe('ERROR');
    expect(parseLogLine('just chatting')?.level).toBeUndefined();
    expect(parseLogLine('{"0": "half a line')?.format).toBe('plain');
    expect(parseLogLine('{"unrelated": true}')?.format).toBe('plain');
    expect(parseLogLine('[1,2,3]')?.format).toBe('plain');
    expect(parseLogLine('   ')).toBeUndefined();
  });

  it('never throws, whatever the input', () => {
    const odd = ['{', '{"0":{"a":1},"_meta":null}', '{"_meta":{"logLevelName":42}}', '{"0":"{\\"subsystem\\":', '\u0000\uffff', 'null'];
    for (const l of odd) expect(() => parseLogLine(l)).not.toThrow();
    expect(parseLogLine('{"0":{"a":1},"1":"x","_meta":{"logLevelName":"warn"}}')).toMatchObject({ level: 'WARN', message: '{"a":1} x' });
  });
});

describe('matchLogError / errorSignature', () => {
  it.each([
    ['Message ordering conflict - please try again. If this persists, use /new to start a fresh session.', 'ordering-conflict', undefined],
    ['⚠️ Message ordering conflict. I\'ve reset the conversation - please try again.', 'ordering-conflict', undefined],
    ['Embedded agent failed before reply: 403 Kimi For Coding is currently only available for Coding Agents', 'failed-before-reply', '403 Kimi For Coding is currently only available for Coding Agents'],
    ['Missing env var "KIMICODE_API_KEY" referenced at config path: models.providers.kimi-code.apiKey', 'missing-env', 'KIMICODE_API_KEY'],
    ['Unknown model: kimi-code/kimi-for-codin', 'unknown-model', 'kimi-code/kimi-for-codin'],
    ['No API key found for provider "kimi-code"', 'no-api-key', 'kimi-code'],
    ['Invalid config at /home/u/.clawdbot/clawdbot.json:', 'invalid-config', '/home/u/.clawdbot/clawdbot.json'],
    ["You've reached your weekly usage limit", 'provider', undefined],
    ['401 Invalid Authentication', 'provider', undefined],
    ['LLM request failed: 429 {"error":{"message":"Too Many Requests"}}', 'provider', undefined],
  ])('%s → %s', (text, kind, subject) => {
    const m = matchLogError(text);
    expect(m?.kind).toBe(kind);
    if (subject) expect(m?.subject).toBe(subject);
  });

  it('ignores ordinary lines, and puts other ERROR lines in the `other` bucket', () => {
    expect(matchLogError('lane task done: lane=main durationMs=403 active=0')).toBeUndefined();
    expect(matchLogError('Invalid configuration option for the widget')).toBeUndefined();
    expect(matchLogError('RPC probe: failed', 'ERROR')?.kind).toBe('other');
    expect(matchLogError('RPC probe: failed', 'INFO')).toBeUndefined();
  });

  it('groups repeats that differ only in ids, times, keys and ports', () => {
    const a = errorSignature('provider', '401 bad key sk-kimi-aaaaaaaaaaaa for run 7026c59e-0c59-404a-a2e7-99e7ef88bf4d at 2026-11-23T21:48:25.247Z port 18789');
    const b = errorSignature('provider', '401 bad key sk-kimi-bbbbbbbbbbbb for run 11111111-2222-3333-4444-555555555555 at 2026-11-24T01:00:00.000Z port 19001');
    expect(a).toBe(b);
    expect(a).not.toContain('sk-kimi');
    expect(a).toContain('401');
  });
});

describe('readLogEvidence', () => {
  function fixtureCopy(): string {
    const f = path.join(tempDir(), 'clawdbot', 'clawdbot-2026-11-23.log');
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.copyFileSync(V1_LOG, f);
    return f;
  }

  it('reads the real V1 log: four runs (one probe at thinking=off), the 403 and the ordering conflict', async () => {
    const f = fixtureCopy();
    const e = await readLogEvidence([f]);

    expect(e.thinkingRuns).toHaveLength(4);
    const user = e.thinkingRuns.filter((r) => !r.probe);
    expect(user.map((r) => r.thinking)).toEqual(['low', 'low', 'low']);
    expect(user[0]).toMatchObject({
      provider: 'kimi-code',
      model: 'kimi-for-coding',
      sessionId: '7026c59e-0c59-404a-a2e7-99e7ef88bf4d',
      time: '2026-11-23T21:47:48.356Z',
      location: `${f}:5`,
    });
    const probe = e.thinkingRuns.find((r) => r.probe);
    expect(probe).toMatchObject({ thinking: 'off', runId: expect.stringMatching(/^probe-/) });

    const gate = e.errors.find((g) => g.kind === 'provider');
    expect(gate).toMatchObject({ status: 403, count: 1, location: `${f}:34`, cause: 'client-gate', lastSeen: '2026-11-23T21:48:25.247Z' });
    expect(gate?.sample).toMatch(/only available for Coding Agents/);
    const ordering = e.errors.find((g) => g.kind === 'ordering-conflict');
    // The rewrite hides the provider's 400; with Kimi its cause is the developer role (clawdbot.md §9).
    expect(ordering).toMatchObject({ count: 1, location: `${f}:86`, cause: 'developer-role' });
    // Known kinds come before the generic ERROR lines.
    expect(e.errors.findIndex((g) => g.kind === 'other')).toBeGreaterThan(e.errors.indexOf(ordering!));
    const gatewayCheck = e.errors.find((g) => g.sample.startsWith('Gateway service check failed'));
    expect(gatewayCheck).toMatchObject({ kind: 'other', count: 3 });

    expect(e.lineCounts).toEqual({ total: 121, json: 121, plain: 0, invalid: 0, tooLong: 0 });
    expect(e.maxLevel).toBe('ERROR');
    expect(e.levelCounts.DEBUG).toBeGreaterThan(0);
    expect(e.files[0]).toMatchObject({ path: f, truncated: false, lines: 121 });
  });

  it('groups repeated errors across files with count, first and last seen, and the newest sample', async () => {
    const dir = tempDir();
    const t = (m: number) => new Date(Date.UTC(2026, 10, 23, 10, m)).toISOString();
    const gate = (m: number) => tslogLine('403 Kimi For Coding is currently only available for Coding Agents such as Kimi CLI', { time: t(m) });
    const older = write(path.join(dir, 'moltbot-2026-11-22.log'), [gate(1), gate(2)].join('\n') + '\n');
    const newer = write(
      path.join(dir, 'moltbot-2026-11-23.log'),
      [
        gate(3),
        tslogLine('Missing env var "KIMICODE_API_KEY" referenced at config path: models.providers.kimi-code.apiKey', { time: t(4), level: 'ERROR' }),
        tslogLine('Embedded agent failed before reply: 403 Kimi For Coding is currently only available for Coding Agents', { time: t(5), level: 'ERROR', subsystem: 'agent/embedded' }),
        tslogLine("You've reached your weekly usage limit. Please try again later.", { time: t(6), level: 'WARN' }),
        'plain text: 401 Invalid Authentication',
      ].join('\n') + '\n',
    );
    const e = await readLogEvidence([newer, older]);
    const g = e.errors.find((x) => x.kind === 'provider' && x.status === 403);
    expect(g).toMatchObject({ count: 3, firstSeen: t(1), lastSeen: t(3), location: `${newer}:1`, cause: 'client-gate' });
    expect(e.errors.find((x) => x.kind === 'missing-env')).toMatchObject({ subject: 'KIMICODE_API_KEY', cause: undefined });
    expect(e.errors.find((x) => x.kind === 'failed-before-reply')).toMatchObject({ status: 403, cause: 'client-gate' });
    expect(e.errors.find((x) => x.sample.includes('weekly'))).toMatchObject({ kind: 'provider', cause: 'quota-weekly' });
    expect(e.errors.find((x) => x.sample.includes('401'))).toMatchObject({ kind: 'provider', status: 401 });
    expect(e.lineCounts).toMatchObject({ total: 7, json: 6, plain: 1 });
    expect(e.maxLevel).toBe('ERROR');
  });

  it('handles an empty log, a missing log and binary garbage without throwing', async () => {
    const dir = tempDir();
    const empty = write(path.join(dir, 'empty.log'), '');
    const missing = path.join(dir, 'missing.log');
    const garbage = write(
      path.join(dir, 'garbage.log'),
      Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x0a, 0xc3, 0x0a]), Buffer.from(runStartLine({ thinking: 'high' }) + '\n')]),
    );
    const e = await readLogEvidence([empty, missing, garbage]);
    expect(e.files.map((f) => f.error?.code)).toEqual([undefined, 'ENOENT', undefined]);
    expect(e.thinkingRuns.map((r) => r.thinking)).toEqual(['high']);
    expect(e.lineCounts.invalid).toBe(3); // `ff fe`, `81` (split by the NUL) and `c3`
    expect(e.errors).toEqual([]);
  });

  it('finds the last run and error at the end of a 3 GiB sparse log, reading only the window', async () => {
    const f = path.join(tempDir(), 'openclaw-2026-11-23.log');
    fs.writeFileSync(f, '');
    fs.truncateSync(f, 3 * 1024 ** 3);
    fs.appendFileSync(
      f,
      '\n' +
        runStartLine({ time: '2026-11-23T21:00:00.000Z', thinking: 'medium', runId: 'r-9', sessionId: 's-9' }) +
        '\n' +
        tslogLine('Message ordering conflict - please try again.', { time: '2026-11-23T21:00:02.000Z' }) +
        '\n',
    );
    const e = await readLogEvidence([f], { maxBytesPerFile: 4 * 1024 * 1024 });
    expect(e.thinkingRuns).toEqual([expect.objectContaining({ thinking: 'medium', runId: 'r-9', sessionId: 's-9', probe: false })]);
    expect(e.thinkingRuns[0].location).toMatch(/openclaw-2026-11-23\.log@\d+$/); // line numbers unknown in a partial read
    expect(e.errors[0]).toMatchObject({ kind: 'ordering-conflict', count: 1 });
    expect(e.files[0]).toMatchObject({ truncated: true, bytesRead: 4 * 1024 * 1024 });
  });
});

describe('explainNoThinkingLines', () => {
  const WARN = '"logging": { "level": "warn" }';
  it.each([
    // generation, logging.level, runsToday → reason, fix value
    ['V1', 'debug', true, 'level-inverted', 'warn'],
    ['V1', 'trace', true, 'level-inverted', 'warn'],
    ['V1', undefined, true, 'level-default', 'warn'],
    ['V2', 'info', true, 'level-default', 'warn'],
    ['V1', 'warn', true, 'level-ok', undefined],
    ['V2', 'ERROR', true, 'level-ok', undefined],
    ['V1', 'warn', false, 'no-run-today', undefined],
    ['V1', 'debug', false, 'no-run-today', 'warn'],
    ['V3', 'debug', true, 'level-may-be-inverted', 'warn'],
    ['V3', undefined, true, 'level-default', 'debug'],
    ['V3', 'warn', true, 'level-hides-debug', 'debug'],
    ['unknown', undefined, true, 'level-default', 'warn'],
  ] as const)('%s level=%s runsToday=%s → %s', (generation, loggingLevel, runsToday, reason, fix) => {
    const x = explainNoThinkingLines({ generation, loggingLevel, runsToday });
    expect(x.reason).toBe(reason);
    expect(x.fix?.value).toBe(fix);
    if (fix) expect(x.fix?.path).toEqual(['logging', 'level']);
  });

  it('spells out the V1/V2 inversion and the exact config change', () => {
    const x = explainNoThinkingLines({ generation: 'V1', loggingLevel: 'debug', runsToday: true });
    expect(x.fix?.snippet).toBe(WARN);
    expect(x.text).toContain(WARN);
    expect(x.text).toMatch(/"debug" records less/);
    const d = explainNoThinkingLines({ generation: 'V1', runsToday: true });
    expect(d.text).toMatch(/default "info"/);
    expect(d.text).toContain(WARN);
  });

  it('says when there was simply no run today', () => {
    const x = explainNoThinkingLines({ generation: 'V1', loggingLevel: 'warn', runsToday: false });
    expect(x.text).toMatch(/No agent run today/);
    expect(x.fix).toBeUndefined();
  });
});

describe('effectiveThinking (clawdbot.md §4 precedence)', () => {
  it.each([
    // thinkingDefault, session thinkingLevel, reasoning → level, source, reachesModel
    ['low', 'high', true, 'high', 'session', true],
    ['high', 'off', true, 'off', 'session', false],
    ['medium', undefined, true, 'medium', 'thinkingDefault', true],
    [undefined, undefined, true, 'low', 'model-default', true],
    [undefined, undefined, false, 'off', 'model-default', false],
    ['low', undefined, false, 'low', 'thinkingDefault', false],
    ['on', undefined, true, 'low', 'thinkingDefault', true],
    ['think', undefined, true, 'minimal', 'thinkingDefault', true],
    [undefined, 'ultrathink', true, 'high', 'session', true],
    ['max', undefined, true, 'high', 'thinkingDefault', true],
    ['banana', undefined, true, 'low', 'model-default', true],
    ['xhigh', '', true, 'xhigh', 'thinkingDefault', true],
  ] as const)('default=%s session=%s reasoning=%s → %s from %s', (thinkingDefault, sessionLevel, reasoning, level, source, reaches) => {
    const r = effectiveThinking({ thinkingDefault, sessionLevel, reasoning });
    expect(r).toMatchObject({ level, source, reachesModel: reaches });
    expect(r.why.length).toBeGreaterThan(0);
  });

  it('explains a non-reasoning model and an invalid thinkingDefault', () => {
    expect(effectiveThinking({ thinkingDefault: 'low', reasoning: false }).why).toMatch(/not marked "reasoning": true/);
    expect(effectiveThinking({ thinkingDefault: 'banana', reasoning: true }).why).toMatch(/"banana" is not a level/);
  });
});

describe('readLogEvidence: the window-level reading equals the per-line reference path', () => {
  /** A small seeded PRNG, so a failure reproduces. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const T = (i: number) => `2026-11-23T21:${String(10 + (i % 50)).padStart(2, '0')}:00.${String(i % 1000).padStart(3, '0')}Z`;
  /** Every error kind, level, and the raw forms the shortcut must not misread. */
  function variedLines(): string[] {
    const msgs = [
      'lane enqueue: lane=session:agent:main:main queueSize=1',
      'embedded run start: runId=r1 sessionId=s1 provider=kimi-code model=kimi-for-coding thinking=low',
      'embedded run start: runId=probe-1 sessionId=s2 provider=kimi-code model=k thinking=off',
      'embedded run prompt start: runId=r1',
      'Embedded agent failed before reply: 403 Kimi For Coding is currently only available for Coding Agents',
      'Message ordering conflict - please try again.',
      'Missing env var "KIMICODE_API_KEY"',
      'Unknown model: nope/x',
      'No API key found for provider "kimi-code"',
      'Invalid config at agents.defaults: unknown key',
      '403 Kimi For Coding is currently only available for Coding Agents',
      'LLM request failed: 429 {"error":"too many requests"}',
      'RATE LIMIT reached',
      'Usage Limit',
      'engine is currently overloaded',
      "400 role 'developer' is not allowed",
      'roles must alternate',
      'gateway status ok 500 ms',
      'waited 450 ms then: 503 Service Unavailable',
      'caf\u00e9 \u2014 non-ASCII \ud83d\ude00 text',
      'tab\there and\nnewline 404 Not Found',
      '\u00a0404\u00a0Nope',
      'failed:\u2028403 Kimi For Coding',
      'failed:\u3000429\u2029Too Many',
      '\u2000500 Oops',
      'quote " and backslash \\ and slash /',
    ];
    const levels = ['SILLY', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'warning', 'Info', 'BOGUS'];
    const out: string[] = [];
    let i = 0;
    for (const m of msgs) {
      for (const level of levels) {
        i++;
        out.push(tslogLine(m, { level, time: T(i), subsystem: i % 2 ? 'agent/embedded' : undefined }));
      }
    }
    const meta = (level: string, extra = '') =>
      `"_meta":{"runtime":"node","name":"clawdbot","parentNames":["clawdbot"],"date":"${T(1)}","logLevelId":3,"logLevelName":"${level}"${extra}}`;
    out.push(
      // parts that are not strings, and a status spread over two parts
      `{"0":403,"1":"Kimi For Coding",${meta('INFO')},"time":"${T(2)}"}`,
      `{"0":4e2,"1":"Kimi",${meta('INFO')}}`,
      `{"0":"request failed:","1":"429 Too Many",${meta('DEBUG')}}`,
      `{"0":"{\\"subsystem\\":\\"agent/embedded\\"}","1":"embedded run","2":"start: runId=j1 thinking=high",${meta('DEBUG')}}`,
      `{"0":"embedded","1":"run start: runId=j2 thinking=medium",${meta('DEBUG')}}`,
      `{"0":"x","1":{"nested":"Invalid config"},${meta('DEBUG')}}`,
      `{"0":["403 array"],${meta('INFO')}}`,
      `{"0":true,"1":null,${meta('INFO')}}`,
      // escapes spelling a marker
      `{"0":"\\u0034\\u0030\\u0033 Kimi","1":"x",${meta('INFO')}}`,
      `{"0":"Message \\u006frdering conflict",${meta('INFO')}}`,
      `{"0":"Missing env var \\"A_B\\"",${meta('INFO')}}`,
      `{"0":"x\\n500 Internal",${meta('DEBUG')}}`,
      `{"0":"a","1":"b",${meta('INFO', ',"path":{"logLevelName":"ERROR","n":1,"a":[1,"x"]}')}}`,
      // level spellings and odd _meta
      `{"0":"level escaped",${meta('\\u0045RROR')}}`,
      `{"0":"level spaced",${meta(' ERROR ')}}`,
      `{"0":"dup meta",${meta('INFO')},${meta('ERROR')}}`,
      `{"0":"dup level","_meta":{"logLevelName":"INFO","logLevelName":"FATAL"}}`,
      `{"0":"dup level","_meta":{"logLevelName":"ERROR","logLevelName":"INFO"}}`,
      `{"0":"dup level","_meta":{"logLevelName":"INFO","x":1,"logLevelName":"ERROR"}}`,
      `{"0":"dup level","_meta":{"logLevelName":"INFO","logLevel\\u004eame":"ERROR"}}`,
      `{"0":"dup part","0":"403 Kimi",${meta('INFO')}}`,
      `{"0":"dup time",${meta('INFO')},"time":"x","time":"${T(3)}"}`,
      `{"0":"meta not object","_meta":"ERROR"}`,
      `{"_meta":{"logLevelName":"WARN"}}`,
      `{"1":"no meta"}`,
      `{"other":"json"}`,
      `[1,2,3]`,
      `{"0":"spaced", "_meta": {"logLevelName": "INFO"}}`,
      `  {"0":"leading space",${meta('INFO')}}  `,
      `{"0":"half written",${meta('INFO')}`,
      `{"0":"bad \\x escape",${meta('INFO')}}`,
      // plain text
      '2026-11-23T21:48:25.247Z ERROR something failed',
      '[2026-11-23 21:48:25] WARN careful',
      'plain line with no level',
      'plain 403 Kimi For Coding',
      '   ',
      '\t',
      '',
    );
    return out;
  }

  async function both(files: string[], maxBytesPerFile?: number) {
    const fast = await readLogEvidence(files, { maxBytesPerFile });
    const slow = await readLogEvidence(files, { maxBytesPerFile, exhaustive: true });
    expect(fast).toEqual(slow);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(slow)); // key order too (levelCounts)
    return fast;
  }

  it('the real V1 log, whole and cut at many window sizes', async () => {
    expect(await tailText(V1_LOG)).toBeDefined(); // the shortcut is taken
    const sizes = [undefined, 1, 100, 700, 1000, 5000, 20_000, 50_000, 84_152, 84_153, 84_154];
    for (const s of sizes) await both([V1_LOG], s);
    const whole = await both([V1_LOG]);
    expect(whole.lineCounts.total).toBe(121);
  });

  it('a generated log with every error kind, level, plain text, CRLF, escapes and non-ASCII', async () => {
    const dir = tempDir();
    const lines = variedLines();
    const lf = write(path.join(dir, 'lf.log'), lines.join('\n') + '\n');
    const crlf = write(path.join(dir, 'crlf.log'), lines.join('\r\n'));
    const mixed = write(path.join(dir, 'mixed.log'), lines.map((l, i) => l + (i % 3 ? '\n' : '\r\r\n')).join(''));
    for (const f of [lf, crlf, mixed]) {
      expect(await tailText(f)).toBeDefined();
      const size = fs.statSync(f).size;
      for (const s of [undefined, 10, 333, 1234, Math.floor(size / 2), size - 1, size, size + 1]) await both([f], s);
    }
    await both([lf, crlf, mixed]);
    const r = await both([lf]);
    expect(r.errors.length).toBeGreaterThan(10);
    expect(r.thinkingRuns.length).toBeGreaterThan(0);
  });

  it('falls back to the per-line path, with the same result, for invalid UTF-8, NUL, BOM and very long lines', async () => {
    const dir = tempDir();
    const lines = variedLines().map((l) => Buffer.from(l + '\n'));
    const bad = [
      Buffer.from([0xff, 0xfe, 0x41, 0x0a]),
      Buffer.from([0xc3, 0x0a]), // a cut multi-byte character
      Buffer.from([0x00, 0x00, 0x00]), // a copytruncate hole
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(tslogLine('after a BOM') + '\n')]),
      Buffer.from(tslogLine('x'.repeat(1024 * 1024 + 10)) + '\n'), // over the 1 MiB line cap
    ];
    const files = bad.map((b, i) => write(path.join(dir, `bad-${i}.log`), Buffer.concat([...lines.slice(0, 40), b, ...lines.slice(40)])));
    for (const f of files) {
      const data = fs.readFileSync(f);
      const size = data.length;
      const at = lines.slice(0, 40).reduce((n, l) => n + l.length, 0); // where the odd bytes start
      const around = Array.from({ length: 13 }, (_, k) => size - at + k - 6);
      for (const s of [undefined, 500, Math.floor(size / 3), ...around]) await both([f], s);
    }
    // A window that starts inside a multi-byte character is still read by the shortcut.
    const cut = write(path.join(dir, 'cut.log'), tslogLine('\u2014\u2014\u2014') + '\n' + tslogLine('ok') + '\n');
    for (let s = 1; s < 200; s++) await both([cut], s);
    await both([...files, cut, path.join(dir, 'missing.log'), dir]);
  });

  it('random shuffles of the real and generated lines', async () => {
    const dir = tempDir();
    const real = fs.readFileSync(V1_LOG, 'utf8').split('\n').filter(Boolean);
    const pool = [...real, ...variedLines()];
    const rand = rng(20261123);
    for (let round = 0; round < 25; round++) {
      const n = 20 + Math.floor(rand() * 200);
      const picked = Array.from({ length: n }, () => pool[Math.floor(rand() * pool.length)]);
      const eol = rand() < 0.3 ? '\r\n' : '\n';
      const f = write(path.join(dir, `shuffle-${round}.log`), picked.join(eol) + (rand() < 0.5 ? eol : ''));
      const size = fs.statSync(f).size;
      await both([f], rand() < 0.3 ? undefined : 1 + Math.floor(rand() * size));
    }
    await both(fs.readdirSync(dir).map((n) => path.join(dir, n)), 4096);
  });
});
