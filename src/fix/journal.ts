// The fixer's journal: every run that changes something writes
// `<stateDir>/claw-doctor/journal-<YYYYMMDD-HHMMSS>[-N].json`. Each change is written as an *intent* before
// it is made and marked *done* after, so a run cut short anywhere (kill -9, a full disk) leaves a record
// `undo` can act on: it reverts a half-done step from what is on disk, not from what the run believed.
// The file is rewritten (atomically) twice per change, never per file of a change: a sessions restore of
// 20,000 files is one entry. `undo.ts` reverts; the kind modules say how (kinds/*.ts).
import fs from 'node:fs/promises';
import path from 'node:path';
import { isErrno, timestampForName, writeAtomic } from './files.js';
import { isRecord } from '../util/json.js';

type State = { state?: 'intent' | 'done' };

export interface FileEditChange extends State {
  kind: 'file.edit';
  file: string;
  /** Byte-identical copy of the file before the change (files.ts backupFile). */
  backup: string;
  sha256Before: string;
  sha256After: string;
  summary: string;
  at: string;
}

/** Written by journals before the restore entry existed; still undone. */
export interface FileCreateChange extends State {
  kind: 'file.create';
  file: string;
  sha256After: string;
  summary: string;
  at: string;
}

export interface SessionsResetChange extends State {
  kind: 'sessions.reset';
  sessionsDir: string;
  backupsDir: string;
  archive: string;
  archiveSha256: string;
  files: number;
  summary: string;
  at: string;
}

/** One entry of what a restore put on disk: enough for undo to remove exactly that and nothing else. */
export interface RestoredEntry {
  path: string;
  /** sha256 of a file's bytes, or the target of a symlink. */
  sha256?: string;
  link?: string;
}

export interface SessionsRestoreChange extends State {
  kind: 'sessions.restore';
  sessionsDir: string;
  backupsDir: string;
  source: string;
  /** The archive holding the sessions that were there before (undefined when there were none). */
  savedCurrent?: string;
  entries: RestoredEntry[];
  summary: string;
  at: string;
}

/** OpenClaw 2026.9: sessions reset through the gateway, with a verified copy of the agent database (reset-sessions-v3.ts). */
export interface SessionsResetDbChange extends State {
  kind: 'sessions.reset-db';
  database: string;
  backup: string;
  backupSha256: string;
  keys: string[];
  summary: string;
  at: string;
}

/** A gateway restart (kinds/gateway-restart.ts), recorded before the stop. Undo has nothing to revert. */
export interface GatewayRestartChange extends State {
  kind: 'gateway.restart';
  port: number;
  pidBefore: number | null;
  summary: string;
  at: string;
}

export type JournalChange = FileEditChange | FileCreateChange | SessionsResetChange | SessionsRestoreChange | SessionsResetDbChange | GatewayRestartChange;

type Distribute<T> = T extends unknown ? Omit<T, 'at'> : never;
/** A change as recorded by the caller; the journal stamps `at`. */
export type NewJournalChange = Distribute<JournalChange>;

export interface JournalDocument {
  version: 1;
  tool: 'claw-doctor';
  startedAt: string;
  changes: JournalChange[];
  undoneAt?: string;
}

export function journalDir(stateDir: string): string {
  return path.join(stateDir, 'claw-doctor');
}

/** One run's journal. The file is created by the first entry: runs that change nothing leave none. */
export class Journal {
  private file: string | undefined;
  private readonly doc: JournalDocument;

  constructor(
    readonly stateDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.doc = { version: 1, tool: 'claw-doctor', startedAt: this.now().toISOString(), changes: [] };
  }

  /** The journal's path once something was recorded. */
  get path(): string | undefined {
    return this.file;
  }

  get changes(): readonly JournalChange[] {
    return this.doc.changes;
  }

  /**
   * Records what is about to be done, before doing it; returns its handle for `done`. When this throws
   * (a full disk), the caller must not make the change: it could not be undone.
   */
  async intend(change: NewJournalChange): Promise<number> {
    this.doc.changes.push({ ...change, state: 'intent', at: this.now().toISOString() } as JournalChange);
    const id = this.doc.changes.length - 1;
    try {
      await this.write();
    } catch (err) {
      this.doc.changes.pop();
      throw err;
    }
    return id;
  }

  /** Marks an intended change as made, with what only the doing could tell (`patch`). */
  async done(id: number, patch: Partial<NewJournalChange> = {}): Promise<void> {
    const change = this.doc.changes[id];
    if (!change) throw new Error(`no journal entry ${id}`);
    Object.assign(change, patch, { state: 'done' });
    await this.write();
  }

  /** Forgets an intent whose change was not made after all (refused at the last look): nothing to undo. */
  async cancel(id: number): Promise<void> {
    if (this.doc.changes[id]?.state !== 'intent') return;
    this.doc.changes.splice(id, 1);
    await this.write().catch(() => undefined); // an intent left behind is harmless: undo finds nothing changed
  }

  /** A change already made and complete in one step (intent and done at once). */
  async record(change: NewJournalChange): Promise<string> {
    await this.done(await this.intend(change));
    return this.file!;
  }

  private async write(): Promise<void> {
    const file = this.file ?? (await this.reserveFile());
    this.file = file;
    await writeAtomic(file, `${JSON.stringify(this.doc, null, 2)}\n`);
  }

  private async reserveFile(): Promise<string> {
    const dir = journalDir(this.stateDir);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const stem = path.join(dir, `journal-${timestampForName(new Date(this.doc.startedAt))}`);
    for (let n = 0; ; n++) {
      const candidate = n === 0 ? `${stem}.json` : `${stem}-${n}.json`;
      try {
        await fs.writeFile(candidate, '', { flag: 'wx', mode: 0o600 });
        return candidate;
      } catch (err) {
        if (!isErrno(err, 'EEXIST')) throw err;
      }
    }
  }
}

export interface StoredJournal {
  path: string;
  doc: JournalDocument;
}

/**
 * Every readable journal in the state dir, oldest first. Unreadable ones are skipped, and so is the empty
 * file a run reserves before its first write fails (nothing was changed after it: the intent comes first).
 */
export async function readJournals(stateDir: string): Promise<StoredJournal[]> {
  const dir = journalDir(stateDir);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return [];
    throw err;
  }
  const out: StoredJournal[] = [];
  for (const name of names.filter((n) => /^journal-.*\.json$/.test(n))) {
    const file = path.join(dir, name);
    const doc = parseJournal(await fs.readFile(file, 'utf8').catch(() => ''));
    if (doc) out.push({ path: file, doc });
  }
  // startedAt is UTC ISO: ordering does not depend on the local-time file names.
  return out.sort((a, b) => (a.doc.startedAt === b.doc.startedAt ? a.path.localeCompare(b.path) : a.doc.startedAt < b.doc.startedAt ? -1 : 1));
}

/** Rewrites a stored journal (undo marks it undone). */
export async function writeJournal(stored: StoredJournal): Promise<void> {
  await writeAtomic(stored.path, `${JSON.stringify(stored.doc, null, 2)}\n`);
}

function parseJournal(text: string): JournalDocument | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || value.tool !== 'claw-doctor' || value.version !== 1 || typeof value.startedAt !== 'string') return undefined;
  if (!Array.isArray(value.changes) || !value.changes.every(isJournalChange)) return undefined;
  return value as unknown as JournalDocument;
}

function isJournalChange(v: unknown): v is JournalChange {
  if (!isRecord(v)) return false;
  const str = (k: string): boolean => typeof v[k] === 'string';
  if (v.state !== undefined && v.state !== 'intent' && v.state !== 'done') return false;
  switch (v.kind) {
    case 'file.edit':
      return str('file') && str('backup') && str('sha256Before') && str('sha256After');
    case 'file.create':
      return str('file') && str('sha256After');
    case 'sessions.reset':
      return str('sessionsDir') && str('backupsDir') && str('archive') && str('archiveSha256');
    case 'gateway.restart':
      return typeof v.port === 'number';
    case 'sessions.restore':
      return str('sessionsDir') && str('backupsDir') && str('source') && Array.isArray(v.entries) && v.entries.every((e) => isRecord(e) && typeof e.path === 'string');
    case 'sessions.reset-db':
      return str('database') && str('backup') && str('backupSha256') && Array.isArray(v.keys);
    default:
      return false;
  }
}
