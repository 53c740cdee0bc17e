// The facts a report shows, taken from this run by their typed getters (Context.peek): what the checks
// already learned, never asked again — no file re-read, no second probe, no sessions walk a --skip excluded.
// A fact no check computed is `{ notCollected }` with the reason, so a reader does not take a missing
// section for "nothing wrong there". Renderers get this plain data; they import no fact module.
import { get, getConfig, isObject, type Json, type JsonObject } from '../facts/config.js';
import { getLogEvidence } from '../facts/evidence-logs.js';
import { getGateway, gatewaySummary } from '../facts/gateway.js';
import { installKindOf } from '../facts/install-kind.js';
import { getKimiSetup, type EffectiveModel } from '../facts/kimi.js';
import type { LogEvidence } from '../facts/logs.js';
import { getInstalledCli } from '../facts/product.js';
import { getProbeResults, type ProbeRun } from '../facts/probe-target.js';
import type { SessionsReport } from '../facts/sessions.js';
import { getSessions } from '../facts/evidence-logs.js';
import type { Context } from './context.js';
import type { RunOutcome } from './diagnose.js';
import type { CheckResult } from './types.js';
import { oneLine } from '../util/text.js';

export interface NotCollected {
  notCollected: string;
}

/** The effective Kimi configuration as plain data: where values come from, never the key's value. */
export interface KimiView {
  generation: string;
  agentModel: { written: string; alias?: string; ref: string | null } | null;
  models: Record<string, unknown>[];
  note?: string;
}

export interface RunFacts {
  /** `global npm`, `npx`, `unknown`. */
  installKind: string;
  kimi: KimiView | NotCollected;
  logs: LogEvidence | NotCollected;
  probe: ProbeRun[] | NotCollected;
  sessions: SessionsReport | NotCollected;
  /** The gateway's state in one line, when a gateway check ran (the report header shows it). */
  gateway?: string;
}

/** A section's fact and the checks that compute it, for the "not collected" reason. */
async function section<T extends object>(ctx: Context, results: CheckResult[], checks: string[], getter: (ctx: Context) => Promise<T>, msLeft: number): Promise<T | NotCollected> {
  try {
    // A fact still pending (its check timed out) is not waited for past the run's own limit.
    const value = await Promise.race([ctx.peek(getter), new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), Math.max(0, msLeft)).unref())]);
    if (value === 'late') return { notCollected: `not collected in this run (${checks[0]} did not finish)` };
    return value ?? { notCollected: `not collected in this run (${whyNotRun(checks, results)})` };
  } catch (e) {
    return { notCollected: `not collected in this run (${oneLine((e as Error)?.message ?? String(e), 300)})` };
  }
}

/** Why none of `checks` computed their fact: skipped (with the reason), timed out, or not selected. */
function whyNotRun(checks: string[], results: CheckResult[]): string {
  const ran = results.filter((r) => checks.includes(r.id));
  if (ran.length === 0) return `${checks.join(', ')} not selected`;
  const r = ran[0]!;
  return `${r.id} ${r.status}${r.reason ? `: ${oneLine(r.reason, 300)}` : ''}`;
}

export async function collectRunFacts(outcome: Pick<RunOutcome, 'ctx' | 'results'>, msLeft = 2000): Promise<RunFacts> {
  const { ctx, results } = outcome;
  const [kimi, logs, probe, sessions, gateway, cli] = await Promise.all([
    section(ctx, results, ['provider.api-key', 'agent.model'], kimiView, msLeft),
    section(ctx, results, ['logs.today', 'logs.thinking', 'logs.errors'], getLogEvidence, msLeft),
    section(ctx, results, ['probe.chat'], getProbeResults, msLeft),
    section(ctx, results, ['sessions.store', 'sessions.errors', 'sessions.integrity'], getSessions, msLeft),
    section(ctx, results, ['gateway.running'], getGateway, msLeft),
    // Where the product's CLI is: PATH only, cheap, and no check needs to have run for it.
    getInstalledCli(ctx).catch(() => undefined),
  ]);
  return {
    installKind: installKindOf(cli?.path),
    kimi: unwrapKimi(kimi),
    logs,
    probe,
    sessions,
    ...('notCollected' in gateway ? {} : { gateway: gatewaySummary(gateway, ctx.home) }),
  };
}

function unwrapKimi(v: KimiView | { reason: string } | NotCollected): KimiView | NotCollected {
  if ('reason' in v) return { notCollected: v.reason };
  return v;
}

/**
 * What the product would send for each Kimi model, and the provider and model blocks as written (before
 * `${VAR}`, so references show as references). The renderer redacts it by key and by value.
 */
async function kimiView(ctx: Context): Promise<KimiView | { reason: string }> {
  const [setup, cfg] = await Promise.all([getKimiSetup(ctx), getConfig(ctx)]);
  const raw = cfg.raw;
  if (!raw) return { reason: 'no config was read (see config.location and config.parse)' };
  const agent = setup.agent;
  if (!setup.kimiModels.length && !agent.written) return { reason: 'the config sets no agent model and no Kimi provider' };
  return {
    generation: setup.generation,
    agentModel: agent.written ? { written: agent.written, ...(agent.viaAlias ? { alias: agent.viaAlias } : {}), ref: agent.ref ?? null } : null,
    models: setup.kimiModels.map((m) => modelView(m, m === setup.primary, raw)),
    ...(setup.kimiModels.length ? {} : { note: 'the agent model is not a Kimi model and no Kimi provider is configured' }),
  };
}

function modelView(m: EffectiveModel, isPrimary: boolean, raw: JsonObject): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const headersFrom: Record<string, string> = {};
  for (const [name, hv] of Object.entries(m.headers)) {
    headers[name] = hv.value;
    headersFrom[name] = hv.from;
  }
  const rawProvider = m.provider ? get(raw, m.provider.path) : undefined;
  const rawModel = m.model ? get(raw, m.model.path) : undefined;
  return {
    ref: m.ref,
    usedByAgent: isPrimary,
    kind: m.kind,
    baseUrl: m.baseUrl ?? null,
    api: m.api,
    reasoning: m.reasoning,
    supportsDeveloperRole: m.supportsDeveloperRole ?? null,
    contextWindow: m.contextWindow,
    maxTokens: m.maxTokens,
    headers,
    headersFrom,
    // In words only: `env KIMICODE_API_KEY (from config env.vars)`.
    keySource: m.key.detail,
    ...(m.key.shadowed.length ? { keysShadowed: m.key.shadowed } : {}),
    ...(m.synthetic ? { note: 'the model id is not defined on its provider: the product builds a bare model without headers or compat' } : {}),
    ...(m.builtIn && !m.model ? { builtIn: m.builtIn.id } : {}),
    providerAsWritten: isObject(rawProvider as Json) ? withoutModels(rawProvider as JsonObject) : null,
    modelAsWritten: rawModel ?? null,
  };
}

function withoutModels(block: JsonObject): JsonObject {
  const { models, ...rest } = block;
  return Array.isArray(models) ? { ...rest, models: `(${models.length} model${models.length === 1 ? '' : 's'})` } : rest;
}

