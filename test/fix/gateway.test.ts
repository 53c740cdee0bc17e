import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  findGatewayCli,
  gatewayIsUp,
  gatewayPort,
  gatewayStart,
  gatewayStop,
  readCliAnswer,
  type GatewayCli,
} from '../../src/fix/gateway.js';
import { FIXTURE_DIR } from './corpus.js';
import { CLI_TEXT, makeFakeGateway, type FakeGateway } from '../support/fake-gateway.js';
import { makeTempHome } from '../support/temp-home.js';

let gw: FakeGateway | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await gw?.cleanup();
  gw = undefined;
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

async function setup(behaviour: Parameters<typeof makeFakeGateway>[0] = {}): Promise<{ gw: FakeGateway; cli: GatewayCli; home: string }> {
  gw = await makeFakeGateway(behaviour);
  const { home } = makeTempHome({ prefix: 'claw-doctor-gwhome-' });
  dirs.push(home);
  const cli = await findGatewayCli({ env: gw.env({ PATH: process.env.PATH, HOME: home }), cwd: home });
  return { gw, cli, home };
}

const FAST = { timeoutMs: 8000, settleMs: 2000 };

describe('readCliAnswer on the real CLI outputs', () => {
  const fixture = async (name: string): Promise<{ output: string; exitCode: number }> => {
    const text = await fs.readFile(path.join(FIXTURE_DIR, 'cli', name), 'utf8');
    const m = /\nexit=(\d+)\s*$/.exec(text)!;
    return { output: text.slice(0, m.index).trim(), exitCode: Number(m[1]) };
  };
  it.each(['gatewaystop.txt', 'gatewaystart.txt', 'gatewayrestart.txt', 'gatewaystopjson.txt'])('%s: systemd unavailable, exit 1', async (name) => {
    const f = await fixture(name);
    expect(f.exitCode).toBe(1);
    expect(readCliAnswer({ command: 'clawdbot gateway stop', timedOut: false, ...f })).toEqual({ said: 'no-systemd' });
  });
  it('gateway status (exit 0) still says systemd is unavailable', async () => {
    const f = await fixture('gatewaystatus.txt');
    expect(readCliAnswer({ command: 'clawdbot gateway status', timedOut: false, ...f })).toEqual({ said: 'no-systemd' });
  });
  it('reads "not loaded" with exit 0 as nothing done', () => {
    expect(readCliAnswer({ command: 'x', output: 'Gateway service not loaded.', exitCode: 0, timedOut: false })).toEqual({
      said: 'no-service',
      state: 'not loaded',
    });
    expect(readCliAnswer({ command: 'x', output: 'Gateway service disabled.', exitCode: 0, timedOut: false })).toMatchObject({ state: 'disabled' });
    expect(readCliAnswer({ command: 'x', output: CLI_TEXT.blocked, exitCode: 1, timedOut: false })).toEqual({ said: 'blocked-mode' });
    expect(readCliAnswer({ command: 'x', output: 'Stopped systemd service: clawdbot-gateway.service', exitCode: 0, timedOut: false })).toEqual({ said: 'done' });
  });
});

describe('findGatewayCli and gatewayPort', () => {
  it('finds the product CLI on PATH, preferring the one asked for', async () => {
    const { cli, gw } = await setup();
    expect(cli).toMatchObject({ file: gw.cliPath, product: 'clawdbot', display: 'clawdbot', prefixArgs: [] });
    const other = await makeFakeGateway({ name: 'openclaw' });
    try {
      const env = { PATH: [gw.binDir, other.binDir].join(path.delimiter) };
      expect((await findGatewayCli({ env })).product).toBe('openclaw');
      expect((await findGatewayCli({ env, prefer: 'clawdbot' })).product).toBe('clawdbot');
    } finally {
      await other.cleanup();
    }
  });

  it('falls back to npx --no, as the guide runs it', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'claw-doctor-empty-'));
    dirs.push(empty);
    expect(await findGatewayCli({ env: { PATH: empty } })).toMatchObject({ file: 'npx', prefixArgs: ['--no', 'clawdbot'], display: 'npx clawdbot' });
  });

  it('takes the env override, then gateway.port, then 18789', () => {
    expect(gatewayPort()).toBe(18789);
    expect(gatewayPort({ configPort: 19001 })).toBe(19001);
    expect(gatewayPort({ configPort: 19001, env: { CLAWDBOT_GATEWAY_PORT: '18800' } })).toBe(18800);
    expect(gatewayPort({ configPort: 19001, env: { OPENCLAW_GATEWAY_PORT: '18801', CLAWDBOT_GATEWAY_PORT: '18800' } })).toBe(18801);
    expect(gatewayPort({ configPort: 'x', env: { CLAWDBOT_GATEWAY_PORT: 'abc' } })).toBe(18789);
  });
});

describe('gatewayStop / gatewayStart against the fake CLI', () => {
  it('stops and starts a service, confirming on the port, and records the calls', async () => {
    const { gw, cli, home } = await setup();
    await gw.startService();
    expect(await gatewayIsUp(gw.port)).toBe(true);
    const stop = await gatewayStop({ cli, port: gw.port, ...FAST });
    expect(stop).toMatchObject({ kind: 'stopped', ok: true, exitCode: 0 });
    expect(await gatewayIsUp(gw.port)).toBe(false);
    const start = await gatewayStart({ cli, port: gw.port, ...FAST });
    expect(start).toMatchObject({ kind: 'started', ok: true });
    expect(await gatewayIsUp(gw.port)).toBe(true);
    expect(await gw.calls()).toEqual([
      { argv: ['gateway', 'stop'], cwd: home },
      { argv: ['gateway', 'start'], cwd: home },
    ]);
  });

  it('"not loaded" with exit 0 and a silent port: not running, and start did nothing', async () => {
    const { gw, cli } = await setup({ behaviour: { stop: 'not-loaded', start: 'not-loaded' } });
    expect(await gatewayStop({ cli, port: gw.port, ...FAST })).toMatchObject({ kind: 'not-running', ok: true, answer: 'no-service', exitCode: 0 });
    const start = await gatewayStart({ cli, port: gw.port, ...FAST });
    expect(start).toMatchObject({ kind: 'no-service', ok: false, exitCode: 0 });
    expect(start.instruction).toMatch(/No gateway service is installed.*clawdbot gateway install/);
  });

  it('systemctl unavailable (container): exit 1, nothing on the port means not running; start says how to run it', async () => {
    const { gw, cli } = await setup({ behaviour: { stop: 'no-systemd', start: 'no-systemd' } });
    expect(await gatewayStop({ cli, port: gw.port, ...FAST })).toMatchObject({ kind: 'not-running', ok: true, answer: 'no-systemd', exitCode: 1 });
    const start = await gatewayStart({ cli, port: gw.port, ...FAST });
    expect(start).toMatchObject({ kind: 'no-systemd', ok: false, exitCode: 1 });
    expect(start.instruction).toMatch(/foreground/);
  });

  it('a foreground gateway cannot be stopped by the CLI', async () => {
    const { gw, cli } = await setup({ behaviour: { stop: 'no-systemd' } });
    await gw.foreground();
    const stop = await gatewayStop({ cli, port: gw.port, ...FAST });
    expect(stop).toMatchObject({ kind: 'foreground', ok: false });
    expect(stop.instruction).toMatch(/Stop it yourself/);
  });

  it('start blocked by gateway.mode', async () => {
    const { gw, cli } = await setup({ behaviour: { start: 'blocked-mode' } });
    const start = await gatewayStart({ cli, port: gw.port, ...FAST });
    expect(start).toMatchObject({ kind: 'blocked-mode', ok: false });
    expect(start.instruction).toMatch(/"mode": "local"/);
  });

  it('a hanging CLI is cut off at the time limit', async () => {
    const { gw, cli } = await setup({ behaviour: { stop: 'hang', start: 'hang' } });
    // The fake CLI hangs forever: a 'timeout' outcome means the limit cut it off.
    expect(await gatewayStop({ cli, port: gw.port, timeoutMs: 1000, settleMs: 500 })).toMatchObject({ kind: 'timeout', ok: false });
    expect(await gatewayStart({ cli, port: gw.port, timeoutMs: 1000, settleMs: 500 })).toMatchObject({ kind: 'timeout', ok: false });
  });

  it('a start that claims success but never listens is not up', async () => {
    const { gw, cli } = await setup({ behaviour: { start: 'success-no-listen', health: 'fail' } });
    expect(await gatewayStart({ cli, port: gw.port, ...FAST, settleMs: 600 })).toMatchObject({ kind: 'not-up', ok: false });
  });

  it('gatewayIsUp falls back to health --json', async () => {
    const { gw, cli } = await setup({ behaviour: { health: 'ok' } });
    expect(await gatewayIsUp(gw.port)).toBe(false);
    expect(await gatewayIsUp(gw.port, { cli })).toBe(true);
    await gw.configure({ health: 'fail' });
    expect(await gatewayIsUp(gw.port, { cli })).toBe(false);
    expect((await gw.calls()).map((c) => c.argv)).toEqual([
      ['health', '--json'],
      ['health', '--json'],
    ]);
  });

  it('reports a CLI that is not there', async () => {
    const cli: GatewayCli = { file: '/nonexistent/clawdbot', prefixArgs: [], product: 'clawdbot', display: 'clawdbot', env: { PATH: '' } };
    gw = await makeFakeGateway();
    expect(await gatewayStop({ cli, port: gw.port, ...FAST })).toMatchObject({ kind: 'not-running', answer: 'cli-missing' });
    expect(await gatewayStart({ cli, port: gw.port, ...FAST })).toMatchObject({ kind: 'cli-missing', ok: false });
  });
});
