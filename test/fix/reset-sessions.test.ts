import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findGatewayCli, gatewayIsUp, type GatewayCli } from '../../src/fix/gateway.js';
import { Journal } from '../../src/fix/journal.js';
import { undoLast } from '../../src/fix/undo.js';
import { resetSessions, type ResetSessionsOptions } from '../../src/fix/reset-sessions.js';
import { listSessionFiles, verifyArchive } from '../../src/fix/sessions-backup.js';
import { makeFakeGateway, type FakeGateway, type FakeGatewayBehaviour } from '../support/fake-gateway.js';
import { sessionTexts } from '../support/session-files.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

let gw: FakeGateway | undefined;
let th: TempHome | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await gw?.cleanup();
  await th?.cleanup();
  gw = undefined;
  th = undefined;
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

async function setup(behaviour: Partial<FakeGatewayBehaviour>, sessions = 4): Promise<{ opts: ResetSessionsOptions; cli: GatewayCli }> {
  th = await makeTempHome({ config: '{ gateway: { mode: "local" } }\n', sessions });
  gw = await makeFakeGateway({ behaviour });
  const cli = await findGatewayCli({ env: gw.env(th.env), cwd: th.home });
  return { cli, opts: { stateDir: th.stateDir, cli, port: gw.port, timeoutMs: 8000, settleMs: 2000 } };
}

describe('resetSessions', () => {
  it('stops, archives, verifies, clears, starts and confirms; the archive extracts with the system tar', async () => {
    const { opts } = await setup({});
    await gw!.startService();
    const before = await sessionTexts(th!.sessionsDir);
    const journal = new Journal(th!.stateDir);

    const result = await resetSessions({ ...opts, journal });
    expect(result).toMatchObject({ ok: true, sessions: 'cleared', gateway: 'running', removed: 5 });
    expect(result.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['stop:ok', 'archive:ok', 'verify:ok', 'clear:ok', 'start:ok']);
    expect(await listSessionFiles(th!.sessionsDir)).toEqual([]);
    expect(await gatewayIsUp(gw!.port)).toBe(true);
    expect((await gw!.calls()).map((c) => c.argv.join(' '))).toEqual(['gateway stop', 'gateway start']);
    expect(path.dirname(result.archive!)).toBe(path.join(th!.stateDir, 'backups'));

    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'claw-doctor-untar-'));
    dirs.push(out);
    execFileSync('tar', ['-xzf', result.archive!, '-C', out]);
    expect(await sessionTexts(path.join(out, 'sessions'))).toEqual(before);

    // The journal can put them back.
    expect(journal.changes.map((c) => c.kind)).toEqual(['sessions.reset']);
    expect((await undoLast(th!.stateDir)).status).toBe('undone');
    expect(await sessionTexts(th!.sessionsDir)).toEqual(before);
  });

  it('leaves the sessions untouched when the gateway cannot be stopped (foreground)', async () => {
    const { opts } = await setup({ stop: 'no-systemd' });
    await gw!.foreground();
    const before = await sessionTexts(th!.sessionsDir);
    const result = await resetSessions(opts);
    expect(result).toMatchObject({ ok: false, failedAt: 'stop', sessions: 'untouched', gateway: 'running' });
    expect(result.instruction).toMatch(/Stop it yourself/);
    expect(await sessionTexts(th!.sessionsDir)).toEqual(before);
    expect(await fs.readdir(th!.stateDir)).not.toContain('backups');
  });

  it('leaves the sessions untouched when stop hangs', async () => {
    const { opts } = await setup({ stop: 'hang' });
    const before = await sessionTexts(th!.sessionsDir);
    const result = await resetSessions({ ...opts, timeoutMs: 800 });
    expect(result).toMatchObject({ ok: false, failedAt: 'stop', sessions: 'untouched', gateway: 'unknown' });
    expect(await sessionTexts(th!.sessionsDir)).toEqual(before);
  });

  it('deletes nothing when the archive cannot be written, and brings the gateway back', async () => {
    const { opts } = await setup({});
    await gw!.startService();
    const before = await sessionTexts(th!.sessionsDir);
    await fs.writeFile(path.join(th!.stateDir, 'backups'), 'not a directory');
    const result = await resetSessions(opts);
    expect(result).toMatchObject({ ok: false, failedAt: 'archive', sessions: 'untouched', gateway: 'running' });
    expect(result.state).toMatch(/No session was deleted.*started again/);
    expect(await sessionTexts(th!.sessionsDir)).toEqual(before);
    expect(await gatewayIsUp(gw!.port)).toBe(true);
  });

  it('deletes nothing when the archive does not verify', async () => {
    const { opts } = await setup({});
    await gw!.startService();
    const before = await sessionTexts(th!.sessionsDir);
    const result = await resetSessions({
      ...opts,
      restartOnFailure: false,
      deps: {
        // A backup damaged between writing and reading back.
        verifyArchive: async (archive, dir) => {
          const bytes = await fs.readFile(archive);
          await fs.writeFile(archive, bytes.subarray(0, 40));
          return verifyArchive(archive, dir);
        },
      },
    });
    expect(result).toMatchObject({ ok: false, failedAt: 'verify', sessions: 'untouched', gateway: 'stopped' });
    expect(result.instruction).toMatch(/clawdbot gateway start/);
    expect(await sessionTexts(th!.sessionsDir)).toEqual(before);
    expect(await gatewayIsUp(gw!.port)).toBe(false);
  });

  it('with no service and nothing running: resets and leaves the gateway off, saying how to start it', async () => {
    const { opts } = await setup({ stop: 'not-loaded', start: 'not-loaded' });
    const result = await resetSessions(opts);
    expect(result).toMatchObject({ ok: true, sessions: 'cleared', gateway: 'not-running' });
    expect(result.steps.at(-1)).toMatchObject({ step: 'start', status: 'skipped' });
    expect(result.instruction).toMatch(/Start the gateway when you want it/);
    expect((await gw!.calls()).map((c) => c.argv.join(' '))).toEqual(['gateway stop']);
  });

  it('reports a gateway that does not come back', async () => {
    const { opts } = await setup({});
    await gw!.startService();
    await gw!.configure({ start: 'blocked-mode' });
    const result = await resetSessions(opts);
    expect(result).toMatchObject({ ok: false, failedAt: 'start', sessions: 'cleared', gateway: 'stopped' });
    expect(result.instruction).toMatch(/gateway\.mode|"mode": "local"/);
    expect(result.state).toMatch(/Sessions cleared .* did not come back up/);
  });

  it('has nothing to do without sessions', async () => {
    const { opts } = await setup({ stop: 'not-loaded' }, 0);
    const result = await resetSessions(opts);
    expect(result).toMatchObject({ ok: true, sessions: 'none', removed: 0 });
  });
});
