// A fake product CLI: a real executable `clawdbot` (or `openclaw`, `moltbot`) script in a temp bin dir,
// to put first on PATH. It records every invocation (argv, cwd) as JSON lines and behaves, per a control
// file, like each case the real CLI was seen in (clawdbot.md §8, fixtures cli/gateway*.txt):
// service not loaded (exit 0), systemctl unavailable (exit 1), start blocked by gateway.mode, success,
// hang. `gateway start` success launches a tiny HTTP listener on the loopback port (a separate process,
// like a real service) and `gateway stop` success kills it; `foreground()` runs a listener the CLI
// cannot stop, like a gateway started with `clawdbot gateway` in Docker.
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type StopBehaviour = 'success' | 'not-loaded' | 'disabled' | 'missing' | 'no-systemd' | 'hang' | 'fail';
export type StartBehaviour = 'success' | 'success-no-listen' | 'not-loaded' | 'no-systemd' | 'blocked-mode' | 'hang' | 'fail';
/** `auto`: ok exactly when something answers on the port. */
export type HealthBehaviour = 'ok' | 'fail' | 'auto';
/**
 * `gateway status` (exit 0 in every case, as the real one): `service` an installed systemd service (Runtime
 * running while the service listener lives), `not-loaded` no service, `no-systemd` the container text of
 * fixture cli/gatewaystatus.txt, `crash-loop` a unit whose process runs (pid 99999, activating) but never
 * listens; the RPC probe line says ok exactly when health would.
 */
export type StatusBehaviour = 'service' | 'not-loaded' | 'no-systemd' | 'crash-loop' | 'hang';

export interface FakeGatewayBehaviour {
  stop: StopBehaviour;
  start: StartBehaviour;
  health: HealthBehaviour;
  status: StatusBehaviour;
  /** What `--version` prints. */
  version: string;
  /** A `Command: …` line in `gateway status` (the service's program arguments), when set. */
  serviceCommand?: string;
}

export interface FakeCall {
  argv: string[];
  cwd: string;
}

export interface FakeGateway {
  name: string;
  port: number;
  binDir: string;
  cliPath: string;
  callsFile: string;
  /** `base` (default: process.env) with the fake bin dir first on PATH. */
  env(base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  configure(behaviour: Partial<FakeGatewayBehaviour>): Promise<void>;
  calls(): Promise<FakeCall[]>;
  /** Starts the "service" listener as `gateway start` would. */
  startService(): Promise<void>;
  /** Runs a listener in this process that no CLI command can stop. Returns its closer. */
  foreground(): Promise<() => Promise<void>>;
  cleanup(): Promise<void>;
}

/** Real CLI texts (fixtures clawdbot-2026.1.24-3/cli/*.txt, clawdbot.md §8). */
export const CLI_TEXT = {
  noSystemd: 'Gateway service check failed: Error: systemctl --user unavailable: Failed to connect to bus: No medium found',
  blocked: 'Gateway start blocked: set gateway.mode=local (current: unset) or pass --allow-unconfigured.',
  healthFail:
    '[clawdbot] Failed to start CLI: Error: gateway closed (1006 abnormal closure (no close frame)): no close reason\nGateway target: ws://127.0.0.1:18789',
} as const;

/** A free loopback port (bound then released). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function makeFakeGateway(
  opts: { port?: number; name?: 'clawdbot' | 'openclaw' | 'moltbot'; behaviour?: Partial<FakeGatewayBehaviour> } = {},
): Promise<FakeGateway> {
  const name = opts.name ?? 'clawdbot';
  const port = opts.port ?? (await freePort());
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'claw-doctor-fakegw-'));
  const binDir = path.join(root, 'bin');
  await fs.mkdir(binDir);
  const files = {
    control: path.join(root, 'control.json'),
    calls: path.join(root, 'calls.jsonl'),
    pid: path.join(root, 'service.pid'),
    server: path.join(root, 'server.cjs'),
  };
  const cliPath = path.join(binDir, name);
  // The script is CommonJS whatever the surrounding package says.
  await fs.writeFile(path.join(binDir, 'package.json'), '{ "type": "commonjs" }\n');
  await fs.writeFile(files.server, SERVER_SOURCE);
  await fs.writeFile(cliPath, cliSource(name, port, files));
  await fs.chmod(cliPath, 0o755);

  const configure = async (b: Partial<FakeGatewayBehaviour>): Promise<void> => {
    const current = await readControl(files.control);
    await fs.writeFile(files.control, JSON.stringify({ ...current, ...b }));
  };
  await configure({ stop: 'success', start: 'success', health: 'auto', status: 'service', version: '2026.1.24-3', ...opts.behaviour });

  const foregroundServers: http.Server[] = [];
  const gw: FakeGateway = {
    name,
    port,
    binDir,
    cliPath,
    callsFile: files.calls,
    env: (base = process.env) => ({ ...base, PATH: [binDir, base.PATH ?? ''].filter(Boolean).join(path.delimiter) }),
    configure,
    calls: async () => {
      const text = await fs.readFile(files.calls, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as FakeCall);
    },
    startService: async () => {
      const { execFile } = await import('node:child_process');
      await new Promise<void>((resolve, reject) =>
        execFile(cliPath, ['gateway', 'start'], { env: { ...process.env, FAKE_GATEWAY_NO_RECORD: '1' } }, (err) => (err ? reject(err) : resolve())),
      );
    },
    foreground: async () => {
      const server = http.createServer((_req, res) => res.end('<!doctype html><title>Control UI</title>'));
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      foregroundServers.push(server);
      return () => new Promise<void>((resolve) => server.close(() => resolve()));
    },
    cleanup: async () => {
      for (const s of foregroundServers) await new Promise<void>((resolve) => s.close(() => resolve()));
      await killService(files.pid);
      await fs.rm(root, { recursive: true, force: true });
    },
  };
  return gw;
}

async function readControl(file: string): Promise<Partial<FakeGatewayBehaviour>> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Partial<FakeGatewayBehaviour>;
  } catch {
    return {};
  }
}

/** Kills the listener process this fake started (by its recorded pid), if it still runs. */
async function killService(pidFile: string): Promise<void> {
  const pid = Number(await fs.readFile(pidFile, 'utf8').catch(() => ''));
  if (!pid) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  await fs.rm(pidFile, { force: true });
}

const SERVER_SOURCE = `
const http = require('node:http');
const port = Number(process.argv[2]);
http.createServer((req, res) => res.end('<!doctype html><title>Control UI</title>')).listen(port, '127.0.0.1');
`;

function cliSource(name: string, port: number, files: { control: string; calls: string; pid: string; server: string }): string {
  const j = JSON.stringify;
  return `#!/usr/bin/env node
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const { spawn } = require('node:child_process');
const NAME = ${j(name)};
const PORT = ${port};
const CONTROL = ${j(files.control)};
const CALLS = ${j(files.calls)};
const PIDFILE = ${j(files.pid)};
const SERVER = ${j(files.server)};
const TEXT = ${j(CLI_TEXT)};

const args = process.argv.slice(2);
if (!process.env.FAKE_GATEWAY_NO_RECORD) {
  fs.appendFileSync(CALLS, JSON.stringify({ argv: args, cwd: process.cwd() }) + '\\n');
}
const control = JSON.parse(fs.readFileSync(CONTROL, 'utf8'));

function answers() {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: PORT, path: '/', timeout: 500, agent: false }, (res) => { res.resume(); resolve(true); });
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.on('error', () => resolve(false));
  });
}
async function until(check, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await check()) return true; await new Promise((r) => setTimeout(r, 50)); }
  return false;
}
function hang() { setInterval(() => {}, 1 << 30); }
function done(text, code) { if (text) (code === 0 ? process.stdout : process.stderr).write(text + '\\n'); process.exit(code); }

async function stop() {
  switch (control.stop) {
    case 'success': {
      const pid = Number(fs.existsSync(PIDFILE) ? fs.readFileSync(PIDFILE, 'utf8') : 0);
      if (pid) { try { process.kill(pid, 'SIGTERM'); } catch {} fs.rmSync(PIDFILE, { force: true }); }
      await until(async () => !(await answers()), 5000);
      return done('Stopped systemd service: ' + NAME + '-gateway.service', 0);
    }
    case 'not-loaded': return done('Gateway service not loaded.', 0);
    case 'disabled': return done('Gateway service disabled.', 0);
    case 'missing': return done('Gateway service missing.', 0);
    case 'no-systemd': return done(TEXT.noSystemd, 1);
    case 'hang': return hang();
    default: return done('systemctl stop failed: Job for ' + NAME + '-gateway.service canceled.', 1);
  }
}

async function start() {
  switch (control.start) {
    case 'success': {
      if (!(await answers())) {
        const child = spawn(process.execPath, [SERVER, String(PORT)], { detached: true, stdio: 'ignore' });
        child.unref();
        fs.writeFileSync(PIDFILE, String(child.pid));
        await until(answers, 5000);
      }
      return done('Restarted systemd service: ' + NAME + '-gateway.service', 0);
    }
    case 'success-no-listen': return done('Restarted systemd service: ' + NAME + '-gateway.service', 0);
    case 'not-loaded':
      return done('Gateway service not loaded.\\nStart with: ' + NAME + ' gateway install\\nStart with: ' + NAME + ' gateway', 0);
    case 'no-systemd': return done(TEXT.noSystemd, 1);
    case 'blocked-mode': return done(TEXT.blocked, 1);
    case 'hang': return hang();
    default: return done('systemctl restart failed: unit failed', 1);
  }
}

async function healthy() {
  return control.health === 'ok' || (control.health === 'auto' && (await answers()));
}
async function health() {
  if (await healthy()) return done(JSON.stringify({ ok: true, ts: Date.now() }), 0);
  return done(TEXT.healthFail, 1);
}

function servicePid() {
  const pid = Number(fs.existsSync(PIDFILE) ? fs.readFileSync(PIDFILE, 'utf8') : 0);
  if (!pid) return 0;
  try { process.kill(pid, 0); return pid; } catch { return 0; }
}
async function status() {
  if (control.status === 'hang') return hang();
  const rpc = 'RPC probe: ' + ((await healthy()) ? 'ok' : 'failed');
  const gw = 'Gateway: bind=loopback (127.0.0.1), port=' + PORT + ' (env/config)';
  if (control.status === 'no-systemd') {
    return done(['Service: systemd (disabled)', gw, 'Runtime: unknown (' + TEXT.noSystemd.replace('Gateway service check failed: ', '') + ')', rpc,
      'systemd user services unavailable.', "If you're in a container, run the gateway in the foreground instead of " + NAME + ' gateway.'].join('\\n'), 0);
  }
  if (control.status === 'crash-loop') return done(['Service: systemd (enabled)', gw, 'Runtime: running (pid 99999, state activating)', rpc].join('\\n'), 0);
  if (control.status === 'not-loaded') return done(['Gateway service not loaded.', gw, rpc].join('\\n'), 0);
  const pid = servicePid();
  return done(['Service: systemd (enabled)', ...(control.serviceCommand ? ['Command: ' + control.serviceCommand] : []), gw, pid ? 'Runtime: running (pid ' + pid + ', state active)' : 'Runtime: stopped (state inactive)', rpc].join('\\n'), 0);
}

(async () => {
  if (args[0] === 'gateway' && args[1] === 'stop') return stop();
  if (args[0] === 'gateway' && args[1] === 'start') return start();
  if (args[0] === 'gateway' && args[1] === 'status') return status();
  if (args[0] === 'health') return health();
  if (args[0] === '--version') return done(control.version, 0);
  return done('error: unknown command ' + JSON.stringify(args.join(' ')), 1);
})();
`;
}
