// The runner: checks start together, results come back in list order (Flutter doctor's lesson).
// A thrown exception is `crashed`, a time-out `timeout`, a missing prerequisite `skipped`:
// a broken check never looks like a broken setup.
import type { Context } from './context.js';
import { SkipCheck, areaOf, type Check, type CheckResult, type CheckStatus, type Finding, type ReportedFinding } from './types.js';

export interface RunOptions {
  /** Default per-check budget. */
  perCheckMs: number;
  /** Epoch ms by which every check must have ended (from --timeout). */
  deadline: number;
}

const TIMED_OUT = Symbol('timeout');

function statusOf(findings: Finding[]): CheckStatus {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  if (findings.some((f) => f.severity === 'warn')) return 'warn';
  return 'pass';
}

async function runOne(check: Check, ctx: Context, opts: RunOptions): Promise<CheckResult> {
  const started = performance.now();
  const base = { id: check.id, title: check.title, area: areaOf(check.id) };
  const elapsed = () => Math.round(performance.now() - started);
  if (check.network && ctx.options.offline) {
    return { ...base, status: 'skipped', durationMs: 0, findings: [], reason: '--offline: network checks are skipped' };
  }
  const budget = Math.max(0, Math.min(check.timeoutMs ?? opts.perCheckMs, opts.deadline - Date.now()));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), budget);
  });
  try {
    const out = await Promise.race([Promise.resolve().then(() => check.run(ctx)), timeout]);
    if (out === TIMED_OUT) {
      return { ...base, status: 'timeout', durationMs: elapsed(), findings: [], reason: `did not finish within ${Math.round(budget / 100) / 10} s` };
    }
    const findings: ReportedFinding[] = (Array.isArray(out) ? out : []).map((f) => ({ ...f, check: check.id }));
    return { ...base, status: statusOf(findings), durationMs: elapsed(), findings };
  } catch (e) {
    if (e instanceof SkipCheck) return { ...base, status: 'skipped', durationMs: elapsed(), findings: [], reason: e.message };
    const err = e instanceof Error ? e : new Error(String(e));
    return { ...base, status: 'crashed', durationMs: elapsed(), findings: [], reason: err.message.split('\n')[0], stack: err.stack };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One cause is reported once: a later finding whose `cause` an earlier one (in list order) already
 * explains points to it (`sameCauseAs`) instead of repeating the fix. Decided here only.
 */
export function dedupeCauses(results: CheckResult[]): CheckResult[] {
  const first = new Map<string, ReportedFinding>();
  return results.map((r) => {
    const findings = r.findings.map((f): ReportedFinding => {
      if (!f.cause) return f;
      const earlier = first.get(f.cause);
      if (!earlier) {
        first.set(f.cause, f);
        return f;
      }
      if (earlier.check === f.check) return f;
      return {
        ...f,
        detail: `${f.detail}\nSame cause as ${earlier.check}: "${earlier.title}".`,
        fix: `See the fix under ${earlier.check}.`,
        repair: undefined,
        sameCauseAs: { check: earlier.check, title: earlier.title },
      };
    });
    return { ...r, findings };
  });
}

export async function runChecks(checks: Check[], ctx: Context, opts: RunOptions): Promise<CheckResult[]> {
  const results = await Promise.all(checks.map((c) => runOne(c, ctx, opts)));
  return dedupeCauses(results);
}

export interface Summary {
  passed: number;
  warnings: number;
  errors: number;
  skipped: number;
  timedOut: number;
  crashed: number;
}

export function summarize(results: CheckResult[]): Summary {
  const s: Summary = { passed: 0, warnings: 0, errors: 0, skipped: 0, timedOut: 0, crashed: 0 };
  for (const r of results) {
    if (r.status === 'pass' || r.status === 'info') s.passed++;
    else if (r.status === 'warn') s.warnings++;
    else if (r.status === 'error') s.errors++;
    else if (r.status === 'skipped') s.skipped++;
    else if (r.status === 'timeout') s.timedOut++;
    else if (r.status === 'crashed') s.crashed++;
  }
  return s;
}

/** The exit-code rule lives in exit-code.ts (it also takes --fix results); re-exported for old imports. */
export { exitCodeFor } from './exit-code.js';
