// Who listens on the gateway's port, and since when. The gateway reads its config only when it starts
// (clawdbot.md §8), so its process start time is what a config change is compared with.
// Linux: /proc/net/tcp{,6} → the listening socket's inode → the process whose /proc/<pid>/fd links to it;
// its start from /proc/<pid>/stat (clock ticks since boot) and /proc/uptime. Elsewhere: `lsof` and `ps`.
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { runBounded } from './run-bounded.js';

export interface PortListener {
  port: number;
  /** Something accepts connections on 127.0.0.1 or all addresses. */
  listening: boolean;
  pid?: number;
  /** When the process started (±10 ms from /proc, ±1 s from `ps`). */
  startedAt?: Date;
  /** Its command line (argv), when readable. */
  argv?: string[];
  /** The executable (`/usr/bin/node`), from /proc/<pid>/exe. */
  exe?: string;
  uid?: number;
  /** Where the facts came from. */
  via: 'proc' | 'lsof' | 'connect';
}

/** USER_HZ: /proc times are in these ticks on every Linux architecture Node runs on. */
const CLOCK_TICKS = 100;

export async function findPortListener(port: number, opts: { timeoutMs?: number; procRoot?: string } = {}): Promise<PortListener> {
  const proc = opts.procRoot ?? '/proc';
  if (process.platform === 'linux' && (await exists(`${proc}/net/tcp`))) {
    const inodes = await listeningInodes(proc, port);
    if (inodes.size === 0) return { port, listening: false, via: 'proc' };
    const pid = await pidOwning(proc, inodes);
    if (pid === undefined) return { port, listening: true, via: 'proc' };
    return { port, listening: true, pid, ...(await procInfo(proc, pid)), via: 'proc' };
  }
  const listening = await connects(port, opts.timeoutMs ?? 1500);
  if (!listening) return { port, listening, via: 'connect' };
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin:/usr/sbin:/sbin' };
  const lsof = await runBounded('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'], { env, timeoutMs: opts.timeoutMs ?? 3000 });
  const pid = Number.parseInt(lsof.output.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return { port, listening, via: 'connect' };
  const ps = await runBounded('ps', ['-o', 'lstart=', '-o', 'command=', '-p', String(pid)], { env: { ...env, LC_ALL: 'C' }, timeoutMs: opts.timeoutMs ?? 3000 });
  return { port, listening, pid, ...parsePs(ps.output), via: 'lsof' };
}

/** `Tue Dec  1 22:45:48 2026 node /usr/lib/node_modules/openclaw/openclaw.mjs gateway` */
export function parsePs(line: string): { startedAt?: Date; argv?: string[] } {
  const m = /^\s*(\w{3}\s+\w{3}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\s+\d{4})\s+(.*)$/.exec(line.split('\n')[0] ?? '');
  if (!m) return {};
  const t = new Date(m[1]!.replace(/\s+/g, ' '));
  return { startedAt: Number.isNaN(t.getTime()) ? undefined : t, argv: m[2]!.trim().split(/\s+/) };
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

/** Inodes of sockets in state LISTEN (0A) on `port`, from /proc/net/tcp and tcp6. */
async function listeningInodes(proc: string, port: number): Promise<Set<string>> {
  const out = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['net/tcp', 'net/tcp6']) {
    const text = await fs.readFile(`${proc}/${file}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (cols.length < 10 || cols[3] !== '0A') continue;
      if (cols[1]!.split(':')[1] === hexPort && cols[9] !== '0') out.add(cols[9]!);
    }
  }
  return out;
}

/** The process holding one of the sockets (only processes we may look into: ours, or all as root). */
async function pidOwning(proc: string, inodes: Set<string>): Promise<number | undefined> {
  const wanted = new Set([...inodes].map((i) => `socket:[${i}]`));
  const pids = (await fs.readdir(proc).catch(() => [] as string[])).filter((d) => /^\d+$/.test(d));
  // All processes at once: the walk is thousands of readlinks, and waiting on each in turn is most of its cost.
  const owners = await Promise.all(
    pids.map(async (pid) => {
      const fds = await fs.readdir(`${proc}/${pid}/fd`).catch(() => [] as string[]);
      const links = await Promise.all(fds.map((fd) => fs.readlink(`${proc}/${pid}/fd/${fd}`).catch(() => '')));
      return links.some((l) => wanted.has(l)) ? Number(pid) : undefined;
    }),
  );
  return owners.find((p) => p !== undefined);
}

async function procInfo(proc: string, pid: number): Promise<Pick<PortListener, 'startedAt' | 'argv' | 'exe' | 'uid'>> {
  const [stat, uptime, cmdline, exe, status] = await Promise.all([
    fs.readFile(`${proc}/${pid}/stat`, 'utf8').catch(() => ''),
    fs.readFile(`${proc}/uptime`, 'utf8').catch(() => ''),
    fs.readFile(`${proc}/${pid}/cmdline`, 'utf8').catch(() => ''),
    fs.readlink(`${proc}/${pid}/exe`).catch(() => undefined),
    fs.readFile(`${proc}/${pid}/status`, 'utf8').catch(() => ''),
  ]);
  const argv = cmdline.split('\0').filter(Boolean);
  const uidMatch = /^Uid:\s+(\d+)/m.exec(status);
  return {
    startedAt: startTime(stat, uptime),
    argv: argv.length ? argv : undefined,
    exe,
    uid: uidMatch ? Number(uidMatch[1]) : undefined,
  };
}

/** Field 22 of /proc/<pid>/stat (after the `(comm)` that may hold spaces) against /proc/uptime. */
export function startTime(stat: string, uptime: string, now = Date.now()): Date | undefined {
  const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(after[19]);
  const up = Number.parseFloat(uptime.split(' ')[0] ?? '');
  if (!Number.isFinite(ticks) || !Number.isFinite(up)) return undefined;
  return new Date(now - up * 1000 + (ticks / CLOCK_TICKS) * 1000);
}

/** A plain TCP connect: a listener that does not speak HTTP still takes the port. */
function connects(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.on('connect', () => done(true));
    socket.on('timeout', () => done(false));
    socket.on('error', () => done(false));
  });
}

/** GET / on 127.0.0.1:port: the status and the first 4 KiB of the body, or undefined when nothing answers. */
export function httpGet(port: number, timeoutMs: number): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (b: Buffer) => {
        if (size < 4096) chunks.push(b);
        size += b.length;
        if (size >= 4096) res.destroy();
      });
      const done = (): void => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 4096) });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(undefined);
    });
    req.on('error', () => resolve(undefined));
  });
}
