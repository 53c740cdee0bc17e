// What the known-failures catalog (src/causes/) needs to know about this machine: which product version
// runs, the config in the table's words (SetupFacts), and which causes the logs and transcripts show.
import type { Context } from '../engine/context.js';
import type { SetupFacts } from '../causes/index.js';
import { get, getConfig, isObject, str } from './config.js';
import { getLogEvidence, getSessions } from './evidence-logs.js';
import { findHeader, getKimiSetup, type EffectiveModel } from './kimi.js';
import { cliVersion, getProduct, type InstalledCli } from './product.js';

export interface InstalledVersions {
  /** The version to judge: the CLI's when known (what runs), else the config's meta.lastTouchedVersion. */
  version?: string;
  source?: 'installed CLI --version' | 'meta.lastTouchedVersion';
  product?: string;
  cli?: InstalledCli & { version?: string };
  /** `meta.lastTouchedVersion`: the version that last wrote the config. */
  configVersion?: string;
}

/** The CLI is asked at most once per run (getProduct may already have asked it). */
export function getInstalledVersions(ctx: Context): Promise<InstalledVersions> {
  return ctx.fact('product.versions', async () => {
    const [product, cfg] = await Promise.all([getProduct(ctx), getConfig(ctx)]);
    const configVersion = str(cfg.raw, ['meta', 'lastTouchedVersion']);
    let cliVer: string | undefined;
    if (product.cli) {
      cliVer = product.versionSource === 'installed CLI --version' ? product.version : await cliVersion(product.cli, ctx.env, 5000);
    }
    const version = cliVer ?? configVersion;
    return {
      version,
      source: cliVer ? 'installed CLI --version' : configVersion ? 'meta.lastTouchedVersion' : undefined,
      product: product.name,
      cli: product.cli ? { ...product.cli, version: cliVer } : undefined,
      configVersion,
    };
  });
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function setupModel(m: EffectiveModel): SetupFacts['models'][number] {
  const ua = findHeader(m.headers, 'User-Agent')?.[1];
  return {
    providerId: m.providerId,
    modelId: m.modelId,
    api: m.api,
    reasoning: m.reasoning,
    baseUrl: m.baseUrl,
    customBaseUrl: m.provider?.baseUrl !== undefined && m.provider.baseUrl !== m.builtIn?.baseUrl,
    inConfig: m.provider !== undefined,
    userAgent: ua?.value,
    userAgentInConfig: ua !== undefined && ua.from !== 'built-in',
    input: strings(m.model?.block.input),
  };
}

/** The config in the cause table's words (SetupFacts): every Kimi model, thinking, plugins, fallbacks. */
export function getSetupFacts(ctx: Context): Promise<SetupFacts> {
  return ctx.fact('causes.setup', async () => {
    const [cfg, setup] = await Promise.all([getConfig(ctx), getKimiSetup(ctx)]);
    const obj = cfg.resolved ?? cfg.raw;
    const model = get(obj, ['agents', 'defaults', 'model']);
    return {
      models: setup.kimiModels.map(setupModel),
      thinkingDefault: str(obj, ['agents', 'defaults', 'thinkingDefault'])?.trim().toLowerCase(),
      contextEngine: str(obj, ['plugins', 'slots', 'contextEngine']),
      fallbacks: isObject(model) ? strings(model.fallbacks) : [],
    };
  });
}

export interface ObservedCause {
  count: number;
  /** `log` / `transcript`, and the newest place it was seen. */
  seenIn: ('log' | 'transcript')[];
  where?: string;
}

/** The causes the logs and the transcripts show, by id (classified by the readers from the same table). */
export function getObservedCauses(ctx: Context): Promise<Map<string, ObservedCause>> {
  return ctx.fact('causes.observed', async () => {
    const out = new Map<string, ObservedCause>();
    const add = (id: string | undefined, form: 'log' | 'transcript', n: number, where?: string) => {
      if (!id) return;
      const o = out.get(id) ?? { count: 0, seenIn: [] };
      o.count += n;
      if (!o.seenIn.includes(form)) o.seenIn.push(form);
      o.where ??= where;
      out.set(id, o);
    };
    const [logs, sessions] = await Promise.all([getLogEvidence(ctx).catch(() => undefined), getSessions(ctx).catch(() => undefined)]);
    for (const g of logs?.errors ?? []) add(g.cause, 'log', g.count, g.location);
    for (const a of sessions?.agents ?? []) for (const t of a.transcripts) for (const e of t.errors) add(e.cause, 'transcript', 1, t.path);
    return out;
  });
}
