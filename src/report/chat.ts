// `--report --format chat`: the report for a Discord or Telegram thread. Plain text (no Markdown tables, no
// <details>, no HTML entities), one message: at most 2,000 characters (Discord's limit; Telegram's is 4,096).
// The same ReportInput and the same Redactor as the Markdown report; the same root causes, each once.
import type { ReportedFinding } from '../engine/types.js';
import { rootCauses, verdict, type ReportInput, type RootCause } from './markdown.js';
import type { Redactor } from './redact.js';
import { joinLines as oneLine } from '../util/text.js';

/** Discord's message limit, the smaller of the two chats. */
export const CHAT_LIMIT = 2000;

export interface ChatOptions {
  /** How the reader gets the full report (`claw-doctor --report -o doctor.md`, or the file written). */
  fullReport: string;
  limit?: number;
}

const LABEL = { error: 'ERROR', warn: 'WARNING', info: 'NOTE' } as const;

/** Detail levels, richest first: the first that fits the limit is used. */
const LEVELS = [
  { fixLines: 8, alsoSeen: 4, causes: 8 },
  { fixLines: 4, alsoSeen: 2, causes: 6 },
  { fixLines: 2, alsoSeen: 1, causes: 4 },
  { fixLines: 1, alsoSeen: 0, causes: 3 },
  { fixLines: 0, alsoSeen: 0, causes: 2 },
];

export function renderChat(input: ReportInput, redactor: Redactor, opts: ChatOptions): string {
  const limit = opts.limit ?? CHAT_LIMIT;
  const causes = rootCauses(input.findings);
  let text = '';
  for (const level of LEVELS) {
    text = redactor.final(redactor.text(compose(input, causes, opts.fullReport, level)));
    if ([...text].length <= limit) return text;
  }
  // Even the shortest form is too long (very long titles): cut, keeping the way to the full report.
  const tail = `\n… cut to fit one message. Full report: ${opts.fullReport}\n`;
  return [...text].slice(0, limit - [...tail].length).join('') + tail;
}

function compose(input: ReportInput, causes: RootCause[], fullReport: string, level: (typeof LEVELS)[number]): string {
  const env = input.environment;
  const product = [env.product, env.productVersion].filter(Boolean).join(' ') || 'product not found';
  const out = [
    `claw-doctor ${input.tool.version} · ${product} · ${env.os} · Node ${env.node}`,
    `Config: ${env.configPath ?? 'not found'}`,
    ...(env.gateway ? [`Gateway: ${env.gateway}`] : []),
    `Verdict: ${plain(input.verdict ?? verdict(input.summary, causes))}`,
  ];
  causes.slice(0, level.causes).forEach((c, i) => out.push('', ...causeLines(c, i + 1, level)));
  if (causes.length > level.causes) out.push('', `… and ${causes.length - level.causes} more in the full report.`);
  out.push('', `Full report: ${fullReport}`);
  return out.join('\n') + '\n';
}

function causeLines(c: RootCause, n: number, level: (typeof LEVELS)[number]): string[] {
  const f = c.first;
  const lines = [`${n}. ${LABEL[c.severity]} ${oneLine(f.title)} [${f.check}]`];
  if (f.evidence?.length) lines.push(`   at ${oneLine(f.evidence[0]!)}`);
  const also = c.alsoSeen.slice(0, level.alsoSeen).map((x: ReportedFinding) => x.check);
  if (also.length) lines.push(`   also seen by ${[...new Set(also)].join(', ')}${c.alsoSeen.length > also.length ? ` and ${c.alsoSeen.length - also.length} more` : ''}`);
  if (f.fix && level.fixLines > 0) {
    const fix = f.fix.split('\n').filter((l) => l.trim());
    lines.push('   Fix:', ...fix.slice(0, level.fixLines).map((l) => `     ${l}`));
    if (fix.length > level.fixLines) lines.push('     … (the full report has the rest)');
  } else if (f.fix) {
    lines.push('   Fix: see the full report.');
  }
  return lines;
}

/** The verdict without Markdown's emoji icons: chat clients render them, but plain text reads better. */
function plain(s: string): string {
  return s.replace(/^(❌|⚠️|✅)\s*/u, '');
}

