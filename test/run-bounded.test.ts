// runBounded, the one way claw-doctor runs a product CLI: a time-out kills the CLI's whole process group
// (npx → node → the CLI: a grandchild that keeps stdout open must not hold the doctor), and a CLI that
// exits while something it started still holds the pipes returns its answer without waiting for that.
// Real processes: node scripts that spawn a real grandchild.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBounded } from '../src/facts/run-bounded.js';

let dir: string | undefined;
const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already, as it should be
    }
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A node script that starts a grandchild sharing its stdout (writing its pid to `pidFile`), then `then`. */
function script(then: 'hang' | 'exit'): { file: string; pidFile: string } {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-bounded-'));
  const pidFile = path.join(dir, 'grandchild.pid');
  const file = path.join(dir, 'cli.cjs');
  fs.writeFileSync(
    file,
    `const { spawn } = require('node:child_process');
const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'inherit', 'inherit'] });
require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid));
console.log('answer');
${then === 'hang' ? 'setInterval(() => {}, 1000);' : 'process.exit(0);'}
`,
  );
  return { file, pidFile };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

describe('runBounded', { timeout: 30_000 }, () => {
  it('a CLI that hangs is cut off at its limit, with its grandchild', async () => {
    const { file, pidFile } = script('hang');
    const r = await runBounded(process.execPath, [file], { env: process.env, timeoutMs: 1500, display: 'clawdbot' });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeUndefined();
    expect(r.output).toBe('answer');
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    pids.push(grandchild);
    expect(await gone(grandchild)).toBe(true);
  });

  it('a CLI that exits while its grandchild holds stdout: its answer, not a time-out', async () => {
    const { file, pidFile } = script('exit');
    const r = await runBounded(process.execPath, [file], { env: process.env, timeoutMs: 20_000 });
    pids.push(Number(fs.readFileSync(pidFile, 'utf8')));
    expect(r).toMatchObject({ timedOut: false, exitCode: 0, output: 'answer' });
  });

  it('an executable that is not there is a spawn error, not a throw', async () => {
    const r = await runBounded('/nonexistent/openclaw', ['gateway', 'status'], { env: process.env, timeoutMs: 5000, display: 'openclaw' });
    expect(r.command).toBe('openclaw gateway status');
    expect(r.spawnError).toMatch(/ENOENT/);
    expect(r.timedOut).toBe(false);
  });
});
