// The gateway as it is on this machine right now: its port, who listens there and since when, what the
// product's CLI says about it, the installed service, and how it runs (a service, the foreground, a
// container without systemd). One fact, computed once per run; the gateway checks judge it.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../engine/context.js';
import { get, getConfig } from './config.js';
import { findGatewayCli, healthAnswered, readGatewayStatus, resolveGatewayPort, runGatewayCli, type GatewayCli, type GatewayPort, type GatewayStatusText, type Product } from './gateway-cli.js';
import { findPortListener, httpGet, type PortListener } from './gateway-process.js';
import { findServiceFile, serviceHost, type ServiceFile, type ServiceHost } from './gateway-service.js';
import { getLocation, tildify } from './paths.js';
import { readGatewayStateV3, type GatewayStateV3 } from './gateway-state-v3.js';
import { getProduct } from './product.js';
import type { BoundedRun } from './run-bounded.js';

export type GatewayState = 'running' | 'stopped' | 'port-taken' | 'unknown';
/** How it runs (or would): a service manager, by hand in the foreground, a container without systemd, or nothing installed. */
export type GatewayKind = 'systemd' | 'launchd' | 'foreground' | 'container' | 'none';

export interface GatewayFacts {
  port: GatewayPort;
  /** The product CLI on PATH; undefined when none is installed (the npx fallback is not asked during a diagnosis). */
  cli?: GatewayCli;
  /** How to name the CLI in a fix: `openclaw`, or `npx clawdbot` when none is on PATH. */
  cliDisplay: string;
  listener: PortListener;
  /** What GET / answered on the port. */
  http?: { status: number; body: string };
  status?: { run: BoundedRun; said: GatewayStatusText };
  health?: { run: BoundedRun; ok: boolean };
  service?: ServiceFile;
  host: ServiceHost;
  state: GatewayState;
  kind: GatewayKind;
  /** CLI commands that did not answer within their budget. */
  hung: string[];
  /** The service's unit names another port (`--port N`) than the one resolved here: who listens there. */
  servicePort?: PortListener;
}

/** What makes a listener the gateway: its command line, its Control UI page, or the product's own probe. */
const PRODUCT_WORDS = /openclaw|clawdbot|moltbot/i;

/** Budget for one CLI question: well inside the check's own budget, so a hang is reported, not a time-out. */
function cliBudgetMs(ctx: Context): number {
  return Math.max(1000, Math.min(10_000, ctx.options.timeout * 1000 * 0.4));
}

export function getGateway(ctx: Context): Promise<GatewayFacts> {
  return ctx.fact('gateway', async () => {
    const [cfg, loc, product] = await Promise.all([getConfig(ctx), getLocation(ctx), getProduct(ctx).catch(() => undefined)]);
    const port = resolveGatewayPort({ env: ctx.env, configPort: get(cfg.resolved ?? cfg.raw, ['gateway', 'port']), profile: loc.profile });
    const prefer = (product?.name ?? loc.productHint) as Product | undefined;
    const found = await findGatewayCli({ env: ctx.env, prefer, cwd: ctx.home });
    const cli = found.onPath ? found : undefined;
    const budget = cliBudgetMs(ctx);
    const [listener, http, service, host, statusRun, healthRun] = await Promise.all([
      findPortListener(port.port, { timeoutMs: 1500 }),
      httpGet(port.port, 1500),
      findServiceFile(ctx.home, loc.profile),
      serviceHost(ctx.env),
      cli ? runGatewayCli(cli, ['gateway', 'status'], budget) : Promise.resolve(undefined),
      cli ? runGatewayCli(cli, ['health', '--json'], budget) : Promise.resolve(undefined),
    ]);
    // `gateway status` exits 0 whatever it found (fixture cli/gatewaystatus.txt): another exit code is a CLI
    // that does not have the command or crashed, and its text is not an answer.
    const status = statusRun?.exitCode === 0 ? { run: statusRun, said: readGatewayStatus(statusRun.output) } : undefined;
    const health = healthRun && !healthRun.timedOut && !healthRun.spawnError ? { run: healthRun, ok: healthAnswered(healthRun) } : undefined;
    const hung = [statusRun, healthRun].filter((r): r is BoundedRun => !!r?.timedOut).map((r) => r.command);
    const state = stateOf(listener, http, status?.said, health);
    const kind = kindOf(state, status?.said, service, host);
    const servicePort = service?.port && service.port !== port.port ? await findPortListener(service.port, { timeoutMs: 1500 }) : undefined;
    return { port, cli, cliDisplay: found.display, listener, http, status, health, service, host, state, kind, hung, servicePort };
  });
}

function stateOf(listener: PortListener, http: GatewayFacts['http'], said: GatewayStatusText | undefined, health: GatewayFacts['health']): GatewayState {
  const listening = listener.listening || http !== undefined;
  if (health?.ok || said?.rpcProbe === 'ok') return 'running';
  if (!listening) return 'stopped';
  const argv = listener.argv?.join(' ') ?? '';
  if (PRODUCT_WORDS.test(argv) || (http && (PRODUCT_WORDS.test(http.body) || /control ui/i.test(http.body)))) return 'running';
  // Something listens and nothing says it is the gateway: the product's own probe failed, or the page and
  // the command line are someone else's.
  if (health || said?.rpcProbe === 'failed' || listener.argv || http) return 'port-taken';
  return 'unknown';
}

function kindOf(state: GatewayState, said: GatewayStatusText | undefined, service: ServiceFile | undefined, host: ServiceHost): GatewayKind {
  if (said?.systemdUnavailable || (!said && host.platform === 'linux' && host.container && !host.systemd)) return 'container';
  const manager = service?.manager ?? (said?.manager === 'launchd' ? 'launchd' : said?.manager === 'systemd' ? 'systemd' : undefined);
  // `Service: systemd (disabled)` is the product's "not loaded" text for systemd (dist/cli/daemon-cli/status.print.js).
  const installed = !said?.notInstalled && (service !== undefined || (said?.manager !== undefined && !/not (loaded|installed)|missing|disabled/i.test(said.serviceState ?? '')));
  if (state === 'running') {
    const serviceRuns = said ? said.runtime === 'running' : installed;
    return serviceRuns && manager ? manager : 'foreground';
  }
  return installed && manager ? manager : 'none';
}

/**
 * Why there is no gateway on this machine to judge, or undefined when there is one: nothing listens, no
 * service is installed and no product CLI is on PATH (the setup guide's `npx clawdbot` users see this
 * reason on every gateway check instead of findings about a gateway they do not run here).
 */
export function noGatewayHere(g: GatewayFacts): string | undefined {
  if (g.cli || g.service || g.state !== 'stopped' || g.hung.length) return undefined;
  return `nothing listens on port ${g.port.port} (${g.port.source}), no gateway service is installed and no product CLI is on PATH`;
}

/** The command that starts the gateway for its kind. */
export function startCommand(g: Pick<GatewayFacts, 'kind' | 'cliDisplay'>): string {
  switch (g.kind) {
    case 'systemd':
    case 'launchd':
      return `${g.cliDisplay} gateway start`;
    case 'container':
      return `${g.cliDisplay} gateway (in the foreground: as the container's command, or in a terminal inside it)`;
    case 'foreground':
      return `${g.cliDisplay} gateway (in its own terminal)`;
    case 'none':
      return `${g.cliDisplay} gateway install, then ${g.cliDisplay} gateway start (or ${g.cliDisplay} gateway in the foreground)`;
  }
}

/** One line for the report header: the gateway's state and how it runs. */
export function gatewaySummary(g: GatewayFacts, home: string): string {
  const p = g.port.port;
  const pid = g.listener.pid ? `, pid ${g.listener.pid}` : '';
  const since = g.listener.startedAt ? `, started ${g.listener.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}` : '';
  const how = g.kind === 'systemd' || g.kind === 'launchd' ? `${g.kind} service${g.service ? ` ${g.service.name}` : ''}` : g.kind === 'container' ? 'in a container without systemd' : g.kind === 'foreground' ? 'in the foreground (no service)' : 'no service installed';
  const hung = g.hung.length ? `; ${g.hung.join(', ')} did not answer` : '';
  switch (g.state) {
    case 'running':
      return `running on port ${p} (${how}${pid}${since})${hung}`;
    case 'stopped':
      return `not running (nothing listens on port ${p}; ${how})${hung}`;
    case 'port-taken':
      return `not running: port ${p} is taken by another program${g.listener.argv ? ` (${tildify(g.listener.argv.slice(0, 3).join(' '), home)}${pid})` : ''}${hung}`;
    case 'unknown':
      return `something listens on port ${p}; not known whether it is the gateway${hung}`;
  }
}

/** The 2026.9 state database's gateway inputs (key store time, plugin install records), read once. */
export function getGatewayStateV3(ctx: Context): Promise<GatewayStateV3> {
  return ctx.fact('gateway.stateV3', async () => readGatewayStateV3((await getLocation(ctx)).stateDir));
}

// ---------------------------------------------------------------------------------------------------
// What the gateway read when it started

export interface GatewayInput {
  file: string;
  what: 'config' | '$include' | '.env';
  mtime: Date;
}

/**
 * The files a running gateway took its settings from, with their change times. What a change to each
 * means is the check's to judge (read from clawdbot 2026.1.24-3's own code, dist/gateway/config-reload.js,
 * dist/infra/dotenv.js): the main config is watched and reloaded live (`gateway.reload.mode`, default
 * `hybrid`); `$include`d files are not watched; `<stateDir>/.env` is loaded once, when the process starts.
 * (Auth profiles are read from disk on every run, so they are not among these.)
 */
export function getGatewayInputs(ctx: Context): Promise<GatewayInput[]> {
  return ctx.fact('gateway.inputs', async () => {
    const [cfg, loc] = await Promise.all([getConfig(ctx), getLocation(ctx)]);
    const files: { file: string; what: GatewayInput['what'] }[] = [];
    if (cfg.path && cfg.exists) files.push({ file: cfg.path, what: 'config' });
    for (const inc of cfg.includes) files.push({ file: inc, what: '$include' });
    files.push({ file: path.join(loc.stateDir, '.env'), what: '.env' });
    const out: GatewayInput[] = [];
    for (const f of files) {
      const st = await fs.stat(f.file).catch(() => undefined);
      if (st?.isFile()) out.push({ ...f, mtime: st.mtime });
    }
    return out;
  });
}
