// Safe file operations for the fixer: a backup that never overwrites an earlier one, and an atomic write
// that keeps the file's mode and owner. The config holds the API key and the product writes it 0600
// (clawdbot.md §2), so a repair must never leave it more readable than it found it.
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants, createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** `YYYYMMDD-HHMMSS` in local time: what a user expects to read in `ls` next to their file. */
export function timestampForName(now: Date = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return (
    `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-` + `${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`
  );
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The sha256 of a file's bytes, or null when it does not exist. Streamed: transcripts can be large. */
export async function sha256File(file: string): Promise<string | null> {
  try {
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
export async function backupFile(file: string, opts: { now?: Date } = {}): Promise<string> {
  const stat = await fs.stat(file);
  const stem = `${file}.claw-doctor-${timestampForName(opts.now)}`;
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? `${stem}.bak` : `${stem}-${n}.bak`;
    try {
      await fs.copyFile(file, candidate, fsConstants.COPYFILE_EXCL);
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
}

/**
 * Replaces `file` with `data` so that readers see the old or the new content, never a mix: a temp
 * file in the same directory, fsync, rename. The existing mode (0600 stays 0600) and, where allowed,
 * owner are kept. A symlinked config stays a symlink: the link's target is what gets replaced.
 * On any failure the temp file is removed and `file` is untouched.
 */
export async function writeAtomic(file: string, data: string | Uint8Array, opts: WriteAtomicOptions = {}): Promise<void> {
  const target = await realTarget(file);
  const stat = await statOrUndefined(target);
  const mode = stat ? stat.mode & 0o7777 : (opts.mode ?? 0o600);
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.claw-doctor-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
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
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
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
