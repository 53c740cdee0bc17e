// Back up, verify, clear and restore an agent's sessions directory (clawdbot.md §7):
// `<stateDir>/agents/<agentId>/sessions/` holds `sessions.json` and one `<sessionId>.jsonl` transcript
// per session. The setup guide clears it with `rm -rf …/sessions/*` after a `tar -czvf`; we do the same
// with two guarantees the guide lacks: nothing is deleted unless the archive was read back and matched
// file by file, and only the files that were archived (unchanged since) are deleted.
// Archives use the guide's layout (`-C agents/main sessions`): entries start with `sessions/`, so a user
// can restore one by hand with `tar -xzf <archive> -C ~/.clawdbot/agents/main`.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { isErrno, sha256File, timestampForName } from './files.js';

export interface SessionFile {
  /** Path relative to the sessions directory, with `/` separators. */
  path: string;
  size: number;
}

export interface ArchiveResult {
  archive: string;
  sessionsDir: string;
  /** The regular files that went into the archive, as listed just before archiving. */
  files: SessionFile[];
}

export interface VerifiedFile extends SessionFile {
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
}

export interface RestoreResult {
  restoredFrom: string;
  /** Where the sessions that were there before the restore went (undefined when there were none). */
  savedCurrent?: string;
  files: number;
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
  for (let n = 0; ; n++) {
    const archive = n === 0 ? `${stem}.tar.gz` : `${stem}-${n}.tar.gz`;
    let out;
    try {
      out = createWriteStream(archive, { flags: 'wx', mode: 0o600, flush: true });
      await new Promise<void>((resolve, reject) => {
        out!.once('open', () => resolve());
        out!.once('error', reject);
      });
    } catch (err) {
      if (isErrno(err, 'EEXIST')) continue;
      throw err;
    }
    try {
      const pack = tar.c({ gzip: true, cwd: path.dirname(dir), strict: true, maxReadSize: READ_SIZE }, [path.basename(dir)]);
      await pipeline(pack, out);
    } catch (err) {
      out.destroy();
      await fs.rm(archive, { force: true });
      throw new SessionsBackupError(`could not archive ${dir}: ${errorMessage(err)}`);
    }
    return { archive, sessionsDir: dir, files };
  }
}

/** The regular files under `dir`, recursively, sorted. A missing directory has none. */
export async function listSessionFiles(dir: string): Promise<SessionFile[]> {
  const out: SessionFile[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
    } catch (err) {
      if (isErrno(err, 'ENOENT') && rel === '') return;
      throw err;
    }
    for (const e of entries) {
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(relPath);
      else if (e.isFile()) out.push({ path: relPath, size: (await fs.lstat(path.join(dir, relPath))).size });
    }
  };
  await walk('');
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Reads `archive` back completely (gzip and tar checksums) and checks that every regular file now in
 * `sessionsDir` is in it with the same size and sha256, and that the archive holds nothing outside
 * the `<sessions>/` prefix.
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
    if (archived.size !== file.size) {
      problems.push(`${file.path}: ${archived.size} bytes in the archive, ${file.size} on disk`);
      continue;
    }
    const sha = await sha256File(path.join(dir, file.path));
    if (sha !== archived.sha256) problems.push(`${file.path} differs from its archived copy`);
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
            files.set(p.slice(prefix.length), { path: p.slice(prefix.length), size, sha256: hash.digest('hex') });
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
 * Deletes the archived files from `sessionsDir`, given proof from `verifyArchive`. Files that changed
 * since (a gateway still writing) or appeared since are left in place and reported.
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
  const result: ClearResult = { removed: [], kept: [] };
  for (const file of await listSessionFiles(dir)) {
    const copy = archived.get(file.path);
    if (!copy) {
      result.kept.push({ path: file.path, reason: 'new since the backup' });
      continue;
    }
    const full = path.join(dir, file.path);
    if (file.size !== copy.size || (await sha256File(full)) !== copy.sha256) {
      result.kept.push({ path: file.path, reason: 'changed since the backup' });
      continue;
    }
    await fs.rm(full, { force: true });
    result.removed.push(file.path);
  }
  await removeEmptyDirs(dir);
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
 * archived, verified and cleared first, so a restore never loses anything either.
 */
export async function restoreSessions(
  archive: string | undefined,
  sessionsDir: string,
  backupsDir: string,
  opts: { now?: Date } = {},
): Promise<RestoreResult> {
  const dir = path.resolve(sessionsDir);
  // Chosen before archiving the current sessions, which would otherwise become "the latest".
  const source = archive ? path.resolve(archive) : await latestSessionsArchive(backupsDir);
  if (!source) throw new SessionsBackupError(`no sessions archive found in ${backupsDir}`);

  const problems: string[] = [];
  let contents: Map<string, VerifiedFile>;
  try {
    const top = await archiveTopDir(source);
    contents = await readArchive(source, `${top}/`, problems);
  } catch (err) {
    throw new SessionsBackupError(`cannot read ${source}: ${errorMessage(err)}`);
  }
  if (problems.length > 0) throw new SessionsBackupError(`refusing to restore ${source}: ${problems.join('; ')}`);

  let savedCurrent: string | undefined;
  if ((await listSessionFiles(dir)).length > 0) {
    const saved = await archiveSessions(dir, backupsDir, opts);
    const check = await verifyArchive(saved.archive, dir);
    if (!check.ok) throw new SessionsBackupError(`could not safely set the current sessions aside: ${check.problems.join('; ')}`);
    const cleared = await clearSessions(dir, check.verified);
    if (cleared.kept.length > 0) {
      throw new SessionsBackupError(
        `sessions changed while restoring (${cleared.kept.map((k) => k.path).join(', ')}); is the gateway running? Current sessions are in ${saved.archive}`,
      );
    }
    savedCurrent = saved.archive;
  }

  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await tar.x({ file: source, cwd: dir, strip: 1, strict: true, maxReadSize: READ_SIZE });
  return { restoredFrom: source, savedCurrent, files: contents.size };
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
