// Helpers to run the doctor in-process (table-driven check tests) or as a real process (CLI tests).
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defaultOptions, type Options } from '../../src/engine/options.js';
import { diagnose } from '../../src/main.js';
import type { ReportedFinding } from '../../src/engine/types.js';
import type { TempHome } from './temp-home.js';

export type { TempHome };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Product-written files copied into the repository (test/fixtures/README.md). */
export const FIXTURES = path.join(ROOT, 'test/fixtures/clawdbot-2026.1.24-3');
export const V3_FIXTURES = path.join(ROOT, 'test/fixtures/openclaw-2026.9.6');
export const CLI = path.join(ROOT, 'dist/src/cli.js');

/** A clean environment: no inherited keys, no CLI on PATH, HOME in the temp home. */
export function cleanEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // CLAW_DOCTOR_LOG_ROOTS keeps the log checks out of the real /tmp/{clawdbot,moltbot,openclaw}.
  return { HOME: home, PATH: path.join(home, 'bin'), USER: 'tester', CLAW_DOCTOR_LOG_ROOTS: path.join(home, 'no-logs'), ...extra };
}

export async function findingsFor(home: TempHome, over: Partial<Options> = {}, env: NodeJS.ProcessEnv = {}): Promise<{ findings: ReportedFinding[]; statuses: Record<string, string>; exitCode: number }> {
  const options = defaultOptions({ offline: true, timeout: 20, ...over });
  const out = await diagnose(options, { env: cleanEnv(home.home, env), home: home.home, cwd: home.home });
  const statuses: Record<string, string> = {};
  for (const r of out.results) statuses[r.id] = r.status;
  return { findings: out.results.flatMap((r) => r.findings), statuses, exitCode: out.exitCode };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: opts.env, cwd: opts.cwd ?? ROOT, timeout: opts.timeoutMs ?? 60000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? Number((err as { code: number }).code) : 99) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The guide's working config (fixture) with edits applied as plain text replacements. */
export function fixtureConfig(name: 'config-working.json5' | 'config-no-compat.json5' | 'config-no-user-agent.json5' = 'config-working.json5'): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}
