// Builders for log and session tests: temp dirs, copies of the real V1 fixture, tslog-shaped lines and
// transcripts. Nothing here touches /tmp/clawdbot or the user's home: every test gets its own temp dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Real files written by clawdbot 2026.1.24-3 (read-only). */
export const V1_FIXTURE = path.resolve(ROOT, 'test/fixtures/clawdbot-2026.1.24-3');
export const V1_LOG = path.join(V1_FIXTURE, 'log/clawdbot-2026-11-23.log');
export const V1_STATE = path.join(V1_FIXTURE, 'state');
export const V1_MAIN_SESSION = '7026c59e-0c59-404a-a2e7-99e7ef88bf4d';
export const V1_PROBE_SESSION = 'probe-kimi-code-b84ac91f-b33f-49f9-8d8d-24990bbb4150';

const made: string[] = [];

/** A fresh temp dir, removed by `cleanupTemp()`. */
export function tempDir(prefix = 'claw-doctor-logs-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

export function cleanupTemp(): void {
  while (made.length) {
    const d = made.pop();
    if (d) fs.rmSync(d, { recursive: true, force: true });
  }
}

export function write(file: string, data: string | Buffer): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return file;
}

/** Copy a read-only fixture tree into `dest`, leaving the copies writable. */
export function copyTree(src: string, dest: string): string {
  fs.cpSync(src, dest, { recursive: true });
  chmodWritable(dest);
  return dest;
}

function chmodWritable(p: string): void {
  const st = fs.statSync(p);
  fs.chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
  if (st.isDirectory()) for (const e of fs.readdirSync(p)) chmodWritable(path.join(p, e));
}

/** The local date the product puts in its log file name (clawdbot.md §6). */
export function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function setMtime(file: string, ms: number): void {
  const t = new Date(ms);
  fs.utimesSync(file, t, t);
}

const LEVEL_IDS: Record<string, number> = { SILLY: 0, TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };

/** One tslog JSON line as the product writes it; `subsystem` puts the `{"subsystem":…}` part in "0". */
export function tslogLine(message: string, o: { level?: string; time?: string; subsystem?: string } = {}): string {
  const level = o.level ?? 'INFO';
  const time = o.time ?? '2026-11-23T21:48:25.247Z';
  const name = o.subsystem ? JSON.stringify({ subsystem: o.subsystem }) : 'clawdbot';
  const parts: Record<string, string> = o.subsystem ? { '0': name, '1': message } : { '0': message };
  return JSON.stringify({
    ...parts,
    _meta: { runtime: 'node', name, date: time, logLevelId: LEVEL_IDS[level] ?? 3, logLevelName: level },
    time,
  });
}

export function runStartLine(o: {
  time?: string;
  runId?: string;
  sessionId?: string;
  provider?: string;
  model?: string;
  thinking?: string;
}): string {
  const msg =
    `embedded run start: runId=${o.runId ?? 'run-1'} sessionId=${o.sessionId ?? 'sess-1'} ` +
    `provider=${o.provider ?? 'kimi-code'} model=${o.model ?? 'kimi-for-coding'} thinking=${o.thinking ?? 'low'} ` +
    'messageChannel=unknown';
  return tslogLine(msg, { level: 'DEBUG', time: o.time, subsystem: 'agent/embedded' });
}

// ---- transcripts (clawdbot.md §7) ----

export function sessionHeader(id: string, timestamp = '2026-11-23T21:48:19.867Z'): string {
  return JSON.stringify({ type: 'session', version: 3, id, timestamp, cwd: '/home/user/clawd' });
}

export function userMessage(text: string, timestamp: string): string {
  return JSON.stringify({
    type: 'message',
    timestamp,
    message: { role: 'user', content: [{ type: 'text', text }], timestamp: Date.parse(timestamp) },
  });
}

export function assistantOk(timestamp: string, text = 'ok'): string {
  return JSON.stringify({
    type: 'message',
    timestamp,
    message: {
      role: 'assistant',
      content: [{ type: 'text', text }],
      provider: 'kimi-code',
      model: 'kimi-for-coding',
      stopReason: 'stop',
      timestamp: Date.parse(timestamp),
    },
  });
}

export function assistantError(timestamp: string, errorMessage: string): string {
  return JSON.stringify({
    type: 'message',
    timestamp,
    message: {
      role: 'assistant',
      content: [],
      api: 'openai-completions',
      provider: 'kimi-code',
      model: 'kimi-for-coding',
      stopReason: 'error',
      timestamp: Date.parse(timestamp),
      errorMessage,
    },
  });
}

export function lines(...ls: string[]): string {
  return ls.join('\n') + '\n';
}
