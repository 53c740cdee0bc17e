import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectPoisoning, readSessions, type SessionsReport } from '../src/facts/sessions.js';
import {
  V1_MAIN_SESSION,
  V1_PROBE_SESSION,
  V1_STATE,
  assistantError,
  assistantOk,
  cleanupTemp,
  copyTree,
  lines,
  sessionHeader,
  setMtime,
  tempDir,
  userMessage,
  write,
} from './support/logs-fixtures.js';

afterEach(cleanupTemp);

const NOW = Date.parse('2026-11-23T22:00:00Z');
const DEV_ROLE = "400 Invalid request: role 'developer' is not allowed";
const t = (sec: number) => new Date(Date.parse('2026-11-23T21:00:00Z') + sec * 1000).toISOString();

function v1State(): string {
  return copyTree(V1_STATE, path.join(tempDir(), 'state'));
}

/** A state dir with one agent `main` holding the given transcripts (name → content) and store. */
function makeState(transcripts: Record<string, string>, store?: unknown): { stateDir: string; sessionsDir: string } {
  const stateDir = tempDir();
  const sessionsDir = path.join(stateDir, 'agents', 'main', 'sessions');
  fs.mkdirSync(sessionsDir, { recursive: true });
  for (const [name, text] of Object.entries(transcripts)) write(path.join(sessionsDir, name), text);
  if (store !== undefined) write(path.join(sessionsDir, 'sessions.json'), typeof store === 'string' ? store : JSON.stringify(store));
  return { stateDir, sessionsDir };
}

const kinds = (r: SessionsReport) => r.problems.map((p) => p.kind).sort();

describe('readSessions on the real V1 state', () => {
  it('reads the store, both transcripts and the raw provider errors', async () => {
    const stateDir = v1State();
    const r = await readSessions(stateDir, { now: NOW });
    expect(r.exists).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.legacyDirs).toEqual([]);
    expect(r.agents.map((a) => [a.agentId, a.layout])).toEqual([['main', 'agents']]);
    const main = r.agents[0];
    expect(main.agentDir).toBe(path.join(stateDir, 'agents', 'main'));

    expect(main.store.entries).toEqual([
      expect.objectContaining({
        key: 'agent:main:main',
        sessionId: V1_MAIN_SESSION,
        updatedAt: 1795470515447,
        model: 'kimi-for-coding',
        modelProvider: 'kimi-code',
        thinkingLevel: undefined,
        transcriptExists: true,
      }),
    ]);

    expect(main.transcriptCount).toBe(2);
    expect(main.transcriptBytes).toBe(2865 + 1442);
    const tr = main.transcripts.find((x) => x.sessionId === V1_MAIN_SESSION)!;
    expect(tr).toMatchObject({ hasHeader: true, headerVersion: 3, lines: 10, thinkingLevel: 'low', provider: 'kimi-code', model: 'kimi-for-coding', listed: true, partial: false });
    expect(tr.lastOkMs).toBe(Date.parse('2026-11-23T21:48:19.958Z'));
    expect(tr.lastActivityMs).toBe(Date.parse('2026-11-23T21:48:35.437Z'));
    expect(tr.errors).toEqual([
      expect.objectContaining({ status: 403, line: 8, provider: 'kimi-code', model: 'kimi-for-coding', api: 'openai-completions', cause: 'client-gate', time: '2026-11-23T21:48:25.226Z' }),
      expect.objectContaining({ status: 400, line: 10, text: DEV_ROLE, cause: 'developer-role' }),
    ]);
    const probe = main.transcripts.find((x) => x.sessionId === V1_PROBE_SESSION)!;
    expect(probe).toMatchObject({ listed: false, thinkingLevel: 'off', errorCount: 1 });
  });

  it('finds no poisoning without a fix time (one role error is not a pattern)', async () => {
    const r = await readSessions(v1State(), { now: NOW });
    expect(detectPoisoning(r).sessions).toEqual([]);
  });

  it('calls the session poisoned when the role error comes after the config fix', async () => {
    const stateDir = v1State();
    const r = await readSessions(stateDir, { now: NOW });
    const p = detectPoisoning(r, { configFixedAt: Date.parse('2026-11-23T21:48:30Z') });
    expect(p.sessions).toEqual([
      expect.objectContaining({
        sessionId: V1_MAIN_SESSION,
        key: 'agent:main:main',
        confidence: 'strong',
        roleErrors: 1,
        afterFix: 1,
        samples: [DEV_ROLE],
      }),
    ]);
    expect(p.agents).toEqual([
      { agentId: 'main', agentDir: path.join(stateDir, 'agents', 'main'), sessionsDir: path.join(stateDir, 'agents', 'main', 'sessions') },
    ]);
    // Fixed after the last failure and not retried since: worth mentioning, not proven.
    const later = detectPoisoning(r, { configFixedAt: Date.parse('2026-11-23T21:50:00Z') });
    expect(later.sessions.map((s) => s.confidence)).toEqual(['possible']);
  });
});

describe('readSessions integrity problems', () => {
  it('reports a transcript cut mid-line (last line, no newline) without calling it a parse error', async () => {
    const text = lines(sessionHeader('s1'), userMessage('hi', t(1))) + '{"type":"message","timestamp":"2026-11-23T21:00:02';
    const { stateDir } = makeState({ 's1.jsonl': text }, { 'agent:main:main': { sessionId: 's1', updatedAt: 1 } });
    const r = await readSessions(stateDir, { now: NOW });
    expect(kinds(r)).toEqual(['cut-mid-line']);
    expect(r.problems[0]).toMatchObject({ sessionId: 's1', line: 3 });
  });

  it('reports a broken line in the middle with its line number', async () => {
    const text = lines(sessionHeader('s1'), 'not json at all', userMessage('hi', t(1)), '{"also": broken}');
    const { stateDir } = makeState({ 's1.jsonl': text });
    const r = await readSessions(stateDir, { now: NOW });
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'transcript-parse', line: 2, detail: expect.stringMatching(/^2 line/) })]);
  });

  it('reports a transcript without its session header (recreated mid-run, §7)', async () => {
    const { stateDir } = makeState({ 's1.jsonl': lines(userMessage('hi', t(1)), assistantOk(t(2))) }, { k: { sessionId: 's1' } });
    const r = await readSessions(stateDir, { now: NOW });
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'missing-header', sessionId: 's1', line: 1 })]);
    expect(r.agents[0].transcripts[0].hasHeader).toBe(false);
  });

  it('reports a sessions.json entry whose transcript is missing', async () => {
    const { stateDir, sessionsDir } = makeState(
      { 'present.jsonl': lines(sessionHeader('present')) },
      { 'agent:main:main': { sessionId: 'present' }, 'agent:main:telegram:42': { sessionId: 'gone', updatedAt: 5 } },
    );
    const r = await readSessions(stateDir, { now: NOW });
    expect(r.problems).toEqual([
      expect.objectContaining({ kind: 'orphan-entry', key: 'agent:main:telegram:42', sessionId: 'gone', path: path.join(sessionsDir, 'gone.jsonl') }),
    ]);
    expect(r.agents[0].store.entries.find((e) => e.sessionId === 'gone')?.transcriptExists).toBe(false);
  });

  it('honours a sessionFile path in the entry', async () => {
    const { stateDir } = makeState({ 'custom-name.jsonl': lines(sessionHeader('x')) }, { k: { sessionId: 'x', sessionFile: 'custom-name.jsonl' } });
    const r = await readSessions(stateDir, { now: NOW });
    expect(r.problems).toEqual([]);
    expect(r.agents[0].transcripts[0].listed).toBe(true);
  });

  it('reports a sessions.json that does not parse, with the line', async () => {
    const { stateDir } = makeState({}, '{\n  "agent:main:main": {\n    "sessionId": "a",\n  }\n');
    const r = await readSessions(stateDir, { now: NOW });
    // The `}` after the trailing comma, line 4 (from `at position N`, or `(line 4 column 3)` on newer Node).
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'store-parse', line: 4 })]);
  });

  it('reports entries of the wrong shape', async () => {
    const { stateDir } = makeState({}, { a: 'not an object', b: { updatedAt: 1 } });
    const r = await readSessions(stateDir, { now: NOW });
    expect(kinds(r)).toEqual(['store-shape', 'store-shape']);
  });

  it('reports stale locks (older than 30 min), file or directory, and ignores fresh ones', async () => {
    const { stateDir, sessionsDir } = makeState({ 's1.jsonl': lines(sessionHeader('s1')) }, { k: { sessionId: 's1' } });
    const storeLock = write(path.join(sessionsDir, 'sessions.json.lock'), '');
    const dirLock = path.join(sessionsDir, 's1.jsonl.lock');
    fs.mkdirSync(dirLock);
    const fresh = write(path.join(sessionsDir, 'other.jsonl.lock'), '');
    setMtime(storeLock, NOW - 31 * 60_000);
    setMtime(dirLock, NOW - 2 * 3600_000);
    setMtime(fresh, NOW - 60_000);
    const r = await readSessions(stateDir, { now: NOW });
    expect(r.problems.map((p) => [p.kind, p.path]).sort()).toEqual([
      ['stale-lock', dirLock],
      ['stale-lock', storeLock],
    ]);
    expect(r.agents[0].locks.find((l) => l.path === fresh)).toMatchObject({ stale: false });
  });

  it('reads the legacy layout and says so', async () => {
    const stateDir = tempDir();
    write(path.join(stateDir, 'sessions', 'old.jsonl'), lines(sessionHeader('old'), assistantError(t(1), '401 Invalid Authentication')));
    write(path.join(stateDir, 'sessions', 'sessions.json'), JSON.stringify({ main: { sessionId: 'old' } }));
    fs.mkdirSync(path.join(stateDir, 'agent'));
    const r = await readSessions(stateDir, { now: NOW });
    expect(kinds(r)).toEqual(['legacy-layout']);
    expect(r.legacyDirs.sort()).toEqual([path.join(stateDir, 'agent'), path.join(stateDir, 'sessions')]);
    expect(r.agents).toEqual([expect.objectContaining({ layout: 'legacy', agentDir: stateDir })]);
    expect(r.agents[0].transcripts[0].errors[0]).toMatchObject({ status: 401 });
  });

  it('returns an empty report for a missing state dir, and for an empty one', async () => {
    const missing = await readSessions(path.join(tempDir(), 'nope'), { now: NOW });
    expect(missing).toMatchObject({ exists: false, agents: [], problems: [] });
    const empty = await readSessions(tempDir(), { now: NOW });
    expect(empty).toMatchObject({ exists: true, agents: [], problems: [] });
  });

  it('reads only the end of a transcript over the cap, still checking its header', async () => {
    const filler = Array.from({ length: 400 }, (_, i) => userMessage(`message ${i}`, t(i)));
    const text = lines(sessionHeader('big'), ...filler, assistantError(t(999), DEV_ROLE));
    const { stateDir } = makeState({ 'big.jsonl': text });
    const r = await readSessions(stateDir, { now: NOW, maxTranscriptBytes: 4096 });
    const tr = r.agents[0].transcripts[0];
    expect(tr).toMatchObject({ partial: true, hasHeader: true, errorCount: 1 });
    expect(tr.lines).toBeLessThan(100);
    expect(tr.errors[0]).toMatchObject({ line: undefined, cause: 'developer-role' });
    expect(r.problems).toEqual([]);
  });

  it('keeps only the newest errors of a transcript but counts them all', async () => {
    const errs = Array.from({ length: 30 }, (_, i) => assistantError(t(i), `429 Too Many Requests #${i}`));
    const { stateDir } = makeState({ 's.jsonl': lines(sessionHeader('s'), ...errs) });
    const tr = (await readSessions(stateDir, { now: NOW, maxErrorsPerTranscript: 5 })).agents[0].transcripts[0];
    expect(tr.errorCount).toBe(30);
    expect(tr.errors.map((e) => e.text.split('#')[1])).toEqual(['25', '26', '27', '28', '29']);
  });
});

describe('detectPoisoning', () => {
  const roleTurns = (n: number, from: number) => Array.from({ length: n }, (_, i) => [userMessage('hi', t(from + 2 * i)), assistantError(t(from + 2 * i + 1), DEV_ROLE)]).flat();

  it('flags repeated role errors with no success since as likely, and skips a recovered session', async () => {
    const { stateDir } = makeState(
      {
        'stuck.jsonl': lines(sessionHeader('stuck'), assistantOk(t(0)), ...roleTurns(3, 10)),
        'recovered.jsonl': lines(sessionHeader('recovered'), ...roleTurns(3, 10), assistantOk(t(100))),
        'other.jsonl': lines(sessionHeader('other'), assistantError(t(5), '403 Kimi For Coding is currently only available for Coding Agents')),
      },
      { 'agent:main:main': { sessionId: 'stuck' } },
    );
    const p = detectPoisoning(await readSessions(stateDir, { now: NOW }));
    expect(p.sessions.map((s) => [s.sessionId, s.confidence, s.roleErrors, s.key])).toEqual([['stuck', 'likely', 3, 'agent:main:main']]);
    expect(p.sessions[0].samples).toHaveLength(3);
    expect(p.agents).toHaveLength(1);
  });

  it('counts only the failures after the config fix as proof', async () => {
    const { stateDir } = makeState({ 's.jsonl': lines(sessionHeader('s'), ...roleTurns(2, 0), ...roleTurns(2, 100)) });
    const p = detectPoisoning(await readSessions(stateDir, { now: NOW }), { configFixedAt: Date.parse(t(50)) });
    expect(p.sessions[0]).toMatchObject({ confidence: 'strong', roleErrors: 4, afterFix: 2 });
  });

  it('recognises the other role texts the product rewrites (§9)', async () => {
    const { stateDir } = makeState({
      's.jsonl': lines(sessionHeader('s'), assistantError(t(1), '400 roles must alternate between user and assistant'), assistantError(t(2), '400 Incorrect role information')),
    });
    expect(detectPoisoning(await readSessions(stateDir, { now: NOW })).sessions).toHaveLength(1);
  });
});
