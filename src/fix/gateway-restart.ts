// The `gateway.restart` repair kind: a running gateway that started before its config (or an $include, or
// the auth profiles) last changed still uses the old settings (gateway.config-current). Plan: name the
// port and the files. Apply: journal the intent, `gateway stop`, `gateway start`, confirmed on the port
// (src/fix/gateway.ts). Confirm: the process now on the port started after every one of those files
// changed. Nothing to undo: a restart changes no file.
import fs from 'node:fs/promises';
import type { Context } from '../engine/context.js';
import type { Repair } from '../engine/types.js';
import { getGateway, type GatewayKind } from '../facts/gateway.js';
import { findPortListener } from '../facts/gateway-process.js';

export interface GatewayRestartPlan {
  port: number;
  /** The files that changed after the gateway started. */
  changed: string[];
}

export function planGatewayRestart(repair: Repair): { ok: true; plan: GatewayRestartPlan } | { ok: false; reason: string } {
  const { port, changed } = repair.data;
  if (typeof port !== 'number' || !Number.isInteger(port) || port <= 0 || port >= 65536) return { ok: false, reason: 'repair gateway.restart: data.port is not a port' };
  const files = Array.isArray(changed) ? changed.filter((f): f is string => typeof f === 'string') : [];
  return { ok: true, plan: { port, changed: files } };
}

export interface RestartDecision {
  up: boolean;
  kind?: GatewayKind;
  /** Why something that answers on the port is not restarted. */
  why?: string;
}

/**
 * Whether the fixer should restart what answers on `port`. The port probe comes first (cheap, and what
 * tests inject); then the gateway facts: a port held by another program is not the gateway, and stopping
 * or "starting" around it would do nothing for the config.
 */
export async function restartDecision(ctx: Context, port: number, isUp: (port: number) => Promise<boolean>): Promise<RestartDecision> {
  if (!(await isUp(port))) return { up: false };
  const g = await getGateway(ctx).catch(() => undefined);
  if (!g || g.port.port !== port) return { up: true };
  if (g.state === 'port-taken') return { up: false, kind: g.kind, why: `port ${port} is held by another program, not the gateway (see gateway.running)` };
  return { up: true, kind: g.kind };
}

/** The journal entry written before the gateway is stopped: the intent survives a run cut short. */
export function restartJournalEntry(plan: GatewayRestartPlan, pidBefore: number | undefined): { kind: 'gateway.restart'; port: number; pidBefore: number | null; summary: string } {
  return {
    kind: 'gateway.restart',
    port: plan.port,
    pidBefore: pidBefore ?? null,
    summary: `restarted the gateway on port ${plan.port} so it reads ${plan.changed.length ? plan.changed.join(', ') : 'its current config'}`,
  };
}

export async function listenerPid(port: number): Promise<number | undefined> {
  return (await findPortListener(port)).pid;
}

/** After the restart: the process on the port is newer than every changed file, or the reason it is not. */
export async function confirmRestarted(plan: GatewayRestartPlan): Promise<{ ok: boolean; detail: string }> {
  const now = await findPortListener(plan.port);
  if (!now.listening) return { ok: false, detail: `nothing listens on port ${plan.port} after the restart` };
  if (!now.startedAt) return { ok: true, detail: `port ${plan.port} answers again (its start time cannot be read)` };
  for (const file of plan.changed) {
    const st = await fs.stat(file).catch(() => undefined);
    if (st && st.mtime > now.startedAt) return { ok: false, detail: `the process on port ${plan.port} started before ${file} last changed` };
  }
  return { ok: true, detail: `the gateway on port ${plan.port}${now.pid ? ` (pid ${now.pid})` : ''} started at ${now.startedAt.toISOString()}, after the config changed` };
}

export function renderGatewayRestart(n: number, check: string | undefined, summary: string, cliDisplay: string, port: number): string {
  return (
    `  ${n}. ${check ? `[${check}] ` : ''}${summary}\n` +
    `     \`${cliDisplay} gateway stop\`, wait until port ${port} is silent, \`${cliDisplay} gateway start\`, wait until it answers,\n` +
    `     then confirm the process on the port started after the config changed. Nothing to undo: no file changes.`
  );
}
