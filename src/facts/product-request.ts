// The request the product would send for one model, per product generation — the rules the live probe follows
// so that it fails exactly where the product fails (issue 11). Each rule names the product source it mirrors:
//   V1: clawdbot 2026.1.24-3 (npm) — dist/agents/pi-embedded-runner/{extra-params,model}.js, dist/commands/agent.js,
//       @mariozechner/pi-ai/dist/{stream,providers/openai-completions,providers/anthropic}.js,
//       @mariozechner/pi-coding-agent/dist/core/model-registry.js; checked against
//       test/fixtures/clawdbot-2026.1.24-3/requests/product-requests.jsonl.
//   V3: openclaw 2026.9.6 — the Kimi plugin (src/facts/kimi-plugin.ts) over the host's transport; checked
//       against test/fixtures/openclaw-2026.9.6/*/requests-product.jsonl.
// Deliberately NOT reproduced (they cannot change a verdict: gate, key, model id, role, path, quota, budget,
// temperature): the prompt text and conversation, the ~20 tools and `tool_choice`, `cache_control` on the user
// turn, `X-Stainless-*`, `traceparent`, `accept-language`, `sec-fetch-mode`, `accept-encoding`. README "The live probe".
import type { Json, LoadedConfig } from './config.js';
import { hostOf, isPrivateHost } from './hosts.js';
import type { EffectiveModel } from './kimi.js';
import { kimiAnthropicMaxTokens, kimiThinking } from './kimi-plugin.js';
import type { Generation } from './product.js';
import { normalizeThinkingLevel } from './thinking.js';

export const PROBE_PROMPT = 'What is 47 * 83?';
export const PROBE_ANSWER = '3901';
export const PROBE_SYSTEM_PROMPT = 'You are a helpful assistant. Answer in one short line.';

/** Which product's wire rules apply: V2 (moltbot 2026.1.27) still uses V1's SDKs. */
export type WireRules = 'V1' | 'V3';

/**
 * The User-Agent each product's transport sends when the config sets none. The gate refuses all of them
 * (kimi.md "The client gate"), so the probe sends the same to be refused the same way.
 * V1: the SDKs bundled with clawdbot 2026.1.24-3 (openai 6.10.0, @anthropic-ai/sdk 0.71.2), seen in ua-none and
 * anthropic-ua-none. V3: the Anthropic route leaves with undici's own `user-agent: undici` (gate-no-ua); the OpenAI
 * route goes through openai 7.15.0 (its x-stainless-package-version in developer-role).
 */
export const SDK_USER_AGENT = {
  V1: { openai: 'OpenAI/JS 6.10.0', anthropic: 'Anthropic/JS 0.71.2' },
  V3: { openai: 'OpenAI/JS 7.15.0', anthropic: 'undici' },
} as const;

/** Everything the product decided for one model: the input of the wire rules. */
export interface RequestSpec {
  providerId: string;
  modelId: string;
  baseUrl: string;
  /** 'openai-completions' | 'anthropic-messages' | other (not probed). */
  api: string;
  apiKey?: string;
  /** Provider headers overlaid by model headers (names as written). */
  headers: Record<string, string>;
  reasoning: boolean;
  /** undefined = not set: V1 then sends `developer` for reasoning models, V3 sends `system`. */
  supportsDeveloperRole?: boolean;
  /** The model's maxTokens (the config's, the catalog's, or the product's default for a custom model). */
  maxTokens?: number;
  /** The effective thinking level (session > thinkingDefault > the model's default). */
  thinkingLevel?: string;
  /** `authHeader: true` on the provider: `Authorization: Bearer <provider apiKey>` joins the model's headers. */
  authHeader?: boolean;
  /** The provider's own apiKey from the config (what authHeader puts in the header, whatever the SDK key). */
  providerApiKey?: string;
  /** `compat.maxTokensField`: the OpenAI route's budget field (default max_completion_tokens). */
  maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  supportsStore?: boolean;
  supportsReasoningEffort?: boolean;
  supportsUsageInStreaming?: boolean;
  /** `agents.defaults.models["<provider>/<model>"].params`. */
  params?: { temperature?: number; maxTokens?: number; thinking?: Json };
  /** Default V1 (the rules the doctor was built on). */
  rules?: WireRules;
  /** V3: the provider is the Kimi plugin's (`kimi`, `kimi-code`, `kimi-coding`), so its stream wrapper applies. */
  kimiPlugin?: boolean;
}

export type Route = 'openai' | 'anthropic';

export interface WireRequest {
  route: Route;
  url: URL;
  /** Lowercase names. */
  headers: Record<string, string>;
  body: Record<string, unknown>;
  systemRole: 'system' | 'developer';
  /** The output budget sent (max_tokens / max_completion_tokens). */
  maxTokens: number;
}

export type Wire = { ok: true; value: WireRequest } | { ok: false; message: string };

/** The route the product's SDK appends to the base URL: OpenAI `/chat/completions`, Anthropic `/v1/messages`. */
export function routeOf(api: string): Route | undefined {
  return api === 'openai-completions' ? 'openai' : api === 'anthropic-messages' ? 'anthropic' : undefined;
}

export function buildWireRequest(spec: RequestSpec): Wire {
  const route = routeOf(spec.api);
  if (!route) return { ok: false, message: `api "${spec.api}" is not probed (only openai-completions and anthropic-messages)` };
  const base = spec.baseUrl.trim().replace(/\/+$/, '');
  let url: URL;
  try {
    // Joined the way the SDKs join, so a base that already ends in /v1 on the Anthropic route fails here as it
    // fails in the product (anthropic-base-v1 went to /coding/v1/v1/messages).
    url = new URL(`${base}${route === 'openai' ? '/chat/completions' : '/v1/messages'}`);
  } catch {
    return { ok: false, message: 'baseUrl is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, message: `baseUrl must start with https:// (got ${url.protocol}//)` };
  const rules = spec.rules ?? 'V1';
  const value = route === 'openai' ? openaiRequest(spec, url, rules) : anthropicRequest(spec, url, rules);
  return { ok: true, value };
}

/** The thinking level that reaches the request, or undefined when thinking is off (or the model does not reason). */
export function thinkingOf(spec: RequestSpec): string | undefined {
  if (!spec.reasoning) return undefined;
  const written = (spec.thinkingLevel ?? 'low').trim().toLowerCase();
  const level = normalizeThinkingLevel(written) ?? written;
  return level === 'off' ? undefined : level;
}

/**
 * The output budget before thinking: `params.maxTokens`, else `min(model.maxTokens, 32000)` (pi-ai stream.js
 * `maxTokens: options.maxTokens || Math.min(model.maxTokens, 32000)`; V1 maxtokens-small sent 2000, V3 healthy 32000).
 * Sent as is: a small budget is what the user's own requests get.
 */
function baseBudget(spec: RequestSpec): number {
  return spec.params?.maxTokens ?? Math.min(spec.maxTokens ?? 8192, 32000);
}

/** Configured headers win over the SDK's, compared case-insensitively (model-registry.js merge order). */
function overlay(defaults: Record<string, string>, configured: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...defaults };
  for (const [name, value] of Object.entries(configured)) if (typeof value === 'string') out[name.toLowerCase()] = value;
  return out;
}

/**
 * model-registry.js: with `authHeader: true` the provider's apiKey goes into the model's headers as
 * `Authorization: Bearer …`, which beats the SDK's own key (an auth-profile key too).
 */
function configuredHeaders(spec: RequestSpec): Record<string, string> {
  if (!spec.authHeader || !spec.providerApiKey) return spec.headers;
  return { Authorization: `Bearer ${spec.providerApiKey}`, ...spec.headers };
}

function openaiRequest(spec: RequestSpec, url: URL, rules: WireRules): WireRequest {
  // V1 (openai-completions.js getCompat): role `developer` for reasoning models unless compat says false; V3 sends it
  // only with an explicit supportsDeveloperRole: true (developer-role setup: absent → `system`, true → `developer`).
  const systemRole = rules === 'V3'
    ? (spec.supportsDeveloperRole === true ? 'developer' : 'system')
    : (spec.reasoning && spec.supportsDeveloperRole !== false ? 'developer' : 'system');
  const level = thinkingOf(spec);
  // V1 sends min(maxTokens, 32000); V3's OpenAI route sent the model's maxTokens itself (32768 in developer-role).
  const maxTokens = rules === 'V3' ? (spec.params?.maxTokens ?? spec.maxTokens ?? 8192) : baseBudget(spec);
  const body: Record<string, unknown> = {
    model: spec.modelId,
    messages: [
      { role: systemRole, content: PROBE_SYSTEM_PROMPT },
      { role: 'user', content: PROBE_PROMPT },
    ],
    stream: true,
  };
  if (rules === 'V1') {
    // openai-completions.js: usage in streaming and `store: false` unless compat turns them off.
    if (spec.supportsUsageInStreaming !== false) body.stream_options = { include_usage: true };
    if (spec.supportsStore !== false) body.store = false;
  } else {
    // V3 sent neither to Kimi (a non-OpenAI endpoint): only an explicit compat flag turns them on.
    if (spec.supportsUsageInStreaming === true) body.stream_options = { include_usage: true };
    if (spec.supportsStore === true) body.store = false;
  }
  body[spec.maxTokensField ?? 'max_completion_tokens'] = maxTokens;
  if (spec.params?.temperature !== undefined) body.temperature = spec.params.temperature;
  if (rules === 'V3' && spec.kimiPlugin) {
    // stream.ts createKimiThinkingWrapper: only `{type}` on this route; reasoning_effort is deleted.
    body.thinking = { type: kimiThinking(spec.params?.thinking, level).type };
  } else if (level && spec.supportsReasoningEffort !== false) {
    // OpenAI's effort scale stops at high; pi-ai clamps xhigh the same way (think-xhigh sent "high").
    body.reasoning_effort = level === 'xhigh' ? 'high' : level;
  }
  const auth: Record<string, string> = spec.apiKey !== undefined ? { authorization: `Bearer ${spec.apiKey}` } : {};
  const headers = overlay(
    { accept: 'application/json', 'content-type': 'application/json', 'user-agent': SDK_USER_AGENT[rules].openai, ...auth },
    configuredHeaders(spec),
  );
  return { route: 'openai', url, headers, body, systemRole, maxTokens };
}

/** pi-ai stream.js: Anthropic thinking budgets by level (xhigh clamps to high on these models). */
const V1_THINKING_BUDGET: Record<string, number> = { minimal: 1024, low: 2048, medium: 8192, high: 16384, xhigh: 16384 };

function anthropicRequest(spec: RequestSpec, url: URL, rules: WireRules): WireRequest {
  const level = thinkingOf(spec);
  let maxTokens = baseBudget(spec);
  let thinking: Record<string, unknown> | undefined;
  if (rules === 'V3' && spec.kimiPlugin) {
    // stream.ts: the plugin always sets thinking (off by default for kimi-for-coding: {"type":"disabled"}).
    const t = kimiThinking(spec.params?.thinking, level);
    thinking = { ...t };
    maxTokens = kimiAnthropicMaxTokens(maxTokens, t);
  } else if (level) {
    // pi-ai stream.js adjustMaxTokensForThinking: max_tokens = min(base + budget, model.maxTokens), and the budget
    // shrinks when that leaves less than 1024 visible tokens (anthropic: 32768 with budget 2048; high: 16384).
    let budget = V1_THINKING_BUDGET[level] ?? V1_THINKING_BUDGET.low;
    maxTokens = Math.min(maxTokens + budget, spec.maxTokens ?? maxTokens + budget);
    if (maxTokens <= budget) budget = Math.max(0, maxTokens - 1024);
    thinking = { type: 'enabled', budget_tokens: budget };
  }
  const body: Record<string, unknown> = {
    model: spec.modelId,
    messages: [{ role: 'user', content: PROBE_PROMPT }],
    max_tokens: maxTokens,
    stream: true,
    // Both products send the system prompt as text blocks, the first one cached.
    system: [{ type: 'text', text: PROBE_SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } }],
  };
  if (spec.params?.temperature !== undefined) body.temperature = spec.params.temperature;
  if (thinking) body.thinking = thinking;
  const defaults: Record<string, string> = {
    accept: 'application/json',
    'anthropic-dangerous-direct-browser-access': 'true',
    'anthropic-version': '2023-06-01',
    'content-type': 'application/json',
    'user-agent': SDK_USER_AGENT[rules].anthropic,
    ...(spec.apiKey !== undefined ? { 'x-api-key': spec.apiKey } : {}),
  };
  // V1's pi-ai asks for these betas on every request; V3's transport sent none.
  if (rules === 'V1') defaults['anthropic-beta'] = 'fine-grained-tool-streaming-2025-05-14,interleaved-thinking-2025-05-14';
  return { route: 'anthropic', url, headers: overlay(defaults, configuredHeaders(spec)), body, systemRole: 'system', maxTokens };
}

// ---------------------------------------------------------------------------------------------
// Does the product send anything at all, and what: from the effective model and the run's other inputs.

export interface NotSent {
  /** What the product does instead, in the user's words. */
  why: string;
  /** The cause key a config check uses for it, so the runner points to that finding. */
  cause?: string;
  see?: string;
  /** Where the product would send the Kimi key instead (a typo on the Anthropic route). */
  keyGoesTo?: string;
}

export type ProductDecision = { sends: true; spec: RequestSpec } | { sends: false; notSent: NotSent };

export interface DecisionInput {
  generation: Generation;
  /** The effective thinking level (session > thinkingDefault > model default). */
  thinkingLevel: string;
  /** Why the product would not load this config at all (V1/V2 `Missing env var`), if so. */
  configFails?: NotSent;
}

/**
 * config/io.js (V1/V2): `${VAR}` is substituted BEFORE the config's env block is applied, and a missing variable
 * throws — the whole config fails to load ("Missing env var") and the agent never reaches Kimi (key-envvars-block
 * sent nothing). V3 warns and keeps the literal instead.
 */
export function configLoadFailure(cfg: Pick<LoadedConfig, 'substitutions'>, gen: Generation): NotSent | undefined {
  if (gen !== 'V1' && gen !== 'V2') return undefined;
  const missing = cfg.substitutions.find((s) => s.status === 'missing');
  if (missing) return { why: `the product does not load the config at all: \${${missing.name}} is not set ("Missing env var"), so nothing reaches Kimi`, cause: `env-missing:${missing.name}`, see: 'config.env-vars' };
  if (gen === 'V1') {
    const late = cfg.substitutions.find((s) => s.status === 'resolved' && (s.source === 'config env.vars' || s.source === 'config env'));
    if (late) {
      return {
        why: `clawdbot ≤ 2026.1.24 does not load the config: \${${late.name}} is defined only in the config's env block, which is applied after substitution ("Missing env var"), so nothing reaches Kimi`,
        cause: `v1-env-vars:${late.name}`,
        see: 'config.env-vars',
      };
    }
  }
  return undefined;
}

/** What the product does with this model: the request it sends, or why it sends none. */
export function productDecision(m: EffectiveModel, input: DecisionInput): ProductDecision {
  if (input.configFails) return { sends: false, notSent: input.configFails };
  const rules: WireRules = input.generation === 'V3' ? 'V3' : 'V1';
  if (m.kimiPluginOff && !m.model) {
    return { sends: false, notSent: { why: `the Kimi plugin is off (${m.kimiPluginOff}), so OpenClaw 2026.9 knows no ${m.ref} and stops with "Unknown model"`, cause: 'kimi-plugin-disabled', see: 'gateway.kimi-plugin' } };
  }
  if (m.synthetic) {
    // agents/pi-embedded-runner/model.js resolveModel: an id the provider does not list falls back to a bare model
    // with the provider's api but no baseUrl. openai-completions: the SDK throws a TypeError before any request
    // (model-typo sent nothing); anthropic-messages: the SDK's default host gets the request — and the Kimi key.
    if (rules === 'V1' && m.api === 'anthropic-messages') {
      return {
        sends: false,
        notSent: {
          why: `model id "${m.modelId}" is not defined under "${m.providerId}": the product builds a model without baseUrl, so the Anthropic SDK sends the request — with your Kimi key — to its default host api.anthropic.com, not to Kimi`,
          cause: 'model-id-unknown',
          see: 'agent.model',
          keyGoesTo: 'api.anthropic.com',
        },
      };
    }
    return {
      sends: false,
      notSent: {
        why: rules === 'V1'
          ? `model id "${m.modelId}" is not defined under "${m.providerId}": the product builds a model without baseUrl and fails with a TypeError before sending anything`
          : `model id "${m.modelId}" is not defined under "${m.providerId}" nor in the Kimi plugin's catalog: the product stops with "Unknown model" before sending anything`,
        cause: 'model-id-unknown',
        see: 'agent.model',
      },
    };
  }
  if (!m.baseUrl) {
    return { sends: false, notSent: m.provider ? { why: `provider "${m.providerId}" has no baseUrl` } : { why: `there is no provider "${m.providerId}"`, cause: 'model-unknown', see: 'agent.model' } };
  }
  if (m.key.kind === 'none') {
    const raw = m.provider?.rawBlock.apiKey;
    if (typeof raw === 'string' && raw.includes('${')) {
      const name = /\$\{([A-Z_][A-Z0-9_]*)\}/.exec(raw)?.[1] ?? '';
      return { sends: false, notSent: { why: `no API key for "${m.providerId}": apiKey ${raw} does not resolve`, cause: `env-missing:${name}`, see: 'provider.api-key' } };
    }
    return { sends: false, notSent: { why: `no API key for "${m.providerId}" (no auth profile, env var or apiKey): the product stops with "No API key found"`, cause: 'key-missing', see: 'provider.api-key' } };
  }
  // 2026.9 refuses model requests to private addresses unless request.allowPrivateNetwork (fixtures README).
  if (rules === 'V3' && isPrivateHost(hostOf(m.baseUrl)) && !m.allowPrivateNetwork) {
    return {
      sends: false,
      notSent: {
        why: `the base URL ${m.baseUrl} is a private address, which OpenClaw 2026.9 refuses unless models.providers.${m.providerId}.request.allowPrivateNetwork is true`,
        cause: 'private-network',
        see: 'provider.base-url',
      },
    };
  }
  const spec: RequestSpec = {
    providerId: m.providerId,
    modelId: m.wireModelId,
    baseUrl: m.baseUrl,
    api: m.api,
    apiKey: m.key.value,
    headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, v.value])),
    reasoning: m.reasoning,
    supportsDeveloperRole: m.compat.supportsDeveloperRole,
    maxTokens: m.maxTokens,
    thinkingLevel: input.thinkingLevel,
    authHeader: m.authHeader || undefined,
    providerApiKey: m.providerApiKey,
    maxTokensField: m.compat.maxTokensField,
    supportsStore: m.compat.supportsStore,
    supportsReasoningEffort: m.compat.supportsReasoningEffort,
    supportsUsageInStreaming: m.compat.supportsUsageInStreaming,
    params: m.params,
    rules,
    kimiPlugin: m.kimiPlugin || undefined,
  };
  return { sends: true, spec };
}

/** What the budget the product sends means for the answer: a small maxTokens leaves no room for reasoning. */
export function budgetNote(w: WireRequest, spec: RequestSpec): string | undefined {
  const thinking = w.route === 'openai' ? w.body.reasoning_effort !== undefined || (w.body.thinking as { type?: string } | undefined)?.type === 'enabled' : w.body.thinking !== undefined && (w.body.thinking as { type?: string }).type === 'enabled';
  const reasons = spec.reasoning && (thinking || w.route === 'openai');
  if (!reasons || w.maxTokens >= 1024) return undefined;
  const from = spec.params?.maxTokens !== undefined ? `params.maxTokens ${spec.params.maxTokens}` : `maxTokens ${spec.maxTokens}`;
  return `your ${from} leaves no room for reasoning: reasoning tokens count against it, so answers can come back empty ("finish_reason": "length")`;
}
