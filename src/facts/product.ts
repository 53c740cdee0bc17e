// Which product generation wrote/reads this config (clawdbot.md header: V1/V2/V3), and the installed CLI.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../engine/context.js';
import { getConfig, str } from './config.js';
import { getLocation, type ProductName } from './paths.js';

export type Generation = 'V1' | 'V2' | 'V3' | 'unknown';

export interface InstalledCli {
  name: ProductName;
  path: string;
}

export interface ProductInfo {
  name?: ProductName;
  version?: string;
  versionSource: 'meta.lastTouchedVersion' | 'installed CLI --version' | 'unknown';
  generation: Generation;
  /** How the generation was recognised, in the user's words (README "Which versions"). */
  recognisedBy: string;
  /** OpenClaw 2026.9 keeps keys and sessions in SQLite (state/openclaw.sqlite, agents/<id>/agent/openclaw-agent.sqlite). */
  storage: 'sqlite' | 'files';
  cli?: InstalledCli;
}

/** The files only OpenClaw 2026.9+ writes: its SQLite state and agent databases. */
export function sqliteStateFiles(stateDir: string): string[] {
  const found: string[] = [];
  const state = path.join(stateDir, 'state', 'openclaw.sqlite');
  if (fs.existsSync(state)) found.push(state);
  let agents: string[] = [];
  try {
    agents = fs.readdirSync(path.join(stateDir, 'agents'));
  } catch {
    /* no agents dir */
  }
  for (const id of agents) {
    const db = path.join(stateDir, 'agents', id, 'agent', 'openclaw-agent.sqlite');
    if (fs.existsSync(db)) found.push(db);
  }
  return found;
}

/**
 * The generation from the files present, when no version is known: only the 2026.9 databases decide it.
 * A config's file name does not (every generation reads every name, clawdbot.md §1), so a setup without
 * a version stays "unknown" and its findings explain both cases, as before.
 */
export function generationFromFiles(sqlite: boolean): Generation {
  return sqlite ? 'V3' : 'unknown';
}

/** `2026.1.24-3` → [2026, 1, 24]. */
function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^v?(\d{4})\.(\d{1,2})\.(\d{1,2})/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function cmp(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function generationOf(version: string | undefined): Generation {
  const v = version ? parseVersion(version) : undefined;
  if (!v) return 'unknown';
  if (cmp(v, [2026, 1, 24]) <= 0) return 'V1';
  if (cmp(v, [2026, 1, 29]) < 0) return 'V2';
  return 'V3';
}

/** Look on PATH without spawning anything: newest name first. */
export function findInstalledCli(env: NodeJS.ProcessEnv): InstalledCli | undefined {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['.cmd', '.exe', ''] : [''];
  for (const name of ['openclaw', 'moltbot', 'clawdbot'] as const) {
    for (const d of dirs) {
      for (const ext of exts) {
        const p = path.join(d, name + ext);
        try {
          fs.accessSync(p, fs.constants.X_OK);
          if (fs.statSync(p).isFile()) return { name, path: p };
        } catch {
          /* not here */
        }
      }
    }
  }
  return undefined;
}

export async function cliVersion(cli: InstalledCli, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | undefined> {
  try {
    // execa is loaded only when a CLI must be asked: it is not needed on most runs' start-up path.
    const { execa } = await import('execa');
    const r = await execa(cli.path, ['--version'], { env, timeout: timeoutMs, reject: false, stdin: 'ignore' });
    const line = r.stdout.split(/\r?\n/).map((l) => l.trim()).find((l) => parseVersion(l));
    return line ? (/\d{4}\.\d{1,2}\.\d{1,2}(?:-\d+)?/.exec(line)?.[0] ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

export function getInstalledCli(ctx: Context): Promise<InstalledCli | undefined> {
  return ctx.fact('installedCli', () => findInstalledCli(ctx.env));
}

/**
 * The version comes from the config's `meta.lastTouchedVersion` when present (free); otherwise the
 * installed CLI is asked (one spawn, only when a CLI is on PATH).
 */
export function getProduct(ctx: Context): Promise<ProductInfo> {
  return ctx.fact('product', async () => {
    const [cfg, loc, cli] = await Promise.all([getConfig(ctx), getLocation(ctx), getInstalledCli(ctx)]);
    const meta = str(cfg.raw, ['meta', 'lastTouchedVersion']);
    let version = meta;
    let versionSource: ProductInfo['versionSource'] = meta ? 'meta.lastTouchedVersion' : 'unknown';
    if (!version && cli) {
      version = await cliVersion(cli, ctx.env, 5000);
      if (version) versionSource = 'installed CLI --version';
    }
    const sqlite = sqliteStateFiles(loc.stateDir).length > 0;
    const byVersion = generationOf(version);
    const generation = byVersion !== 'unknown' ? byVersion : generationFromFiles(sqlite);
    const recognisedBy =
      byVersion !== 'unknown'
        ? `version ${version} (${versionSource})`
        : sqlite
          ? 'its SQLite state (state/openclaw.sqlite, agents/<id>/agent/openclaw-agent.sqlite)'
          : 'nothing (no meta.lastTouchedVersion, no CLI, no 2026.9 database)';
    let name: ProductName | undefined = cli?.name ?? loc.productHint;
    if (generation === 'V1') name = 'clawdbot';
    else if (generation === 'V3') name = 'openclaw';
    return { name, version, versionSource, generation, recognisedBy, storage: sqlite ? 'sqlite' : 'files', cli };
  });
}
