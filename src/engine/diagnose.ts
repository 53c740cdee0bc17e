// diagnose: Options → Context → checks → results, within the time limit. No rendering and no writing: the
// commands (src/commands/) render what this returns, the fixer acts on it (DESIGN.md "The flow").
import os from 'node:os';
import { checks as builtInChecks } from '../../checks/index.js';
import { getConfig } from '../facts/config.js';
import { getLocation, tildify } from '../facts/paths.js';
import { getProduct } from '../facts/product.js';
import { buildRedactor } from './secrets.js';
import type { Redactor } from '../report/redact.js';
import { Context } from './context.js';
import { exitCodeFor } from './exit-code.js';
import type { Options } from './options.js';
import { buildRegistry, loadPlugin, selectChecks } from './registry.js';
import { runChecks } from './runner.js';
import type { Check, CheckResult } from './types.js';

/** Where the run happened, for the header of every output (README "JSON output" `environment`). */
export interface Environment {
  os: string;
  node: string;
  product?: string;
  productVersion?: string;
  generation?: string;
  configPath?: string;
  stateDir?: string;
}

export interface RunOutcome {
  ctx: Context;
  checks: Check[];
  results: CheckResult[];
  exitCode: 0 | 1 | 2;
  redactor: Redactor;
  environment: Environment;
}

export interface DiagnoseInit {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  home?: string;
  /** Started once the checks are known, stopped before diagnose returns (a spinner; src/report/progress.ts). */
  progress?: (checks: Check[]) => Promise<{ stop(): void }>;
}

export async function loadChecks(options: Pick<Options, 'plugins'>, cwd: string): Promise<Check[]> {
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

/** Run the selected checks within the time limit. Used by check, report and fix alike. */
export async function diagnose(options: Options, init: DiagnoseInit = {}): Promise<RunOutcome> {
  const started = Date.now();
  const controller = new AbortController();
  const deadline = started + options.timeout * 1000;
  const ctx = new Context({ options, env: init.env, cwd: init.cwd, home: init.home, signal: controller.signal, loaders: { config: getConfig } });
  const all = await loadChecks(options, ctx.cwd);
  const selected = selectChecks(all, options.only, options.skip);
  const timer = setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now()));
  timer.unref();
  try {
    const progress = init.progress ? await init.progress(selected) : { stop() {} };
    // Checks get the budget less ~5% (at most 1 s), left for rendering.
    const results = await runChecks(selected, ctx, { perCheckMs: Math.min(20000, options.timeout * 1000), deadline: deadline - Math.min(1000, options.timeout * 50) }).finally(() => progress.stop());
    const [redactor, environment] = await Promise.all([buildRedactor(ctx), environmentOf(ctx)]);
    return { ctx, checks: selected, results, exitCode: exitCodeFor(results, options.strict), redactor, environment };
  } finally {
    clearTimeout(timer);
  }
}
