// `npm run check:imports` proves DESIGN.md's one-way flow on the import graph; this runs it on the
// repository (it must pass) and on a small tree with each kind of violation planted (it must name each).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/doctor.js';

const SCRIPT = path.join(ROOT, 'scripts/check-imports.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-imports-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(root?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...(root ? [root] : [])], { cwd: ROOT }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

function write(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
  fs.writeFileSync(path.join(tmp, rel), text);
}

describe('check:imports', () => {
  it('passes on this repository: no cycle, the one-way flow holds', async () => {
    const r = await run();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^check:imports: \d+ files, no cycle, the one-way flow holds/);
  }, 60000);

  it('names a cycle, a fact importing upwards, a renderer computing facts, and a write outside the fixer', async () => {
    write('src/engine/context.ts', "import { getConfig } from '../facts/config.js';\nexport const c = getConfig;\n");
    write('src/facts/config.ts', "import { skip } from '../engine/types.js';\nimport type { Context } from '../engine/context.js';\nexport const getConfig = (ctx: Context) => skip('x');\n");
    write('src/engine/types.ts', "export function skip(r: string): never { throw new Error(r); }\n");
    write('src/report/md.ts', "import { getConfig } from '../facts/config.js';\nimport type { Context } from '../engine/context.js';\nexport const f = (c: Context) => getConfig(c);\n");
    write('src/report/out.ts', "import fs from 'node:fs';\nexport const w = () => fs.writeFileSync('x', 'y');\n");
    write('src/engine/a.ts', "export { b } from './b.js';\nexport const a = 1;\n");
    write('src/engine/b.ts', "import { a } from './a.js';\nexport const b = a;\n");
    write('checks/x/y.ts', "import { w } from '../../src/report/out.js';\nexport default w;\n");
    const r = await run(tmp);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n');
    expect(lines).toContain('  src/engine/context.ts:1: base imports facts (src/facts/config.ts)');
    expect(lines).toContain('  src/facts/config.ts:1: facts imports contract (src/engine/types.ts)');
    expect(lines).toContain('  src/report/md.ts:1: report imports facts (src/facts/config.ts)');
    expect(lines).toContain('  src/report/out.ts:2: writes (fs.writeFileSync) outside src/fix/: only the fixer changes the machine');
    expect(lines).toContain('  checks/x/y.ts:1: checks imports report (src/report/out.ts)');
    expect(lines).toContain('  import cycle: src/engine/a.ts → src/engine/b.ts → src/engine/a.ts');
    // Type-only imports are erased: the facts' `import type { Context }` is neither a violation nor a cycle.
    expect(r.stderr).not.toMatch(/facts\/config\.ts:2/);
    expect(r.stderr).not.toMatch(/cycle: src\/engine\/context\.ts/);
  }, 60000);
});
