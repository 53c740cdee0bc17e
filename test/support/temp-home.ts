// A throwaway home directory laid out like a V1 install (clawdbot.md §1, §7): `~/.clawdbot/clawdbot.json`,
// `agents/<agentId>/sessions/sessions.json` and N transcripts. Tests never touch the real home.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TempHomeOptions {
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
  files?: Record<string, string>;
}

export interface TempHome {
  home: string;
  stateDir: string;
  configPath: string;
  agentDir: string;
  sessionsDir: string;
  backupsDir: string;
  sessionIds: string[];
  /** HOME pointing here, plus the current PATH. */
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export async function makeTempHome(opts: TempHomeOptions = {}): Promise<TempHome> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'claw-doctor-home-'));
  const stateDir = path.join(home, opts.stateDirName ?? '.clawdbot');
  const agentDir = path.join(stateDir, 'agents', opts.agentId ?? 'main');
  const sessionsDir = path.join(agentDir, 'sessions');
  const configPath = path.join(stateDir, opts.configName ?? 'clawdbot.json');
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });

  if (opts.config !== undefined) {
    await fs.writeFile(configPath, opts.config, { mode: opts.configMode ?? 0o600 });
    await fs.chmod(configPath, opts.configMode ?? 0o600);
  }
  const sessionIds = opts.sessions ? await writeSessions(sessionsDir, opts.agentId ?? 'main', opts.sessions) : [];
  for (const [rel, content] of Object.entries(opts.files ?? {})) {
    const full = path.join(home, rel);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, content);
  }
  return {
    home,
    stateDir,
    configPath,
    agentDir,
    sessionsDir,
    backupsDir: path.join(stateDir, 'backups'),
    sessionIds,
    env: { HOME: home, USERPROFILE: home, PATH: process.env.PATH ?? '' },
    cleanup: () => fs.rm(home, { recursive: true, force: true }),
  };
}

/** Writes `count` transcripts shaped like the product's (version 3 header, then messages). */
export async function writeSessions(sessionsDir: string, agentId: string, count: number): Promise<string[]> {
  await fs.mkdir(sessionsDir, { recursive: true, mode: 0o700 });
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
    await fs.writeFile(path.join(sessionsDir, `${id}.jsonl`), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n${padding}\n`, { mode: 0o600 });
    store[i === 0 ? `agent:${agentId}:main` : `agent:${agentId}:s${i}`] = { sessionId: id, updatedAt: Date.UTC(2026, 10, 23) + i };
  }
  await fs.writeFile(path.join(sessionsDir, 'sessions.json'), `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
  return ids;
}
