// The probe.chat check end to end: the whole doctor in-process (findingsFor, offline: false) against the real
// loopback Kimi server (test/support/kimi-server.ts), one temp-home config per situation. Nothing leaves
// 127.0.0.1: non-loopback bases are either refused before sending or reached only through a dead loopback proxy.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, findingsFor, runCli, tempHome, type TempHome } from '../support/doctor.js';
import { startKimiServer, TEST_KEY, type KimiMode, type KimiServer } from '../support/kimi-server.js';
import { defaultOptions } from '../../src/engine/options.js';
import { diagnose, renderOutcome } from '../../src/main.js';
import { PROBE_ANSWER, PROBE_PROMPT, proxyFor } from '../../src/facts/probe.js';
import { progressWanted } from '../../src/report/progress.js';
import type { ReportedFinding } from '../../src/engine/types.js';

let server: KimiServer;
let home: TempHome;

beforeAll(async () => {
  server = await startKimiServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.setMode('ok');
  server.requests.length = 0;
  home = tempHome('claw-doctor-probe-');
});
afterEach(() => home.cleanup());

interface ModelSpec {
  id?: string;
  ua?: string | null;
  compat?: boolean;
  reasoning?: boolean;
  maxTokens?: number;
}

interface ConfigSpec extends ModelSpec {
  base?: string;
  /** null: no apiKey in the config. */
  key?: string | null;
  primary?: string;
  thinkingDefault?: string;
  /** OpenClaw's newer built-in shape: provider "kimi", api anthropic-messages, base …/coding/. */
  anthropic?: boolean;
  models?: ModelSpec[];
}

function model(s: ModelSpec): Record<string, unknown> {
  return {
    id: s.id ?? 'kimi-for-coding',
    name: 'Kimi For Coding',
    reasoning: s.reasoning ?? true,
    input: ['text'],
    contextWindow: 262144,
    maxTokens: s.maxTokens ?? 32768,
    ...(s.ua === null ? {} : { headers: { 'User-Agent': s.ua ?? 'KimiCLI/0.77' } }),
    ...(s.compat === false ? {} : { compat: { supportsDeveloperRole: false } }),
  };
}

/** The setup guide's working config, pointed at the loopback server, with one thing changed per case. */
function config(s: ConfigSpec = {}): string {
  const models = (s.models ?? [s]).map((m) => (s.anthropic ? { ua: 'claude-code/0.1.0', compat: false, ...m } : m));
  const first = models[0].id ?? 'kimi-for-coding';
  const providerId = s.anthropic ? 'kimi' : 'kimi-code';
  return JSON.stringify(
    {
      models: {
        mode: 'merge',
        providers: {
          [providerId]: {
            baseUrl: s.base ?? `${server.url}/coding${s.anthropic ? '/' : '/v1'}`,
            ...(s.key === null ? {} : { apiKey: s.key ?? TEST_KEY }),
            api: s.anthropic ? 'anthropic-messages' : 'openai-completions',
            models: models.map(model),
          },
        },
      },
      agents: { defaults: { model: { primary: s.primary ?? `${providerId}/${first}` }, thinkingDefault: s.thinkingDefault ?? 'low' } },
    },
    null,
    2,
  );
}

async function probeFindings(spec: ConfigSpec, over: Parameters<typeof findingsFor>[1] = {}, env: NodeJS.ProcessEnv = {}) {
  home.writeConfig(config(spec));
  const out = await findingsFor(home, { offline: false, ...over }, env);
  return { ...out, probe: out.findings.filter((f) => f.check === 'probe.chat') };
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

interface Case {
  name: string;
  spec?: ConfigSpec | (() => Promise<ConfigSpec>);
  mode?: KimiMode;
  severity: ReportedFinding['severity'];
  title: RegExp;
  cause?: string;
  /** The config check this probe finding must point to ("Same cause as …"). */
  sameAs?: string;
  detail?: RegExp;
  fix?: RegExp;
}

const cases: Case[] = [
  {
    name: 'healthy: info with time to first token, 3901 and reasoning',
    severity: 'info',
    title: /kimi-code\/kimi-for-coding answered 3901 in \d+\.\d\d s \(first token \d+\.\d\d s\)/,
    detail: /HTTP 200\. First token after[\s\S]*Reasoning: \d+ characters of reasoning_content[\s\S]*Tokens: 12 in, 20 out, 32 total/,
  },
  {
    name: 'no User-Agent → 403 gate, pointing to provider.user-agent',
    spec: { ua: null },
    severity: 'error',
    title: /refused the client \(User-Agent gate\)/,
    cause: 'client-gate',
    sameAs: 'provider.user-agent',
    detail: /only available for Coding Agents[\s\S]*User-Agent "OpenAI\/JS/,
  },
  {
    name: 'developer role without compat → 400, pointing to provider.compat',
    spec: { compat: false },
    severity: 'error',
    title: /role "developer"/,
    cause: 'developer-role',
    sameAs: 'provider.compat',
    detail: /GET \/models would not have shown this/,
  },
  {
    name: 'model id typo → bare model without headers → 403, pointing to agent.model',
    spec: { primary: 'kimi-code/kimi-for-codign' },
    severity: 'error',
    title: /kimi-for-codign: .*User-Agent gate/,
    cause: 'model-id-unknown',
    sameAs: 'agent.model',
  },
  {
    name: 'wrong key → 401 key-invalid',
    spec: { key: 'sk-kimi-wrong-1111111111111111111111111111' },
    severity: 'error',
    title: /The API key was rejected/,
    cause: 'key-invalid',
    fix: /KIMICODE_API_KEY/,
  },
  {
    name: 'placeholder key → 401, pointing to provider.api-key',
    spec: { key: 'sk-kimi-YOUR_API_KEY_HERE' },
    severity: 'error',
    title: /The API key was rejected/,
    cause: 'key-placeholder',
    sameAs: 'provider.api-key',
  },
  {
    name: 'unknown model id at the server → 401 model-id-unknown',
    spec: { id: 'kimi-k9' },
    severity: 'error',
    title: /kimi-k9: The endpoint does not know this model id/,
    cause: 'model-id-unknown',
    fix: /"id": "kimi-for-coding"/,
  },
  {
    name: 'Anthropic route (kimi, /coding/): healthy with thinking blocks',
    spec: { anthropic: true },
    severity: 'info',
    title: /kimi\/kimi-for-coding answered 3901/,
    detail: /POST http:\/\/127\.0\.0\.1:\d+\/coding\/v1\/messages[\s\S]*Reasoning: \d+ characters/,
  },
  {
    name: 'Anthropic route without User-Agent → the constant 429 "overloaded" is the gate, pointing to provider.user-agent',
    spec: { anthropic: true, ua: null },
    severity: 'error',
    title: /User-Agent gate/,
    cause: 'client-gate',
    sameAs: 'provider.user-agent',
    detail: /constant 429/,
  },
  { name: 'weekly quota → 403, not the gate', mode: 'quota-weekly', severity: 'error', title: /Weekly \(7-day\) usage limit/, cause: 'quota-weekly', fix: /will not help/ },
  { name: 'billing quota (Anthropic-shaped body) → 403', mode: 'quota-billing', severity: 'error', title: /billing cycle/, cause: 'quota-billing' },
  { name: '402 → membership expired', mode: '402', severity: 'error', title: /membership expired/, cause: 'membership-expired' },
  {
    name: '404: base without /coding',
    spec: { base: 'BASE/v1' },
    severity: 'error',
    title: /path the API does not have/,
    cause: 'wrong-path',
    detail: /posted to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions/,
  },
  { name: '429 rate limit', mode: 'rate-limit', severity: 'warn', title: /Rate limit reached/, cause: 'rate-limit' },
  { name: '429 engine overloaded', mode: 'overloaded', severity: 'warn', title: /engine is overloaded/, cause: 'overloaded' },
  { name: '500 server error', mode: '500', severity: 'warn', title: /internal error/, cause: 'server-error' },
  { name: 'HTML 504 page', mode: 'html-504', severity: 'warn', title: /504/, cause: 'html-page' },
  { name: 'socket closed mid-stream', mode: 'close-mid-stream', severity: 'warn', title: /closed before the answer was complete/, cause: 'network-closed' },
  {
    name: 'nothing listens on the port → refused',
    spec: async () => ({ base: `http://127.0.0.1:${await freePort()}/coding/v1` }),
    severity: 'error',
    title: /nothing answers at 127\.0\.0\.1:\d+ \(connection refused\)/,
    cause: 'network-refused',
    fix: /port/,
  },
  {
    name: 'thinking on but no reasoning_content → warn: thinking off at the server',
    mode: 'no-reasoning',
    severity: 'warn',
    title: /answered 3901, but without reasoning/,
    cause: 'thinking-off-at-server',
  },
  {
    name: 'reasoning fills the probe budget, the product has more room → warn',
    mode: 'length',
    severity: 'warn',
    title: /cut off: reasoning used the whole output budget/,
    detail: /finish reason "length"[\s\S]*maxTokens 32768, more than the probe's 4096/,
  },
  {
    name: 'reasoning fills a small maxTokens → error budget-too-small',
    mode: 'length',
    spec: { maxTokens: 2048 },
    severity: 'error',
    title: /cut off/,
    cause: 'budget-too-small',
    fix: /"maxTokens": 32768/,
  },
];

describe('probe.chat against the loopback Kimi server', () => {
  it.each(cases)('$name', async (c) => {
    if (c.mode) server.setMode(c.mode);
    const raw = typeof c.spec === 'function' ? await c.spec() : (c.spec ?? {});
    const spec = raw.base ? { ...raw, base: raw.base.replace('BASE', server.url) } : raw;
    const { probe, statuses, findings } = await probeFindings(spec);
    expect(probe, JSON.stringify(findings, null, 2)).toHaveLength(1);
    const f = probe[0];
    expect(f.severity).toBe(c.severity);
    expect(f.title).toMatch(c.title);
    if (c.cause) expect(f.cause).toBe(c.cause);
    if (c.detail) expect(f.detail).toMatch(c.detail);
    if (c.sameAs) {
      expect(findings.some((x) => x.check === c.sameAs && x.cause === c.cause)).toBe(true);
      expect(f.detail).toContain(`Same cause as ${c.sameAs}`);
      expect(f.fix).toBe(`See the fix under ${c.sameAs}.`);
    } else if (c.fix) {
      expect(f.fix).toMatch(c.fix);
    }
    expect(statuses['probe.chat']).toBe(c.severity === 'info' ? 'pass' : c.severity);
    expect(JSON.stringify(probe)).not.toContain(TEST_KEY);
  });

  it('sends what the product would: its key, User-Agent, system role, model, stream, budget and thinking level', async () => {
    await probeFindings({ thinkingDefault: 'high' });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req.path).toBe('/coding/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(req.headers['user-agent']).toBe('KimiCLI/0.77');
    expect(req.body).toMatchObject({
      model: 'kimi-for-coding',
      messages: [{ role: 'system' }, { role: 'user', content: 'What is 47 * 83?' }],
      stream: true,
      max_completion_tokens: 4096,
      reasoning_effort: 'high',
    });
  });

  it('the key comes from the source the product uses: an auth profile beats the config key', async () => {
    const profileKey = 'sk-kimi-profile-2222222222222222222222222222';
    home.write('.clawdbot/agents/main/agent/auth-profiles.json', JSON.stringify({ 'kimi-code:default': { provider: 'kimi-code', key: profileKey } }));
    const { probe } = await probeFindings({});
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${profileKey}`);
    expect(probe[0]).toMatchObject({ severity: 'error', cause: 'key-invalid' });
    expect(probe[0].evidence?.join('\n')).toMatch(/key from auth profile kimi-code:default/);
    expect(JSON.stringify(probe)).not.toContain(profileKey);
  });

  it('a server that never answers → the probe reports its own timeout within --timeout', async () => {
    server.setMode('hang');
    const t0 = Date.now();
    const { probe, statuses } = await probeFindings({}, { timeout: 2 });
    const took = Date.now() - t0;
    expect(took).toBeLessThan(2000);
    expect(statuses['probe.chat']).toBe('warn');
    expect(probe).toHaveLength(1);
    expect(probe[0]).toMatchObject({ severity: 'warn', cause: 'network-timeout' });
    expect(probe[0].title).toMatch(/no complete answer within 1\.\d\d s/);
    expect(probe[0].fix).toMatch(/--timeout 90/);
  });

  it('a real process with --timeout 3: the probe, not the runner, reports the hang', async () => {
    server.setMode('hang');
    home.writeConfig(config({}));
    const r = await runCli(['--only', 'probe.chat', '--state-dir', home.stateDir, '--timeout', '3'], { env: cleanEnv(home.home) });
    expect(r.stdout).toMatch(/no complete answer within \d\.\d\d s/);
    expect(r.stdout).not.toMatch(/did not finish within/);
    expect(r.stdout).toMatch(/--timeout 90/);
  });

  it('--all-models probes every configured Kimi model', async () => {
    const { probe } = await probeFindings({ models: [{}, { id: 'k2p5' }, { id: 'kimi-k2-thinking', ua: null }] }, { allModels: true });
    expect(server.requests.map((r) => (r.body as { model: string }).model).sort()).toEqual(['k2p5', 'kimi-for-coding', 'kimi-k2-thinking']);
    expect(probe.map((f) => [f.title.split(':')[0].split(' ')[0], f.severity])).toEqual([
      ['kimi-code/kimi-for-coding', 'info'],
      ['kimi-code/k2p5', 'info'],
      ['kimi-code/kimi-k2-thinking', 'error'],
    ]);
    expect(probe[2].detail).toContain('Same cause as provider.user-agent');
  });

  it('--all-models with a provider that has no key: the others are probed, that one points to provider.api-key', async () => {
    const cfg = JSON.parse(config({})) as { models: { providers: Record<string, unknown> } };
    cfg.models.providers.moonshot = { baseUrl: `${server.url}/v1`, api: 'openai-completions', models: [{ id: 'kimi-k2.5', name: 'K2.5' }] };
    home.writeConfig(JSON.stringify(cfg));
    const { findings } = await findingsFor(home, { offline: false, allModels: true });
    const probe = findings.filter((f) => f.check === 'probe.chat');
    expect(probe.map((f) => f.severity)).toEqual(['info', 'warn']);
    expect(probe[1].title).toBe('moonshot/kimi-k2.5: not probed');
    expect(probe[1].cause).toBe('key-missing');
    expect(probe[1].detail).toContain('Same cause as provider.api-key');
    expect(server.requests).toHaveLength(1);
  });

  it('without --all-models only the agent\'s model is probed', async () => {
    await probeFindings({ models: [{}, { id: 'k2p5' }] });
    expect(server.requests).toHaveLength(1);
  });

  it('--offline skips it', async () => {
    const { statuses, probe } = await probeFindings({}, { offline: true });
    expect(statuses['probe.chat']).toBe('skipped');
    expect(probe).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('no key at all → skipped, pointing to provider.api-key (nothing is sent)', async () => {
    home.writeConfig(config({ key: null }));
    const out = await diagnose(defaultOptions({ offline: false, timeout: 20 }), { env: cleanEnv(home.home), home: home.home, cwd: home.home });
    const probe = out.results.find((r) => r.id === 'probe.chat')!;
    expect(probe.status).toBe('skipped');
    expect(probe.reason).toMatch(/no API key for "kimi-code".*see provider\.api-key/);
    expect(out.results.find((r) => r.id === 'provider.api-key')!.findings[0].cause).toBe('key-missing');
    expect(server.requests).toHaveLength(0);
  });

  it('plain http:// to another host is not sent without --allow-insecure: skipped with how to proceed', async () => {
    home.writeConfig(config({ base: 'http://api.kimi.com/coding/v1' }));
    const out = await diagnose(defaultOptions({ offline: false, timeout: 20 }), { env: cleanEnv(home.home), home: home.home, cwd: home.home });
    const probe = out.results.find((r) => r.id === 'probe.chat')!;
    expect(probe.status).toBe('skipped');
    expect(probe.reason).toMatch(/plain http:\/\/.*clear text.*--allow-insecure.*see provider\.base-url/);
    expect(out.results.find((r) => r.id === 'provider.base-url')!.findings.some((f) => f.cause === 'base-url')).toBe(true);
  });

  it('HTTPS_PROXY at a dead loopback port → a proxy finding (the target host is never contacted)', async () => {
    const port = await freePort();
    const env = { HTTPS_PROXY: `http://127.0.0.1:${port}` };
    const base = 'https://api.kimi.com/coding/v1';
    // The request can only go to the loopback proxy: guard that before sending anything.
    expect(proxyFor(new URL(`${base}/chat/completions`), env).url?.host).toBe(`127.0.0.1:${port}`);
    const { probe } = await probeFindings({ base }, {}, env);
    expect(probe).toHaveLength(1);
    expect(probe[0]).toMatchObject({ severity: 'error', cause: 'network-proxy' });
    expect(probe[0].title).toMatch(/the proxy failed/);
    expect(probe[0].detail).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}`));
    expect(probe[0].fix).toMatch(/NO_PROXY=api\.kimi\.com/);
  });

  it('NO_PROXY is honoured: a listed host bypasses the proxy', async () => {
    const port = await freePort();
    // Loopback is never proxied anyway; NO_PROXY=* proves the env is read without any outside host.
    const { probe } = await probeFindings({}, {}, { HTTP_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: '*' });
    expect(probe[0].severity).toBe('info');
  });
});

describe('the key never appears in rendered output', () => {
  it.each([
    ['healthy, human --verbose', 'ok', {}, { verbose: true }],
    ['healthy, --json', 'ok', {}, { json: true }],
    ['wrong key, human', 'ok', { key: 'sk-kimi-wrong-3333333333333333333333333333' }, {}],
    ['gate, --json', 'ok', { ua: null }, { json: true }],
    ['closed mid-stream, human', 'close-mid-stream', {}, { verbose: true }],
  ] as const)('%s', async (_name, mode, spec, over) => {
    server.setMode(mode as KimiMode);
    home.writeConfig(config(spec as ConfigSpec));
    const options = defaultOptions({ offline: false, timeout: 20, ...over });
    const outcome = await diagnose(options, { env: cleanEnv(home.home), home: home.home, cwd: home.home });
    expect(outcome.results.find((r) => r.id === 'probe.chat')!.status).not.toBe('skipped');
    const text = renderOutcome(outcome, options);
    expect(text).toContain('probe.chat');
    expect(text).not.toContain(TEST_KEY);
    expect(text).not.toContain('sk-kimi-wrong-3333333333333333333333333333');
    expect(text).not.toContain(home.home);
  });
});

describe('progress spinner', () => {
  const withNet = [{ network: true }];
  it.each([
    ['a TTY with a network check: shown', withNet, { json: false, offline: false }, { isTTY: true, columns: 80 }, {}, true],
    ['--json: never', withNet, { json: true, offline: false }, { isTTY: true, columns: 80 }, {}, false],
    ['not a TTY: never', withNet, { json: false, offline: false }, { isTTY: false, columns: 80 }, {}, false],
    ['--offline: never', withNet, { json: false, offline: true }, { isTTY: true, columns: 80 }, {}, false],
    ['CI: never', withNet, { json: false, offline: false }, { isTTY: true, columns: 80 }, { CI: '1' }, false],
    ['a TTY without a size (0 columns): never', withNet, { json: false, offline: false }, { isTTY: true, columns: 0 }, {}, false],
    ['no network check selected: not needed', [{ network: false }], { json: false, offline: false }, { isTTY: true, columns: 80 }, {}, false],
  ] as const)('%s', (_n, checks, options, stream, env, want) => {
    expect(progressWanted([...checks], options, stream, env)).toBe(want);
  });

  it('a real run whose output is not a TTY: no spinner, no ANSI, nothing on stderr', async () => {
    home.writeConfig(config({}));
    const r = await runCli(['--only', 'probe.chat', '--state-dir', home.stateDir, '--verbose'], { env: cleanEnv(home.home, { PATH: process.env.PATH ?? '' }) });
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.stdout).toMatch(/probe\.chat[\s\S]*answered 3901/);
    expect(r.stdout).not.toContain(TEST_KEY);
    expect(r.code).toBe(0);
  });
});
