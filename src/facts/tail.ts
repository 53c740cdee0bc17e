// Reading the end of a file, newest line first, in bounded memory.
//
// Why backwards: the product's dated log can grow to gigabytes on a busy day (clawdbot.md §6: one JSON line
// per event, hundreds of bytes of metadata each) and the interesting lines — the last `thinking=` run, the
// last provider error — are at the end. We read fixed-size chunks from the end with positioned reads, so the
// cost depends on `maxBytes`, never on the file size.
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';

export interface TailOptions {
  /** How many bytes to scan, counted from the end. Default 8 MiB. */
  maxBytes?: number;
  /** Stop after this many (non-empty, valid) lines. Default: no limit besides maxBytes. */
  maxLines?: number;
  /** Size of each positioned read. Default 1 MiB: each read is a thread-pool round trip, which costs more than the bytes. */
  chunkSize?: number;
  /** A line longer than this is skipped (counted in `longLines`), so one runaway line cannot eat memory. Default 1 MiB. */
  maxLineBytes?: number;
}

export type TailErrorCode = 'ENOENT' | 'EACCES' | 'EISDIR' | 'ENOTFILE' | 'EIO';

/** Why a file could not be read. Never thrown: a missing or unreadable log is a fact, not a crash. */
export interface TailError {
  code: TailErrorCode;
  message: string;
}

export interface LineInfo {
  /** Byte offset of the line's first byte in the file. */
  offset: number;
  /** Newline bytes at or after `offset`: with the total, gives the 1-based line number. */
  newlinesAfter: number;
}

/** Return `false` to stop the scan. */
export type OnLine = (line: string, info: LineInfo) => boolean | void;

export interface ScanResult {
  size: number;
  bytesRead: number;
  /** Some of the file was not looked at (before the window, or the scan stopped early). */
  truncated: boolean;
  /** The callback asked to stop. */
  stopped: boolean;
  /** Lines skipped because they are not valid UTF-8 (binary garbage). */
  invalidUtf8: number;
  /** Lines skipped because they were longer than `maxLineBytes`. */
  longLines: number;
  /** The file does not end with a newline: its last line may still be being written. */
  unterminatedLastLine: boolean;
  /** Newline count of the whole file, known only when the scan reached byte 0 without stopping. */
  totalNewlines?: number;
  error?: TailError;
}

export interface TailResult {
  /** Chronological (oldest first). Empty lines are dropped; a trailing `\r` is removed. */
  lines: string[];
  /** Byte offset of each line, parallel to `lines`. */
  offsets: number[];
  /** 1-based line numbers, parallel to `lines`; only when the whole file was scanned. */
  lineNumbers?: number[];
  bytesRead: number;
  truncated: boolean;
  size: number;
  invalidUtf8: number;
  longLines: number;
  unterminatedLastLine: boolean;
  error?: TailError;
}

const DEFAULTS = { maxBytes: 8 * 1024 * 1024, chunkSize: 1024 * 1024, maxLineBytes: 1024 * 1024 };
const NL = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

function errorOf(e: unknown): TailError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'ENOENT' || code === 'ENOTDIR') return { code: 'ENOENT', message };
  if (code === 'EACCES' || code === 'EPERM') return { code: 'EACCES', message };
  if (code === 'EISDIR') return { code: 'EISDIR', message };
  return { code: 'EIO', message };
}

function emptyScan(error?: TailError): ScanResult {
  return {
    size: 0,
    bytesRead: 0,
    truncated: false,
    stopped: false,
    invalidUtf8: 0,
    longLines: 0,
    unterminatedLastLine: false,
    error,
  };
}

async function readFully(fh: fs.promises.FileHandle, buf: Buffer, position: number): Promise<number> {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) break; // the file shrank under us (rotation): use what we have
    got += bytesRead;
  }
  return got;
}

/**
 * Splits bytes into lines from the end. NUL bytes count as line boundaries too: a log truncated in place
 * (copytruncate) while the writer kept its offset leaves a sparse hole of NULs before the next line, and
 * valid JSON text never contains a raw NUL.
 */
class BackwardSplitter {
  private carry: Buffer[] = [];
  private carryLen = 0;
  private skippingLongLine = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  newlinesAfter = 0;
  invalidUtf8 = 0;
  longLines = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: OnLine,
  ) {}

  /** Feed the chunk that starts at file offset `start`; returns false when the callback asked to stop. */
  push(chunk: Buffer, start: number): boolean {
    let end = chunk.length;
    let nlAt = chunk.lastIndexOf(NL, end - 1);
    let nulAt = chunk.lastIndexOf(NUL, end - 1);
    while (end > 0) {
      // Each lastIndexOf result is reused until passed, so a chunk costs O(chunk) whatever its content.
      if (nlAt >= end) nlAt = end > 0 ? chunk.lastIndexOf(NL, end - 1) : -1;
      if (nulAt >= end) nulAt = end > 0 ? chunk.lastIndexOf(NUL, end - 1) : -1;
      const at = Math.max(nlAt, nulAt);
      if (at < 0) break;
      if (!this.emit(chunk.subarray(at + 1, end), start + at + 1)) return false;
      if (at === nlAt) {
        this.newlinesAfter++;
        end = at;
      } else {
        let j = at;
        while (j > 0 && chunk[j - 1] === NUL) j--;
        end = j;
      }
    }
    this.hold(chunk.subarray(0, end));
    return true;
  }

  /** The scan reached byte 0: what is held is the file's first line. */
  finish(): boolean {
    return this.emit(Buffer.alloc(0), 0);
  }

  private hold(piece: Buffer): void {
    if (piece.length === 0 || this.skippingLongLine) return;
    // Copy: the chunk buffer is not reused, but a subarray would pin the whole chunk in memory.
    this.carry.unshift(Buffer.from(piece));
    this.carryLen += piece.length;
    if (this.carryLen > this.maxLineBytes) {
      this.carry = [];
      this.carryLen = 0;
      this.skippingLongLine = true;
    }
  }

  private emit(head: Buffer, offset: number): boolean {
    if (this.skippingLongLine) {
      this.skippingLongLine = false;
      this.longLines++;
      return true;
    }
    let bytes = this.carryLen ? Buffer.concat([head, ...this.carry]) : head;
    this.carry = [];
    this.carryLen = 0;
    if (bytes.length > this.maxLineBytes) {
      this.longLines++;
      return true;
    }
    if (bytes.length && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes.length === 0) return true;
    let line: string;
    try {
      line = this.decoder.decode(bytes);
    } catch {
      this.invalidUtf8++;
      return true;
    }
    if (line.trim() === '') return true;
    return this.onLine(line, { offset, newlinesAfter: this.newlinesAfter }) !== false;
  }

  /** Bytes held for a line whose start lies before the window. */
  get holding(): boolean {
    return this.carryLen > 0 || this.skippingLongLine;
  }
}

/**
 * Calls `onLine` for each line from the newest to the oldest within the last `maxBytes` of the file.
 * A line that starts before the window is dropped (we never report half a line as a whole one).
 */
export async function scanBackwards(file: string, onLine: OnLine, opts: TailOptions = {}): Promise<ScanResult> {
  const maxBytes = Math.max(0, opts.maxBytes ?? DEFAULTS.maxBytes);
  const chunkSize = Math.max(1, opts.chunkSize ?? DEFAULTS.chunkSize);
  const maxLineBytes = Math.max(1, opts.maxLineBytes ?? DEFAULTS.maxLineBytes);

  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch (e) {
    return emptyScan(errorOf(e));
  }
  // Checked before open: opening a FIFO for reading would block forever.
  if (st.isDirectory()) return emptyScan({ code: 'EISDIR', message: `${file} is a directory` });
  if (!st.isFile()) return emptyScan({ code: 'ENOTFILE', message: `${file} is not a regular file` });

  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch (e) {
    return emptyScan(errorOf(e));
  }

  const size = st.size;
  const floor = Math.max(0, size - maxBytes);
  const result: ScanResult = { ...emptyScan(), size, truncated: floor > 0 };
  const splitter = new BackwardSplitter(maxLineBytes, onLine);
  try {
    if (size > 0) {
      const last = Buffer.alloc(1);
      await readFully(fh, last, size - 1);
      result.unterminatedLastLine = last[0] !== NL;
    }
    let pos = size;
    while (pos > floor) {
      const start = Math.max(floor, pos - chunkSize);
      const chunk = Buffer.allocUnsafe(pos - start);
      const got = await readFully(fh, chunk, start);
      result.bytesRead += got;
      if (!splitter.push(chunk.subarray(0, got), start)) {
        result.stopped = true;
        result.truncated = true;
        break;
      }
      pos = start;
    }
    if (!result.stopped && floor === 0) {
      // Every byte up to the first line has been seen, so the newline count is complete even if the
      // callback stops on that first line.
      if (!splitter.finish()) result.stopped = true;
      result.totalNewlines = splitter.newlinesAfter;
    } else if (!result.stopped && splitter.holding) {
      result.truncated = true;
    }
  } catch (e) {
    result.error = errorOf(e);
  } finally {
    await fh.close().catch(() => undefined);
  }
  result.invalidUtf8 = splitter.invalidUtf8;
  result.longLines = splitter.longLines;
  return result;
}

/** The last lines of a file, chronological. Never throws for a missing, unreadable or odd file. */
export async function tailLines(file: string, opts: TailOptions = {}): Promise<TailResult> {
  const maxLines = opts.maxLines ?? Infinity;
  const lines: string[] = [];
  const offsets: number[] = [];
  const after: number[] = [];
  if (maxLines <= 0) {
    const scan = await scanBackwards(file, () => false, opts);
    return { ...resultOf(scan), lines, offsets };
  }
  const scan = await scanBackwards(
    file,
    (line, info) => {
      lines.push(line);
      offsets.push(info.offset);
      after.push(info.newlinesAfter);
      return lines.length < maxLines;
    },
    opts,
  );
  lines.reverse();
  offsets.reverse();
  after.reverse();
  const total = scan.totalNewlines;
  const lineNumbers = total === undefined ? undefined : after.map((n) => total - n + 1);
  // Stopping at exactly maxLines at byte 0 still covered the whole file.
  const truncated = scan.truncated && !(offsets.length > 0 && offsets[0] === 0);
  return { ...resultOf(scan), truncated, lines, offsets, lineNumbers };
}

function resultOf(scan: ScanResult): Omit<TailResult, 'lines' | 'offsets'> {
  return {
    bytesRead: scan.bytesRead,
    truncated: scan.truncated,
    size: scan.size,
    invalidUtf8: scan.invalidUtf8,
    longLines: scan.longLines,
    unterminatedLastLine: scan.unterminatedLastLine,
    error: scan.error,
  };
}

export interface TailText {
  size: number;
  bytesRead: number;
  truncated: boolean;
  /** The window's complete lines: what tailLines would split, from the first whole line to the end. */
  bytes: Buffer;
  /**
   * `bytes` as latin1, one character per byte: ASCII patterns find the same places in it as in the decoded
   * text, every index is a byte index, and it costs a copy instead of a UTF-8 decode. Decode a line with
   * `bytes.toString('utf8', start, end)`.
   */
  raw: string;
  /** Byte offset in the file of `bytes[0]`. */
  offset: number;
  /** The window starts at byte 0: line numbers are known. */
  wholeFile: boolean;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The window tailLines would read, in one piece, when splitting it at `\n` gives exactly tailLines' lines
 * (before its trailing-`\r` removal and blank-line skipping): valid UTF-8, no NUL, no BOM (TextDecoder drops
 * a leading one per line), no line over `maxLineBytes`, read in full. Anything else, errors included, gives
 * `undefined`: call tailLines, which handles every case. Never throws.
 */
export async function tailText(file: string, opts: Pick<TailOptions, 'maxBytes' | 'maxLineBytes'> = {}): Promise<TailText | undefined> {
  const maxBytes = Math.max(0, opts.maxBytes ?? DEFAULTS.maxBytes);
  const maxLineBytes = Math.max(1, opts.maxLineBytes ?? DEFAULTS.maxLineBytes);
  let fh: fs.promises.FileHandle | undefined;
  try {
    const st = await fs.promises.stat(file);
    if (!st.isFile()) return undefined;
    fh = await fs.promises.open(file, 'r');
    const size = st.size;
    const floor = Math.max(0, size - maxBytes);
    const buf = Buffer.allocUnsafe(size - floor);
    if ((await readFully(fh, buf, floor)) !== buf.length) return undefined;
    if (buf.indexOf(NUL) >= 0) return undefined; // a NUL ends a line for tailLines, even in the cut first line
    let from = 0;
    if (floor > 0) {
      const nl = buf.indexOf(NL);
      from = nl < 0 ? buf.length : nl + 1; // the line cut by the window's start is never reported
    }
    const region = buf.subarray(from);
    if (region.indexOf(BOM) >= 0 || !isUtf8(region)) return undefined;
    if (region.length > maxLineBytes) {
      for (let at = 0; at < region.length; ) {
        const nl = region.indexOf(NL, at);
        const end = nl < 0 ? region.length : nl;
        if (end - at > maxLineBytes) return undefined;
        at = end + 1;
      }
    }
    return {
      size,
      bytesRead: buf.length,
      truncated: floor > 0,
      bytes: region,
      raw: region.toString('latin1'),
      offset: floor + from,
      wholeFile: floor === 0,
    };
  } catch {
    return undefined;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}
