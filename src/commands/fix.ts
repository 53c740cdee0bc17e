// `--fix`, `--dry-run`, `--reset-sessions`: the fixer's entry point (src/fix/fixer.ts, collect → plan →
// confirm → apply → re-check) with this process's streams. The option combinations were checked already
// (src/engine/options.ts usageProblem).
import type { Options } from '../engine/options.js';
import { runFix, runFixSubcommand } from '../fix/fixer.js';
import type { IO } from './io.js';

function fixIO(io: IO) {
  return {
    env: io.env,
    cwd: io.cwd,
    home: io.home,
    write: (t: string) => void io.stdout.write(t),
    interactive: io.stdinIsTTY && !!io.stdout.isTTY,
  };
}

export function fix(options: Options, io: IO): Promise<number> {
  return runFix(options, fixIO(io));
}

/** `claw-doctor undo`: revert the newest --fix run not yet undone. */
export function undo(options: Options, io: IO): Promise<number> {
  return runFixSubcommand('undo', {}, options, fixIO(io));
}

/** `claw-doctor restore [ARCHIVE]`: put a sessions backup back. */
export function restore(options: Options, io: IO, archive: string | undefined): Promise<number> {
  return runFixSubcommand('restore', { archive }, options, fixIO(io));
}
