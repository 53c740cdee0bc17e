// What the known-failures catalog (src/causes/) needs to know about this machine: which product version
// runs, the config in the table's words (SetupFacts), and which causes the logs and transcripts show.
import type { Context } from '../engine/context.js';
import { CAUSES, causeFix, type Cause, type SetupFacts, type VersionRange } from '../causes/index.js';
import { describeRange, versionVerdict } from '../causes/versions.js';
import { get, getConfig, isObject, str } from './config.js';
import { getLogEvidence, getSessions } from './evidence-logs.js';
import { findHeader, getKimiSetup, type EffectiveModel } from './kimi.js';
import path from 'node:path';
import { productPackageOf } from './gateway-install.js';
import { findServiceFile } from './gateway-service.js';
import { getLocation } from './paths.js';
import { cliVersion, getProduct, type InstalledCli } from './product.js';

export interface InstalledVersions {
  /**
   * The version to judge: the gateway service's install when there is one (it runs the agent), else the
   * CLI's, else the config's meta.lastTouchedVersion.
   */
  version?: string;
  source?: 'gateway service' | 'installed CLI --version' | 'meta.lastTouchedVersion';
  /** The installed gateway service (systemd unit / launchd plist) and the product version its command runs. */
  service?: { file: string; version?: string };
  product?: string;
  cli?: InstalledCli & { version?: string };
  /** `meta.lastTouchedVersion`: the version that last wrote the config. */
  configVersion?: string;
}

/** The CLI is asked at most once per run (getProduct may already have asked it). */
export function getInstalledVersions(ctx: Context): Promise<InstalledVersions> {
  return ctx.fact('product.versions', async () => {
    const [product, cfg, loc] = await Promise.all([getProduct(ctx), getConfig(ctx), getLocation(ctx)]);
    const configVersion = str(cfg.raw, ['meta', 'lastTouchedVersion']);
    const service = await serviceVersion(ctx.home, loc.profile);
    let cliVer: string | undefined;
    if (product.cli) {
      cliVer = product.versionSource === 'installed CLI --version' ? product.version : await cliVersion(product.cli, ctx.env, 5000);
    }
    const version = service?.version ?? cliVer ?? configVersion;
    return {
      version,
      source: service?.version ? 'gateway service' : cliVer ? 'installed CLI --version' : configVersion ? 'meta.lastTouchedVersion' : undefined,
      service,
      product: product.name,
      cli: product.cli ? { ...product.cli, version: cliVer } : undefined,
      configVersion,
    };
  });
}

const isNodeBinary = (p: string): boolean => /(^|\/)node(js)?[\d.]*(\.exe)?$/i.test(p);

/**
 * The version of the product the gateway service runs: the package.json above its entry script (no spawn),
 * else the OPENCLAW_SERVICE_VERSION it was installed with (gateway-service.ts).
 */
async function serviceVersion(home: string, profile: string | undefined): Promise<InstalledVersions['service']> {
  const svc = await findServiceFile(home, profile).catch(() => undefined);
  if (!svc) return undefined;
  const script = svc.argv.find((a) => path.isAbsolute(a) && !isNodeBinary(a));
  const pkg = script ? await productPackageOf(script).catch(() => undefined) : undefined;
  return { file: svc.file, version: pkg?.version ?? svc.version };
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

export { causeFix, describeRange };

export interface ApplicableFailure {
  cause: Cause;
  /** The range of the cause that covers the installed version. */
  range: VersionRange;
  /** The evidence: this cause, or a symptom it is shown as, seen in the log or transcripts. */
  seen?: { id: string } & ObservedCause;
}

function seenAs(c: Cause, observed: Map<string, ObservedCause>): ApplicableFailure['seen'] {
  for (const id of [c.id, ...(c.shownAs ?? [])]) {
    const o = observed.get(id);
    if (o) return { id, ...o };
  }
  return undefined;
}

/**
 * The version causes of the table that cover `version` and this config. A cause with no config condition
 * (it depends on what happens, not on the config) is listed only when the evidence shows it.
 */
export function applicableFailures(version: string, setup: SetupFacts, observed: Map<string, ObservedCause>): ApplicableFailure[] {
  const out: ApplicableFailure[] = [];
  for (const c of CAUSES) {
    const verdict = versionVerdict(c, version);
    if (verdict.kind !== 'affected') continue;
    if (c.appliesTo && !c.appliesTo(setup)) continue;
    const seen = seenAs(c, observed);
    if (!seen && !c.appliesTo) continue;
    out.push({ cause: c, range: verdict.range, seen });
  }
  return out;
}
