// The --report header names the gateway's state in one line, from the fact the gateway checks computed
// (the report asks nothing itself): a fake product CLI on PATH and its "service" listening on a loopback port.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureConfig, runCli } from './support/doctor.js';
import { makeFakeGateway, type FakeGateway } from './support/fake-gateway.js';
import { makeTempHome, type TempHome } from './support/temp-home.js';

const CONFIG = fixtureConfig('config-working.json5').replace('{\n', '{\n  "gateway": { "mode": "local" },\n');

let th: TempHome | undefined;
let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.cleanup();
  await th?.cleanup();
  gw = th = undefined;
});

describe('the report header says how the gateway is', { timeout: 30_000 }, () => {
  it('running: port, service kind and pid; not collected when no gateway check ran', async () => {
    th = await makeTempHome({ config: CONFIG });
    gw = await makeFakeGateway();
    await gw.startService();
    const env = { HOME: th.home, USER: 'tester', PATH: [gw.binDir, path.dirname(process.execPath)].join(path.delimiter), CLAWDBOT_GATEWAY_PORT: String(gw.port) };
    const r = await runCli(['--offline', '--report', '--only', 'gateway,config'], { env, cwd: th.home });
    expect(r.stdout).toMatch(new RegExp(`^- \\*\\*Gateway\\*\\* running on port ${gw.port} \\(systemd service, pid \\d+, started \\d{4}-\\d\\d-\\d\\dT`, 'm'));
    const without = await runCli(['--offline', '--report', '--only', 'config'], { env, cwd: th.home });
    expect(without.stdout).not.toMatch(/\*\*Gateway\*\*/);
  });

  it('stopped in a container without systemd', async () => {
    th = await makeTempHome({ config: CONFIG });
    gw = await makeFakeGateway({ behaviour: { status: 'no-systemd' } });
    const env = { HOME: th.home, USER: 'tester', PATH: [gw.binDir, path.dirname(process.execPath)].join(path.delimiter), CLAWDBOT_GATEWAY_PORT: String(gw.port) };
    const r = await runCli(['--offline', '--report', '--only', 'gateway'], { env, cwd: th.home });
    expect(r.stdout).toMatch(new RegExp(`^- \\*\\*Gateway\\*\\* not running \\(nothing listens on port ${gw.port}; in a container without systemd\\)`, 'm'));
  });
});
