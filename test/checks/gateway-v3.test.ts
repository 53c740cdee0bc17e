// The gateway checks on a real 2026.9 state dir (fixture openclaw-2026.9.6/healthy, copied to a temp home):
// the product's install record of the Kimi plugin in state/openclaw.sqlite. Reading it needs node:sqlite
// (Node 22.13+; the suite also runs on Node 22 and 24 in CI); on an older Node the plugin is judged from
// the config and the disk alone.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { findingsFor, V3_FIXTURES } from '../support/doctor.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { makeFakeGateway, type FakeGateway } from '../support/fake-gateway.js';
import { findFinding } from '../support/findings.js';

const sqlite = (await import('node:sqlite' as string).catch(() => undefined)) as object | undefined;

let gw: FakeGateway | undefined;
let h: TempHome | undefined;
afterEach(async () => {
  await gw?.cleanup();
  h?.cleanup();
  gw = h = undefined;
});

async function v3Home(): Promise<{ h: TempHome; gw: FakeGateway; env: NodeJS.ProcessEnv }> {
  h = makeTempHome({ prefix: 'claw-doctor-gw3-' });
  fs.cpSync(path.join(V3_FIXTURES, 'healthy/home/.openclaw'), path.join(h.home, '.openclaw'), { recursive: true });
  const config = path.join(h.home, '.openclaw/openclaw.json');
  const old = new Date(Date.now() - 3600_000);
  fs.utimesSync(config, old, old);
  gw = await makeFakeGateway({ name: 'openclaw', behaviour: { version: '2026.9.6' } });
  const env = { PATH: [gw.binDir, path.dirname(process.execPath)].join(path.delimiter), OPENCLAW_GATEWAY_PORT: String(gw.port) };
  return { h, gw, env };
}

describe('gateway checks on a 2026.9 state dir', { timeout: 30_000 }, () => {
  it('the Kimi plugin the product recorded at /opt/kimi-provider is not on this machine', async () => {
    const { h, env } = await v3Home();
    const { findings } = await findingsFor(h, { only: ['gateway.kimi-plugin'] }, env);
    findFinding(findings, {
      check: 'gateway.kimi-plugin',
      severity: 'error',
      title: sqlite ? /recorded as installed, but its files are gone/ : /Kimi plugin is not installed/,
      cause: 'kimi-plugin-missing',
    });
  });
});
