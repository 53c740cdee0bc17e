// The model the agent actually uses and every provider that targets Kimi (clawdbot.md §3–5, kimi.md).
import path from 'node:path';
import JSON5 from 'json5';
import type { Context } from '../engine/context.js';
import { readFileBounded } from './read-bounded.js';
import { unavailable } from './unavailable.js';
import { getConfig, requireConfig, get, isObject, str, type Json, type JsonObject, type LoadedConfig, type PathSeg } from './config.js';
import { getProduct, type Generation } from './product.js';
import { hostOf, isLoopbackHost } from './hosts.js';
import { isKimiPluginProvider, kimiCatalogModel, kimiDefaultThinking, kimiModelId, kimiPluginState, KIMI_PLUGIN_API, KIMI_PLUGIN_BASE_URL, KIMI_PLUGIN_ENV_VARS, type KimiPluginState } from './kimi-plugin.js';

export { hostOf, isLoopbackHost };
import { getAuthStoreV3 } from './auth-store-v3.js';

export type ProviderKind = 'kimi-coding' | 'moonshot' | 'other';

export const KIMI_LIMITS = { contextWindow: 262144, maxTokens: 32768 } as const;
export const KIMI_CODING_IDS = ['kimi-code', 'kimi-coding', 'kimi'];

export interface ModelInfo {
  id: string;
  index: number;
  path: PathSeg[];
  /** After `${VAR}`. */
  block: JsonObject;
}

export interface ProviderInfo {
  id: string;
  path: PathSeg[];
  block: JsonObject;
  /** Before `${VAR}` (to tell a literal key from a reference). */
  rawBlock: JsonObject;
  baseUrl?: string;
  api?: string;
  kind: ProviderKind;
  models: ModelInfo[];
}

export interface KeySource {
  kind: 'auth-profile' | 'env' | 'config' | 'none';
  /** Human words: `auth profile kimi-code:default`, `env KIMICODE_API_KEY (from config env.vars)`. */
  detail: string;
  /** The secret itself: for the probe only, never printed. */
  value?: string;
  /** `${VAR}` as written in the config, when the key is a reference. */
  reference?: string;
  /** Also present, but shadowed by the winner (a stale auth profile beats a corrected config key). */
  shadowed: string[];
}

export interface HeaderValue {
  value: string;
  from: 'model' | 'provider' | 'built-in';
}

export interface AgentModel {
  /** As written: `kimi-code/kimi-for-coding`, an alias, or undefined when unset. */
  written?: string;
  path: PathSeg[];
  /** The ref after alias lookup. */
  ref?: string;
  providerId?: string;
  modelId?: string;
  viaAlias?: string;
  bareString: boolean;
}

export interface EffectiveModel {
  ref: string;
  providerId: string;
  modelId: string;
  provider?: ProviderInfo;
  model?: ModelInfo;
  /** The product's own provider (no block in the config, or merged with it). */
  builtIn?: BuiltInProvider;
  /** Provider exists but the model id does not: V1/V2 build a model with no headers and no compat. */
  synthetic: boolean;
  kind: ProviderKind;
  baseUrl?: string;
  api: string;
  headers: Record<string, HeaderValue>;
  reasoning: boolean;
  supportsDeveloperRole?: boolean;
  contextWindow: number;
  maxTokens: number;
  key: KeySource;
  /** `compat` flags that change the request (openai-completions.js getCompat). */
  compat: ModelCompat;
  /** `agents.defaults.models["<ref>"].params` (extra-params.js). */
  params: ModelParams;
  /** `authHeader: true` on the provider, and the provider's own apiKey it would put in `Authorization`. */
  authHeader: boolean;
  providerApiKey?: string;
  /** The id that goes out: V3's Kimi plugin rewrites legacy ids (`k2p5` → `kimi-for-coding`). */
  wireModelId: string;
  /** V3: the Kimi plugin owns this provider id (its stream wrapper sets thinking). */
  kimiPlugin: boolean;
  /** V3: the provider id is the Kimi plugin's but the plugin is off (why, in the config's words). */
  kimiPluginOff?: string;
  /** The model's own thinking default when no session level or thinkingDefault is set (V3 plugin: `off`). */
  defaultThinking?: string;
  /** V3 `models.providers.<id>.request.allowPrivateNetwork`. */
  allowPrivateNetwork: boolean;
}

export interface ModelCompat {
  supportsDeveloperRole?: boolean;
  supportsStore?: boolean;
  supportsReasoningEffort?: boolean;
  supportsUsageInStreaming?: boolean;
  maxTokensField?: 'max_completion_tokens' | 'max_tokens';
}

export interface ModelParams {
  temperature?: number;
  maxTokens?: number;
  thinking?: Json;
}

export interface BuiltInProvider {
  id: string;
  baseUrl: string;
  api: string;
  envVars: string[];
  model: { id: string; reasoning: boolean; headers: Record<string, string>; supportsDeveloperRole?: boolean; contextWindow: number; maxTokens: number };
}

/** Built-in providers by generation (§5). */
export function builtInProviders(gen: Generation): BuiltInProvider[] {
  const v1KimiCode: BuiltInProvider = {
    id: 'kimi-code',
    baseUrl: 'https://api.kimi.com/coding/v1',
    api: 'openai-completions',
    envVars: ['KIMICODE_API_KEY'],
    model: { id: 'kimi-for-coding', reasoning: true, headers: { 'User-Agent': 'KimiCLI/0.77' }, supportsDeveloperRole: false, ...KIMI_LIMITS },
  };
  const moonshot: BuiltInProvider = {
    id: 'moonshot',
    baseUrl: 'https://api.moonshot.ai/v1',
    api: 'openai-completions',
    envVars: ['MOONSHOT_API_KEY'],
    model: { id: 'kimi-k2.5', reasoning: false, headers: {}, contextWindow: 200000, maxTokens: 8192 },
  };
  if (gen === 'V3') {
    // The Kimi plugin's catalog (kimi-plugin.ts). No User-Agent: 2026.9.6 sent `undici` when the config set none.
    const catalog = kimiCatalogModel('kimi-for-coding')!;
    const kimi = (id: string): BuiltInProvider => ({
      id,
      baseUrl: KIMI_PLUGIN_BASE_URL,
      api: KIMI_PLUGIN_API,
      envVars: KIMI_PLUGIN_ENV_VARS,
      model: { id: catalog.id, reasoning: catalog.reasoning, headers: {}, contextWindow: catalog.contextWindow, maxTokens: catalog.maxTokens },
    });
    return [kimi('kimi'), kimi('kimi-coding'), kimi('kimi-code'), moonshot];
  }
  return [v1KimiCode, moonshot];
}

export function providerKind(id: string, baseUrl: string | undefined): ProviderKind {
  const host = hostOf(baseUrl);
  if (host === 'api.kimi.com') return 'kimi-coding';
  if (host === 'api.moonshot.ai' || host === 'api.moonshot.cn') return 'moonshot';
  if (host && !isLoopbackHost(host)) {
    return 'other';
  }
  // No base URL, or a loopback one (a proxy or a test server): trust the id.
  if (KIMI_CODING_IDS.includes(id)) return 'kimi-coding';
  if (id === 'moonshot' || id === 'moonshot-cn') return 'moonshot';
  return 'other';
}

export function listProviders(cfg: LoadedConfig): ProviderInfo[] {
  const providers = get(cfg.resolved, ['models', 'providers']);
  const rawProviders = get(cfg.raw, ['models', 'providers']);
  if (!isObject(providers)) return [];
  const out: ProviderInfo[] = [];
  for (const [id, block] of Object.entries(providers)) {
    if (!isObject(block)) continue;
    const p: PathSeg[] = ['models', 'providers', id];
    const baseUrl = typeof block.baseUrl === 'string' ? block.baseUrl : typeof block.baseURL === 'string' ? block.baseURL : undefined;
    const models: ModelInfo[] = [];
    if (Array.isArray(block.models)) {
      block.models.forEach((m, index) => {
        if (isObject(m) && typeof m.id === 'string') models.push({ id: m.id, index, path: [...p, 'models', index], block: m });
      });
    }
    const rawBlock = isObject(rawProviders) && isObject(rawProviders[id]) ? (rawProviders[id] as JsonObject) : block;
    out.push({ id, path: p, block, rawBlock, baseUrl, api: typeof block.api === 'string' ? block.api : undefined, kind: providerKind(id, baseUrl), models });
  }
  return out;
}

/** `agents.defaults.model.primary`, through aliases (§4). */
export function agentModel(cfg: LoadedConfig): AgentModel {
  const p: PathSeg[] = ['agents', 'defaults', 'model'];
  const m = get(cfg.resolved, p);
  let written: string | undefined;
  let bareString = false;
  let at = p;
  if (typeof m === 'string') {
    written = m;
    bareString = true;
  } else if (isObject(m) && typeof m.primary === 'string') {
    written = m.primary;
    at = [...p, 'primary'];
  }
  const out: AgentModel = { written, path: at, bareString };
  if (!written) return out;
  let ref = written;
  if (!ref.includes('/')) {
    const models = get(cfg.resolved, ['agents', 'defaults', 'models']);
    if (isObject(models)) {
      const hit = Object.entries(models).find(([, v]) => isObject(v) && v.alias === ref);
      if (hit) {
        out.viaAlias = ref;
        ref = hit[0];
      }
    }
  }
  out.ref = ref;
  const slash = ref.indexOf('/');
  if (slash > 0) {
    out.providerId = ref.slice(0, slash);
    out.modelId = ref.slice(slash + 1);
  }
  return out;
}

export interface AuthProfile {
  name: string;
  provider: string;
  type: 'api_key' | 'token' | 'oauth';
  key?: string;
  /** ms since epoch, for `token` / `oauth` credentials. */
  expires?: number;
  /** Where the profile is stored; default the V1/V2 file. */
  source?: string;
}

export interface AuthProfileStore {
  profiles: AuthProfile[];
  /** Entries the product drops (no valid type or provider), named for the api-key check. */
  dropped: string[];
}

/**
 * `<agentDir>/auth-profiles.json`, parsed as strictly as the product (agents/auth-profiles/store.js
 * coerceAuthStore): an entry needs a `type` of api_key | token | oauth and a string `provider`, else it is dropped;
 * `api_key` reads only `key`, `token` reads `token` (and `expires`), `oauth` reads `access` (and `expires`).
 */
export function parseAuthProfiles(data: unknown): AuthProfileStore {
  const out: AuthProfileStore = { profiles: [], dropped: [] };
  const profiles = isObject(data as Json) && isObject((data as JsonObject).profiles) ? ((data as JsonObject).profiles as JsonObject) : undefined;
  if (!profiles) return out;
  for (const [name, v] of Object.entries(profiles)) {
    const type = isObject(v) ? v.type : undefined;
    if (!isObject(v) || (type !== 'api_key' && type !== 'token' && type !== 'oauth') || typeof v.provider !== 'string' || !v.provider) {
      out.dropped.push(name);
      continue;
    }
    const field = type === 'api_key' ? v.key : type === 'token' ? v.token : v.access;
    const key = typeof field === 'string' && field.length > 0 ? field : undefined;
    const expires = typeof v.expires === 'number' && Number.isFinite(v.expires) ? v.expires : undefined;
    out.profiles.push({ name, provider: v.provider, type, key, expires: type === 'api_key' ? undefined : expires });
  }
  return out;
}

export function readAuthProfileFile(stateDir: string, agentId = 'main'): AuthProfileStore {
  const file = path.join(stateDir, 'agents', agentId, 'agent', 'auth-profiles.json');
  // Bounded: a FIFO or a device here must not hang the run (read-bounded.ts); profiles are a few KB.
  const read = readFileBounded(file, 4 * 1024 * 1024);
  if (!read.ok) return { profiles: [], dropped: [] };
  try {
    return parseAuthProfiles(JSON5.parse(read.bytes.toString('utf8')));
  } catch {
    return { profiles: [], dropped: [] };
  }
}

export function readAuthProfiles(stateDir: string, agentId = 'main'): AuthProfile[] {
  return readAuthProfileFile(stateDir, agentId).profiles;
}

/** The default agent's `auth-profiles.json`, read once per run: the profiles the product uses and those it drops. */
export function getAuthProfileFile(ctx: Context): Promise<AuthProfileStore> {
  return ctx.fact('authProfiles.file', async () => readAuthProfileFile((await getConfig(ctx)).location.stateDir));
}

/** The default agent's auth profiles, read once per run (the key source of every provider and the redactor). */
export function getAuthProfiles(ctx: Context): Promise<AuthProfile[]> {
  // 2026.9 keeps the profiles in SQLite (auth-store-v3.ts); they come first, as the product reads no JSON file.
  return ctx.fact('authProfiles', async () => {
    // The product drops a stored profile without a valid type and provider here too (store.js coerceAuthStore).
    const stored = (await getAuthStoreV3(ctx)).profiles.flatMap((p): AuthProfile[] =>
      p.provider && (p.type === 'api_key' || p.type === 'token' || p.type === 'oauth') ? [{ name: p.name, provider: p.provider, type: p.type, key: p.key, source: p.source }] : [],
    );
    return [...stored, ...(await getAuthProfileFile(ctx)).profiles];
  });
}

/**
 * The env vars the product reads for a provider, by version. V1 (agents/model-auth.js resolveEnvApiKey) maps only
 * `kimi-code` → KIMICODE_API_KEY; V3's Kimi plugin reads KIMI_API_KEY, then KIMICODE_API_KEY, for all its ids.
 * Unknown version: every name either generation reads, said so by the checks that depend on it.
 */
export function envVarsFor(providerId: string, gen: Generation): string[] {
  if (providerId === 'moonshot') return ['MOONSHOT_API_KEY'];
  if (gen === 'V1' || gen === 'V2') return providerId === 'kimi-code' ? ['KIMICODE_API_KEY'] : [];
  if (isKimiPluginProvider(providerId)) return gen === 'V3' ? KIMI_PLUGIN_ENV_VARS : ['KIMICODE_API_KEY', 'KIMI_API_KEY'];
  return [];
}

/** API key order: auth profile, then the provider's env var, then `apiKey` in the config (§4). */
export function keySource(cfg: LoadedConfig, providerId: string, provider: ProviderInfo | undefined, gen: Generation, profiles: AuthProfile[]): KeySource {
  const candidates: KeySource[] = [];
  const now = Date.now();
  for (const prof of profiles) {
    // An expired token is skipped by the product (store.js), so it does not count as a key either.
    if (prof.provider === providerId && prof.key && (prof.expires === undefined || prof.expires > now)) {
      candidates.push({ kind: 'auth-profile', detail: `auth profile ${prof.name} (${prof.source ?? 'agents/main/agent/auth-profiles.json'})`, value: prof.key, shadowed: [] });
    }
  }
  for (const name of envVarsFor(providerId, gen)) {
    const e = cfg.env.get(name);
    if (e?.value) candidates.push({ kind: 'env', detail: `env ${name} (from ${e.source})`, value: e.value, shadowed: [] });
  }
  const rawKey = provider ? str(provider.rawBlock, ['apiKey']) : undefined;
  const key = provider ? str(provider.block, ['apiKey']) : undefined;
  if (key) {
    const reference = rawKey && rawKey.includes('${') ? rawKey : undefined;
    candidates.push({ kind: 'config', detail: `config ${provider ? `models.providers.${providerId}.apiKey` : 'apiKey'}${reference ? ` (${reference})` : ''}`, value: key, reference, shadowed: [] });
  }
  const win = candidates[0];
  if (!win) return { kind: 'none', detail: 'no key found', shadowed: [] };
  return { ...win, shadowed: candidates.slice(1).filter((c) => c.value !== win.value).map((c) => c.detail) };
}

function headersOf(v: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Header names are case-insensitive: find `User-Agent` however it is spelled. */
export function findHeader(headers: Record<string, HeaderValue>, name: string): [string, HeaderValue] | undefined {
  const lower = name.toLowerCase();
  return Object.entries(headers).find(([k]) => k.toLowerCase() === lower);
}

function mergeHeaders(layers: [Record<string, string>, HeaderValue['from']][]): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  for (const [layer, from] of layers) {
    for (const [k, v] of Object.entries(layer)) {
      const existing = Object.keys(out).find((x) => x.toLowerCase() === k.toLowerCase());
      if (existing) delete out[existing];
      out[k] = { value: v, from };
    }
  }
  return out;
}

function num(v: Json | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function bool(v: Json | undefined): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

function compatOf(block: JsonObject | undefined): ModelCompat {
  const c = block?.compat;
  if (!isObject(c)) return {};
  const field = c.maxTokensField;
  return {
    supportsDeveloperRole: bool(c.supportsDeveloperRole),
    supportsStore: bool(c.supportsStore),
    supportsReasoningEffort: bool(c.supportsReasoningEffort),
    supportsUsageInStreaming: bool(c.supportsUsageInStreaming),
    maxTokensField: field === 'max_tokens' || field === 'max_completion_tokens' ? field : undefined,
  };
}

/** extra-params.js: `agents.defaults.models["<provider>/<model>"].params` reach the request. */
function paramsOf(cfg: LoadedConfig, ref: string): ModelParams {
  const models = get(cfg.resolved, ['agents', 'defaults', 'models']);
  const entry = isObject(models) ? models[ref] : undefined;
  const params = isObject(entry) ? entry.params : undefined;
  if (!isObject(params)) return {};
  return { temperature: num(params.temperature), maxTokens: num(params.maxTokens), thinking: params.thinking };
}

/** What the product would actually send for `providerId/modelId` (§3, §5; V3: kimi-plugin.ts). */
export function effectiveModel(cfg: LoadedConfig, providerId: string, modelId: string, gen: Generation, profiles: AuthProfile[]): EffectiveModel {
  const provider = listProviders(cfg).find((p) => p.id === providerId);
  const model = provider?.models.find((m) => m.id === modelId);
  const mode = str(cfg.resolved, ['models', 'mode']) ?? 'merge';
  // V3: `kimi`, `kimi-code` and `kimi-coding` are the plugin's, when it is on; its catalog keeps working with an
  // explicit baseUrl (index.ts catalog.run merges it in).
  const plugin: KimiPluginState = gen === 'V3' && isKimiPluginProvider(providerId) ? kimiPluginState(cfg.resolved) : { enabled: false, why: '', path: [] };
  const kimiPlugin = plugin.enabled;
  const pluginOff = gen === 'V3' && isKimiPluginProvider(providerId) && !plugin.enabled;
  const builtIn = (mode === 'replace' && provider) || pluginOff ? undefined : builtInProviders(gen).find((b) => b.id === providerId);
  const catalog = kimiPlugin ? kimiCatalogModel(modelId) : undefined;
  const builtInModel = catalog
    ? { id: catalog.id, reasoning: catalog.reasoning, headers: {}, supportsDeveloperRole: undefined, contextWindow: catalog.contextWindow, maxTokens: catalog.maxTokens }
    : builtIn && builtIn.model.id === modelId ? builtIn.model : undefined;
  const baseUrl = provider?.baseUrl ?? builtIn?.baseUrl;
  const api = str(model?.block, ['api']) ?? provider?.api ?? builtIn?.api ?? 'openai-completions';
  // A user-defined model with the built-in's id replaces it whole (§3): the built-in headers only
  // count when the config defines no such model.
  const useBuiltInModel = !model && builtInModel;
  const headers = mergeHeaders([
    [useBuiltInModel ? builtInModel.headers : {}, 'built-in'],
    [headersOf(provider?.block.headers), 'provider'],
    [headersOf(model?.block.headers), 'model'],
  ]);
  const compat = compatOf(model?.block);
  const sdr = compat.supportsDeveloperRole ?? (useBuiltInModel ? builtInModel.supportsDeveloperRole : undefined);
  const reasoning = model ? model.block.reasoning === true : useBuiltInModel ? builtInModel.reasoning : false;
  const contextWindow = num(model?.block.contextWindow) ?? (useBuiltInModel ? builtInModel.contextWindow : 200000);
  const maxTokens = num(model?.block.maxTokens) ?? (useBuiltInModel ? builtInModel.maxTokens : Math.min(8192, contextWindow));
  const ref = `${providerId}/${modelId}`;
  const request = provider?.block.request;
  return {
    ref,
    providerId,
    modelId,
    provider,
    model,
    builtIn,
    synthetic: !!provider && !model && !builtInModel,
    kind: providerKind(providerId, baseUrl),
    baseUrl,
    api,
    headers,
    reasoning,
    supportsDeveloperRole: sdr,
    contextWindow,
    maxTokens,
    key: keySource(cfg, providerId, provider, gen, profiles),
    compat: { ...compat, supportsDeveloperRole: sdr },
    params: paramsOf(cfg, ref),
    authHeader: provider?.block.authHeader === true,
    providerApiKey: provider ? str(provider.block, ['apiKey']) : undefined,
    wireModelId: kimiPlugin ? kimiModelId(modelId) : modelId,
    kimiPlugin,
    kimiPluginOff: pluginOff && !plugin.enabled ? plugin.why : undefined,
    // provider-policy-api.ts resolveThinkingProfile: `off` by default, `max` for K3.
    defaultThinking: kimiPlugin ? kimiDefaultThinking(modelId) : undefined,
    allowPrivateNetwork: isObject(request) && request.allowPrivateNetwork === true,
  };
}

export interface KimiSetup {
  generation: Generation;
  providers: ProviderInfo[];
  kimiProviders: ProviderInfo[];
  agent: AgentModel;
  /** The model the agent uses, when the ref names a provider. */
  primary?: EffectiveModel;
  /** Every Kimi model to judge: the agent's model and every model of every Kimi provider. */
  kimiModels: EffectiveModel[];
}

export function getKimiSetup(ctx: Context): Promise<KimiSetup> {
  return ctx.fact('kimi', async () => {
    const [cfg, product, profiles] = await Promise.all([getConfig(ctx), getProduct(ctx), getAuthProfiles(ctx)]);
    const gen = product.generation;
    const providers = listProviders(cfg);
    const kimiProviders = providers.filter((p) => p.kind !== 'other');
    const agent = agentModel(cfg);
    const primary = agent.providerId && agent.modelId ? effectiveModel(cfg, agent.providerId, agent.modelId, gen, profiles) : undefined;
    const kimiModels: EffectiveModel[] = [];
    if (primary && primary.kind !== 'other') kimiModels.push(primary);
    for (const p of kimiProviders) {
      for (const m of p.models) {
        if (!kimiModels.some((k) => k.providerId === p.id && k.modelId === m.id)) kimiModels.push(effectiveModel(cfg, p.id, m.id, gen, profiles));
      }
    }
    return { generation: gen, providers, kimiProviders, agent, primary, kimiModels };
  });
}

/** The Kimi checks' prerequisite: a readable config that uses Kimi somewhere. */
export async function requireKimi(ctx: Context): Promise<{ cfg: LoadedConfig & { raw: JsonObject; resolved: JsonObject }; setup: KimiSetup }> {
  const cfg = await requireConfig(ctx);
  const setup = await getKimiSetup(ctx);
  if (!setup.kimiModels.length) unavailable('no Kimi provider configured and the agent does not use a Kimi model');
  return { cfg, setup };
}

/** Where a model's settings live (or would go): the model block, else the provider block. */
export function modelPath(m: EffectiveModel): PathSeg[] {
  return m.model?.path ?? m.provider?.path ?? ['models', 'providers', m.providerId];
}
