// `--fix`, `--dry-run`, `--reset-sessions`: the fixer's entry point (src/fix/fixer.ts, collect → plan →
// confirm → apply → re-check) with this process's streams. The option combinations were checked already
// (src/engine/options.ts usageProblem).
import type { Options } from '../engine/options.js';
import { runFix } from '../fix/fixer.js';
import type { FixIO } from '../fix/prompt.js';
import type { IO } from './io.js';

/** The fixer's own IO shape, from this process's streams. */
export function fixIO(io: IO): Partial<FixIO> {
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
