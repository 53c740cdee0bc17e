import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  archiveSessions,
  clearSessions,
  latestSessionsArchive,
  listSessionFiles,
  restoreSessions,
  verifyArchive,
  type VerifiedArchive,
} from '../../src/fix/sessions-backup.js';
import { sessionTexts } from '../support/session-files.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let th: TempHome | undefined;
const extra: string[] = [];
afterEach(async () => {
  await th?.cleanup();
  th = undefined;
  for (const d of extra.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

describe('archiveSessions', () => {
  it('writes a 0600 tar.gz that the system tar extracts to the same files', async () => {
    th = await makeTempHome({ sessions: 5 });
    const before = await sessionTexts(th.sessionsDir);
    const result = await archiveSessions(th.sessionsDir, th.backupsDir, { now: new Date(2026, 10, 23, 21, 50, 0) });
    expect(path.basename(result.archive)).toBe('sessions-20261123-215000.tar.gz');
    expect(result.files).toHaveLength(6); // 5 transcripts + sessions.json
    expect((await fs.stat(result.archive)).mode & 0o777).toBe(0o600);

    // The guide's layout: entries under sessions/, so `tar -xzf … -C agents/main` restores by hand.
    const listing = execFileSync('tar', ['-tzf', result.archive], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(listing).toContain('sessions/sessions.json');
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'claw-doctor-untar-'));
    extra.push(out);
    execFileSync('tar', ['-xzf', result.archive, '-C', out]);
    expect(await sessionTexts(path.join(out, 'sessions'))).toEqual(before);
  });

  it('never overwrites an earlier archive', async () => {
    th = await makeTempHome({ sessions: 1 });
    const now = new Date(2026, 10, 23, 21, 50, 0);
    const a = await archiveSessions(th.sessionsDir, th.backupsDir, { now });
    const b = await archiveSessions(th.sessionsDir, th.backupsDir, { now });
    expect(path.basename(b.archive)).toBe('sessions-20261123-215000-1.tar.gz');
    expect(await latestSessionsArchive(th.backupsDir)).toBe(b.archive);
    expect(a.archive).not.toBe(b.archive);
  });

  it('fails cleanly when the backups dir cannot be made, deleting nothing', async () => {
    th = await makeTempHome({ sessions: 3 });
    const before = await sessionTexts(th.sessionsDir);
    await fs.writeFile(th.backupsDir, 'a file where the backups dir should be');
    await expect(archiveSessions(th.sessionsDir, th.backupsDir)).rejects.toThrow();
    expect(await sessionTexts(th.sessionsDir)).toEqual(before);
  });
});

describe('verifyArchive', () => {
  it('accepts a complete archive', async () => {
    th = await makeTempHome({ sessions: 3 });
    const { archive } = await archiveSessions(th.sessionsDir, th.backupsDir);
    const v = await verifyArchive(archive, th.sessionsDir);
    expect(v.ok).toBe(true);
    expect(v.ok && v.verified.files.map((f) => f.path)).toEqual((await listSessionFiles(th.sessionsDir)).map((f) => f.path));
  });

  it('rejects an archive that misses a file or holds a different one', async () => {
    th = await makeTempHome({ sessions: 3 });
    const { archive } = await archiveSessions(th.sessionsDir, th.backupsDir);
    await fs.writeFile(path.join(th.sessionsDir, 'new.jsonl'), '{}\n');
    await fs.appendFile(path.join(th.sessionsDir, `${th.sessionIds[0]}.jsonl`), 'more\n');
    const v = await verifyArchive(archive, th.sessionsDir);
    expect(v).toMatchObject({ ok: false });
    const problems = v.ok ? '' : v.problems.join('\n');
    expect(problems).toMatch(/new\.jsonl is not in the archive/);
    expect(problems).toMatch(/\.jsonl: \d+ bytes in the archive, \d+ on disk/);
  });

  it('rejects a truncated or corrupt archive without throwing', async () => {
    th = await makeTempHome({ sessions: 3 });
    const { archive } = await archiveSessions(th.sessionsDir, th.backupsDir);
    const bytes = await fs.readFile(archive);
    await fs.writeFile(archive, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect((await verifyArchive(archive, th.sessionsDir)).ok).toBe(false);
    await fs.writeFile(archive, Buffer.from('not a tarball at all'));
    expect((await verifyArchive(archive, th.sessionsDir)).ok).toBe(false);
    expect((await verifyArchive(path.join(th.backupsDir, 'missing.tar.gz'), th.sessionsDir)).ok).toBe(false);
  });
});

describe('clearSessions', () => {
  it('removes the archived files only with a verified archive', async () => {
    th = await makeTempHome({ sessions: 4 });
    const { archive } = await archiveSessions(th.sessionsDir, th.backupsDir);
    const forged = { verified: true, archive, archiveSha256: '', sessionsDir: th.sessionsDir, files: [] } as VerifiedArchive;
    await expect(clearSessions(th.sessionsDir, forged)).rejects.toThrow(/not verified/);
    expect(await listSessionFiles(th.sessionsDir)).toHaveLength(5);

    const v = await verifyArchive(archive, th.sessionsDir);
    if (!v.ok) throw new Error(v.problems.join('; '));
    await expect(clearSessions(path.join(th.home, 'elsewhere'), v.verified)).rejects.toThrow(/verified archive is of/);
    const result = await clearSessions(th.sessionsDir, v.verified);
    expect(result.removed).toHaveLength(5);
    expect(await listSessionFiles(th.sessionsDir)).toEqual([]);
    expect((await fs.stat(th.sessionsDir)).isDirectory()).toBe(true);
  });

  it('keeps files written after the verification', async () => {
    th = await makeTempHome({ sessions: 2 });
    const { archive } = await archiveSessions(th.sessionsDir, th.backupsDir);
    const v = await verifyArchive(archive, th.sessionsDir);
    if (!v.ok) throw new Error(v.problems.join('; '));
    await fs.writeFile(path.join(th.sessionsDir, 'late.jsonl'), '{}\n');
    await fs.appendFile(path.join(th.sessionsDir, 'sessions.json'), ' ');
    const result = await clearSessions(th.sessionsDir, v.verified);
    expect(result.kept).toEqual([
      { path: 'late.jsonl', reason: 'new since the backup' },
      { path: 'sessions.json', reason: 'changed since the backup' },
    ]);
    expect(result.removed).toHaveLength(2);
  });

  it('refuses when the archive changed after verification', async () => {
    th = await makeTempHome({ sessions: 2 });
    const { archive } = await archiveSessions(th.sessionsDir, th.backupsDir);
    const v = await verifyArchive(archive, th.sessionsDir);
    if (!v.ok) throw new Error(v.problems.join('; '));
    await fs.rm(archive);
    await expect(clearSessions(th.sessionsDir, v.verified)).rejects.toThrow(/changed or vanished/);
    expect(await listSessionFiles(th.sessionsDir)).toHaveLength(3);
  });
});

describe('restoreSessions', () => {
  it('puts the latest archive back after setting the current sessions aside', async () => {
    th = await makeTempHome({ sessions: 3 });
    const original = await sessionTexts(th.sessionsDir);
    const { archive } = await archiveSessions(th.sessionsDir, th.backupsDir, { now: new Date(2026, 10, 23, 10, 0, 0) });
    const v = await verifyArchive(archive, th.sessionsDir);
    if (!v.ok) throw new Error(v.problems.join('; '));
    await clearSessions(th.sessionsDir, v.verified);
    await fs.writeFile(path.join(th.sessionsDir, 'after-reset.jsonl'), '{"type":"session"}\n');

    const result = await restoreSessions(undefined, th.sessionsDir, th.backupsDir, { now: new Date(2026, 10, 23, 11, 0, 0) });
    expect(result.restoredFrom).toBe(archive);
    expect(result.files).toBe(4);
    expect(await sessionTexts(th.sessionsDir)).toEqual(original);
    // The session written after the reset is in its own archive.
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'claw-doctor-untar-'));
    extra.push(out);
    execFileSync('tar', ['-xzf', result.savedCurrent!, '-C', out]);
    expect(await sessionTexts(path.join(out, 'sessions'))).toEqual({ 'after-reset.jsonl': '{"type":"session"}\n' });
  });

  it('says so when there is nothing to restore', async () => {
    th = await makeTempHome({ sessions: 1 });
    await expect(restoreSessions(undefined, th.sessionsDir, th.backupsDir)).rejects.toThrow(/no sessions archive/);
  });
});
