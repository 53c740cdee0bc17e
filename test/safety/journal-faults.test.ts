// Issue 15 items 2, 3 and 11: another writer's edit is never lost; a change is journaled before it is made,
// so a full disk or a clear that fails part-way is reported as it is and can be undone; restore journals
// one entry whatever the number of files.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyConfigEdits, ConfigEditError } from '../../src/fix/config-edit.js';
import { sha256 } from '../../src/fix/files.js';
import { Journal, readJournals } from '../../src/fix/journal.js';
import { resetSessions } from '../../src/fix/reset-sessions.js';
import { listSessionFiles, restoreSessions } from '../../src/fix/sessions-backup.js';
import { onStep } from '../../src/fix/step-hook.js';
import { undoLast } from '../../src/fix/undo.js';
import { findGatewayCli } from '../../src/fix/gateway.js';
import { freePort } from '../support/fake-gateway.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { NO_UA, tree } from './helpers.js';

const UA = ['models', 'providers', 'kimi-code', 'models', 0, 'headers', 'User-Agent'];
const edit = [{ op: 'set' as const, path: UA, value: 'KimiCLI/0.77' }];

let th: TempHome | undefined;
const mounts: string[] = [];
const immutable: string[] = [];
afterEach(async () => {
  onStep(undefined);
  for (const f of immutable.splice(0)) execFileSync('chattr', ['-i', f]);
  for (const m of mounts.splice(0)) execFileSync('umount', [m]);
  await th?.cleanup();
  th = undefined;
});

const isRoot = process.getuid?.() === 0;

/** A small tmpfs of its own, so a test can fill it (ENOSPC) without touching anything else. */
function smallDisk(kb: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

function fill(dir: string): void {
  try {
    fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(64 * 1024 * 1024));
  } catch {
    /* ENOSPC: full, as wanted */
  }
}

describe('another writer during an edit (item 2)', () => {
  it('an edit made after the plan is read but before the rename is kept, and nothing is written', async () => {
    th = await makeTempHome({ config: NO_UA });
    onStep((name) => {
      if (name === 'config.intent') fs.appendFileSync(th!.configPath, '// their edit\n');
    });
    await expect(applyConfigEdits(th.configPath, edit, new Journal(th.stateDir), { summary: 'ua' })).rejects.toThrow(ConfigEditError);
    expect(fs.readFileSync(th.configPath, 'utf8')).toBe(`${NO_UA}// their edit\n`);
    // The run changed nothing, so its journal has nothing to undo.
    expect((await readJournals(th.stateDir)).flatMap((j) => j.doc.changes)).toEqual([]);
  });

  it('an in-place edit landing between the last check and the rename is saved beside the file, not lost', async () => {
    th = await makeTempHome({ config: NO_UA });
    onStep((name) => {
      if (name === 'config.checked') fs.appendFileSync(th!.configPath, '// their late edit\n');
    });
    const r = await applyConfigEdits(th.configPath, edit, new Journal(th.stateDir), { summary: 'ua' });
    expect(r.lateEdit).toBeDefined();
    expect(fs.readFileSync(r.lateEdit!, 'utf8')).toBe(`${NO_UA}// their late edit\n`);
    expect(fs.readFileSync(th.configPath, 'utf8')).toContain('KimiCLI/0.77');
  });

  it('a file deleted by another run since the plan is named as deleted, not as changed', async () => {
    th = await makeTempHome({ config: NO_UA });
    fs.rmSync(th.configPath);
    await expect(applyConfigEdits(th.configPath, edit, new Journal(th.stateDir), { summary: 'ua', expectSha256: sha256(NO_UA) })).rejects.toThrow(/was deleted since the plan/);
  });
});

/** A config on a 256 KB tmpfs that fills up when the edit reaches `step`. */
function configOnSmallDisk(step: string): { disk: string; stateDir: string; file: string } {
  const disk = smallDisk(256);
  const stateDir = path.join(disk, '.clawdbot');
  fs.mkdirSync(stateDir);
  const file = path.join(stateDir, 'clawdbot.json');
  fs.writeFileSync(file, NO_UA, { mode: 0o600 });
  onStep((name) => {
    if (name === step) fill(disk);
  });
  return { disk, stateDir, file };
}

describe.skipIf(!isRoot)('a full disk (item 3; needs root for a tmpfs of its own)', () => {
  it('ENOSPC after the config was renamed: reported as applied, and undo still reverts it', async () => {
    const { disk, stateDir, file } = configOnSmallDisk('config.written');
    const r = await applyConfigEdits(file, edit, new Journal(stateDir), { summary: 'ua' });
    expect(r.changed).toBe(true);
    expect(r.journalError).toMatch(/ENOSPC/);
    onStep(undefined);
    fs.rmSync(path.join(disk, 'filler'));
    const [j] = await readJournals(stateDir);
    expect(j!.doc.changes.map((c) => [c.kind, c.state])).toEqual([['file.edit', 'intent']]);
    expect((await undoLast(stateDir)).status).toBe('undone');
    expect(fs.readFileSync(file, 'utf8')).toBe(NO_UA);
  });

  it('ENOSPC before the intent can be journaled: nothing is changed and no empty journal is left that undo trips on', async () => {
    const { stateDir, file } = configOnSmallDisk('config.backup');
    await expect(applyConfigEdits(file, edit, new Journal(stateDir), { summary: 'ua' })).rejects.toThrow(/ENOSPC/);
    expect(fs.readFileSync(file, 'utf8')).toBe(NO_UA);
    expect((await undoLast(stateDir)).status).toBe('nothing');
  });
});

describe.skipIf(!isRoot)('a clear that fails part-way (item 3; chattr needs root)', () => {
  it('is reported as partly cleared, is journaled, and undo puts the removed files back', async () => {
    th = await makeTempHome({ config: '{}\n', sessions: 4 });
    const before = await tree(th.sessionsDir);
    const stuck = path.join(th.sessionsDir, `${th.sessionIds[2]}.jsonl`);
    execFileSync('chattr', ['+i', stuck]);
    immutable.push(stuck);
    const port = await freePort();
    const cli = await findGatewayCli({ env: { PATH: '' } });
    const journal = new Journal(th.stateDir);
    const r = await resetSessions({ stateDir: th.stateDir, cli, port, journal, deps: { gatewayIsUp: async () => false, gatewayStop: async () => ({ action: 'stop', kind: 'not-running', ok: true, command: 'x', exitCode: 0, output: '', answer: 'done', instruction: '' }) } });
    expect(r).toMatchObject({ ok: false, failedAt: 'clear', sessions: 'partly-cleared', removed: 4 });
    expect(r.state).toMatch(/only in part/);
    expect(journal.changes.map((c) => c.kind)).toEqual(['sessions.reset']);
    execFileSync('chattr', ['-i', stuck]);
    immutable.splice(0);
    expect((await undoLast(th.stateDir)).status).toBe('undone');
    expect(await tree(th.sessionsDir)).toEqual(before);
  });
});

describe('restore is linear (item 11)', { timeout: 60_000 }, () => {
  it('journals one entry for 2,000 files, and undo removes every one of them', async () => {
    th = await makeTempHome({ config: '{}\n' });
    const src = path.join(th.home, 'src', 'sessions');
    await fsp.mkdir(src, { recursive: true });
    for (let i = 0; i < 2000; i++) fs.writeFileSync(path.join(src, `s${i}.jsonl`), `{"i":${i}}\n`);
    const archive = path.join(th.home, 'sessions-20261201-000000.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', path.dirname(src), 'sessions']);
    let writes = 0;
    const journal = new Journal(th.stateDir);
    const spy = { intend: async (...a: Parameters<Journal['intend']>) => (writes++, journal.intend(...a)) };
    let entry = -1;
    await restoreSessions(archive, th.sessionsDir, th.backupsDir, {
      journal: {
        intend: async (entries, savedCurrent) => {
          entry = await spy.intend({ kind: 'sessions.restore', sessionsDir: th!.sessionsDir, backupsDir: th!.backupsDir, source: archive, savedCurrent, entries, summary: 'restore' });
        },
        done: async () => journal.done(entry),
      },
    });
    expect(writes).toBe(1);
    expect((await listSessionFiles(th.sessionsDir)).length).toBe(2000);
    const [j] = await readJournals(th.stateDir);
    expect(j!.doc.changes).toHaveLength(1);
    expect((await undoLast(th.stateDir)).status).toBe('undone');
    expect(await listSessionFiles(th.sessionsDir)).toEqual([]);
  });
});
