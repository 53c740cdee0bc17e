// Issue 15 item 13: a closed pipe or a full disk on stdout is not a crash: no stack trace.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/doctor.js';

function run(args: string[], stdout: 'close-early' | number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', stdout === 'close-early' ? 'pipe' : stdout, 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    // `| head -1`: read one chunk, then close the pipe.
    if (stdout === 'close-early') child.stdout!.once('data', () => child.stdout!.destroy());
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('stdout that cannot be written', { timeout: 30_000 }, () => {
  it('EPIPE (`list | head -1`): ends quietly', async () => {
    const r = await run(['list', '--verbose'], 'close-early');
    expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
  });

  it.skipIf(!fs.existsSync('/dev/full'))('ENOSPC (`--json > /dev/full`): one line, exit 2', async () => {
    const fd = fs.openSync('/dev/full', 'w');
    const r = await run(['list', '--json'], fd);
    fs.closeSync(fd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('claw-doctor: cannot write the output: no space left on the device');
  });
});
