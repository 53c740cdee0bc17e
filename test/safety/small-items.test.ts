// Issue 15 item 15, the smaller ones: the transcript count is the count on disk (not the read cap), and a
// read-only state dir is named as such (mkdir answered ENOENT there).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureConfig } from '../support/doctor.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { doctor } from './helpers.js';

let th: TempHome | undefined;
const mounts: string[] = [];
afterEach(async () => {
  for (const m of mounts.splice(0)) execFileSync('umount', [m]);
  await th?.cleanup();
  th = undefined;
});

describe('small items', { timeout: 60_000 }, () => {
  it('520 transcripts: the count says 520, and that the newest 500 were read', async () => {
    th = await makeTempHome({ config: fixtureConfig('config-working.json5'), sessions: 520 });
    const r = await doctor(['--offline', '--json', '--verbose', '--only', 'sessions.store'], { ...th.env, CLAW_DOCTOR_LOG_ROOTS: th.home });
    const titles = (JSON.parse(r.stdout) as { findings: { title: string }[] }).findings.map((f) => f.title);
    expect(titles.find((t) => t.startsWith('Agent main'))).toMatch(/^Agent main: 520 session\(s\), 520 transcript\(s\) \(the newest 500 read\)/);
  });

  it('a sessions "dir" that is a file: said plainly, no ENOTDIR', async () => {
    th = await makeTempHome({ config: fixtureConfig('config-working.json5') });
    fs.mkdirSync(path.dirname(th.sessionsDir), { recursive: true });
    fs.writeFileSync(th.sessionsDir, 'not a directory');
    const r = await doctor(['--offline', '--reset-sessions', '--yes'], { ...th.env, CLAW_DOCTOR_LOG_ROOTS: th.home });
    expect(r.stdout).toMatch(/agents\/main\/sessions is not a directory/);
    expect(r.stdout + r.stderr).not.toMatch(/ENOTDIR|scandir/);
  });

  it.skipIf(process.getuid?.() !== 0)('--fix on a read-only state dir: named read-only, nothing changed (needs root for the mount)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-ro-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    mounts.push(dir);
    fs.mkdirSync(path.join(dir, '.clawdbot'));
    const config = fixtureConfig('config-no-user-agent.json5');
    fs.writeFileSync(path.join(dir, '.clawdbot', 'clawdbot.json'), config);
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    const r = await doctor(['--offline', '--fix', '--yes', '--only', 'provider.user-agent'], { HOME: dir, PATH: process.env.PATH, CLAW_DOCTOR_LOG_ROOTS: dir });
    expect(r.stdout).toMatch(/Nothing was changed: the journal cannot be written in ~\/\.clawdbot\/claw-doctor \(EROFS: ~\/\.clawdbot\/claw-doctor is not writable, the filesystem is read-only\)/);
    expect(r.stdout).not.toMatch(/ENOENT/);
    expect(fs.readFileSync(path.join(dir, '.clawdbot', 'clawdbot.json'), 'utf8')).toBe(config);
  });
});
