// Running another program with a hard time limit that really holds. A product CLI started through npx is
// a tree (npx → node → the CLI), and a grandchild that keeps stdout open keeps a plain `child.kill()` +
// "wait for the streams to end" waiting forever. So the child leads its own process group, a time-out
// kills the whole group, and the answer is returned at once without waiting for the pipes to drain.
import { spawn } from 'node:child_process';

export interface BoundedRun {
  /** How it was run, for messages: `openclaw gateway status`. */
  command: string;
  exitCode: number | undefined;
  /** stdout and stderr interleaved, colours removed, trimmed; at most `maxBytes`. */
  output: string;
  timedOut: boolean;
  /** The executable could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
}

export interface BoundedOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs: number;
  /** Shown in `command` instead of the file name (`npx clawdbot`). */
  display?: string;
  maxBytes?: number;
}

/**
 * Detached children do not get the terminal's Ctrl+C: the ones still running when claw-doctor exits are
 * ended with it (their whole group), so no CLI outlives the run.
 */
const running = new Set<ReturnType<typeof spawn>>();
let exitHookSet = false;
function track(child: ReturnType<typeof spawn>): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookSet) return;
  exitHookSet = true;
  process.once('exit', () => {
    for (const c of running) killGroup(c);
  });
}

export function runBounded(file: string, args: string[], opts: BoundedOptions): Promise<BoundedRun> {
  const command = [opts.display ?? file, ...args].join(' ');
  const maxBytes = opts.maxBytes ?? 256 * 1024;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (r: Omit<BoundedRun, 'command' | 'output'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ command, output: stripAnsi(Buffer.concat(chunks).toString('utf8')).trim(), ...r });
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(file, args, {
        env: { ...opts.env, NO_COLOR: '1', FORCE_COLOR: '0' },
        cwd: opts.cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
      });
    } catch (e) {
      resolve({ command, exitCode: undefined, output: '', timedOut: false, spawnError: (e as Error).message });
      return;
    }
    track(child);
    const collect = (b: Buffer): void => {
      if (size >= maxBytes) return;
      chunks.push(b.subarray(0, maxBytes - size));
      size += b.length;
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const timer = setTimeout(() => {
      killGroup(child);
      child.stdout?.destroy();
      child.stderr?.destroy();
      finish({ exitCode: undefined, timedOut: true });
    }, Math.max(0, opts.timeoutMs));
    child.on('error', (e) => finish({ exitCode: undefined, timedOut: false, spawnError: e.message }));
    // 'close' waits for the pipes; a grandchild holding them open is what the timer is for.
    child.on('close', (code) => finish({ exitCode: code ?? undefined, timedOut: false }));
    // The CLI itself exited but something it started still holds the pipes: its answer is complete.
    child.on('exit', (code) => {
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish({ exitCode: code ?? undefined, timedOut: false });
      }, 300).unref();
    });
  });
}

function killGroup(child: ReturnType<typeof spawn>): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
}
