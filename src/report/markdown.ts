// `claw-doctor --report`: one paste-ready Markdown document for a GitHub issue or a Discord/Telegram thread
// (DESIGN.md "Rooms": report). Short on top — header, verdict, findings table — with everything a helper
// may want folded into `<details>`, so a pasted report does not flood the thread. A renderer computes no
// facts: everything comes in as plain data, and every string goes through the Redactor, then the whole
// document through `redactor.final()`.
import type { CheckResult, CheckStatus, ReportedFinding, Severity } from '../engine/types.js';
import type { Redactor } from './redact.js';

export interface ReportEnvironment {
  /** `linux 6.8.0 x64`, `darwin 24.1.0 arm64`. */
  os: string;
  /** `v22.21.1`. */
  node: string;
  /** `clawdbot`, `moltbot`, `openclaw`. */
  product?: string;
  productVersion?: string;
  /** `npm global`, `pnpm`, `docker`, `source checkout`, … */
  installKind?: string;
  /** The gateway's state in one line (src/facts/gateway.ts gatewaySummary), when a gateway check ran. */
  gateway?: string;
  configPath?: string;
}

export interface ProbeRequestSummary {
  method: string;
  url: string;
  model?: string;
  api?: string;
  stream?: boolean;
  /** `system` or `developer` (clawdbot.md §3). */
  systemRole?: string;
  thinking?: string;
  /** As sent; secret-named headers (Authorization, x-api-key) are masked like any other secret. */
  headers?: Record<string, string>;
}

export interface ProbeReport {
  request: ProbeRequestSummary;
  ok: boolean;
  /** HTTP status; absent when no answer came (DNS, TLS, timeout). */
  status?: number;
  durationMs?: number;
  /** The error `type` of the response body (`access_terminated_error`, …). */
  errorType?: string;
  /** The response's or the transport's message. */
  message?: string;
  /** Whether the answer contained the expected result (kimi.md "A good probe"). */
  answerCorrect?: boolean;
  /** Whether reasoning content came back. */
  reasoning?: boolean;
}

export interface SessionRow {
  key: string;
  /** ISO time or epoch ms. */
  updatedAt?: string | number;
  thinkingLevel?: string;
  model?: string;
  /** The last `errorMessage` of the transcript (`403 Kimi For Coding is …`). */
  lastError?: string;
}

export interface SessionsReport {
  store?: string;
  count: number;
  sessions?: SessionRow[];
  notes?: string[];
}

export interface ReportSummary {
  passed: number;
  warnings: number;
  errors: number;
  skipped: number;
}

export interface ReportInput {
  tool: { name: string; version: string };
  /** When the report was made; passed in so that output is reproducible. */
  generatedAt: Date | string;
  environment: ReportEnvironment;
  checks: CheckResult[];
  findings: ReportedFinding[];
  summary: ReportSummary;
  /** Overrides the computed one-line verdict. */
  verdict?: string;
  /** The effective Kimi provider/model configuration (plain data; redacted here). */
  kimi?: unknown;
  /** Recent log lines, raw (tslog JSON lines or text); the relevant ones are picked here. */
  logLines?: string[];
  probe?: ProbeReport;
  sessions?: SessionsReport;
}

const MAX_LOG_LINES = 20;
const MAX_LOG_LINE_CHARS = 400;
const MAX_SESSIONS = 10;

const ICON: Record<Severity, string> = { error: '❌', warn: '⚠️', info: 'ℹ️' };
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warn: 1, info: 2 };
const STATUS_ICON: Record<CheckStatus, string> = {
  pass: '✅', warn: '⚠️', error: '❌', info: 'ℹ️', skipped: '⏭️', timeout: '⏱️', crashed: '💥',
};

export function renderMarkdown(input: ReportInput, redactor: Redactor): string {
  const r = redactor;
  const findings = [...input.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const body = [
    header(input, r),
    verdictLine(input, findings, r),
    findingsTable(findings, r),
    '### Details',
    findingDetails(findings, r),
    checksDetails(input.checks, r),
    kimiDetails(input.kimi, r),
    logDetails(input.logLines, r),
    probeDetails(input.probe, r),
    sessionsDetails(input.sessions, r),
  ].filter((part): part is string => Boolean(part));
  // The ledger is written last, from what the final scan of everything above has counted.
  const text = r.final(body.join('\n\n'));
  return `${text}\n\n${r.final(ledgerSection(r.ledger()))}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Sections

function header(input: ReportInput, r: Redactor): string {
  const env = input.environment;
  const product = [env.product, env.productVersion].filter(Boolean).join(' ');
  const lines = [
    `## ${inline(input.tool.name, r)} report`,
    '',
    `- **${inline(input.tool.name, r)}** ${inline(input.tool.version, r)} · ${formatDate(input.generatedAt)}`,
    `- **OS** ${inline(env.os, r)} · **Node** ${inline(env.node, r)}`,
    `- **Product** ${product ? inline(product, r) : 'not found'}${env.installKind ? ` · **Install** ${inline(env.installKind, r)}` : ''}`,
    `- **Config** ${env.configPath ? code(r.text(env.configPath)) : 'not found'}`,
    ...(env.gateway ? [`- **Gateway** ${inline(env.gateway, r)}`] : []),
  ];
  return lines.join('\n');
}

function verdictLine(input: ReportInput, findings: ReportedFinding[], r: Redactor): string {
  return `**Verdict:** ${inline(input.verdict ?? verdict(input.summary, findings), r)}`;
}

/** One line: the counts, and the first thing to fix. */
export function verdict(summary: ReportSummary, findings: ReportedFinding[]): string {
  const counts = [
    plural(summary.errors, 'error'), plural(summary.warnings, 'warning'),
    `${summary.passed} passed`, `${summary.skipped} skipped`,
  ].join(' · ');
  const first = findings.find((f) => f.severity === 'error') ?? findings.find((f) => f.severity === 'warn');
  if (summary.errors > 0) return `${ICON.error} ${counts}${first ? ` — first: ${first.title}` : ''}`;
  if (summary.warnings > 0) return `${ICON.warn} ${counts}${first ? ` — first: ${first.title}` : ''}`;
  return `✅ no problem found (${counts})`;
}

function findingsTable(findings: ReportedFinding[], r: Redactor): string {
  if (findings.length === 0) return '### Findings\n\nNo findings.';
  const rows = findings.map((f) => `| ${ICON[f.severity]} ${f.severity} | ${cell(code(f.check), r)} | ${cell(f.title, r)} |`);
  return ['### Findings', '', '| Severity | Check | Title |', '| --- | --- | --- |', ...rows].join('\n');
}

function findingDetails(findings: ReportedFinding[], r: Redactor): string | undefined {
  if (findings.length === 0) return undefined;
  // "Same cause" is the runner's decision (sameCauseAs), not re-decided here in severity order.
  const parts = findings.map((f) => findingBlock(f, r));
  return details(`Findings in detail (${findings.length})`, parts.join('\n\n'));
}

function findingBlock(f: ReportedFinding, r: Redactor): string {
  const sameCauseAs = f.sameCauseAs;
  const lines = [`#### ${ICON[f.severity]} ${f.severity} · ${code(f.check)} — ${inline(f.title, r)}`];
  if (f.detail) lines.push('', prose(f.detail, r));
  if (f.evidence?.length) lines.push('', '**Evidence**', '', ...f.evidence.map((e) => `- ${code(r.text(e))}`));
  if (sameCauseAs) {
    lines.push('', `Same cause as “${inline(sameCauseAs.title, r)}” (${code(sameCauseAs.check)}): one fix solves both.`);
  } else if (f.fix) {
    lines.push('', '**Fix**', '', fence(r.text(f.fix), 'text'));
  }
  return lines.join('\n');
}

function checksDetails(checks: CheckResult[], r: Redactor): string | undefined {
  if (checks.length === 0) return undefined;
  const rows = checks.map((c) =>
    `| ${cell(code(c.id), r)} | ${STATUS_ICON[c.status]} ${c.status} | ${Math.round(c.durationMs)} ms | ${cell(c.reason ?? '', r)} |`);
  return details(`All checks (${checks.length})`, ['| Check | Status | Time | Note |', '| --- | --- | ---: | --- |', ...rows].join('\n'));
}

function kimiDetails(kimi: unknown, r: Redactor): string | undefined {
  if (kimi === undefined) return undefined;
  return details('Kimi provider and model (effective, redacted)', fence(JSON.stringify(r.value(kimi), null, 2) ?? 'null', 'json'));
}

function logDetails(lines: string[] | undefined, r: Redactor): string | undefined {
  if (!lines?.length) return undefined;
  const relevant = relevantLogLines(lines);
  const content = relevant.length ? fence(relevant.map((l) => r.text(l)).join('\n'), 'text') : 'No `thinking=` line and no error in the recent log.';
  return details(`Recent log lines (${relevant.length})`, content);
}

function probeDetails(probe: ProbeReport | undefined, r: Redactor): string | undefined {
  if (!probe) return undefined;
  const q = probe.request;
  const facts = [
    `- **Request** ${code(`${q.method} ${r.text(q.url)}`)}`,
    q.model && `- **Model** ${code(r.text(q.model))}${q.api ? ` · **API** ${code(r.text(q.api))}` : ''}`,
    q.stream !== undefined && `- **Streaming** ${q.stream ? 'yes' : 'no'}`,
    q.systemRole && `- **System prompt role** ${code(r.text(q.systemRole))}`,
    q.thinking && `- **Thinking** ${code(r.text(q.thinking))}`,
    `- **Response** ${probe.status === undefined ? 'none' : `HTTP ${probe.status}`} · ${probe.ok ? 'ok' : 'failed'}${probe.durationMs === undefined ? '' : ` · ${Math.round(probe.durationMs)} ms`}`,
    probe.errorType && `- **Error type** ${code(r.text(probe.errorType))}`,
    probe.message && `- **Message** ${code(r.text(oneLine(probe.message)))}`,
    probe.answerCorrect !== undefined && `- **Answer correct** ${probe.answerCorrect ? 'yes' : 'no'}`,
    probe.reasoning !== undefined && `- **Reasoning returned** ${probe.reasoning ? 'yes' : 'no'}`,
  ].filter((l): l is string => typeof l === 'string');
  const headers = q.headers && Object.keys(q.headers).length ? headersTable(q.headers, r) : undefined;
  return details('API probe', [facts.join('\n'), headers].filter(Boolean).join('\n\n'));
}

/** Header values go through `value()` keyed by the header name, so `Authorization` is masked by name. */
function headersTable(headers: Record<string, string>, r: Redactor): string {
  const safe = r.value(headers, ['headers']);
  const rows = Object.entries(safe).map(([name, value]) => `| ${cell(code(name), r)} | ${cell(code(value), r)} |`);
  return ['| Header | Value |', '| --- | --- |', ...rows].join('\n');
}

function sessionsDetails(s: SessionsReport | undefined, r: Redactor): string | undefined {
  if (!s) return undefined;
  const parts = [`${plural(s.count, 'session')}${s.store ? ` in ${code(r.text(s.store))}` : ''}.`];
  const rows = (s.sessions ?? []).slice(0, MAX_SESSIONS).map((x) =>
    `| ${cell(code(x.key), r)} | ${cell(x.updatedAt === undefined ? '' : formatDate(x.updatedAt), r)} | ${cell(x.thinkingLevel ?? '', r)} | ${cell(x.model ?? '', r)} | ${cell(x.lastError ?? '', r)} |`);
  if (rows.length) parts.push(['| Session | Updated | Thinking | Model | Last error |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'));
  if (s.notes?.length) parts.push(s.notes.map((n) => `- ${inline(n, r)}`).join('\n'));
  return details('Sessions', parts.join('\n\n'));
}

function ledgerSection(ledger: Record<string, number>): string {
  const kinds = Object.entries(ledger).sort(([a], [b]) => a.localeCompare(b));
  const intro =
    'Secrets are shown as `prefix…last4 [#fingerprint]`: equal fingerprints mean equal values. ' +
    'The home directory is shown as `~`, the user name in other paths as `<user>`.';
  if (kinds.length === 0) return `### Redaction\n\n${intro}\n\nNo secret values were found to mask.`;
  const rows = kinds.map(([kind, n]) => `| ${cell(kind)} | ${n} |`);
  return ['### Redaction', '', intro, '', '| Kind | Values masked |', '| --- | ---: |', ...rows].join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Log lines

/** What a support thread needs from the log: the `thinking=` lines and the failures (clawdbot.md §6). */
const RELEVANT_LOG_RE = /thinking=|\berror|\bfail|denied|forbidden|refused|conflict|invalid|unauthori[sz]ed|rate.?limit|overloaded|timed? ?out/i;
// A status code only counts in a status position (`403 Kimi …`, `HTTP 403`), not in `waitMs=450`.
const STATUS_RE = /(?:^|\s)[45]\d\d\s+[A-Z{"]|\b(?:HTTP|status|code)\W{0,3}[45]\d\d\b/;
const BAD_LEVELS = new Set(['WARN', 'ERROR', 'FATAL']);

/** Failures that concern the model call itself: what a Kimi support thread is about. */
const PROVIDER_LOG_RE = /conflict|agent failed|embedded|provider|kimi|moonshot|model|role|reasoning|api.?key|unauthori[sz]ed|forbidden|rate.?limit|overloaded/i;

/**
 * The last relevant lines, condensed to `time LEVEL [subsystem] message`, oldest first. Three budgets,
 * so that a burst of gateway errors cannot push out what matters most: the `thinking=` lines (which level
 * the agent ran with, clawdbot.md §6), then failures of the model call, then any other error.
 * An error repeated later is kept once, at its latest time; identical `thinking=` lines are separate runs.
 */
export function relevantLogLines(lines: string[], limit = MAX_LOG_LINES): string[] {
  const thinkingBudget = Math.max(1, Math.floor(limit / 4));
  const providerBudget = Math.floor(limit / 2);
  const budgets = [thinkingBudget, providerBudget, Math.max(0, limit - thinkingBudget - providerBudget)];
  const used = [0, 0, 0];
  const picked: Array<{ at: number; line: string }> = [];
  const seen = new Set<string>();
  for (let i = lines.length - 1; i >= 0 && picked.length < limit; i--) {
    const line = condenseLogLine(lines[i]!);
    if (!line || !isRelevant(line)) continue;
    const tier = line.includes('thinking=') ? 0 : STATUS_RE.test(line) || PROVIDER_LOG_RE.test(line) ? 1 : 2;
    if (used[tier]! >= budgets[tier]!) continue;
    const message = withoutTime(line);
    if (tier > 0 && seen.has(message)) continue;
    seen.add(message);
    used[tier]!++;
    picked.push({ at: i, line });
  }
  return picked.sort((a, b) => a.at - b.at).map((p) => p.line);
}

function withoutTime(condensed: string): string {
  return condensed.replace(/^\d{4}-\d\d-\d\dT\S+\s+/, '');
}

function isRelevant(condensed: string): boolean {
  const level = condensed.split(' ', 3)[1] ?? '';
  return BAD_LEVELS.has(level) || RELEVANT_LOG_RE.test(condensed) || STATUS_RE.test(condensed);
}

/**
 * tslog JSON lines carry hundreds of bytes of metadata each; keep time, level, subsystem and message.
 * Message parts sit under `"0"`, `"1"`, …; subsystem loggers put `{"subsystem":…}` in `"0"` (clawdbot.md §6).
 */
export function condenseLogLine(line: string): string {
  const trimmed = line.trim();
  const parsed = trimmed.startsWith('{') ? parseObject(trimmed) : undefined;
  if (!parsed) return truncate(trimmed);
  const meta = asObject(parsed._meta);
  const time = str(parsed.time) ?? str(meta?.date) ?? '';
  const level = str(meta?.logLevelName) ?? '';
  const parts: string[] = [];
  let subsystem: string | undefined;
  for (let i = 0; typeof parsed[String(i)] !== 'undefined'; i++) {
    const part = parsed[String(i)];
    const sub = i === 0 && typeof part === 'string' ? str(asObject(parseObject(part))?.subsystem) : undefined;
    if (sub) subsystem = sub;
    else parts.push(typeof part === 'string' ? part : JSON.stringify(part));
  }
  const head = [time, level, subsystem && `[${subsystem}]`].filter(Boolean).join(' ');
  return truncate(`${head} ${oneLine(parts.join(' '))}`.trim());
}

function parseObject(s: string): Record<string, unknown> | undefined {
  try {
    return asObject(JSON.parse(s));
  } catch {
    return undefined;
  }
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function truncate(s: string): string {
  return s.length > MAX_LOG_LINE_CHARS ? `${s.slice(0, MAX_LOG_LINE_CHARS - 1)}…` : s;
}

// ---------------------------------------------------------------------------------------------------------
// Markdown helpers

/** `<details>` with blank lines around the content: GitHub renders Markdown inside only then. */
function details(summary: string, content: string): string {
  return `<details>\n<summary>${escapeHtml(summary)}</summary>\n\n${content}\n\n</details>`;
}

/** Text inside Markdown: `<user>` or `<path>` would otherwise be swallowed as an HTML tag. */
function escapeHtml(s: string): string {
  return s.replace(/&(?![a-z]+;|#\d+;)/gi, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A phrase on one line (titles, values in lists). */
function inline(s: string, r: Redactor): string {
  return escapeHtml(oneLine(r.text(s)));
}

/** A paragraph or more: line breaks kept, HTML neutralised. */
function prose(s: string, r: Redactor): string {
  return escapeHtml(r.text(s).trim());
}

/** A table cell: `|` would end the cell and a newline the row (GFM tables). */
function cell(s: string, r?: Redactor): string {
  const text = r ? r.text(s) : s;
  const isCode = text.startsWith('`') && text.endsWith('`');
  const safe = isCode ? text : escapeHtml(text);
  return safe.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>').trim();
}

/** Inline code that survives backticks in the content. */
function code(s: string): string {
  const text = oneLine(s);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
function fence(content: string, lang: string): string {
  const longest = Math.max(0, ...(content.match(/`{3,}/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  return `${ticks}${lang}\n${content.replace(/\s+$/, '')}\n${ticks}`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, ' ').trim();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function formatDate(d: Date | string | number): string {
  const date = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(date.getTime())) return String(d);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
