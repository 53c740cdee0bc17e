// Reading a small file the user's setup names (the config, an `$include`, a `.env`, auth profiles) so that
// no path can hang or flood the run: a FIFO would block `open()` and `read()` forever, `/dev/zero` never
// ends, and a growing or huge file would be read whole. So: open without blocking, refuse anything that is
// not a regular file, and read at most `maxBytes` (one more tells "too large" from "exactly the limit").
import fs from 'node:fs';

export type BoundedRead =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'missing' | 'directory' | 'not-a-file' | 'too-large' | 'unreadable'; message: string };

const NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

export function readFileBounded(file: string, maxBytes: number): BoundedRead {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', message: 'file does not exist' };
    if (code === 'EISDIR') return { ok: false, reason: 'directory', message: 'this is a directory, not a file' };
    return { ok: false, reason: 'unreadable', message: `cannot read it (${code ?? 'error'}): check its owner and mode` };
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) return { ok: false, reason: 'directory', message: 'this is a directory, not a file' };
    if (!st.isFile()) {
      const what = st.isFIFO() ? 'a named pipe (FIFO)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
      return { ok: false, reason: 'not-a-file', message: `this is ${what}, not a file` };
    }
    if (st.size > maxBytes) return { ok: false, reason: 'too-large', message: `the file is ${mb(st.size)}: more than the ${mb(maxBytes)} claw-doctor reads` };
    const buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(st.size + 1, 4096)));
    let n = 0;
    for (;;) {
      if (n === buf.length) break;
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > maxBytes) return { ok: false, reason: 'too-large', message: `the file grew past the ${mb(maxBytes)} claw-doctor reads` };
    return { ok: true, bytes: buf.subarray(0, n) };
  } catch (e) {
    return { ok: false, reason: 'unreadable', message: `cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'}): check its owner and mode` };
  } finally {
    fs.closeSync(fd);
  }
}

function mb(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
