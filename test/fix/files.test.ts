import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupFile, sha256, sha256File, timestampForName, writeAtomic } from '../../src/fix/files.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'claw-doctor-files-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const mode = async (p: string): Promise<number> => (await fs.stat(p)).mode & 0o777;
const NOW = new Date(2026, 10, 23, 21, 48, 5);

describe('backupFile', () => {
  it('copies beside the file with a timestamped name, same bytes and mode', async () => {
    const file = path.join(dir, 'clawdbot.json');
    await fs.writeFile(file, '\ufeff{ a: 1 }\r\n', { mode: 0o600 });
    await fs.chmod(file, 0o600);
    const backup = await backupFile(file, { now: NOW });
    expect(backup).toBe(`${file}.claw-doctor-20261123-214805.bak`);
    expect(await fs.readFile(backup)).toEqual(await fs.readFile(file));
    expect(await mode(backup)).toBe(0o600);
  });

  it('never overwrites an earlier backup', async () => {
    const file = path.join(dir, 'clawdbot.json');
    await fs.writeFile(file, 'v1');
    await fs.chmod(file, 0o640);
    const first = await backupFile(file, { now: NOW });
    await fs.writeFile(file, 'v2');
    const second = await backupFile(file, { now: NOW });
    await fs.writeFile(file, 'v3');
    const third = await backupFile(file, { now: NOW });
    expect([first, second, third].map((p) => path.basename(p))).toEqual([
      'clawdbot.json.claw-doctor-20261123-214805.bak',
      'clawdbot.json.claw-doctor-20261123-214805-1.bak',
      'clawdbot.json.claw-doctor-20261123-214805-2.bak',
    ]);
    expect(await fs.readFile(first, 'utf8')).toBe('v1');
    expect(await fs.readFile(second, 'utf8')).toBe('v2');
    expect(await fs.readFile(third, 'utf8')).toBe('v3');
    expect(await mode(third)).toBe(0o640);
  });

  it('fails on a missing file', async () => {
    await expect(backupFile(path.join(dir, 'nope.json'))).rejects.toThrow(/ENOENT/);
  });

  it('formats local time', () => {
    expect(timestampForName(new Date(2026, 0, 2, 3, 4, 5))).toBe('20260102-030405');
  });
});

describe('writeAtomic', () => {
  it('keeps mode 0600 and leaves no temp file', async () => {
    const file = path.join(dir, 'clawdbot.json');
    await fs.writeFile(file, 'old');
    await fs.chmod(file, 0o600);
    await writeAtomic(file, 'new\r\n');
    expect(await fs.readFile(file, 'utf8')).toBe('new\r\n');
    expect(await mode(file)).toBe(0o600);
    expect(await fs.readdir(dir)).toEqual(['clawdbot.json']);
  });

  it('keeps other modes too, and creates new files 0600 whatever the umask', async () => {
    const file = path.join(dir, 'a.json');
    await fs.writeFile(file, 'old');
    await fs.chmod(file, 0o644);
    await writeAtomic(file, 'new');
    expect(await mode(file)).toBe(0o644);
    const fresh = path.join(dir, 'fresh.json');
    await writeAtomic(fresh, 'x');
    expect(await mode(fresh)).toBe(0o600);
  });

  it('writes through a symlink, which stays a symlink', async () => {
    const real = path.join(dir, 'dotfiles-clawdbot.json');
    const link = path.join(dir, 'clawdbot.json');
    await fs.writeFile(real, 'old');
    await fs.chmod(real, 0o600);
    await fs.symlink(real, link);
    await writeAtomic(link, 'new');
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(real, 'utf8')).toBe('new');
    expect(await mode(real)).toBe(0o600);
  });

  it('fails without touching the file when the directory is gone', async () => {
    await expect(writeAtomic(path.join(dir, 'missing', 'x.json'), 'x')).rejects.toThrow(/ENOENT/);
  });
});

describe('sha256File', () => {
  it('hashes bytes and gives null for a missing file', async () => {
    const file = path.join(dir, 'x');
    await fs.writeFile(file, 'abc');
    expect(await sha256File(file)).toBe(sha256('abc'));
    expect(await sha256File(path.join(dir, 'missing'))).toBeNull();
  });
});
