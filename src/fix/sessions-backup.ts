// Back up, verify, clear and restore an agent's sessions directory (clawdbot.md §7):
// `<stateDir>/agents/<agentId>/sessions/` holds `sessions.json` and one `<sessionId>.jsonl` transcript
// per session. The setup guide clears it with `rm -rf …/sessions/*` after a `tar -czvf`; we do the same
// with two guarantees the guide lacks: nothing is deleted unless the archive was read back and matched
// file by file, and only the files that were archived (unchanged since) are deleted.
// Archives use the guide's layout (`-C agents/main sessions`): entries start with `sessions/`, so a user
// can restore one by hand with `tar -xzf <archive> -C ~/.clawdbot/agents/main`.
import { createHash } from 'node:crypto';
import fsSync, { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { isErrno, pidAlive, sha256, sha256File, timestampForName } from './files.js';
import type { RestoredEntry } from './journal.js';
import { stepHook } from './step-hook.js';

export interface SessionFile {
  /** Path relative to the sessions directory, with `/` separators. */
  path: string;
  size: number;
  /**
   * Set for a symbolic link: its target, as written (absolute or relative). A link is archived, verified,
   * removed and restored as a link — never followed, so a linked directory's contents (which live
   * elsewhere) are neither archived nor deleted.
   */
  link?: string;
}

export interface ArchiveResult {
  archive: string;
  sessionsDir: string;
  /** The regular files that went into the archive, as listed just before archiving. */
  files: SessionFile[];
}

export interface VerifiedFile extends SessionFile {
  /** The content's sha256; for a link, of its target text. */
  sha256: string;
}

/**
 * Proof that `archive` was read back in full and holds every file of `sessionsDir` with the same size
 * and content. Only `verifyArchive` makes these; `clearSessions` accepts nothing else.
 */
export interface VerifiedArchive {
  readonly verified: true;
  readonly archive: string;
  readonly archiveSha256: string;
  readonly sessionsDir: string;
  readonly files: readonly VerifiedFile[];
}

export type VerifyArchiveResult = { ok: true; verified: VerifiedArchive } | { ok: false; problems: string[] };

export interface ClearResult {
  removed: string[];
  /** Files left in place, with why (changed since the backup, or new). */
  kept: { path: string; reason: string }[];
  /** Files that could not be removed (read-only directory, …): the clear stopped part-way. */
  failed: { path: string; reason: string }[];
}

export interface RestoreResult {
  restoredFrom: string;
  /** Where the sessions that were there before the restore went (undefined when there were none). */
  savedCurrent?: string;
  files: number;
}

/** Journals a restore before it changes anything (undo.ts reverts it); see fix/restore.ts. */
export interface RestoreJournal {
  intend(entries: RestoredEntry[], savedCurrent: string | undefined): Promise<void>;
  done(): Promise<void>;
}

export class SessionsBackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionsBackupError';
  }
}

const issued = new WeakSet<VerifiedArchive>();

/**
 * tar reads 16 MiB at a time by default; a 16 MiB gzip chunk inflates to far more before the parser drains
 * it, which put verification of a 500 MB sessions dir at ~250 MB RSS. 256 KiB keeps memory flat at no cost
 * in time (npm run bench, "Sessions backup").
 */
const READ_SIZE = 256 * 1024;

/** Archives are named `sessions-<YYYYMMDD-HHMMSS>[-N].tar.gz`. */
const ARCHIVE_NAME = /^sessions-\d{8}-\d{6}(?:-\d+)?\.tar\.gz$/;

/**
 * Streams `sessionsDir` into `<backupsDir>/sessions-<timestamp>.tar.gz` (mode 0600: transcripts are
 * private conversations). Never overwrites an earlier archive. A failed archive is removed.
 */
export async function archiveSessions(sessionsDir: string, backupsDir: string, opts: { now?: Date } = {}): Promise<ArchiveResult> {
  const dir = path.resolve(sessionsDir);
  const files = await listSessionFiles(dir);
  await fs.mkdir(backupsDir, { recursive: true, mode: 0o700 });
  const stem = path.join(path.resolve(backupsDir), `sessions-${timestampForName(opts.now)}`);
  await removeStalePartials(backupsDir);
  // Written under a partial name and linked to its real name only when complete: a kill midway leaves no
  // truncated `.tar.gz` that looks like a backup (the partial is removed by the next run).
  const partial = `${stem}.${process.pid}${PARTIAL}`;
  const out = createWriteStream(partial, { flags: 'w', mode: 0o600, flush: true });
  try {
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve());
      out.once('error', reject);
    });
    const pack = tar.c({ gzip: true, cwd: path.dirname(dir), strict: true, maxReadSize: READ_SIZE }, [path.basename(dir)]);
    await pipeline(pack, out);
  } catch (err) {
    out.destroy();
    await fs.rm(partial, { force: true });
    throw new SessionsBackupError(`could not archive ${dir}: ${errorMessage(err)}`);
  }
  for (let n = 0; ; n++) {
    const archive = n === 0 ? `${stem}.tar.gz` : `${stem}-${n}.tar.gz`;
    try {
      await fs.link(partial, archive); // never overwrites an earlier archive
    } catch (err) {
      if (isErrno(err, 'EEXIST')) continue;
      await fs.rm(partial, { force: true });
      throw err;
    }
    await fs.rm(partial, { force: true });
    return { archive, sessionsDir: dir, files };
  }
}

const PARTIAL = '.tar.gz.partial';

/** Partial archives of runs that died (their pid is gone): never a backup, only wasted space. */
export async function removeStalePartials(backupsDir: string): Promise<void> {
  const names = await fs.readdir(backupsDir).catch(() => [] as string[]);
  for (const name of names) {
    const m = /\.(\d+)\.tar\.gz\.partial$/.exec(name);
    if (m && !pidAlive(Number(m[1]))) await fs.rm(path.join(backupsDir, name), { force: true }).catch(() => undefined);
  }
}


/**
 * The regular files and symbolic links under `dir`, recursively, sorted; links are not followed. A missing
 * directory has none; a path that is not a directory is said plainly.
 */
export async function listSessionFiles(dir: string): Promise<SessionFile[]> {
  const out: SessionFile[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
    } catch (err) {
      if (isErrno(err, 'ENOENT') && rel === '') return;
      if (isErrno(err, 'ENOTDIR')) throw new SessionsBackupError(`${path.join(dir, rel)} is not a directory`);
      throw err;
    }
    for (const e of entries) {
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      const full = path.join(dir, relPath);
      if (e.isDirectory()) await walk(relPath);
      else if (e.isSymbolicLink()) out.push({ path: relPath, size: 0, link: await fs.readlink(full) });
      else if (e.isFile()) out.push({ path: relPath, size: (await fs.lstat(full)).size });
    }
  };
  await walk('');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The sha256 a file (or a link, by its target text) is verified by. */
async function entryHash(dir: string, file: SessionFile): Promise<string | null> {
  if (file.link !== undefined) return sha256(file.link);
  return sha256File(path.join(dir, file.path));
}

/**
 * Reads `archive` back completely (gzip and tar checksums) and checks that every file and link now in
 * `sessionsDir` is in it with the same size and sha256 (a link: the same target), and that the archive
 * holds nothing outside the `<sessions>/` prefix.
 */
export async function verifyArchive(archive: string, sessionsDir: string): Promise<VerifyArchiveResult> {
  const dir = path.resolve(sessionsDir);
  const prefix = `${path.basename(dir)}/`;
  const problems: string[] = [];
  let inArchive: Map<string, VerifiedFile>;
  try {
    inArchive = await readArchive(archive, prefix, problems);
  } catch (err) {
    return { ok: false, problems: [`the archive ${archive} cannot be read back: ${errorMessage(err)}`] };
  }
  const onDisk = await listSessionFiles(dir);
  for (const file of onDisk) {
    const archived = inArchive.get(file.path);
    if (!archived) {
      problems.push(`${file.path} is not in the archive`);
      continue;
    }
    if ((archived.link === undefined) !== (file.link === undefined)) {
      problems.push(`${file.path} is a ${file.link === undefined ? 'file' : 'link'} on disk but not in the archive`);
      continue;
    }
    if (archived.size !== file.size) {
      problems.push(`${file.path}: ${archived.size} bytes in the archive, ${file.size} on disk`);
      continue;
    }
    if ((await entryHash(dir, file)) !== archived.sha256) problems.push(`${file.path} differs from its archived copy`);
  }
  if (problems.length > 0) return { ok: false, problems };
  const verified: VerifiedArchive = Object.freeze({
    verified: true as const,
    archive: path.resolve(archive),
    archiveSha256: (await sha256File(archive)) ?? '',
    sessionsDir: dir,
    files: Object.freeze(onDisk.map((f) => inArchive.get(f.path)!)),
  });
  issued.add(verified);
  return { ok: true, verified };
}

/** Lists the archive with content hashes. Unsafe or out-of-prefix entries are reported as problems. */
async function readArchive(archive: string, prefix: string, problems: string[]): Promise<Map<string, VerifiedFile>> {
  const files = new Map<string, VerifiedFile>();
  const pending: Promise<void>[] = [];
  await tar.t({
    file: archive,
    strict: true,
    maxReadSize: READ_SIZE,
    onReadEntry: (entry) => {
      const p = entry.path.replace(/\/+$/, '');
      if (path.posix.isAbsolute(p) || p.split('/').includes('..') || !(p === prefix.slice(0, -1) || p.startsWith(prefix))) {
        problems.push(`unexpected entry in the archive: ${p}`);
        return;
      }
      const rel = p.slice(prefix.length);
      if (entry.type === 'SymbolicLink') {
        const link = entry.linkpath ?? '';
        files.set(rel, { path: rel, size: 0, link, sha256: sha256(link) });
        return;
      }
      if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') return;
      const hash = createHash('sha256');
      let size = 0;
      entry.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      });
      pending.push(
        new Promise<void>((resolve) => {
          entry.on('end', () => {
            files.set(rel, { path: rel, size, sha256: hash.digest('hex') });
            resolve();
          });
        }),
      );
    },
  });
  await Promise.all(pending);
  return files;
}

/**
 * Deletes the archived files and links from `sessionsDir`, given proof from `verifyArchive`. Files that
 * changed since (a gateway still writing) or appeared since are left in place and reported; a file that
 * cannot be removed is reported in `failed` and the rest still go (the caller journaled the intent).
 */
export async function clearSessions(sessionsDir: string, verified: VerifiedArchive): Promise<ClearResult> {
  const dir = path.resolve(sessionsDir);
  if (!issued.has(verified)) throw new SessionsBackupError('refusing to delete sessions: the archive was not verified');
  if (verified.sessionsDir !== dir) {
    throw new SessionsBackupError(`refusing to delete ${dir}: the verified archive is of ${verified.sessionsDir}`);
  }
  if ((await sha256File(verified.archive)) !== verified.archiveSha256) {
    throw new SessionsBackupError(`refusing to delete sessions: the archive ${verified.archive} changed or vanished since it was verified`);
  }
  const archived = new Map(verified.files.map((f) => [f.path, f]));
  const result: ClearResult = { removed: [], kept: [], failed: [] };
  for (const file of await listSessionFiles(dir)) {
    const copy = archived.get(file.path);
    if (!copy) {
      result.kept.push({ path: file.path, reason: 'new since the backup' });
      continue;
    }
    if (file.size !== copy.size || (file.link === undefined) !== (copy.link === undefined) || (await entryHash(dir, file)) !== copy.sha256) {
      result.kept.push({ path: file.path, reason: 'changed since the backup' });
      continue;
    }
    try {
      await fs.unlink(path.join(dir, file.path)); // a link itself, never its target
      result.removed.push(file.path);
      stepHook('sessions.removed');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) continue;
      result.failed.push({ path: file.path, reason: errorMessage(err) });
    }
  }
  await removeEmptyDirs(dir).catch(() => undefined);
  return result;
}

/** Removes empty subdirectories (deepest first), never `dir` itself. */
async function removeEmptyDirs(dir: string): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const sub = path.join(dir, e.name);
    await removeEmptyDirs(sub);
    await fs.rmdir(sub).catch(() => undefined); // not empty: kept
  }
}

/** The newest `sessions-*.tar.gz` in `backupsDir`, by the timestamp in its name. */
export async function latestSessionsArchive(backupsDir: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await fs.readdir(backupsDir);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
  const archives = names.filter((n) => ARCHIVE_NAME.test(n)).sort(compareArchiveNames);
  const last = archives[archives.length - 1];
  return last ? path.join(path.resolve(backupsDir), last) : undefined;
}

function compareArchiveNames(a: string, b: string): number {
  const key = (n: string): [string, number] => {
    const m = /^sessions-(\d{8}-\d{6})(?:-(\d+))?\.tar\.gz$/.exec(n)!;
    return [m[1]!, Number(m[2] ?? 0)];
  };
  const [ta, na] = key(a);
  const [tb, nb] = key(b);
  return ta === tb ? na - nb : ta < tb ? -1 : 1;
}

/**
 * Puts a sessions archive back (the latest in `backupsDir` by default). What is in `sessionsDir` now is
 * archived, verified and cleared first, so a restore never loses anything either. With `journal`, the
 * restore is journaled (one entry, whatever the number of files) before anything is cleared.
 */
export async function restoreSessions(
  archive: string | undefined,
  sessionsDir: string,
  backupsDir: string,
  opts: { now?: Date; journal?: RestoreJournal } = {},
): Promise<RestoreResult> {
  const dir = path.resolve(sessionsDir);
  // Chosen before archiving the current sessions, which would otherwise become "the latest".
  const source = archive ? path.resolve(archive) : await latestSessionsArchive(backupsDir);
  if (!source) throw new SessionsBackupError(`no sessions archive found in ${backupsDir}`);
  const { top, contents } = await readForRestore(source);

  let savedCurrent: string | undefined;
  let verifiedCurrent: VerifiedArchive | undefined;
  if ((await listSessionFiles(dir)).length > 0) {
    const saved = await archiveSessions(dir, backupsDir, opts);
    const check = await verifyArchive(saved.archive, dir);
    if (!check.ok) throw new SessionsBackupError(`could not safely set the current sessions aside: ${check.problems.join('; ')}`);
    savedCurrent = saved.archive;
    verifiedCurrent = check.verified;
    stepHook('restore.set-aside');
  }
  await opts.journal?.intend(
    [...contents.values()].map((f) => (f.link !== undefined ? { path: f.path, link: f.link } : { path: f.path, sha256: f.sha256 })),
    savedCurrent,
  );
  stepHook('restore.intent');
  if (verifiedCurrent) {
    const cleared = await clearSessions(dir, verifiedCurrent);
    if (cleared.kept.length > 0 || cleared.failed.length > 0) {
      throw new SessionsBackupError(
        `sessions changed while restoring (${[...cleared.kept, ...cleared.failed].map((k) => k.path).join(', ')}); is the gateway running? Current sessions are in ${savedCurrent}`,
      );
    }
  }
  stepHook('restore.cleared');
  await extractInto(source, top, dir, contents, () => true);
  stepHook('restore.extracted');
  await opts.journal?.done();
  stepHook('restore.done');
  return { restoredFrom: source, savedCurrent, files: contents.size };
}

/** The archive's entries, refusing an archive with anything unsafe in it. */
async function readForRestore(source: string): Promise<{ top: string; contents: Map<string, VerifiedFile> }> {
  const problems: string[] = [];
  let top: string;
  let contents: Map<string, VerifiedFile>;
  try {
    top = await archiveTopDir(source);
    contents = await readArchive(source, `${top}/`, problems);
  } catch (err) {
    throw new SessionsBackupError(`cannot read ${source}: ${errorMessage(err)}`);
  }
  if (problems.length > 0) throw new SessionsBackupError(`refusing to restore ${source}: ${problems.join('; ')}`);
  return { top, contents };
}

/**
 * Writes the archive's files that `want` accepts into `dir`, then makes its links. Not `tar.x`: it costs
 * ~1 ms per file (20,000 sessions: 20 s against 0.3 s for the system tar; npm run bench, "restore"), and it
 * rewrites an absolute link target (stripping its `/`). Entries were checked by readArchive first (no
 * absolute path, no `..`); files are created exclusively and never through a link (O_EXCL|O_NOFOLLOW), and
 * links come last, so nothing is written outside `dir`. Content and mtime are kept (the product's session
 * list shows the last activity), the mode as archived.
 */
async function extractInto(source: string, top: string, dir: string, contents: Map<string, VerifiedFile>, want: (rel: string) => boolean): Promise<number> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const made = new Set<string>(['']);
  const ensureDir = (rel: string): void => {
    if (made.has(rel)) return;
    ensureDir(path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel));
    const full = path.join(dir, rel);
    try {
      fsSync.mkdirSync(full, { mode: 0o700 });
    } catch (err) {
      if (!isErrno(err, 'EEXIST') || !fsSync.lstatSync(full).isDirectory()) throw err;
    }
    made.add(rel);
  };
  const flags = fsSync.constants.O_WRONLY | fsSync.constants.O_CREAT | fsSync.constants.O_EXCL | (fsSync.constants.O_NOFOLLOW ?? 0);
  let n = 0;
  let failure: unknown;
  await tar.t({
    file: source,
    strict: true,
    maxReadSize: READ_SIZE,
    onReadEntry: (entry) => {
      const rel = entry.path.replace(/\/+$/, '').slice(top.length + 1);
      const isFile = entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile';
      if (failure !== undefined || !rel || !isFile || !want(rel)) {
        if (!failure && rel && entry.type === 'Directory') {
          try {
            ensureDir(rel);
          } catch (err) {
            failure = err;
          }
        }
        entry.resume();
        return;
      }
      const dest = path.join(dir, rel);
      let fd: number;
      try {
        ensureDir(path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel));
        fd = fsSync.openSync(dest, flags, (entry.mode ?? 0o600) & 0o777);
      } catch (err) {
        failure = err;
        entry.resume();
        return;
      }
      entry.on('data', (chunk: Buffer) => {
        if (failure === undefined) {
          try {
            fsSync.writeSync(fd, chunk);
          } catch (err) {
            failure = err;
          }
        }
      });
      entry.on('end', () => {
        try {
          if (entry.mtime) fsSync.futimesSync(fd, entry.mtime, entry.mtime);
        } catch {
          // a time we cannot set is not worth failing a restore for
        }
        fsSync.closeSync(fd);
        n++;
      });
    },
  });
  if (failure !== undefined) throw new SessionsBackupError(`could not restore into ${dir}: ${errorMessage(failure)}`);
  for (const f of contents.values()) {
    if (f.link === undefined || !want(f.path)) continue;
    const dest = path.join(dir, f.path);
    ensureDir(path.posix.dirname(f.path) === '.' ? '' : path.posix.dirname(f.path));
    await fs.symlink(f.link, dest);
    n++;
  }
  return n;
}

/**
 * Puts back only what is missing from `sessionsDir` (undo of a reset cut short: some files were deleted,
 * the others are still there and are left alone). Returns how many came back.
 */
export async function restoreMissing(archive: string, sessionsDir: string): Promise<number> {
  const dir = path.resolve(sessionsDir);
  const { top, contents } = await readForRestore(archive);
  const present = new Set((await listSessionFiles(dir)).map((f) => f.path));
  return extractInto(archive, top, dir, contents, (rel) => !present.has(rel));
}

/** The single top-level directory of an archive made by archiveSessions. */
async function archiveTopDir(archive: string): Promise<string> {
  const tops = new Set<string>();
  await tar.t({ file: archive, strict: true, maxReadSize: READ_SIZE, onReadEntry: (e) => void tops.add(e.path.split('/')[0]!) });
  if (tops.size !== 1) throw new SessionsBackupError(`expected one top-level directory, found ${[...tops].join(', ') || 'none'}`);
  return [...tops][0]!;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
