// One rule for "what the user pointed at does not exist": a path named on the command line (--config,
// --state-dir, --log-dir) that is not there is a usage error — one line, exit 2, before anything runs —
// whatever the flag. (A path named by an env var is the setup the product itself sees: that one is a
// finding of config.location, exit 1.)
import fs from 'node:fs';
import path from 'node:path';
import type { Options } from '../engine/options.js';
import { expandTilde } from '../facts/paths.js';

export function missingTarget(o: Pick<Options, 'config' | 'stateDir' | 'logDir'>, cwd: string, home: string): string | undefined {
  const named: [string, string | undefined, 'file' | 'dir'][] = [
    ['--config', o.config, 'file'],
    ['--state-dir', o.stateDir, 'dir'],
    ['--log-dir', o.logDir, 'dir'],
  ];
  for (const [flag, value, kind] of named) {
    if (value === undefined) continue;
    const abs = path.resolve(cwd, expandTilde(value, home));
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      return `${flag} ${value}: no such ${kind === 'file' ? 'file' : 'directory'}`;
    }
    if (kind === 'dir' && !st.isDirectory()) return `${flag} ${value} is not a directory`;
    if (kind === 'file' && st.isDirectory()) return `${flag} ${value} is a directory; give the config file (or use --state-dir)`;
  }
  return undefined;
}
