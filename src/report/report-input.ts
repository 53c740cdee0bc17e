// The run's facts (src/engine/run-facts.ts, typed) → ReportInput: the plain data renderMarkdown() and
// renderChat() turn into a support-thread report. Nothing here reads a file, asks the network, or imports a
// fact module at run time: it maps what the checks of this run already learned.
import type { Environment } from '../engine/diagnose.js';
import type { NotCollected, RunFacts } from '../engine/run-facts.js';
import { summarize } from '../engine/runner.js';
import type { CheckResult } from '../engine/types.js';
import type { LogEvidence } from '../facts/logs.js';
import type { ProbeRun } from '../facts/probe-target.js';
import type { SessionsReport as SessionFacts, TranscriptError } from '../facts/sessions.js';
import type { LogReport, ProbeReport, ReportInput, SessionRow, SessionsReport } from './markdown.js';
import { oneLine } from '../util/text.js';

export interface BuiltReportInput {
  input: ReportInput;
  /** One line per section left out, e.g. `API probe — not collected in this run (probe.chat skipped: --offline …)`. */
  notCollected: string[];
}

export interface RunData {
  results: CheckResult[];
  environment: Environment;
}

export function buildReportInput(run: RunData, facts: RunFacts, opts: { now?: Date; toolVersion: string }): BuiltReportInput {
  const input: ReportInput = {
    tool: { name: 'claw-doctor', version: opts.toolVersion },
    generatedAt: opts.now ?? new Date(),
    environment: {
      os: run.environment.os,
      node: run.environment.node,
      product: run.environment.product,
      productVersion: run.environment.productVersion,
      installKind: facts.installKind,
      configPath: run.environment.configPath,
      ...(facts.gateway ? { gateway: facts.gateway } : {}),
    },
    checks: run.results,
    findings: run.results.flatMap((r) => r.findings),
    summary: summarize(run.results),
  };
  const notCollected: string[] = [];
  const add = <T extends object>(title: string, fact: T | NotCollected, use: (v: T) => Partial<ReportInput> | string): void => {
    if ('notCollected' in fact) return void notCollected.push(`${title} — ${fact.notCollected}`);
    const part = use(fact);
    if (typeof part === 'string') notCollected.push(`${title} — ${part}`);
    else Object.assign(input, part);
  };
  add('Kimi provider and model', facts.kimi, (kimi) => ({ kimi }));
  add('Recent log lines', facts.logs, logSection);
  add('API probe', facts.probe, probeSection);
  add('Sessions', facts.sessions, sessionsSection);
  return { input, notCollected };
}

// ---------------------------------------------------------------------------------------------------------
// Logs: the thinking runs and error groups the logs checks parsed (src/facts/logs.ts), newest last.

const MAX_THINKING_RUNS = 5;
const MAX_ERROR_GROUPS = 10;

function logSection(ev: LogEvidence): Partial<ReportInput> | string {
  if (!ev.files.length) return 'no log file was found';
  const log: LogReport = {
    files: ev.files.length,
    thinking: ev.thinkingRuns.filter((r) => !r.probe).slice(-MAX_THINKING_RUNS).map((r) => ({
      time: r.time,
      level: r.thinking,
      model: r.provider && r.model ? `${r.provider}/${r.model}` : r.model,
      location: r.location,
    })),
    errors: ev.errors.slice(0, MAX_ERROR_GROUPS).map((g) => ({
      count: g.count,
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
      level: g.level,
      text: g.sample,
      location: g.location,
    })),
  };
  return { log };
}

// ---------------------------------------------------------------------------------------------------------
// Probe

const SECRET_HEADER_RE = /authorization|api[-_]?key|token|secret|cookie/i;

/** The agent's model's probe (the first that was sent). */
function probeSection(runs: ProbeRun[]): Partial<ReportInput> | string {
  const sent = runs.find((r) => r.result);
  if (!sent?.result) {
    const skipped = runs.find((r) => r.skipped);
    return skipped?.skipped ? `not sent: ${oneLine(skipped.skipped.reason, 300)}` : 'no Kimi model to probe';
  }
  return { probe: probeReportOf(sent) };
}

export function probeReportOf(run: ProbeRun): ProbeReport {
  const r = run.result!;
  const q = r.request;
  const headers: Record<string, string> = {};
  for (const name of q.headerNames) {
    const configured = Object.entries(run.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    // A placeholder word, so the renderer's by-name masking leaves it readable and the ledger does not count it.
    if (SECRET_HEADER_RE.test(name)) headers[name] = '(redacted)';
    else if (name.toLowerCase() === 'user-agent' && q.userAgent !== undefined) headers[name] = q.userAgent;
    else headers[name] = configured ?? '(sent)';
  }
  const classified = r.error?.classified;
  return {
    request: {
      method: q.method,
      url: q.url,
      model: q.model,
      api: run.api,
      stream: q.stream,
      systemRole: q.systemRole,
      thinking: run.thinking.reachesModel ? run.thinking.level : `off (${run.thinking.level} does not reach the model)`,
      headers,
    },
    ok: r.ok,
    status: r.status,
    durationMs: r.totalMs,
    errorType: classified ? classified.cause : r.error?.kind,
    message: classified ? `${classified.title}: ${r.error?.message ?? ''}` : r.error?.message,
    answerCorrect: r.ok ? r.hasAnswer : undefined,
    reasoning: r.ok ? Boolean(r.reasoning) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Sessions

const MAX_NOTES = 12;

function sessionsSection(facts: SessionFacts): Partial<ReportInput> | string {
  if (!facts.exists) return `no state dir at ${facts.stateDir}`;
  return { sessions: sessionsReportOf(facts) };
}

export function sessionsReportOf(facts: SessionFacts): SessionsReport {
  const rows: (SessionRow & { at: number })[] = [];
  const notes: string[] = [];
  for (const agent of facts.agents) {
    const lastErrorOf = new Map<string, TranscriptError>();
    for (const t of agent.transcripts) {
      const last = t.errors.at(-1);
      if (last) lastErrorOf.set(t.sessionId, last);
    }
    for (const e of agent.store.entries) {
      const transcript = agent.transcripts.find((t) => t.sessionId === e.sessionId);
      const model = e.modelOverride
        ? `${e.providerOverride ? `${e.providerOverride}/` : ''}${e.modelOverride} (override)`
        : e.model ? `${e.modelProvider ? `${e.modelProvider}/` : ''}${e.model}` : undefined;
      rows.push({
        key: facts.agents.length > 1 ? `${agent.agentId} ${e.key}` : e.key,
        at: e.updatedAt ?? 0,
        updatedAt: e.updatedAt,
        thinkingLevel: e.thinkingLevel ?? transcript?.thinkingLevel,
        model,
        lastError: e.sessionId ? oneLine(lastErrorOf.get(e.sessionId)?.text ?? '', 300) || undefined : undefined,
      });
    }
    const unlisted = agent.transcripts.filter((t) => !t.listed).length;
    notes.push(
      `Agent ${agent.agentId}: ${agent.store.entries.length} listed session(s), ${agent.transcriptCount} transcript(s)` +
      `${unlisted ? ` (${unlisted} not listed in sessions.json)` : ''}, ${kib(agent.transcriptBytes)}` +
      `${agent.store.exists ? '' : '; no sessions.json'}${agent.layout === 'legacy' ? ' (legacy layout)' : ''}.`,
    );
    const stale = agent.locks.filter((l) => l.stale).length;
    if (stale) notes.push(`Agent ${agent.agentId}: ${stale} stale lock file(s).`);
  }
  // `facts.problems` already holds every agent's problems (src/facts/sessions.ts): listed once.
  for (const p of facts.problems) notes.push(`${p.kind}: ${oneLine(p.detail, 300)}`);
  if (facts.legacyDirs.length) notes.push(`Legacy session dirs: ${facts.legacyDirs.join(', ')}`);
  const stores = facts.agents.filter((a) => a.store.exists).map((a) => a.store.path);
  return {
    store: stores.length === 1 ? stores[0] : undefined,
    count: rows.length,
    sessions: rows.sort((a, b) => b.at - a.at).map(({ at: _at, ...row }) => row),
    notes: notes.length > MAX_NOTES ? [...notes.slice(0, MAX_NOTES), `… and ${notes.length - MAX_NOTES} more`] : notes,
  };
}

// ---------------------------------------------------------------------------------------------------------

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

