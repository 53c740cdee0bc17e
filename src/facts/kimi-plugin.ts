// The Kimi provider of OpenClaw 2026.9: a plugin (`@openclaw/kimi-provider`, plugin and provider id `kimi`), not
// a built-in of the core. Everything here mirrors the plugin's source as rebuilt in
// test/fixtures/openclaw-2026.9.6/kimi-provider-reconstructed/ (openclaw.plugin.json, provider-catalog.ts,
// provider-policy-api.ts, stream.ts, index.ts) and what the real 2026.9.6 sent in that folder's setups.
import { get, isObject, type Json } from './config.js';

export const KIMI_PLUGIN_ID = 'kimi';
/** index.ts PROVIDER_ALIASES: `kimi-code` and `kimi-coding` are the same provider as `kimi`. */
export const KIMI_PLUGIN_PROVIDER_IDS = ['kimi', 'kimi-code', 'kimi-coding'];
/** openclaw.plugin.json setup.providers[].envVars, in the product's order. */
export const KIMI_PLUGIN_ENV_VARS = ['KIMI_API_KEY', 'KIMICODE_API_KEY'];
/** provider-catalog.ts KIMI_BASE_URL and the api it speaks. */
export const KIMI_PLUGIN_BASE_URL = 'https://api.kimi.com/coding/';
export const KIMI_PLUGIN_API = 'anthropic-messages';
/**
 * provider-catalog.ts KIMI_CODING_USER_AGENT. Declared by the catalog, but the 2026.9.6 setups show a request
 * leaving with `user-agent: undici` when the config sets none (gate-no-ua): the doctor trusts what was sent.
 */
export const KIMI_PLUGIN_USER_AGENT = 'claude-code/0.1.0';

export interface KimiCatalogModel {
  id: string;
  reasoning: boolean;
  contextWindow: number;
  maxTokens: number;
  /** provider-policy-api.ts resolveThinkingProfile: `off` for the coding models, `max` for K3. */
  defaultThinking: 'off' | 'max';
}

/** openclaw.plugin.json modelCatalog.providers.kimi.models (the manifest wins over the older catalog file). */
export const KIMI_CATALOG: KimiCatalogModel[] = [
  { id: 'kimi-for-coding', reasoning: true, contextWindow: 262144, maxTokens: 32768, defaultThinking: 'off' },
  { id: 'kimi-for-coding-highspeed', reasoning: true, contextWindow: 262144, maxTokens: 32768, defaultThinking: 'off' },
  { id: 'k3', reasoning: true, contextWindow: 1048576, maxTokens: 131072, defaultThinking: 'max' },
  { id: 'k3-256k', reasoning: true, contextWindow: 262144, maxTokens: 131072, defaultThinking: 'max' },
];

/** provider-catalog.ts normalizeKimiCodingModelId: legacy ids the plugin rewrites before the request. */
export const KIMI_LEGACY_MODEL_IDS: Record<string, string> = { 'kimi-code': 'kimi-for-coding', k2p5: 'kimi-for-coding', 'k3[1m]': 'k3' };

export function isKimiPluginProvider(providerId: string): boolean {
  return KIMI_PLUGIN_PROVIDER_IDS.includes(providerId.trim().toLowerCase());
}

/** The model id the plugin sends for what the config names (legacy aliases rewritten). */
export function kimiModelId(modelId: string): string {
  return KIMI_LEGACY_MODEL_IDS[modelId] ?? modelId;
}

export function kimiCatalogModel(modelId: string): KimiCatalogModel | undefined {
  const id = kimiModelId(modelId);
  return KIMI_CATALOG.find((m) => m.id === id);
}

/** provider-policy-api.ts resolveThinkingProfile: K3 defaults to `max`, every other id to `off`. */
export function kimiDefaultThinking(modelId: string): 'off' | 'max' {
  return kimiCatalogModel(modelId)?.defaultThinking ?? (/^k3(\[1m\])?$/i.test(modelId.trim()) ? 'max' : 'off');
}

export type KimiPluginState = { enabled: true } | { enabled: false; why: string; path: string[] };

/**
 * Is the plugin on? `plugins.enabled: false` turns every plugin off, `plugins.deny` or an allowlist without it
 * turns it off, and `plugins.entries.kimi.enabled: false` disables it (openclaw.plugin.json: enabledByDefault).
 */
export function kimiPluginState(resolved: unknown): KimiPluginState {
  if (get(resolved, ['plugins', 'enabled']) === false) return { enabled: false, why: 'plugins.enabled is false (every plugin is off)', path: ['plugins', 'enabled'] };
  const deny = get(resolved, ['plugins', 'deny']);
  if (Array.isArray(deny) && deny.includes(KIMI_PLUGIN_ID)) return { enabled: false, why: 'plugins.deny lists "kimi"', path: ['plugins', 'deny'] };
  const allow = get(resolved, ['plugins', 'allow']);
  if (Array.isArray(allow) && allow.length && !allow.includes(KIMI_PLUGIN_ID)) return { enabled: false, why: 'plugins.allow does not list "kimi"', path: ['plugins', 'allow'] };
  if (get(resolved, ['plugins', 'entries', KIMI_PLUGIN_ID, 'enabled']) === false) {
    return { enabled: false, why: 'plugins.entries.kimi.enabled is false', path: ['plugins', 'entries', KIMI_PLUGIN_ID, 'enabled'] };
  }
  return { enabled: true };
}

// ---------------------------------------------------------------------------------------------
// Thinking (stream.ts): the plugin replaces whatever the host put in the payload.

export type KimiThinking = { type: 'disabled' } | { type: 'enabled'; budget_tokens?: number };

/** stream.ts KIMI_ANTHROPIC_THINKING_BUDGETS. */
const BUDGETS: Record<string, number> = { minimal: 1024, low: 1024, medium: 4096, high: 8192, adaptive: 8192, xhigh: 8192, max: 8192 };
/** stream.ts KIMI_ANTHROPIC_VISIBLE_OUTPUT_RESERVE_TOKENS / KIMI_ANTHROPIC_MIN_OUTPUT_TOKENS. */
const VISIBLE_RESERVE = 1024;
const MIN_OUTPUT = 16000;

function thinkingType(v: Json | undefined): 'enabled' | 'disabled' | undefined {
  if (typeof v === 'boolean') return v ? 'enabled' : 'disabled';
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['enabled', 'enable', 'on', 'true'].includes(s)) return 'enabled';
    if (['disabled', 'disable', 'off', 'false'].includes(s)) return 'disabled';
    return undefined;
  }
  return isObject(v) ? thinkingType(v.type) : undefined;
}

/** stream.ts resolveKimiThinkingConfig: `params.thinking` wins over the level; no level = disabled. */
export function kimiThinking(configured: Json | undefined, level: string | undefined): KimiThinking {
  const levelBudget = level && level !== 'off' ? BUDGETS[level] : undefined;
  const type = thinkingType(configured);
  if (type === 'disabled') return { type: 'disabled' };
  if (type === 'enabled') {
    const raw = isObject(configured) ? (configured.budget_tokens ?? configured.budgetTokens) : undefined;
    const budget = typeof raw === 'number' && Number.isFinite(raw) && Math.floor(raw) >= 1024 ? Math.floor(raw) : undefined;
    return { type: 'enabled', budget_tokens: budget ?? levelBudget ?? 1024 };
  }
  if (!level || level === 'off') return { type: 'disabled' };
  return levelBudget === undefined ? { type: 'enabled' } : { type: 'enabled', budget_tokens: levelBudget };
}

/** stream.ts ensureKimiAnthropicMaxTokens: room for the budget plus visible output. */
export function kimiAnthropicMaxTokens(current: number, thinking: KimiThinking): number {
  if (thinking.type !== 'enabled' || thinking.budget_tokens === undefined) return current;
  return Math.max(current, Math.max(MIN_OUTPUT, thinking.budget_tokens + VISIBLE_RESERVE));
}
