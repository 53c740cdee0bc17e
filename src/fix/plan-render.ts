// What `--fix` shows before it touches anything: every repair, where it lands, and a unified diff of every
// config edit, so the user can judge the exact bytes (DESIGN.md "fixer: plan → confirm"). Pure text; the
// caller passes it through the run's redactor (context lines of a diff can hold the API key).
import type { FixPlan } from './plan.js';

// ---------------------------------------------------------------------------------------------------
// Unified diff

type Op = { type: ' ' | '-' | '+'; line: string };

/** Lines without their terminators; a final newline adds no empty last line. CR is kept off the display. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Above this many cells the middle is shown as all-removed then all-added (still correct, just coarse). */
const MAX_LCS_CELLS = 4_000_000;

/** Line operations turning `a` into `b`: common prefix and suffix, then an LCS table on what is left. */
export function diffLines(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const ops: Op[] = a.slice(0, start).map((line) => ({ type: ' ', line }));
  if (midA.length * midB.length > MAX_LCS_CELLS) {
    ops.push(...midA.map((line) => ({ type: '-' as const, line })), ...midB.map((line) => ({ type: '+' as const, line })));
  } else {
    ops.push(...lcsOps(midA, midB));
  }
  ops.push(...a.slice(endA).map((line) => ({ type: ' ' as const, line })));
  return ops;
}

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // table[i][j]: LCS length of a[i..] and b[j..], flattened.
  const table = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[at(i, j)] = a[i] === b[j] ? table[at(i + 1, j + 1)]! + 1 : Math.max(table[at(i + 1, j)]!, table[at(i, j + 1)]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ type: ' ', line: a[i]! });
      i++;
      j++;
    } else if (table[at(i + 1, j)]! >= table[at(i, j + 1)]!) {
      ops.push({ type: '-', line: a[i++]! });
    } else {
      ops.push({ type: '+', line: b[j++]! });
    }
  }
  while (i < n) ops.push({ type: '-', line: a[i++]! });
  while (j < m) ops.push({ type: '+', line: b[j++]! });
  return ops;
}

/**
 * A unified diff (`---`/`+++` headers, `@@ -a,b +c,d @@` hunks, `context` lines around each change).
 * Empty when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }, context = 3): string {
  if (before === after) return '';
  const ops = diffLines(splitLines(before), splitLines(after));
  const changed = ops.map((o, i) => (o.type === ' ' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) {
    // Only line terminators differ (e.g. the final newline).
    return `--- ${labels.from}\n+++ ${labels.to}\n(only line endings differ)\n`;
  }
  // Group changes whose context windows touch into hunks: [first op index, last op index].
  const hunks: [number, number][] = [];
  for (const i of changed) {
    const lo = Math.max(0, i - context);
    const hi = Math.min(ops.length - 1, i + context);
    const last = hunks[hunks.length - 1];
    if (last && lo <= last[1] + 1) last[1] = hi;
    else hunks.push([lo, hi]);
  }
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  // Line numbers (1-based) of each op in the old and the new text.
  let oldLine = 1;
  let newLine = 1;
  const numbers = ops.map((o) => {
    const here = { old: oldLine, new: newLine };
    if (o.type !== '+') oldLine++;
    if (o.type !== '-') newLine++;
    return here;
  });
  for (const [lo, hi] of hunks) {
    const slice = ops.slice(lo, hi + 1);
    const oldCount = slice.filter((o) => o.type !== '+').length;
    const newCount = slice.filter((o) => o.type !== '-').length;
    // By convention a range of 0 lines names the line before it.
    const oldStart = oldCount === 0 ? numbers[lo]!.old - 1 : numbers[lo]!.old;
    const newStart = newCount === 0 ? numbers[lo]!.new - 1 : numbers[lo]!.new;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const o of slice) out.push(`${o.type}${o.line}`);
  }
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------
// The plan

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

function origin(check: string | undefined): string {
  return check ? `[${check}] ` : '';
}

/** The plan as printed before confirmation (and by --dry-run). `show` turns paths into what the user reads. */
/** `undo` is the command that reverts this run, with the flags that reach the same state dir (`claw-doctor undo --state-dir X`). */
export function renderPlan(plan: FixPlan, show: (p: string) => string = (p) => p, undo = 'claw-doctor undo'): string {
  const out: string[] = ['Plan'];
  if (plan.steps.length === 0) out.push('  Nothing claw-doctor can change for you.');
  for (const { step, kind } of plan.steps) out.push(...kind.preview(step, show));
  if (plan.restart) {
    const r = plan.restart;
    out.push(
      '',
      r.gatewayUp
        ? `  Then: the gateway answers on port ${r.port}; it reads its config only when it starts, so it will be restarted\n` +
            `  (\`${r.cliDisplay} gateway stop\`, then \`${r.cliDisplay} gateway start\`, confirmed on the port)` +
            (r.bySessionsReset ? ' — done by the sessions reset above.' : '.')
        : `  Then: nothing answers on port ${r.port}, so there is no gateway to restart; it reads the new config when it starts.`,
    );
  }
  if (plan.refused.length > 0) {
    out.push('', '  Not possible automatically:');
    for (const r of plan.refused) out.push(`    ${r.repair.n}. ${origin(r.repair.check)}${r.repair.repair.summary}`, indent(`— ${r.reason}`, '       '));
  }
  if (plan.steps.length > 0) {
    out.push('', `  Every change is recorded in ${show(plan.journalDir)}/; \`${undo}\` reverts this run.`);
  }
  return out.join('\n') + '\n';
}
