// Today's product logs and what they say: which thinking level the agent ran with, and which errors the
// user saw (clawdbot.md §6, §9). Pure functions over explicit inputs; the checks wire them to the Context.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { causeWordsPattern, hasCauseText } from '../causes/index.js';
import { classifyErrorText, type ErrorCause } from './classify.js';
import type { Generation } from './product.js';
import { tailLines, tailText, type TailError, type TailText } from './tail.js';
import { normalizeThinkingLevel, type ThinkingLevel } from './thinking.js';
import { isKimiPluginProvider, kimiDefaultThinking } from './kimi-plugin.js';

// ---------------------------------------------------------------------------------------------
// Finding the files

export type LogProduct = 'clawdbot' | 'moltbot' | 'openclaw' | 'custom';

export interface LogFile {
  path: string;
  product: LogProduct;
  /** `YYYY-MM-DD` from a dated file name. */
  date?: string;
  size: number;
  mtimeMs: number;
  /** Dated today (local date), or for a `logging.file`, modified today. */
  today: boolean;
  /** 2026.9 with a profile: `openclaw-<profile>-YYYY-MM-DD.log`. */
  profile?: string;
  /** A rotated archive (`logging.maxFileBytes`): `…-YYYY-MM-DD.1.log` or `….log.1`. */
  archive?: number;
  /** The gateway service's own stdout/stderr capture (`~/.openclaw/logs/gateway.log`, `gateway.err.log`). */
  service?: boolean;
}

export interface FindLogsInput {
  env: NodeJS.ProcessEnv;
  now: Date;
  /** `--log-dir`: a directory holding dated files under any of the three names. Replaces the default roots. */
  logDir?: string;
  /** The config's `logging.file`, which replaces the dated path. */
  loggingFile?: string;
  /** Where V3 falls back to (`$TMPDIR/openclaw-<uid>`). Default `$TMPDIR`, else os.tmpdir(). */
  tmpDir?: string;
  uid?: number;
  /** Parents of `clawdbot/`, `moltbot/`, `openclaw/`. Default `['/tmp']`. */
  roots?: string[];
  /** The product profile (`--profile`, else `OPENCLAW_PROFILE`): only its dated files are read. */
  profile?: string;
  /** Dirs of the gateway service's logs (`<stateDir>/logs`, `~/Library/Logs/openclaw`). */
  serviceDirs?: string[];
}

export interface FoundLogs {
  /** Today's files first, then the most recently modified. */
  files: LogFile[];
  /** The paths where today's log would be, for "looked in …" messages. */
  tried: string[];
  /** Directories that exist but could not be listed (V3 falls back to $TMPDIR when /tmp/openclaw is unusable). */
  unreadable: { path: string; code: string }[];
}

const PRODUCT_NAMES = ['clawdbot', 'moltbot', 'openclaw'] as const;
/**
 * `openclaw-2026-12-01.log`, `openclaw-<profile>-2026-12-01.log` (2026.9 with a profile), and rotated
 * archives of either (`…-2026-12-01.1.log`, `…-2026-12-01.log.1`) once a file passes logging.maxFileBytes.
 */
const DATED_NAME = /^(clawdbot|moltbot|openclaw)-(?:([A-Za-z0-9_.]+(?:-[A-Za-z0-9_.]+)*?)-)?(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.log(?:\.(\d+))?$/;
/** What the gateway service writes on Linux (systemd: `<stateDir>/logs/`) and macOS (launchd: `~/Library/Logs/openclaw/`). */
const SERVICE_NAMES = ['gateway.log', 'gateway.err.log'];
const DAY_MS = 24 * 60 * 60 * 1000;

/** The product names its file with the LOCAL date, not the UTC one (clawdbot.md §6). */
export function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function yesterdayOf(now: Date): string {
  const d = new Date(now);
  d.setDate(d.getDate() - 1); // calendar arithmetic: right across DST changes
  return localDate(d);
}

interface LogDirSpec {
  dir: string;
  /** The names expected in it, for `tried`. */
  names: readonly (typeof PRODUCT_NAMES)[number][];
}

function logDirs(input: FindLogsInput): LogDirSpec[] {
  if (input.logDir) {
    // Accept both `--log-dir /tmp/clawdbot` and `--log-dir /tmp`.
    return [
      { dir: input.logDir, names: PRODUCT_NAMES },
      ...PRODUCT_NAMES.map((p) => ({ dir: path.join(input.logDir as string, p), names: [p] })),
    ];
  }
  const roots = input.roots ?? ['/tmp'];
  const dirs: LogDirSpec[] = roots.flatMap((r) => PRODUCT_NAMES.map((p) => ({ dir: path.join(r, p), names: [p] })));
  const uid = input.uid ?? process.getuid?.();
  const tmp = input.tmpDir ?? (input.env.TMPDIR || os.tmpdir());
  if (uid !== undefined) dirs.push({ dir: path.join(tmp, `openclaw-${uid}`), names: ['openclaw'] });
  return dirs;
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  const home = env.HOME;
  if (!home) return p;
  if (p === '~') return home;
  return p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

async function statFile(p: string): Promise<fs.Stats | undefined> {
  try {
    const st = await fs.promises.stat(p);
    return st.isFile() ? st : undefined;
  } catch {
    return undefined;
  }
}

async function datedFilesIn(dir: string, out: FoundLogs, profile: string | undefined): Promise<{ path: string; product: LogProduct; date: string; profile?: string; archive?: number }[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    if (code !== 'ENOENT' && code !== 'ENOTDIR') out.unreadable.push({ path: dir, code });
    return [];
  }
  const found = [];
  for (const name of names) {
    const m = DATED_NAME.exec(name);
    // Another profile's files are another gateway's: not this run's evidence.
    if (!m || (m[2] ?? undefined) !== profile) continue;
    const archive = m[4] ?? m[5];
    found.push({ path: path.join(dir, name), product: m[1] as LogProduct, date: m[3], ...(m[2] ? { profile: m[2] } : {}), ...(archive ? { archive: Number(archive) } : {}) });
  }
  return found;
}

/** Where the gateway service's own logs are: `<stateDir>/logs/` (Linux, systemd), `~/Library/Logs/openclaw/` (macOS). */
export function serviceLogDirs(stateDir: string, home: string): string[] {
  return [path.join(stateDir, 'logs'), path.join(home, 'Library', 'Logs', 'openclaw')];
}

/**
 * Today's log files, plus recent dated ones: a long-running gateway keeps writing to the file of the day
 * it started (clawdbot.md §6), so yesterday's file, or any dated file written in the last 24 h, counts.
 */
export async function findTodayLogs(input: FindLogsInput): Promise<FoundLogs> {
  const today = localDate(input.now);
  const yesterday = yesterdayOf(input.now);
  const nowMs = input.now.getTime();
  const out: FoundLogs = { files: [], tried: [], unreadable: [] };
  const seen = new Set<string>();

  const add = async (p: string, file: Omit<LogFile, 'size' | 'mtimeMs' | 'today'>, st: fs.Stats, today: boolean) => {
    const key = await fs.promises.realpath(p).catch(() => path.resolve(p));
    if (seen.has(key)) return;
    seen.add(key);
    out.files.push({ ...file, size: st.size, mtimeMs: st.mtimeMs, today });
  };

  if (input.loggingFile) {
    const p = expandHome(input.loggingFile, input.env);
    out.tried.push(p);
    const st = await statFile(p);
    if (st) await add(p, { path: p, product: 'custom' }, st, localDate(new Date(st.mtimeMs)) === today);
  }

  const profile = input.profile ?? (input.env.OPENCLAW_PROFILE?.trim() || undefined);
  for (const spec of logDirs(input)) {
    for (const n of spec.names) out.tried.push(path.join(spec.dir, `${n}-${profile ? `${profile}-` : ''}${today}.log`));
    for (const f of await datedFilesIn(spec.dir, out, profile)) {
      const st = await statFile(f.path);
      if (!st) continue;
      const recent = f.date === today || f.date === yesterday || Math.abs(nowMs - st.mtimeMs) < DAY_MS;
      if (recent) await add(f.path, f, st, f.date === today);
    }
  }

  for (const dir of input.serviceDirs ?? []) {
    for (const name of SERVICE_NAMES) {
      const p = path.join(dir, name);
      const st = await statFile(p);
      // An undated file: it counts when written in the last 24 h.
      if (st && Math.abs(nowMs - st.mtimeMs) < DAY_MS) await add(p, { path: p, product: 'openclaw', service: true }, st, localDate(new Date(st.mtimeMs)) === today);
    }
  }

  out.files.sort((a, b) => Number(b.today) - Number(a.today) || b.mtimeMs - a.mtimeMs);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing one line

export type LogLevel = 'SILLY' | 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
const LEVELS: readonly LogLevel[] = ['SILLY', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

export function levelRank(level: LogLevel): number {
  return LEVELS.indexOf(level);
}

export interface LogEntry {
  format: 'json' | 'plain';
  /** ISO time as written (UTC for tslog lines). */
  time?: string;
  timeMs?: number;
  level?: LogLevel;
  /** `agent/embedded`, `diagnostic`, … for subsystem loggers. */
  subsystem?: string;
  /** The message parts joined with a space (the subsystem part excluded). */
  message: string;
  /** 2026.9 structured parts: the run they belong to (`probe-…` for `models status --probe`). */
  runId?: string;
  /** 2026.9 structured parts: `embedded_run_agent_end`, `model_fallback_decision`, … */
  event?: string;
}

function asLevel(v: unknown): LogLevel | undefined {
  if (typeof v !== 'string') return undefined;
  const u = v.trim().toUpperCase();
  if (u === 'WARNING') return 'WARN';
  return (LEVELS as readonly string[]).includes(u) ? (u as LogLevel) : undefined;
}

function timeOf(v: unknown): { time?: string; timeMs?: number } {
  if (typeof v !== 'string') return {};
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? { time: v } : { time: v, timeMs: ms };
}

/** `{"subsystem":"agent/embedded"}` stored as a JSON string in part "0" (clawdbot.md §6). */
function subsystemOf(part: unknown): string | undefined {
  if (typeof part !== 'string' || !part.startsWith('{"subsystem"')) return undefined;
  try {
    const o: unknown = JSON.parse(part);
    const s = o && typeof o === 'object' ? (o as Record<string, unknown>).subsystem : undefined;
    return typeof s === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * 2026.9 logs a structured object as part "1" (`{"event":"embedded_run_agent_end", "rawErrorPreview":
 * "401: {…}", "httpCode":"401", "providerErrorType", …}`, fixture README): the message is the provider's raw
 * answer it carries, quoted after a colon, never the object's JSON.
 */
function structuredText(o: Record<string, unknown>): string | undefined {
  const raw = o.rawErrorPreview ?? o.error ?? o.providerErrorMessagePreview;
  if (typeof raw === 'string' && raw) return `: ${raw}`;
  if (typeof o.errorName === 'string') return `${o.errorName}:`;
  if (typeof o.event === 'string') return `${o.event}:`;
  return undefined;
}

function partText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const t = structuredText(v as Record<string, unknown>);
    if (t !== undefined) return t;
  }
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function parseJsonLine(o: Record<string, unknown>): LogEntry | undefined {
  const keys = Object.keys(o)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b));
  const meta = o._meta && typeof o._meta === 'object' ? (o._meta as Record<string, unknown>) : {};
  if (!keys.length && !('_meta' in o)) return undefined; // some other JSON, not a tslog line
  const subsystem = keys.length ? subsystemOf(o[keys[0]]) : undefined;
  const partKeys = subsystem !== undefined ? keys.slice(1) : keys;
  const structured = partKeys
    .map((k) => o[k])
    .find((v): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v) && structuredText(v as Record<string, unknown>) !== undefined);
  // The structured part's raw answer goes last, so the text reads "embedded run agent end: 401: {…}".
  const parts = [...partKeys.filter((k) => o[k] !== structured), ...partKeys.filter((k) => o[k] === structured)].map((k) => partText(o[k]));
  const runId = structured && typeof structured.runId === 'string' ? structured.runId : undefined;
  const event = structured && typeof structured.event === 'string' ? structured.event : undefined;
  return {
    format: 'json',
    ...timeOf(o.time ?? meta.date),
    level: asLevel(meta.logLevelName),
    subsystem,
    message: parts.join(' ').replace(/ (:|$)/, '$1').trim(),
    ...(runId ? { runId } : {}),
    ...(event ? { event } : {}),
  };
}

const PLAIN_TIME = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\]?\s*/;
const PLAIN_LEVEL = /\b(FATAL|ERROR|WARN(?:ING)?|INFO|DEBUG|TRACE|SILLY)\b/;

/** Plain text (console capture, a custom `logging.file` fed by a supervisor): level guessed from the text. */
function parsePlainLine(line: string): LogEntry {
  const t = PLAIN_TIME.exec(line);
  const rest = t ? line.slice(t[0].length) : line;
  const explicit = PLAIN_LEVEL.exec(rest.slice(0, 40)) ?? /\blevel=(\w+)/i.exec(rest);
  let level = asLevel(explicit?.[1]);
  if (!level) {
    if (/\b(error|failed|fatal|exception)\b/i.test(rest)) level = 'ERROR';
    else if (/\bwarn(ing)?\b/i.test(rest)) level = 'WARN';
  }
  return { format: 'plain', ...(t ? timeOf(t[1]) : {}), level, message: rest.trim() };
}

/** One log line as the product writes it (tslog JSON), or plain text. Never throws. */
export function parseLogLine(line: string): LogEntry | undefined {
  const s = line.trim();
  if (!s) return undefined;
  if (s.startsWith('{')) {
    try {
      const o: unknown = JSON.parse(s);
      if (o && typeof o === 'object' && !Array.isArray(o)) {
        const e = parseJsonLine(o as Record<string, unknown>);
        if (e) return e;
      }
    } catch {
      /* half-written or foreign: read it as text */
    }
  }
  return parsePlainLine(s);
}

// ---------------------------------------------------------------------------------------------
// Evidence: thinking runs and errors

export interface ThinkingRun {
  time?: string;
  timeMs?: number;
  runId?: string;
  sessionId?: string;
  provider?: string;
  model?: string;
  /** As logged: `off|minimal|low|medium|high|xhigh`. */
  thinking?: string;
  /** `models status --probe` runs (runId `probe-…`) always use thinking=off: not the user's level. */
  probe: boolean;
  location: string;
}

const RUN_START = 'embedded run start:';

/** The fields of `embedded run start: runId=… sessionId=… provider=… model=… thinking=…` (clawdbot.md §6). */
export function parseRunStart(message: string): Omit<ThinkingRun, 'time' | 'timeMs' | 'location'> | undefined {
  const at = message.indexOf(RUN_START);
  if (at < 0) return undefined;
  const kv: Record<string, string> = {};
  for (const m of message.slice(at + RUN_START.length).matchAll(/(\w+)=(\S*)/g)) kv[m[1]] = m[2];
  return {
    runId: kv.runId,
    sessionId: kv.sessionId,
    provider: kv.provider,
    model: kv.model,
    thinking: kv.thinking,
    probe: kv.runId?.startsWith('probe-') ?? false,
  };
}

export type LogErrorKind =
  | 'ordering-conflict'
  | 'failed-before-reply'
  | 'missing-env'
  | 'unknown-model'
  | 'no-api-key'
  | 'invalid-config'
  | 'provider'
  | 'other';

export interface LogErrorMatch {
  kind: LogErrorKind;
  /** The HTTP status when the text starts with one (`403 Kimi For Coding is …`). */
  status?: number;
  /** What the rewrite names: the env var, the model ref, the provider, the config path. */
  subject?: string;
}

/**
 * The product's own rewrites (clawdbot.md §2, §4, §9), checked before provider texts. `word` is a word every
 * match contains, for the fast path (NEEDLES), case-sensitive as the pattern is.
 */
const REWRITES: { kind: LogErrorKind; re: RegExp; word: string }[] = [
  { kind: 'failed-before-reply', re: /Embedded agent failed before reply:?\s*(.*)/s, word: 'Embedded' },
  { kind: 'ordering-conflict', re: /Message ordering conflict/, word: 'ordering' },
  { kind: 'missing-env', re: /Missing env var "([^"]+)"/, word: 'Missing' },
  { kind: 'unknown-model', re: /Unknown model:\s*(\S+)/, word: 'Unknown' },
  { kind: 'no-api-key', re: /No API key found for provider "([^"]+)"/, word: 'API' },
  { kind: 'invalid-config', re: /Invalid config\b(?: at ([^\s:]+))?/, word: 'Invalid' },
];

/** `403 Kimi …` at the start of a message or after `: ` (`LLM request failed: 429 {…}`). */
// 2026.9 writes `401: {…}` (a colon after the status) in rawErrorPreview and transcripts.
const STATUS_LEAD = /(?:^|:\s+)([45]\d\d):?\s+[A-Za-z{"']/;

/** Which known error a log message is, if any. Level is only used for the `other` bucket. */
export function matchLogError(message: string, level?: LogLevel): LogErrorMatch | undefined {
  for (const { kind, re } of REWRITES) {
    const m = re.exec(message);
    if (!m) continue;
    if (kind === 'failed-before-reply') return { kind, status: statusOf(m[1]), subject: m[1] || undefined };
    return { kind, subject: m[1] };
  }
  const s = STATUS_LEAD.exec(message);
  if (s || hasCauseText(message)) return { kind: 'provider', status: s ? Number(s[1]) : undefined };
  if (level && levelRank(level) >= levelRank('ERROR')) return { kind: 'other' };
  return undefined;
}

function statusOf(text: string | undefined): number | undefined {
  const m = text ? /^\s*([45]\d\d)\b/.exec(text) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * A signature that groups repeats of one error: ids, times, keys and long numbers are masked, so
 * "the same 403 ten times" is one group. Keys are masked here too because the signature is shown.
 */
export function errorSignature(kind: LogErrorKind, text: string): string {
  const firstLine = text.split('\n', 1)[0];
  const norm = firstLine
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?/g, '<time>')
    .replace(/\bsk-[\w-]{6,}/g, '<key>')
    .replace(/\b[0-9a-f]{12,}\b/gi, '<hex>')
    .replace(/\d{4,}/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
  return `${kind}: ${norm.slice(0, 200)}`;
}

export interface LogErrorGroup {
  signature: string;
  kind: LogErrorKind;
  status?: number;
  subject?: string;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  /** The raw message of the newest occurrence (not redacted: the report redacts). */
  sample: string;
  /** `file:line` (or `file@byte` when the file was only partly read) of the newest occurrence. */
  location: string;
  level?: LogLevel;
  /** From classify.ts, for provider-ish kinds; undefined when the text is not recognised. */
  cause?: ErrorCause;
}

export interface LogFileSummary {
  path: string;
  size: number;
  bytesRead: number;
  /** Only the end of the file was read. */
  truncated: boolean;
  lines: number;
  error?: TailError;
}

export interface LineCounts {
  total: number;
  json: number;
  plain: number;
  /** Lines skipped: not valid UTF-8. */
  invalid: number;
  /** Lines skipped: longer than the per-line cap. */
  tooLong: number;
}

export interface LogEvidence {
  files: LogFileSummary[];
  /** Chronological. */
  thinkingRuns: ThinkingRun[];
  /** Known kinds first, then `other`; newest first within each. */
  errors: LogErrorGroup[];
  lineCounts: LineCounts;
  levelCounts: Partial<Record<LogLevel, number>>;
  maxLevel?: LogLevel;
  /** Error lines not grouped because `maxErrorGroups` was reached. */
  errorsDropped: number;
  /** 2026.9: runs seen through their structured events (runId), probe runs excluded; proof a run happened. */
  agentRuns?: { runId: string; timeMs?: number }[];
  /** Error lines of `models status --probe` runs (runId `probe-…`): not the user's errors, not grouped. */
  probeErrors?: number;
}

export interface ReadLogOptions {
  /** Bytes read from the end of each file. Default 8 MiB. */
  maxBytesPerFile?: number;
  /** Distinct error signatures kept; occurrences of further ones are counted in `errorsDropped`. Default 200. */
  maxErrorGroups?: number;
  /** Internal, for the differential test: parse every line (the reference path), never the window-level shortcut. */
  exhaustive?: boolean;
}

/** Kinds whose text is (or wraps) a provider answer, worth a cause from classify.ts. */
const CLASSIFIED_KINDS: ReadonlySet<LogErrorKind> = new Set(['provider', 'ordering-conflict', 'failed-before-reply']);

function causeOf(kind: LogErrorKind, text: string): ErrorCause | undefined {
  if (!CLASSIFIED_KINDS.has(kind)) return undefined;
  try {
    const c = classifyErrorText(text).cause;
    return c === 'unknown' ? undefined : c;
  } catch {
    return undefined; // a classifier bug must not hide the evidence
  }
}

/**
 * A line of a `models status --probe` run: its runId (`probe-kimi-…`), or the lane / session the product
 * names after it (`lane=session:agent:main:internal-session-effects:probe-kimi-…`).
 */
function isProbeLine(entry: LogEntry): boolean {
  if (entry.runId !== undefined) return entry.runId.startsWith('probe-');
  return /\blane=\S*[:=]probe-|\bsessionId=\S*-probe-|\brunId=probe-/.test(entry.message);
}

class EvidenceBuilder {
  readonly out: LogEvidence = {
    files: [],
    thinkingRuns: [],
    errors: [],
    lineCounts: { total: 0, json: 0, plain: 0, invalid: 0, tooLong: 0 },
    levelCounts: {},
    errorsDropped: 0,
  };
  private readonly groups = new Map<string, LogErrorGroup & { lastMs?: number; firstMs?: number }>();

  constructor(private readonly maxGroups: number) {}

  /**
   * A line known to be a tslog JSON line at `level` with no run start and no error: what line() would do
   * with it. Level keys are added to levelCounts in order of first appearance, as line() adds them.
   */
  quietJsonLine(level: LogLevel): void {
    const c = this.out.lineCounts;
    c.total++;
    c.json++;
    this.out.levelCounts[level] = (this.out.levelCounts[level] ?? 0) + 1;
    const max = this.out.maxLevel;
    if (level !== max && (!max || levelRank(level) > levelRank(max))) this.out.maxLevel = level;
  }

  line(entry: LogEntry, location: string): void {
    const c = this.out.lineCounts;
    c.total++;
    c[entry.format]++;
    if (entry.level) {
      this.out.levelCounts[entry.level] = (this.out.levelCounts[entry.level] ?? 0) + 1;
      if (!this.out.maxLevel || levelRank(entry.level) > levelRank(this.out.maxLevel)) this.out.maxLevel = entry.level;
    }
    if (entry.runId && !entry.runId.startsWith('probe-')) {
      const runs = (this.out.agentRuns ??= []);
      if (!runs.some((r) => r.runId === entry.runId)) runs.push({ runId: entry.runId, timeMs: entry.timeMs });
    }
    const run = parseRunStart(entry.message);
    if (run) this.out.thinkingRuns.push({ ...run, time: entry.time, timeMs: entry.timeMs, location });
    const err = run ? undefined : matchLogError(entry.message, entry.level);
    if (err && isProbeLine(entry)) this.out.probeErrors = (this.out.probeErrors ?? 0) + 1;
    else if (err) this.error(err, entry, location);
  }

  private error(m: LogErrorMatch, entry: LogEntry, location: string): void {
    const signature = errorSignature(m.kind, entry.message);
    const g = this.groups.get(signature);
    if (!g) {
      if (this.groups.size >= this.maxGroups) {
        this.out.errorsDropped++;
        return;
      }
      this.groups.set(signature, {
        signature,
        kind: m.kind,
        status: m.status,
        subject: m.subject,
        count: 1,
        firstSeen: entry.time,
        lastSeen: entry.time,
        firstMs: entry.timeMs,
        lastMs: entry.timeMs,
        sample: entry.message,
        location,
        level: entry.level,
        cause: causeOf(m.kind, entry.message),
      });
      return;
    }
    g.count++;
    const ms = entry.timeMs;
    if (ms !== undefined && (g.firstMs === undefined || ms < g.firstMs)) {
      g.firstMs = ms;
      g.firstSeen = entry.time;
    }
    // Files are read one after the other, so "newest" is decided by time, not by reading order.
    if (ms === undefined || g.lastMs === undefined || ms >= g.lastMs) {
      if (ms !== undefined) g.lastMs = ms;
      g.lastSeen = entry.time ?? g.lastSeen;
      g.sample = entry.message;
      g.location = location;
    }
  }

  finish(): LogEvidence {
    this.out.thinkingRuns.sort((a, b) => (a.timeMs ?? 0) - (b.timeMs ?? 0));
    // Known errors first: `other` is every ERROR line (gateway status chatter included), useful but secondary.
    this.out.errors = [...this.groups.values()]
      .sort((a, b) => Number(a.kind === 'other') - Number(b.kind === 'other') || (b.lastMs ?? 0) - (a.lastMs ?? 0))
      .map(({ lastMs: _l, firstMs: _f, ...g }) => g);
    return this.out;
  }
}

/** Tail each file and collect thinking runs, grouped errors, line and level counts. Never throws. */
export async function readLogEvidence(
  files: readonly (string | Pick<LogFile, 'path'>)[],
  opts: ReadLogOptions = {},
): Promise<LogEvidence> {
  const b = new EvidenceBuilder(opts.maxErrorGroups ?? 200);
  for (const f of files) {
    const file = typeof f === 'string' ? f : f.path;
    const w = opts.exhaustive ? undefined : await tailText(file, { maxBytes: opts.maxBytesPerFile });
    if (w) {
      readWindow(b, file, w);
      continue;
    }
    const t = await tailLines(file, { maxBytes: opts.maxBytesPerFile });
    b.out.files.push({ path: file, size: t.size, bytesRead: t.bytesRead, truncated: t.truncated, lines: t.lines.length, error: t.error });
    b.out.lineCounts.invalid += t.invalidUtf8;
    b.out.lineCounts.tooLong += t.longLines;
    t.lines.forEach((line, i) => {
      const entry = parseLogLine(line);
      if (!entry) return;
      const n = t.lineNumbers?.[i];
      b.line(entry, n !== undefined ? `${file}:${n}` : `${file}@${t.offsets[i]}`);
    });
  }
  return b.finish();
}

// Window-level reading. Most lines of a busy log are DEBUG/INFO chatter that only adds to the line and
// level counts; parsing each one (JSON.parse, eight regexes, key sorting) is what used to cost. QUIET
// recognizes, in one pass over the window's bytes, lines whose JSON is valid and whose top-level `_meta`
// holds a non-error level, by their exact shape: numeric keys with string values, then `_meta`, then an
// optional `time`, no whitespace, no `\u` escape. Such a line is a `json` line at that level
// (parseJsonLine), and it has no run start and no error unless it contains one of NEEDLES: every pattern
// matchLogError and parseRunStart look for needs, in the message, a word (no spaces, so it cannot straddle
// the space between two parts) that then appears verbatim in the raw line, as its parts are strings
// without `\u` escapes. Everything else, including every line a needle touches, goes through parseLogLine
// and EvidenceBuilder.line as before, in file order. The differential test holds both paths equal.

/** A JSON string without `\u` escapes: so every letter of its value is written as itself. */
const JSTR = String.raw`"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt])*"`;
const JNUM = String.raw`-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?`;
const JPRIM = `(?:${JSTR}|${JNUM}|true|false|null)`;
const JARR = String.raw`\[(?:${JPRIM}(?:,${JPRIM})*)?\]`;
const JOBJ = String.raw`\{(?:${JSTR}:(?:${JPRIM}|${JARR})(?:,${JSTR}:(?:${JPRIM}|${JARR}))*)?\}`;
const JVAL = `(?:${JPRIM}|${JARR}|${JOBJ})`;
/** A `_meta` key other than logLevelName, without escapes (so it cannot spell logLevelName another way). */
const META_KEY = String.raw`"(?!logLevelName")[^"\\]*"`;
/** A whole line (start after `\n` or at 0, end before `\r\n`, `\n` or the end). Group 1: the level. */
const QUIET = new RegExp(
  String.raw`(?<![^\n])\{(?:"\d+":(?!"start:)${JSTR},)*"_meta":\{(?:${META_KEY}:${JVAL},)*"logLevelName":"(SILLY|TRACE|DEBUG|INFO|WARN)"` +
    String.raw`(?:,${META_KEY}:${JVAL})*\}(?:,"time":${JSTR})?\}(?=\r?(?:\n|$))\r?`,
  'g',
);
/**
 * Words one of which the message of any run start or rewrite line contains (parseRunStart, REWRITES).
 * Case-sensitive, as those patterns are. `embedded run start:` needs `run start:` within one part, or a
 * part that opens with `start:` (the space is the join), which QUIET refuses.
 */
const NEEDLES = new RegExp(['run start:', ...REWRITES.map((r) => r.word)].join('|'), 'g');
/** The cause table's phrases, each by one word of it (case-insensitive, as the phrases are): src/causes. */
const PROVIDER_WORDS = causeWordsPattern();
/**
 * STATUS_LEAD (`[45]\d\d` after the start or whitespace, before whitespace) in raw form: the whitespace is
 * raw (any byte of a non-ASCII character may be part of one), an escape (`\n` …), or the space joining
 * two parts (a `"` in the line).
 */
const STATUS_RAW = /(?:["\s\x80-\xff]|\\[nrtf])[45]\d\d[\s"\\\x80-\xff]/g;

/** Positions in `raw` that a needle touches, sorted. */
function needleHits(raw: string): number[] {
  const hits: number[] = [];
  for (const re of [NEEDLES, PROVIDER_WORDS, STATUS_RAW]) {
    re.lastIndex = 0;
    for (let m = re.exec(raw); m; m = re.exec(raw)) {
      hits.push(m.index, m.index + m[0].length - 1);
      re.lastIndex = m.index + 1;
    }
  }
  return hits.sort((a, b) => a - b);
}

/**
 * The window through the shortcut. Patterns run over `w.raw` (bytes as latin1): their ASCII parts match the
 * same bytes as in the decoded text, and no byte of a multi-byte character is ASCII, so QUIET accepts
 * exactly the lines whose decoded text it would accept (JSTR takes any non-control character).
 */
function readWindow(b: EvidenceBuilder, file: string, w: TailText): void {
  const { raw, bytes } = w;
  const summary: LogFileSummary = { path: file, size: w.size, bytesRead: w.bytesRead, truncated: w.truncated, lines: 0, error: undefined };
  b.out.files.push(summary);
  const hits = needleHits(raw);
  let hp = 0;
  // Line numbers are counted forwards, only for the lines that need a location.
  let atByte = 0;
  let atLine = 1;
  const locate = (start: number): string => {
    if (!w.wholeFile) return `${file}@${w.offset + start}`;
    for (let i = raw.indexOf('\n', atByte); i >= 0 && i < start; i = raw.indexOf('\n', i + 1)) atLine++;
    atByte = start;
    return `${file}:${atLine}`;
  };
  const slowLine = (start: number, end: number): void => {
    if (end > start && raw.charCodeAt(end - 1) === 0x0d) end--;
    const line = bytes.toString('utf8', start, end);
    if (line.trim() === '') return;
    summary.lines++;
    const entry = parseLogLine(line);
    if (entry) b.line(entry, locate(start));
  };
  const slowLines = (start: number, end: number): void => {
    while (start < end) {
      const nl = raw.indexOf('\n', start);
      const stop = nl < 0 || nl > end ? end : nl;
      slowLine(start, stop);
      start = stop + 1;
    }
  };
  let pos = 0;
  QUIET.lastIndex = 0;
  for (let m = QUIET.exec(raw); m; m = QUIET.exec(raw)) {
    const start = m.index;
    const end = start + m[0].length;
    if (pos < start) slowLines(pos, start);
    while (hp < hits.length && hits[hp] < start) hp++;
    if (hp < hits.length && hits[hp] < end) slowLine(start, end);
    else {
      summary.lines++;
      b.quietJsonLine(m[1] as LogLevel);
    }
    pos = end + 1;
  }
  slowLines(pos, raw.length);
}

// ---------------------------------------------------------------------------------------------
// Explaining a missing thinking= line

export type NoThinkingReason =
  | 'no-run-today'
  | 'level-inverted'
  | 'level-default'
  | 'level-hides-debug'
  | 'level-may-be-inverted'
  | 'level-ok';

export interface NoThinkingExplanation {
  reason: NoThinkingReason;
  text: string;
  /** The config change that makes the DEBUG `thinking=` line reach the file, when one is needed. */
  fix?: { path: ['logging', 'level']; value: 'warn' | 'debug'; snippet: string };
}

const LOW_LEVELS = new Set(['silly', 'trace', 'debug']);
const HIGH_LEVELS = new Set(['warn', 'error', 'fatal']);

function levelFix(value: 'warn' | 'debug'): NonNullable<NoThinkingExplanation['fix']> {
  return { path: ['logging', 'level'], value, snippet: `"logging": { "level": "${value}" }` };
}

const RESTART = 'then restart the gateway and send the agent one message';

/**
 * Why today's log has no `thinking=` line. The line is DEBUG (subsystem agent/embedded), and V1/V2 map file
 * levels inverted: "debug" records less, only "warn"/"error"/"fatal" let it through, and the default "info"
 * never does (clawdbot.md §6, observed by running V1). Whether V3 fixed this is unknown.
 */
export function explainNoThinkingLines(input: {
  loggingLevel?: string;
  generation: Generation;
  runsToday: boolean;
  /** The product version, when known: 2026.9 is known not to invert (its `debug` writes thinking=). */
  version?: string;
}): NoThinkingExplanation {
  const set = input.loggingLevel?.trim().toLowerCase();
  const level = set || 'info';
  const shown = set ? `logging.level is "${set}"` : 'logging.level is not set (default "info")';
  const levelPart = levelsVerified(input.generation, input.version) ? verifiedLevelExplanation(level, shown) : levelExplanation(level, shown, input.generation);
  if (!input.runsToday) {
    const certain = levelPart.reason === 'level-inverted' || levelPart.reason === 'level-default' || levelPart.reason === 'level-hides-debug';
    const after = !levelPart.fix
      ? ' Send the agent one message and run the doctor again.'
      : certain
        ? ` Even after a run it would not appear: ${levelPart.text}`
        : ` Also: ${levelPart.text}`;
    const text = 'No agent run today: the thinking= line is written when the agent starts a run, so there is nothing to show yet.' + after;
    return { reason: 'no-run-today', text, fix: levelPart.fix };
  }
  return levelPart;
}

/** openclaw 2026.9.x was run with `logging.level: "debug"` and wrote `thinking=` (fixture healthy/log). */
function levelsVerified(generation: Generation, version: string | undefined): boolean {
  const m = version ? /^v?(\d{4})\.(\d{1,2})\./.exec(version) : null;
  return generation === 'V3' && !!m && (Number(m[1]) > 2026 || (Number(m[1]) === 2026 && Number(m[2]) >= 9));
}

function verifiedLevelExplanation(level: string, shown: string): NoThinkingExplanation {
  if (LOW_LEVELS.has(level)) {
    return {
      reason: 'level-ok',
      text:
        `${shown}, which records the DEBUG thinking= line in this version. If runs happened today, the gateway may not ` +
        'have been restarted since the level was changed, or it writes to a logging.file or an older dated file.',
    };
  }
  return {
    reason: HIGH_LEVELS.has(level) ? 'level-hides-debug' : 'level-default',
    text: `${shown}, which hides DEBUG lines such as thinking= (this version does not invert levels). Set "logging": { "level": "debug" }, ${RESTART}.`,
    fix: levelFix('debug'),
  };
}

function levelExplanation(level: string, shown: string, generation: Generation): NoThinkingExplanation {
  const inverted = generation === 'V1' || generation === 'V2';
  if (inverted) {
    if (HIGH_LEVELS.has(level)) {
      return {
        reason: 'level-ok',
        text:
          `${shown}, which lets the DEBUG thinking= line through in this version. If runs happened today, the gateway ` +
          'may not have been restarted since the level was changed, or it writes to a logging.file or an older dated file.',
      };
    }
    if (LOW_LEVELS.has(level)) {
      return {
        reason: 'level-inverted',
        text:
          `${shown}, but this version maps file levels inverted: "debug" records less (warnings and errors only). ` +
          `The DEBUG thinking= line reaches the file only with "warn", "error" or "fatal". Set "logging": { "level": "warn" }, ${RESTART}.`,
        fix: levelFix('warn'),
      };
    }
    return {
      reason: 'level-default',
      text:
        `${shown}: at "info" this version never writes the DEBUG thinking= line (its file levels are inverted, ` +
        `so "debug" would not help either). Set "logging": { "level": "warn" }, ${RESTART}.`,
      fix: levelFix('warn'),
    };
  }
  const unknownGen = generation === 'unknown';
  const which = unknownGen ? 'clawdbot ≤ 2026.1.24 and moltbot 2026.1.27 invert' : 'V1/V2 inverted';
  if (LOW_LEVELS.has(level)) {
    return {
      reason: 'level-may-be-inverted',
      text:
        `${shown}, which should record the DEBUG thinking= line — unless this version still maps file levels ` +
        `inverted (${which} them; whether openclaw fixed it is unknown). If no thinking= line appears after a run, ` +
        `set "logging": { "level": "warn" }, ${RESTART}.`,
      fix: levelFix('warn'),
    };
  }
  if (unknownGen) {
    // Without the version, give the change that works where the bug is known to exist; say what to do otherwise.
    return {
      reason: 'level-default',
      text:
        `${shown}, which hides the DEBUG thinking= line. clawdbot ≤ 2026.1.24 and moltbot 2026.1.27 invert file levels: ` +
        `there, set "logging": { "level": "warn" }; on openclaw try "debug" first. Then restart the gateway and send one message.`,
      fix: levelFix('warn'),
    };
  }
  return {
    reason: HIGH_LEVELS.has(level) ? 'level-hides-debug' : 'level-default',
    text:
      `${shown}, which hides DEBUG lines such as thinking=. Set "logging": { "level": "debug" }, ${RESTART}; ` +
      'if the line still does not appear, this version keeps the V1/V2 inversion: use "warn" instead.',
    fix: levelFix('debug'),
  };
}

// ---------------------------------------------------------------------------------------------
// The thinking level a run uses

/**
 * 2026.9's Kimi plugin turns thinking off by default for `kimi-for-coding` (its request carries
 * `"thinking":{"type":"disabled"}`; fixture openclaw-2026.9.6 README, healthy/log thinking=off). Only for the
 * plugin's own provider id `kimi`; a user-defined provider follows the generic rule.
 */
export function pluginThinkingDefault(generation: Generation, providerId: string | undefined, modelId: string | undefined): { level: ThinkingLevel; why: string } | undefined {
  // The rule itself is the plugin's (kimi-plugin.ts, provider-policy-api.ts resolveThinkingProfile).
  if (generation !== 'V3' || !providerId || !modelId || !isKimiPluginProvider(providerId)) return undefined;
  const level = normalizeThinkingLevel(kimiDefaultThinking(modelId));
  return level ? { level, why: `No session level or thinkingDefault: the Kimi plugin runs ${modelId} with thinking ${level} by default.` } : undefined;
}

export { normalizeThinkingLevel, type ThinkingLevel };

export interface EffectiveThinking {
  level: ThinkingLevel;
  source: 'session' | 'thinkingDefault' | 'model-default';
  /** Thinking is actually requested: a level other than off on a model marked `reasoning: true` (§3). */
  reachesModel: boolean;
  why: string;
}

/**
 * Precedence (clawdbot.md §4): inline `/think` (per message, invisible to us) > the session's `thinkingLevel`
 * in sessions.json > `agents.defaults.thinkingDefault` > `low` for reasoning models, else `off`.
 */
export function effectiveThinking(input: {
  thinkingDefault?: string;
  sessionLevel?: string;
  reasoning: boolean;
  /** A provider's own default for the model, when it has one (2026.9's Kimi plugin: see pluginThinkingDefault). */
  modelDefault?: { level: ThinkingLevel; why: string };
}): EffectiveThinking {
  const session = normalizeThinkingLevel(input.sessionLevel);
  const dflt = normalizeThinkingLevel(input.thinkingDefault);
  const inline = ' An inline /think in a message overrides it for that message.';
  const modelNote = input.reasoning
    ? ''
    : ' The model is not marked "reasoning": true, so no thinking is requested whatever the level (§3).';
  let r: Omit<EffectiveThinking, 'reachesModel'>;
  if (session) {
    r = { level: session, source: 'session', why: `The session's thinkingLevel "${input.sessionLevel}" in sessions.json wins over the config.` };
  } else if (dflt) {
    r = { level: dflt, source: 'thinkingDefault', why: `agents.defaults.thinkingDefault is "${input.thinkingDefault}".` };
  } else if (typeof input.modelDefault === 'object') {
    r = { level: input.modelDefault.level, source: 'model-default', why: input.modelDefault.why };
  } else {
    const bad = input.thinkingDefault?.trim() ? ` (thinkingDefault "${input.thinkingDefault}" is not a level; the product rejects the config)` : '';
    r = input.reasoning
      ? { level: 'low', source: 'model-default', why: `No session level or thinkingDefault${bad}: reasoning models default to "low".` }
      : { level: 'off', source: 'model-default', why: `No session level or thinkingDefault${bad}: non-reasoning models default to "off".` };
  }
  return { ...r, reachesModel: r.level !== 'off' && input.reasoning, why: r.why + modelNote + inline };
}
