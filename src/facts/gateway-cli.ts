// The product's own answers about its gateway, read as text (clawdbot.md §8; fixtures cli/gateway*.txt,
// cli/healthjson.txt): `<cli> gateway status` exits 0 even when systemd is unavailable and the RPC probe
// failed, and `<cli> health --json` exits non-zero when the gateway is unreachable.
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { runBounded, type BoundedRun } from './run-bounded.js';

export type Product = 'openclaw' | 'moltbot' | 'clawdbot';

export const DEFAULT_GATEWAY_PORT = 18789;
/** `--dev` is profile `dev` with gateway port 19001 (clawdbot.md §1). */
export const DEV_GATEWAY_PORT = 19001;

export interface GatewayCli {
  /** Executable to run. */
  file: string;
  /** Arguments before the command's own (`['--no', 'clawdbot']` for npx). */
  prefixArgs: string[];
  product: Product;
  /** How to show it to the user: `clawdbot`, `npx clawdbot`. */
  display: string;
  /** Environment the CLI runs with (PATH, HOME, the product's *_STATE_DIR …). */
  env: NodeJS.ProcessEnv;
  /** Working directory: the product reads `./.env` (clawdbot.md §2), so not wherever we were started. */
  cwd?: string;
  /** False for the npx fallback: no product CLI is installed on PATH. */
  onPath?: boolean;
}

/**
 * Finds the product CLI on `env.PATH`: `prefer` first, then `openclaw`, `moltbot`, `clawdbot`.
 * Falls back to `npx --no <product>` as the setup guide runs it (`npx clawdbot gateway stop`); `--no`
 * because a repair must not download and run whatever version npm has today.
 */
export async function findGatewayCli(opts: { env: NodeJS.ProcessEnv; prefer?: Product; cwd?: string }): Promise<GatewayCli> {
  const names: Product[] = [...new Set<Product>([...(opts.prefer ? [opts.prefer] : []), 'openclaw', 'moltbot', 'clawdbot'])];
  const dirs = (opts.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (await isExecutable(file)) return { file, prefixArgs: [], product: name, display: name, env: opts.env, cwd: opts.cwd, onPath: true };
    }
  }
  const product = opts.prefer ?? 'clawdbot';
  return { file: 'npx', prefixArgs: ['--no', product], product, display: `npx ${product}`, env: opts.env, cwd: opts.cwd, onPath: false };
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface GatewayPort {
  port: number;
  /** `env OPENCLAW_GATEWAY_PORT`, `gateway.port`, `profile dev`, `default`. */
  source: string;
}

/** The port the gateway listens on: env override, then `gateway.port`, then dev's 19001, then 18789 (clawdbot.md §8). */
export function resolveGatewayPort(opts: { env?: NodeJS.ProcessEnv; configPort?: unknown; profile?: string } = {}): GatewayPort {
  for (const name of ['OPENCLAW_GATEWAY_PORT', 'CLAWDBOT_GATEWAY_PORT']) {
    const raw = opts.env?.[name]?.trim();
    const n = raw ? Number.parseInt(raw, 10) : NaN;
    if (Number.isFinite(n) && n > 0 && n < 65536) return { port: n, source: `env ${name}` };
  }
  const c = opts.configPort;
  if (typeof c === 'number' && Number.isInteger(c) && c > 0 && c < 65536) return { port: c, source: 'gateway.port' };
  if (opts.profile === 'dev') return { port: DEV_GATEWAY_PORT, source: 'profile dev' };
  return { port: DEFAULT_GATEWAY_PORT, source: 'default' };
}

export function runGatewayCli(cli: GatewayCli, args: string[], timeoutMs: number): Promise<BoundedRun> {
  return runBounded(cli.file, [...cli.prefixArgs, ...args], { env: cli.env, cwd: cli.cwd, timeoutMs, display: cli.display });
}

// ---------------------------------------------------------------------------------------------------
// `<cli> gateway status`

export interface GatewayStatusText {
  /** `Service: systemd (disabled)` → manager systemd, state disabled. */
  manager?: 'systemd' | 'launchd' | 'schtasks';
  serviceState?: string;
  /** `Gateway service not loaded|disabled|missing.` */
  notInstalled?: 'not loaded' | 'disabled' | 'missing';
  /** `systemd user services unavailable` / `systemctl --user unavailable`: a container without systemd. */
  systemdUnavailable: boolean;
  /** `Runtime: running (pid 1234, …)` / `stopped` / `unknown (…)`. */
  runtime?: 'running' | 'stopped' | 'unknown';
  pid?: number;
  /** `RPC probe: ok|failed`. */
  rpcProbe?: 'ok' | 'failed';
  /** `Gateway: bind=loopback (127.0.0.1), port=18789 (env/config)`. */
  port?: number;
  /** `Command: /usr/bin/node …/dist/index.js gateway --port 18789`: what the installed service runs. */
  command?: string[];
  /** `Service config issue: …` lines, said by the product itself. */
  issues: string[];
}

export function readGatewayStatus(output: string): GatewayStatusText {
  const service = /^Service:\s*(systemd|launchd|schtasks|LaunchAgent)\b\s*(?:\(([^)]*)\))?/im.exec(output);
  const notInstalled = /Gateway service (not loaded|disabled|missing)\b/i.exec(output);
  const runtime = /^Runtime:\s*(running|stopped|unknown|active|inactive|failed)\b(.*)$/im.exec(output);
  const pid = /\bpid[ =:]+(\d+)/i.exec(runtime?.[2] ?? '');
  const rpc = /^RPC probe:\s*(ok|failed)/im.exec(output);
  const port = /^Gateway:.*\bport=(\d+)/im.exec(output);
  const runtimeWord = runtime?.[1]?.toLowerCase();
  return {
    manager: service ? (service[1]!.toLowerCase() === 'launchagent' ? 'launchd' : (service[1]!.toLowerCase() as 'systemd' | 'launchd' | 'schtasks')) : undefined,
    serviceState: service?.[2]?.trim() || undefined,
    notInstalled: notInstalled ? (notInstalled[1]!.toLowerCase() as GatewayStatusText['notInstalled']) : undefined,
    systemdUnavailable: /systemctl --user unavailable|systemd user services (are )?unavailable/i.test(output),
    runtime: runtimeWord === 'running' || runtimeWord === 'active' ? 'running' : runtimeWord === 'stopped' || runtimeWord === 'inactive' || runtimeWord === 'failed' ? 'stopped' : runtimeWord ? 'unknown' : undefined,
    pid: pid ? Number(pid[1]) : undefined,
    rpcProbe: rpc ? (rpc[1]!.toLowerCase() as 'ok' | 'failed') : undefined,
    port: port ? Number(port[1]) : undefined,
    command: /^Command:\s*(\S.*)$/im.exec(output)?.[1]?.trim().split(/\s+/),
    issues: [...output.matchAll(/^Service config issue:\s*(.+)$/gim)].map((m) => m[1]!.trim()),
  };
}

/** `health --json`: exit 0 and a JSON object when the gateway answers over its WebSocket. */
export function healthAnswered(run: BoundedRun): boolean {
  if (run.timedOut || run.exitCode !== 0) return false;
  const start = run.output.indexOf('{');
  if (start < 0) return false;
  try {
    const v = JSON.parse(run.output.slice(start)) as unknown;
    return typeof v === 'object' && v !== null && (v as { ok?: unknown }).ok !== false;
  } catch {
    return false;
  }
}
