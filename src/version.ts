// The tool's version and homepage, read from package.json (dist/src/ and src/ layouts both work).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageInfo {
  version: string;
  homepage?: string;
}

let cached: PackageInfo | undefined;

function packageInfo(): PackageInfo {
  if (cached) return cached;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(here, rel), 'utf8')) as { name?: string; version?: string; homepage?: string };
      if (pkg.name === 'claw-doctor' && pkg.version) return (cached = { version: pkg.version, homepage: pkg.homepage });
    } catch {
      /* try the next layout (dist/src vs src) */
    }
  }
  return (cached = { version: '0.0.0' });
}

export function toolVersion(): string {
  return packageInfo().version;
}

/** Where the docs are after a global install (package.json `homepage`), else the README beside the code. */
export function toolDocs(): string {
  return packageInfo().homepage ?? 'README.md';
}
