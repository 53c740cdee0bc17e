// `claw-doctor --report`: one paste-ready Markdown document for a GitHub issue or a Discord/Telegram thread
// (DESIGN.md "Rooms": report). Short on top — header, verdict, findings table — with everything a helper
// may want folded into `<details>`, so a pasted report does not flood the thread. A renderer computes no
// facts: everything comes in as plain data, and every string goes through the Redactor, then the whole
// document through `redactor.final()`.
import type { CheckResult, CheckStatus, ReportedFinding, Severity } from '../engine/types.js';
import type { Redactor } from './redact.js';
import { joinLines as oneLine } from '../util/text.js';

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

/** What the logs checks found (src/facts/logs.ts, parsed once by them): the runs' thinking and the errors. */
export interface LogReport {
  /** How many log files were read. */
  files: number;
  /** The last agent runs (probe runs excluded), oldest first. */
  thinking: { time?: string; level?: string; model?: string; location: string }[];
  /** Error groups, known causes first (as logs.errors orders them). */
  errors: { count: number; firstSeen?: string; lastSeen?: string; level?: string; text: string; location: string }[];
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
  log?: LogReport;
  probe?: ProbeReport;
  sessions?: SessionsReport;
}

const MAX_LOG_TEXT_CHARS = 400;
const MAX_SESSIONS = 10;

const ICON: Record<Severity, string> = { error: '❌', warn: '⚠️', info: 'ℹ️' };
const STATUS_ICON: Record<CheckStatus, string> = {
  pass: '✅', warn: '⚠️', error: '❌', info: 'ℹ️', skipped: '⏭️', timeout: '⏱️', crashed: '💥',
};

export function renderMarkdown(input: ReportInput, redactor: Redactor): string {
  const r = redactor;
  const causes = rootCauses(input.findings);
  const body = [
    header(input, r),
    `**Verdict:** ${inline(input.verdict ?? verdict(input.summary, causes), r)}`,
    causesSection(causes, r),
    '### Details',
    findingDetails(input.findings, r),
    checksDetails(input.checks, r),
    kimiDetails(input.kimi, r),
    logDetails(input.log, r),
    probeDetails(input.probe, r),
    sessionsDetails(input.sessions, r),
  ].filter((part): part is string => Boolean(part));
  // The ledger is written last, from what the final scan of everything above has counted.
  const text = r.final(body.join('\n\n'));
  return `${text}\n\n${r.final(ledgerSection(r.ledger()))}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Root causes: one entry per cause, the first finding's fix, the other sightings as its evidence.

export interface RootCause {
  /** The finding whose fix is shown: the first one of the cause in check order (the runner decides it). */
  first: ReportedFinding;
  /** The most severe of the cause's findings. */
  severity: Severity;
  /** Other checks' findings of the same cause. */
  alsoSeen: ReportedFinding[];
}

const RANK: Record<Severity, number> = { error: 0, warn: 1, info: 2 };

/** The finding a later one names as its cause: `sameCauseAs` when the runner set it, else the same `cause`. */
function causeKey(f: ReportedFinding): string {
  const same = f.sameCauseAs;
  if (same) return `finding:${same.check}:${same.title}`;
  return f.cause ? `cause:${f.cause}` : `finding:${f.check}:${f.title}`;
}

/** Errors and warnings grouped by root cause, errors first, in check order within a severity. */
export function rootCauses(findings: ReportedFinding[]): RootCause[] {
  const byKey = new Map<string, RootCause>();
  const order: RootCause[] = [];
  for (const f of findings) {
    if (f.severity === 'info') continue;
    const own = f.cause ? `cause:${f.cause}` : `finding:${f.check}:${f.title}`;
    const group = byKey.get(causeKey(f)) ?? byKey.get(own);
    if (group) {
      group.alsoSeen.push(f);
      if (RANK[f.severity] < RANK[group.severity]) group.severity = f.severity;
      continue;
    }
    const g: RootCause = { first: f, severity: f.severity, alsoSeen: [] };
    byKey.set(own, g);
    byKey.set(`finding:${f.check}:${f.title}`, g);
    order.push(g);
  }
  return order.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

/** One line: what is wrong, counted as the section below lists it, and how many checks passed. */
export function verdict(summary: ReportSummary, causes: RootCause[]): string {
  const errors = causes.filter((c) => c.severity === 'error').length;
  const warnings = causes.length - errors;
  const checks = `${summary.passed} checks passed · ${summary.skipped} skipped`;
  if (!causes.length) return `✅ no problem found (${checks})`;
  const what = `${plural(causes.length, 'cause')} to fix: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  return `${errors ? ICON.error : ICON.warn} ${what} · ${checks}`;
}

function causesSection(causes: RootCause[], r: Redactor): string {
  if (!causes.length) return '### Root causes\n\nNone: no error and no warning.';
  const parts = causes.map((c, i) => {
    const f = c.first;
    const lines = [`#### ${i + 1}. ${ICON[c.severity]} ${inline(f.title, r)}`, '', `Found by ${code(f.check)}${f.evidence?.length ? ` at ${code(r.text(f.evidence[0]!))}` : ''}.`];
    if (c.alsoSeen.length) {
      lines.push('', '**Also seen**', '', ...c.alsoSeen.map((x) => `- ${code(x.check)}: ${inline(x.title, r)}${x.evidence?.length ? ` (${code(r.text(x.evidence[0]!))})` : ''}`));
    }
    lines.push('', '**Fix**', '', f.fix ? fence(r.text(f.fix), 'text') : 'No fix is known; the details below say what was seen.');
    if (f.repair) lines.push('', `\`claw-doctor --fix\` can do this: ${inline(f.repair.summary, r)}`);
    return lines.join('\n');
  });
  return ['### Root causes', '', ...parts.join('\n\n').split('\n')].join('\n');
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

function findingDetails(all: ReportedFinding[], r: Redactor): string | undefined {
  if (all.length === 0) return undefined;
  const findings = [...all].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  const rows = findings.map((f) => `| ${ICON[f.severity]} ${f.severity} | ${cell(code(f.check), r)} | ${cell(f.title, r)} |`);
  const table = ['| Severity | Check | Title |', '| --- | --- | --- |', ...rows].join('\n');
  return details(`All findings (${findings.length})`, [table, ...findings.map((f) => findingBlock(f, r))].join('\n\n'));
}

function findingBlock(f: ReportedFinding, r: Redactor): string {
  const lines = [`#### ${ICON[f.severity]} ${f.severity} · ${code(f.check)} — ${inline(f.title, r)}`];
  if (f.detail) lines.push('', prose(f.detail, r));
  if (f.evidence?.length) lines.push('', '**Evidence**', '', ...f.evidence.map((e) => `- ${code(r.text(e))}`));
  if (f.fix) lines.push('', '**Fix**', '', fence(r.text(f.fix), 'text'));
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

function logDetails(log: LogReport | undefined, r: Redactor): string | undefined {
  if (!log) return undefined;
  const lines = [
    ...log.thinking.map((t) => `${t.time ?? '?'} thinking=${t.level ?? '?'}${t.model ? ` ${t.model}` : ''}`),
    ...log.errors.map((e) => `${e.lastSeen ?? '?'} ${e.level ?? 'ERROR'} ${e.count > 1 ? `×${e.count} (first ${e.firstSeen ?? '?'}) ` : ''}${truncate(oneLine(e.text))}`),
  ];
  const content = lines.length ? fence(lines.map((l) => r.text(l)).join('\n'), 'text') : 'No `thinking=` line and no error in the recent log.';
  return details(`Recent log lines (${lines.length}, from ${plural(log.files, 'file')})`, content);
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

function truncate(s: string): string {
  return s.length > MAX_LOG_TEXT_CHARS ? `${s.slice(0, MAX_LOG_TEXT_CHARS - 1)}…` : s;
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

/**
 * A paragraph or more, HTML neutralised, every line kept: a lone newline joins lines in Markdown, so each
 * one ends in a hard break (CommonMark's backslash), and indented lines keep their indent as non-breaking
 * spaces.
 */
function prose(s: string, r: Redactor): string {
  const lines = escapeHtml(r.text(s).trim()).split(/\r?\n/);
  return lines.map((l) => l.replace(/^ +/, (sp) => '\u00a0'.repeat(sp.length))).map((l, i) => (l.trim() && lines[i + 1]?.trim() ? `${l}\\` : l)).join('\n');
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


function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function formatDate(d: Date | string | number): string {
  const date = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(date.getTime())) return String(d);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
