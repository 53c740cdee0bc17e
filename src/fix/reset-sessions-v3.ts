// `--reset-sessions` on OpenClaw 2026.9, whose sessions live in agents/<id>/agent/openclaw-agent.sqlite.
// Deleting files (the JSONL reset, reset-sessions.ts) would throw away the whole agent database, so the reset
// goes through the path the product itself uses: its gateway's `sessions.reset` method (the control UI's
// "clear chat history"; `openclaw gateway call sessions.reset --params '{"key":…,"reason":"reset"}'`, params
// schema SessionsResetParamsSchema: key, reason "new" | "reset"). The product then starts a fresh
// transcript for the session key and archives the old one itself (session_transcript_archives, reason
// "reset"). claw-doctor never writes the product's database.
// Sequence: back up the database (`VACUUM INTO` from a read-only connection: a consistent snapshot that
// never blocks the gateway writing in WAL mode) → verify the copy (integrity_check, the same session keys) →
// only then ask the gateway to reset each session key → read the database again to confirm each key now
// points at a new transcript. With no gateway answering, nothing is touched and the output says why.
import fs from 'node:fs';
import path from 'node:path';
import { hasTable, withReadOnlyDb, type SqliteDb } from '../facts/sqlite.js';
import { agentDbPath } from '../facts/sessions-v3.js';
import { sha256File } from './files.js';
import { runCli, type GatewayCli } from './gateway.js';
import type { Journal, SessionsResetDbChange } from './journal.js';
import type { ResetSessionsResult, ResetStep } from './reset-sessions.js';

export interface V3ResetTarget {
  stateDir: string;
  agentId: string;
  /** `<stateDir>/agents/<agentId>/agent/openclaw-agent.sqlite`. */
  database: string;
  backupsDir: string;
  /** The session keys to reset (session_nodes), with the transcript each points at now. */
  sessions: { key: string; sessionId: string }[];
}

/** The 2026.9 agent database of `agentId`, when there is one (then the JSONL reset does not apply). */
export function v3AgentDatabase(stateDir: string, agentId: string): string | undefined {
  const db = agentDbPath(path.join(stateDir, 'agents', agentId));
  return fs.existsSync(db) ? db : undefined;
}

function sessionsOf(db: SqliteDb): { key: string; sessionId: string }[] {
  if (!hasTable(db, 'session_nodes')) return [];
  return db
    .prepare('SELECT session_key, current_session_id FROM session_nodes ORDER BY session_key')
    .all()
    .map((r) => r as { session_key?: unknown; current_session_id?: unknown })
    .filter((r) => typeof r.session_key === 'string' && typeof r.current_session_id === 'string')
    .map((r) => ({ key: r.session_key as string, sessionId: r.current_session_id as string }));
}

/** What a reset would touch, read without changing anything; a string is why it cannot be planned. */
export async function planV3Reset(stateDir: string, agentId: string, backupsDir: string): Promise<V3ResetTarget | string> {
  const database = v3AgentDatabase(stateDir, agentId);
  if (!database) return `no agent database for agent ${agentId}`;
  const r = await withReadOnlyDb(database, sessionsOf);
  if (!r.ok) return `the sessions in ${database} cannot be read (${r.problem.detail}).`;
  if (!r.value.length) return `nothing to reset: agent ${agentId} has no session in ${database}.`;
  return { stateDir, agentId, database, backupsDir, sessions: r.value };
}

export function previewV3Reset(t: V3ResetTarget, gatewayUp: boolean, cliDisplay: string, port: number, show: (p: string) => string): string[] {
  return [
    `     ${t.sessions.length} session(s) in ${show(t.database)} (OpenClaw 2026.9 keeps them in SQLite): ${t.sessions.map((s) => s.key).join(', ')}`,
    `     copy the database to ${show(t.backupsDir)}/agent-${t.agentId}-<date>-<time>.sqlite and check the copy,`,
    `     then ask the running gateway to reset each session (\`${cliDisplay} gateway call sessions.reset\`; the product archives the old transcript),`,
    gatewayUp
      ? `     and read the database again to confirm each session starts afresh. The gateway answers on port ${port}.`
      : `     — but nothing answers on port ${port}: the reset needs the gateway running and will not be attempted.`,
    '     `claw-doctor undo` puts the copy back (with the gateway stopped around it).',
  ];
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

/** A consistent copy of the database, made from a read-only connection; the copy is checked before use. */
async function backUp(t: V3ResetTarget, now: Date): Promise<{ file: string } | { error: string }> {
  fs.mkdirSync(t.backupsDir, { recursive: true, mode: 0o700 });
  const file = path.join(t.backupsDir, `agent-${t.agentId}-${stamp(now)}.sqlite`);
  if (fs.existsSync(file)) return { error: `${file} already exists` };
  const made = await withReadOnlyDb(t.database, (db) => {
    db.prepare('VACUUM INTO ?').run(file);
    return sessionsOf(db).map((s) => s.key);
  });
  if (!made.ok) return { error: made.problem.detail };
  fs.chmodSync(file, 0o600);
  const check = await withReadOnlyDb(file, (db) => ({
    integrity: String(Object.values((db.prepare('PRAGMA integrity_check').get() as Record<string, unknown>) ?? {})[0]),
    keys: sessionsOf(db).map((s) => s.key),
  }));
  if (!check.ok) return { error: `the copy cannot be read back: ${check.problem.detail}` };
  if (check.value.integrity !== 'ok') return { error: `the copy fails its integrity check: ${check.value.integrity}` };
  const want = t.sessions.map((s) => s.key);
  if (!want.every((k) => check.value.keys.includes(k))) return { error: 'the copy does not hold every session' };
  return { file };
}

export interface V3ResetOptions {
  target: V3ResetTarget;
  cli: GatewayCli;
  port: number;
  gatewayIsUp(port: number): Promise<boolean>;
  timeoutMs?: number;
  now?: Date;
  /** The intent is recorded before the gateway is asked, so `claw-doctor undo` can put the copy back. */
  journal?: Journal;
}

/** Back up, verify, reset through the gateway, confirm. Never throws; the result says where things stand. */
export async function resetSessionsV3(o: V3ResetOptions): Promise<ResetSessionsResult> {
  const t = o.target;
  const steps: ResetStep[] = [];
  const base = { steps, removed: 0, gateway: 'running' as ResetSessionsResult['gateway'] };
  const untouched = (failedAt: ResetStep['step'], state: string, instruction: string, archive?: string): ResetSessionsResult => ({
    ...base,
    ok: false,
    failedAt,
    sessions: 'untouched',
    archive,
    state,
    instruction,
  });

  if (!(await o.gatewayIsUp(o.port))) {
    steps.push({ step: 'clear', status: 'skipped', detail: `nothing answers on port ${o.port}` });
    return {
      ...untouched(
        'clear',
        'The sessions were not touched: OpenClaw 2026.9 resets a session through its running gateway, and none answers.',
        `Start the gateway (\`${o.cli.display} gateway start\`) and run claw-doctor --reset-sessions again, or send /reset in the affected chat.`,
      ),
      gateway: 'not-running',
    };
  }

  const backup = await backUp(t, o.now ?? new Date());
  if ('error' in backup) {
    steps.push({ step: 'archive', status: 'failed', detail: backup.error });
    return untouched('archive', `The sessions were not touched: the backup failed (${backup.error}).`, `Check that ${t.backupsDir} is writable.`);
  }
  steps.push({ step: 'archive', status: 'ok', detail: `database copied to ${backup.file}` });
  steps.push({ step: 'verify', status: 'ok', detail: 'the copy passes integrity_check and holds every session' });

  let entry: number | undefined;
  if (o.journal) {
    try {
      entry = await o.journal.intend({
        kind: 'sessions.reset-db',
        database: t.database,
        backup: backup.file,
        backupSha256: (await sha256File(backup.file)) ?? '',
        keys: t.sessions.map((s) => s.key),
        summary: `reset the sessions of agent ${t.agentId} (${t.sessions.length}) through the gateway`,
      });
    } catch (e) {
      return untouched('clear', `The sessions were not touched: the journal could not be written (${(e as Error).message}).`, `A change without a journal could not be undone; the copy is in ${backup.file}.`, backup.file);
    }
  }
  const failed: string[] = [];
  for (const s of t.sessions) {
    const run = await runCli(o.cli, ['gateway', 'call', 'sessions.reset', '--params', JSON.stringify({ key: s.key, reason: 'reset' }), '--json'], o.timeoutMs ?? 30_000);
    if (run.exitCode !== 0) failed.push(`${s.key}: ${run.output.trim().split('\n').pop() ?? `exit ${run.exitCode}`}`);
  }

  // Confirm from the database itself: each reset key points at a new transcript.
  const after = await withReadOnlyDb(t.database, sessionsOf);
  const now = after.ok ? new Map(after.value.map((s) => [s.key, s.sessionId])) : new Map<string, string>();
  const reset = t.sessions.filter((s) => now.has(s.key) ? now.get(s.key) !== s.sessionId : after.ok);
  const notReset = t.sessions.filter((s) => !reset.includes(s));
  steps.push({
    step: 'clear',
    status: notReset.length ? 'failed' : 'ok',
    detail: notReset.length
      ? `${notReset.length} of ${t.sessions.length} session(s) not reset${failed.length ? ` (${failed.join('; ')})` : ''}`
      : `${reset.length} session(s) reset by the gateway; the product archived their old transcripts`,
  });
  if (entry !== undefined) {
    if (reset.length) await o.journal!.done(entry);
    else await o.journal!.cancel(entry);
  }
  const restore = `To put the old sessions back: \`claw-doctor undo\` (it stops the gateway, puts the copy back, starts it).`;
  if (notReset.length) {
    return {
      ...base,
      ok: false,
      failedAt: 'clear',
      sessions: reset.length ? 'partly-cleared' : 'untouched',
      archive: backup.file,
      removed: reset.length,
      state: `${reset.length} of ${t.sessions.length} session(s) were reset; ${notReset.map((s) => s.key).join(', ')} were not.`,
      instruction: `Send /reset in the remaining chats, or run again. ${restore}`,
    };
  }
  return { ...base, ok: true, sessions: 'cleared', archive: backup.file, removed: reset.length, state: `${reset.length} session(s) of agent ${t.agentId} reset; a verified copy of the database is in ${backup.file}.`, instruction: restore };
}

// ---------------------------------------------------------------------------------------------------
// Undo: with the gateway stopped (undo.ts), the database, its -wal and -shm are moved aside (kept, never
// deleted) and the verified copy is put in their place, byte for byte.

export async function checkUndoV3Reset(change: SessionsResetDbChange): Promise<{ broken?: string }> {
  if ((await sha256File(change.backup)) !== change.backupSha256) return { broken: `the database copy ${change.backup} is missing or changed` };
  return {};
}

export async function undoV3Reset(change: SessionsResetDbChange, now: Date): Promise<{ restored: string; saved?: string }> {
  const saved = `${change.database}.claw-doctor-undo-${stamp(now)}`;
  let moved = false;
  for (const suffix of ['', '-wal', '-shm']) {
    const from = `${change.database}${suffix}`;
    if (!fs.existsSync(from)) continue;
    fs.renameSync(from, `${saved}${suffix}`);
    moved = true;
  }
  const tmp = `${change.database}.claw-doctor-tmp`;
  fs.copyFileSync(change.backup, tmp);
  if ((await sha256File(tmp)) !== change.backupSha256) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`the copy of ${change.backup} does not match the one made at the reset`);
  }
  fs.renameSync(tmp, change.database);
  return { restored: `the agent database ${change.database} from ${change.backup} (sessions ${change.keys.join(', ')} as they were)`, saved: moved ? saved : undefined };
}
