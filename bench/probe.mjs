// npm run bench -- --only probe   (or: node bench/probe.mjs [--runs N])
// The live probe's cost: `claw-doctor --only probe.chat` against a loopback server answering like Kimi (a
// healthy streaming answer), next to `curl` making the same streaming request — the doctor's overhead is
// Node start-up, config reading and judging. Then a full run with the probe, next to
// `clawdbot models status --probe` when a clawdbot is on PATH. Nothing leaves 127.0.0.1.
// The helpers are copied from run.mjs on purpose: run.mjs executes on import.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, row } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/src/cli.js');
const KEY = 'sk-kimi-bench-0000000000000000000000000000';
const UA = 'KimiCLI/0.77';

const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 15;


/** Wall time of one command, run asynchronously so the loopback server in this process keeps answering. */
function measure(cmd, argv, opts = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    execFile(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 60_000, ...opts }, (err, stdout, stderr) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      resolve({ ms, code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

async function bench(label, cmd, argv, opts = {}) {
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    last = await measure(cmd, argv, opts);
    times.push(last.ms);
  }
  return { label, median: median(times), last };
}


// ---------------------------------------------------------------------------------------------
// A tiny loopback server: the healthy streaming answer of kimi.md (reasoning_content, then 3901, usage).

const CHUNKS = [
  { role: 'assistant', content: '' },
  { reasoning_content: '47*80 = 3760 and 47*3 = 141,' },
  { reasoning_content: ' so 3760 + 141 = 3901.' },
  { content: '47 * 83' },
  { content: ' = ' },
  { content: '3901' },
];

function startServer() {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (b) => (body += b));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/coding/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"The requested resource was not found","type":"resource_not_found_error"}}');
        return;
      }
      if (req.headers.authorization !== `Bearer ${KEY}` || !/^KimiCLI\//.test(req.headers['user-agent'] ?? '')) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"bench server: wrong key or User-Agent","type":"invalid_authentication_error"}}');
        return;
      }
      const model = JSON.parse(body).model;
      const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 0, model };
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      for (const delta of CHUNKS) res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
      const usage = { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 };
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop', usage }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function writeState(url) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-bench-probe-'));
  const stateDir = path.join(home, '.clawdbot');
  fs.mkdirSync(stateDir);
  const config = {
    models: {
      mode: 'merge',
      providers: {
        'kimi-code': {
          baseUrl: `${url}/coding/v1`,
          apiKey: KEY,
          api: 'openai-completions',
          models: [{ id: 'kimi-for-coding', name: 'Kimi For Coding', reasoning: true, input: ['text'], contextWindow: 262144, maxTokens: 32768, headers: { 'User-Agent': UA }, compat: { supportsDeveloperRole: false } }],
        },
      },
    },
    agents: { defaults: { model: { primary: 'kimi-code/kimi-for-coding' }, thinkingDefault: 'low' } },
  };
  fs.writeFileSync(path.join(stateDir, 'clawdbot.json'), JSON.stringify(config, null, 2));
  return { home, stateDir };
}

/** The request body the doctor sends (probe.ts), so curl does the same work on the wire. */
const CURL_BODY = JSON.stringify({
  model: 'kimi-for-coding',
  messages: [
    { role: 'system', content: 'You are a helpful assistant. Answer in one short line.' },
    { role: 'user', content: 'What is 47 * 83?' },
  ],
  stream: true,
  stream_options: { include_usage: true },
  store: false,
  max_completion_tokens: 4096,
  reasoning_effort: 'low',
});

function onPath(name, PATH) {
  return PATH.split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, name)));
}

export default async function probe() {
  if (!fs.existsSync(CLI)) {
    console.error('bench: dist/ is missing; run `npm run build` first');
    return;
  }
  const server = await startServer();
  const url = `http://127.0.0.1:${server.address().port}`;
  const { home, stateDir } = writeState(url);
  const env = { HOME: home, PATH: path.dirname(process.execPath), USER: 'bench' };
  try {
    console.log(`\nThe live probe against a loopback Kimi (median of ${RUNS})`);
    const floor = await bench('node -e 0 (start-up floor)', process.execPath, ['-e', '0']);
    row(floor);
    const doctor = await bench('claw-doctor --only probe.chat', process.execPath, [CLI, '--only', 'probe.chat', '--state-dir', stateDir], { env });
    if (doctor.last.code !== 0 || !/answered 3901/.test(doctor.last.stdout)) {
      console.log(`  (unexpected: exit ${doctor.last.code})\n${doctor.last.stdout}${doctor.last.stderr}`);
    }
    const json = await measure(process.execPath, [CLI, '--only', 'probe.chat', '--state-dir', stateDir, '--json'], { env });
    const check = JSON.parse(json.stdout).checks.find((c) => c.id === 'probe.chat');
    let curl;
    if (spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0) {
      curl = await bench('curl, the same streaming request', 'curl', [
        '-sS', '-N', '-o', '/dev/null', '-X', 'POST', `${url}/coding/v1/chat/completions`,
        '-H', `Authorization: Bearer ${KEY}`, '-H', `User-Agent: ${UA}`, '-H', 'content-type: application/json', '-H', 'accept: application/json',
        '--data', CURL_BODY,
      ]);
      row(curl);
      row(doctor, curl);
    } else {
      console.log('  curl: skipped: no curl on PATH');
      row(doctor, floor);
    }
    console.log(`  ${'of which the probe.chat check itself (from --json)'.padEnd(58)} ${String(check?.durationMs ?? '?').padStart(9)} ms`);
    if (curl) console.log(`  doctor overhead: ${(doctor.median - curl.median).toFixed(1)} ms over curl (${(doctor.median / curl.median).toFixed(2)}×), start-up floor ${floor.median.toFixed(1)} ms`);

    console.log(`\nA full run with the probe`);
    const full = await bench('claw-doctor (every check, probe included)', process.execPath, [CLI, '--state-dir', stateDir], { env });
    row(full, floor);
    const PATH = process.env.PATH ?? '';
    if (onPath('clawdbot', PATH)) {
      const cb = await bench('clawdbot models status --probe', 'clawdbot', ['models', 'status', '--probe'], { env: { ...process.env, CLAWDBOT_STATE_DIR: stateDir, HOME: home } });
      row(cb);
      row(full, cb);
    } else {
      console.log('  clawdbot models status --probe: skipped: no clawdbot on PATH');
    }
  } finally {
    server.close();
    server.closeAllConnections?.();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await probe();
