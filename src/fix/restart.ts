// The gateway around a repair: it reads its config only when it starts (clawdbot.md §8), and sessions must
// not be touched under a running one (§7). Whether it runs is decided from its port *before* any stop: a
// `gateway stop` on an inactive unit still answers "Stopped systemd service" (exit 0), and trusting that
// would start a gateway that was never running.
import type { Context } from '../engine/context.js';
import { get, type LoadedConfig } from '../facts/config.js';
import { getProduct } from '../facts/product.js';
import type { FixDeps } from './deps.js';
import { findGatewayCli, gatewayPort, type GatewayCli, type Product } from './gateway.js';
import { firstLine } from './prompt.js';
import type { ResetSessionsResult } from './reset-sessions.js';

export interface GatewayTarget {
  cli: GatewayCli;
  port: number;
}

export async function gatewayTarget(ctx: Context, cfg: LoadedConfig): Promise<GatewayTarget> {
  const product = await getProduct(ctx).catch(() => undefined);
  const prefer = (product?.name ?? cfg.location.productHint) as Product | undefined;
  const cli = await findGatewayCli({ env: ctx.env, prefer, cwd: ctx.home });
  const port = gatewayPort({ env: ctx.env, configPort: get(cfg.resolved, ['gateway', 'port']) });
  return { cli, port };
}

export interface GatewayReport {
  /** restarted: it reads the new config; not-running: it will when started; manual: the user must act. */
  state: 'restarted' | 'not-running' | 'manual';
  text: string;
  instruction: string;
}

/** After a config edit: restart a gateway that answers, so it reads the new config. */
export async function restartAfterConfig(target: GatewayTarget, resets: ResetSessionsResult[], deps: FixDeps): Promise<GatewayReport> {
  if (resets.some((r) => r.start?.ok && r.stop?.kind === 'stopped')) {
    return { state: 'restarted', text: `The gateway was restarted by the sessions reset, after the config edit: it runs with the new config.`, instruction: '' };
  }
  const display = target.cli.display;
  const startCmd = `\`${display} gateway start\` (or \`${display} gateway\` in the foreground)`;
  if (!(await deps.gatewayIsUp(target.port))) {
    return {
      state: 'not-running',
      text: `No gateway answers on port ${target.port}: nothing to restart.`,
      instruction: `The new config takes effect when the gateway starts: ${startCmd}.`,
    };
  }
  const control = { cli: target.cli, port: target.port, timeoutMs: deps.gatewayTimeoutMs, settleMs: deps.gatewaySettleMs };
  const stop = await deps.gatewayStop(control);
  if (!stop.ok) {
    return {
      state: 'manual',
      text: `The gateway on port ${target.port} could not be stopped by \`${stop.command}\`${stop.output ? ` (it said: ${firstLine(stop.output)})` : ''}, so it still runs the old config.`,
      instruction: `${stop.instruction} Then start it again so it reads the new config.`,
    };
  }
  const start = await deps.gatewayStart(control);
  if (!start.ok) {
    return {
      state: 'manual',
      text: `The gateway was stopped, but \`${start.command}\` did not bring it back${start.output ? ` (it said: ${firstLine(start.output)})` : ''}.`,
      instruction: start.instruction,
    };
  }
  return { state: 'restarted', text: `The gateway was restarted (\`${stop.command}\`, \`${start.command}\`) and answers on port ${target.port}: it runs with the new config.`, instruction: '' };
}

/**
 * Runs `work` with the gateway stopped (clawdbot.md §7) and starts it again only if it answered before.
 * When it cannot be stopped, nothing is done.
 */
export async function withGatewayStopped<T>(
  gw: GatewayTarget,
  deps: FixDeps,
  say: (t: string) => void,
  work: () => Promise<T>,
): Promise<{ done: true; value: T; restartOk: boolean; restarted: boolean } | { done: false }> {
  const control = { cli: gw.cli, port: gw.port, timeoutMs: deps.gatewayTimeoutMs, settleMs: deps.gatewaySettleMs };
  if (!(await deps.gatewayIsUp(gw.port))) return { done: true, value: await work(), restartOk: true, restarted: false };
  const stop = await deps.gatewayStop(control);
  if (!stop.ok) {
    say(`The gateway on port ${gw.port} could not be stopped (\`${stop.command}\`${stop.output ? `: ${firstLine(stop.output)}` : ''}), so the sessions were not touched.\n${stop.instruction}\n`);
    return { done: false };
  }
  say(`Stopped the gateway (\`${stop.command}\`).\n`);
  let value: T | undefined;
  let error: unknown;
  try {
    value = await work();
  } catch (e) {
    error = e;
  }
  let restartOk = true;
  let restarted = false;
  if (stop.kind === 'stopped') {
    const start = await deps.gatewayStart(control);
    restartOk = start.ok;
    restarted = start.ok;
    say(start.ok ? `Started the gateway again; it answers on port ${gw.port}.\n` : `The gateway did not come back up. ${start.instruction}\n`);
  }
  if (error !== undefined) throw error;
  return { done: true, value: value as T, restartOk, restarted };
}
