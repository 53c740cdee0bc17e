#!/usr/bin/env node
// npm run bench — prints figures next to their baselines. Never part of the tests (no timed assertions).
// Sections: start-up and a full offline run; more are added by the later sections below.
// Usage: npm run bench [-- --runs N] [-- --only startup,logs,probe,backup,sessions-v3,gateway,safety]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench as benchRuns, row } from './lib.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'dist/src/cli.js');
export const CACHE = path.join(ROOT, '.bench');

const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
export const RUNS = Number(arg('runs', '15'));
const ONLY = arg('only', '').split(',').filter(Boolean);
const bench = (label, cmd, argv, opts = {}) => benchRuns(label, cmd, argv, { runs: RUNS, ...opts });





function startup() {
  console.log(`\nStart-up and a full offline run (median of ${RUNS})`);
  const floor = bench('node -e 0 (start-up floor)', process.execPath, ['-e', '0']);
  row(floor);
  row(bench('claw-doctor --version', process.execPath, [CLI, '--version']), floor);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-bench-'));
  const env = { ...process.env, HOME: home, PATH: path.dirname(process.execPath) };
  row(bench('claw-doctor --offline (typical config: examples/working)', process.execPath, [CLI, '--offline', '--state-dir', path.join(ROOT, 'examples/working')], { env }), floor);
  row(bench('claw-doctor --offline --json (the real fixture state dir)', process.execPath, [CLI, '--offline', '--json', '--state-dir', path.resolve(ROOT, 'test/fixtures/clawdbot-2026.1.24-3/state'), '--log-dir', path.resolve(ROOT, 'test/fixtures/clawdbot-2026.1.24-3/log')], { env }), floor);
  row(bench('claw-doctor (no OpenClaw on this machine)', process.execPath, [CLI], { env }), floor);
  fs.rmSync(home, { recursive: true, force: true });
  console.log('  aim: a full offline run under 300 ms');
}

const SECTIONS = { startup };
// Later sections register themselves here (bench/logs.mjs, bench/probe.mjs, bench/backup.mjs).
for (const extra of ['logs', 'probe', 'backup', 'sessions-v3', 'gateway', 'safety']) {
  const file = path.join(ROOT, 'bench', `${extra}.mjs`);
  if (fs.existsSync(file)) SECTIONS[extra] = (await import(file)).default;
}

if (!fs.existsSync(CLI)) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
console.log(`claw-doctor bench · node ${process.version} · ${os.cpus().length} cores · ${os.platform()}`);
for (const [name, fn] of Object.entries(SECTIONS)) {
  if (ONLY.length && !ONLY.includes(name)) continue;
  await fn();
}
