// Issue 15 items 1, 3 and 10: a process killed (SIGKILL) at every named step of --fix --reset-sessions,
// restore and undo — a loop over the steps (src/fix/step-hook.ts), not one lucky timing — loses nothing:
// `undo` afterwards gives back the config byte for byte and every session file and link as it was.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { doctor, safetyHome, userData, type SafetyHome } from './helpers.js';

const FIX = ['--offline', '--fix', '--yes', '--reset-sessions', '--only', 'provider.user-agent'];
const FIX_STEPS = ['config.backup', 'config.intent', 'config.written', 'config.done', 'sessions.archived', 'sessions.intent', 'sessions.removed:1', 'sessions.removed:4', 'sessions.done'];
const RESTORE_STEPS = ['restore.set-aside', 'restore.intent', 'restore.cleared', 'restore.extracted', 'restore.done'];

let h: SafetyHome | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const killAt = (env: NodeJS.ProcessEnv, step: string): NodeJS.ProcessEnv => ({ ...env, CLAW_DOCTOR_TEST_KILL_AT: step });

describe('kill -9 at every step, then undo', { timeout: 120_000 }, () => {
  it.each(FIX_STEPS)('--fix --reset-sessions killed at %s: undo puts everything back', async (step) => {
    h = await safetyHome();
    const before = await userData(h);
    const killed = await doctor(FIX, killAt(h.env, step));
    expect(killed.signal).toBe('SIGKILL');
    const undo = await doctor(['undo'], h.env);
    expect(undo.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await userData(h)).toEqual(before);
    // No partial archive is left to look like a backup.
    const backups = await fs.readdir(h.th.backupsDir).catch(() => [] as string[]);
    expect(backups.filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it.each(RESTORE_STEPS)('restore killed at %s: undo puts back the sessions that were there', async (step) => {
    h = await safetyHome();
    expect((await doctor(FIX, h.env)).code).toBe(0);
    // New sessions since the reset, which a restore must set aside, not lose.
    await fs.writeFile(path.join(h.th.sessionsDir, 'new-since.jsonl'), '{"type":"session","version":3,"id":"new"}\n');
    const before = await userData(h);
    const killed = await doctor(['restore'], killAt(h.env, step));
    expect(killed.signal).toBe('SIGKILL');
    // Killed before its journal entry, a restore has changed nothing (undo would revert the earlier run).
    if (step !== 'restore.set-aside') await doctor(['undo'], h.env);
    expect(await userData(h)).toEqual(before);
  });

  it('undo killed half-way can be run again and finishes the job', async () => {
    h = await safetyHome();
    const before = await userData(h);
    expect((await doctor(FIX, h.env)).code).toBe(0);
    expect((await doctor(['undo'], killAt(h.env, 'undo.entry:1'))).signal).toBe('SIGKILL');
    const again = await doctor(['undo'], h.env);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await userData(h)).toEqual(before);
  });
});

describe('symbolic links in the sessions dir (item 1)', { timeout: 60_000 }, () => {
  it('reset archives links as links (absolute target, relative, linked dir), deletes only the links, and undo/restore bring them back', async () => {
    h = await safetyHome();
    const before = await userData(h);
    const fix = await doctor(FIX, h.env);
    expect(fix.code, fix.stdout).toBe(0);
    const after = await userData(h);
    expect(Object.keys(after).filter((k) => k.startsWith('sessions/'))).toEqual([]);
    // The link targets outside are untouched.
    expect(Object.entries(after).filter(([k]) => k.startsWith('outside/'))).toEqual(Object.entries(before).filter(([k]) => k.startsWith('outside/')));
    const undo = await doctor(['undo'], h.env);
    expect(undo.code, undo.stdout + undo.stderr).toBe(0);
    expect(await userData(h)).toEqual(before);

    // restore of the same archive, over an empty dir.
    expect((await doctor(FIX, h.env)).code).toBe(0);
    const restore = await doctor(['restore'], h.env);
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    const restored = await userData(h);
    expect({ ...restored, config: before.config }).toEqual(before);
  });
});

describe('--reset-sessions and a gateway that was not running (item 10)', { timeout: 60_000 }, () => {
  it('an inactive unit that answers "stopped" is not started afterwards', async () => {
    h = await safetyHome({ stop: 'success' });
    const run = await doctor(['--offline', '--reset-sessions', '--yes'], h.env);
    expect(run.stdout).toMatch(/was not running/);
    const calls = (await h.gw.calls()).map((c) => c.argv.join(' '));
    expect(calls).not.toContain('gateway start');
  });
});
