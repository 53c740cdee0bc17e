// `claw-doctor undo [--force]`: revert the newest --fix run not yet undone (the fixer's journal).
import type { Options } from '../engine/options.js';
import { runFixSubcommand } from '../fix/fixer.js';
import { fixIO } from './fix.js';
import type { IO } from './io.js';

export function undo(options: Options, io: IO): Promise<number> {
  return runFixSubcommand('undo', {}, options, fixIO(io));
}
