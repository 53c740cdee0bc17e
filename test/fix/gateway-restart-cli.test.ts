// End to end: a real loopback process runs as "the gateway" (the fake CLI's service), the config changes
// after it started, and `claw-doctor --fix --yes` stops and starts it again on its port — the new process
// is younger than the new config. Real processes, real files in a temp home, an ephemeral port.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPortListener } from '../../src/facts/gateway-process.js';
import { readJournals } from '../../src/fix/journal.js';
import { fixtureConfig, runCli } from '../support/doctor.js';
import { makeFakeGateway, type FakeGateway, type FakeGatewayBehaviour } from '../support/fake-gateway.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

/** `gateway.reload.mode: "off"`: edits wait for a restart (the default `hybrid` reloads them live). */
const CONFIG = fixtureConfig('config-working.json5').replace('{\n', '{\n  "gateway": { "mode": "local", "reload": { "mode": "off" } },\n');
/** Several real processes and a stop/start: more than vitest's 5 s on a busy machine. */
const BUSY_MACHINE_MS = 40_000;

let th: TempHome | undefined;
let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.cleanup();
  await th?.cleanup();
  gw = th = undefined;
});

async function setup(opts: { service?: boolean; behaviour?: Partial<FakeGatewayBehaviour> } = {}): Promise<{ th: TempHome; gw: FakeGateway; env: NodeJS.ProcessEnv }> {
  th = await makeTempHome({ config: CONFIG });
  const old = new Date(Date.now() - 3600_000);
  await fs.utimes(th.configPath, old, old);
  gw = await makeFakeGateway({ behaviour: opts.behaviour });
  if (opts.service !== false) await gw.startService();
  const env = { HOME: th.home, USER: 'tester', PATH: [gw.binDir, path.dirname(process.execPath)].join(path.delimiter), CLAWDBOT_GATEWAY_PORT: String(gw.port) };
  return { th, gw, env };
}

/** The config edited after the gateway started, by more than the check's 1 s margin. */
async function editConfigLater(file: string): Promise<Date> {
  await new Promise((r) => setTimeout(r, 1200));
  await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('"thinkingDefault": "low"', '"thinkingDefault": "high"'));
  return (await fs.stat(file)).mtime;
}

describe('claw-doctor --fix restarts a gateway that runs an old config', { timeout: BUSY_MACHINE_MS }, () => {
  it('stops and starts it on its port; the new process is younger than the config; journaled; re-checked fixed', async () => {
    const { th, gw, env } = await setup();
    const before = await findPortListener(gw.port);
    expect(before.pid).toBeDefined();
    const mtime = await editConfigLater(th.configPath);

    const r = await runCli(['--offline', '--fix', '--yes', '--only', 'gateway'], { env, cwd: th.home, timeoutMs: 35_000 });
    expect(r.stdout).toMatch(/\[gateway\.config-current\] restart the gateway on port \d+ so it reads what changed since it started/);
    expect(r.stdout).toMatch(/`clawdbot gateway stop`, `clawdbot gateway start`: the process on port \d+ \(pid \d+\) started at .*, after the config changed/);
    expect(r.stdout).toMatch(/✓ \d+\. \[gateway\.config-current\] restart the gateway .*\n\s+fixed \(checked again\)/);
    expect(r.code).toBe(0);

    const calls = (await gw.calls()).map((c) => c.argv.join(' ')).filter((a) => /^gateway (stop|start)$/.test(a));
    expect(calls).toEqual(['gateway stop', 'gateway start']);
    const after = await findPortListener(gw.port);
    expect(after.pid).toBeDefined();
    expect(after.pid).not.toBe(before.pid);
    expect(after.startedAt!.getTime()).toBeGreaterThan(mtime.getTime());

    const journals = await readJournals(th.stateDir);
    expect(journals.at(-1)!.doc.changes).toMatchObject([{ kind: 'gateway.restart', port: gw.port, pidBefore: before.pid }]);
  });

  it('a config edit and a stale gateway in one run: one restart, after the edit', async () => {
    const { th, gw, env } = await setup();
    await new Promise((r) => setTimeout(r, 1200));
    // The User-Agent is missing (a config repair) and the file is newer than the gateway (a restart repair).
    await fs.writeFile(th.configPath, fixtureConfig('config-no-user-agent.json5').replace('{\n', '{\n  "gateway": { "mode": "local", "reload": { "mode": "off" } },\n'));
    const r = await runCli(['--offline', '--fix', '--yes', '--only', 'provider.user-agent,gateway'], { env, cwd: th.home, timeoutMs: 35_000 });
    const calls = (await gw.calls()).map((c) => c.argv.join(' ')).filter((a) => /^gateway (stop|start)$/.test(a));
    expect(calls).toEqual(['gateway stop', 'gateway start']);
    expect(await fs.readFile(th.configPath, 'utf8')).toMatch(/"User-Agent"/);
    const after = await findPortListener(gw.port);
    expect(after.startedAt!.getTime()).toBeGreaterThan((await fs.stat(th.configPath)).mtime.getTime());
    expect(r.stdout).toMatch(/\[gateway\.config-current\] restart the gateway .*\n\s+fixed \(checked again\)/);
    expect(r.code).toBe(0);
  });

  it('--dry-run plans the restart and touches nothing', async () => {
    const { th, gw, env } = await setup();
    const before = await findPortListener(gw.port);
    await editConfigLater(th.configPath);
    const r = await runCli(['--offline', '--fix', '--dry-run', '--only', 'gateway'], { env, cwd: th.home, timeoutMs: 35_000 });
    expect(r.stdout).toMatch(/`clawdbot gateway stop`, wait until port \d+ is silent, `clawdbot gateway start`/);
    expect(r.stdout).toMatch(/Dry run: nothing was changed/);
    expect((await gw.calls()).some((c) => c.argv[1] === 'stop' || c.argv[1] === 'start')).toBe(false);
    expect((await findPortListener(gw.port)).pid).toBe(before.pid);
  });

  it('does not restart a program that is not the gateway', async () => {
    const { th, gw, env } = await setup({ service: false, behaviour: { health: 'fail' } });
    const http = await import('node:http');
    const server = http.createServer((_q, res) => res.end('not a gateway'));
    await new Promise<void>((resolve) => server.listen(gw.port, '127.0.0.1', resolve));
    try {
      await editConfigLater(th.configPath);
      const r = await runCli(['--offline', '--fix', '--yes', '--only', 'gateway'], { env, cwd: th.home, timeoutMs: 35_000 });
      expect(r.stdout).toMatch(/Port \d+ is taken by another program/);
      expect((await gw.calls()).some((c) => c.argv[1] === 'stop' || c.argv[1] === 'start')).toBe(false);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
