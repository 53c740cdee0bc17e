// Bench section (issue 15): a 10 MB config (time, peak memory), `restore` of 20,000 session files next to
// `tar -xzf` of the same archive (aim: ≤ 3×, i.e. linear), and `--reset-sessions` of 20,000 sessions (peak
// memory). Real processes of the built CLI in a temp home; a stand-in `clawdbot` on PATH answers "not
// loaded" so no gateway is involved.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/src/cli.js');
const CACHE = path.join(ROOT, '.bench', 'safety');
const RUNS = 3;
const SESSIONS = 20_000;

function line(label, ms, rssMb, ratio) {
  console.log(`  ${label.padEnd(58)} ${ms.toFixed(0).padStart(9)} ms${rssMb ? `  peak ${rssMb.toFixed(0)} MB` : ''}${ratio ?? ''}`);
}

function runs(fn) {
  const all = Array.from({ length: RUNS }, fn);
  return { ms: median(all.map((r) => r.ms)), rssMb: Math.max(...all.map((r) => r.rssMb ?? 0)) };
}

/** A config of about `mb` MB: the working example plus a filler provider with many models. */
function bigConfig(file, mb) {
  if (fs.existsSync(file)) return;
  const models = [];
  for (let i = 0, size = 0; size < mb * 0.62e6; i++) {
    size += JSON.stringify(models[models.push({ id: `model-${i}`, name: `Model ${i} with a longer display name`, reasoning: i % 2 === 0, contextWindow: 262144, maxTokens: 32768, headers: { 'User-Agent': 'KimiCLI/0.77' } }) - 1]).length;
  }
  const config = {
    models: { providers: { 'kimi-code': { baseUrl: 'https://api.kimi.com/coding/v1', api: 'openai-completions', apiKey: '${KIMI_API_KEY}', models: [{ id: 'kimi-for-coding', name: 'Kimi', reasoning: true, headers: { 'User-Agent': 'KimiCLI/0.77' }, compat: { supportsDeveloperRole: false } }] }, filler: { baseUrl: 'https://example.com/v1', api: 'openai-completions', models } } },
    agents: { defaults: { model: { primary: 'kimi-code/kimi-for-coding' }, thinkingDefault: 'low' } },
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
}

/** 20,000 small transcripts and their sessions.json, archived once as the doctor would (`sessions/` prefix). */
function sessionsArchive() {
  const archive = path.join(CACHE, `sessions-${SESSIONS}.tar.gz`);
  if (fs.existsSync(archive)) return archive;
  const src = path.join(CACHE, 'src', 'sessions');
  fs.rmSync(path.dirname(src), { recursive: true, force: true });
  fs.mkdirSync(src, { recursive: true });
  const store = {};
  for (let i = 0; i < SESSIONS; i++) {
    const id = crypto.randomUUID();
    store[`agent:main:s${i}`] = { sessionId: id, updatedAt: Date.now() - i * 1000 };
    const t = new Date(Date.now() - i * 1000).toISOString();
    fs.writeFileSync(path.join(src, `${id}.jsonl`), `${JSON.stringify({ type: 'session', version: 3, id, timestamp: t, cwd: '/home/user' })}\n${JSON.stringify({ type: 'message', message: { role: 'user', content: [{ type: 'text', text: `question ${i}` }] } })}\n`);
  }
  fs.writeFileSync(path.join(src, 'sessions.json'), JSON.stringify(store));
  const r = spawnSync('tar', ['-czf', archive, '-C', path.dirname(src), 'sessions']);
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  fs.rmSync(path.dirname(src), { recursive: true, force: true });
  return archive;
}

function home() {
  const h = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-bench-safety-'));
  const bin = path.join(h, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'clawdbot'), '#!/bin/sh\necho "Gateway service not loaded."\n');
  fs.chmodSync(path.join(bin, 'clawdbot'), 0o755);
  fs.mkdirSync(path.join(h, '.clawdbot', 'agents', 'main', 'sessions'), { recursive: true });
  fs.writeFileSync(path.join(h, '.clawdbot', 'clawdbot.json'), '{ "gateway": { "mode": "local" } }\n');
  // A port nothing listens on: no gateway to stop or start.
  return { h, env: { HOME: h, PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`, CLAWDBOT_GATEWAY_PORT: '9', CLAW_DOCTOR_LOG_ROOTS: h } };
}

export default async function safety() {
  if (!fs.existsSync('/usr/bin/time') || spawnSync('tar', ['--version']).status !== 0) {
    console.log('\nSafety: skipped (needs /usr/bin/time and tar)');
    return;
  }
  fs.mkdirSync(CACHE, { recursive: true });
  console.log(`\nSafety: big inputs, median of ${RUNS} (preparing once under .bench/safety/ …)`);

  const cfg = path.join(CACHE, 'big', '.clawdbot', 'clawdbot.json');
  bigConfig(cfg, 10);
  const small = runs(() => measure(process.execPath, [CLI, '--offline', '--state-dir', path.join(ROOT, 'examples/working')], { env: { ...process.env, HOME: CACHE } }));
  line('claw-doctor --offline, typical config (baseline)', small.ms, small.rssMb);
  const big = runs(() => measure(process.execPath, [CLI, '--offline', '--state-dir', path.dirname(cfg)], { env: { ...process.env, HOME: CACHE } }));
  line(`claw-doctor --offline, a ${(fs.statSync(cfg).size / 1048576).toFixed(1)} MB config`, big.ms, big.rssMb, `  ${(big.ms / small.ms).toFixed(2)}× typical`);

  const archive = sessionsArchive();
  const tarRuns = runs(() => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-bench-untar-'));
    const r = measure('tar', ['-xzf', archive, '-C', d]);
    fs.rmSync(d, { recursive: true, force: true });
    return r;
  });
  line(`tar -xzf, ${SESSIONS.toLocaleString('en')} session files (baseline)`, tarRuns.ms, tarRuns.rssMb);
  const restoreRuns = runs(() => {
    const { h, env } = home();
    const r = measure(process.execPath, [CLI, 'restore', archive], { env });
    if (r.status !== 0) throw new Error(`restore failed: ${r.stdout}${r.stderr}`);
    fs.rmSync(h, { recursive: true, force: true });
    return r;
  });
  line(`claw-doctor restore, ${SESSIONS.toLocaleString('en')} session files`, restoreRuns.ms, restoreRuns.rssMb, `  ${(restoreRuns.ms / tarRuns.ms).toFixed(2)}× tar`);

  const resetRuns = runs(() => {
    const { h, env } = home();
    spawnSync('tar', ['-xzf', archive, '-C', path.join(h, '.clawdbot', 'agents', 'main')]);
    const r = measure(process.execPath, [CLI, '--offline', '--reset-sessions', '--yes', '--only', 'sessions.store'], { env });
    if (!/Sessions cleared \(20001 file/.test(r.stdout)) throw new Error(`reset failed: ${r.stdout.slice(-2000)}${r.stderr}`);
    fs.rmSync(h, { recursive: true, force: true });
    return r;
  });
  line(`claw-doctor --reset-sessions --yes, ${SESSIONS.toLocaleString('en')} sessions`, resetRuns.ms, resetRuns.rssMb);
  console.log('  aim: the 10 MB config within a few × a typical run; restore ≤ 3× tar (linear); reset memory flat');
}
