// What the live probe sends and what came back, computed once per run (DESIGN.md "facts … memoized on the
// Context") so the probe check judges it and a report can show it without asking Kimi twice.
// What is sent is what the product would send (product-request.ts), from the effective model, the session's
// overrides and the version; where the product sends nothing, the probe sends nothing and says why.
import type { Context } from '../engine/context.js';
import { get, getConfig } from './config.js';
import { getSessions } from './evidence-logs.js';
import { hostOf, plainHttpRefusal } from './hosts.js';
import { effectiveModel, getAuthProfiles, getKimiSetup, type EffectiveModel, type KimiSetup } from './kimi.js';
import { getProduct } from './product.js';
import { budgetNote, buildWireRequest, configLoadFailure, productDecision, type ProductDecision } from './product-request.js';
import type { SessionEntry } from './sessions.js';
import { effectiveThinking, pluginThinkingDefault, type EffectiveThinking } from './logs.js';
import type { ProbeResult } from './probe.js';

// probe.ts is imported only when a probe is really sent (undici itself loads lazily in http-client.ts).
export { PROBE_ANSWER, PROBE_PROMPT } from './product-request.js';

/** The routes probe.ts speaks; any other api is not probed. */
export const PROBED_APIS = ['openai-completions', 'anthropic-messages'];

/** The probe check's own budget; the runner's deadline may cut it shorter (probeTimeoutMs). */
export const PROBE_CHECK_MS = 25_000;

/** Why a model was not probed, and the config check that reports the same cause (for dedupe). */
export interface ProbeSkip {
  reason: string;
  /** The cause key a config check uses for it (`key-missing`, `env-missing:NAME`, `base-url`). */
  cause?: string;
  /** The config check that says more. */
  see?: string;
  /** The product itself sends nothing here (so neither does the probe). */
  productSendsNothing?: boolean;
  /** Where the product would send the Kimi key instead. */
  keyGoesTo?: string;
}

export interface ProbeRun {
  /** `kimi-code/kimi-for-coding`. Never the EffectiveModel itself: that one carries the key. */
  ref: string;
  providerId: string;
  modelId: string;
  api: string;
  /** The effective thinking level sent (or `off`). */
  thinking: EffectiveThinking;
  /** Where the key came from, in words (`env KIMICODE_API_KEY (from process env)`); never its value. */
  keySource: string;
  /** Headers as configured (names and non-secret values), for reports; the redactor masks the rest. */
  headers: Record<string, string>;
  skipped?: ProbeSkip;
  result?: ProbeResult;
  /** The session store picked another model than the config's. */
  override?: string;
  /** What the budget the product sends means for answers (a small maxTokens). */
  budgetNote?: string;
}

/** The models to probe: the agent's model, or with --all-models every configured Kimi model. */
export function modelsToProbe(setup: KimiSetup, allModels: boolean): EffectiveModel[] {
  if (allModels) return setup.kimiModels;
  const p = setup.primary;
  return p && p.kind !== 'other' ? [p] : [];
}

/** `${VAR}` left in a value: the product sends it literally (V3) or finds no key (V1/V2). */
const UNRESOLVED = /\$\{([^}]*)\}/;

/**
 * Why the probe sends nothing for a model: the product itself sends nothing (product-request.ts says why), or
 * the probe would only send in vain or unsafely — an unresolved key reference, plain http:// to another host.
 */
export function pointlessProbe(m: EffectiveModel, allowInsecure: boolean, decision?: ProductDecision): ProbeSkip | undefined {
  if (!PROBED_APIS.includes(m.api)) {
    return { reason: `api "${m.api}" is not probed (only openai-completions and anthropic-messages)` };
  }
  if (decision && !decision.sends) {
    const n = decision.notSent;
    return { reason: n.why, cause: n.cause, see: n.see, productSendsNothing: true, keyGoesTo: n.keyGoesTo };
  }
  const ref = UNRESOLVED.exec(m.key.value ?? '')?.[1];
  if (ref !== undefined) {
    const cause = /^[A-Z_][A-Z0-9_]*$/.test(ref) ? `env-missing:${ref}` : `env-invalid:${ref}`;
    return { reason: `the API key for "${m.providerId}" is the unresolved reference \${${ref}}`, cause, see: 'provider.api-key' };
  }
  if (m.baseUrl && hostOf(m.baseUrl) === undefined) return { reason: `base URL "${m.baseUrl}" is not a URL`, cause: 'base-url', see: 'provider.base-url' };
  const insecure = plainHttpRefusal(m.baseUrl, allowInsecure);
  if (insecure) return { reason: insecure, cause: 'base-url', see: 'provider.base-url' };
  return undefined;
}

/** The agent's main session entry (`agent:main:main`): its `/think` level and model overrides beat the config. */
async function mainSession(ctx: Context): Promise<SessionEntry | undefined> {
  const sessions = await getSessions(ctx);
  return sessions.agents.find((a) => a.agentId === 'main')?.store.entries.find((e) => e.key === 'agent:main:main');
}

function thinkingDefaultOf(resolved: unknown): string | undefined {
  const v = get(resolved, ['agents', 'defaults', 'thinkingDefault']);
  return typeof v === 'string' ? v : undefined;
}

const SECRET_HEADER = /authorization|api[-_]?key|token|secret|cookie/i;

/**
 * Time left for the probe: up to its own budget, never past the runner's deadline (the run's --timeout less
 * the rendering margin main.ts keeps), less a small margin so the probe reports its own timeout, with the
 * host it waited for, before the runner cuts the check.
 */
export function probeTimeoutMs(ctx: Context, checkStarted: number, now = Date.now()): number {
  const total = ctx.options.timeout * 1000;
  const runnerDeadline = ctx.now.getTime() + total - Math.min(1000, total * 0.05);
  const left = Math.min(checkStarted + PROBE_CHECK_MS, runnerDeadline) - now;
  // Room for the abort to settle and the finding to be built, also on a loaded machine.
  const margin = Math.min(1000, Math.max(250, left * 0.1));
  return Math.max(1, Math.floor(left - margin));
}

/** Probe the agent's model (or every Kimi model with --all-models) once per run; never throws. */
export function getProbeResults(ctx: Context): Promise<ProbeRun[]> {
  return ctx.fact('probe', async () => {
    const started = Date.now();
    const [setup, cfg, product, profiles, session] = await Promise.all([getKimiSetup(ctx), getConfig(ctx), getProduct(ctx), getAuthProfiles(ctx), mainSession(ctx)]);
    const thinkingDefault = thinkingDefaultOf(cfg.resolved);
    const configFails = configLoadFailure(cfg, product.generation);
    let models = modelsToProbe(setup, ctx.options.allModels);
    // commands/agent.js: the session's providerOverride/modelOverride pick the model the next turn really uses.
    let override: string | undefined;
    if (!ctx.options.allModels && setup.primary && (session?.modelOverride || session?.providerOverride)) {
      const providerId = session.providerOverride ?? setup.primary.providerId;
      const modelId = session.modelOverride ?? setup.primary.modelId;
      if (`${providerId}/${modelId}` !== setup.primary.ref) {
        override = `the session agent:main:main overrides the model with ${providerId}/${modelId}`;
        models = [effectiveModel(cfg, providerId, modelId, product.generation, profiles)];
      }
    }
    // Several models are probed side by side: the run's time limit is the same for all of them.
    return Promise.all(
      models.map(async (m): Promise<ProbeRun> => {
        const thinking = effectiveThinking({ thinkingDefault, sessionLevel: session?.thinkingLevel, reasoning: m.reasoning, modelDefault: m.kimiPlugin ? pluginThinkingDefault(product.generation, m.providerId, m.modelId) : undefined });
        const headers: Record<string, string> = {};
        for (const [name, hv] of Object.entries(m.headers)) headers[name] = SECRET_HEADER.test(name) ? '(set)' : hv.value;
        const run: ProbeRun = { ref: m.ref, providerId: m.providerId, modelId: m.modelId, api: m.api, thinking, keySource: m.key.detail, headers, override };
        const decision = productDecision(m, { generation: product.generation, thinkingLevel: thinking.level, configFails });
        const skipped = pointlessProbe(m, ctx.options.allowInsecure, decision);
        if (skipped || !decision.sends) return { ...run, skipped: skipped ?? { reason: 'not sent' } };
        const wire = buildWireRequest(decision.spec);
        const note = wire.ok ? budgetNote(wire.value, decision.spec) : undefined;
        const { probeChat } = await import('./probe.js');
        // Measured after loading undici, which alone can take a few hundred ms on a busy machine.
        const result = await probeChat(decision.spec, {
          signal: ctx.signal,
          timeoutMs: probeTimeoutMs(ctx, started),
          allowInsecure: ctx.options.allowInsecure,
          env: ctx.env,
        });
        return { ...run, result, budgetNote: note };
      }),
    );
  });
}
