// What the live probe sends and what came back, computed once per run (DESIGN.md "facts … memoized on the
// Context") so the probe check judges it and a report can show it without asking Kimi twice.
// The target is built from the EffectiveModel exactly as the product builds its request (clawdbot.md §3–4):
// its base URL and api, the key from the source the product uses, provider headers overlaid by model headers,
// the system role from reasoning + compat, and the effective thinkingDefault.
import type { Context } from '../engine/context.js';
import { get, getConfig, isObject } from './config.js';
import { getKimiSetup, hostOf, isLoopbackHost, type EffectiveModel, type KimiSetup } from './kimi.js';
import { effectiveThinking, type EffectiveThinking } from './logs.js';
import type { ProbeResult, ProbeTarget } from './probe.js';

// probe.ts is imported only when a probe is really sent (undici itself loads lazily in http-client.ts).
export { PROBE_ANSWER, PROBE_PROMPT } from './probe.js';

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
 * A model the probe would only send in vain, for a cause a config check already reports: no key at all, an
 * unresolved key reference, a plain-http base to another host (the key would travel in clear text).
 */
export function pointlessProbe(m: EffectiveModel, allowInsecure: boolean): ProbeSkip | undefined {
  if (!PROBED_APIS.includes(m.api)) {
    return { reason: `api "${m.api}" is not probed (only openai-completions and anthropic-messages)` };
  }
  if (!m.baseUrl) {
    // No provider block and no built-in of that name: agent.model reports "Unknown model".
    return m.provider
      ? { reason: `provider "${m.providerId}" has no baseUrl` }
      : { reason: `there is no provider "${m.providerId}"`, cause: 'model-unknown', see: 'agent.model' };
  }
  if (m.key.kind === 'none') {
    // The same cause keys as provider.api-key, so the runner points to its finding.
    const raw = m.provider?.rawBlock.apiKey;
    if (typeof raw === 'string' && raw.includes('${')) {
      const name = /\$\{([A-Z_][A-Z0-9_]*)\}/.exec(raw)?.[1] ?? '';
      return { reason: `no API key for "${m.providerId}": apiKey ${raw} does not resolve`, cause: `env-missing:${name}`, see: 'provider.api-key' };
    }
    return { reason: `no API key for "${m.providerId}" (no auth profile, env var or apiKey)`, cause: 'key-missing', see: 'provider.api-key' };
  }
  const ref = UNRESOLVED.exec(m.key.value ?? '')?.[1];
  if (ref !== undefined) {
    const cause = /^[A-Z_][A-Z0-9_]*$/.test(ref) ? `env-missing:${ref}` : `env-invalid:${ref}`;
    return { reason: `the API key for "${m.providerId}" is the unresolved reference \${${ref}}`, cause, see: 'provider.api-key' };
  }
  let url: URL | undefined;
  try {
    url = new URL(m.baseUrl);
  } catch {
    return { reason: `base URL "${m.baseUrl}" is not a URL`, cause: 'base-url', see: 'provider.base-url' };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(hostOf(m.baseUrl)) && !allowInsecure) {
    return {
      reason: `base URL ${url.origin} is plain http:// to another host: the key would travel in clear text (use https://, or --allow-insecure to send it anyway)`,
      cause: 'base-url',
      see: 'provider.base-url',
    };
  }
  return undefined;
}

function thinkingDefaultOf(resolved: unknown): string | undefined {
  const v = get(resolved, ['agents', 'defaults', 'thinkingDefault']);
  return typeof v === 'string' ? v : undefined;
}

/** EffectiveModel → what probe.ts sends. */
export function toProbeTarget(m: EffectiveModel, thinking: EffectiveThinking): ProbeTarget {
  const headers: Record<string, string> = {};
  for (const [name, hv] of Object.entries(m.headers)) headers[name] = hv.value;
  const authHeader = m.provider && isObject(m.provider.block) ? m.provider.block.authHeader : undefined;
  const compat = m.model?.block.compat;
  const field = isObject(compat) ? compat.maxTokensField : undefined;
  return {
    providerId: m.providerId,
    modelId: m.modelId,
    baseUrl: m.baseUrl ?? '',
    api: m.api,
    apiKey: m.key.value,
    headers,
    reasoning: m.reasoning,
    supportsDeveloperRole: m.supportsDeveloperRole,
    maxTokens: m.maxTokens,
    thinkingLevel: thinking.level,
    authHeader: authHeader === true ? true : undefined,
    maxTokensField: field === 'max_tokens' || field === 'max_completion_tokens' ? field : undefined,
  };
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
    const [setup, cfg] = await Promise.all([getKimiSetup(ctx), getConfig(ctx)]);
    const thinkingDefault = thinkingDefaultOf(cfg.resolved);
    // Several models are probed side by side: the run's time limit is the same for all of them.
    return Promise.all(
      modelsToProbe(setup, ctx.options.allModels).map(async (m): Promise<ProbeRun> => {
        const thinking = effectiveThinking({ thinkingDefault, reasoning: m.reasoning });
        const headers: Record<string, string> = {};
        for (const [name, hv] of Object.entries(m.headers)) headers[name] = SECRET_HEADER.test(name) ? '(set)' : hv.value;
        const run: ProbeRun = { ref: m.ref, providerId: m.providerId, modelId: m.modelId, api: m.api, thinking, keySource: m.key.detail, headers };
        const skipped = pointlessProbe(m, ctx.options.allowInsecure);
        if (skipped) return { ...run, skipped };
        const { probeChat } = await import('./probe.js');
        // Measured after loading undici, which alone can take a few hundred ms on a busy machine.
        const result = await probeChat(toProbeTarget(m, thinking), {
          signal: ctx.signal,
          timeoutMs: probeTimeoutMs(ctx, started),
          allowInsecure: ctx.options.allowInsecure,
          env: ctx.env,
        });
        return { ...run, result };
      }),
    );
  });
}
