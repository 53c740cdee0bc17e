// `claw-doctor restore [ARCHIVE]`: put a sessions backup back (the newest in <stateDir>/backups by default).
import type { Options } from '../engine/options.js';
import { runFixSubcommand } from '../fix/fixer.js';
import { fixIO } from './fix.js';
import type { IO } from './io.js';

export function restore(options: Options, io: IO, archive: string | undefined): Promise<number> {
  return runFixSubcommand('restore', { archive }, options, fixIO(io));
}
