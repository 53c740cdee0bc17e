// The one temp-home builder every test uses: a throwaway HOME laid out like a V1 install (clawdbot.md §1, §7):
// `~/.clawdbot/clawdbot.json`, `agents/<agentId>/sessions/sessions.json` and N transcripts. Synchronous, so a
// table row can build its home in one expression; `await` on its results is harmless. Tests never touch the
// real home.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempHomeOptions {
  /** Prefix of the temp dir's name (helps when a test leaves one behind). */
  prefix?: string;
  /** Text of the config file; no config file when undefined. */
  config?: string;
  /** Default `clawdbot.json`. */
  configName?: string;
  /** Default 0600, as the product writes it. */
  configMode?: number;
  /** Default `.clawdbot`. */
  stateDirName?: string;
  /** Default `main`. */
  agentId?: string;
  /** Number of session transcripts (and entries in sessions.json). Default 0: no sessions dir. */
  sessions?: number;
  /** Extra files, path relative to the home → content. */
  files?: Record<string, string | Buffer>;
}

export interface TempHome {
  home: string;
  /** `~/.clawdbot`; it exists only once something is written into it (a missing state dir is a case too). */
  stateDir: string;
  configPath: string;
  agentDir: string;
  sessionsDir: string;
  backupsDir: string;
  sessionIds: string[];
  /** HOME pointing here, plus the current PATH. */
  env: NodeJS.ProcessEnv;
  /** Writes a file (path relative to the home), creating its directories; returns the full path. */
  write(rel: string, data: string | Buffer): string;
  /** Writes a config file in the state dir (default `clawdbot.json`, mode 0600); returns the full path. */
  writeConfig(text: string, name?: string): string;
  cleanup(): void;
}

export function makeTempHome(opts: TempHomeOptions = {}): TempHome {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), opts.prefix ?? 'claw-doctor-home-'));
  const stateDir = path.join(home, opts.stateDirName ?? '.clawdbot');
  const agentDir = path.join(stateDir, 'agents', opts.agentId ?? 'main');
  const sessionsDir = path.join(agentDir, 'sessions');
  const configMode = opts.configMode ?? 0o600;
  const write = (rel: string, data: string | Buffer): string => {
    const full = path.join(home, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true, mode: 0o700 });
    fs.writeFileSync(full, data);
    return full;
  };
  const writeConfig = (text: string, name = opts.configName ?? 'clawdbot.json'): string => {
    const full = write(path.join(path.relative(home, stateDir), name), text);
    fs.chmodSync(full, configMode);
    return full;
  };

  if (opts.config !== undefined) writeConfig(opts.config);
  const sessionIds = opts.sessions ? writeSessions(sessionsDir, opts.agentId ?? 'main', opts.sessions) : [];
  for (const [rel, content] of Object.entries(opts.files ?? {})) write(rel, content);
  return {
    home,
    stateDir,
    configPath: path.join(stateDir, opts.configName ?? 'clawdbot.json'),
    agentDir,
    sessionsDir,
    backupsDir: path.join(stateDir, 'backups'),
    sessionIds,
    env: { HOME: home, USERPROFILE: home, PATH: process.env.PATH ?? '' },
    write,
    writeConfig,
    cleanup: () => fs.rmSync(home, { recursive: true, force: true }),
  };
}

/** Writes `count` transcripts shaped like the product's (version 3 header, then messages). */
export function writeSessions(sessionsDir: string, agentId: string, count: number): string[] {
  fs.mkdirSync(sessionsDir, { recursive: true, mode: 0o700 });
  const ids: string[] = [];
  const store: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    ids.push(id);
    const t = new Date(Date.UTC(2026, 10, 23, 21, 48, i)).toISOString();
    const lines = [
      { type: 'session', version: 3, id, timestamp: t, cwd: '/home/user/clawd' },
      { type: 'message', id: `u${i}`, parentId: null, timestamp: t, message: { role: 'user', content: [{ type: 'text', text: `question ${i}` }] } },
      {
        type: 'message',
        id: `a${i}`,
        parentId: `u${i}`,
        timestamp: t,
        message: { role: 'assistant', content: [], stopReason: 'error', errorMessage: "400 Invalid request: role 'developer' is not allowed" },
      },
    ];
    // Transcripts of different sizes, one larger than a tar block, so size checks mean something.
    const padding = 'x'.repeat(i * 700);
    fs.writeFileSync(path.join(sessionsDir, `${id}.jsonl`), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n${padding}\n`, { mode: 0o600 });
    store[i === 0 ? `agent:${agentId}:main` : `agent:${agentId}:s${i}`] = { sessionId: id, updatedAt: Date.UTC(2026, 10, 23) + i };
  }
  fs.writeFileSync(path.join(sessionsDir, 'sessions.json'), `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
  return ids;
}
