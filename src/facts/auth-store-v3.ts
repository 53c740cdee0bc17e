// OpenClaw 2026.9's auth profile store: the secrets live in SQLite, not in a JSON file.
// Product source (openclaw src/agents/auth-profiles/sqlite.ts, path-resolve.ts): the row `auth.sharedStore`
// of `state/openclaw.sqlite` → `config_machine_state` decides where the shared store is. With
// `{"location":"state-db"}` (what onboarding writes) the profiles are the row `authProfiles.store` and their
// runtime state (cooldowns, failures) the row `authProfiles.state` of that table; without it (a box not yet
// migrated by `openclaw doctor --fix`) they are the tables `auth_profile_store` / `auth_profile_state`
// (row `primary`) of `agents/main/agent/openclaw-agent.sqlite`.
// The store's JSON: `{version, profiles: {"kimi:default": {type: "api_key", provider: "kimi", key}}, order?}`;
// the state's: `{version, usageStats: {"kimi:default": {cooldownUntil, cooldownReason, disabledUntil,
// disabledReason, errorCount, failureCounts, lastFailureAt}}}`. A profile is unusable until the later of
// cooldownUntil and disabledUntil (usage.ts resolveProfileUnusableUntil); an auth failure starts a cooldown
// that outlives a gateway restart because it is stored here.
import path from 'node:path';
import type { Context } from '../engine/context.js';
import { getLocation } from './paths.js';
import { withReadOnlyDb, hasTable, type SqliteDb, type SqliteProblem } from './sqlite.js';
import { isRecord as isObj, nonEmptyStr as str } from '../util/json.js';

export interface StoredAuthProfile {
  /** `kimi:default`. */
  name: string;
  provider?: string;
  /** `api_key`, `token`, `oauth`. */
  type?: string;
  /** The secret (never printed: the redactor is seeded with it). */
  key?: string;
  /** Where it is stored, in the user's words: `state/openclaw.sqlite (authProfiles.store)`. */
  source: string;
}

export interface ProfileUsage {
  name: string;
  cooldownUntil?: number;
  cooldownReason?: string;
  disabledUntil?: number;
  disabledReason?: string;
  errorCount?: number;
  lastFailureAt?: number;
  /** The later of cooldownUntil and disabledUntil (ms), when either is set. */
  unusableUntil?: number;
}

export interface AuthStoreV3 {
  /** The database the profiles were read from (or would be). */
  path: string;
  /** `state-db` (state/openclaw.sqlite) or `agent-db` (agents/main/agent/openclaw-agent.sqlite). */
  location: 'state-db' | 'agent-db';
  exists: boolean;
  profiles: StoredAuthProfile[];
  usage: ProfileUsage[];
  /** `auth.order` from the store, per provider. */
  order: Record<string, string[]>;
  problem?: SqliteProblem;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

function parse(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function cell(db: SqliteDb, key: string): unknown {
  const row = db.prepare('SELECT value_json FROM config_machine_state WHERE state_key = ?').get(key);
  return parse(isObj(row) ? row.value_json : undefined);
}

function agentCell(db: SqliteDb, table: 'auth_profile_store' | 'auth_profile_state'): unknown {
  if (!hasTable(db, table)) return undefined;
  const [col, keyCol] = table === 'auth_profile_store' ? ['store_json', 'store_key'] : ['state_json', 'state_key'];
  const row = db.prepare(`SELECT ${col} AS v FROM ${table} WHERE ${keyCol} = 'primary'`).get();
  return parse(isObj(row) ? row.v : undefined);
}

/** The store JSON's profiles; every secret-bearing field the product knows (key, token, access). */
export function profilesOf(store: unknown, source: string): StoredAuthProfile[] {
  if (!isObj(store) || !isObj(store.profiles)) return [];
  const out: StoredAuthProfile[] = [];
  for (const [name, v] of Object.entries(store.profiles)) {
    if (!isObj(v)) continue;
    const key = str(v.key) ?? str(v.token) ?? str(v.access) ?? str(v.apiKey);
    out.push({ name, provider: str(v.provider) ?? name.split(':')[0], type: str(v.type), key, source });
  }
  return out;
}

/** Every secret string in the store JSON (refresh tokens too), for the redactor. */
export function secretsOf(store: unknown): string[] {
  if (!isObj(store) || !isObj(store.profiles)) return [];
  const out: string[] = [];
  for (const v of Object.values(store.profiles)) {
    if (!isObj(v)) continue;
    for (const f of ['key', 'token', 'access', 'refresh', 'apiKey', 'id_token']) {
      const s = str(v[f]);
      if (s && s.length >= 8) out.push(s);
    }
  }
  return out;
}

export function usageOf(state: unknown): ProfileUsage[] {
  if (!isObj(state) || !isObj(state.usageStats)) return [];
  return Object.entries(state.usageStats).flatMap(([name, v]) => {
    if (!isObj(v)) return [];
    const u: ProfileUsage = {
      name,
      cooldownUntil: num(v.cooldownUntil),
      cooldownReason: str(v.cooldownReason),
      disabledUntil: num(v.disabledUntil),
      disabledReason: str(v.disabledReason),
      errorCount: typeof v.errorCount === 'number' ? v.errorCount : undefined,
      lastFailureAt: num(v.lastFailureAt),
    };
    const ends = [u.cooldownUntil, u.disabledUntil].filter((x): x is number => x !== undefined);
    if (ends.length) u.unusableUntil = Math.max(...ends);
    return [u];
  });
}

function orderOf(store: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (isObj(store) && isObj(store.order)) {
    for (const [p, ids] of Object.entries(store.order)) {
      if (Array.isArray(ids)) out[p] = ids.filter((x): x is string => typeof x === 'string');
    }
  }
  return out;
}

interface Raw {
  store: unknown;
  state: unknown;
}

/** Reads the 2026.9 auth store under `stateDir`. Never throws; an unreadable database is `problem`. */
export async function readAuthStoreV3(stateDir: string): Promise<AuthStoreV3 & { secrets: string[] }> {
  const stateDb = path.join(stateDir, 'state', 'openclaw.sqlite');
  const agentDb = path.join(stateDir, 'agents', 'main', 'agent', 'openclaw-agent.sqlite');
  const empty = (p: string, location: AuthStoreV3['location']) => ({ path: p, location, exists: false, profiles: [], usage: [], order: {}, secrets: [] });

  const shared = await withReadOnlyDb(stateDb, (db): (Raw & { owned: boolean }) | undefined => {
    if (!hasTable(db, 'config_machine_state')) return undefined;
    const owner = cell(db, 'auth.sharedStore');
    return { owned: isObj(owner) && owner.location === 'state-db', store: cell(db, 'authProfiles.store'), state: cell(db, 'authProfiles.state') };
  });
  if (!shared.ok && shared.problem.kind !== 'missing') return { ...empty(stateDb, 'state-db'), exists: true, problem: shared.problem };
  const fromState = shared.ok ? shared.value : undefined;
  if (fromState && (fromState.owned || fromState.store !== undefined)) {
    const source = 'state/openclaw.sqlite, authProfiles.store';
    return {
      path: stateDb,
      location: 'state-db',
      exists: true,
      profiles: profilesOf(fromState.store, source),
      usage: usageOf(fromState.state),
      order: orderOf(fromState.store),
      secrets: secretsOf(fromState.store),
    };
  }

  const agent = await withReadOnlyDb(agentDb, (db): Raw => ({ store: agentCell(db, 'auth_profile_store'), state: agentCell(db, 'auth_profile_state') }));
  if (!agent.ok) {
    return agent.problem.kind === 'missing' ? empty(stateDb, 'state-db') : { ...empty(agentDb, 'agent-db'), exists: true, problem: agent.problem };
  }
  const source = 'agents/main/agent/openclaw-agent.sqlite, auth_profile_store';
  return {
    path: agentDb,
    location: 'agent-db',
    exists: true,
    profiles: profilesOf(agent.value.store, source),
    usage: usageOf(agent.value.state),
    order: orderOf(agent.value.store),
    secrets: secretsOf(agent.value.store),
  };
}

/** The 2026.9 auth store of this run's state dir, read once (key sources, cooldowns and the redactor). */
export function getAuthStoreV3(ctx: Context): Promise<AuthStoreV3 & { secrets: string[] }> {
  return ctx.fact('authStoreV3', async () => readAuthStoreV3((await getLocation(ctx)).stateDir));
}

export interface DeclaredProfile {
  name: string;
  provider?: string;
  mode?: string;
}

/**
 * `auth.profiles` in the 2026.9 config: onboarding declares each profile there (`{provider, mode}`) and keeps
 * its secret in the store; a declared profile whose key is not in the store is a key that never loads.
 */
export function declaredProfiles(raw: unknown): DeclaredProfile[] {
  const auth = isObj(raw) ? raw.auth : undefined;
  const profiles = isObj(auth) ? auth.profiles : undefined;
  if (!isObj(profiles)) return [];
  return Object.entries(profiles).map(([name, v]) => ({
    name,
    provider: (isObj(v) ? str(v.provider) : undefined) ?? name.split(':')[0],
    mode: isObj(v) ? str(v.mode) : undefined,
  }));
}
