// RunOutcome → ReportInput: the plain data renderMarkdown() turns into a support-thread report. Nothing here
// prints or redacts (the renderer does, through the run's one Redactor); nothing here asks the outside world
// anything a check has not already asked. The log, session and probe sections use only facts some check
// computed in this run (`ctx.known`): a report never sends its own probe or walks sessions a `--skip`
// excluded. A section whose fact is missing becomes a "not collected in this run" line instead.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../engine/context.js';
import { summarize } from '../engine/runner.js';
import type { CheckResult } from '../engine/types.js';
import { get, getConfig, isObject, type Json, type JsonObject } from '../facts/config.js';
import { getKimiSetup, type EffectiveModel, type KimiSetup } from '../facts/kimi.js';
import { gatewaySummary, type GatewayFacts } from '../facts/gateway.js';
import { getInstalledCli } from '../facts/product.js';
import type { ProbeRun } from '../facts/probe-target.js';
import type { SessionsReport as SessionFacts, TranscriptError } from '../facts/sessions.js';
import { tailLines } from '../facts/tail.js';
import type { RunOutcome } from '../main.js';
import type { ProbeReport, ReportInput, SessionRow, SessionsReport } from './markdown.js';

/** Bytes read from the end of each log file for the report: its relevant lines are among the last ones. */
const REPORT_LOG_TAIL_BYTES = 1024 * 1024;
/** Raw lines handed to relevantLogLines, newest kept. */
const MAX_RAW_LOG_LINES = 20_000;

export interface BuiltReportInput {
  input: ReportInput;
  /** One line per section left out, e.g. `API probe — not collected in this run (probe.chat skipped: --offline …)`. */
  notCollected: string[];
}

// ---------------------------------------------------------------------------------------------------------
// Sections fed by facts other checks compute. Adding one is one entry here.

interface FactSection<T> {
  /** How the report names the section. */
  title: string;
  /** The fact name the getter memoizes under (src/facts/evidence-logs.ts, src/facts/probe-target.ts). */
  fact: string;
  /** The checks that compute the fact, for the "not collected" line. */
  checks: string[];
  /** The fact → its part of the input, or a reason why there is nothing to show. */
  build(value: T, ctx: Context): Promise<Partial<ReportInput> | string> | Partial<ReportInput> | string;
}

/** The part of getLogFiles()'s answer the report reads (src/facts/evidence-logs.ts `LogFiles`). */
interface KnownLogFiles {
  files: { path: string; mtimeMs?: number }[];
}

const SECTIONS: FactSection<never>[] = [
  section<KnownLogFiles>({ title: 'Recent log lines', fact: 'logs.files', checks: ['logs.today', 'logs.thinking', 'logs.errors'], build: logSection }),
  section<ProbeRun[]>({ title: 'API probe', fact: 'probe', checks: ['probe.chat'], build: probeSection }),
  section<SessionFacts>({ title: 'Sessions', fact: 'sessions', checks: ['sessions.store', 'sessions.errors', 'sessions.integrity'], build: sessionsSection }),
];

function section<T>(s: FactSection<T>): FactSection<never> {
  return s as unknown as FactSection<never>;
}

export async function buildReportInput(outcome: RunOutcome, opts: { now?: Date; toolVersion: string }): Promise<BuiltReportInput> {
  const { ctx, results } = outcome;
  const input: ReportInput = {
    tool: { name: 'claw-doctor', version: opts.toolVersion },
    generatedAt: opts.now ?? new Date(),
    environment: {
      os: outcome.environment.os,
      node: outcome.environment.node,
      product: outcome.environment.product,
      productVersion: outcome.environment.productVersion,
      installKind: await installKind(ctx),
      gateway: await gatewayLine(ctx),
      configPath: outcome.environment.configPath,
    },
    checks: results,
    findings: results.flatMap((r) => r.findings),
    summary: summarize(results),
  };
  const notCollected: string[] = [];
  const kimi = await kimiView(ctx);
  if (typeof kimi === 'string') notCollected.push(`Kimi provider and model — ${kimi}`);
  else input.kimi = kimi;
  for (const s of SECTIONS) {
    const part = await fromFact(s, ctx, results);
    if (typeof part === 'string') notCollected.push(`${s.title} — ${part}`);
    else Object.assign(input, part);
  }
  return { input, notCollected };
}

async function fromFact(s: FactSection<never>, ctx: Context, results: CheckResult[]): Promise<Partial<ReportInput> | string> {
  const known = ctx.known<never>(s.fact);
  if (!known) return `not collected in this run (${whyNotRun(s.checks, results)})`;
  try {
    return await s.build(await known, ctx);
  } catch (e) {
    return `not collected in this run (${oneLine((e as Error)?.message ?? String(e))})`;
  }
}

/** Why none of `checks` computed their fact: skipped (with the reason), timed out, or not selected. */
function whyNotRun(checks: string[], results: CheckResult[]): string {
  const ran = results.filter((r) => checks.includes(r.id));
  if (ran.length === 0) return `${checks.join(', ')} not selected`;
  const r = ran[0]!;
  return `${r.id} ${r.status}${r.reason ? `: ${oneLine(r.reason)}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// Header

/**
 * How the product is installed, from where its CLI really lives: npm's global `lib/node_modules` (or
 * `%APPDATA%\npm\node_modules` on Windows), npx's `_npx` cache, or something else.
 */
export function installKindOf(cliPath: string | undefined): string {
  if (!cliPath) return 'unknown (no product CLI on PATH)';
  let real = cliPath;
  try {
    real = fs.realpathSync(cliPath);
  } catch {
    /* a dangling link: judge the path itself */
  }
  const norm = (p: string): string => p.replace(/\\/g, '/');
  const name = path.basename(cliPath).replace(/\.(cmd|exe|ps1)$/i, '');
  if (/\/_npx\//.test(norm(real)) || /\/_npx\//.test(norm(cliPath))) return 'npx';
  if (/\/lib\/node_modules\//.test(norm(real)) || /\/npm\/node_modules\//.test(norm(real))) return 'global npm';
  // A Windows shim or a copied launcher next to npm's global folder.
  const dir = path.dirname(cliPath);
  for (const pkg of [path.join(dir, 'node_modules', name), path.join(dir, '..', 'lib', 'node_modules', name)]) {
    if (fs.existsSync(pkg)) return 'global npm';
  }
  return 'unknown';
}

/** The gateway checks' fact, when one of them ran: the report never asks the gateway itself. */
async function gatewayLine(ctx: Context): Promise<string | undefined> {
  const known = ctx.known<GatewayFacts>('gateway');
  return known ? gatewaySummary(await known, ctx.home) : undefined;
}

async function installKind(ctx: Context): Promise<string> {
  try {
    return installKindOf((await getInstalledCli(ctx))?.path);
  } catch {
    return 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------------------
// The effective Kimi configuration

/**
 * What the product would send for each Kimi model: where the values come from, and the provider and model
 * blocks as written (before `${VAR}`, so references show as references). Plain data: the renderer redacts
 * it by key and by value. The key's value is never put here — only where it comes from.
 */
async function kimiView(ctx: Context): Promise<Record<string, unknown> | string> {
  let setup: KimiSetup;
  let raw: JsonObject | undefined;
  try {
    [setup, raw] = await Promise.all([getKimiSetup(ctx), getConfig(ctx).then((c) => c.raw)]);
  } catch (e) {
    return `not collected in this run (${oneLine((e as Error)?.message ?? String(e))})`;
  }
  if (!raw) return 'no config was read (see config.location and config.parse)';
  const agent = setup.agent;
  if (!setup.kimiModels.length && !agent.written) return 'the config sets no agent model and no Kimi provider';
  return {
    generation: setup.generation,
    agentModel: agent.written ? { written: agent.written, ...(agent.viaAlias ? { alias: agent.viaAlias } : {}), ref: agent.ref ?? null } : null,
    models: setup.kimiModels.map((m) => modelView(m, m === setup.primary, raw)),
    ...(setup.kimiModels.length ? {} : { note: 'the agent model is not a Kimi model and no Kimi provider is configured' }),
  };
}

function modelView(m: EffectiveModel, isPrimary: boolean, raw: JsonObject | undefined): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const headersFrom: Record<string, string> = {};
  for (const [name, hv] of Object.entries(m.headers)) {
    headers[name] = hv.value;
    headersFrom[name] = hv.from;
  }
  const rawProvider = m.provider ? get(raw, m.provider.path) : undefined;
  const rawModel = m.model ? get(raw, m.model.path) : undefined;
  return {
    ref: m.ref,
    usedByAgent: isPrimary,
    kind: m.kind,
    baseUrl: m.baseUrl ?? null,
    api: m.api,
    reasoning: m.reasoning,
    supportsDeveloperRole: m.supportsDeveloperRole ?? null,
    contextWindow: m.contextWindow,
    maxTokens: m.maxTokens,
    headers,
    headersFrom,
    // In words only: `env KIMICODE_API_KEY (from config env.vars)`.
    keySource: m.key.detail,
    ...(m.key.shadowed.length ? { keysShadowed: m.key.shadowed } : {}),
    ...(m.synthetic ? { note: 'the model id is not defined on its provider: the product builds a bare model without headers or compat' } : {}),
    ...(m.builtIn && !m.model ? { builtIn: m.builtIn.id } : {}),
    providerAsWritten: isObject(rawProvider as Json) ? withoutModels(rawProvider as JsonObject) : null,
    modelAsWritten: rawModel ?? null,
  };
}

function withoutModels(block: JsonObject): JsonObject {
  const { models, ...rest } = block;
  return Array.isArray(models) ? { ...rest, models: `(${models.length} model${models.length === 1 ? '' : 's'})` } : rest;
}

// ---------------------------------------------------------------------------------------------------------
// Logs

/** The raw tail of every log file the logs checks read, oldest file first; renderMarkdown picks the lines. */
async function logSection(found: KnownLogFiles): Promise<Partial<ReportInput> | string> {
  if (!found.files.length) return 'no log file was found';
  const files = [...found.files].sort((a, b) => (a.mtimeMs ?? 0) - (b.mtimeMs ?? 0));
  const lines: string[] = [];
  for (const f of files) {
    const t = await tailLines(f.path, { maxBytes: REPORT_LOG_TAIL_BYTES });
    lines.push(...t.lines);
  }
  return { logLines: lines.slice(-MAX_RAW_LOG_LINES) };
}

// ---------------------------------------------------------------------------------------------------------
// Probe

const SECRET_HEADER_RE = /authorization|api[-_]?key|token|secret|cookie/i;

/** The agent's model's probe (the first that was sent); the others are listed in the section's notes. */
function probeSection(runs: ProbeRun[]): Partial<ReportInput> | string {
  const sent = runs.find((r) => r.result);
  if (!sent?.result) {
    const skipped = runs.find((r) => r.skipped);
    return skipped?.skipped ? `not sent: ${oneLine(skipped.skipped.reason)}` : 'no Kimi model to probe';
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
        lastError: e.sessionId ? oneLine(lastErrorOf.get(e.sessionId)?.text ?? '') || undefined : undefined,
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
  for (const p of [...facts.problems, ...facts.agents.flatMap((a) => a.problems)]) notes.push(`${p.kind}: ${oneLine(p.detail)}`);
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

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 300 ? `${t.slice(0, 299)}…` : t;
}
