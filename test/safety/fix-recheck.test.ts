// Issue 15 item 14 and item 15's leftovers: `--fix --yes --reset-sessions` re-checks sessions.errors after the
// reset (a run right after exits 0, so this one must too), and what a killed run left behind is cleaned up.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureConfig } from '../support/doctor.js';
import { makeFakeGateway, type FakeGateway } from '../support/fake-gateway.js';
import { assistantError, lines, sessionHeader, userMessage } from '../support/logs-fixtures.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { doctor } from './helpers.js';

let th: TempHome | undefined;
let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.cleanup();
  await th?.cleanup();
  th = undefined;
  gw = undefined;
});

async function home(): Promise<NodeJS.ProcessEnv> {
  th = await makeTempHome({ config: fixtureConfig('config-working.json5') });
  gw = await makeFakeGateway();
  const id = '0b9a4a7e-1111-4c3e-9a55-2d7c5d0c4f10';
  // The error came after the last config change: not "may be fixed already", an error.
  const hourAgo = new Date(Date.now() - 3_600_000);
  fs.utimesSync(th.configPath, hourAgo, hourAgo);
  const t = new Date(Date.now() - 60_000).toISOString();
  fs.mkdirSync(th.sessionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(th.sessionsDir, `${id}.jsonl`),
    lines(sessionHeader(id, t), userMessage('hi', t), assistantError(t, '403 Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.')),
  );
  fs.writeFileSync(path.join(th.sessionsDir, 'sessions.json'), JSON.stringify({ 'agent:main:main': { sessionId: id, updatedAt: Date.now() - 60_000 } }));
  return { HOME: th.home, USER: 'tester', PATH: [gw.binDir, path.dirname(process.execPath)].join(path.delimiter), CLAWDBOT_GATEWAY_PORT: String(gw.port), CLAW_DOCTOR_LOG_ROOTS: th.home, TMPDIR: th.home };
}

describe('--fix --yes --reset-sessions', { timeout: 60_000 }, () => {
  it('re-checks sessions.errors after the reset: exit 0, as a fresh run right after', async () => {
    const env = await home();
    const before = await doctor(['--offline', '--only', 'sessions.errors'], env);
    expect(before.code, before.stdout).toBe(1);
    const fix = await doctor(['--offline', '--fix', '--yes', '--reset-sessions', '--only', 'sessions.errors'], env);
    expect(fix.stdout).toMatch(/\[sessions\.errors\] back up and clear the sessions of agent main[^\n]*\n\s+fixed \(checked again/);
    expect(fix.code, fix.stdout).toBe(0);
    expect((await doctor(['--offline', '--only', 'sessions.errors'], env)).code).toBe(0);
  });

  it('removes what a killed run left: a partial archive and a temp file beside the config', async () => {
    const env = await home();
    const dead = 2_147_483_000; // no such process
    fs.mkdirSync(th!.backupsDir, { recursive: true });
    const partial = path.join(th!.backupsDir, `sessions-20261201-000000.${dead}.tar.gz.partial`);
    const tmp = path.join(th!.stateDir, `.clawdbot.json.claw-doctor-${dead}-0a1b2c3d.tmp`);
    fs.writeFileSync(partial, 'half an archive');
    fs.writeFileSync(tmp, '{ half a config');
    await doctor(['--offline', '--fix', '--yes', '--reset-sessions', '--only', 'sessions.errors'], env);
    expect(fs.existsSync(partial)).toBe(false);
    expect(fs.existsSync(tmp)).toBe(false);
  });
});
