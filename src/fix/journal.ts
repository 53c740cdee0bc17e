// The fixer's journal: every run that changes something writes
// `<stateDir>/claw-doctor/journal-<YYYYMMDD-HHMMSS>[-N].json`, one entry per change, rewritten after each
// change so a run cut short still leaves a true record. `undoLast` reverts the newest run that was not
// undone yet, refusing (unless forced) when a file changed since we wrote it: the user or the product
// (`config set`, onboarding — clawdbot.md §2) may have edited it after us, and undo must not eat that.
import fs from 'node:fs/promises';
import path from 'node:path';
import { backupFile, isErrno, sha256File, timestampForName, writeAtomic } from './files.js';
import { restoreSessions } from './sessions-backup.js';

export interface FileEditChange {
  kind: 'file.edit';
  file: string;
  /** Byte-identical copy of the file before the change (files.ts backupFile). */
  backup: string;
  sha256Before: string;
  sha256After: string;
  summary: string;
  at: string;
}

export interface FileCreateChange {
  kind: 'file.create';
  file: string;
  sha256After: string;
  summary: string;
  at: string;
}

export interface SessionsResetChange {
  kind: 'sessions.reset';
  sessionsDir: string;
  backupsDir: string;
  archive: string;
  archiveSha256: string;
  files: number;
  summary: string;
  at: string;
}

/** A gateway restart (src/fix/gateway-restart.ts): recorded before the stop; nothing to revert. */
export interface GatewayRestartChange {
  kind: 'gateway.restart';
  port: number;
  pidBefore: number | null;
  summary: string;
  at: string;
}

export type JournalChange = FileEditChange | FileCreateChange | SessionsResetChange | GatewayRestartChange;

/** A change as recorded by the caller; the journal stamps `at`. */
export type NewJournalChange = Omit<FileEditChange, 'at'> | Omit<FileCreateChange, 'at'> | Omit<SessionsResetChange, 'at'> | Omit<GatewayRestartChange, 'at'>;

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

/** One run's journal. The file is created by the first `record`: runs that change nothing leave none. */
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

  async record(change: NewJournalChange): Promise<string> {
    this.doc.changes.push({ ...change, at: this.now().toISOString() } as JournalChange);
    const file = this.file ?? (await this.reserveFile());
    this.file = file;
    await writeAtomic(file, `${JSON.stringify(this.doc, null, 2)}\n`);
    return file;
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

/** Every readable journal in the state dir, oldest first. Unreadable ones are skipped. */
export async function readJournals(stateDir: string): Promise<StoredJournal[]> {
  const dir = journalDir(stateDir);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return [];
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isJournalChange(v: unknown): v is JournalChange {
  if (!isRecord(v)) return false;
  const str = (k: string): boolean => typeof v[k] === 'string';
  switch (v.kind) {
    case 'file.edit':
      return str('file') && str('backup') && str('sha256Before') && str('sha256After');
    case 'file.create':
      return str('file') && str('sha256After');
    case 'sessions.reset':
      return str('sessionsDir') && str('backupsDir') && str('archive') && str('archiveSha256');
    case 'gateway.restart':
      return typeof v.port === 'number';
    default:
      return false;
  }
}

export type UndoResult =
  | { status: 'nothing'; message: string }
  | { status: 'refused'; journal: string; message: string; conflicts: string[] }
  | { status: 'undone'; journal: string; message: string; restored: string[]; savedCurrent: string[] };

/**
 * Reverts the newest run not yet undone: restores each edited file from its backup (byte-identical),
 * deletes created files, puts archived sessions back. Checks everything before touching anything.
 * With `force`, files changed since are backed up and then restored anyway; a missing or damaged
 * backup always refuses.
 */
export async function undoLast(stateDir: string, opts: { force?: boolean; now?: () => Date } = {}): Promise<UndoResult> {
  const now = opts.now ?? (() => new Date());
  const journals = await readJournals(stateDir);
  const target = [...journals].reverse().find((j) => !j.doc.undoneAt && j.doc.changes.length > 0);
  if (!target) return { status: 'nothing', message: `No claw-doctor change to undo (no journal in ${journalDir(stateDir)}).` };

  const changes = [...target.doc.changes].reverse();
  const { conflicts, broken } = await checkUndo(changes);
  if (broken.length > 0) {
    return { status: 'refused', journal: target.path, conflicts: broken, message: `Cannot undo ${target.path}: ${broken.join('; ')}.` };
  }
  if (conflicts.length > 0 && !opts.force) {
    return {
      status: 'refused',
      journal: target.path,
      conflicts,
      message:
        `Not undoing ${path.basename(target.path)}: ${conflicts.join('; ')}. ` +
        `Undo anyway with --force (the current files are backed up first).`,
    };
  }

  const restored: string[] = [];
  const savedCurrent: string[] = [];
  for (const change of changes) {
    const outcome = await undoChange(change, now);
    restored.push(outcome.restored);
    if (outcome.saved) savedCurrent.push(outcome.saved);
  }
  const marked: JournalDocument = { ...target.doc, undoneAt: now().toISOString() };
  await writeAtomic(target.path, `${JSON.stringify(marked, null, 2)}\n`);
  return { status: 'undone', journal: target.path, restored, savedCurrent, message: `Undid ${restored.length} change(s) from ${path.basename(target.path)}.` };
}

/** Conflicts (files changed since) can be forced; broken (backups gone or damaged) cannot. */
async function checkUndo(changesNewestFirst: JournalChange[]): Promise<{ conflicts: string[]; broken: string[] }> {
  const conflicts: string[] = [];
  const broken: string[] = [];
  // The same file may have been edited twice in one run: each older change expects the state the
  // newer one started from.
  const expected = new Map<string, string | null>();
  for (const change of changesNewestFirst) {
    if (change.kind === 'sessions.reset') {
      if ((await sha256File(change.archive)) !== change.archiveSha256) broken.push(`the sessions archive ${change.archive} is missing or changed`);
      continue;
    }
    if (change.kind === 'gateway.restart') continue;
    const current = expected.has(change.file) ? expected.get(change.file)! : await sha256File(change.file);
    if (change.kind === 'file.edit') {
      if ((await sha256File(change.backup)) !== change.sha256Before) broken.push(`the backup ${change.backup} is missing or changed`);
      if (current !== change.sha256After) conflicts.push(`${change.file} ${current === null ? 'was deleted' : 'changed'} since claw-doctor edited it`);
      expected.set(change.file, change.sha256Before);
    } else {
      if (current !== null && current !== change.sha256After) conflicts.push(`${change.file} changed since claw-doctor created it`);
      expected.set(change.file, null);
    }
  }
  return { conflicts, broken };
}

async function undoChange(change: JournalChange, now: () => Date): Promise<{ restored: string; saved?: string }> {
  switch (change.kind) {
    case 'file.edit': {
      const saved = await saveIfChanged(change.file, change.sha256After, now);
      await writeAtomic(change.file, await fs.readFile(change.backup));
      if ((await sha256File(change.file)) !== change.sha256Before) throw new Error(`restoring ${change.file} did not give back the original bytes`);
      return { restored: `${change.file} restored from ${change.backup}`, saved };
    }
    case 'file.create': {
      const saved = await saveIfChanged(change.file, change.sha256After, now);
      await fs.rm(change.file, { force: true });
      return { restored: `${change.file} removed`, saved };
    }
    case 'gateway.restart':
      return { restored: `nothing to revert for the gateway restart on port ${change.port}` };
    case 'sessions.reset': {
      const r = await restoreSessions(change.archive, change.sessionsDir, change.backupsDir, { now: now() });
      return { restored: `${r.files} session file(s) restored to ${change.sessionsDir} from ${change.archive}`, saved: r.savedCurrent };
    }
  }
}

/** Under --force: a file someone changed after us is backed up before undo overwrites it. */
async function saveIfChanged(file: string, ourSha: string, now: () => Date): Promise<string | undefined> {
  const current = await sha256File(file);
  if (current === null || current === ourSha) return undefined;
  return backupFile(file, { now: now() });
}
