// How the product is installed, from where its CLI really lives (for the report's header).
import fs from 'node:fs';
import path from 'node:path';

/**
 * npm's global `lib/node_modules` (or `%APPDATA%\npm\node_modules` on Windows), npx's `_npx` cache, or
 * something else.
 */
export function installKindOf(cliPath: string | undefined): string {
  if (!cliPath) return 'unknown (no product CLI on PATH)';
  let real = cliPath;
  try {
    real = fs.realpathSync(cliPath);
  } catch {
    /* a dangling link: judge the path itself */
  }
  const norm = (p: string): string => p.replace(/\\/g, '/');
  const name = path.basename(cliPath).replace(/\.(cmd|exe|ps1)$/i, '');
  if (/\/_npx\//.test(norm(real)) || /\/_npx\//.test(norm(cliPath))) return 'npx';
  if (/\/lib\/node_modules\//.test(norm(real)) || /\/npm\/node_modules\//.test(norm(real))) return 'global npm';
  // A Windows shim or a copied launcher next to npm's global folder.
  const dir = path.dirname(cliPath);
  for (const pkg of [path.join(dir, 'node_modules', name), path.join(dir, '..', 'lib', 'node_modules', name)]) {
    if (fs.existsSync(pkg)) return 'global npm';
  }
  return 'unknown';
}
