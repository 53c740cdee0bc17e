// Orchestration: Options → Context → checks → report → exit code (DESIGN.md "The flow").
import os from 'node:os';
import { describeCause, nearCauseIds } from './causes/describe.js';
import { Context } from './engine/context.js';
import { toolVersion } from './version.js';
export { toolVersion };
import type { Options } from './engine/options.js';
import { buildRegistry, loadPlugin, selectChecks, UsageError } from './engine/registry.js';
import { exitCodeFor, runChecks, summarize } from './engine/runner.js';
import type { Check, CheckResult } from './engine/types.js';
import { checks as builtInChecks } from '../checks/index.js';
import { getLocation, tildify } from './facts/paths.js';
import { getProduct } from './facts/product.js';
import { renderHuman } from './report/human.js';
import { buildJson, type Environment } from './report/json.js';
import { buildRedactor } from './report/secrets.js';
import { Redactor } from './report/redact.js';

export async function loadChecks(options: Options, cwd: string): Promise<Check[]> {
  const plugins = [];
  for (const p of options.plugins) plugins.push(await loadPlugin(p, cwd));
  return buildRegistry(builtInChecks, plugins);
}

async function environmentOf(ctx: Context): Promise<Environment> {
  const env: Environment = { os: `${os.platform()} ${os.release()} ${os.arch()}`, node: process.version };
  try {
    const [loc, product] = await Promise.all([getLocation(ctx), getProduct(ctx)]);
    if (product.name) env.product = product.name;
    if (product.version) env.productVersion = product.version;
    env.generation = product.generation;
    if (loc.path) env.configPath = tildify(loc.path, ctx.home);
    env.stateDir = tildify(loc.stateDir, ctx.home);
  } catch {
    /* environment is best effort */
  }
  return env;
}

export interface RunOutcome {
  ctx: Context;
  checks: Check[];
  results: CheckResult[];
  exitCode: 0 | 1 | 2;
  redactor: Redactor;
  environment: Environment;
}

/** Run the selected checks within the time limit. Used by the plain run, --report and --fix. */
export async function diagnose(options: Options, init: { env?: NodeJS.ProcessEnv; cwd?: string; home?: string } = {}): Promise<RunOutcome> {
  const started = Date.now();
  const controller = new AbortController();
  const deadline = started + options.timeout * 1000;
  const ctx = new Context({ options, env: init.env, cwd: init.cwd, home: init.home, signal: controller.signal });
  const all = await loadChecks(options, ctx.cwd);
  const selected = selectChecks(all, options.only, options.skip);
  const timer = setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now()));
  timer.unref();
  try {
    // A spinner on stderr while a network check waits (TTY only, never with --json); stopped before rendering.
    const progress = await (await import('./report/progress.js')).startProgress(selected, options);
    // Checks get the budget less ~5% (at most 1 s), left for rendering.
    const results = await runChecks(selected, ctx, { perCheckMs: Math.min(20000, options.timeout * 1000), deadline: deadline - Math.min(1000, options.timeout * 50) }).finally(() => progress.stop());
    const [redactor, environment] = await Promise.all([buildRedactor(ctx), environmentOf(ctx)]);
    return { ctx, checks: selected, results, exitCode: exitCodeFor(results, options.strict), redactor, environment };
  } finally {
    clearTimeout(timer);
  }
}

function header(o: RunOutcome): string {
  const e = o.environment;
  const product = e.product ? `${e.product}${e.productVersion ? ' ' + e.productVersion : ''}` : 'product version unknown';
  return `claw-doctor ${toolVersion()} · ${e.configPath ?? 'no config found'} · ${product}`;
}

function write(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text);
}

/** The exact text a run prints on stdout (human or JSON), after redaction and the final scan. */
export function renderOutcome(outcome: RunOutcome, options: Options): string {
  const summary = summarize(outcome.results);
  const r = outcome.redactor;
  if (options.json) {
    const doc = buildJson({ name: 'claw-doctor', version: toolVersion() }, outcome.environment, outcome.results, summary, outcome.exitCode);
    return r.final(JSON.stringify(r.value(doc), null, 2)) + '\n';
  }
  const text = renderHuman({ header: header(outcome), results: outcome.results, summary, color: options.color, verbose: options.verbose });
  return r.final(r.text(text));
}

export async function main(options: Options): Promise<number> {
  if (options.fix || options.dryRun || options.resetSessions || options.yes) return (await import('./fix/fixer.js')).runFix(options);
  if (options.report || options.output !== undefined || options.copy) return (await import('./report/run-report.js')).runReport(options);
  let outcome: RunOutcome;
  try {
    outcome = await diagnose(options);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`claw-doctor: ${new Redactor({}).text(e.message)}\n`);
      return 2;
    }
    throw e;
  }
  write(process.stdout, renderOutcome(outcome, options));
  return outcome.exitCode;
}

export async function runSubcommand(name: string, argv: Record<string, unknown>, options: Options): Promise<number> {
  let all: Check[];
  try {
    all = await loadChecks(options, process.cwd());
  } catch (e) {
    process.stderr.write(`claw-doctor: ${new Redactor({}).text((e as Error).message)}\n`);
    return 2;
  }
  if (name === 'list') {
    if (options.json) {
      process.stdout.write(JSON.stringify(all.map((c) => ({ id: c.id, title: c.title, why: c.why, network: !!c.network })), null, 2) + '\n');
    } else {
      const w = Math.max(...all.map((c) => c.id.length));
      for (const c of all) process.stdout.write(`${c.id.padEnd(w)}  ${c.title}\n${' '.repeat(w)}  ${c.why}\n`);
    }
    return 0;
  }
  if (name === 'explain') {
    const id = String(argv.id ?? '');
    const c = all.find((x) => x.id === id);
    // Not a check: a cause of the known-failures table (src/causes/describe.ts).
    const cause = c ? undefined : describeCause(id);
    if (cause) {
      process.stdout.write(cause);
      return 0;
    }
    if (!c) {
      const near = [...all.filter((x) => x.id.includes(id.split('.').pop() ?? id)).map((x) => x.id), ...nearCauseIds(id)];
      process.stderr.write(`claw-doctor: no check "${id}".${near.length ? ` Did you mean ${near.join(', ')}?` : ''} See claw-doctor list (checks) or the README's Known failures (causes).\n`);
      return 2;
    }
    process.stdout.write(`${c.id} — ${c.title}\n\nWhy: ${c.why}\n${c.explain ? `\n${c.explain}\n` : ''}${c.network ? '\nNeeds the network (skipped with --offline).\n' : ''}`);
    return 0;
  }
  if (name === 'undo' || name === 'restore') return (await import('./fix/fixer.js')).runFixSubcommand(name, argv, options);
  process.stderr.write(`claw-doctor: unknown command "${name}". Run claw-doctor --help.\n`);
  return 2;
}
