// What `--fix` says when it is done, per repair, and the exit code it ends with.
import { exitCodeFor } from '../engine/exit-code.js';
import type { CheckResult } from '../engine/types.js';
import type { Verdict } from './kinds/types.js';
import type { ResetSessionsResult } from './reset-sessions.js';
import type { GatewayReport } from './restart.js';

export function renderResult(verdicts: Verdict[], gateway: GatewayReport | undefined, journalPath: string | undefined, resets: ResetSessionsResult[], undo = 'claw-doctor undo'): string {
  const out = ['', 'Result'];
  const todo: string[] = [];
  for (const v of [...verdicts].sort((a, b) => a.planned.n - b.planned.n)) {
    const head = `${v.planned.n}. ${v.planned.check ? `[${v.planned.check}] ` : ''}${v.planned.repair.summary}`;
    if (v.outcome.status === 'refused') {
      out.push(`  - ${head}\n      not attempted: ${v.outcome.detail}`);
      continue;
    }
    if (v.outcome.status === 'failed') {
      out.push(`  ✗ ${head}\n      failed: ${v.outcome.detail}`);
      continue;
    }
    const restartNote = v.planned.repair.kind.startsWith('config.') && gateway?.state === 'manual' ? '; the gateway must restart to use it' : '';
    if (!v.recheck) out.push(`  ✓ ${head}\n      done${restartNote}`);
    else if (v.recheck.state === 'fixed') out.push(`  ✓ ${head}\n      fixed (checked again${restartNote})`);
    else if (v.recheck.state === 'still') out.push(`  ✗ ${head}\n      applied, but the check still fails: ${v.recheck.detail}`);
    else out.push(`  ? ${head}\n      applied; ${v.recheck.detail}`);
  }
  for (const r of resets) if (r.instruction) todo.push(r.instruction);
  if (gateway) {
    out.push('', `Gateway: ${gateway.text}`);
    if (gateway.instruction) todo.push(gateway.instruction);
  }
  if (journalPath) out.push('', `Journal: ${journalPath} — \`${undo}\` reverts this run.`);
  if (todo.length > 0) out.push('', 'What you need to do:', ...[...new Set(todo)].map((t) => `  - ${t}`));
  return out.join('\n') + '\n';
}

/**
 * The diagnosis' rule on the findings as they are now (re-checked results replace the first ones); 1 as
 * well when a repair failed, a reset left the gateway down, or a restart is still up to the user.
 */
export function finalExitCode(
  before: CheckResult[],
  rerun: CheckResult[],
  run: { verdicts: Verdict[]; gateway: GatewayReport | undefined; resets: ResetSessionsResult[] },
  strict: boolean,
): 0 | 1 | 2 {
  const merged = before.map((r) => rerun.find((x) => x.id === r.id) ?? r);
  const failed = run.verdicts.some((v) => v.outcome.status === 'failed' || v.recheck?.state === 'still');
  const leftToUser = run.gateway?.state === 'manual' || run.resets.some((r) => !r.ok);
  return exitCodeFor(merged, strict, { failed, leftToUser });
}
