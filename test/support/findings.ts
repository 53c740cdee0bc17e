// The one matcher the table-driven check tests share: "a finding of this check, this severity, whose title,
// detail, fix, evidence and cause match" — and, when none does, an error that shows what there was instead.
import type { ReportedFinding } from '../../src/engine/types.js';

export interface FindingExpect {
  check: string;
  severity: ReportedFinding['severity'];
  title?: RegExp;
  detail?: RegExp;
  fix?: RegExp;
  evidence?: RegExp;
  /** A cause key, or null for "no cause". */
  cause?: string | null;
  /** Whether the finding carries a repair. */
  fixable?: boolean;
}

export function matchesFinding(f: ReportedFinding, e: FindingExpect): boolean {
  return (
    f.check === e.check &&
    f.severity === e.severity &&
    (!e.title || e.title.test(f.title)) &&
    (!e.detail || e.detail.test(f.detail)) &&
    (!e.fix || e.fix.test(f.fix ?? '')) &&
    (!e.evidence || (f.evidence ?? []).some((x) => e.evidence!.test(x))) &&
    (e.cause === undefined || (e.cause === null ? f.cause === undefined : f.cause === e.cause)) &&
    (e.fixable === undefined || !!f.repair === e.fixable)
  );
}

/** The finding that matches, or a thrown error listing the findings of that check (and the statuses). */
export function findFinding(findings: ReportedFinding[], e: FindingExpect, statuses?: Record<string, string>): ReportedFinding {
  const hit = findings.find((f) => matchesFinding(f, e));
  if (hit) return hit;
  const shown = { ...e, title: String(e.title), detail: String(e.detail), fix: String(e.fix), evidence: String(e.evidence) };
  const near = findings.filter((f) => f.check === e.check);
  throw new Error(
    `no finding like ${JSON.stringify(shown)}\nfindings of ${e.check}:\n${JSON.stringify(near, null, 2)}` +
      (statuses ? `\nstatuses: ${JSON.stringify(statuses)}` : ''),
  );
}
