// `gateway.restart`: a running gateway that started before its config (or an $include, or the auth
// profiles) last changed still uses the old settings (gateway.config-current). Plan: the port, the files,
// and whether what answers there is the gateway at all (the gateway facts: a port held by another program
// is never "restarted"). Apply: journal the intent, `gateway stop`, `gateway start`, both confirmed on the
// port (../gateway.ts), then confirm that the process now on the port started after every changed file.
// Undo: nothing to revert — a restart changes no file.
import fs from 'node:fs/promises';
import type { Context } from '../../engine/context.js';
import { getGateway } from '../../facts/gateway.js';
import { findPortListener } from '../../facts/gateway-process.js';
import { firstLine } from '../prompt.js';
import type { GatewayCli } from '../gateway.js';
import type { AppliedStep, PlanStepBase, RefusedRepair, RepairKind, Verdict } from './types.js';

export interface GatewayRestartStep extends PlanStepBase {
  batch: 'gateway.restart';
  port: number;
  cli: GatewayCli;
  /** The files that changed after the gateway started (from every repair of the batch). */
  changed: string[];
}

/**
 * Whether what answers on `port` is a gateway the fixer may restart: the port probe first (cheap, and what
 * tests inject), then the gateway facts of this run — a port held by another program is not the gateway.
 */
export function gatewayFactsIsUp(ctx: Context, isUp: (port: number) => Promise<boolean>): (port: number) => Promise<boolean> {
  return async (port) => {
    if (!(await isUp(port))) return false;
    const g = await getGateway(ctx).catch(() => undefined);
    return !(g && g.port.port === port && g.state === 'port-taken');
  };
}

/** After the restart: the process on the port is newer than every changed file, or why not. */
async function confirmNewer(port: number, changed: string[]): Promise<{ ok: boolean; detail: string }> {
  const now = await findPortListener(port);
  if (!now.listening) return { ok: false, detail: `nothing listens on port ${port} after the restart` };
  if (!now.startedAt) return { ok: true, detail: `port ${port} answers again (the process' start time cannot be read)` };
  for (const file of changed) {
    const st = await fs.stat(file).catch(() => undefined);
    if (st && st.mtime > now.startedAt) return { ok: false, detail: `the process on port ${port} started before ${file} last changed` };
  }
  return { ok: true, detail: `the process on port ${port}${now.pid ? ` (pid ${now.pid})` : ''} started at ${now.startedAt.toISOString()}, after the config changed` };
}

export const gatewayRestart: RepairKind<GatewayRestartStep> = {
  kind: 'gateway.restart',
  batch: 'gateway.restart',
  journals: ['gateway.restart'],
  parse(repair) {
    const d: Record<string, unknown> = repair.data;
    if (d.port !== undefined && (typeof d.port !== 'number' || !Number.isInteger(d.port) || d.port <= 0 || d.port >= 65536)) return 'repair gateway.restart: data.port is not a port';
    if (d.changed !== undefined && !(Array.isArray(d.changed) && d.changed.every((f) => typeof f === 'string'))) return 'repair gateway.restart: data.changed is not a list of files';
    return undefined;
  },
  async plan(repairs, env) {
    const { cli, port } = env.gateway;
    const mine = repairs.filter((r) => r.repair.kind === 'gateway.restart');
    const refused: RefusedRepair[] = [];
    const elsewhere = mine.filter((r) => r.repair.kind === 'gateway.restart' && r.repair.data.port !== undefined && r.repair.data.port !== port);
    for (const r of elsewhere) refused.push({ repair: r, reason: `the repair names port ${String(r.repair.kind === 'gateway.restart' ? r.repair.data.port : '')}, but the gateway is on port ${port}.` });
    const here = mine.filter((r) => !elsewhere.includes(r));
    if (here.length === 0) return { steps: [], refused };
    if (!(await gatewayFactsIsUp(env.ctx, env.gatewayIsUp)(port))) {
      for (const r of here) refused.push({ repair: r, reason: `nothing claw-doctor may restart answers on port ${port} now: the gateway reads the current config when it starts.` });
      return { steps: [], refused };
    }
    const changed = [...new Set(here.flatMap((r) => (r.repair.kind === 'gateway.restart' ? (r.repair.data.changed ?? []) : [])))];
    return { steps: [{ batch: 'gateway.restart', repairs: here, port, cli, changed }], refused };
  },
  preview(step, show) {
    const d = step.cli.display;
    return [
      ...step.repairs.map((r) => `  ${r.n}. ${r.check ? `[${r.check}] ` : ''}${r.repair.summary}`),
      `     \`${d} gateway stop\`, wait until port ${step.port} is silent, \`${d} gateway start\`, wait until it answers,`,
      `     then confirm the process on the port started after ${step.changed.length ? step.changed.map(show).join(', ') : 'the config'} changed.`,
      '     Nothing to undo: no file changes.',
    ];
  },
  async apply(step, env): Promise<AppliedStep> {
    const { deps, journal } = env;
    const verdicts = (outcome: Verdict['outcome']): Verdict[] => step.repairs.map((planned) => ({ planned, outcome }));
    const done = (outcome: Verdict['outcome'], lines: string[]): AppliedStep => ({
      verdicts: verdicts(outcome),
      text: step.repairs.map((r) => `  ${outcome.status === 'applied' ? '✓' : '✗'} ${r.n}. ${r.repair.summary}\n`).join('') + lines.map((l) => `     ${l}\n`).join(''),
      configChanged: false,
    });
    const pidBefore = (await findPortListener(step.port)).pid;
    let id: number;
    try {
      id = await journal.intend({
        kind: 'gateway.restart',
        port: step.port,
        pidBefore: pidBefore ?? null,
        summary: `restarted the gateway on port ${step.port} so it reads its current config`,
      });
    } catch (e) {
      return done({ status: 'failed', detail: `not restarted: the journal cannot be written (${(e as Error).message})` }, []);
    }
    const control = { cli: step.cli, port: step.port, timeoutMs: deps.gatewayTimeoutMs, settleMs: deps.gatewaySettleMs };
    const stop = await deps.gatewayStop(control);
    if (!stop.ok) {
      const detail = `\`${stop.command}\` could not stop it${stop.output ? ` (it said: ${firstLine(stop.output)})` : ''}: it still runs the old config. ${stop.instruction}`;
      await journal.done(id);
      return done({ status: 'failed', detail }, [detail]);
    }
    const start = await deps.gatewayStart(control);
    await journal.done(id);
    if (!start.ok) {
      const detail = `stopped, but \`${start.command}\` did not bring it back${start.output ? ` (it said: ${firstLine(start.output)})` : ''}. ${start.instruction}`;
      return done({ status: 'failed', detail }, [detail]);
    }
    const confirmed = await confirmNewer(step.port, step.changed);
    const line = `\`${stop.command}\`, \`${start.command}\`: ${confirmed.detail}.`;
    return done(confirmed.ok ? { status: 'applied', detail: line } : { status: 'failed', detail: line }, [line]);
  },
  async checkUndo() {
    return {};
  },
  async undo(change) {
    return { restored: `nothing to revert for the gateway restart${change.kind === 'gateway.restart' ? ` on port ${change.port}` : ''}` };
  },
};
