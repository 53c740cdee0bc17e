// Reading the config exactly as the product does (clawdbot.md §2): JSON5, then `$include`, then `${VAR}`.
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import type { Context } from '../engine/context.js';
import { unavailable } from './unavailable.js';
import { getLocation, type ConfigLocation } from './paths.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };
export type PathSeg = string | number;

export interface ConfigProblem {
  kind: 'missing' | 'directory' | 'unreadable' | 'empty' | 'binary' | 'too-large' | 'syntax' | 'not-object' | 'include';
  file: string;
  message: string;
  line?: number;
  column?: number;
  /** The offending line (an excerpt of a long one), for syntax errors. */
  lineText?: string;
  /** Where the column falls inside `lineText` (1-based). */
  lineTextColumn?: number;
}

export type EnvSourceName = 'process env' | './.env' | '<stateDir>/.env' | 'config env.vars' | 'config env';

export interface EnvEntry {
  value: string;
  source: EnvSourceName;
}

export interface Substitution {
  /** Where the reference sits, as a path into the config. */
  path: PathSeg[];
  name: string;
  /** resolved | missing (unset or empty) | invalid-name (lowercase etc.: stays literal, sent as is) */
  status: 'resolved' | 'missing' | 'invalid-name';
  source?: EnvSourceName;
}

export interface LoadedConfig {
  location: ConfigLocation;
  path?: string;
  exists: boolean;
  /** Main file text (BOM stripped). */
  text?: string;
  /** Fatal reading problems: when present, `raw`/`resolved` may be missing. */
  problems: ConfigProblem[];
  /** Non-fatal `$include` problems. */
  includeProblems: ConfigProblem[];
  includes: string[];
  /** Each `$include`d file, where in the config its content lands, and its text: evidence names the file a value really comes from. */
  includeMounts?: IncludeMount[];
  /** After `$include`, before `${VAR}`. */
  raw?: JsonObject;
  /** After `${VAR}` with every env source (V2+ semantics); unresolved references stay literal. */
  resolved?: JsonObject;
  substitutions: Substitution[];
  /** Environment as the product would see it, with the source of each variable. Values are secrets. */
  env: Map<string, EnvEntry>;
}

export interface IncludeMount {
  file: string;
  /** The config path of the object that holds the `$include` (`[]` at the top). */
  at: PathSeg[];
  text: string;
}

const MAX_INCLUDE_DEPTH = 10;
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
const EXCERPT = 120;

/** The offending line for a syntax error, cut to ~120 characters around the column (minified files have one line). */
function excerpt(line: string, column: number | undefined): { lineText: string; lineTextColumn?: number } {
  if (line.length <= EXCERPT) return { lineText: line, lineTextColumn: column };
  const at = Math.max(0, Math.min(line.length - EXCERPT, (column ?? 1) - 1 - EXCERPT / 2));
  const lead = at > 0 ? '…' : '';
  return {
    lineText: `${lead}${line.slice(at, at + EXCERPT)}${at + EXCERPT < line.length ? '…' : ''}`,
    lineTextColumn: column === undefined ? undefined : column - at + lead.length,
  };
}
const VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function get(obj: unknown, p: PathSeg[]): Json | undefined {
  let cur: unknown = obj;
  for (const seg of p) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (!isObject(cur)) return undefined;
      cur = Object.prototype.hasOwnProperty.call(cur, seg) ? cur[seg] : undefined;
    }
  }
  return cur as Json | undefined;
}

export function str(obj: unknown, p: PathSeg[]): string | undefined {
  const v = get(obj, p);
  return typeof v === 'string' ? v : undefined;
}

/** `models.providers.kimi-code.models[0].headers` */
export function dotted(p: PathSeg[]): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += (out ? '.' : '') + seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

interface ReadResult {
  text?: string;
  value?: unknown;
  problem?: ConfigProblem;
}

/** Read and JSON5-parse one file; every failure becomes a problem, never a throw. */
export function readJson5File(file: string): ReadResult {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: { kind: 'missing', file, message: 'file does not exist' } };
    return { problem: { kind: 'unreadable', file, message: `cannot read it (${code ?? 'error'})` } };
  }
  if (st.isDirectory()) return { problem: { kind: 'directory', file, message: 'this is a directory, not a file' } };
  // A config is a few KB; JSON5.parse is synchronous, so a huge file would block the whole run past --timeout.
  if (st.size > MAX_CONFIG_BYTES) {
    return { problem: { kind: 'too-large', file, message: `the file is ${(st.size / 1048576).toFixed(0)} MB: no config is that large` } };
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return { problem: { kind: 'unreadable', file, message: `cannot read it (${code}): check its owner and mode` } };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) return { text, problem: { kind: 'empty', file, message: 'the file is empty' } };
  if (text.includes('\u0000') || text.includes('\ufffd')) {
    return { problem: { kind: 'binary', file, message: 'the file is not text (binary data or not UTF-8)' } };
  }
  try {
    return { text, value: JSON5.parse(text) };
  } catch (e) {
    const err = e as SyntaxError & { lineNumber?: number; columnNumber?: number };
    const line = err.lineNumber;
    const message = String(err.message).replace(/^JSON5: /, '');
    return {
      text,
      problem: {
        kind: 'syntax',
        file,
        message: `JSON5 parse failed: ${message}`,
        line,
        column: err.columnNumber,
        ...(line ? excerpt(text.split(/\r?\n/)[line - 1] ?? '', err.columnNumber) : {}),
      },
    };
  }
}

function deepMerge(base: Json, over: Json): Json {
  if (isObject(base) && isObject(over)) {
    const out: JsonObject = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
    return out;
  }
  return over;
}

/**
 * `$include` (string or array, relative to the including file, depth ≤ 10, deep merge; sibling keys win)
 * is resolved before anything else (§2).
 */
function resolveIncludes(value: Json, file: string, chain: string[], problems: ConfigProblem[], files: string[], at: PathSeg[] = [], mounts: IncludeMount[] = []): Json {
  if (Array.isArray(value)) return value.map((v, i) => resolveIncludes(v, file, chain, problems, files, [...at, i], mounts));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  let merged: Json = {};
  const inc = value.$include;
  if (inc !== undefined) {
    const list = Array.isArray(inc) ? inc : [inc];
    for (const item of list) {
      if (typeof item !== 'string') {
        problems.push({ kind: 'include', file, message: '`$include` must be a path or a list of paths' });
        continue;
      }
      const target = path.resolve(path.dirname(file), item);
      if (chain.includes(target)) {
        problems.push({ kind: 'include', file, message: `Circular include detected: ${[...chain, target].map((f) => path.basename(f)).join(' -> ')}` });
        continue;
      }
      if (chain.length > MAX_INCLUDE_DEPTH) {
        problems.push({ kind: 'include', file, message: `\`$include\` nested deeper than ${MAX_INCLUDE_DEPTH} levels at ${item}` });
        continue;
      }
      const r = readJson5File(target);
      if (r.problem) {
        problems.push({ ...r.problem, kind: 'include', message: `Failed to read include file ${item}: ${r.problem.message}` });
        continue;
      }
      files.push(target);
      mounts.push({ file: target, at, text: r.text ?? '' });
      merged = deepMerge(merged, resolveIncludes(r.value as Json, target, [...chain, target], problems, files, at, mounts));
    }
  }
  for (const [k, v] of Object.entries(value)) {
    if (k !== '$include') out[k] = resolveIncludes(v, file, chain, problems, files, [...at, k], mounts);
  }
  return deepMerge(merged, out);
}

/** Minimal dotenv reader: `KEY=value`, `export KEY=value`, quotes, comments. */
export function parseDotenv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2];
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    else v = v.replace(/\s+#.*$/, '');
    out.set(m[1], v);
  }
  return out;
}

function readDotenv(file: string): Map<string, string> {
  try {
    return parseDotenv(fs.readFileSync(file, 'utf8'));
  } catch {
    return new Map();
  }
}

/**
 * The environment the product sees, in its order; no source overrides an already non-empty variable (§2):
 * process env, ./.env, <stateDir>/.env, config `env.vars`, then top-level string keys of `env`.
 */
export function buildEnv(processEnv: NodeJS.ProcessEnv, cwd: string, stateDir: string, raw: JsonObject | undefined): Map<string, EnvEntry> {
  const env = new Map<string, EnvEntry>();
  const add = (k: string, v: string | undefined, source: EnvSourceName) => {
    if (v === undefined || v === '') return;
    if (env.get(k)?.value) return;
    env.set(k, { value: v, source });
  };
  for (const [k, v] of Object.entries(processEnv)) add(k, v, 'process env');
  for (const [k, v] of readDotenv(path.join(cwd, '.env'))) add(k, v, './.env');
  for (const [k, v] of readDotenv(path.join(stateDir, '.env'))) add(k, v, '<stateDir>/.env');
  const block = raw?.env;
  if (isObject(block)) {
    const vars = block.vars;
    if (isObject(vars)) for (const [k, v] of Object.entries(vars)) if (typeof v === 'string') add(k, v, 'config env.vars');
    for (const [k, v] of Object.entries(block)) if (typeof v === 'string') add(k, v, 'config env');
  }
  return env;
}

/**
 * `${NAME}` substitution (§2): only `[A-Z_][A-Z0-9_]*` names are replaced; `$${` escapes; an unset or
 * empty variable is missing. Unresolved references stay literal here; checks judge what that means
 * for the user's generation.
 */
export function substitute(value: Json, env: Map<string, EnvEntry>, at: PathSeg[], subs: Substitution[]): Json {
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, env, [...at, i], subs));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, env, [...at, k], subs);
    return out;
  }
  if (typeof value !== 'string' || !value.includes('${')) return value;
  return value.replace(/\$?\$\{([^}]*)\}/g, (match, name: string) => {
    if (match.startsWith('$$')) return match.slice(1);
    if (!VAR_NAME.test(name)) {
      subs.push({ path: at, name, status: 'invalid-name' });
      return match;
    }
    const e = env.get(name);
    if (!e?.value) {
      subs.push({ path: at, name, status: 'missing' });
      return match;
    }
    subs.push({ path: at, name, status: 'resolved', source: e.source });
    return e.value;
  });
}

export function loadConfig(location: ConfigLocation, processEnv: NodeJS.ProcessEnv, cwd: string): LoadedConfig {
  const base: LoadedConfig = {
    location,
    path: location.path,
    exists: false,
    problems: [],
    includeProblems: [],
    includes: [],
    includeMounts: [],
    substitutions: [],
    env: buildEnv(processEnv, cwd, location.stateDir, undefined),
  };
  if (!location.path) return base;
  const r = readJson5File(location.path);
  base.text = r.text;
  base.exists = !r.problem || r.problem.kind !== 'missing';
  if (r.problem) {
    base.problems.push(r.problem);
    return base;
  }
  if (!isObject(r.value)) {
    base.problems.push({ kind: 'not-object', file: location.path, message: 'the top level must be an object `{ … }`' });
    return base;
  }
  const raw = resolveIncludes(r.value as Json, location.path, [location.path], base.includeProblems, base.includes, [], (base.includeMounts ??= [])) as JsonObject;
  base.raw = raw;
  base.env = buildEnv(processEnv, cwd, location.stateDir, raw);
  base.resolved = substitute(raw, base.env, [], base.substitutions) as JsonObject;
  return base;
}

export function getConfig(ctx: Context): Promise<LoadedConfig> {
  return ctx.fact('config', async () => loadConfig(await getLocation(ctx), ctx.env, ctx.cwd));
}

/** The config's object, or skip: most checks need a parsed config to judge anything. */
export async function requireConfig(ctx: Context): Promise<LoadedConfig & { raw: JsonObject; resolved: JsonObject }> {
  const cfg = await getConfig(ctx);
  if (!cfg.path) unavailable('no config file found');
  if (!cfg.raw || !cfg.resolved) unavailable('the config could not be read');
  return cfg as LoadedConfig & { raw: JsonObject; resolved: JsonObject };
}
