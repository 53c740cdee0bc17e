// Bench section: the logs.* checks on a 1 GiB log (real bytes, not sparse: realistic tslog JSON lines as
// clawdbot writes them, a few thinking= runs and errors at the end), next to `tail -c 1 MiB | grep -c` of the
// same file. Aim: ≤ 2× tail's time and < 100 MB peak RSS: the doctor reads a bounded window from the end
// (src/facts/tail.ts), so neither depends on the file's size.
// The log is made once and cached under .bench/ (git-ignored); it is renamed to today's local date each run.
// Helpers are copied from run.mjs on purpose: importing run.mjs would run it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench as benchRuns, measure, row } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/src/cli.js');
const DIR = path.join(ROOT, '.bench', 'logs-1g');
const SIZE = 1024 ** 3;
const RUNS = Number(process.argv.includes('--runs') ? process.argv[process.argv.indexOf('--runs') + 1] : 9);
const bench = (label, cmd, argv, opts = {}) => benchRuns(label, cmd, argv, { runs: RUNS, ...opts });
const FIXTURE_LOG = path.resolve(ROOT, 'test/fixtures/clawdbot-2026.1.24-3/log/clawdbot-2026-11-23.log');





function localDate(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Body lines from the real V1 log (they carry the product's ~700 bytes of metadata each), minus runs and errors. */
function templateLines() {
  const all = fs.readFileSync(FIXTURE_LOG, 'utf8').split('\n').filter(Boolean);
  return all.filter((l) => !l.includes('thinking=') && !l.includes('"logLevelName":"ERROR"') && !/ordering conflict|403 Kimi/.test(l));
}

const TAIL_LINES = (day) => {
  const t = (s) => `${day}T09:0${s}:00.000Z`;
  const meta = (level, time) => ({ runtime: 'node', name: '{"subsystem":"agent/embedded"}', date: time, logLevelId: level === 'DEBUG' ? 2 : 3, logLevelName: level });
  const run = (i, thinking) =>
    JSON.stringify({ 0: '{"subsystem":"agent/embedded"}', 1: `embedded run start: runId=bench-${i} sessionId=bench-session provider=kimi-code model=kimi-for-coding thinking=${thinking} messageChannel=unknown`, _meta: meta('DEBUG', t(i)), time: t(i) });
  const err = (i, msg) => JSON.stringify({ 0: msg, _meta: meta('INFO', t(i)), time: t(i) });
  return [run(1, 'low'), err(2, '403 Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.'), run(3, 'low'), run(4, 'high'), err(5, 'Message ordering conflict - please try again. If this persists, use /new to start a fresh session.')].join('\n') + '\n';
};

/** The cached 1 GiB log, renamed to today's date. Made once (~1 GiB of writes). */
function ensureLog() {
  fs.mkdirSync(DIR, { recursive: true });
  const today = path.join(DIR, `clawdbot-${localDate(new Date())}.log`);
  const existing = fs.readdirSync(DIR).filter((n) => /^clawdbot-\d{4}-\d{2}-\d{2}\.log$/.test(n));
  const marker = path.join(DIR, '.complete');
  if (existing.length === 1 && fs.existsSync(marker) && fs.statSync(path.join(DIR, existing[0])).size >= SIZE) {
    if (existing[0] !== path.basename(today)) fs.renameSync(path.join(DIR, existing[0]), today);
    return today;
  }
  for (const n of fs.readdirSync(DIR)) fs.rmSync(path.join(DIR, n), { force: true });
  console.log(`  (making a 1 GiB log under ${path.relative(ROOT, DIR)}/ once; cached for later runs)`);
  const lines = templateLines();
  // One ~4 MiB block of varied lines, written until the file holds 1 GiB.
  let block = '';
  for (let i = 0; block.length < 4 * 1024 * 1024; i++) {
    const l = lines[i % lines.length];
    block += l.replace(/"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z"/g, (_m, d, h, mi, s) => `"${d}T${h}:${mi}:${s}.${String(i % 1000).padStart(3, '0')}Z"`) + '\n';
  }
  const buf = Buffer.from(block);
  const fd = fs.openSync(today, 'w');
  let written = 0;
  while (written < SIZE) written += fs.writeSync(fd, buf);
  fs.writeSync(fd, TAIL_LINES(localDate(new Date())));
  fs.closeSync(fd);
  fs.writeFileSync(marker, '');
  return today;
}

export default async function logs() {
  console.log(`\nLogs: the logs.* checks on a 1 GiB log (median of ${RUNS})`);
  if (!fs.existsSync(CLI)) {
    console.log('  dist/ is missing; run `npm run build` first');
    return;
  }
  const file = ensureLog();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-bench-logs-'));
  const env = { ...process.env, HOME: home, PATH: path.dirname(process.execPath) + path.delimiter + (process.env.PATH ?? '') };
  try {
    // Warm the page cache for both, so the figures compare reading, not the disk.
    measure('sh', ['-c', `tail -c ${8 * 1024 * 1024} '${file}' > /dev/null`]);
    const tail = bench('tail -c 1048576 FILE | grep -c thinking=', 'sh', ['-c', `tail -c 1048576 '${file}' | grep -c thinking=`]);
    row(tail);
    const doctor = bench('claw-doctor --offline --only "logs.*" --json', process.execPath, [CLI, '--offline', '--only', 'logs.*', '--log-dir', DIR, '--json'], { env });
    row(doctor, tail);
    // The doctor's fixed cost (start-up, config lookup, rendering) on an empty log dir: the difference is
    // what reading the 1 GiB log adds.
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-bench-nolog-'));
    const fixed = bench('claw-doctor … --log-dir <empty dir> (fixed cost)', process.execPath, [CLI, '--offline', '--only', 'logs.*', '--log-dir', empty, '--json'], { env });
    fs.rmSync(empty, { recursive: true, force: true });
    row(fixed, tail);
    const floor = bench('node -e 0 (start-up floor)', process.execPath, ['-e', '0']);
    row(floor);
    const added = doctor.median - fixed.median;
    console.log(`  reading the 1 GiB log adds ${added.toFixed(0)} ms to the doctor's run: ${(added / tail.median).toFixed(2)}× tail's time`);
    let summary = '';
    try {
      const doc = JSON.parse(doctor.stdout);
      const titles = doc.findings.map((f) => `${f.check}: ${f.title}`);
      summary = titles.slice(0, 4).join('\n    ');
    } catch {
      summary = `(no JSON: exit ${doctor.status})`;
    }
    console.log(`  file: ${(fs.statSync(file).size / 1024 ** 3).toFixed(2)} GiB; grep counted ${tail.stdout.trim()} thinking= line(s); the doctor found:\n    ${summary}`);
    console.log(`  aim: ≤ 2× tail's time and < 100 MB peak RSS · got ${(doctor.median / tail.median).toFixed(2)}×, ${doctor.rss.toFixed(0)} MB` +
      ` (node's own start-up is ${floor.median.toFixed(0)} ms of that)`);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

// Runnable on its own too: node bench/logs.mjs
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await logs();
