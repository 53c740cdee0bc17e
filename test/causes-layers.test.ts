// DESIGN.md's one-way flow for the cause table: src/causes/ is data and pure functions (it imports nothing
// above it: no facts, no engine, no checks, no renderers; src/util's shape helpers are below everything), and
// the checks that read it go through facts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/doctor.js';

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('layers', () => {
  it('src/causes imports only itself, the shared helpers of src/util and node built-ins', () => {
    const dir = path.join(ROOT, 'src/causes');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      for (const spec of importsOf(path.join(dir, f))) expect(spec, `${f} imports ${spec}`).toMatch(/^(\.\/|\.\.\/util\/|node:)/);
    }
  });

  it('checks/product/* import facts and the engine\'s types only', () => {
    const dir = path.join(ROOT, 'checks/product');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      for (const spec of importsOf(path.join(dir, f))) expect(spec, `${f} imports ${spec}`).toMatch(/^\.\.\/\.\.\/src\/(facts\/|engine\/types\.js$)/);
    }
  });
});
