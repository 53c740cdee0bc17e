// Sessions on disk (clawdbot.md §7): the store `sessions.json`, one JSONL transcript per session, their locks.
// Transcripts are the most reliable place to find the raw provider error (the log only has the product's
// rewrite, §6/§9), so we read every `stopReason: "error"` message, and we check the files are whole.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { isRoleErrorText } from '../causes/index.js';
import { classifyTranscriptError, type ErrorCause } from './classify.js';
import { agentDbPath, readAgentDb } from './sessions-v3.js';
import { isRecord as isObj, str } from '../util/json.js';

export interface SessionEntry {
  /** The store key, e.g. `agent:main:main`. */
  key: string;
  sessionId?: string;
  /** ms since epoch. */
  updatedAt?: number;
  /** Set by `/think` in chat; wins over thinkingDefault (§4). */
  thinkingLevel?: string;
  modelOverride?: string;
  providerOverride?: string;
  model?: string;
  modelProvider?: string;
  transcriptPath?: string;
  transcriptExists: boolean;
}

/** A failed provider call as the transcript stored it: the raw `<status> <provider message>`. */
export interface TranscriptError {
  sessionId: string;
  time?: string;
  timeMs?: number;
  provider?: string;
  model?: string;
  api?: string;
  /** The raw `errorMessage` (not redacted: the report redacts). */
  text: string;
  status?: number;
  /** 1-based; undefined when only the end of a large transcript was read. */
  line?: number;
  /** From classify.ts; undefined when the text is not recognised. */
  cause?: ErrorCause;
}

export interface TranscriptInfo {
  path: string;
  /** From the file name. */
  sessionId: string;
  bytes: number;
  mtimeMs: number;
  /** The first line is the `{"type":"session",…}` header. */
  hasHeader: boolean;
  headerVersion?: number;
  /** Lines read. */
  lines: number;
  /** Newest entry timestamp, else the file's mtime. */
  lastActivityMs: number;
  /** From the last `thinking_level_change`. */
  thinkingLevel?: string;
  /** From the last `model_change`. */
  provider?: string;
  model?: string;
  /** Newest last; at most `maxErrorsPerTranscript` (the newest ones). */
  errors: TranscriptError[];
  errorCount: number;
  /** Time of the last assistant message that did not fail. */
  lastOkMs?: number;
  /** The file was larger than the cap: only its end (and its first line) were read. */
  partial: boolean;
  /** Referenced by sessions.json (probe sessions are not). */
  listed: boolean;
}

export type SessionProblemKind =
  | 'store-unreadable'
  | 'store-parse'
  | 'store-shape'
  | 'orphan-entry'
  | 'transcript-unreadable'
  | 'transcript-parse'
  | 'missing-header'
  | 'cut-mid-line'
  | 'stale-lock'
  | 'legacy-layout'
  // 2026.9's SQLite store (sessions-v3.ts)
  | 'database-busy'
  | 'database-unreadable'
  | 'database-newer-schema'
  | 'database-needs-newer-node';

export interface SessionProblem {
  kind: SessionProblemKind;
  agentId: string;
  path: string;
  line?: number;
  sessionId?: string;
  key?: string;
  detail: string;
}

export interface SessionLock {
  path: string;
  ageMs: number;
  stale: boolean;
}

export interface AgentSessions {
  agentId: string;
  /** `sqlite`: OpenClaw 2026.9's agents/<id>/agent/openclaw-agent.sqlite. */
  layout: 'agents' | 'legacy' | 'sqlite';
  /** The 2026.9 agent database, when the sessions were read from it. */
  database?: string;
  /** `<stateDir>/agents/<agentId>` (the state dir itself for the legacy layout). */
  agentDir: string;
  sessionsDir: string;
  store: { path: string; exists: boolean; entries: SessionEntry[] };
  transcripts: TranscriptInfo[];
  /** Every transcript on disk (not only those read: see `transcriptsRead`), and their total size. */
  transcriptCount: number;
  transcriptBytes: number;
  /** How many of them were read (the newest, up to the read cap); undefined when all were. */
  transcriptsRead?: number;
  lastActivityMs?: number;
  locks: SessionLock[];
  problems: SessionProblem[];
}

export interface SessionsReport {
  stateDir: string;
  exists: boolean;
  agents: AgentSessions[];
  /** `<stateDir>/sessions` and `<stateDir>/agent` when present (pre-agents layout, §7). */
  legacyDirs: string[];
  /** Every agent's problems, plus the legacy-layout note. */
  problems: SessionProblem[];
}

export interface ReadSessionsOptions {
  /** ms since epoch, for lock ages. Default Date.now(). */
  now?: number;
  /** The product treats a lock as stale after 30 min (§7). */
  staleLockMs?: number;
  /** Above this size only the end of a transcript is read (plus its first line). Default 16 MiB. */
  maxTranscriptBytes?: number;
  /** Per agent, the most recently modified transcripts read. Default 500. */
  maxTranscripts?: number;
  maxErrorsPerTranscript?: number;
  /** 2026.9 databases: the newest events read per session. Default 2000. */
  maxEventsPerSession?: number;
  /** sessions.json above this is not parsed. Default 64 MiB. */
  maxStoreBytes?: number;
}

const DEFAULTS = {
  staleLockMs: 30 * 60 * 1000,
  maxTranscriptBytes: 16 * 1024 * 1024,
  maxTranscripts: 500,
  maxErrorsPerTranscript: 50,
  maxEventsPerSession: 2000,
  maxStoreBytes: 64 * 1024 * 1024,
};
type Opts = typeof DEFAULTS & { now: number };

// ---------------------------------------------------------------------------------------------
// Small helpers

type Json = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function parseJson(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

async function statOrUndefined(p: string): Promise<fs.Stats | undefined> {
  return fs.promises.stat(p).catch(() => undefined);
}

async function isDir(p: string): Promise<boolean> {
  return (await statOrUndefined(p))?.isDirectory() ?? false;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The 1-based line of a JSON.parse error: `(line 3 column 5)` on newer Node, else from `at position 123`. */
function lineOfPosition(text: string, message: string): number | undefined {
  const l = /\(line (\d+) column \d+\)/.exec(message);
  if (l) return Number(l[1]);
  const m = /position (\d+)/.exec(message);
  if (!m) return undefined;
  const pos = Math.min(Number(m[1]), text.length);
  let line = 1;
  for (let i = 0; i < pos; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function timeMsOf(v: unknown): number | undefined {
  if (typeof v === 'number') return num(v);
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

// ---------------------------------------------------------------------------------------------
// sessions.json

interface StoreRead {
  exists: boolean;
  entries: SessionEntry[];
  problems: SessionProblem[];
}

function transcriptPathOf(sessionsDir: string, v: Json, sessionId: string | undefined): string | undefined {
  const file = str(v.sessionFile);
  if (file) return path.isAbsolute(file) ? file : path.join(sessionsDir, file);
  return sessionId ? path.join(sessionsDir, `${sessionId}.jsonl`) : undefined;
}

async function readStore(agentId: string, sessionsDir: string, o: Opts): Promise<StoreRead> {
  const file = path.join(sessionsDir, 'sessions.json');
  const out: StoreRead = { exists: false, entries: [], problems: [] };
  const problem = (kind: SessionProblemKind, detail: string, extra: Partial<SessionProblem> = {}) =>
    out.problems.push({ kind, agentId, path: file, detail, ...extra });
  const fail = (kind: SessionProblemKind, detail: string, line?: number): StoreRead => {
    problem(kind, detail, { line });
    return out;
  };

  const st = await statOrUndefined(file);
  if (!st) return out;
  out.exists = true;
  if (!st.isFile()) return fail('store-unreadable', 'sessions.json is not a regular file');
  if (st.size > o.maxStoreBytes) return fail('store-unreadable', `sessions.json is ${st.size} bytes; not parsed`);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    return fail('store-unreadable', errText(e));
  }
  const parsed = parseJson(text);
  if (parsed.error !== undefined) {
    return fail('store-parse', `sessions.json does not parse: ${parsed.error}`, lineOfPosition(text, parsed.error));
  }
  if (!isObj(parsed.value)) return fail('store-shape', 'sessions.json is not an object keyed by session key');

  for (const [key, v] of Object.entries(parsed.value)) {
    if (!isObj(v)) {
      problem('store-shape', `entry "${key}" is not an object`, { key });
      continue;
    }
    const sessionId = str(v.sessionId);
    if (!sessionId) problem('store-shape', `entry "${key}" has no sessionId`, { key });
    const transcriptPath = transcriptPathOf(sessionsDir, v, sessionId);
    const transcriptExists = transcriptPath ? ((await statOrUndefined(transcriptPath))?.isFile() ?? false) : false;
    out.entries.push({
      key,
      sessionId,
      updatedAt: num(v.updatedAt),
      thinkingLevel: str(v.thinkingLevel),
      modelOverride: str(v.modelOverride),
      providerOverride: str(v.providerOverride),
      model: str(v.model),
      modelProvider: str(v.modelProvider),
      transcriptPath,
      transcriptExists,
    });
    if (transcriptPath && !transcriptExists) {
      problem('orphan-entry', `sessions.json lists "${key}" but its transcript ${path.basename(transcriptPath)} is missing`, {
        key,
        sessionId,
        path: transcriptPath,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Transcripts

interface TranscriptRead {
  info: TranscriptInfo;
  problems: SessionProblem[];
}

async function firstLine(file: string, maxBytes: number): Promise<string> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(maxBytes, 1024 * 1024));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
    return buf.subarray(0, nl < 0 ? bytesRead : nl).toString('utf8');
  } finally {
    await fh.close();
  }
}

async function endsWithNewline(file: string, size: number): Promise<boolean> {
  if (size === 0) return true;
  const fh = await fs.promises.open(file, 'r');
  try {
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, size - 1);
    return b[0] === 0x0a;
  } finally {
    await fh.close();
  }
}

function isHeader(v: unknown): v is Json {
  return isObj(v) && v.type === 'session';
}

function statusOf(text: string): number | undefined {
  const m = /^\s*(\d{3})\b/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** 2026.9 also stores `errorCode` and the raw `errorBody`: the cause table reads them with the message. */
function causeOf(m: Json, text: string, ctx: { api?: string; provider?: string; model?: string }): ErrorCause | undefined {
  try {
    const code = typeof m.errorCode === 'number' || typeof m.errorCode === 'string' ? m.errorCode : undefined;
    const c = classifyTranscriptError({ errorMessage: text, errorCode: code, errorBody: str(m.errorBody) }, { api: ctx.api, providerId: ctx.provider, modelId: ctx.model }).cause;
    return c === 'unknown' ? undefined : c;
  } catch {
    return undefined; // a classifier bug must not hide the evidence
  }
}

/**
 * Fold one parsed transcript entry into the info (message / model_change / thinking_level_change, §7).
 * Returns the entry's time, if any.
 */
export function applyEntry(info: TranscriptInfo, e: Json, line: number | undefined, maxErrors: number): number | undefined {
  const ts = timeMsOf(e.timestamp);
  if (e.type === 'model_change') {
    info.provider = str(e.provider) ?? info.provider;
    info.model = str(e.modelId) ?? info.model;
  } else if (e.type === 'thinking_level_change') {
    info.thinkingLevel = str(e.thinkingLevel) ?? info.thinkingLevel;
  } else if (e.type === 'message' && isObj(e.message) && e.message.role === 'assistant') {
    const m = e.message;
    const when = ts ?? timeMsOf(m.timestamp);
    const text = str(m.errorMessage);
    if (m.stopReason !== 'error' || text === undefined) {
      if (when !== undefined && (info.lastOkMs === undefined || when > info.lastOkMs)) info.lastOkMs = when;
      return ts;
    }
    const ctx = { api: str(m.api), provider: str(m.provider), model: str(m.model) };
    info.errorCount++;
    info.errors.push({
      sessionId: info.sessionId,
      time: str(e.timestamp) ?? (when !== undefined ? new Date(when).toISOString() : undefined),
      timeMs: when,
      ...ctx,
      text,
      status: statusOf(text),
      line,
      cause: causeOf(m, text, ctx),
    });
    if (info.errors.length > maxErrors) info.errors.shift();
  }
  return ts;
}

/**
 * Streams one transcript line by line. Large files: only the last `maxTranscriptBytes` are streamed (errors
 * that matter are recent) and the first line is read separately for the header check.
 */
async function readTranscript(agentId: string, file: string, st: fs.Stats, listed: boolean, o: Opts): Promise<TranscriptRead> {
  const sessionId = path.basename(file, '.jsonl');
  const partial = st.size > o.maxTranscriptBytes;
  const info: TranscriptInfo = {
    path: file,
    sessionId,
    bytes: st.size,
    mtimeMs: st.mtimeMs,
    hasHeader: false,
    lines: 0,
    lastActivityMs: st.mtimeMs,
    errors: [],
    errorCount: 0,
    partial,
    listed,
  };
  const problems: SessionProblem[] = [];
  const problem = (kind: SessionProblemKind, detail: string, line?: number) =>
    problems.push({ kind, agentId, path: file, sessionId, line, detail });

  let badLines = 0;
  let firstBad: number | undefined;
  let lastLineBad = false;
  let sawFirst = false;
  let newest: number | undefined;
  try {
    const checkHeader = (text: string) => {
      const v = parseJson(text).value;
      info.hasHeader = isHeader(v);
      if (isHeader(v)) info.headerVersion = num(v.version);
    };
    if (partial) checkHeader(await firstLine(file, o.maxTranscriptBytes));
    const start = partial ? st.size - o.maxTranscriptBytes : 0;
    const rl = readline.createInterface({ input: fs.createReadStream(file, { start }), crlfDelay: Infinity });
    let n = 0;
    for await (const raw of rl) {
      n++;
      // In a partial read the first streamed line is cut by the window: not a defect of the file.
      if (partial && n === 1) continue;
      const line = partial ? undefined : n;
      if (raw.trim() === '') continue;
      info.lines++;
      const parsed = parseJson(raw);
      if (!sawFirst && !partial) checkHeader(raw);
      sawFirst = true;
      lastLineBad = !isObj(parsed.value);
      if (lastLineBad) {
        badLines++;
        firstBad ??= line;
        continue;
      }
      const ts = applyEntry(info, parsed.value as Json, line, o.maxErrorsPerTranscript);
      if (ts !== undefined && (newest === undefined || ts > newest)) newest = ts;
    }
    info.lastActivityMs = newest ?? st.mtimeMs;
    // A transcript always ends its lines with "\n"; a last line that neither parses nor ends is a cut write.
    const cut = lastLineBad && !(await endsWithNewline(file, st.size));
    if (cut) {
      badLines--;
      problem('cut-mid-line', 'the last line is cut mid-write (no newline, not valid JSON)', partial ? undefined : n);
    }
    if (badLines > 0) problem('transcript-parse', `${badLines} line(s) are not valid JSON`, firstBad);
  } catch (e) {
    problem('transcript-unreadable', errText(e));
    return { info, problems };
  }
  if (st.size > 0 && !info.hasHeader) {
    // §7: a transcript deleted mid-run is recreated without its header and discarded at the next run.
    problem('missing-header', 'the first line is not the {"type":"session",…} header; the product discards such a transcript', 1);
  }
  return { info, problems };
}

async function listTranscripts(dir: string, names: string[], max: number): Promise<{ read: { file: string; st: fs.Stats }[]; total: number; totalBytes: number }> {
  const found: { file: string; st: fs.Stats }[] = [];
  for (const name of names) {
    if (!name.endsWith('.jsonl')) continue;
    const file = path.join(dir, name);
    const st = await statOrUndefined(file);
    if (st?.isFile()) found.push({ file, st });
  }
  const totalBytes = found.reduce((n, f) => n + f.st.size, 0);
  return { read: found.sort((a, b) => b.st.mtimeMs - a.st.mtimeMs).slice(0, max), total: found.length, totalBytes };
}

async function readLocks(agentId: string, dir: string, names: string[], o: Opts): Promise<{ locks: SessionLock[]; problems: SessionProblem[] }> {
  const locks: SessionLock[] = [];
  const problems: SessionProblem[] = [];
  for (const name of names) {
    if (!name.endsWith('.lock')) continue;
    const p = path.join(dir, name);
    const st = await statOrUndefined(p); // a lock may be a file or a directory
    if (!st) continue;
    const ageMs = Math.max(0, o.now - st.mtimeMs);
    const stale = ageMs > o.staleLockMs;
    locks.push({ path: p, ageMs, stale });
    if (stale) {
      const min = Math.round(ageMs / 60000);
      problems.push({ kind: 'stale-lock', agentId, path: p, detail: `${name} is ${min} min old (stale after 30 min)` });
    }
  }
  return { locks, problems };
}

async function readAgent(agentId: string, layout: AgentSessions['layout'], agentDir: string, sessionsDir: string, o: Opts): Promise<AgentSessions> {
  const names = await fs.promises.readdir(sessionsDir).catch(() => [] as string[]);
  const store = await readStore(agentId, sessionsDir, o);
  const listed = new Set(store.entries.map((e) => e.transcriptPath).filter((p): p is string => !!p));
  const { locks, problems: lockProblems } = await readLocks(agentId, sessionsDir, names, o);
  const agent: AgentSessions = {
    agentId,
    layout,
    agentDir,
    sessionsDir,
    store: { path: path.join(sessionsDir, 'sessions.json'), exists: store.exists, entries: store.entries },
    transcripts: [],
    transcriptCount: 0,
    transcriptBytes: 0,
    locks,
    problems: [...store.problems, ...lockProblems],
  };
  const listing = await listTranscripts(sessionsDir, names, o.maxTranscripts);
  // The count is of what is on disk: the read cap is no total (issue 15: "20000 session(s), 500 transcript(s)").
  agent.transcriptCount = listing.total;
  agent.transcriptBytes = listing.totalBytes;
  if (listing.read.length < listing.total) agent.transcriptsRead = listing.read.length;
  for (const { file, st } of listing.read) {
    const t = await readTranscript(agentId, file, st, listed.has(file), o);
    agent.transcripts.push(t.info);
    agent.problems.push(...t.problems);
    if (agent.lastActivityMs === undefined || t.info.lastActivityMs > agent.lastActivityMs) agent.lastActivityMs = t.info.lastActivityMs;
  }
  return agent;
}

/**
 * Every agent's sessions under `<stateDir>/agents/<id>/sessions/`, and the legacy `<stateDir>/sessions/`.
 * Never throws: unreadable or broken files become problems.
 */
export async function readSessions(stateDir: string, opts: ReadSessionsOptions = {}): Promise<SessionsReport> {
  const o: Opts = { ...DEFAULTS, ...definedOnly(opts), now: opts.now ?? Date.now() };
  const report: SessionsReport = { stateDir, exists: await isDir(stateDir), agents: [], legacyDirs: [], problems: [] };
  if (!report.exists) return report;

  const agentsRoot = path.join(stateDir, 'agents');
  const ids = (await fs.promises.readdir(agentsRoot).catch(() => [] as string[])).sort();
  for (const id of ids) {
    const agentDir = path.join(agentsRoot, id);
    const sessionsDir = path.join(agentDir, 'sessions');
    // 2026.9 writes the agent database and leaves sessions/ empty: the database is the sessions then.
    if ((await statOrUndefined(agentDbPath(agentDir)))?.isFile()) report.agents.push(await readAgentDb(id, agentDir, { ...o, applyEntry }));
    else if (await isDir(sessionsDir)) report.agents.push(await readAgent(id, 'agents', agentDir, sessionsDir, o));
  }

  for (const legacy of ['sessions', 'agent']) {
    const p = path.join(stateDir, legacy);
    if (await isDir(p)) report.legacyDirs.push(p);
  }
  const legacySessions = path.join(stateDir, 'sessions');
  if (report.legacyDirs.includes(legacySessions)) {
    report.problems.push({
      kind: 'legacy-layout',
      agentId: 'main',
      path: legacySessions,
      detail: 'sessions in the pre-agents layout (<stateDir>/sessions/); current versions use agents/<agentId>/sessions/',
    });
    report.agents.push(await readAgent('main', 'legacy', stateDir, legacySessions, o));
  }
  for (const a of report.agents) report.problems.push(...a.problems);
  return report;
}

function definedOnly(opts: ReadSessionsOptions): Partial<typeof DEFAULTS> {
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as Partial<typeof DEFAULTS>;
}

// ---------------------------------------------------------------------------------------------
// Poisoned sessions

/** Role errors and their rewrite "Message ordering conflict" (clawdbot.md §9): the cause table's one copy. */
export function isRoleError(e: Pick<TranscriptError, 'text' | 'cause'>): boolean {
  return e.cause === 'developer-role' || isRoleErrorText(e.text);
}

export interface PoisonedSession {
  agentId: string;
  agentDir: string;
  sessionsDir: string;
  sessionId: string;
  /** The sessions.json key, when listed. */
  key?: string;
  transcriptPath: string;
  roleErrors: number;
  /** Role errors after the config was corrected. */
  afterFix: number;
  lastErrorAt?: string;
  /**
   * strong: still failing after the config fix. likely: repeated failures, fix time unknown.
   * possible: failed before the fix and not retried since (its history may still carry the bad turns).
   */
  confidence: 'strong' | 'likely' | 'possible';
  why: string;
  /** Up to 3 raw error texts, newest last. */
  samples: string[];
}

export interface PoisoningEvidence {
  sessions: PoisonedSession[];
  /** Each affected agent once: what a session reset would touch. */
  agents: { agentId: string; agentDir: string; sessionsDir: string }[];
}

/**
 * Sessions that keep failing with role / ordering errors. The product suggests `/new`, which does not help
 * while the config is wrong (§9); once it is fixed, a session that still fails is poisoned by its history.
 * A session whose last assistant turn after the errors succeeded has recovered and is not reported.
 */
export function detectPoisoning(
  sessions: SessionsReport,
  opts: { configFixedAt?: number; minRepeats?: number } = {},
): PoisoningEvidence {
  const minRepeats = opts.minRepeats ?? 2;
  const fixedAt = opts.configFixedAt;
  const out: PoisoningEvidence = { sessions: [], agents: [] };
  for (const agent of sessions.agents) {
    const keyOf = new Map(agent.store.entries.map((e) => [e.transcriptPath, e.key]));
    for (const t of agent.transcripts) {
      // 2026.9: a transcript no session key points at any more was replaced (sessions.reset, /new): its
      // history no longer reaches the model, so it cannot poison anything.
      if (agent.layout === 'sqlite' && !t.listed) continue;
      const role = t.errors.filter(isRoleError);
      if (!role.length) continue;
      const lastMs = Math.max(...role.map((e) => e.timeMs ?? 0));
      if (t.lastOkMs !== undefined && t.lastOkMs > lastMs) continue; // recovered
      const afterFix = fixedAt === undefined ? 0 : role.filter((e) => (e.timeMs ?? 0) > fixedAt).length;
      const confidence = afterFix > 0 ? 'strong' : fixedAt !== undefined ? 'possible' : role.length >= minRepeats ? 'likely' : undefined;
      if (!confidence) continue;
      out.sessions.push({
        agentId: agent.agentId,
        agentDir: agent.agentDir,
        sessionsDir: agent.sessionsDir,
        sessionId: t.sessionId,
        key: keyOf.get(t.path),
        transcriptPath: t.path,
        roleErrors: role.length,
        afterFix,
        lastErrorAt: role.at(-1)?.time,
        confidence,
        why: poisonWhy(confidence, role.length, afterFix),
        samples: role.slice(-3).map((e) => e.text),
      });
      if (!out.agents.some((a) => a.sessionsDir === agent.sessionsDir)) {
        out.agents.push({ agentId: agent.agentId, agentDir: agent.agentDir, sessionsDir: agent.sessionsDir });
      }
    }
  }
  return out;
}

function poisonWhy(confidence: PoisonedSession['confidence'], n: number, afterFix: number): string {
  if (confidence === 'strong') {
    return `${afterFix} role/ordering error(s) after the config was corrected (${n} in all): the session's history keeps failing.`;
  }
  if (confidence === 'likely') return `${n} role/ordering errors in a row and no successful reply since.`;
  return `${n} role/ordering error(s) before the config was corrected and no successful reply since: the next turn may still fail.`;
}
