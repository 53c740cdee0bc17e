// The gateway's service as installed on disk, and what the machine can run services with.
// Unit names by generation (clawdbot.md §8): V1 systemd `clawdbot-gateway` / launchd `com.clawdbot.gateway`,
// V2 `moltbot-gateway` / `bot.molt.gateway`, V3 `openclaw-gateway` / `ai.openclaw.gateway`; with a profile
// the product's docs name `openclaw-gateway-<profile>.service`. The product writes its install into the
// unit: the command it runs (node + the product's entry script) and `*_SERVICE_VERSION=<version>`.
import fs from 'node:fs/promises';
import path from 'node:path';

export type ServiceManager = 'systemd' | 'launchd';

export interface ServiceFile {
  manager: ServiceManager;
  /** The unit file or plist. */
  file: string;
  /** `openclaw-gateway` (systemd) or `ai.openclaw.gateway` (launchd). */
  name: string;
  /** The command the service runs (ExecStart / ProgramArguments). */
  argv: string[];
  env: Record<string, string>;
  /** `User=` of a system unit: the user the gateway runs as, when it is not us. */
  user?: string;
  /** `OPENCLAW_SERVICE_VERSION` (or the CLAWDBOT_/MOLTBOT_ one): the version that installed it. */
  version?: string;
  /** The port on its command line (`--port N`) or in its environment. */
  port?: number;
}

const SYSTEMD_NAMES = ['openclaw-gateway', 'moltbot-gateway', 'clawdbot-gateway'];
const LAUNCHD_NAMES = ['ai.openclaw.gateway', 'bot.molt.gateway', 'com.clawdbot.gateway'];

/** The first installed gateway service under `home`, newest product first. */
export async function findServiceFile(home: string, profile?: string): Promise<ServiceFile | undefined> {
  const unitDir = path.join(home, '.config', 'systemd', 'user');
  for (const base of SYSTEMD_NAMES) {
    const name = profile ? `${base}-${profile}` : base;
    const file = path.join(unitDir, `${name}.service`);
    const text = await readSmall(file);
    if (text !== undefined) return { manager: 'systemd', file, name, ...parseSystemdUnit(text) };
  }
  const agents = path.join(home, 'Library', 'LaunchAgents');
  for (const base of LAUNCHD_NAMES) {
    const name = profile ? `${base}.${profile}` : base;
    const file = path.join(agents, `${name}.plist`);
    const text = await readSmall(file);
    if (text !== undefined) return { manager: 'launchd', file, name, ...parseLaunchdPlist(text) };
  }
  return undefined;
}

async function readSmall(file: string): Promise<string | undefined> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile() || st.size > 256 * 1024) return undefined;
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

type Parsed = Pick<ServiceFile, 'argv' | 'env' | 'user' | 'version' | 'port'>;

export function parseSystemdUnit(text: string): Parsed {
  const env: Record<string, string> = {};
  let argv: string[] = [];
  let user: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const m = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'ExecStart') argv = splitWords(value.replace(/^[-@:+!]+/, ''));
    else if (key === 'User') user = value.trim() || undefined;
    else if (key === 'Environment') {
      for (const pair of splitWords(value)) {
        const eq = pair.indexOf('=');
        if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
    }
  }
  return finish(argv, env, user);
}

export function parseLaunchdPlist(text: string): Parsed {
  const unxml = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const strings = (block: string): string[] => [...block.matchAll(/<string>([\s\S]*?)<\/string>/g)].map((m) => unxml(m[1]!));
  const args = /<key>ProgramArguments<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(text);
  const envBlock = /<key>EnvironmentVariables<\/key>\s*<dict>([\s\S]*?)<\/dict>/.exec(text);
  const env: Record<string, string> = {};
  if (envBlock) {
    for (const m of envBlock[1]!.matchAll(/<key>([\s\S]*?)<\/key>\s*<string>([\s\S]*?)<\/string>/g)) env[unxml(m[1]!)] = unxml(m[2]!);
  }
  const user = /<key>UserName<\/key>\s*<string>([\s\S]*?)<\/string>/.exec(text)?.[1];
  return finish(args ? strings(args[1]!) : [], env, user);
}

function finish(argv: string[], env: Record<string, string>, user: string | undefined): Parsed {
  const version = env.OPENCLAW_SERVICE_VERSION ?? env.MOLTBOT_SERVICE_VERSION ?? env.CLAWDBOT_SERVICE_VERSION;
  return { argv, env, user, version, port: portFromArgv(argv) ?? portFromEnv(env) };
}

/** `--port 18789` or `--port=18789` on a command line. */
function portFromArgv(argv: string[]): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = a === '--port' ? argv[i + 1] : a.startsWith('--port=') ? a.slice(7) : undefined;
    const n = v === undefined ? NaN : Number(v);
    if (Number.isInteger(n) && n > 0 && n < 65536) return n;
  }
  return undefined;
}

function portFromEnv(env: Record<string, string>): number | undefined {
  const n = Number(env.OPENCLAW_GATEWAY_PORT ?? env.CLAWDBOT_GATEWAY_PORT);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

/** systemd-style word splitting: whitespace, with "double" and 'single' quotes. */
function splitWords(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!));
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The machine

export interface ServiceHost {
  /** Inside Docker/Podman (/.dockerenv, /run/.containerenv, `container=` in the environment). */
  container: boolean;
  /** systemd runs as PID 1 (/run/systemd/system exists): `systemctl --user` can work. */
  systemd: boolean;
  platform: NodeJS.Platform;
}

export async function serviceHost(env: NodeJS.ProcessEnv, root = '/'): Promise<ServiceHost> {
  const has = (p: string): Promise<boolean> =>
    fs.access(path.join(root, p)).then(
      () => true,
      () => false,
    );
  const [dockerenv, containerenv, systemd] = await Promise.all([has('.dockerenv'), has('run/.containerenv'), has('run/systemd/system')]);
  return { container: dockerenv || containerenv || !!env.container, systemd, platform: process.platform };
}
