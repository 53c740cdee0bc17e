// Generates OpenClaw 2026.9-shaped SQLite stores for the tests and the bench: the tables and columns the
// product writes (test/fixtures/openclaw-2026.9.6/*/home/.openclaw/agents/main/agent/openclaw-agent.sqlite and
// state/openclaw.sqlite), reduced to the columns claw-doctor reads. Needs node:sqlite (Node 22.13+).
import fs from 'node:fs';
import path from 'node:path';

const AGENT_SCHEMA = `
CREATE TABLE schema_meta (meta_key TEXT NOT NULL PRIMARY KEY, role TEXT NOT NULL, schema_version INTEGER NOT NULL,
  agent_id TEXT, app_version TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL) STRICT;
CREATE TABLE session_nodes (session_key TEXT NOT NULL PRIMARY KEY, current_session_id TEXT NOT NULL,
  entry_json TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT;
CREATE TABLE session_windows (session_id TEXT NOT NULL PRIMARY KEY, session_key TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, transcript_updated_at INTEGER DEFAULT NULL,
  model_provider TEXT, model TEXT) STRICT;
CREATE TABLE transcript_events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT,
  created_at INTEGER NOT NULL, event_zstd BLOB, event_utf8_bytes INTEGER, navigation_json TEXT,
  PRIMARY KEY (session_id, seq)) STRICT;
`;

async function sqlite() {
  return import('node:sqlite');
}

/** A session id shaped like the product's (uuid v4 text). */
export function sessionIdOf(i) {
  const h = i.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${h}`;
}

/**
 * An agent database. `sessions` sessions of `events` events each (`pad` bytes of text per assistant
 * message); `errors` maps a session index to the raw `errorMessage` of its last assistant event.
 * `journal: 'wal'` leaves the file in WAL mode. Returns the file path.
 */
export async function createAgentDb(file, opts = {}) {
  const { sessions = 1, events = 6, pad = 200, errors = {}, schemaVersion = 23, journal = 'delete', start = Date.now() - 3600_000, thinkingLevel } = opts;
  const { DatabaseSync } = await sqlite();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA journal_mode = ${journal === 'wal' ? 'WAL' : 'DELETE'}`);
  db.exec(AGENT_SCHEMA);
  db.prepare("INSERT INTO schema_meta VALUES ('primary', 'agent', ?, 'main', '2026.9.6', ?, ?)").run(schemaVersion, start, start);
  const node = db.prepare('INSERT INTO session_nodes VALUES (?, ?, ?, ?)');
  const win = db.prepare("INSERT INTO session_windows VALUES (?, ?, ?, ?, ?, 'kimi', 'kimi-for-coding')");
  const ev = db.prepare('INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES (?, ?, ?, ?)');
  const text = 'x'.repeat(pad);
  db.exec('BEGIN');
  for (let i = 0; i < sessions; i++) {
    const id = sessionIdOf(i);
    const t0 = start + i * 1000;
    const key = i === 0 ? 'agent:main:main' : `agent:main:chat-${i}`;
    const entry = { sessionId: id, updatedAt: t0 + events, ...(thinkingLevel && i === 0 ? { thinkingLevel } : {}) };
    node.run(key, id, JSON.stringify(entry), t0 + events);
    win.run(id, key, t0, t0 + events, t0 + events);
    const at = (s) => new Date(t0 + s).toISOString();
    ev.run(id, 0, JSON.stringify({ type: 'session', version: 4, id, timestamp: at(0), cwd: '/home/user/.openclaw/workspace' }), t0);
    ev.run(id, 1, JSON.stringify({ type: 'model_change', provider: 'kimi', modelId: 'kimi-for-coding', timestamp: at(1) }), t0 + 1);
    for (let s = 2; s < events; s++) {
      const last = s === events - 1;
      const error = last ? errors[i] : undefined;
      const message = s % 2 === 0
        ? { role: 'user', content: 'What is 47 * 83?', timestamp: t0 + s }
        : error !== undefined
          ? { role: 'assistant', content: [], api: 'anthropic-messages', provider: 'kimi', model: 'kimi-for-coding', stopReason: 'error', timestamp: t0 + s, errorMessage: error, errorCode: error.slice(0, 3) }
          : { role: 'assistant', content: [{ type: 'text', text }], api: 'anthropic-messages', provider: 'kimi', model: 'kimi-for-coding', stopReason: 'stop', timestamp: t0 + s };
      ev.run(id, s, JSON.stringify({ type: 'message', id: `${id}-${s}`, timestamp: at(s), message }), t0 + s);
    }
  }
  db.exec('COMMIT');
  db.close();
  return file;
}

/** A state database with the auth profile store (and its cooldown state) the way onboarding writes it. */
export async function createStateDb(file, { profiles = {}, usage } = {}) {
  const { DatabaseSync } = await sqlite();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec('CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT');
  const put = db.prepare('INSERT INTO config_machine_state VALUES (?, ?, ?)');
  put.run('auth.sharedStore', JSON.stringify({ location: 'state-db' }), Date.now());
  put.run('authProfiles.store', JSON.stringify({ version: 1, profiles }), Date.now());
  if (usage) put.run('authProfiles.state', JSON.stringify({ version: 1, usageStats: usage }), Date.now());
  db.close();
  return file;
}
