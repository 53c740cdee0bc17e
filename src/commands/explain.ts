// `claw-doctor explain ID [--json]`: more than `list` — why the check exists, what it reads, each finding it
// can give with its repair, whether it needs the network.
import type { Options } from '../engine/options.js';
import type { Check } from '../engine/types.js';
import { wrapBlock } from '../report/terminal.js';
import { checksOrUsage } from './list.js';
import { print, usage, type IO } from './io.js';
import { didYouMean } from './suggest.js';
import { describeCause } from '../causes/describe.js';
import { CAUSES, causeById, causeFix } from '../causes/index.js';
import { describeRange } from '../causes/versions.js';

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
  if (!c) {
    // Not a check: a cause of the known-failures table (src/causes/), printed whole.
    const cause = describeCause(id);
    if (cause) return (await print(io, options.json ? JSON.stringify(causeJson(id), null, 2) + '\n' : cause), 0);
    return usage(io, `no check or cause "${id}".${didYouMean(id, [...all.map((x) => x.id), ...CAUSES.map((x) => x.id)])}`, 'See claw-doctor list (checks) or the README\'s Known failures (causes).');
  }
  const e = explanationOf(c);
  await print(io, options.json ? JSON.stringify(e, null, 2) + '\n' : render(e, options.width));
  return 0;
}

/** A cause's entry for `explain <cause> --json`: the same facts the text gives. */
function causeJson(id: string): Record<string, unknown> {
  const c = causeById(id)!;
  return {
    id: c.id,
    kind: 'cause',
    title: c.title,
    summary: c.summary,
    severity: c.severity,
    row: c.row ?? null,
    versions: (c.versions ?? []).map((r) => describeRange(r)),
    conditions: c.conditions ?? null,
    resetHelps: c.resetHelps,
    examples: c.examples.map((e) => ({ form: e.form, text: e.text, source: e.source })),
    fix: causeFix(c),
    sources: c.sources,
    confirmed: c.confirmed,
  };
}
