// Bench section: reading a 200 MB OpenClaw 2026.9 agent database for errors (5,000 sessions, 20 events each,
// the newest event of every 50th session a stored 403). Compared with the same run on a one-session database:
// the difference is what the size costs. Aim: ≤ 300 ms added and peak memory that does not grow with the
// database (src/facts/sessions-v3.ts queries the newest sessions' newest events by primary key).
// The database is made once and cached under .bench/ (git-ignored). Needs node:sqlite (Node 22.13+).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench as benchRuns, row } from './lib.mjs';
import { createAgentDb } from './v3-agent-db.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/src/cli.js');
const RUNS = Number(process.argv.includes('--runs') ? process.argv[process.argv.indexOf('--runs') + 1] : 9);
const GATE = '403: {"error":{"message":"Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.","type":"access_terminated_error"}}';

async function stateDir(name, opts) {
  const dir = path.join(ROOT, '.bench', name, '.openclaw');
  const db = path.join(dir, 'agents', 'main', 'agent', 'openclaw-agent.sqlite');
  if (!fs.existsSync(db)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'openclaw.json'), JSON.stringify({ meta: { lastTouchedVersion: '2026.9.6' } }));
    await createAgentDb(`${db}.tmp`, opts);
    fs.renameSync(`${db}.tmp`, db);
  }
  return { dir, bytes: fs.statSync(db).size };
}

export default async function sessionsV3() {
  console.log(`\nReading a 200 MB agent database for errors (median of ${RUNS})`);
  try {
    await import('node:sqlite');
  } catch {
    console.log(`  skipped: node:sqlite needs Node 22.13+ (this is ${process.version})`);
    return;
  }
  const errors = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [i * 50, GATE]));
  const small = await stateDir('v3-db-small', { sessions: 1, events: 20, pad: 2000, errors: { 0: GATE } });
  const big = await stateDir('v3-db-200m', { sessions: 5000, events: 20, pad: 2000, errors });
  const argv = (dir) => [CLI, '--offline', '--json', '--only', 'sessions', '--state-dir', dir];
  const env = { ...process.env, HOME: path.dirname(small.dir), PATH: path.dirname(process.execPath) };
  const base = benchRuns(`one session (${(small.bytes / 1e6).toFixed(1)} MB)`, process.execPath, argv(small.dir), { runs: RUNS, env });
  row(base);
  const r = benchRuns(`5,000 sessions (${(big.bytes / 1e6).toFixed(0)} MB)`, process.execPath, argv(big.dir), { runs: RUNS, env: { ...env, HOME: path.dirname(big.dir) } });
  row(r, base);
  const found = JSON.parse(r.stdout || '{}').findings?.find((f) => f.check === 'sessions.errors');
  console.log(`  added by the size: ${(r.median - base.median).toFixed(0)} ms; sessions.errors: ${found?.title ?? 'nothing found'}`);
  console.log('  aim: ≤ 300 ms added; peak memory about the same for both');
}
