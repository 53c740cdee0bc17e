// The fixer: the only code that changes the user's machine (DESIGN.md "The flow"). With --fix it
// collects the repairs the checks attached to their findings, shows the plan (a diff for every config
// edit), asks on a TTY (--yes accepts; no TTY and no --yes: plan only, exit 1), applies each repair on
// its own — one failing never blocks another — journals every change, restarts the gateway when the
// config changed and one runs (it reads its config at start, clawdbot.md §8), runs the answered checks
// again and says what is fixed, what is not, and what the user must still do.
// `claw-doctor undo` and `claw-doctor restore` live here too: they change the machine as well.
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { Context } from '../engine/context.js';
import type { Options } from '../engine/options.js';
import { UsageError } from '../engine/registry.js';
import { exitCodeFor } from '../engine/exit-code.js';
import type { CheckResult, Repair } from '../engine/types.js';
import { getConfig, get, type LoadedConfig } from '../facts/config.js';
import { expandTilde, getLocation, tildify } from '../facts/paths.js';
import { getProduct } from '../facts/product.js';
import { diagnose, type RunOutcome } from '../engine/diagnose.js';
import { renderOutcome } from '../report/outcome.js';
import { classify } from '../report/redact.js';
import { buildRedactor } from '../engine/secrets.js';
import { applyConfigEdits, planConfigEdits, type ConfigEdit } from './config-edit.js';
import { sha256, sha256File } from './files.js';
import { findGatewayCli, gatewayIsUp, gatewayPort, gatewayStart, gatewayStop, type GatewayCli, type Product } from './gateway.js';
import { formatPath } from './json5-edit.js';
import { parseTree, walkPath, type JsonPath } from './json5-cst.js';
import { Journal, journalDir, readJournals, undoLast } from './journal.js';
import { renderPlan } from './plan-render.js';
import { configEditFromRepair } from './repairs.js';
import { resetSessions, type ResetSessionsResult } from './reset-sessions.js';
import { latestSessionsArchive, listSessionFiles, restoreSessions } from './sessions-backup.js';

// ---------------------------------------------------------------------------------------------------
// The plan

/** One repair as numbered in the plan, with the check and finding it answers. */
export interface PlannedRepair {
  n: number;
  /** The check whose finding carried it; undefined for `--reset-sessions`. */
  check?: string;
  finding?: string;
  repair: Repair;
}

/** Every config repair on one file, applied as one edit: one backup, one journal entry. */
export interface ConfigBatch {
  file: string;
  repairs: PlannedRepair[];
  edits: ConfigEdit[];
  before: string;
  after: string;
  /** sha256 of the bytes the plan was made from: applying refuses a file that changed since. */
  sha256: string;
}

export interface SessionsStep {
  repair: PlannedRepair;
  stateDir: string;
  agentId: string;
  sessionsDir: string;
  backupsDir: string;
  files: number;
  cli: GatewayCli;
  cliDisplay: string;
  port: number;
  gatewayUp: boolean;
}

export interface RefusedRepair {
  repair: PlannedRepair;
  reason: string;
}

export interface FixPlan {
  configBatches: ConfigBatch[];
  sessions: SessionsStep[];
  refused: RefusedRepair[];
  /** Set when the plan changes the config: the gateway must restart to read it. */
  restart?: { port: number; cli: GatewayCli; cliDisplay: string; gatewayUp: boolean };
  journalDir: string;
}

// ---------------------------------------------------------------------------------------------------
// Input and output

export interface FixIO {
  env: NodeJS.ProcessEnv;
  cwd: string;
  home?: string;
  /** Writes to stdout. Everything passed here was redacted already. */
  write(text: string): void;
  /** stdin and stdout are terminals: the plan can be confirmed by a person. */
  interactive: boolean;
  ask(question: string): Promise<boolean>;
}

/** The steps that touch the machine, replaceable in tests to inject failures. */
export interface FixDeps {
  applyConfigEdits: typeof applyConfigEdits;
  resetSessions: typeof resetSessions;
  gatewayStop: typeof gatewayStop;
  gatewayStart: typeof gatewayStart;
  gatewayIsUp: (port: number) => Promise<boolean>;
  /** Per gateway CLI command, and the wait for its port. */
  gatewayTimeoutMs: number;
  gatewaySettleMs: number;
}

const realDeps: FixDeps = {
  applyConfigEdits,
  resetSessions,
  gatewayStop,
  gatewayStart,
  gatewayIsUp: (port) => gatewayIsUp(port),
  gatewayTimeoutMs: 30_000,
  gatewaySettleMs: 15_000,
};

function defaultIO(): FixIO {
  return {
    env: process.env,
    cwd: process.cwd(),
    write: (t) => void process.stdout.write(t),
    interactive: !!process.stdin.isTTY && !!process.stdout.isTTY,
    ask: askOnTerminal,
  };
}

function askOnTerminal(question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    let answered = false;
    rl.on('close', () => {
      if (!answered) resolve(false); // Ctrl+D / Ctrl+C: no
    });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(/^\s*y(es)?\s*$/i.test(answer));
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// --fix

type RepairOutcome =
  | { status: 'applied'; detail?: string }
  | { status: 'failed'; detail: string }
  | { status: 'refused'; detail: string };

interface Verdict {
  planned: PlannedRepair;
  outcome: RepairOutcome;
  /** After the re-run: fixed, still failing, or not re-checked (why). */
  recheck?: { state: 'fixed' | 'still' | 'unknown'; detail?: string };
}

/**
 * `--fix`, `--dry-run`, `--reset-sessions` (and `--yes` with them). Returns the exit code.
 * `--reset-sessions` alone plans only the sessions reset; with `--fix` it joins the other repairs.
 */
export async function runFix(options: Options, ioIn: Partial<FixIO> = {}, depsIn: Partial<FixDeps> = {}): Promise<number> {
  const io: FixIO = { ...defaultIO(), ...ioIn };
  const deps: FixDeps = { ...realDeps, ...depsIn };
  const usage = fixUsageError(options);
  if (usage) {
    process.stderr.write(`claw-doctor: ${usage}\n`);
    return 2;
  }
  const init = { env: io.env, cwd: io.cwd, home: io.home };
  let outcome: RunOutcome;
  try {
    outcome = await diagnose(options, init);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`claw-doctor: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const r = outcome.redactor;
  const say = (text: string): void => io.write(r.final(r.text(homeAsTilde(text, outcome.ctx.home))));
  io.write(renderOutcome(outcome, options));

  const planned = collectRepairs(outcome, options, await stateDirOf(outcome.ctx));
  const plan = await makePlan(outcome.ctx, planned, deps);
  const show = (p: string): string => tildify(p, outcome.ctx.home);
  say(`\n${renderPlan(plan, show)}`);

  const actionable = plan.configBatches.length + plan.sessions.length;
  if (actionable === 0) {
    say(planned.length === 0 ? '\nNothing to fix.\n' : '\nNothing was changed.\n');
    return outcome.exitCode;
  }
  if (options.dryRun) {
    say('\nDry run: nothing was changed. Run the same command without --dry-run to apply this plan.\n');
    return outcome.exitCode;
  }
  if (!options.yes) {
    if (!io.interactive) {
      say('\nNothing was changed: there is no terminal to confirm on. Run again with --yes to apply this plan.\n');
      return 1;
    }
    if (!(await io.ask(`\nApply ${actionable === 1 ? 'this change' : `these ${actionable} changes`}? [y/N] `))) {
      say('Nothing was changed.\n');
      return outcome.exitCode;
    }
  }

  const stateDir = await stateDirOf(outcome.ctx);
  const preflight = await journalWritable(stateDir);
  if (preflight) {
    say(`\nNothing was changed: ${preflight}\n`);
    return 1;
  }
  const journal = new Journal(stateDir);
  const verdicts: Verdict[] = plan.refused.map((x) => ({ planned: x.repair, outcome: { status: 'refused', detail: x.reason } }));
  const secrets = envSecrets(outcome.ctx, await getConfig(outcome.ctx));

  say('\nApplying\n');
  let configChanged = false;
  for (const batch of plan.configBatches) {
    const results = await applyBatch(batch, journal, secrets, deps);
    if (results.some((v) => v.outcome.status === 'applied')) configChanged = true;
    for (const v of results) say(`  ${mark(v.outcome)} ${v.planned.n}. ${v.planned.repair.summary}${v.outcome.detail ? `\n     ${v.outcome.detail}` : ''}\n`);
    verdicts.push(...results);
  }
  const resets: ResetSessionsResult[] = [];
  for (const step of plan.sessions) {
    const result = await applySessionsReset(step, journal, deps);
    resets.push(result);
    const v: Verdict = {
      planned: step.repair,
      outcome: result.ok || result.sessions === 'cleared' || result.sessions === 'partly-cleared' || result.sessions === 'none'
        ? { status: 'applied', detail: result.state }
        : { status: 'failed', detail: result.state },
    };
    say(`  ${mark(v.outcome)} ${step.repair.n}. ${step.repair.repair.summary}\n${describeSteps(result)}     ${result.state}\n`);
    verdicts.push(v);
  }

  const gateway = configChanged ? await restartAfterConfig(plan, resets, deps) : undefined;
  const rerun = await recheck(options, init, verdicts);

  say(renderResult(verdicts, gateway, journal.path ? show(journal.path) : undefined, resets));
  return finalExitCode(outcome.results, rerun, { verdicts, gateway, resets }, options.strict);
}

/**
 * Paths under home as `~/…` before redaction: the redactor does it too, but only after masking, and a
 * home path that also sits in a secret-looking variable would be masked whole instead.
 */
function homeAsTilde(text: string, home: string): string {
  if (!home || home === '/') return text;
  const h = home.replace(/\/+$/, '');
  const escaped = h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![\\w./-])${escaped}(?=/|(?![\\w.-]))`, 'g'), '~');
}

function fixUsageError(options: Options): string | undefined {
  if (options.json) return '--fix, --dry-run and --reset-sessions print a plan for people; they cannot be combined with --json';
  if (options.report || options.output || options.copy) return '--fix cannot be combined with --report; run them one after the other';
  if (options.yes && !options.fix && !options.resetSessions) return '--yes only applies with --fix or --reset-sessions';
  return undefined;
}

async function stateDirOf(ctx: Context): Promise<string> {
  return (await getLocation(ctx)).stateDir;
}

/** The journal must be writable before anything changes: a change without a journal cannot be undone. */
async function journalWritable(stateDir: string): Promise<string | undefined> {
  const dir = journalDir(stateDir);
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.access(dir, fsConstants.W_OK);
    return undefined;
  } catch (e) {
    return `the journal cannot be written in ${dir} (${(e as Error).message}), and a change without a journal could not be undone.`;
  }
}

function mark(o: RepairOutcome): string {
  return o.status === 'applied' ? '✓' : o.status === 'failed' ? '✗' : '-';
}

/** The repairs of every finding, in report order, numbered; plus the sessions reset `--reset-sessions` asks for. */
export function collectRepairs(outcome: Pick<RunOutcome, 'results'>, options: Options, stateDir: string): PlannedRepair[] {
  const out: PlannedRepair[] = [];
  const fixAll = options.fix || (options.dryRun && !options.resetSessions);
  const mainSessions = path.join(stateDir, 'agents', 'main', 'sessions');
  const resetsMain = (r: Repair): boolean => r.kind === 'sessions.reset' && typeof r.data.sessionsDir === 'string' && path.resolve(r.data.sessionsDir) === mainSessions;
  for (const result of outcome.results) {
    for (const f of result.findings) {
      // `--reset-sessions` alone takes a finding's reset of agent main: the same step, re-checked after.
      if (f.repair && (fixAll || (options.resetSessions && resetsMain(f.repair)))) out.push({ n: out.length + 1, check: result.id, finding: f.title, repair: f.repair });
    }
  }
  if (options.resetSessions) {
    const sessionsDir = mainSessions;
    const already = out.some((p) => resetsMain(p.repair));
    if (!already) {
      out.push({
        n: out.length + 1,
        repair: { kind: 'sessions.reset', summary: 'back up and clear the sessions of agent main (asked for with --reset-sessions)', data: { stateDir, agentId: 'main', sessionsDir } },
      });
    }
  }
  return out;
}

/** Turns the collected repairs into the plan, refusing (with a reason) what cannot be done safely. */
export async function makePlan(ctx: Context, repairs: PlannedRepair[], deps: Pick<FixDeps, 'gatewayIsUp'> = realDeps): Promise<FixPlan> {
  const cfg = await getConfig(ctx);
  const stateDir = await stateDirOf(ctx);
  const plan: FixPlan = { configBatches: [], sessions: [], refused: [], journalDir: journalDir(stateDir) };
  const refuse = (repair: PlannedRepair, reason: string): void => void plan.refused.push({ repair, reason });
  const secrets = envSecrets(ctx, cfg);
  const gw = await gatewayTarget(ctx, cfg);

  const configRepairs: { planned: PlannedRepair; edit: ConfigEdit }[] = [];
  for (const planned of repairs) {
    const { kind } = planned.repair;
    if (planned.repair.data.optIn === true && !(planned.check && ctx.options.only.includes(planned.check))) {
      // A check may mark a repair as the user's call (a louder log level): applied only when its check is named.
      refuse(planned, `opt-in: apply it with \`claw-doctor --fix --only ${planned.check ?? '<check>'}\`.`);
    } else if (kind === 'config.set' || kind === 'config.remove') {
      const edit = configEditFromRepair(planned.repair);
      if (!edit.ok) refuse(planned, edit.reason);
      else configRepairs.push({ planned, edit: edit.edit });
    } else if (kind === 'sessions.reset') {
      const step = await planSessionsReset(planned, stateDir, gw, deps);
      if (typeof step === 'string') refuse(planned, step);
      else plan.sessions.push(step);
    } else {
      refuse(planned, `claw-doctor does not know how to apply a "${kind}" repair${planned.check ? ` (from ${planned.check})` : ''}; follow the fix text above.`);
    }
  }

  if (configRepairs.length > 0) {
    const batch = await planConfigBatch(cfg, configRepairs, secrets, refuse, (p) => tildify(p, ctx.home));
    if (batch) plan.configBatches.push(batch);
  }
  if (plan.configBatches.length > 0) plan.restart = { port: gw.port, cli: gw.cli, cliDisplay: gw.cli.display, gatewayUp: await deps.gatewayIsUp(gw.port) };
  // Repairs keep their numbers; the refused list reads in order.
  plan.refused.sort((a, b) => a.repair.n - b.repair.n);
  return plan;
}

interface GatewayTarget {
  cli: GatewayCli;
  port: number;
}

async function gatewayTarget(ctx: Context, cfg: LoadedConfig): Promise<GatewayTarget> {
  const product = await getProduct(ctx).catch(() => undefined);
  const prefer = (product?.name ?? cfg.location.productHint) as Product | undefined;
  const cli = await findGatewayCli({ env: ctx.env, prefer, cwd: ctx.home });
  const port = gatewayPort({ env: ctx.env, configPort: get(cfg.resolved, ['gateway', 'port']) });
  return { cli, port };
}

/**
 * All config repairs as one edit of the main config file. Each is tried on its own on top of the ones
 * before it: one that cannot be made is refused and the others still go ahead.
 */
async function planConfigBatch(
  cfg: LoadedConfig,
  repairs: { planned: PlannedRepair; edit: ConfigEdit }[],
  secrets: string[],
  refuse: (p: PlannedRepair, reason: string) => void,
  show: (p: string) => string,
): Promise<ConfigBatch | undefined> {
  const file = cfg.path;
  const refuseAll = (reason: string): undefined => {
    for (const r of repairs) refuse(r.planned, reason);
    return undefined;
  };
  if (!file || !cfg.exists) return refuseAll('there is no config file to edit.');
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    return refuseAll(`${show(file)} cannot be read (${(e as Error).message}).`);
  }
  const before = bytes.toString('utf8');
  if (!Buffer.from(before, 'utf8').equals(bytes)) return refuseAll(`${show(file)} is not valid UTF-8; claw-doctor will not rewrite it.`);
  if (!parseTree(before)) return refuseAll(`${show(file)} does not parse as JSON5; fix the syntax first (see config.parse).`);

  let text = before;
  const batch: ConfigBatch = { file, repairs: [], edits: [], before, after: before, sha256: sha256(bytes) };
  for (const { planned, edit } of repairs) {
    const fromInclude = includedPart(cfg, text, edit.path, show);
    if (fromInclude) {
      refuse(planned, fromInclude);
      continue;
    }
    let next: string;
    try {
      next = planConfigEdits(text, [edit]);
    } catch (e) {
      refuse(planned, `the edit cannot be made safely: ${(e as Error).message}`);
      continue;
    }
    if (next === text) {
      refuse(planned, 'nothing to change: the file already says this (or an earlier repair in this plan does it).');
      continue;
    }
    const baked = bakedSecret(text, next, secrets);
    if (baked) {
      refuse(planned, `the edit would write a value from your environment (${baked}) into the file; claw-doctor never does that.`);
      continue;
    }
    text = next;
    batch.repairs.push(planned);
    batch.edits.push(edit);
  }
  batch.after = text;
  return batch.edits.length > 0 ? batch : undefined;
}

/**
 * The product merges `$include`d files into the main one (clawdbot.md §2). An edit is made only in the
 * main file, so when part of `path` exists in the merged config but not in the main file's text, the
 * value comes from an included file and editing the main file would not do what the plan says.
 */
export function includedPart(cfg: Pick<LoadedConfig, 'raw' | 'includes'>, text: string, jsonPath: JsonPath, show: (p: string) => string = (p) => p): string | undefined {
  if (cfg.includes.length === 0 || !cfg.raw) return undefined;
  const root = parseTree(text);
  if (!root) return undefined;
  const inMain = walkPath(root, jsonPath).length - 1;
  let inMerged = 0;
  while (inMerged < jsonPath.length && get(cfg.raw, jsonPath.slice(0, inMerged + 1) as (string | number)[]) !== undefined) inMerged++;
  if (inMerged <= inMain) return undefined;
  const part = formatPath(jsonPath.slice(0, inMain + 1));
  return (
    `${part} comes from an $include'd file (${cfg.includes.map(show).join(', ')}), not from the main config; ` +
    `claw-doctor edits only the main file. Make this change in the included file.`
  );
}

/** Env values that look secret: by the variable's name or the value's shape (process env, .env files, env.vars). */
function envSecrets(ctx: Context, cfg: LoadedConfig): string[] {
  const out = new Set<string>();
  const consider = (name: string, value: string | undefined): void => {
    if (!value || value.length < 6) return;
    if (/(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i.test(name) || classify(value.trim())) out.add(value);
  };
  for (const [k, v] of Object.entries(ctx.env)) consider(k, v);
  for (const [k, e] of cfg.env) consider(k, e.value);
  return [...out];
}

function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** The name of the first secret the new text holds more often than the old one (never its value). */
function bakedSecret(before: string, after: string, secrets: string[]): string | undefined {
  const hit = secrets.find((s) => occurrences(after, s) > occurrences(before, s));
  return hit === undefined ? undefined : 'a key or token';
}

async function planSessionsReset(planned: PlannedRepair, defaultStateDir: string, gw: GatewayTarget, deps: Pick<FixDeps, 'gatewayIsUp'>): Promise<SessionsStep | string> {
  const d = planned.repair.data;
  const stateDir = typeof d.stateDir === 'string' ? path.resolve(d.stateDir) : defaultStateDir;
  const agentId = typeof d.agentId === 'string' && d.agentId ? d.agentId : 'main';
  if (!/^[A-Za-z0-9_.-]+$/.test(agentId) || agentId === '.' || agentId === '..') return `"${agentId}" is not an agent id claw-doctor will touch.`;
  const sessionsDir = typeof d.sessionsDir === 'string' ? path.resolve(d.sessionsDir) : path.join(stateDir, 'agents', agentId, 'sessions');
  let files: number;
  try {
    files = (await listSessionFiles(sessionsDir)).length;
  } catch (e) {
    return `the sessions in ${sessionsDir} cannot be listed (${(e as Error).message}).`;
  }
  if (files === 0) return `nothing to reset: there are no session files in ${sessionsDir}.`;
  return {
    repair: planned,
    stateDir,
    agentId,
    sessionsDir,
    backupsDir: path.join(stateDir, 'backups'),
    files,
    cli: gw.cli,
    cliDisplay: gw.cli.display,
    port: gw.port,
    gatewayUp: await deps.gatewayIsUp(gw.port),
  };
}

// ---------------------------------------------------------------------------------------------------
// Applying

async function applyBatch(batch: ConfigBatch, journal: Journal, secrets: string[], deps: FixDeps): Promise<Verdict[]> {
  const all = (outcome: RepairOutcome): Verdict[] => batch.repairs.map((planned) => ({ planned, outcome }));
  try {
    if ((await sha256File(batch.file)) !== batch.sha256) {
      return all({ status: 'failed', detail: `${batch.file} changed since the plan was made; nothing written. Run claw-doctor --fix again.` });
    }
    // The plan refused such edits already; this is the last look at the exact text about to be written.
    if (bakedSecret(batch.before, batch.after, secrets)) return all({ status: 'failed', detail: 'the new text would hold a secret from the environment; nothing written.' });
    const summary = batch.repairs.map((p) => p.repair.summary).join('; ');
    const applied = await deps.applyConfigEdits(batch.file, batch.edits, journal, { summary });
    if (!applied.changed) return all({ status: 'failed', detail: 'the edit changed nothing in the file.' });
    return all({ status: 'applied', detail: `backup: ${applied.backup}` });
  } catch (e) {
    return all({ status: 'failed', detail: `not applied: ${(e as Error).message}` });
  }
}

async function applySessionsReset(step: SessionsStep, journal: Journal, deps: FixDeps): Promise<ResetSessionsResult> {
  try {
    return await deps.resetSessions({
      stateDir: step.stateDir,
      agentId: step.agentId,
      sessionsDir: step.sessionsDir,
      backupsDir: step.backupsDir,
      cli: step.cli,
      port: step.port,
      journal,
      timeoutMs: deps.gatewayTimeoutMs,
      settleMs: deps.gatewaySettleMs,
      deps: { gatewayStop: deps.gatewayStop, gatewayStart: deps.gatewayStart },
    });
  } catch (e) {
    return {
      ok: false,
      steps: [],
      sessions: 'untouched',
      gateway: 'unknown',
      removed: 0,
      state: `The sessions reset failed: ${(e as Error).message}`,
      instruction: `Check ${step.sessionsDir}; backups are in ${step.backupsDir}.`,
    };
  }
}

function describeSteps(result: ResetSessionsResult): string {
  return result.steps.map((s) => `     ${s.status === 'ok' ? '✓' : s.status === 'failed' ? '✗' : '-'} ${s.step}: ${s.detail}\n`).join('');
}

interface GatewayReport {
  /** restarted: it reads the new config; not-running: it will when started; manual: the user must act. */
  state: 'restarted' | 'not-running' | 'manual';
  text: string;
  instruction: string;
}

/** The config changed: the gateway reads it only at start (clawdbot.md §8). */
async function restartAfterConfig(plan: FixPlan, resets: ResetSessionsResult[], deps: FixDeps): Promise<GatewayReport> {
  const target = plan.restart!;
  if (resets.some((r) => r.start?.ok && r.stop?.kind === 'stopped')) {
    return { state: 'restarted', text: `The gateway was restarted by the sessions reset, after the config edit: it runs with the new config.`, instruction: '' };
  }
  const startCmd = `\`${target.cliDisplay} gateway start\` (or \`${target.cliDisplay} gateway\` in the foreground)`;
  if (!(await deps.gatewayIsUp(target.port))) {
    return {
      state: 'not-running',
      text: `No gateway answers on port ${target.port}: nothing to restart.`,
      instruction: `The new config takes effect when the gateway starts: ${startCmd}.`,
    };
  }
  const control = { cli: target.cli, port: target.port, timeoutMs: deps.gatewayTimeoutMs, settleMs: deps.gatewaySettleMs };
  const stop = await deps.gatewayStop(control);
  if (!stop.ok) {
    return {
      state: 'manual',
      text: `The gateway on port ${target.port} could not be stopped by \`${stop.command}\`${stop.output ? ` (it said: ${firstLine(stop.output)})` : ''}, so it still runs the old config.`,
      instruction: `${stop.instruction} Then start it again so it reads the new config.`,
    };
  }
  const start = await deps.gatewayStart(control);
  if (!start.ok) {
    return {
      state: 'manual',
      text: `The gateway was stopped, but \`${start.command}\` did not bring it back${start.output ? ` (it said: ${firstLine(start.output)})` : ''}.`,
      instruction: start.instruction,
    };
  }
  return { state: 'restarted', text: `The gateway was restarted (\`${stop.command}\`, \`${start.command}\`) and answers on port ${target.port}: it runs with the new config.`, instruction: '' };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 200);
}

// ---------------------------------------------------------------------------------------------------
// Checking again and reporting

/**
 * Runs the answered checks again on a fresh Context (the config is read anew), marks each applied repair
 * fixed / still failing / not re-checked, and returns the new results.
 */
async function recheck(options: Options, init: { env?: NodeJS.ProcessEnv; cwd?: string; home?: string }, verdicts: Verdict[]): Promise<CheckResult[]> {
  const applied = verdicts.filter((v) => v.outcome.status === 'applied');
  const ids = [...new Set(applied.map((v) => v.planned.check).filter((c): c is string => !!c))];
  if (ids.length === 0) return [];
  let results: CheckResult[];
  try {
    results = (await diagnose({ ...options, only: ids, skip: [] }, init)).results;
  } catch (e) {
    for (const v of applied) if (v.planned.check) v.recheck = { state: 'unknown', detail: `the check could not be run again: ${(e as Error).message}` };
    return [];
  }
  for (const v of applied) {
    if (!v.planned.check) continue;
    const r = results.find((x) => x.id === v.planned.check);
    if (!r || r.status === 'skipped' || r.status === 'timeout' || r.status === 'crashed') {
      v.recheck = { state: 'unknown', detail: `${v.planned.check} could not be re-checked${r ? ` (${r.status}${r.reason ? `: ${r.reason}` : ''})` : ''}` };
      continue;
    }
    const same = r.findings.find((f) => f.title === v.planned.finding || (f.repair && sameRepair(f.repair, v.planned.repair)));
    v.recheck = same ? { state: 'still', detail: same.title } : { state: 'fixed' };
  }
  return results;
}

function sameRepair(a: Repair, b: Repair): boolean {
  return a.kind === b.kind && JSON.stringify(a.data.path ?? a.data.sessionsDir ?? null) === JSON.stringify(b.data.path ?? b.data.sessionsDir ?? null);
}

function renderResult(verdicts: Verdict[], gateway: GatewayReport | undefined, journalPath: string | undefined, resets: ResetSessionsResult[]): string {
  const out = ['', 'Result'];
  const todo: string[] = [];
  for (const v of [...verdicts].sort((a, b) => a.planned.n - b.planned.n)) {
    const head = `${v.planned.n}. ${v.planned.check ? `[${v.planned.check}] ` : ''}${v.planned.repair.summary}`;
    if (v.outcome.status === 'refused') {
      out.push(`  - ${head}\n      not attempted: ${v.outcome.detail}`);
      continue;
    }
    if (v.outcome.status === 'failed') {
      out.push(`  ✗ ${head}\n      failed: ${v.outcome.detail}`);
      continue;
    }
    const restartNote = v.planned.repair.kind.startsWith('config.') && gateway?.state === 'manual' ? '; the gateway must restart to use it' : '';
    if (!v.recheck) out.push(`  ✓ ${head}\n      done${restartNote}`);
    else if (v.recheck.state === 'fixed') out.push(`  ✓ ${head}\n      fixed (checked again${restartNote})`);
    else if (v.recheck.state === 'still') out.push(`  ✗ ${head}\n      applied, but the check still fails: ${v.recheck.detail}`);
    else out.push(`  ? ${head}\n      applied; ${v.recheck.detail}`);
  }
  for (const r of resets) if (r.instruction) todo.push(r.instruction);
  if (gateway) {
    out.push('', `Gateway: ${gateway.text}`);
    if (gateway.instruction) todo.push(gateway.instruction);
  }
  if (journalPath) out.push('', `Journal: ${journalPath} — \`claw-doctor undo\` reverts this run.`);
  if (todo.length > 0) out.push('', 'What you need to do:', ...[...new Set(todo)].map((t) => `  - ${t}`));
  return out.join('\n') + '\n';
}

/**
 * The diagnosis' rule on the findings as they are now (re-checked results replace the first ones); 1 as
 * well when a repair failed, a reset left the gateway down, or a restart is still up to the user.
 */
function finalExitCode(
  before: CheckResult[],
  rerun: CheckResult[],
  run: { verdicts: Verdict[]; gateway: GatewayReport | undefined; resets: ResetSessionsResult[] },
  strict: boolean,
): 0 | 1 | 2 {
  const merged = before.map((r) => rerun.find((x) => x.id === r.id) ?? r);
  const code = exitCodeFor(merged, strict);
  const failed = run.verdicts.some((v) => v.outcome.status === 'failed' || v.recheck?.state === 'still');
  const leftToUser = run.gateway?.state === 'manual' || run.resets.some((r) => !r.ok);
  return code === 0 && (failed || leftToUser) ? 1 : code;
}

// ---------------------------------------------------------------------------------------------------
// undo and restore

/** `claw-doctor undo` and `claw-doctor restore [ARCHIVE]`. Returns the exit code. */
export async function runFixSubcommand(name: 'undo' | 'restore' | string, argv: Record<string, unknown>, options: Options, ioIn: Partial<FixIO> = {}, depsIn: Partial<FixDeps> = {}): Promise<number> {
  const io: FixIO = { ...defaultIO(), ...ioIn };
  const deps: FixDeps = { ...realDeps, ...depsIn };
  const ctx = new Context({ options, env: io.env, cwd: io.cwd, home: io.home });
  const redactor = await buildRedactor(ctx);
  const say = (text: string): void => io.write(redactor.final(redactor.text(homeAsTilde(text, ctx.home))));
  const stateDir = await stateDirOf(ctx);
  const gw = await gatewayTarget(ctx, await getConfig(ctx));
  if (name === 'undo') return undo(stateDir, gw, say, deps, options.force);
  const archiveArg = typeof argv.archive === 'string' && argv.archive ? path.resolve(io.cwd, expandTilde(argv.archive, ctx.home)) : undefined;
  return restore(stateDir, archiveArg, gw, say, deps);
}

/**
 * Sessions must not be touched under a running gateway (clawdbot.md §7): stop it first, do `work`, start
 * it again. When it cannot be stopped, nothing is done.
 */
async function withGatewayStopped<T>(
  gw: GatewayTarget,
  deps: FixDeps,
  say: (t: string) => void,
  work: () => Promise<T>,
): Promise<{ done: true; value: T; restartOk: boolean; restarted: boolean } | { done: false }> {
  const control = { cli: gw.cli, port: gw.port, timeoutMs: deps.gatewayTimeoutMs, settleMs: deps.gatewaySettleMs };
  if (!(await deps.gatewayIsUp(gw.port))) return { done: true, value: await work(), restartOk: true, restarted: false };
  const stop = await deps.gatewayStop(control);
  if (!stop.ok) {
    say(`The gateway on port ${gw.port} could not be stopped (\`${stop.command}\`${stop.output ? `: ${firstLine(stop.output)}` : ''}), so the sessions were not touched.\n${stop.instruction}\n`);
    return { done: false };
  }
  say(`Stopped the gateway (\`${stop.command}\`).\n`);
  let value: T | undefined;
  let error: unknown;
  try {
    value = await work();
  } catch (e) {
    error = e;
  }
  let restartOk = true;
  let restarted = false;
  if (stop.kind === 'stopped') {
    const start = await deps.gatewayStart(control);
    restartOk = start.ok;
    restarted = start.ok;
    say(start.ok ? `Started the gateway again; it answers on port ${gw.port}.\n` : `The gateway did not come back up. ${start.instruction}\n`);
  }
  if (error !== undefined) throw error;
  return { done: true, value: value as T, restartOk, restarted };
}

async function undo(stateDir: string, gw: GatewayTarget, say: (t: string) => void, deps: FixDeps, force = false): Promise<number> {
  const journals = await readJournals(stateDir);
  const target = [...journals].reverse().find((j) => !j.doc.undoneAt && j.doc.changes.length > 0);
  if (!target) {
    say(`No claw-doctor change to undo (no journal in ${journalDir(stateDir)}).\n`);
    return 1;
  }
  // Files restored into a sessions directory count as sessions: the gateway must be stopped around them too.
  const agentsDir = path.join(stateDir, 'agents') + path.sep;
  const isSessions = (c: (typeof target.doc.changes)[number]): boolean => c.kind === 'sessions.reset' || path.resolve(c.file).startsWith(agentsDir);
  const touchesSessions = target.doc.changes.some(isSessions);
  const touchesConfig = target.doc.changes.some((c) => !isSessions(c));
  say(`Undoing the claw-doctor run of ${target.doc.startedAt} (${target.path}):\n${target.doc.changes.map((c) => `  - ${c.summary}\n`).join('')}`);
  const run = touchesSessions
    ? await withGatewayStopped(gw, deps, say, () => undoLast(stateDir, { force }))
    : { done: true as const, value: await undoLast(stateDir, { force }), restartOk: true, restarted: false };
  if (!run.done) return 1;
  const result = run.value;
  if (!result) return 1;
  if (result.status !== 'undone') {
    say(`${result.message}\n`);
    if (result.status === 'refused' && result.conflicts.length > 0) {
      say('Nothing was changed: your later edits are kept. `claw-doctor undo --force` reverts anyway, after backing up the current files.\n');
    }
    return 1;
  }
  say(`${result.message}\n${result.restored.map((x) => `  ✓ ${x}\n`).join('')}`);
  if (touchesConfig && run.restarted) {
    say('The gateway was started again after the undo: it runs with the restored config.\n');
  } else if (touchesConfig) {
    const up = await deps.gatewayIsUp(gw.port);
    say(
      up
        ? `The gateway reads its config only when it starts: restart it (\`${gw.cli.display} gateway stop\`, then \`${gw.cli.display} gateway start\`, or restart its container).\n`
        : `The restored config takes effect when the gateway starts.\n`,
    );
  }
  return run.restartOk ? 0 : 1;
}

async function restore(stateDir: string, archive: string | undefined, gw: GatewayTarget, say: (t: string) => void, deps: FixDeps): Promise<number> {
  const sessionsDir = path.join(stateDir, 'agents', 'main', 'sessions');
  const backupsDir = path.join(stateDir, 'backups');
  const source = archive ?? (await latestSessionsArchive(backupsDir));
  if (!source) {
    say(`No sessions backup to restore: ${backupsDir} holds no sessions-*.tar.gz. Name one: claw-doctor restore ARCHIVE\n`);
    return 1;
  }
  try {
    await fs.access(source, fsConstants.R_OK);
  } catch {
    say(`Cannot read the archive ${source}.\n`);
    return 1;
  }
  const preflight = await journalWritable(stateDir);
  if (preflight) {
    say(`Nothing was restored: ${preflight}\n`);
    return 1;
  }
  say(`Restoring the sessions of agent main (${sessionsDir}) from ${source}.\n`);
  const journal = new Journal(stateDir);
  let failure: string | undefined;
  const run = await withGatewayStopped(gw, deps, say, async () => {
    try {
      const r = await restoreSessions(source, sessionsDir, backupsDir);
      if (r.savedCurrent) {
        // Undo of a restore puts back what was there before it: the same shape as a sessions reset.
        await journal.record({
          kind: 'sessions.reset',
          sessionsDir,
          backupsDir,
          archive: r.savedCurrent,
          archiveSha256: (await sha256File(r.savedCurrent)) ?? '',
          files: r.files,
          summary: `restored sessions from ${r.restoredFrom}; the sessions that were there are in ${r.savedCurrent}`,
        });
      } else {
        // Restored into an empty directory (the usual case after a reset): undo removes what came back.
        for (const f of await listSessionFiles(sessionsDir)) {
          const file = path.join(sessionsDir, f.path);
          await journal.record({ kind: 'file.create', file, sha256After: (await sha256File(file)) ?? '', summary: `restored ${f.path} from ${r.restoredFrom}` });
        }
      }
      return r;
    } catch (e) {
      failure = (e as Error).message;
      return undefined;
    }
  });
  if (!run.done) return 1;
  if (failure || !run.value) {
    say(`Not restored: ${failure ?? 'unknown error'}\n`);
    return 1;
  }
  const r = run.value;
  say(
    `✓ Restored ${r.files} file(s) from ${r.restoredFrom}.\n` +
      (r.savedCurrent ? `  The sessions that were there are saved in ${r.savedCurrent} (\`claw-doctor undo\` puts them back).\n` : '  There were no sessions before (`claw-doctor undo` removes the restored ones again).\n'),
  );
  return run.restartOk ? 0 : 1;
}
