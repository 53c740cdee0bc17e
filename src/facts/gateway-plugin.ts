// Where the 2026.9 Kimi plugin is on disk (fixtures openclaw-2026.9.6/README.md, healthy/home/.openclaw):
// `plugins.load.paths` for a linked install (`plugins install <dir> --link`), `<stateDir>/extensions/<id>`
// for a copied one. Its manifest `openclaw.plugin.json` carries the id, its package.json the version.
import fs from 'node:fs/promises';
import path from 'node:path';
import { get, isObject, type JsonObject } from './config.js';
import type { InstalledPluginRecord } from './gateway-state-v3.js';
import { KIMI_PLUGIN_ID, KIMI_PLUGIN_PROVIDER_IDS as KIMI_PROVIDERS } from './kimi-plugin.js';

export interface KimiPlugin {
  dir: string;
  version?: string;
  via: 'plugins.load.paths' | 'extensions' | 'install record';
  /** The product's install record names `dir`, but no plugin manifest is there any more. */
  missing?: boolean;
}

export function usesKimi(cfg: JsonObject): boolean {
  const providers = get(cfg, ['models', 'providers']);
  if (isObject(providers) && KIMI_PROVIDERS.some((id) => id in providers)) return true;
  const primary = get(cfg, ['agents', 'defaults', 'model', 'primary']);
  if (typeof primary === 'string' && KIMI_PROVIDERS.some((id) => primary.startsWith(`${id}/`))) return true;
  const profiles = get(cfg, ['auth', 'profiles']);
  return isObject(profiles) && Object.values(profiles).some((p) => isObject(p) && typeof p.provider === 'string' && KIMI_PROVIDERS.includes(p.provider));
}

/** `records`: the product's own install records (gateway-state-v3.ts), a third place to look. */
export async function findKimiPlugin(cfg: JsonObject, stateDir: string, records: InstalledPluginRecord[] = []): Promise<KimiPlugin | undefined> {
  const paths = get(cfg, ['plugins', 'load', 'paths']);
  const linked = Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [];
  const extensions = path.join(stateDir, 'extensions');
  const copied = (await fs.readdir(extensions).catch(() => [] as string[])).map((d) => path.join(extensions, d));
  const recorded = records.find((r) => r.id === KIMI_PLUGIN_ID);
  for (const [dirs, via] of [
    [linked, 'plugins.load.paths'],
    [copied, 'extensions'],
    [recorded?.installPath ? [recorded.installPath] : [], 'install record'],
  ] as const) {
    for (const dir of dirs) {
      if ((await manifestId(dir)) === KIMI_PLUGIN_ID) return { dir, version: await packageVersion(dir), via };
    }
  }
  return recorded?.installPath ? { dir: recorded.installPath, version: recorded.version, via: 'install record', missing: true } : undefined;
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function manifestId(dir: string): Promise<string | undefined> {
  const m = await readJson(path.join(dir, 'openclaw.plugin.json'));
  return isObject(m) && typeof m.id === 'string' ? m.id : undefined;
}

async function packageVersion(dir: string): Promise<string | undefined> {
  const p = await readJson(path.join(dir, 'package.json'));
  return isObject(p) && typeof p.version === 'string' ? p.version : undefined;
}
