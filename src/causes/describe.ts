// Texts made from the table: `claw-doctor explain <cause>` and the README's "Known failures" section
// (`npm run known-failures` prints it; a test holds the README equal to it). Pure: no I/O.
import { CAUSES, causeById, causeFix } from './index.js';
import type { Cause } from './types.js';
import { describeRange } from './versions.js';

const RESET: Record<Cause['resetHelps'], string> = { yes: 'yes', no: 'no', partly: 'partly', unknown: 'not stated' };

/** The whole entry as plain text, or undefined for an id the table does not have. */
export function describeCause(id: string): string | undefined {
  const c = causeById(id);
  if (!c) return undefined;
  const lines = [`${c.id} — ${c.title}${c.row ? ` (known failure #${c.row})` : ''}`, '', c.summary, '', `Severity: ${c.severity}.`];
  if (c.versions?.length) lines.push(`Versions: ${c.versions.map((r) => describeRange(r)).join('; ')}.`);
  else lines.push('Versions: any (not a product bug).');
  if (c.conditions) lines.push(`Applies to: ${c.conditions}.`);
  if (c.shownAs?.length) lines.push(`Seen as: ${c.shownAs.join(', ')} (the version check names this cause when it applies).`);
  lines.push(`Session reset helps: ${RESET[c.resetHelps]}.`);
  if (c.texts?.length) lines.push('', 'Recognised by:', ...c.texts.map((p) => `  /${p.re.source}/`));
  if (c.examples.length) lines.push('', 'Texts seen:', ...c.examples.map((e) => `  [${e.form}] ${e.text}  (${e.source})`));
  lines.push('', 'Fix:', ...causeFix(c).split('\n').map((l) => `  ${l}`));
  lines.push('', `Sources: ${c.sources.join(', ')}.`);
  if (!c.confirmed) lines.push(`Not confirmed: ${c.unconfirmed ?? 'the source threads do not confirm it'}.`);
  return lines.join('\n') + '\n';
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README's "Known failures" table: one line per catalog row, in row order. */
export function knownFailuresMarkdown(): string {
  const rows = CAUSES.filter((c) => c.row !== undefined).sort((a, b) => a.row! - b.row! || a.id.localeCompare(b.id));
  const out = [
    '| # | cause (`claw-doctor explain <cause>`) | versions | reset helps | confirmed |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((c) => {
      const versions = c.versions?.length ? c.versions.map((r) => describeRange(r, true)).join('; ') : 'any';
      return `| ${c.row} | \`${c.id}\` ${cell(c.title)} | ${cell(versions)} | ${RESET[c.resetHelps]} | ${c.confirmed ? 'yes' : 'no'} |`;
    }),
  ];
  return out.join('\n') + '\n';
}
