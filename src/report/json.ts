// `--json`: exactly one document on stdout, a stable contract (schemaVersion 1; README "JSON output").
import type { CheckResult } from '../engine/types.js';
import type { Summary } from '../engine/runner.js';

import type { Environment } from '../engine/diagnose.js';
export type { Environment };

export interface JsonReport {
  schemaVersion: 1;
  tool: { name: string; version: string };
  environment: Environment;
  checks: { id: string; title: string; status: CheckResult['status']; durationMs: number; reason?: string }[];
  findings: { check: string; severity: string; title: string; detail: string; fix: string | null; evidence: string[]; cause: string | null; fixable: boolean; sameCauseAs?: { check: string; title: string } }[];
  summary: Summary;
  exitCode: number;
}

export function buildJson(tool: JsonReport['tool'], environment: Environment, results: CheckResult[], summary: Summary, exitCode: number): JsonReport {
  return {
    schemaVersion: 1,
    tool,
    environment,
    checks: results.map((r) => ({ id: r.id, title: r.title, status: r.status, durationMs: r.durationMs, ...(r.reason ? { reason: r.reason } : {}) })),
    findings: results.flatMap((r) =>
      r.findings.map((f) => ({
        check: f.check,
        severity: f.severity,
        title: f.title,
        detail: f.detail,
        fix: f.fix ?? null,
        evidence: f.evidence ?? [],
        cause: f.cause ?? null,
        fixable: !!f.repair,
        ...(f.sameCauseAs ? { sameCauseAs: f.sameCauseAs } : {}),
      })),
    ),
    summary,
    exitCode,
  };
}
