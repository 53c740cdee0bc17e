// OpenClaw 2026.9 keeps sessions and transcripts in SQLite: `agents/<id>/agent/openclaw-agent.sqlite`
// (the fixture README; `agents/<id>/sessions/` stays empty). Tables used here, as the product writes them:
// - `session_nodes`: one row per session key (`agent:main:main`), `current_session_id`, and `entry_json`,
//   the same entry sessions.json held before (thinkingLevel, modelOverride, providerOverride, model, …).
// - `session_windows`: one row per transcript (session id), with `updated_at` / `transcript_updated_at`.
// - `transcript_events`: the transcript, one event per row (`session_id`, `seq`), the JSONL line in
//   `event_json` (or zstd-compressed in `event_zstd`); seq 0 is the `{"type":"session","version":4}` header;
//   a failed call is an assistant message with `stopReason: "error"`, `errorMessage: "403: {…raw body…}"`,
//   `errorCode`, `errorBody`.
// Only what the checks need is queried, newest sessions first and each session's newest events through the
// primary key, so a 200 MB database costs about what its newest sessions hold (bench/sessions-v3.mjs).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { hasTable, columnsOf, withReadOnlyDb, type SqliteDb } from './sqlite.js';
import type { applyEntry, AgentSessions, SessionEntry, SessionProblem, SessionProblemKind, TranscriptInfo } from './sessions.js';
import { isRecord as isObj, nonEmptyStr as str } from '../util/json.js';

/** The agent schema this doctor was written against (`schema_meta.schema_version` of openclaw 2026.9.6). */
export const KNOWN_AGENT_SCHEMA = 23;

export const AGENT_DB_NAME = 'openclaw-agent.sqlite';

export function agentDbPath(agentDir: string): string {
  return path.join(agentDir, 'agent', AGENT_DB_NAME);
}

export interface ReadAgentDbOptions {
  maxTranscripts: number;
  maxErrorsPerTranscript: number;
  /** Newest events read per session. */
  maxEventsPerSession: number;
  /**
   * sessions.ts's reader of one transcript event, passed in rather than imported: sessions.ts imports this
   * module, and an import back would be a cycle (npm run check:imports).
   */
  applyEntry: typeof applyEntry;
}

type Row = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The marker of a transcript session's synthetic path: `<db>#<sessionId>`, shown as is in evidence. */
export function transcriptRef(db: string, sessionId: string): string {
  return `${db}#${sessionId}`;
}

const INTERESTING = ['"stopReason":"error"', '"type":"model_change"', '"type":"thinking_level_change"'];
const zstd = (zlib as { zstdDecompressSync?: (b: Uint8Array) => Buffer }).zstdDecompressSync;

function entryJsonField(name: string): string {
  // json_extract fails the whole query on one malformed entry: guard each row.
  return `CASE WHEN json_valid(entry_json) THEN json_extract(entry_json, '$.${name}') END AS ${name}`;
}

interface DbRead {
  schemaVersion?: number;
  appVersion?: string;
  entries: SessionEntry[];
  transcripts: TranscriptInfo[];
  transcriptCount: number;
  compressedSkipped: number;
  missingTables: string[];
}

function readEntries(db: SqliteDb, file: string): SessionEntry[] {
  const fields = ['thinkingLevel', 'modelOverride', 'providerOverride', 'model', 'modelProvider'].map(entryJsonField).join(', ');
  const rows = db.prepare(`SELECT session_key, current_session_id, updated_at, ${fields} FROM session_nodes`).all();
  return rows.filter(isObj).map((r) => {
    const sessionId = str(r.current_session_id);
    return {
      key: String(r.session_key),
      sessionId,
      updatedAt: num(r.updated_at),
      thinkingLevel: str(r.thinkingLevel),
      modelOverride: str(r.modelOverride),
      providerOverride: str(r.providerOverride),
      model: str(r.model),
      modelProvider: str(r.modelProvider),
      transcriptPath: sessionId ? transcriptRef(file, sessionId) : undefined,
      transcriptExists: false, // set once the transcripts are known
    };
  });
}

/** Newest sessions first: from session_windows when present, else the transcript rows themselves. */
function listSessions(db: SqliteDb, max: number): { ids: { id: string; updatedAt?: number }[]; total: number } {
  if (hasTable(db, 'session_windows')) {
    const cols = columnsOf(db, 'session_windows');
    const when = cols.has('transcript_updated_at') ? 'coalesce(transcript_updated_at, updated_at)' : 'updated_at';
    const rows = db.prepare(`SELECT session_id, ${when} AS t FROM session_windows ORDER BY t DESC LIMIT ?`).all(max);
    const total = num((db.prepare('SELECT count(*) AS n FROM session_windows').get() as Row | undefined)?.n) ?? rows.length;
    return { ids: rows.filter(isObj).map((r) => ({ id: String(r.session_id), updatedAt: num(r.t) })), total };
  }
  const rows = db.prepare('SELECT DISTINCT session_id FROM transcript_events LIMIT ?').all(max);
  return { ids: rows.filter(isObj).map((r) => ({ id: String(r.session_id) })), total: rows.length };
}

const FILTER = INTERESTING.map((m) => `instr(event_json, '${m}') > 0`).join(' OR ');
/** A session's newest events; the text only of those worth parsing (header, errors, model and level changes). */
const EVENTS_SQL = `SELECT seq, created_at,
        CASE WHEN seq = 0 OR ${FILTER} THEN event_json END AS ev,
        CASE WHEN event_json IS NULL THEN event_zstd END AS zev,
        instr(event_json, '"role":"assistant"') > 0 AS assistant
   FROM transcript_events WHERE session_id = ? ORDER BY seq DESC LIMIT ?`;

interface Statements {
  events: ReturnType<SqliteDb['prepare']>;
  header: ReturnType<SqliteDb['prepare']>;
}

function readTranscript(st: Statements, file: string, id: string, listed: boolean, o: ReadAgentDbOptions, counts: { compressedSkipped: number }): TranscriptInfo {
  const info: TranscriptInfo = {
    path: transcriptRef(file, id),
    sessionId: id,
    bytes: 0, // not measured: it would mean reading every event's text; the database's size is the agent's
    mtimeMs: 0,
    hasHeader: false,
    lines: 0,
    lastActivityMs: 0,
    errors: [],
    errorCount: 0,
    partial: false,
    listed,
  };
  const rows = st.events.all(id, o.maxEventsPerSession + 1).filter(isObj);
  if (rows.length > o.maxEventsPerSession) {
    info.partial = true;
    rows.length = o.maxEventsPerSession;
  }
  let sawHeader = false;
  for (const r of rows.reverse()) {
    const seq = num(r.seq) ?? 0;
    const at = num(r.created_at);
    info.lines++;
    if (at !== undefined && at > info.lastActivityMs) info.lastActivityMs = at;
    let text = str(r.ev);
    if (text === undefined && r.zev instanceof Uint8Array) {
      if (!zstd) {
        counts.compressedSkipped++;
        continue;
      }
      const t = zstd(r.zev).toString('utf8');
      text = seq === 0 || INTERESTING.some((m) => t.includes(m)) ? t : undefined;
      if (text === undefined && t.includes('"role":"assistant"') && at !== undefined && (info.lastOkMs ?? 0) < at) info.lastOkMs = at;
    }
    if (text === undefined) {
      // An assistant event that is not an error: the session answered at that time.
      if (r.assistant === 1 && at !== undefined && (info.lastOkMs ?? 0) < at) info.lastOkMs = at;
      continue;
    }
    const e = parse(text);
    if (!isObj(e)) continue;
    if (seq === 0) {
      sawHeader = true;
      info.hasHeader = e.type === 'session';
      info.headerVersion = num(e.version);
      continue;
    }
    o.applyEntry(info, e, undefined, o.maxErrorsPerTranscript);
  }
  if (!sawHeader && info.partial) {
    const h = st.header.get(id);
    const e = isObj(h) && typeof h.event_json === 'string' ? parse(h.event_json) : undefined;
    info.hasHeader = isObj(e) && e.type === 'session';
    if (isObj(e)) info.headerVersion = num(e.version);
  } else if (!sawHeader) {
    info.hasHeader = false;
  }
  info.mtimeMs = info.lastActivityMs;
  return info;
}

function readDb(db: SqliteDb, file: string, o: ReadAgentDbOptions): DbRead {
  const out: DbRead = { entries: [], transcripts: [], transcriptCount: 0, compressedSkipped: 0, missingTables: [] };
  if (hasTable(db, 'schema_meta')) {
    const meta = db.prepare("SELECT schema_version, app_version FROM schema_meta WHERE meta_key = 'primary'").get();
    if (isObj(meta)) {
      out.schemaVersion = num(meta.schema_version);
      out.appVersion = str(meta.app_version);
    }
  }
  out.missingTables = ['session_nodes', 'transcript_events'].filter((t) => !hasTable(db, t));
  if (out.missingTables.length) return out;
  out.entries = readEntries(db, file);
  const listed = new Set(out.entries.map((e) => e.sessionId));
  const { ids, total } = listSessions(db, o.maxTranscripts);
  out.transcriptCount = total;
  const st: Statements = {
    events: db.prepare(EVENTS_SQL),
    header: db.prepare('SELECT event_json FROM transcript_events WHERE session_id = ? AND seq = 0'),
  };
  for (const { id, updatedAt } of ids) {
    const t = readTranscript(st, file, id, listed.has(id), o, out);
    if (!t.lines) continue; // a window whose transcript has no event yet
    if (updatedAt !== undefined && updatedAt > t.lastActivityMs) t.lastActivityMs = updatedAt;
    out.transcripts.push(t);
  }
  const have = new Set(out.transcripts.map((t) => t.sessionId));
  for (const e of out.entries) e.transcriptExists = !!e.sessionId && have.has(e.sessionId);
  return out;
}

const PROBLEM_OF: Record<string, SessionProblemKind> = {
  'node-too-old': 'database-needs-newer-node',
  busy: 'database-busy',
  corrupt: 'database-unreadable',
  unreadable: 'database-unreadable',
  missing: 'database-unreadable',
};

/**
 * One agent's sessions from its 2026.9 database, in the shape the JSONL reader gives (so every sessions
 * check reads both). Never throws: a locked, corrupt or newer-schema database, or a Node without
 * node:sqlite, is a problem on the agent.
 */
export async function readAgentDb(agentId: string, agentDir: string, o: ReadAgentDbOptions): Promise<AgentSessions> {
  const file = agentDbPath(agentDir);
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  const agent: AgentSessions = {
    agentId,
    layout: 'sqlite',
    agentDir,
    sessionsDir: path.join(agentDir, 'sessions'),
    database: file,
    store: { path: file, exists: true, entries: [] },
    transcripts: [],
    transcriptCount: 0,
    transcriptBytes: size,
    locks: [],
    problems: [],
  };
  const problem = (kind: SessionProblemKind, detail: string) => agent.problems.push({ kind, agentId, path: file, detail } satisfies SessionProblem);
  const r = await withReadOnlyDb(file, (db) => readDb(db, file, o));
  if (!r.ok) {
    problem(PROBLEM_OF[r.problem.kind] ?? 'database-unreadable', r.problem.detail);
    return agent;
  }
  const v = r.value;
  if (v.schemaVersion !== undefined && v.schemaVersion > KNOWN_AGENT_SCHEMA) {
    problem(
      'database-newer-schema',
      `schema version ${v.schemaVersion}${v.appVersion ? ` (written by openclaw ${v.appVersion})` : ''}; this claw-doctor knows up to ${KNOWN_AGENT_SCHEMA}: what it reads may be incomplete`,
    );
  }
  if (v.missingTables.length) {
    problem(v.schemaVersion !== undefined && v.schemaVersion > KNOWN_AGENT_SCHEMA ? 'database-newer-schema' : 'database-unreadable', `no table ${v.missingTables.join(', ')}: sessions not read`);
  }
  if (v.compressedSkipped) {
    problem('database-needs-newer-node', `${v.compressedSkipped} compressed transcript event(s) not read: zstd needs Node 22.15 or newer`);
  }
  agent.store.entries = v.entries;
  agent.transcripts = v.transcripts;
  agent.transcriptCount = v.transcriptCount;
  for (const t of v.transcripts) {
    if (agent.lastActivityMs === undefined || t.lastActivityMs > agent.lastActivityMs) agent.lastActivityMs = t.lastActivityMs;
    if (!t.hasHeader) {
      agent.problems.push({ kind: 'missing-header', agentId, path: t.path, sessionId: t.sessionId, detail: 'event 0 is not the {"type":"session",…} header' });
    }
  }
  return agent;
}
