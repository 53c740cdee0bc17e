// The fixer: the only code that changes the user's machine (DESIGN.md "The flow"). With --fix it collects
// the repairs the checks attached to their findings, shows the plan (a diff for every config edit), asks on
// a TTY (--yes accepts; no TTY and no --yes: plan only, exit 1), applies each step on its own through its
// kind module (kinds/*.ts) — one failing never blocks another — restarts the gateway when the config
// changed and one runs (it reads its config at start, clawdbot.md §8), runs the answered checks again and
// says what is fixed, what is not, and what the user must still do. `undo` and `restore` are dispatched
// from here too (undo.ts, restore.ts).
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Context } from '../engine/context.js';
import { commandFor, usageProblem, type Options } from '../engine/options.js';
import { Redactor } from '../report/redact.js';
import { UsageError } from '../engine/registry.js';
import type { CheckResult, Repair } from '../engine/types.js';
import { getConfig } from '../facts/config.js';
import { expandTilde, tildify } from '../facts/paths.js';
import { diagnose, type RunOutcome } from '../engine/diagnose.js';
import { renderOutcome } from '../report/outcome.js';
import { buildRedactor } from '../engine/secrets.js';
import { realDeps, type FixDeps } from './deps.js';
import { removeStaleTemps } from './files.js';
import { Journal, journalDir } from './journal.js';
import { gatewayFactsIsUp } from './kinds/gateway-restart.js';
import type { ApplyEnv, Verdict } from './kinds/types.js';
import { collectRepairs, makePlan, stateDirOf } from './plan.js';
import { renderPlan } from './plan-render.js';
import { defaultIO, homeAsTilde, type FixIO } from './prompt.js';
import type { ResetSessionsResult } from './reset-sessions.js';
import { restartAfterConfig, gatewayTarget } from './restart.js';
import { restoreCommand } from './restore.js';
import { removeStalePartials } from './sessions-backup.js';
import { finalExitCode, renderResult } from './result-text.js';
import { envSecrets } from './secret-policy.js';
import { undoCommand } from './undo.js';

// The fixer's public names, used by main.ts, the tests and the other repair modules.
export { collectRepairs, makePlan, configBatches, sessionsSteps, type FixPlan, type BoundStep } from './plan.js';
export { includedPart, type ConfigBatch } from './kinds/config-file.js';
export type { SessionsStep } from './kinds/sessions-reset.js';
export type { PlannedRepair, RefusedRepair, Verdict } from './kinds/types.js';
export type { FixDeps } from './deps.js';
export type { FixIO } from './prompt.js';

/**
 * `--fix`, `--dry-run`, `--reset-sessions` (and `--yes` with them). Returns the exit code.
 * `--reset-sessions` alone plans only the sessions reset; with `--fix` it joins the other repairs.
 */
export async function runFix(options: Options, ioIn: Partial<FixIO> = {}, depsIn: Partial<FixDeps> = {}): Promise<number> {
  const io: FixIO = { ...defaultIO(), ...ioIn };
  const deps: FixDeps = { ...realDeps, ...depsIn };
  // The one rule for option combinations (src/engine/options.ts); every stderr line is redacted.
  const complain = (msg: string): 2 => {
    process.stderr.write(`claw-doctor: ${new Redactor({ home: io.home ?? io.env.HOME }).text(msg)}\n`);
    return 2;
  };
  const usage = usageProblem(options, 'fix');
  if (usage) return complain(usage);
  const init = { env: io.env, cwd: io.cwd, home: io.home };
  let outcome: RunOutcome;
  try {
    outcome = await diagnose(options, init);
  } catch (e) {
    if (e instanceof UsageError) return complain(e.message);
    throw e;
  }
  const r = outcome.redactor;
  const say = (text: string): void => io.write(r.final(r.text(homeAsTilde(text, outcome.ctx.home))));
  io.write(renderOutcome(outcome, options));

  const stateDir = await stateDirOf(outcome.ctx);
  const planned = collectRepairs(outcome, options, stateDir);
  const plan = await makePlan(outcome.ctx, planned, deps);
  const show = (p: string): string => tildify(p, outcome.ctx.home);
  say(`\n${renderPlan(plan, show, commandFor(options, 'undo'))}`);

  const actionable = plan.steps.length;
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

  const preflight = await journalWritable(stateDir);
  if (preflight) {
    say(`\nNothing was changed: ${preflight}\n`);
    return 1;
  }
  await cleanLeftovers(stateDir, outcome.ctx);
  const journal = new Journal(stateDir);
  const verdicts: Verdict[] = plan.refused.map((x) => ({ planned: x.repair, outcome: { status: 'refused', detail: x.reason } }));
  const env: ApplyEnv = { journal, secrets: envSecrets(outcome.ctx, await getConfig(outcome.ctx)), deps };

  say('\nApplying\n');
  let configChanged = false;
  /** A gateway.restart step that succeeded after the last config edit already made the gateway read it. */
  let restartedSinceEdit = false;
  const resets: ResetSessionsResult[] = [];
  for (const { step, kind } of plan.steps) {
    const done = await kind.apply(step, env);
    configChanged ||= done.configChanged;
    if (done.configChanged) restartedSinceEdit = false;
    if (kind.kind === 'gateway.restart') restartedSinceEdit = done.verdicts.every((v) => v.outcome.status === 'applied');
    if (done.reset) resets.push(done.reset);
    say(done.text);
    verdicts.push(...done.verdicts);
  }

  const gatewayDeps = { ...deps, gatewayIsUp: gatewayFactsIsUp(outcome.ctx, deps.gatewayIsUp) };
  const gateway = configChanged && !restartedSinceEdit ? await restartAfterConfig(await gatewayTarget(outcome.ctx, await getConfig(outcome.ctx)), resets, gatewayDeps) : undefined;
  const rerun = await recheck(options, init, verdicts);

  say(renderResult(verdicts, gateway, journal.path ? show(journal.path) : undefined, resets, commandFor(options, 'undo')));
  return finalExitCode(outcome.results, rerun, { verdicts, gateway, resets }, options.strict);
}

/** The journal must be writable before anything changes: a change without a journal cannot be undone. */
async function journalWritable(stateDir: string): Promise<string | undefined> {
  const dir = journalDir(stateDir);
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.access(dir, fsConstants.W_OK);
    return undefined;
  } catch (e) {
    // A recursive mkdir on a read-only filesystem answers ENOENT: ask the nearest existing folder why.
    const err = (await whyNotWritable(dir)) ?? (e as NodeJS.ErrnoException);
    const why = err.code === 'EROFS' ? `EROFS: ${dir} is not writable, the filesystem is read-only` : err.code === 'EACCES' || err.code === 'EPERM' ? `${err.code}: ${dir} is not writable` : err.message;
    return `the journal cannot be written in ${dir} (${why}), and a change without a journal could not be undone.`;
  }
}

async function whyNotWritable(dir: string): Promise<NodeJS.ErrnoException | undefined> {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      await fs.access(d, fsConstants.W_OK);
      return undefined;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code !== 'ENOENT') return err;
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/** What runs killed mid-way left behind (partial archives, temp files): never data, only clutter. */
async function cleanLeftovers(stateDir: string, ctx: Context): Promise<void> {
  await removeStalePartials(path.join(stateDir, 'backups'));
  const cfg = await getConfig(ctx);
  if (cfg.path) await removeStaleTemps(path.dirname(cfg.path), path.basename(cfg.path));
}

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
  const target = (r: Repair): unknown => ('path' in r.data ? r.data.path : 'sessionsDir' in r.data ? r.data.sessionsDir : null);
  return a.kind === b.kind && JSON.stringify(target(a) ?? null) === JSON.stringify(target(b) ?? null);
}

/** `claw-doctor undo` and `claw-doctor restore [ARCHIVE]`. Returns the exit code. */
export async function runFixSubcommand(name: 'undo' | 'restore' | string, argv: Record<string, unknown>, options: Options, ioIn: Partial<FixIO> = {}, depsIn: Partial<FixDeps> = {}): Promise<number> {
  const io: FixIO = { ...defaultIO(), ...ioIn };
  const deps: FixDeps = { ...realDeps, ...depsIn };
  const ctx = new Context({ options, env: io.env, cwd: io.cwd, home: io.home });
  const redactor = await buildRedactor(ctx);
  const say = (text: string): void => io.write(redactor.final(redactor.text(homeAsTilde(text, ctx.home))));
  const stateDir = await stateDirOf(ctx);
  const gw = await gatewayTarget(ctx, await getConfig(ctx));
  if (name === 'undo') return undoCommand(stateDir, gw, say, deps, options.force);
  const archiveArg = typeof argv.archive === 'string' && argv.archive ? path.resolve(io.cwd, expandTilde(argv.archive, ctx.home)) : undefined;
  return restoreCommand(stateDir, archiveArg, gw, say, deps, journalWritable);
}
