// Shared by the safety tests: a home with a config repair and sessions (links included), the doctor run as a
// real process (its signal seen), and a fingerprint of what a user would call "my data".
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CLI, fixtureConfig } from '../support/doctor.js';
import { makeFakeGateway, type FakeGateway, type FakeGatewayBehaviour } from '../support/fake-gateway.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

export const NO_UA = fixtureConfig('config-no-user-agent.json5');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function doctor(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { env, cwd: env.HOME, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (_err, stdout, stderr) => {
      resolve({ code: child.exitCode, signal: child.signalCode, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export interface SafetyHome {
  th: TempHome;
  gw: FakeGateway;
  env: NodeJS.ProcessEnv;
  /** Outside the sessions dir: what the links point at. */
  outside: string;
  cleanup(): Promise<void>;
}

/**
 * A V1 home whose config lacks the User-Agent (one config repair) and whose sessions dir holds 3
 * transcripts, sessions.json, a link with an absolute target, a relative link and a linked directory.
 */
export async function safetyHome(behaviour: Partial<FakeGatewayBehaviour> = {}, sessions = 3): Promise<SafetyHome> {
  const th = await makeTempHome({ config: NO_UA, sessions });
  const gw = await makeFakeGateway({ behaviour });
  const outside = path.join(th.home, 'elsewhere');
  await fs.mkdir(path.join(outside, 'dir'), { recursive: true });
  await fs.writeFile(path.join(outside, 'notes.jsonl'), '{"kept":"outside"}\n');
  await fs.writeFile(path.join(outside, 'dir', 'inner.jsonl'), '{"inner":true}\n');
  await fs.symlink(path.join(outside, 'notes.jsonl'), path.join(th.sessionsDir, 'abs-link.jsonl'));
  await fs.symlink(`${th.sessionIds[0]}.jsonl`, path.join(th.sessionsDir, 'rel-link.jsonl'));
  await fs.symlink(path.join(outside, 'dir'), path.join(th.sessionsDir, 'linked-dir'));
  const env = { HOME: th.home, USER: 'tester', PATH: [gw.binDir, path.dirname(process.execPath)].join(path.delimiter), CLAWDBOT_GATEWAY_PORT: String(gw.port) };
  return { th, gw, env, outside, cleanup: async () => (await gw.cleanup(), await th.cleanup()) };
}

/** Every file, directory and link under `dir`: content hash, or link target. */
export async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const full = path.join(dir, r);
      if (e.isSymbolicLink()) out[r] = `link → ${await fs.readlink(full)}`;
      else if (e.isDirectory()) await walk(r);
      else out[r] = createHash('sha256').update(await fs.readFile(full)).digest('hex');
    }
  };
  await walk('');
  return out;
}

/** The user's data: the config's bytes, the sessions dir, and what its links point at. */
export async function userData(h: SafetyHome): Promise<Record<string, string>> {
  const config = createHash('sha256').update(await fs.readFile(h.th.configPath)).digest('hex');
  return { config, ...prefixed('sessions/', await tree(h.th.sessionsDir)), ...prefixed('outside/', await tree(h.outside)) };
}

function prefixed(p: string, o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [p + k, v]));
}
