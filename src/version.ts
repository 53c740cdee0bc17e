// The tool's version, read from package.json (dist/src/ and src/ layouts both work).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedVersion: string | undefined;
export function toolVersion(): string {
  if (cachedVersion) return cachedVersion;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(here, rel), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'claw-doctor' && pkg.version) return (cachedVersion = pkg.version);
    } catch {
      /* try the next layout (dist/src vs src) */
    }
  }
  return (cachedVersion = '0.0.0');
}

