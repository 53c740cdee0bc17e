// The check contract and the data that flows from checks to renderers (DESIGN.md "A check").
import { FactUnavailable } from '../facts/unavailable.js';

export type Severity = 'error' | 'warn' | 'info';

/** A repair the fixer can apply: a discriminated union by `kind` (engine/repairs.ts). */
export type { Repair } from './repairs.js';
import type { Repair } from './repairs.js';

export interface Finding {
  severity: Severity;
  title: string;
  detail: string;
  /** Copy-pasteable commands or config snippets. */
  fix?: string;
  /** Where it was seen: `~/.clawdbot/clawdbot.json:12:9`, `log 21:48:25Z`, `HTTP 403`. */
  evidence?: string[];
  /**
   * A short key naming the root cause (`ua-missing`, `developer-role`, …). Lets one cause be reported
   * once: a later finding with the same cause points to the first one instead of repeating it.
   */
  cause?: string;
  repair?: Repair;
}

/** What a finding looks like once the runner has attached it to its check. */
export interface ReportedFinding extends Finding {
  check: string;
  /**
   * Set by the runner, once: an earlier finding (in check order) has the same `cause` and carries the fix.
   * Renderers show that finding's fix and never decide "same cause" again.
   */
  sameCauseAs?: { check: string; title: string };
}

export type CheckStatus = 'pass' | 'warn' | 'error' | 'info' | 'skipped' | 'timeout' | 'crashed';

export interface Check {
  /** `area.name`, e.g. `provider.user-agent`. */
  id: string;
  title: string;
  /** One line: why this check exists. Shown by `list` and `explain`. */
  why: string;
  /** Longer text for `explain` (optional). */
  explain?: string;
  /** For `explain`: what the check reads, in words (`the config file and its $include'd files`). */
  reads?: string;
  /** For `explain`: each finding the check can give (`<x>` marks a part that varies), and its repair. */
  gives?: { severity: Severity; title: string; repair?: string }[];
  /** Network checks are skipped with --offline. */
  network?: boolean;
  /** Per-check budget in ms (default from the runner). */
  timeoutMs?: number;
  run(ctx: import('./context.js').Context): Promise<Finding[]> | Finding[];
}

export interface CheckResult {
  id: string;
  title: string;
  area: string;
  status: CheckStatus;
  durationMs: number;
  findings: ReportedFinding[];
  /** For skipped / timeout / crashed: the reason in one line. */
  reason?: string;
  /** For crashed: the stack, shown only with --verbose. */
  stack?: string;
}

/**
 * Thrown by a check (via `skip()`) when a prerequisite is missing. The same class facts throw when a fact
 * cannot be had (src/facts/unavailable.ts), so the runner needs one `instanceof` and facts import no check code.
 */
export const SkipCheck = FactUnavailable;
export type SkipCheck = FactUnavailable;

export function skip(reason: string): never {
  throw new SkipCheck(reason);
}

export function areaOf(id: string): string {
  const dot = id.indexOf('.');
  return dot > 0 ? id.slice(0, dot) : id;
}
