// Human output: grouped by area, one line per check, findings indented beneath with their fix, wrapped to
// the terminal width with hanging indents (snippets and commands are never broken: src/report/terminal.ts).
// The rule for info findings (README "Output conventions"): always shown, in plain text; errors and
// warnings are the only bold, coloured titles. A check whose findings are all info did not find what it
// looks for or has a note: it shows `i`, not a pass mark.
import { Chalk, type ChalkInstance } from 'chalk';
import type { CheckResult, ReportedFinding } from '../engine/types.js';
import type { Summary } from '../engine/runner.js';
import { wrapBlock, wrapLine } from './terminal.js';

export interface HumanInput {
  header: string;
  results: CheckResult[];
  summary: Summary;
  /** Chalk level: 0 none, 1–3. A boolean is level 1 or none. */
  color: boolean | 0 | 1 | 2 | 3;
  verbose: boolean;
  /** Columns to wrap at (default 80). */
  width?: number;
}

const AREA_TITLES: Record<string, string> = {
  config: 'Config',
  agent: 'Agent',
  provider: 'Kimi provider',
  auth: 'Auth profiles',
  logs: 'Today\'s log',
  sessions: 'Sessions',
  probe: 'Live API probe',
  gateway: 'Gateway',
  product: 'Product version',
};

/** Only notes: the check ran but has nothing to pass or fail (no log today, nothing to probe). */
function onlyNotes(r: CheckResult): boolean {
  return r.status === 'pass' && r.findings.length > 0 && r.findings.every((f) => f.severity === 'info');
}

function symbol(c: ChalkInstance, r: CheckResult): string {
  if (onlyNotes(r)) return c.cyan('i');
  switch (r.status) {
    case 'pass':
    case 'info':
      return c.green('✓');
    case 'warn':
      return c.yellow('!');
    case 'error':
      return c.red('✗');
    case 'skipped':
      return c.dim('-');
    case 'timeout':
      return c.magenta('⧗');
    case 'crashed':
      return c.magenta('‼');
  }
}

const BODY = '       ';

function renderFinding(c: ChalkInstance, f: ReportedFinding, width: number): string {
  const lines: string[] = [];
  if (f.severity === 'info') {
    lines.push(...wrapLine(f.title, width, `    ${c.cyan('i')}  `, BODY));
  } else {
    const plain = f.severity === 'error' ? '✗ error' : '! warning';
    const mark = f.severity === 'error' ? c.red(plain) : c.yellow(plain);
    const colour = f.severity === 'error' ? c.bold.red : c.bold.yellow;
    const prefix = `    ${plain}  `;
    wrapLine(f.title, width, prefix, BODY).forEach((l, i) => {
      lines.push(i === 0 ? `    ${mark}  ${colour(l.slice(prefix.length))}` : BODY + colour(l.slice(BODY.length)));
    });
  }
  // A later sighting of a cause another check reported first (the runner's sameCauseAs): one line pointing
  // there, where it was seen, and no second copy of the explanation and fix.
  if (f.sameCauseAs) {
    lines.push(c.dim(wrapLine(`Same cause as ${f.sameCauseAs.check} ("${f.sameCauseAs.title}"): its fix is the one to apply.`, width, BODY, BODY).join('\n')));
    if (f.evidence?.length) lines.push(c.dim(wrapLine(`seen at: ${f.evidence[0]}`, width, BODY, `${BODY}  `).join('\n')));
    return lines.join('\n');
  }
  if (f.detail) lines.push(wrapBlock(f.detail, width, BODY));
  if (f.evidence?.length) {
    const seen = f.evidence.map((e, i) => wrapLine(e, width, i === 0 ? `${BODY}seen at: ` : `${BODY}         `, `${BODY}           `).join('\n'));
    lines.push(c.dim(seen.join('\n')));
  }
  if (f.fix) {
    if (f.fix.includes('\n')) lines.push(`${BODY}${c.green('fix:')}`, wrapBlock(f.fix, width, `${BODY}  `));
    else lines.push(wrapLine(f.fix, width, `${BODY}fix: `, `${BODY}     `).join('\n').replace('fix:', c.green('fix:')));
  }
  if (f.repair) lines.push(c.dim(wrapLine(`(claw-doctor --fix can do this: ${f.repair.summary})`, width, BODY, `${BODY} `).join('\n')));
  return lines.join('\n');
}

export function renderHuman(input: HumanInput): string {
  const width = input.width ?? 80;
  const level = input.color === true ? 1 : input.color === false ? 0 : input.color;
  const c = new Chalk({ level });
  const out: string[] = [c.bold(wrapLine(input.header, width, '', '  ').join('\n')), ''];
  let area = '';
  const idWidth = Math.max(...input.results.map((r) => r.id.length), 10);
  for (const r of input.results) {
    if (r.area !== area) {
      if (area) out.push('');
      area = r.area;
      out.push(c.bold.underline(AREA_TITLES[area] ?? area));
    }
    const note = r.status === 'skipped' || r.status === 'timeout' || r.status === 'crashed' ? ` — ${r.status}: ${r.reason ?? ''}` : '';
    const lead = `  ${symbol(c, r)} ${r.id.padEnd(idWidth)}  `;
    const hang = ' '.repeat(4 + idWidth + 2);
    const head = wrapLine(`${r.title}${note}`, width, lead, hang);
    // The reason of a skipped, timed-out or crashed check is dimmed: it is about the doctor, not the setup.
    out.push(note ? head.map((l, i) => (i === 0 ? l.replace(` — ${r.status}:`, c.dim(` — ${r.status}:`)) : c.dim(l))).join('\n') : head.join('\n'));
    if (r.status === 'crashed') {
      out.push(c.dim(wrapLine(`This is a bug in the check, not in your setup.${input.verbose ? '' : ' Re-run with --verbose for the stack.'}`, width, '      ', '      ').join('\n')));
      if (input.verbose && r.stack) out.push(c.dim(r.stack.split('\n').map((l) => `      ${l}`).join('\n')));
    }
    for (const f of r.findings) out.push(renderFinding(c, f, width));
  }
  const s = input.summary;
  const parts = [
    c.green(`${s.passed} passed`),
    (s.warnings ? c.yellow : c.dim)(`${s.warnings} warning${s.warnings === 1 ? '' : 's'}`),
    (s.errors ? c.red : c.dim)(`${s.errors} error${s.errors === 1 ? '' : 's'}`),
    c.dim(`${s.skipped} skipped`),
  ];
  if (s.timedOut) parts.push(c.magenta(`${s.timedOut} timed out`));
  if (s.crashed) parts.push(c.magenta(`${s.crashed} crashed`));
  out.push('', parts.join(' · '));
  return out.join('\n') + '\n';
}
