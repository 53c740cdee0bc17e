// Safe file operations for the fixer: a backup that never overwrites an earlier one, and an atomic write
// that keeps the file's mode and owner. The config holds the API key and the product writes it 0600
// (clawdbot.md §2), so a repair must never leave it more readable than it found it.
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants, createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { stepHook } from './step-hook.js';

/** `YYYYMMDD-HHMMSS` in local time: what a user expects to read in `ls` next to their file. */
export function timestampForName(now: Date = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return (
    `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-` + `${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`
  );
}

const SMALL_FILE = 4 * 1024 * 1024;

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The sha256 of a file's bytes, or null when it does not exist. Streamed: transcripts can be large. */
export async function sha256File(file: string): Promise<string | null> {
  try {
    // Small files (most transcripts) in one read: a stream per file cost ~1.5 ms each, which made the
    // verify and clear of 20,000 sessions take a minute (npm run bench, "Safety").
    const handle = await fs.open(file, 'r');
    try {
      const { size } = await handle.stat();
      if (size <= SMALL_FILE) return createHash('sha256').update(await handle.readFile()).digest('hex');
    } finally {
      await handle.close();
    }
    const hash = createHash('sha256');
    await pipeline(createReadStream(file), hash);
    return hash.digest('hex');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null;
    throw err;
  }
}

export function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}

/**
 * Copies `file` to `<file>.claw-doctor-<YYYYMMDD-HHMMSS>[-N].bak` beside it, with the same mode, and
 * returns the backup's path. Never overwrites: an existing name gets the next `-N`.
 * Distinct from the product's own rotating `<file>.bak`, `.bak.1`… (clawdbot.md §2), which its next
 * write would rotate away.
 */
export async function backupFile(file: string, opts: { now?: Date; bytes?: Uint8Array; suffix?: string } = {}): Promise<string> {
  const stat = await fs.stat(file);
  const stem = `${file}.claw-doctor-${timestampForName(opts.now)}${opts.suffix ?? ''}`;
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? `${stem}.bak` : `${stem}-${n}.bak`;
    try {
      // `bytes`: the exact bytes a plan was made from, so the backup is what the edit started from even if
      // the file changes while we work (that change is then caught by writeAtomic's `expect`).
      if (opts.bytes) await fs.writeFile(candidate, opts.bytes, { flag: 'wx', mode: 0o600 });
      else await fs.copyFile(file, candidate, fsConstants.COPYFILE_EXCL);
    } catch (err) {
      if (isErrno(err, 'EEXIST')) continue;
      throw err;
    }
    await fs.chmod(candidate, stat.mode & 0o7777);
    await chownLike(candidate, stat);
    await fsyncFile(candidate);
    return candidate;
  }
}

export interface WriteAtomicOptions {
  /** Mode for a file that does not exist yet (default 0600: configs hold keys). */
  mode?: number;
  /**
   * Replace the file only if it still holds these bytes (their sha256). Checked after the new content is
   * on disk, immediately before the rename, with the old file hard-linked aside so that an edit written
   * into it in place even after the check is not lost: it is saved beside it and reported.
   */
  expectSha256?: string;
}

/** The file changed (or vanished) under us: nothing was written. */
export class FileChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileChangedError';
  }
}

/**
 * Replaces `file` with `data` so that readers see the old or the new content, never a mix: a temp
 * file in the same directory, fsync, rename. The existing mode (0600 stays 0600) and, where allowed,
 * owner are kept. A symlinked config stays a symlink: the link's target is what gets replaced.
 * On any failure the temp file is removed and `file` is untouched.
 */
export async function writeAtomic(file: string, data: string | Uint8Array, opts: WriteAtomicOptions = {}): Promise<{ lateEdit?: string }> {
  const target = await realTarget(file);
  const stat = await statOrUndefined(target);
  const mode = stat ? stat.mode & 0o7777 : (opts.mode ?? 0o600);
  const dir = path.dirname(target);
  await removeStaleTemps(dir, path.basename(target));
  const tmp = path.join(dir, `.${path.basename(target)}.claw-doctor-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let lateEdit: string | undefined;
  try {
    const handle = await fs.open(tmp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.chmod(tmp, mode); // open()'s mode is filtered by the umask
    if (stat) await chownLike(tmp, stat);
    if (opts.expectSha256 === undefined) await fs.rename(tmp, target);
    else lateEdit = await guardedRename(tmp, target, opts.expectSha256);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
  return { lateEdit };
}

/**
 * The compare-then-rename of `writeAtomic({ expectSha256 })`. What it guarantees: a writer that edits
 * the file in place at any moment loses nothing (its bytes land in the inode linked aside, which is kept
 * and reported); a writer that replaces the file by rename before our check is detected and nothing is
 * written. Not guaranteed: a rename by another program in the one system call between our last check and
 * our rename replaces a file we then replace in turn (POSIX has no compare-and-swap rename).
 * Returns the path of a late in-place edit that was saved, if there was one.
 */
async function guardedRename(tmp: string, target: string, expected: string): Promise<string | undefined> {
  const aside = `${tmp}.old`;
  try {
    await fs.link(target, aside);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) throw new FileChangedError(`${target} was deleted while claw-doctor was editing it; nothing written`);
    throw err;
  }
  let keepAside = false;
  try {
    if ((await sha256File(aside)) !== expected) throw new FileChangedError(`${target} changed while claw-doctor was editing it; nothing written (run it again)`);
    stepHook('config.checked');
    await fs.rename(tmp, target);
    if ((await sha256File(aside)) === expected) return undefined;
    // Written into the old file in place, after our check: keep that version beside the new one.
    const late = `${target}.claw-doctor-${timestampForName()}-${path.basename(tmp).split('-').pop()!.replace('.tmp', '')}-concurrent.bak`;
    await fs.rename(aside, late);
    keepAside = true;
    return late;
  } finally {
    if (!keepAside) await fs.rm(aside, { force: true }).catch(() => undefined);
  }
}

/**
 * Temp files (and the old inode linked aside) of a run killed mid-write: their process is gone, so they are
 * leftovers, never a file anyone reads. Removed before the next write beside them.
 */
export async function removeStaleTemps(dir: string, base: string): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const prefix = `.${base}.claw-doctor-`;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)-[0-9a-f]+\.tmp(?:\.old)?$/.exec(name.slice(prefix.length));
    if (m && !pidAlive(Number(m[1]))) await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isErrno(err, 'EPERM');
  }
}

async function realTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return file;
    throw err;
  }
}

async function statOrUndefined(file: string): Promise<import('node:fs').Stats | undefined> {
  try {
    return await fs.stat(file);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

/** Best effort: running as root for another user must not hand their config to root. */
async function chownLike(file: string, stat: { uid: number; gid: number }): Promise<void> {
  if (process.getuid?.() !== 0) return; // only root can give a file away; others keep their own
  await fs.chown(file, stat.uid, stat.gid).catch(() => undefined);
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the rename durable. Not supported everywhere (e.g. Windows): ignored there. */
async function fsyncDir(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
