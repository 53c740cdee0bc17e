// Where the config and the state dir are, for all three generations (clawdbot.md §1).
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../engine/context.js';

export const PRODUCTS = ['openclaw', 'clawdbot', 'moldbot', 'moltbot'] as const;
export type ProductName = 'clawdbot' | 'moltbot' | 'openclaw';

export interface ConfigLocation {
  /** The config file that will be read (may not exist when it came from a flag or env var). */
  path?: string;
  /** How it was chosen: `--config`, `env OPENCLAW_CONFIG_PATH`, `default`. */
  source: string;
  /** Every candidate tried, in order. */
  candidates: string[];
  stateDir: string;
  stateDirSource: string;
  /** State dirs that exist (several split history between installs). */
  stateDirsFound: string[];
  profile?: string;
  /** Product suggested by the file name (`openclaw.json` → openclaw). */
  productHint?: ProductName;
}

interface LocateInput {
  env: NodeJS.ProcessEnv;
  home: string;
  config?: string;
  stateDir?: string;
  profile?: string;
}

const CONFIG_PATH_VARS = ['OPENCLAW_CONFIG_PATH', 'MOLTBOT_CONFIG_PATH', 'CLAWDBOT_CONFIG_PATH'];
const STATE_DIR_VARS = ['OPENCLAW_STATE_DIR', 'MOLTBOT_STATE_DIR', 'CLAWDBOT_STATE_DIR'];
const PROFILE_VARS = ['OPENCLAW_PROFILE', 'MOLTBOT_PROFILE', 'CLAWDBOT_PROFILE'];
/** V3 looks in these dirs in this order; it is a superset of V1/V2's order. */
const DEFAULT_DIRS = ['.openclaw', '.clawdbot', '.moldbot', '.moltbot'];
const CONFIG_NAMES = PRODUCTS.map((p) => `${p}.json`);

/** `OPENCLAW_HOME` replaces `~` (V3). */
export function productHome(env: NodeJS.ProcessEnv, home: string): string {
  const h = env.OPENCLAW_HOME?.trim();
  return h ? expandTilde(h, home) : home;
}

/** A leading `~` in env overrides is expanded (§1). */
export function expandTilde(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}

function firstEnv(env: NodeJS.ProcessEnv, names: string[]): [string, string] | undefined {
  for (const n of names) {
    const v = env[n]?.trim();
    if (v) return [n, v];
  }
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function hintFromName(p: string | undefined): ProductName | undefined {
  if (!p) return undefined;
  const base = path.basename(p);
  if (base.startsWith('openclaw')) return 'openclaw';
  if (base.startsWith('molt') || base.startsWith('mold')) return 'moltbot';
  if (base.startsWith('clawdbot')) return 'clawdbot';
  return undefined;
}

export function locateConfig(input: LocateInput): ConfigLocation {
  const home = productHome(input.env, input.home);
  const profileEnv = firstEnv(input.env, PROFILE_VARS);
  const profile = input.profile ?? profileEnv?.[1];
  const defaultDirs = DEFAULT_DIRS.map((d) => path.join(home, profile ? `${d}-${profile}` : d));
  const stateDirsFound = defaultDirs.filter(isDir);

  let stateDir: string | undefined;
  let stateDirSource = 'default';
  if (input.stateDir) {
    stateDir = path.resolve(expandTilde(input.stateDir, input.home));
    stateDirSource = '--state-dir';
  } else {
    const e = firstEnv(input.env, STATE_DIR_VARS);
    if (e) {
      stateDir = path.resolve(expandTilde(e[1], input.home));
      stateDirSource = `env ${e[0]}`;
    }
  }

  const done = (loc: Omit<ConfigLocation, 'stateDir' | 'stateDirSource' | 'stateDirsFound' | 'profile' | 'productHint'>): ConfigLocation => {
    let sd = stateDir;
    let sds = stateDirSource;
    if (!sd && loc.path) {
      // A config named explicitly whose folder looks like a state dir (it holds agents/) is read
      // together with that state: the common case of pointing at a copied ~/.clawdbot.
      const dir = path.dirname(loc.path);
      if (defaultDirs.includes(dir) || isDir(path.join(dir, 'agents'))) {
        sd = dir;
        sds = 'the config file’s folder';
      }
    }
    if (!sd) {
      sd = stateDirsFound[0] ?? path.join(home, profile ? `.clawdbot-${profile}` : '.clawdbot');
      sds = stateDirsFound[0] ? 'default' : 'default (missing)';
    }
    return { ...loc, stateDir: sd, stateDirSource: sds, stateDirsFound, profile, productHint: hintFromName(loc.path) };
  };

  if (input.config) {
    const p = path.resolve(expandTilde(input.config, input.home));
    return done({ path: p, source: '--config', candidates: [p] });
  }
  const envPath = firstEnv(input.env, CONFIG_PATH_VARS);
  if (envPath) {
    const p = path.resolve(expandTilde(envPath[1], input.home));
    return done({ path: p, source: `env ${envPath[0]}`, candidates: [p] });
  }

  const dirs = stateDir ? [stateDir] : defaultDirs;
  const candidates = dirs.flatMap((d) => CONFIG_NAMES.map((n) => path.join(d, n)));
  const found = candidates.find(isFile);
  if (found && !stateDir) {
    stateDir = path.dirname(found);
    stateDirSource = 'default';
  }
  return done({ path: found, source: found ? (stateDir && stateDirSource !== 'default' ? stateDirSource : 'default') : 'none', candidates });
}

export function getLocation(ctx: Context): Promise<ConfigLocation> {
  return ctx.fact('location', () =>
    locateConfig({
      env: ctx.env,
      home: ctx.home,
      config: ctx.options.config,
      stateDir: ctx.options.stateDir,
      profile: ctx.options.profile,
    }),
  );
}

/** Show a path with the home directory as `~` (never print the home path). */
export function tildify(p: string, home: string): string {
  if (!home || home === '/') return p;
  if (p === home) return '~';
  if (p.startsWith(home + path.sep)) return '~' + p.slice(home.length);
  return p;
}
