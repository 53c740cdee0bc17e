import type { Repair } from '../../src/engine/types.js';
import { describe, expect, it } from 'vitest';
import { configEditFromRepair } from '../../src/fix/kinds/config-file.js';

/** A repair as a plugin may send it: untyped at run time, so the fixer checks it. */
const fromPlugin = (r: object): Repair => r as unknown as Repair;

describe('configEditFromRepair', () => {
  it('turns config.set and config.remove repairs into edits', () => {
    expect(configEditFromRepair({ kind: 'config.set', summary: 's', data: { path: ['agents', 'defaults', 'thinkingDefault'], value: 'low' } })).toEqual({
      ok: true,
      edit: { op: 'set', path: ['agents', 'defaults', 'thinkingDefault'], value: 'low' },
    });
    expect(configEditFromRepair({ kind: 'config.set', summary: 's', data: { path: ['m', 0, 'headers'], value: { 'User-Agent': 'KimiCLI/0.77' } } }).ok).toBe(true);
    expect(configEditFromRepair({ kind: 'config.remove', summary: 's', data: { path: ['x'] } })).toEqual({ ok: true, edit: { op: 'remove', path: ['x'] } });
  });

  it('refuses what it does not understand', () => {
    expect(configEditFromRepair(fromPlugin({ kind: 'sessions.reset', summary: 's', data: { path: [] } })).ok).toBe(false);
    expect(configEditFromRepair(fromPlugin({ kind: 'config.set', summary: 's', data: { path: 'a.b', value: 1 } })).ok).toBe(false);
    expect(configEditFromRepair(fromPlugin({ kind: 'config.set', summary: 's', data: { path: ['a', -1], value: 1 } })).ok).toBe(false);
    expect(configEditFromRepair(fromPlugin({ kind: 'config.set', summary: 's', data: { path: ['a'] } })).ok).toBe(false);
    expect(configEditFromRepair(fromPlugin({ kind: 'config.set', summary: 's', data: { path: ['a'], value: new Date() } })).ok).toBe(false);
  });
});
