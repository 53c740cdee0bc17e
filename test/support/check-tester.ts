// A table of cases per check, in the spirit of ESLint's RuleTester (DESIGN.md "What the best doctors teach"):
// `valid` rows must give no finding at all; `invalid` rows list the EXACT findings, in report order (an
// unexpected extra finding fails the row); a row whose finding carries a repair must say what the repair
// writes (`output`: the config text after it, or `afterFix` for repairs outside the config), and the repair is
// applied for real through the fixer's entry point on the row's temp home. Each row runs only the check under
// test, plus the checks named in `also` (the ones a "Same cause as …" finding points to).
// Every row also proves that a run without --fix changes nothing in the home: not a byte, not an mtime.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultOptions, type Options } from '../../src/engine/options.js';
import type { CheckResult, CheckStatus, Repair, ReportedFinding, Severity } from '../../src/engine/types.js';
import { runFix } from '../../src/fix/fixer.js';
import { diagnose } from '../../src/main.js';
import { cleanEnv } from './doctor.js';
import { freePort } from './fake-gateway.js';
import { makeTempHome, type TempHome } from './temp-home.js';

/** A string is compared exactly; a RegExp must match. */
export type Text = string | RegExp;

export interface ExpectedFinding {
  /** Default: the check under test. */
  check?: string;
  severity: Severity;
  title?: Text;
  detail?: Text;
  fix?: Text;
  /** Some evidence line matches. */
  evidence?: Text;
  /** The cause key; null: the finding names no cause. Unchecked when omitted. */
  cause?: string | null;
  /** The repair the finding carries: an object is matched field by field, a function's result exactly. */
  repair?: Partial<Repair> | ((h: TempHome) => Repair);
}

/** What a table gives every row before it runs (temp dirs inside the home, options, env). */
export interface Prepared {
  options?: Partial<Options>;
  env?: NodeJS.ProcessEnv;
  /** Stops what the row started outside its home (a fake gateway CLI), after the row. */
  cleanup?: () => void | Promise<void>;
}

export interface CaseBase {
  name: string;
  /** Text of `~/.clawdbot/clawdbot.json`; a function when it depends on something known only at run time. */
  config?: string | (() => string);
  /** Extra files, path relative to the home. */
  files?: Record<string, string | Buffer>;
  env?: NodeJS.ProcessEnv;
  options?: Partial<Options>;
  /** Builds more of the home; may return options and env that depend on it (a path under the home). */
  setup?: (h: TempHome, p: Prepared) => Prepared | void | Promise<Prepared | void>;
  /** Other checks run with this one: the checks its "Same cause as …" findings point to. */
  also?: string[];
  /** The status of the check under test when findings alone do not say it (`skipped`). */
  status?: CheckStatus;
  /** With `status`: the runner's one-line reason. */
  reason?: Text;
}

export type ValidCase<X = object> = CaseBase & X;

export type InvalidCase<X = object> = CaseBase &
  X & {
    findings: ExpectedFinding[];
    /** The exact text of the config file after the repair has been applied with --fix. */
    output?: string;
    /** Which file `output` is (relative to the home): default `--config`, else `~/.clawdbot/clawdbot.json`. */
    outputFile?: string;
    /** For repairs outside the config (a sessions reset): what must hold after --fix. */
    afterFix?: (h: TempHome) => void | Promise<void>;
  };

export interface CheckTable<X = object> {
  valid?: ValidCase<X>[];
  invalid?: InvalidCase<X>[];
  /** Runs for every row after its config and files are written, before its setup. */
  prepare?: (h: TempHome, row: CaseBase & X) => Prepared | void;
  /** Strings no finding may contain (the keys the rows' configs hold). */
  secrets?: string[];
  /** Options and env for every row (a row's own win). */
  options?: Partial<Options>;
  env?: NodeJS.ProcessEnv;
}

/** Rows take a few real file reads, sometimes a loopback request and a --fix run: a limit for a busy machine. */
const ROW_LIMIT_MS = 30_000;

export function checkTable<X = object>(checkId: string, table: CheckTable<NoInfer<X>>): void {
  describe(checkId, () => {
    const valid = table.valid ?? [];
    const invalid = table.invalid ?? [];
    if (valid.length) it.each(valid.map((r) => [r.name, r] as const))('valid: %s', (_n, row) => runCase(checkId, table, { ...row, findings: [] }), ROW_LIMIT_MS);
    if (invalid.length) it.each(invalid.map((r) => [r.name, r] as const))('invalid: %s', (_n, row) => runCase(checkId, table, row), ROW_LIMIT_MS);
  });
}

/** What one row runs with, once its home is built. */
interface Run {
  options: Options;
  env: NodeJS.ProcessEnv;
  init: { env: NodeJS.ProcessEnv; home: string; cwd: string };
}

/** One row: rejects with what differs. Exported for the tester's own tests (test/check-tester.test.ts). */
export async function runCase<X>(checkId: string, table: CheckTable<X>, row: InvalidCase<X>): Promise<void> {
  const h = makeTempHome({ prefix: `claw-doctor-${checkId}-` });
  const cleanups: NonNullable<Prepared['cleanup']>[] = [];
  try {
    const config = typeof row.config === 'function' ? row.config() : row.config;
    if (config !== undefined) h.writeConfig(config);
    for (const [rel, data] of Object.entries(row.files ?? {})) h.write(rel, data);
    const prepared = table.prepare?.(h, row) ?? {};
    if (prepared.cleanup) cleanups.push(prepared.cleanup);
    const own = (await row.setup?.(h, prepared)) ?? {};
    if (own.cleanup) cleanups.push(own.cleanup);
    // No gateway answers on this port (a row may name its own): nothing the run or the fixer does reaches
    // a gateway running on this machine.
    const env = cleanEnv(h.home, { CLAWDBOT_GATEWAY_PORT: String(await freePort()), ...table.env, ...prepared.env, ...row.env, ...own.env });
    const only = [checkId, ...(row.also ?? [])];
    const options = defaultOptions({ offline: true, timeout: 20, ...table.options, ...prepared.options, ...row.options, ...own.options, only });
    const run: Run = { options, env, init: { env, home: h.home, cwd: h.home } };

    const before = snapshot(h.home);
    const out = await diagnose(options, run.init);
    expect(snapshot(h.home), 'a run without --fix changed the home').toEqual(before);
    assertResults(checkId, row, out.results, h);
    const said = JSON.stringify(out.results);
    for (const secret of table.secrets ?? []) expect(said.includes(secret), 'a finding carries a secret').toBe(false);

    const repaired = out.results.flatMap((r) => r.findings).filter((f) => f.check === checkId && f.repair);
    const saysAfter = row.output !== undefined || row.afterFix !== undefined;
    if (repaired.length > 0 && !saysAfter) throw new Error(`${checkId} offers a repair (${repaired.map((f) => f.repair?.summary).join('; ')}): the row must say what it writes (output or afterFix)`);
    if (repaired.length === 0 && saysAfter) throw new Error(`the row says what a repair writes, but ${checkId} offered none`);
    if (saysAfter) await applyRepairs(checkId, row, h, run);
  } finally {
    for (const c of cleanups) await c();
    h.cleanup();
  }
}

function assertResults(checkId: string, row: InvalidCase<unknown>, results: CheckResult[], h: TempHome): void {
  const mine = results.find((r) => r.id === checkId);
  if (!mine) throw new Error(`${checkId} did not run (ran: ${results.map((r) => r.id).join(', ')})`);
  // Nothing that ran crashed or timed out, unless the row says that is what its check does.
  for (const r of results) {
    const said = r.id === checkId ? row.status : undefined;
    if ((r.status === 'crashed' || r.status === 'timeout') && r.status !== said) throw new Error(`${r.id} ${r.status}: ${r.reason ?? ''}\n${r.stack ?? ''}`);
  }
  const findings = results.flatMap((r) => r.findings);
  const problems = compareFindings(checkId, row.findings, findings, h);
  if (problems.length) throw new Error(`${problems.join('\n')}\n\nexpected:\n${row.findings.map((e) => showExpected(checkId, e)).join('\n')}\n\nactual:\n${findings.map(showActual).join('\n') || '(no finding)'}`);
  expect(mine.status, mine.reason).toBe(row.status ?? statusOf(findings.filter((f) => f.check === checkId)));
  if (row.reason !== undefined) expect(text(row.reason, mine.reason ?? ''), `reason: ${mine.reason}`).toBe(true);
}

/** The status findings give (the runner's rule, restated: a test does not reuse the code it tests). */
function statusOf(findings: ReportedFinding[]): CheckStatus {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  if (findings.some((f) => f.severity === 'warn')) return 'warn';
  return 'pass';
}

function text(want: Text, got: string): boolean {
  return typeof want === 'string' ? want === got : want.test(got);
}

/** One line per mismatch; empty when the findings are exactly the expected ones, in order. */
function compareFindings(checkId: string, want: ExpectedFinding[], got: ReportedFinding[], h: TempHome): string[] {
  const problems: string[] = [];
  if (want.length !== got.length) problems.push(`expected ${want.length} finding(s), got ${got.length}`);
  want.forEach((e, i) => {
    const f = got[i];
    if (!f) return;
    const at = `finding ${i + 1}`;
    const check = e.check ?? checkId;
    if (f.check !== check) problems.push(`${at}: check ${f.check}, expected ${check}`);
    if (f.severity !== e.severity) problems.push(`${at}: severity ${f.severity}, expected ${e.severity}`);
    for (const key of ['title', 'detail', 'fix'] as const) {
      const w = e[key];
      if (w !== undefined && !text(w, f[key] ?? '')) problems.push(`${at}: ${key} ${JSON.stringify(f[key])} does not match ${String(w)}`);
    }
    if (e.evidence !== undefined && !(f.evidence ?? []).some((x) => text(e.evidence!, x))) problems.push(`${at}: no evidence matches ${String(e.evidence)}`);
    if (e.cause !== undefined && (f.cause ?? null) !== e.cause) problems.push(`${at}: cause ${String(f.cause)}, expected ${String(e.cause)}`);
    if (e.repair !== undefined) {
      const mismatch = repairMismatch(typeof e.repair === 'function' ? e.repair(h) : e.repair, f.repair, typeof e.repair === 'function');
      if (mismatch) problems.push(`${at}: repair ${mismatch}`);
    }
  });
  return problems;
}

function repairMismatch(want: Partial<Repair>, got: Repair | undefined, exact: boolean): string | undefined {
  if (!got) return 'missing';
  try {
    if (exact) expect(got).toEqual(want);
    else expect(got).toMatchObject(want);
    return undefined;
  } catch {
    return `${JSON.stringify(got)} does not match ${JSON.stringify(want)}`;
  }
}

function showExpected(checkId: string, e: ExpectedFinding): string {
  return `  ${e.check ?? checkId} ${e.severity}: ${String(e.title ?? '(any title)')}`;
}

function showActual(f: ReportedFinding): string {
  const repair = f.repair ? `\n      repair: ${JSON.stringify(f.repair)}` : '';
  return `  ${f.check} ${f.severity}: ${JSON.stringify(f.title)}${f.cause ? ` [cause ${f.cause}]` : ''}\n      detail: ${JSON.stringify(f.detail)}\n      fix: ${JSON.stringify(f.fix)}${f.evidence ? `\n      evidence: ${JSON.stringify(f.evidence)}` : ''}${repair}`;
}

/**
 * --fix --yes, only the checks of the row, through the fixer's entry point; then the config text, the
 * row's afterFix, and a second run in which the check offers no repair any more (the repair converged).
 */
async function applyRepairs(checkId: string, row: InvalidCase<unknown>, h: TempHome, run: Run): Promise<void> {
  let said = '';
  await runFix({ ...run.options, fix: true, yes: true }, { env: run.env, cwd: h.home, home: h.home, write: (t) => void (said += t), interactive: false });
  const configFile = row.outputFile ? path.join(h.home, row.outputFile) : (run.options.config ?? h.configPath);
  if (row.output !== undefined) expect(fs.readFileSync(configFile, 'utf8'), `config after --fix; the fixer said:\n${said}`).toBe(row.output);
  await row.afterFix?.(h);
  const again = (await findingsOf(run)).filter((f) => f.check === checkId && f.repair);
  expect(again.map((f) => f.title), `${checkId} still offers a repair after --fix; the fixer said:\n${said}`).toEqual([]);
}

async function findingsOf(run: Run): Promise<ReportedFinding[]> {
  return (await diagnose(run.options, run.init)).results.flatMap((r) => r.findings);
}

/** Every entry under `dir`: kind, mode, size, mtime and (up to 8 MiB) a hash of the bytes. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      const full = path.join(dir, r);
      const st = fs.lstatSync(full);
      if (e.isDirectory()) {
        out[r] = `dir ${st.mode.toString(8)}`;
        walk(r);
      } else {
        const hash = e.isFile() && st.size <= 8 * 1024 * 1024 ? createHash('sha256').update(fs.readFileSync(full)).digest('hex') : '-';
        out[r] = `${e.isSymbolicLink() ? 'link' : 'file'} ${st.mode.toString(8)} ${st.size} ${st.mtimeMs} ${hash}`;
      }
    }
  };
  walk('');
  return out;
}
