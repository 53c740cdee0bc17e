// Shared by check, report and fix: run the diagnosis with a spinner on a terminal, and turn a usage problem
// found on the way (a plugin that does not load, an --only that matches nothing) into one redacted line.
import { diagnose, type RunOutcome } from '../engine/diagnose.js';
import type { Options } from '../engine/options.js';
import { UsageError } from '../engine/registry.js';
import { startProgress } from '../report/progress.js';
import { usage, type IO } from './io.js';

export async function runDiagnosis(options: Options, io: IO): Promise<RunOutcome | 2> {
  try {
    return await diagnose(options, { env: io.env, cwd: io.cwd, home: io.home, progress: (checks) => startProgress(checks, options) });
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    throw e;
  }
}
