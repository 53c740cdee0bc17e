// Read-only access to the SQLite files OpenClaw 2026.9 writes (state/openclaw.sqlite, agents/<id>/agent/
// openclaw-agent.sqlite), safe while the gateway runs. Uses `node:sqlite` (Node 22.13+ without a flag;
// 2026.9 itself needs Node >= 24.16, so its users have it); on an older Node the reader says so plainly.
//
// How a file is opened, and why (the doctor must never disturb the running product):
// - A `-wal` file beside it means the database is in WAL mode and probably open by the gateway: it is opened
//   `mode=ro`, a WAL reader. WAL readers never block the writer, and a read-only connection never checkpoints,
//   never deletes the WAL and never writes the database file. Committed rows still in the WAL are seen.
// - A `-journal` beside it means a rollback-mode write is in progress right now (or a crashed one waits to be
//   rolled back): the file may be half-written, so it is not read; the caller reports "busy".
// - Otherwise (the files the product leaves behind are `journal_mode=delete`): `mode=ro&immutable=1`, which
//   takes no lock at all and creates no file, so a gateway that starts writing is never made to wait. If the
//   file changed while it was read, it is read once more.
import fs from 'node:fs';

/** The part of node:sqlite's API used here (its types are not in @types/node 20). */
interface StatementSync {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** Only `VACUUM INTO` is run through it: it writes a new file and never the database read. */
  run(...params: unknown[]): unknown;
}
export interface SqliteDb {
  prepare(sql: string): StatementSync;
  exec(sql: string): void;
  close(): void;
}
interface SqliteModule {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean; enableForeignKeyConstraints?: boolean }) => SqliteDb;
}

export type SqliteProblemKind = 'node-too-old' | 'missing' | 'busy' | 'corrupt' | 'unreadable';

export interface SqliteProblem {
  kind: SqliteProblemKind;
  path: string;
  /** One line, for the finding. */
  detail: string;
}

export type SqliteRead<T> = { ok: true; value: T } | { ok: false; problem: SqliteProblem };

let loaded: Promise<SqliteModule | undefined> | undefined;

/**
 * node:sqlite when this Node has it. Node 22 prints an ExperimentalWarning on first load; it is not the
 * user's concern (stderr stays clean), so that one warning is dropped.
 */
export function loadSqlite(): Promise<SqliteModule | undefined> {
  loaded ??= (async () => {
    const emit = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      const text = typeof warning === 'string' ? warning : warning.message;
      if (/SQLite/i.test(text)) return;
      (emit as (w: string | Error, ...r: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      return (await import('node:sqlite' as string)) as SqliteModule;
    } catch {
      return undefined;
    } finally {
      process.emitWarning = emit;
    }
  })();
  return loaded;
}

/** What to tell a user whose Node cannot read the 2026.9 databases. */
export function nodeTooOldDetail(what: string): string {
  return (
    `${what} is a SQLite database; reading it needs Node 22.13 or newer (node:sqlite), and this is Node ${process.versions.node}. ` +
    'OpenClaw 2026.9 itself needs Node 24.16+: run claw-doctor with that Node (e.g. `npx -y node@24 $(which claw-doctor)`).'
  );
}

function exists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

const ERR_BUSY = new Set([5, 6]); // SQLITE_BUSY, SQLITE_LOCKED
const ERR_CORRUPT = new Set([11, 26]); // SQLITE_CORRUPT, SQLITE_NOTADB

function problemOf(file: string, e: unknown): SqliteProblem {
  const code = typeof e === 'object' && e !== null && 'errcode' in e ? Number((e as { errcode: unknown }).errcode) & 0xff : undefined;
  const msg = e instanceof Error ? e.message : String(e);
  if (code !== undefined && ERR_BUSY.has(code)) return { kind: 'busy', path: file, detail: `the database is locked by another process (${msg})` };
  if (code !== undefined && ERR_CORRUPT.has(code)) return { kind: 'corrupt', path: file, detail: `the file is not a readable SQLite database (${msg})` };
  return { kind: 'unreadable', path: file, detail: msg };
}

function uriOf(file: string, immutable: boolean): string {
  // A URI keeps `?` and `#` in a path from being read as URI syntax.
  const escaped = encodeURI(file).replace(/\?/g, '%3f').replace(/#/g, '%23');
  return `file:${escaped}?mode=ro${immutable ? '&immutable=1' : ''}`;
}

function stamp(file: string): string {
  const st = fs.statSync(file);
  return `${st.size}:${st.mtimeMs}`;
}

/**
 * Opens `file` read-only (see the header for how), runs `read`, closes. Never throws: a missing, busy,
 * corrupt or unreadable file, or a Node without node:sqlite, is a problem to report.
 */
export async function withReadOnlyDb<T>(file: string, read: (db: SqliteDb) => T): Promise<SqliteRead<T>> {
  if (!exists(file)) return { ok: false, problem: { kind: 'missing', path: file, detail: 'no such file' } };
  const sqlite = await loadSqlite();
  if (!sqlite) return { ok: false, problem: { kind: 'node-too-old', path: file, detail: nodeTooOldDetail('The file') } };
  const wal = exists(`${file}-wal`);
  if (!wal && exists(`${file}-journal`)) {
    return { ok: false, problem: { kind: 'busy', path: file, detail: 'another process is writing it right now (a -journal file is beside it); run again in a moment' } };
  }
  for (let attempt = 0; ; attempt++) {
    let db: SqliteDb | undefined;
    try {
      const before = wal ? '' : stamp(file);
      db = new sqlite.DatabaseSync(uriOf(file, !wal), { readOnly: true, enableForeignKeyConstraints: false });
      // A WAL reader waits briefly for a checkpoint to finish instead of failing at once.
      if (wal) db.exec('PRAGMA busy_timeout = 250');
      const value = read(db);
      if (!wal && stamp(file) !== before && attempt === 0) continue; // written while read: read it again
      return { ok: true, value };
    } catch (e) {
      const p = problemOf(file, e);
      // An immutable read of a file that changed under it can look corrupt: once more, then report.
      if (p.kind === 'corrupt' && !wal && attempt === 0) continue;
      return { ok: false, problem: p };
    } finally {
      try {
        db?.close();
      } catch {
        /* closing a read-only handle cannot lose anything */
      }
    }
  }
}

/** `true` when `table` exists (the product's own check before reading a table). */
export function hasTable(db: SqliteDb, table: string): boolean {
  return db.prepare("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** Columns of `table`, for tolerating a newer schema that renamed one. */
export function columnsOf(db: SqliteDb, table: string): Set<string> {
  const rows = db.prepare('SELECT name FROM pragma_table_info(?)').all(table);
  return new Set(rows.map((r) => (r as { name?: unknown }).name).filter((n): n is string => typeof n === 'string'));
}
