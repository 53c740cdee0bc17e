// `claw-doctor explain ID [--json]`: more than `list` — why the check exists, what it reads, each finding it
// can give with its repair, whether it needs the network.
import type { Options } from '../engine/options.js';
import type { Check } from '../engine/types.js';
import { wrapBlock } from '../report/terminal.js';
import { checksOrUsage } from './list.js';
import { print, usage, type IO } from './io.js';
import { didYouMean } from './suggest.js';

export interface Explanation {
  id: string;
  title: string;
  why: string;
  explain: string | null;
  reads: string | null;
  findings: { severity: string; title: string; repair: string | null }[];
  network: boolean;
}

export function explanationOf(c: Check): Explanation {
  return {
    id: c.id,
    title: c.title,
    why: c.why,
    explain: c.explain ?? null,
    reads: c.reads ?? null,
    findings: (c.gives ?? []).map((g) => ({ severity: g.severity, title: g.title, repair: g.repair ?? null })),
    network: !!c.network,
  };
}

function render(e: Explanation, width: number): string {
  const out = [`${e.id} — ${e.title}`, '', wrapBlock(`Why: ${e.why}`, width, '', '     ')];
  if (e.explain) out.push('', wrapBlock(e.explain, width, ''));
  if (e.reads) out.push('', wrapBlock(`Reads: ${e.reads}`, width, '', '       '));
  if (e.findings.length) {
    out.push('', 'Findings it can give:');
    for (const f of e.findings) {
      out.push(wrapBlock(`${f.severity.padEnd(5)}  ${f.title}`, width, '  ', '         '));
      if (f.repair) out.push(wrapBlock(`--fix: ${f.repair}`, width, '         ', '               '));
    }
  }
  out.push('', e.network ? 'Needs the network (skipped with --offline).' : 'Works offline.');
  out.push(`Run it alone: claw-doctor --only ${e.id}`);
  return out.join('\n') + '\n';
}

export async function explain(options: Options, io: IO, id: string): Promise<number> {
  const all = await checksOrUsage(options, io);
  if (all === 2) return 2;
  const c = all.find((x) => x.id === id);
  if (!c) return usage(io, `no check "${id}".${didYouMean(id, all.map((x) => x.id))}`, 'See claw-doctor list.');
  const e = explanationOf(c);
  await print(io, options.json ? JSON.stringify(e, null, 2) + '\n' : render(e, options.width));
  return 0;
}
