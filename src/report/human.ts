// Human output: grouped by area, one line per check, findings indented beneath with their fix.
import { Chalk, type ChalkInstance } from 'chalk';
import type { CheckResult, ReportedFinding } from '../engine/types.js';
import type { Summary } from '../engine/runner.js';

export interface HumanInput {
  header: string;
  results: CheckResult[];
  summary: Summary;
  color: boolean;
  verbose: boolean;
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

function symbol(c: ChalkInstance, status: CheckResult['status']): string {
  switch (status) {
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

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

function renderFinding(c: ChalkInstance, f: ReportedFinding): string {
  const mark = f.severity === 'error' ? c.red('✗ error') : f.severity === 'warn' ? c.yellow('! warning') : c.cyan('i');
  const lines = [`    ${mark}  ${c.bold(f.title)}`];
  if (f.detail) lines.push(indent(f.detail, '       '));
  if (f.evidence?.length) lines.push(c.dim(indent(`seen at: ${f.evidence.join('\n         ')}`, '       ')));
  if (f.fix) lines.push(indent(f.fix.includes('\n') ? `${c.green('fix:')}\n${indent(f.fix, '  ')}` : `${c.green('fix:')} ${f.fix}`, '       '));
  if (f.repair) lines.push(c.dim(`       (claw-doctor --fix can do this: ${f.repair.summary})`));
  return lines.join('\n');
}

export function renderHuman(input: HumanInput): string {
  const c = new Chalk({ level: input.color ? 1 : 0 });
  const out: string[] = [c.bold(input.header), ''];
  let area = '';
  const width = Math.max(...input.results.map((r) => r.id.length), 10);
  for (const r of input.results) {
    if (r.area !== area) {
      if (area) out.push('');
      area = r.area;
      out.push(c.bold.underline(AREA_TITLES[area] ?? area));
    }
    const note =
      r.status === 'skipped' || r.status === 'timeout' || r.status === 'crashed'
        ? c.dim(` — ${r.status}: ${r.reason ?? ''}`)
        : '';
    out.push(`  ${symbol(c, r.status)} ${r.id.padEnd(width)}  ${r.title}${note}`);
    if (r.status === 'crashed') {
      out.push(c.dim(`      This is a bug in the check, not in your setup.${input.verbose ? '' : ' Re-run with --verbose for the stack.'}`));
      if (input.verbose && r.stack) out.push(c.dim(indent(r.stack, '      ')));
    }
    for (const f of r.findings) {
      if (f.severity === 'info' && !input.verbose && r.findings.length > 1 && r.findings.some((x) => x.severity !== 'info')) continue;
      out.push(renderFinding(c, f));
    }
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
