// OpenClaw 2026.9 keeps keys and sessions in SQLite. These tests read the real files openclaw 2026.9.6 wrote
// (test/fixtures/openclaw-2026.9.6, copied to a temp dir first) and generated stores (empty, 5,000 sessions,
// locked, corrupt, newer schema, held open in WAL mode by another process), and prove the reader never
// changes a byte, an mtime or the files beside a database. On a Node without node:sqlite (20) the SQLite cases
// are skipped and the plain "needs a newer Node" finding is tested instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAgentDb, createStateDb, sessionIdOf } from '../bench/v3-agent-db.mjs';
import { readAuthStoreV3 } from '../src/facts/auth-store-v3.js';
import { detectPoisoning, readSessions, type SessionsReport } from '../src/facts/sessions.js';
import { loadSqlite, withReadOnlyDb } from '../src/facts/sqlite.js';
import { V3_FIXTURES, findingsFor } from './support/doctor.js';

const HAS_SQLITE = (await loadSqlite()) !== undefined;
const NEEDS = `node:sqlite is missing on Node ${process.versions.node} (needs 22.13+): the SQLite cases run on Node 22/24 (.ci/run)`;
const SETUPS = ['healthy', 'gate-no-ua', 'badkey', 'developer-role'] as const;
const GATE = '403: {"error":{"message":"Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.","type":"access_terminated_error"}}';

const temps: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-v3-'));
  temps.push(d);
  return d;
}

/** A copy of one fixture setup's `.openclaw` state dir. */
function copySetup(setup: (typeof SETUPS)[number]): string {
  const dest = path.join(tempDir(), '.openclaw');
  fs.cpSync(path.join(V3_FIXTURES, setup, 'home', '.openclaw'), dest, { recursive: true });
  return dest;
}

/** Name, size, mtime and content hash of every file in a dir: what "nothing changed" means. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const st = fs.statSync(p);
    if (!st.isFile()) continue;
    out[name] = `${st.size}:${st.mtimeMs}:${createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`;
  }
  return out;
}

const agentDb = (stateDir: string) => path.join(stateDir, 'agents', 'main', 'agent', 'openclaw-agent.sqlite');
const errorsOf = (r: SessionsReport) => r.agents.flatMap((a) => a.transcripts.flatMap((t) => t.errors));
const kinds = (r: SessionsReport) => r.problems.map((p) => p.kind);

/** A child process running `code` under this Node; resolves once it prints "ready". */
function holdOpen(code: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (d) => (err += String(d)));
    child.stdout?.on('data', (d) => String(d).includes('ready') && resolve(child));
    child.on('exit', (c) => reject(new Error(`holder exited ${c}: ${err}`)));
  });
}

describe.skipIf(!HAS_SQLITE)('sessions and transcripts from the real 2026.9.6 agent databases', () => {
  it.each([
    ['healthy', undefined, undefined],
    ['gate-no-ua', 403, 'client-gate'],
    ['badkey', 401, 'invalid-key'],
    ['developer-role', 400, 'developer-role'],
  ] as const)('%s: the stored transcript is read and its error classified', async (setup, status, cause) => {
    const dir = copySetup(setup);
    const r = await readSessions(dir, { now: Date.parse('2026-12-01T22:00:00Z') });
    expect(r.problems).toEqual([]);
    expect(r.agents).toHaveLength(1);
    const a = r.agents[0];
    expect(a).toMatchObject({ agentId: 'main', layout: 'sqlite', database: agentDb(dir) });
    expect(a.store.entries.map((e) => e.key)).toEqual(['agent:main:main']);
    const [t] = a.transcripts;
    expect(t).toMatchObject({ hasHeader: true, headerVersion: 4, listed: true });
    expect(a.store.entries[0].transcriptExists).toBe(true);
    const errors = errorsOf(r);
    if (status === undefined) {
      expect(errors).toEqual([]);
      expect(t.lastOkMs).toBeGreaterThan(0);
      return;
    }
    expect(errors).toHaveLength(1);
    expect(errors[0].status).toBe(status);
    expect(errors[0].text.startsWith(String(status))).toBe(true);
    expect(errors[0].cause).toBeDefined();
    expect(String(errors[0].cause)).toContain(cause === 'client-gate' ? 'gate' : cause === 'invalid-key' ? 'key' : 'developer');
    expect(t.provider).toBe(setup === 'developer-role' ? 'kimi-code' : 'kimi');
  });

  it('reading changes nothing: no byte, no mtime, no -wal/-shm/-journal beside the databases', async () => {
    const dir = copySetup('developer-role');
    const agentDir = path.dirname(agentDb(dir));
    const stateDir = path.join(dir, 'state');
    const before = [snapshot(agentDir), snapshot(stateDir)];
    await readSessions(dir);
    await readAuthStoreV3(dir);
    expect([snapshot(agentDir), snapshot(stateDir)]).toEqual(before);
  });
});

describe.skipIf(!HAS_SQLITE)('generated agent databases', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-v3-gen-'));
    return () => fs.rmSync(root, { recursive: true, force: true });
  });
  const stateWith = async (name: string, opts: Parameters<typeof createAgentDb>[1]) => {
    const dir = path.join(root, name, '.openclaw');
    await createAgentDb(agentDb(dir), opts);
    return dir;
  };

  it('empty (schema, no session): no sessions, no problem', async () => {
    const r = await readSessions(await stateWith('empty', { sessions: 0 }));
    expect(r.problems).toEqual([]);
    expect(r.agents[0]).toMatchObject({ layout: 'sqlite', transcriptCount: 0, transcripts: [] });
  });

  it('5,000 sessions: all counted, only the newest 500 read, newest first; errors found in them', async () => {
    const errors = { 4999: GATE, 4500: GATE, 10: GATE };
    const dir = await stateWith('many', { sessions: 5000, events: 6, pad: 20, errors });
    const r = await readSessions(dir);
    const a = r.agents[0];
    expect(a.store.entries).toHaveLength(5000);
    expect(a.transcriptCount).toBe(5000);
    expect(a.transcripts).toHaveLength(500);
    expect(a.transcripts[0].sessionId).toBe(sessionIdOf(4999));
    // Session 10 is older than the newest 500: not read (the bound that keeps a 200 MB database cheap).
    expect(errorsOf(r).map((e) => e.sessionId).sort()).toEqual([sessionIdOf(4500), sessionIdOf(4999)].sort());
  });

  it('a session longer than the event window: its newest events and its header are read', async () => {
    const dir = await stateWith('long', { sessions: 1, events: 40, errors: { 0: GATE } });
    const r = await readSessions(dir, { maxEventsPerSession: 10 });
    const [t] = r.agents[0].transcripts;
    expect(t).toMatchObject({ partial: true, lines: 10, hasHeader: true, headerVersion: 4 });
    expect(t.errors).toHaveLength(1);
  });

  it('zstd-compressed events (event_zstd) are read like plain ones', async () => {
    const dir = await stateWith('zstd', { sessions: 1, events: 6 });
    const { DatabaseSync } = (await loadSqlite())!;
    const zlib = (await import('node:zlib')) as unknown as { zstdCompressSync?: (b: Buffer) => Buffer };
    if (!zlib.zstdCompressSync) return; // Node < 22.15: the reader says so instead (counted as not read)
    const db = new DatabaseSync(agentDb(dir));
    const event = JSON.stringify({ type: 'message', timestamp: new Date().toISOString(), message: { role: 'assistant', stopReason: 'error', errorMessage: GATE } });
    db.prepare('INSERT INTO transcript_events (session_id, seq, event_json, created_at, event_zstd, event_utf8_bytes, navigation_json) VALUES (?, 50, NULL, ?, ?, ?, ?)').run(
      sessionIdOf(0),
      Date.now(),
      zlib.zstdCompressSync(Buffer.from(event)),
      Buffer.byteLength(event),
      '{"version":1}',
    );
    db.close();
    const r = await readSessions(dir);
    expect(r.problems).toEqual([]);
    expect(errorsOf(r).map((e) => e.status)).toEqual([403]);
  });

  it('role errors poison the session a key points at; once the key points at a new transcript (a reset), they do not', async () => {
    const ROLE = "400 Invalid request: role 'developer' is not allowed";
    const dir = await stateWith('poison', { sessions: 2, events: 4, errors: { 0: ROLE, 1: ROLE } });
    const before = detectPoisoning(await readSessions(dir), { minRepeats: 1 });
    expect(before.sessions.map((x) => x.key).sort()).toEqual(['agent:main:chat-1', 'agent:main:main']);
    const { DatabaseSync } = (await loadSqlite())!;
    const db = new DatabaseSync(agentDb(dir));
    db.prepare("UPDATE session_nodes SET current_session_id = 'fresh' WHERE session_key = 'agent:main:main'").run();
    db.close();
    const after = detectPoisoning(await readSessions(dir), { minRepeats: 1 });
    expect(after.sessions.map((x) => x.key)).toEqual(['agent:main:chat-1']);
  });

  it('newer schema: read, with a clear problem', async () => {
    const r = await readSessions(await stateWith('newer', { sessions: 2, schemaVersion: 99, errors: { 1: GATE } }));
    expect(kinds(r)).toEqual(['database-newer-schema']);
    expect(r.problems[0].detail).toMatch(/schema version 99 .*knows up to 23/);
    expect(errorsOf(r)).toHaveLength(1);
  });

  it('corrupt: a clear problem, never a throw', async () => {
    const dir = path.join(root, 'corrupt', '.openclaw');
    fs.mkdirSync(path.dirname(agentDb(dir)), { recursive: true });
    fs.writeFileSync(agentDb(dir), Buffer.alloc(64 * 1024, 0x5a));
    const r = await readSessions(dir);
    expect(kinds(r)).toEqual(['database-unreadable']);
    expect(r.problems[0].detail).toMatch(/not a readable SQLite database/);
    expect(r.agents[0].transcripts).toEqual([]);
  });

  it('a table missing: a clear problem', async () => {
    const dir = await stateWith('missing-table', { sessions: 1 });
    const { DatabaseSync } = (await loadSqlite())!;
    const db = new DatabaseSync(agentDb(dir));
    db.exec('DROP TABLE transcript_events');
    db.close();
    const r = await readSessions(dir);
    expect(kinds(r)).toEqual(['database-unreadable']);
    expect(r.problems[0].detail).toMatch(/no table transcript_events/);
  });

  it('locked by a write in progress (rollback journal): "busy", and the writer is not disturbed', async () => {
    const dir = await stateWith('locked', { sessions: 1 });
    const file = agentDb(dir);
    const holder = await holdOpen(`
      import { DatabaseSync } from 'node:sqlite';
      const db = new DatabaseSync(${JSON.stringify(file)}, { enableForeignKeyConstraints: false });
      db.exec('BEGIN IMMEDIATE');
      db.prepare("INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES ('x', 1, '{}', 1)").run();
      db.exec('PRAGMA cache_spill = 1');
      console.log('ready');
      process.stdin.resume(); setInterval(() => {}, 1000);
    `);
    expect(fs.existsSync(`${file}-journal`)).toBe(true);
    const before = snapshot(path.dirname(file));
    const r = await readSessions(dir);
    expect(kinds(r)).toEqual(['database-busy']);
    expect(r.problems[0].detail).toMatch(/writing it right now/);
    expect(snapshot(path.dirname(file))).toEqual(before);
    holder.kill('SIGKILL');
  });

  it('held open in WAL mode by another process: committed rows in the WAL are read, nothing is changed', async () => {
    const dir = await stateWith('wal', { sessions: 1, journal: 'wal' });
    const file = agentDb(dir);
    const id = sessionIdOf(0);
    const event = JSON.stringify({ type: 'message', timestamp: new Date().toISOString(), message: { role: 'assistant', stopReason: 'error', errorMessage: GATE } });
    await holdOpen(`
      import { DatabaseSync } from 'node:sqlite';
      const db = new DatabaseSync(${JSON.stringify(file)}, { enableForeignKeyConstraints: false });
      db.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0');
      db.prepare('INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES (?, 100, ?, ?)').run(${JSON.stringify(id)}, ${JSON.stringify(event)}, Date.now());
      console.log('ready');
      setInterval(() => {}, 1000);
    `);
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    const dbBefore = snapshot(path.dirname(file));
    const r = await readSessions(dir);
    expect(r.problems).toEqual([]);
    expect(errorsOf(r).map((e) => e.status)).toEqual([403]);
    const after = snapshot(path.dirname(file));
    // The database and its WAL are byte- and mtime-identical; the -shm (shared memory the holder created)
    // may record the reader's read mark, which is how a WAL reader avoids locking the writer out.
    expect(Object.keys(after)).toEqual(Object.keys(dbBefore));
    expect(after['openclaw-agent.sqlite']).toBe(dbBefore['openclaw-agent.sqlite']);
    expect(after['openclaw-agent.sqlite-wal']).toBe(dbBefore['openclaw-agent.sqlite-wal']);
  });
});

describe.skipIf(!HAS_SQLITE)('the 2026.9 auth profile store', () => {
  it('the real store: the profile, where it is stored, and the cooldown the 401 left', async () => {
    const dir = copySetup('badkey');
    const s = await readAuthStoreV3(dir);
    expect(s.problem).toBeUndefined();
    expect(s.location).toBe('state-db');
    expect(s.profiles).toEqual([expect.objectContaining({ name: 'kimi:default', provider: 'kimi', type: 'api_key', source: 'state/openclaw.sqlite, authProfiles.store' })]);
    expect(s.profiles[0].key).toMatch(/^sk-kimi-revoked-/);
    expect(s.secrets).toContain(s.profiles[0].key);
    expect(s.usage).toEqual([expect.objectContaining({ name: 'kimi:default', cooldownReason: 'auth', errorCount: 1, unusableUntil: 1796159928339 })]);
  });

  it('the later of cooldownUntil and disabledUntil is when the profile is usable again', async () => {
    const dir = path.join(tempDir(), '.openclaw');
    await createStateDb(path.join(dir, 'state', 'openclaw.sqlite'), {
      profiles: { 'kimi:default': { type: 'api_key', provider: 'kimi', key: 'sk-kimi-test-aaaaaaaaaaaaaaaa' } },
      usage: { 'kimi:default': { cooldownUntil: 2000, disabledUntil: 5000, disabledReason: 'billing' } },
    });
    const s = await readAuthStoreV3(dir);
    expect(s.usage[0]).toMatchObject({ unusableUntil: 5000, disabledReason: 'billing' });
  });

  it('a cooldown running now is a warning with its end; the doctor does not clear it', async () => {
    const h = tempDir();
    const dir = path.join(h, '.openclaw');
    const until = Date.now() + 25 * 60_000;
    await createStateDb(path.join(dir, 'state', 'openclaw.sqlite'), {
      profiles: { 'kimi:default': { type: 'api_key', provider: 'kimi', key: 'sk-kimi-test-bbbbbbbbbbbbbbbbbbbb' } },
      usage: { 'kimi:default': { cooldownUntil: until, cooldownReason: 'auth', errorCount: 2, lastFailureAt: Date.now() - 60_000 } },
    });
    fs.writeFileSync(path.join(dir, 'openclaw.json'), JSON.stringify({ meta: { lastTouchedVersion: '2026.9.6' } }));
    const home = { home: h } as Parameters<typeof findingsFor>[0];
    const { findings } = await findingsFor(home, { only: ['auth.cooldown'] });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warn', cause: 'cooldown-stuck' });
    const iso = new Date(until).toISOString();
    const day = iso.slice(0, 10) === new Date().toISOString().slice(0, 10) ? '' : `${iso.slice(0, 10)} `;
    expect(findings[0].title).toBe(`Auth profile kimi:default is unusable until ${day}${iso.slice(11, 19)}Z (25 min from now)`);
    expect(findings[0].detail).toMatch(/After 2 failure\(s\).*cooldown \(auth\) until .*restarting the gateway does not end it/s);
    expect(findings[0].fix).toContain("openclaw models auth login --provider kimi --profile-id 'kimi:default'");
    expect(findings[0].repair).toBeUndefined();
    expect(JSON.stringify(findings)).not.toContain('sk-kimi-test-');
  });

  it('a profile declared in auth.profiles whose key is not in the store: the missing key, and the product\'s command to store it', async () => {
    const h = tempDir();
    const dir = path.join(h, '.openclaw');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(V3_FIXTURES, 'healthy', 'home', '.openclaw', 'openclaw.json'), path.join(dir, 'openclaw.json'));
    await createStateDb(path.join(dir, 'state', 'openclaw.sqlite'), { profiles: {} });
    const { findings } = await findingsFor({ home: h } as Parameters<typeof findingsFor>[0], { only: ['provider.api-key'] });
    expect(findings.map((f) => [f.severity, f.title])).toEqual([['error', 'No API key found for provider "kimi": auth profile kimi:default has no key in the store']]);
    expect(findings[0].fix).toContain("openclaw models auth login --provider kimi --profile-id 'kimi:default'");
    expect(findings[0].evidence?.[0]).toMatch(/openclaw\.json:\d+:\d+ \(auth\.profiles\["kimi:default"\]\)$/);
  });

  it('no state database: an empty store, no problem', async () => {
    const s = await readAuthStoreV3(path.join(tempDir(), '.openclaw'));
    expect(s).toMatchObject({ exists: false, profiles: [], usage: [] });
    expect(s.problem).toBeUndefined();
  });

  it('malformed store JSON, or a state database without the table: no profile, no throw', async () => {
    const { DatabaseSync } = (await loadSqlite())!;
    const bad = path.join(tempDir(), '.openclaw');
    await createStateDb(path.join(bad, 'state', 'openclaw.sqlite'));
    const db = new DatabaseSync(path.join(bad, 'state', 'openclaw.sqlite'));
    db.prepare("UPDATE config_machine_state SET value_json = '{not json' WHERE state_key = 'authProfiles.store'").run();
    db.close();
    expect(await readAuthStoreV3(bad)).toMatchObject({ exists: true, profiles: [], usage: [] });

    const bare = path.join(tempDir(), '.openclaw');
    fs.mkdirSync(path.join(bare, 'state'), { recursive: true });
    const empty = new DatabaseSync(path.join(bare, 'state', 'openclaw.sqlite'));
    empty.exec('CREATE TABLE other (a)');
    empty.close();
    const s = await readAuthStoreV3(bare);
    expect(s.profiles).toEqual([]);
    expect(s.problem).toBeUndefined();
  });

  it('a corrupt state database: a problem, never a throw', async () => {
    const dir = path.join(tempDir(), '.openclaw');
    fs.mkdirSync(path.join(dir, 'state'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'state', 'openclaw.sqlite'), 'not a database'.repeat(500));
    const s = await readAuthStoreV3(dir);
    expect(s.problem?.kind).toBe('corrupt');
  });
});

describe.skipIf(HAS_SQLITE)('on a Node without node:sqlite', () => {
  it('the sessions are "not read", with the Node that is needed, never "0 sessions" or a crash', async () => {
    const dir = copySetup('gate-no-ua');
    const r = await readSessions(dir);
    expect(kinds(r)).toEqual(['database-needs-newer-node']);
    expect(r.problems[0].detail).toMatch(/Node 22\.13 or newer.*this is Node 20/);
    const s = await readAuthStoreV3(dir);
    expect(s.problem?.kind).toBe('node-too-old');
    const read = await withReadOnlyDb(agentDb(dir), () => 1);
    expect(read.ok).toBe(false);
  });
});

it.runIf(!HAS_SQLITE)(HAS_SQLITE ? 'node:sqlite is here: the SQLite cases run' : `SQLite cases skipped here: ${NEEDS}`, () => {
  expect(HAS_SQLITE).toBe(false);
});
