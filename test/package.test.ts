// package.json is what a global install reads: a license file that matches, where the docs and the issues
// are, engines that match the dependencies' own, and built files shipped (no build at install time).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/doctor.js';

interface Pkg {
  license: string;
  repository?: { url: string };
  homepage?: string;
  bugs?: { url: string };
  engines: { node: string };
  scripts: Record<string, string>;
  files: string[];
}
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Pkg;

describe('package.json', () => {
  it('MIT, with the LICENSE file it names, shipped in the package', () => {
    expect(pkg.license).toBe('MIT');
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(pkg.files).toContain('LICENSE');
  });

  it('says where the docs and the issues are, so "Docs:" in --help points somewhere after a global install', () => {
    expect(pkg.repository?.url).toMatch(/^git\+https:\/\//);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs?.url).toMatch(/^https:\/\//);
  });

  it('engines admit no Node a dependency refuses (yargs 18: ^20.19.0 || ^22.12.0 || >=23)', () => {
    expect(pkg.engines.node).toBe('^20.19.0 || ^22.12.0 || >=23');
    const yargs = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/yargs/package.json'), 'utf8')) as { engines: { node: string } };
    expect(yargs.engines.node).toBe(pkg.engines.node);
  });

  it('ships built files: prepack builds, nothing builds at install time', () => {
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.scripts.postinstall).toBeUndefined();
    expect(pkg.scripts.prepack).toMatch(/tsc -p tsconfig\.json/);
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/src', 'dist/checks']));
    // A fresh clone has no dist/: `npm start` builds first.
    expect(pkg.scripts.start).toMatch(/^tsc -p tsconfig\.json && node dist\/src\/cli\.js$/);
    expect(pkg.scripts['check:imports']).toBe('node scripts/check-imports.mjs');
  });
});
