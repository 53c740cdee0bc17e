// `claw-doctor [options]`: diagnose and print (human or --json). Read-only.
import type { Options } from '../engine/options.js';
import { renderOutcome } from '../report/outcome.js';
import { runDiagnosis } from './diagnosis.js';
import { print, type IO } from './io.js';

export async function check(options: Options, io: IO): Promise<number> {
  const outcome = await runDiagnosis(options, io);
  if (outcome === 2) return 2;
  await print(io, renderOutcome(outcome, options));
  return outcome.exitCode;
}
