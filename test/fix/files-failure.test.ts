// Failure injection: the disk fills up mid-write, or the rename fails. The config must stay as it was.
import type * as FsPromises from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const failures = vi.hoisted(() => ({ write: false, rename: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const orig = await importOriginal<typeof FsPromises>();
  const enospc = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const open: typeof orig.open = async (...args) => {
    const handle = await orig.open(...args);
    if (!failures.write) return handle;
    return new Proxy(handle, {
      get(target, prop) {
        if (prop === 'writeFile') return async () => Promise.reject(enospc());
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  };
  const rename: typeof orig.rename = async (...args) => {
    if (failures.rename) throw Object.assign(new Error('EXDEV: cross-device link not permitted, rename'), { code: 'EXDEV' });
    return orig.rename(...args);
  };
  return { ...orig, open, rename, default: { ...orig, open, rename } };
});

const fs = (await vi.importActual<typeof FsPromises>('node:fs/promises'));
const { writeAtomic } = await import('../../src/fix/files.js');
const { applyConfigEdits } = await import('../../src/fix/config-edit.js');
const { Journal, readJournals } = await import('../../src/fix/journal.js');

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'claw-doctor-fail-'));
  failures.write = false;
  failures.rename = false;
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('writeAtomic under failures', () => {
  it.each(['write', 'rename'] as const)('a failed %s leaves the file and directory as they were', async (which) => {
    const file = path.join(dir, 'clawdbot.json');
    await fs.writeFile(file, '{ "a": 1 } // mine');
    await fs.chmod(file, 0o600);
    failures[which] = true;
    await expect(writeAtomic(file, 'new')).rejects.toThrow(which === 'write' ? /ENOSPC/ : /EXDEV/);
    expect(await fs.readFile(file, 'utf8')).toBe('{ "a": 1 } // mine');
    expect(await fs.readdir(dir)).toEqual(['clawdbot.json']);
  });

  it('a config edit whose write fails changes nothing and journals nothing', async () => {
    const file = path.join(dir, 'clawdbot.json');
    const text = '{\n  // key\n  "agents": { "defaults": {} },\n}\n';
    await fs.writeFile(file, text);
    await fs.chmod(file, 0o600);
    failures.write = true;
    const stateDir = path.join(dir, 'state');
    await expect(
      applyConfigEdits(file, [{ op: 'set', path: ['agents', 'defaults', 'thinkingDefault'], value: 'low' }], new Journal(stateDir), {
        summary: 'thinking',
      }),
    ).rejects.toThrow(/ENOSPC/);
    expect(await fs.readFile(file, 'utf8')).toBe(text);
    expect(await readJournals(stateDir)).toEqual([]);
  });
});
