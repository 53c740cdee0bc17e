// Issue 15 item 7: the gateway CLI's time limit ends the whole process tree. `npx → node` has this shape: a
// child that keeps stdout open kept the doctor waiting until it exited (forever, in the worst case).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type GatewayCli } from '../../src/fix/gateway.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A CLI that starts a grandchild holding stdout for 10 minutes, then either hangs or exits at once. */
function treeCli(then: 'hang' | 'exit'): { cli: GatewayCli; pidFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-tree-'));
  dirs.push(dir);
  const pidFile = path.join(dir, 'grandchild.pid');
  const file = path.join(dir, 'clawdbot');
  fs.writeFileSync(file, `#!/bin/sh\nsleep 600 &\necho $! > ${pidFile}\necho "Stopped systemd service"\n${then === 'hang' ? 'sleep 600\n' : 'exit 0\n'}`);
  fs.chmodSync(file, 0o755);
  return { pidFile, cli: { file, prefixArgs: [], product: 'clawdbot', display: 'clawdbot', env: { PATH: process.env.PATH } } };
}

/** Running, not a zombie waiting for a pid 1 that never reaps (containers). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const status = fs.existsSync(`/proc/${pid}/status`) ? fs.readFileSync(`/proc/${pid}/status`, 'utf8') : '';
  return !/^State:\s+Z/m.test(status);
}

describe('the gateway CLI limit', { timeout: 20_000 }, () => {
  it('a CLI that hangs with a grandchild holding stdout: cut off, and the grandchild is gone too', async () => {
    const { cli, pidFile } = treeCli('hang');
    const r = await runCli(cli, ['gateway', 'stop'], 800);
    expect(r.timedOut).toBe(true);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((res) => setTimeout(res, 300)); // the kill is asynchronous
    expect(alive(pid)).toBe(false);
  });

  it('a CLI that exits while its grandchild keeps stdout open: its answer is read without waiting for the grandchild', async () => {
    const { cli, pidFile } = treeCli('exit');
    const r = await runCli(cli, ['gateway', 'stop'], 15_000);
    expect(r).toMatchObject({ timedOut: false, exitCode: 0 });
    expect(r.output).toContain('Stopped systemd service');
    process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGKILL');
  });
});
