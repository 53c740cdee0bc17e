// The cause table (src/causes/) through every reader: each example text of each entry goes through the
// probe's classifier, the log reader (line by line and the fast path, which must agree) and the transcript
// reader, and must come out as the entry's id (or, for a cause that hides behind another, that symptom's id).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CAUSES, causeById, causeWordsPattern, isRoleErrorText, type Cause } from '../src/causes/index.js';
import { classifyProviderError } from '../src/facts/classify.js';
import { readLogEvidence } from '../src/facts/logs.js';
import { readSessions } from '../src/facts/sessions.js';
import { assistantError, cleanupTemp, lines, sessionHeader, tempDir, tslogLine, userMessage, write } from './support/logs-fixtures.js';

afterAll(cleanupTemp);

/** What a reader should call an example of `c`: itself when it has texts of its own, else the symptom it is seen as. */
function expectedId(c: Cause): string {
  return c.texts || c.when ? c.id : (c.shownAs?.[0] ?? c.id);
}

const examples = CAUSES.flatMap((c) => c.examples.map((e, i) => ({ cause: c, example: e, name: `${c.id} #${i + 1} (${e.form}, ${e.source})` })));

/** DEBUG/INFO chatter around the line under test, so the fast path skips real quiet lines. */
const QUIET = [tslogLine('gateway heartbeat ok', { level: 'DEBUG' }), tslogLine('ws client connected', { level: 'INFO' })];

async function logCauses(text: string, level: string): Promise<{ exhaustive: (string | undefined)[]; fast: (string | undefined)[] }> {
  const dir = tempDir('claw-doctor-causes-');
  const file = write(path.join(dir, 'openclaw-2026-11-23.log'), lines(...QUIET, tslogLine(text, { level }), ...QUIET));
  const [slow, fast] = await Promise.all([readLogEvidence([file], { exhaustive: true }), readLogEvidence([file])]);
  return { exhaustive: slow.errors.map((g) => g.cause), fast: fast.errors.map((g) => g.cause) };
}

describe('every example through every reader', () => {
  it.each(examples)('$name', async ({ cause, example }) => {
    const want = expectedId(cause);

    // The probe reads an answer's body the same way.
    expect(classifyProviderError({ raw: example.text }).cause).toBe(want);

    // The log: a WARN line (the fast path may skip it) and an ERROR line; both paths find the same cause.
    for (const level of ['WARN', 'ERROR']) {
      const { exhaustive, fast } = await logCauses(example.text, level);
      expect(exhaustive, `log ${level}, line by line`).toEqual([want]);
      expect(fast, `log ${level}, fast path`).toEqual([want]);
    }

    // The transcript: a failed assistant turn with this errorMessage.
    const state = tempDir('claw-doctor-causes-state-');
    const sessions = path.join(state, 'agents/main/sessions');
    write(path.join(sessions, 'sessions.json'), JSON.stringify({ 'agent:main:main': { sessionId: 's1', updatedAt: 1 } }));
    write(
      path.join(sessions, 's1.jsonl'),
      lines(sessionHeader('s1'), userMessage('hi', '2026-11-23T21:48:20.000Z'), assistantError('2026-11-23T21:48:21.000Z', example.text)),
    );
    const report = await readSessions(state, { now: Date.parse('2026-11-23T22:00:00Z') });
    const errors = report.agents.flatMap((a) => a.transcripts.flatMap((t) => t.errors));
    expect(errors.map((e) => e.cause)).toEqual([want]);
  });
});

describe('the table', () => {
  it('covers all 26 rows of the known-failures catalog', () => {
    const rows = new Set(CAUSES.map((c) => c.row).filter((r) => r !== undefined));
    expect([...rows].sort((a, b) => a! - b!)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
  });

  it('has unique ids, a source and a fix for every entry', () => {
    expect(new Set(CAUSES.map((c) => c.id)).size).toBe(CAUSES.length);
    for (const c of CAUSES) {
      expect(c.sources.length, c.id).toBeGreaterThan(0);
      expect(c.fix ?? c.explain, c.id).toBeTruthy();
      if (!c.confirmed) expect(c.unconfirmed, `${c.id}: say what was not confirmed`).toBeTruthy();
    }
  });

  it('every cause the readers can name has an example, and every entry is recognised or seen as one that is', () => {
    for (const c of CAUSES) {
      if (c.texts) expect(c.examples.length, c.id).toBeGreaterThan(0);
      if (!c.texts && !c.when) {
        expect(c.shownAs?.length ?? c.versions?.length, `${c.id}: neither recognised nor shown as another`).toBeTruthy();
        for (const s of c.shownAs ?? []) expect(causeById(s), `${c.id} shownAs ${s}`).toBeDefined();
      }
    }
  });

  it("each phrase's word is ASCII and in every alternative of its pattern, so the fast path cannot miss a match", () => {
    for (const c of CAUSES) {
      for (const p of c.texts ?? []) {
        expect(p.word, c.id).toMatch(/^[\x21-\x7e]+$/);
        expect(p.word, c.id).not.toMatch(/["\\]/); // JSON would escape these in the raw line
        for (const alt of topLevelAlternatives(p.re.source)) expect(alt.toLowerCase(), `${c.id}: ${p.re.source}`).toContain(p.word.toLowerCase());
      }
    }
  });

  it('the fast path looks for every phrase word of the table', () => {
    const words = causeWordsPattern();
    for (const c of CAUSES) for (const p of c.texts ?? []) expect(p.word.search(words), `${c.id}: ${p.word}`).toBeGreaterThanOrEqual(0);
  });
});

describe('the log fast path is built from the table (the hand-synced word list is gone)', () => {
  // Before src/causes, a text added to PROVIDER_TEXT but not to PROVIDER_WORDS was found line by line and
  // skipped by the fast path: these texts of the catalog share no word with the old list.
  it.each([
    ['Unexpected event order, got message_start before receiving "message_stop"', 'sse-event-order'],
    ['Provider kimi is in cooldown (suspending lanes)', 'profile-cooldown'], // stuck or not is judged later (cooldown-evidence.ts),
    ['Error: write EPROTO 40E7B8D1:error:0A000119:SSL routines:ssl3_get_record:SSLV3_ALERT_BAD_RECORD_MAC', 'stale-proxy-url'],
  ])('%s', async (text, id) => {
    const { exhaustive, fast } = await logCauses(text, 'WARN');
    expect(exhaustive).toEqual([id]);
    expect(fast).toEqual(exhaustive);
  });
});

/** `a|b(c|d)|e` → ['a', 'b(c|d)', 'e']. */
function topLevelAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out.map((a) => a.replace(/\\(.)/g, '$1'));
}

describe('fixtures written by the real products', () => {
  it('the 2026.9.6 gate log line (rewrite + raw preview) is the client gate, on both log paths', async () => {
    const file = path.resolve('test/fixtures/openclaw-2026.9.6/gate-no-ua/log/openclaw-2026-12-01.log');
    const [slow, fast] = await Promise.all([readLogEvidence([file], { exhaustive: true }), readLogEvidence([file])]);
    const causes = (ev: typeof slow) => [...new Set(ev.errors.map((g) => g.cause).filter(Boolean))];
    expect(causes(slow)).toContain('client-gate');
    expect(causes(fast)).toEqual(causes(slow));
    expect(fs.existsSync(file)).toBe(true);
  });
});

describe('the transcript reader uses 2026.9 errorCode/errorBody', () => {
  it('a rewritten errorMessage with the raw weekly-limit body is the weekly quota, not "authentication failed"', async () => {
    const state = tempDir('claw-doctor-causes-state-');
    const sessions = path.join(state, 'agents/main/sessions');
    write(path.join(sessions, 'sessions.json'), JSON.stringify({ 'agent:main:main': { sessionId: 's1', updatedAt: 1 } }));
    const turn = JSON.parse(assistantError('2026-11-23T21:48:21.000Z', '⚠️ kimi/kimi-for-coding request failed (authentication failed, HTTP 403). Re-authenticate the provider and try again.')) as { message: Record<string, unknown> };
    turn.message.errorCode = '403';
    turn.message.errorBody = '{"error":{"message":"You\'ve reached your weekly (7-day) usage limit. Your quota will reset when the current 7-day window ends.","type":"access_terminated_error"}}';
    write(path.join(sessions, 's1.jsonl'), lines(sessionHeader('s1'), JSON.stringify(turn)));
    const report = await readSessions(state);
    expect(report.agents.flatMap((a) => a.transcripts.flatMap((t) => t.errors.map((e) => e.cause)))).toEqual(['quota-weekly']);
  });
});

describe('severity follows what the user can do', () => {
  it('a used-up quota stops every request: an error, with when it resets in the vendor\'s words', () => {
    const c = classifyProviderError({ raw: causeById('quota-weekly')!.examples[0]!.text });
    expect(c.severity).toBe('error');
    expect(c.detail).toContain('The vendor says: "Your quota will reset when the current 7-day window ends."');
    const billing = classifyProviderError({ raw: causeById('quota-billing')!.examples[0]!.text });
    expect(billing).toMatchObject({ cause: 'quota-billing', severity: 'error' });
    expect(billing.detail).toContain('"Your quota will be refreshed in the next cycle."');
    expect(classifyProviderError({ raw: '402 Payment Required' }).severity).toBe('error');
  });

  it('a transient rate limit or overload stays a warning', () => {
    for (const id of ['rate-limit', 'overloaded']) expect(classifyProviderError({ raw: causeById(id)!.examples[0]!.text }).severity, id).toBe('warn');
  });
});

describe('one role-error rule', () => {
  // sessions.ts had its own regex ("400.*role", …) that disagreed with classify.ts: now both read the table.
  it.each([
    ["400 Invalid request: role 'developer' is not allowed", true],
    ['400 {"error":{"message":"unsupported role ROLE_UNSPECIFIED","type":"invalid_request_error"}}', true],
    ['Message ordering conflict - please try again. If this persists, use /new to start a fresh session.', true],
    ['400 {"error":{"message":"Invalid request: the message at position 2 with role \'assistant\' must not be empty"}}', false],
    ["400 thinking is enabled but reasoning_content is missing in assistant tool call message at index 3", false],
  ])('%s → role error: %s', (text, role) => {
    expect(isRoleErrorText(text)).toBe(role);
    expect(classifyProviderError({ raw: text }).cause === 'developer-role').toBe(role);
  });
});

describe("the product's own CLI output (test/fixtures cli/agent-*.txt, written by the real products)", () => {
  /** What the user saw: the last line before `exit=N` that is not a `[subsystem]` log line. */
  const shownText = (file: string): string =>
    fs.readFileSync(path.resolve('test/fixtures', file), 'utf8').split('\n').filter((l) => l && !l.startsWith('[') && !/^exit=\d+$/.test(l)).at(-1)!;
  it.each([
    ['clawdbot-2026.1.24-3/cli/agent-403.txt', 'client-gate'],
    ['clawdbot-2026.1.24-3/cli/agent-ordering.txt', 'developer-role'],
    ['clawdbot-2026.1.24-3/cli/agent-ok.txt', 'unknown'],
    ['openclaw-2026.9.6/gate-no-ua/cli/agent-403.txt', 'auth-rewritten'],
    ['openclaw-2026.9.6/badkey/cli/agent-401.txt', 'auth-rewritten'],
    ['openclaw-2026.9.6/developer-role/cli/agent-devrole-true.txt', 'developer-role'],
    ['openclaw-2026.9.6/healthy/cli/agent-ok-1.txt', 'unknown'],
  ])('%s → %s', (file, id) => {
    expect(classifyProviderError({ raw: shownText(file) }).cause).toBe(id);
  });
});

describe('the 2026.9 gate log: the rewrite is how the user saw the gate, not a second problem', () => {
  it('logs.errors names the client gate once, with what the user saw', async () => {
    const { findingsFor } = await import('./support/doctor.js');
    const { makeTempHome } = await import('./support/temp-home.js');
    const home = makeTempHome({ prefix: 'claw-doctor-causes-gate-' });
    try {
      home.write('.openclaw/openclaw.json', '{ "meta": { "lastTouchedVersion": "2026.9.6" } }');
      const logs = path.join(home.home, 'logs/openclaw');
      const src = fs.readFileSync(path.resolve('test/fixtures/openclaw-2026.9.6/gate-no-ua/log/openclaw-2026-12-01.log'), 'utf8');
      const now = new Date();
      const p = (n: number) => String(n).padStart(2, '0');
      write(path.join(logs, `openclaw-${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}.log`), src);
      const { findings } = await findingsFor(home, {}, { CLAW_DOCTOR_LOG_ROOTS: path.join(home.home, 'logs') });
      const log = findings.filter((f) => f.check === 'logs.errors');
      expect(log.map((f) => f.cause)).not.toContain('auth-rewritten');
      const gate = log.find((f) => f.cause === 'client-gate');
      expect(gate?.detail).toMatch(/The product showed it as "[^"]*authentication failed, HTTP 403/);
    } finally {
      home.cleanup();
    }
  });
});
