// The one rule for the exit code (README "Exit codes"), for a diagnosis and for a --fix run alike.
import type { CheckResult } from './types.js';

/** What a --fix run adds to the findings: a repair that failed, or a step left to the user. */
export interface FixResults {
  /** A repair failed, or its check still fails after it was applied. */
  failed: boolean;
  /** A gateway restart or a sessions step the user must still do. */
  leftToUser: boolean;
}

/**
 * 1 when any finding is an error (or, with --strict, a warning or a check that timed out); 2 when the
 * doctor itself failed (a check crashed) and nothing else failed; 0 otherwise. After --fix the results are
 * the re-checked ones, and a failed repair or a step left to the user makes a 0 into a 1.
 */
export function exitCodeFor(results: CheckResult[], strict: boolean, fix?: FixResults): 0 | 1 | 2 {
  const findings = results.flatMap((r) => r.findings);
  let code: 0 | 1 | 2 = 0;
  if (findings.some((f) => f.severity === 'error')) code = 1;
  else if (strict && (findings.some((f) => f.severity === 'warn') || results.some((r) => r.status === 'timeout'))) code = 1;
  else if (results.some((r) => r.status === 'crashed')) code = 2;
  return code === 0 && fix && (fix.failed || fix.leftToUser) ? 1 : code;
}
