// Reading the config exactly as the product does (clawdbot.md §2): JSON5, then `$include`, then `${VAR}`.
import path from 'node:path';
import JSON5 from 'json5';
import type { Context } from '../engine/context.js';
import { unavailable } from './unavailable.js';
import { getLocation, type ConfigLocation } from './paths.js';
import { isRecord } from '../util/json.js';
import { readFileBounded } from './read-bounded.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };
export type PathSeg = string | number;

export interface ConfigProblem {
  kind: 'missing' | 'directory' | 'unreadable' | 'empty' | 'binary' | 'too-large' | 'too-deep' | 'not-a-file' | 'syntax' | 'not-object' | 'include';
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
/**
 * The reading budget for the config and everything it includes, together (issue 15: a `$include` fan-out
 * or `/dev/zero` ran far past --timeout). A real config is a few KB; a 10 MB one is read in well under a
 * second (npm run bench, "config"). Past these the config is a finding, not a hang.
 */
export const CONFIG_BUDGET = {
  bytes: 16 * 1024 * 1024,
  /** `$include` files read, counting repeats (a diamond of includes multiplies). */
  files: 200,
  /** Objects and arrays nested deeper than this: no config is, and every recursive reader would overflow. */
  depth: 256,
  /** Values in all (a shape budget beside the size one). */
  values: 2_000_000,
};
const MAX_DOTENV_BYTES = 1024 * 1024;
const EXCERPT = 120;

/** The offending line for a syntax error, cut to ~120 characters around the column (minified files have one line). */
function excerpt(line: string, column: number | undefined): { lineText: string; lineTextColumn?: number } {
  if (line.length <= EXCERPT) return { lineText: line, lineTextColumn: column };
  let at = Math.max(0, Math.min(line.length - EXCERPT, (column ?? 1) - 1 - EXCERPT / 2));
  // Start at a member boundary: a cut through `"token": "…"` would leave a value without the key that marks
  // it secret, and the redactor could no longer tell (issue 15 fuzz).
  const boundary = Math.max(line.lastIndexOf(',', at), line.lastIndexOf('{', at), line.lastIndexOf('[', at));
  if (at > 0 && boundary >= 0 && at - boundary < 80) at = boundary + 1;
  // …and end at one, so a value is never cut from its closing quote either.
  let end = Math.max(at + EXCERPT, (column ?? 1) + 20);
  const next = [',', '}', ']'].map((c) => line.indexOf(c, end)).filter((i) => i >= 0 && i - end < 80);
  end = next.length ? Math.min(...next) + 1 : end;
  const lead = at > 0 ? '…' : '';
  return {
    lineText: `${lead}${line.slice(at, end)}${end < line.length ? '…' : ''}`,
    lineTextColumn: column === undefined ? undefined : column - at + lead.length,
  };
}
const VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;

export function isObject(v: unknown): v is JsonObject {
  return isRecord(v);
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

/** What one config read may still use: shared by the main file and its includes. */
export interface ReadBudget {
  bytes: number;
  files: number;
  /** Epoch ms: includes are not read after it (--timeout). */
  deadline: number;
}

export function freshBudget(deadline = Number.POSITIVE_INFINITY): ReadBudget {
  return { bytes: CONFIG_BUDGET.bytes, files: CONFIG_BUDGET.files, deadline };
}

/** Read and JSON5-parse one file within `budget`; every failure becomes a problem, never a throw. */
export function readJson5File(file: string, budget: ReadBudget = freshBudget()): ReadResult {
  const read = readFileBounded(file, budget.bytes);
  if (!read.ok) {
    const kind = read.reason;
    const shared = read.reason === 'too-large' && budget.bytes < CONFIG_BUDGET.bytes;
    const message = shared ? read.message.replace(/ claw-doctor reads$/, ` left of the ${CONFIG_BUDGET.bytes / 1048576} MB claw-doctor reads for a config and its includes`) : read.message;
    return { problem: { kind, file, message } };
  }
  budget.bytes -= read.bytes.length;
  let text = read.bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) return { text, problem: { kind: 'empty', file, message: 'the file is empty' } };
  if (text.includes('\u0000') || text.includes('\ufffd')) {
    return { problem: { kind: 'binary', file, message: 'the file is not text (binary data or not UTF-8)' } };
  }
  let value: unknown;
  try {
    value = parseConfigText(text);
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
  const shape = shapeProblem(value);
  if (shape) return { text, problem: { ...shape, file } };
  return { text, value };
}

/**
 * One parse: strict JSON (what the product's own `config set` writes) through the native parser, which is
 * ~40× faster than json5 on a large file and gives the same value; anything else through json5, the
 * product's parser (clawdbot.md §2).
 */
function parseConfigText(text: string): unknown {
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      return JSON.parse(text);
    } catch {
      // JSON5 only (comments, trailing commas, unquoted keys): json5 decides, and words the error.
    }
  }
  return JSON5.parse(text);
}

/** Too deep or too many values, found without recursion (recursion is what a deep file would break). */
function shapeProblem(value: unknown): Omit<ConfigProblem, 'file'> | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  let values = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (++values > CONFIG_BUDGET.values) return { kind: 'too-large', message: `it holds more than ${CONFIG_BUDGET.values.toLocaleString('en')} values: no config is that large` };
    if (v === null || typeof v !== 'object') continue;
    if (depth > CONFIG_BUDGET.depth) return { kind: 'too-deep', message: `it nests objects or arrays more than ${CONFIG_BUDGET.depth} levels deep: no config does` };
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return undefined;
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
function resolveIncludes(value: Json, file: string, chain: string[], problems: ConfigProblem[], files: string[], budget: ReadBudget, at: PathSeg[] = [], mounts: IncludeMount[] = []): Json {
  if (Array.isArray(value)) return value.map((v, i) => resolveIncludes(v, file, chain, problems, files, budget, [...at, i], mounts));
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
      if (budget.files <= 0 || Date.now() > budget.deadline) {
        const why = budget.files <= 0 ? `more than ${CONFIG_BUDGET.files} includes were read` : 'the time limit (--timeout) was reached';
        problems.push({ kind: 'include', file, message: `\`$include\` of ${item} not read: ${why}` });
        continue;
      }
      budget.files--;
      const r = readJson5File(target, budget);
      if (r.problem) {
        problems.push({ ...r.problem, kind: 'include', message: `Failed to read include file ${item}: ${r.problem.message}` });
        continue;
      }
      files.push(target);
      mounts.push({ file: target, at, text: r.text ?? '' });
      merged = deepMerge(merged, resolveIncludes(r.value as Json, target, [...chain, target], problems, files, budget, at, mounts));
    }
  }
  for (const [k, v] of Object.entries(value)) {
    if (k !== '$include') out[k] = resolveIncludes(v, file, chain, problems, files, budget, [...at, k], mounts);
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

/** A `.env` that is missing, a FIFO, a device or over 1 MB adds nothing (the product would not get far either). */
function readDotenv(file: string): Map<string, string> {
  const read = readFileBounded(file, MAX_DOTENV_BYTES);
  return read.ok ? parseDotenv(read.bytes.toString('utf8')) : new Map();
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

export function loadConfig(location: ConfigLocation, processEnv: NodeJS.ProcessEnv, cwd: string, deadline = Number.POSITIVE_INFINITY): LoadedConfig {
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
  const budget = freshBudget(deadline);
  const r = readJson5File(location.path, budget);
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
  const raw = resolveIncludes(r.value as Json, location.path, [location.path], base.includeProblems, base.includes, budget, [], (base.includeMounts ??= [])) as JsonObject;
  base.raw = raw;
  base.env = buildEnv(processEnv, cwd, location.stateDir, raw);
  base.resolved = substitute(raw, base.env, [], base.substitutions) as JsonObject;
  return base;
}

export function getConfig(ctx: Context): Promise<LoadedConfig> {
  // Includes stop being read at --timeout (less a second for the checks to report it).
  return ctx.fact('config', async () => loadConfig(await getLocation(ctx), ctx.env, ctx.cwd, Date.now() + Math.max(1000, ctx.options.timeout * 1000 - 1000)));
}

/** The config's object, or skip: most checks need a parsed config to judge anything. */
export async function requireConfig(ctx: Context): Promise<LoadedConfig & { raw: JsonObject; resolved: JsonObject }> {
  const cfg = await getConfig(ctx);
  if (!cfg.path) unavailable('no config file found');
  if (!cfg.raw || !cfg.resolved) unavailable('the config could not be read');
  return cfg as LoadedConfig & { raw: JsonObject; resolved: JsonObject };
}
