// Which keys the product accepts, by version. When OpenClaw's own CLI is installed, its `openclaw config validate
// --json` is the judge (the fixtures' cli/config-validate.txt: `{"valid":true,"path":…,"warnings":[]}`); otherwise a
// per-version key list. V1/V2 validate strictly (zod .strict(): one unknown key rejects the whole config,
// clawdbot.md §2–3); 2026.9 has keys V1 never had (`request.allowPrivateNetwork`, the plugin catalog's model keys).
import type { Context } from '../engine/context.js';
import { getConfig, type PathSeg } from './config.js';
import { getInstalledCli, getProduct, type Generation } from './product.js';
import { runBounded } from './run-bounded.js';

export const PROVIDER_KEYS_V1 = ['baseUrl', 'apiKey', 'auth', 'api', 'headers', 'authHeader', 'models'];
export const MODEL_KEYS_V1 = ['id', 'name', 'api', 'reasoning', 'input', 'cost', 'contextWindow', 'maxTokens', 'headers', 'compat'];
/** 2026.9.6: `request` (allowPrivateNetwork, set by `openclaw config set` in every fixture setup). */
export const PROVIDER_KEYS_V3 = [...PROVIDER_KEYS_V1, 'request'];
/** 2026.9.6: the Kimi plugin's catalog models carry these too (openclaw.plugin.json modelCatalog). */
export const MODEL_KEYS_V3 = [...MODEL_KEYS_V1, 'thinkingLevelMap', 'upstreamModel'];
export const REQUEST_KEYS_V3 = ['allowPrivateNetwork'];

/** The keys allowed at a provider (`models.providers.<id>`) or model (`…models[i]`) path, for this version. */
export function allowedKeys(gen: Generation, where: 'provider' | 'model'): string[] {
  const v3 = gen === 'V3';
  return where === 'provider' ? (v3 ? PROVIDER_KEYS_V3 : PROVIDER_KEYS_V1) : v3 ? MODEL_KEYS_V3 : MODEL_KEYS_V1;
}

/**
 * Would this version accept a value at `path`, as far as the key list knows? Used to offer only repairs the
 * product accepts. Paths outside provider and model blocks are not judged here (undefined).
 */
export function acceptsPath(gen: Generation, path: readonly PathSeg[]): boolean | undefined {
  if (path[0] !== 'models' || path[1] !== 'providers' || path.length < 4) return undefined;
  const [, , , key, index, modelKey] = path;
  if (key !== 'models') {
    if (!allowedKeys(gen, 'provider').includes(String(key))) return false;
    if (key === 'request' && path.length > 4) return gen === 'V3' && REQUEST_KEYS_V3.includes(String(path[4]));
    return true;
  }
  if (typeof index !== 'number' || modelKey === undefined) return true;
  return allowedKeys(gen, 'model').includes(String(modelKey));
}

export interface ValidationIssue {
  path?: string;
  message: string;
}

export type ProductValidation =
  | { ran: true; command: string; valid: boolean; issues: ValidationIssue[] }
  | { ran: false; why: string };

/** The last JSON object in the CLI's output (it may print warnings before it). */
function lastJson(text: string): Record<string, unknown> | undefined {
  for (let at = text.lastIndexOf('{'); at >= 0; at = text.lastIndexOf('{', at - 1)) {
    try {
      const v = JSON.parse(text.slice(at)) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* not the start of the object yet */
    }
  }
  return undefined;
}

function issuesOf(v: unknown): ValidationIssue[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((e): ValidationIssue[] => {
    if (typeof e === 'string') return [{ message: e }];
    if (typeof e !== 'object' || e === null) return [];
    const o = e as Record<string, unknown>;
    const path = Array.isArray(o.path) ? o.path.map(String).join('.') : typeof o.path === 'string' ? o.path : undefined;
    const message = typeof o.message === 'string' ? o.message : JSON.stringify(o);
    return [{ path, message }];
  });
}

/** What `openclaw config validate --json` printed, as a verdict; undefined when it printed no verdict. */
export function parseValidateOutput(output: string): { valid: boolean; issues: ValidationIssue[] } | undefined {
  const o = lastJson(output);
  if (!o || typeof o.valid !== 'boolean') return undefined;
  return { valid: o.valid, issues: [...issuesOf(o.errors), ...issuesOf(o.issues)] };
}

/** At most this long: the CLI took ~3 s in the fixtures (cli/config-validate.txt); the run's --timeout bounds it too. */
const VALIDATE_MS = 10_000;

/**
 * The installed OpenClaw's own verdict on the config, asked once per run. It starts when the first check asks and
 * runs while the other checks do; it is bounded by the run's time limit.
 */
export function getProductValidation(ctx: Context): Promise<ProductValidation> {
  return ctx.fact('product.validate', async (): Promise<ProductValidation> => {
    const [cfg, cli, product] = await Promise.all([getConfig(ctx), getInstalledCli(ctx), getProduct(ctx)]);
    if (!cli || cli.name !== 'openclaw') return { ran: false, why: 'no openclaw CLI on PATH' };
    if (product.generation !== 'V3' && product.generation !== 'unknown') return { ran: false, why: `the config is for ${product.name ?? 'an older product'} ${product.version ?? ''}`.trim() };
    if (!cfg.path) return { ran: false, why: 'no config file' };
    const left = ctx.now.getTime() + ctx.options.timeout * 1000 - Date.now() - 1500;
    const timeoutMs = Math.max(0, Math.min(VALIDATE_MS, left));
    if (timeoutMs < 500) return { ran: false, why: 'no time left in this run' };
    const r = await runBounded(cli.path, ['config', 'validate', '--json'], { env: { ...ctx.env, OPENCLAW_CONFIG_PATH: cfg.path }, timeoutMs, display: 'openclaw' });
    if (r.timedOut) return { ran: false, why: `${r.command} did not answer within ${Math.round(timeoutMs / 1000)} s` };
    const verdict = parseValidateOutput(r.output);
    if (!verdict) return { ran: false, why: `${r.command} printed no verdict${r.spawnError ? ` (${r.spawnError})` : ''}` };
    return { ran: true, command: r.command, ...verdict };
  });
}
