import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanBackwards, tailLines } from '../src/facts/tail.js';
import { V1_LOG, cleanupTemp, tempDir, write } from './support/logs-fixtures.js';

afterEach(cleanupTemp);

/** What a forward reader would see: non-empty lines, CR stripped. */
function naiveLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
    .filter((l) => l.trim() !== '');
}

describe('tailLines', () => {
  it('returns lines oldest first with exact line numbers when the whole file fits', async () => {
    const f = write(path.join(tempDir(), 'a.log'), 'one\ntwo\n\nthree\n');
    const r = await tailLines(f);
    expect(r.error).toBeUndefined();
    expect(r.lines).toEqual(['one', 'two', 'three']);
    expect(r.lineNumbers).toEqual([1, 2, 4]);
    expect(r.offsets).toEqual([0, 4, 9]);
    expect(r.truncated).toBe(false);
    expect(r.unterminatedLastLine).toBe(false);
    expect(r.size).toBe(15);
  });

  it('keeps a final line without newline and says it is unterminated', async () => {
    const f = write(path.join(tempDir(), 'a.log'), 'first\nlast-no-newline');
    const r = await tailLines(f);
    expect(r.lines).toEqual(['first', 'last-no-newline']);
    expect(r.unterminatedLastLine).toBe(true);
  });

  it('strips CRLF line endings', async () => {
    const f = write(path.join(tempDir(), 'a.log'), 'a\r\nb\r\nc\r\n');
    expect((await tailLines(f)).lines).toEqual(['a', 'b', 'c']);
  });

  it('joins lines that span chunk boundaries, for any chunk size', async () => {
    const rows = Array.from({ length: 80 }, (_, i) => `line ${i} ${'é'.repeat(i % 13)} ${'x'.repeat((i * 7) % 50)}`);
    const text = rows.join('\r\n') + '\n';
    const f = write(path.join(tempDir(), 'a.log'), text);
    for (const chunkSize of [1, 2, 3, 7, 64, 1000, 1 << 16]) {
      const r = await tailLines(f, { chunkSize });
      expect(r.lines, `chunkSize ${chunkSize}`).toEqual(naiveLines(text));
      expect(r.invalidUtf8).toBe(0); // a multi-byte é cut by a chunk edge is still valid once joined
    }
  });

  it('matches a forward read of the real V1 log', async () => {
    const text = fs.readFileSync(V1_LOG, 'utf8');
    const r = await tailLines(V1_LOG, { chunkSize: 4096 });
    expect(r.lines).toEqual(naiveLines(text));
    expect(r.lineNumbers?.at(-1)).toBe(121);
  });

  it('maxLines returns the newest lines and reports truncation', async () => {
    const f = write(path.join(tempDir(), 'a.log'), 'a\nb\nc\nd\n');
    const r = await tailLines(f, { maxLines: 2 });
    expect(r.lines).toEqual(['c', 'd']);
    expect(r.truncated).toBe(true);
    expect(r.lineNumbers).toBeUndefined(); // the count of earlier lines is unknown
    const all = await tailLines(f, { maxLines: 4 });
    expect(all.truncated).toBe(false);
    expect(all.lineNumbers).toEqual([1, 2, 3, 4]);
  });

  it('maxBytes drops the line cut by the window instead of returning half of it', async () => {
    const f = write(path.join(tempDir(), 'a.log'), 'aaaaaaaaaa\nbbbb\ncccc\n');
    const r = await tailLines(f, { maxBytes: 12, chunkSize: 4 });
    expect(r.lines).toEqual(['bbbb', 'cccc']);
    expect(r.truncated).toBe(true);
    expect(r.bytesRead).toBe(12);
  });

  it('skips and counts lines that are not valid UTF-8', async () => {
    const garbage = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80, 0x0a, 0xe2, 0x82, 0x0a]);
    const data = Buffer.concat([Buffer.from('good 1\n'), garbage, Buffer.from('good 2\n')]);
    const r = await tailLines(write(path.join(tempDir(), 'bin.log'), data));
    expect(r.lines).toEqual(['good 1', 'good 2']);
    expect(r.invalidUtf8).toBe(2);
  });

  it('treats a run of NUL bytes (a log truncated in place) as a line boundary', async () => {
    const data = Buffer.concat([Buffer.from('before\n'), Buffer.alloc(5000), Buffer.from('after the hole\n')]);
    const r = await tailLines(write(path.join(tempDir(), 'hole.log'), data), { chunkSize: 512 });
    expect(r.lines).toEqual(['before', 'after the hole']);
  });

  it('skips a line longer than maxLineBytes without holding it in memory', async () => {
    const f = write(path.join(tempDir(), 'a.log'), `short\n${'y'.repeat(10_000)}\nend\n`);
    const r = await tailLines(f, { maxLineBytes: 1000, chunkSize: 256 });
    expect(r.lines).toEqual(['short', 'end']);
    expect(r.longLines).toBe(1);
  });

  it('reads an empty file as no lines and no error', async () => {
    const r = await tailLines(write(path.join(tempDir(), 'empty.log'), ''));
    expect(r).toMatchObject({ lines: [], size: 0, bytesRead: 0, truncated: false, error: undefined });
  });

  it('returns a typed error, never throws, for a missing file or a directory', async () => {
    const dir = tempDir();
    expect((await tailLines(path.join(dir, 'nope.log'))).error?.code).toBe('ENOENT');
    expect((await tailLines(path.join(dir, 'nope', 'deeper.log'))).error?.code).toBe('ENOENT');
    expect((await tailLines(dir)).error?.code).toBe('EISDIR');
  });

  it.skipIf(process.getuid?.() === 0)('returns EACCES for an unreadable file', async () => {
    const f = write(path.join(tempDir(), 'secret.log'), 'x\n');
    fs.chmodSync(f, 0o000);
    expect((await tailLines(f)).error?.code).toBe('EACCES');
  });

  it('reads the end of a 3 GiB sparse file in bounded work', async () => {
    const f = path.join(tempDir(), 'huge.log');
    const size = 3 * 1024 ** 3;
    fs.writeFileSync(f, '');
    fs.truncateSync(f, size);
    fs.appendFileSync(f, '\nfirst interesting\nsecond interesting\n');
    const r = await tailLines(f);
    expect(r.lines).toEqual(['first interesting', 'second interesting']);
    expect(r.size).toBeGreaterThan(size);
    expect(r.truncated).toBe(true);
    expect(r.bytesRead).toBe(8 * 1024 * 1024); // the default window, never the file
  });
});

describe('scanBackwards', () => {
  it('visits newest first and stops as soon as the callback returns false', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `row ${i}`);
    const f = write(path.join(tempDir(), 'a.log'), rows.join('\n') + '\n');
    const seen: string[] = [];
    const r = await scanBackwards(f, (line) => (seen.push(line), seen.length < 3), { chunkSize: 256 });
    expect(seen).toEqual(['row 4999', 'row 4998', 'row 4997']);
    expect(r.stopped).toBe(true);
    expect(r.truncated).toBe(true);
    expect(r.bytesRead).toBeLessThanOrEqual(256);
  });
});
