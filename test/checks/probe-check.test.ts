// The probe.chat check end to end against the real loopback Kimi server (test/support/kimi-server.ts): a table
// of situations (test/support/check-tester.ts), one temp-home config each, then the flows a table cannot hold.
// Nothing leaves 127.0.0.1: non-loopback bases are either refused before sending or reached only through a dead
// loopback proxy.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, findingsFor, runCli } from '../support/doctor.js';
import { checkTable, type CaseBase, type ExpectedFinding } from '../support/check-tester.js';
import { freePort } from '../support/fake-gateway.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { useKimiServer, TEST_KEY, type KimiMode } from '../support/kimi-server.js';
import { defaultOptions } from '../../src/engine/options.js';
import { diagnose, renderOutcome } from '../../src/main.js';
import { proxyFor } from '../../src/facts/probe.js';
import { progressWanted } from '../../src/report/progress.js';

const server = useKimiServer();
let home: TempHome;

beforeEach(() => {
  home = makeTempHome({ prefix: 'claw-doctor-probe-' });
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

interface ProbeRow {
  spec?: ConfigSpec | (() => Promise<ConfigSpec>);
  mode?: KimiMode;
}

/** The row's config (pointed at the server, known only once it listens) and the server's mode. */
const probeRow = (name: string, row: ProbeRow & Pick<CaseBase, 'status' | 'reason'> & { also?: string[]; findings: ExpectedFinding[] }) => ({
  name,
  also: row.also,
  status: row.status,
  reason: row.reason,
  findings: row.findings,
  setup: async (h: TempHome) => {
    if (row.mode) server.setMode(row.mode);
    const raw = typeof row.spec === 'function' ? await row.spec() : (row.spec ?? {});
    h.writeConfig(config(raw.base ? { ...raw, base: raw.base.replace('BASE', server.url) } : raw));
  },
});
/** A probe finding that is the same cause as a config check's: it points there instead of repeating the fix. */
const pointsTo = (check: string) => ({ detail: new RegExp(`Same cause as ${check.replace('.', '\\.')}`), fix: `See the fix under ${check}.` });
const KEY_FROM_CONFIG = { check: 'provider.api-key', severity: 'info', title: 'Key for "kimi-code" comes from config models.providers.kimi-code.apiKey' } as const;

checkTable('probe.chat', {
  options: { offline: false },
  secrets: [TEST_KEY, 'sk-kimi-wrong-1111111111111111111111111111'],
  valid: [{ name: '--offline skips it', options: { offline: true }, status: 'skipped', reason: '--offline: network checks are skipped', setup: (h) => void h.writeConfig(config({})) }],
  invalid: [
    probeRow('healthy: info with time to first token, 3901 and reasoning', {
      findings: [
        {
          severity: 'info',
          title: /^kimi-code\/kimi-for-coding answered 3901 in \d+\.\d\d s \(first token \d+\.\d\d s\)$/,
          detail: /HTTP 200\. First token after[\s\S]*Reasoning: \d+ characters of reasoning_content[\s\S]*Tokens: 12 in, 20 out, 32 total/,
        },
      ],
    }),
    probeRow('no User-Agent → 403 gate, the same cause as provider.user-agent', {
      spec: { ua: null },
      also: ['provider.user-agent'],
      findings: [
        { check: 'provider.user-agent', severity: 'error', cause: 'client-gate' },
        { severity: 'error', title: /refused the client \(User-Agent gate\)/, cause: 'client-gate', ...pointsTo('provider.user-agent') },
      ],
    }),
    probeRow('developer role without compat → 400, the same cause as provider.compat', {
      spec: { compat: false },
      also: ['provider.compat'],
      findings: [
        { check: 'provider.compat', severity: 'error', cause: 'developer-role' },
        { severity: 'error', title: /role "developer"/, detail: /GET \/models would not have shown this[\s\S]*Same cause as provider\.compat/, fix: 'See the fix under provider.compat.', cause: 'developer-role' },
      ],
    }),
    // The product builds a model without baseUrl and fails with a TypeError before sending (requests/model-typo).
    probeRow('model id typo → the product sends nothing, so neither does the probe: skipped, agent.model names it', {
      spec: { primary: 'kimi-code/kimi-for-codign' },
      also: ['agent.model'],
      status: 'skipped',
      reason: /TypeError before sending anything/,
      findings: [{ check: 'agent.model', severity: 'error', cause: 'model-id-unknown' }],
    }),
    probeRow('wrong key → 401 key-invalid', {
      spec: { key: 'sk-kimi-wrong-1111111111111111111111111111' },
      findings: [{ severity: 'error', title: /The API key was rejected/, cause: 'key-invalid', fix: /KIMICODE_API_KEY/ }],
    }),
    probeRow('placeholder key → 401, the same cause as provider.api-key', {
      spec: { key: 'sk-kimi-YOUR_API_KEY_HERE' },
      also: ['provider.api-key'],
      findings: [KEY_FROM_CONFIG, { check: 'provider.api-key', severity: 'error', cause: 'key-placeholder' }, { severity: 'error', title: /The API key was rejected/, cause: 'key-placeholder', ...pointsTo('provider.api-key') }],
    }),
    probeRow('unknown model id at the server → 401 model-id-unknown', {
      spec: { id: 'kimi-k9' },
      findings: [{ severity: 'error', title: /kimi-k9: The endpoint does not know this model id/, cause: 'model-id-unknown', fix: /"id": "kimi-for-coding"/ }],
    }),
    probeRow('Anthropic route (kimi, /coding/): healthy with thinking blocks', {
      spec: { anthropic: true },
      findings: [{ severity: 'info', title: /^kimi\/kimi-for-coding answered 3901/, detail: /POST http:\/\/127\.0\.0\.1:\d+\/coding\/v1\/messages[\s\S]*Reasoning: \d+ characters/ }],
    }),
    probeRow('Anthropic route without User-Agent → the constant 429 "overloaded" is the gate, the same cause as provider.user-agent', {
      spec: { anthropic: true, ua: null },
      also: ['provider.user-agent'],
      findings: [
        { check: 'provider.user-agent', severity: 'error', cause: 'client-gate' },
        { severity: 'error', title: /User-Agent gate/, detail: /constant 429[\s\S]*Same cause as provider\.user-agent/, fix: 'See the fix under provider.user-agent.', cause: 'client-gate' },
      ],
    }),
    probeRow('weekly quota → 403, not the gate', { mode: 'quota-weekly', findings: [{ severity: 'error', title: /Weekly \(7-day\) usage limit/, cause: 'quota-weekly', fix: /will not help/ }] }),
    probeRow('billing quota (Anthropic-shaped body) → 403', { mode: 'quota-billing', findings: [{ severity: 'error', title: /billing cycle/, cause: 'quota-billing' }] }),
    probeRow('402 → membership expired', { mode: '402', findings: [{ severity: 'error', title: /membership expired/, cause: 'membership-expired' }] }),
    probeRow('404: base without /coding', {
      spec: { base: 'BASE/v1' },
      findings: [{ severity: 'error', title: /path the API does not have/, cause: 'wrong-path', detail: /posted to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions/ }],
    }),
    probeRow('429 rate limit', { mode: 'rate-limit', findings: [{ severity: 'warn', title: /Rate limit reached/, cause: 'rate-limit' }] }),
    probeRow('429 engine overloaded', { mode: 'overloaded', findings: [{ severity: 'warn', title: /engine is overloaded/, cause: 'overloaded' }] }),
    probeRow('500 server error', { mode: '500', findings: [{ severity: 'warn', title: /internal error/, cause: 'server-error' }] }),
    probeRow('HTML 504 page', { mode: 'html-504', findings: [{ severity: 'warn', title: /504/, cause: 'html-page' }] }),
    probeRow('socket closed mid-stream', { mode: 'close-mid-stream', findings: [{ severity: 'warn', title: /closed before the answer was complete/, cause: 'network-closed' }] }),
    probeRow('nothing listens on the port → refused', {
      spec: async () => ({ base: `http://127.0.0.1:${await freePort()}/coding/v1` }),
      findings: [{ severity: 'error', title: /nothing answers at 127\.0\.0\.1:\d+ \(connection refused\)/, cause: 'network-refused', fix: /port/ }],
    }),
    probeRow('thinking on but no reasoning_content → warn: thinking off at the server', {
      mode: 'no-reasoning',
      findings: [{ severity: 'warn', title: /answered 3901, but without reasoning/, cause: 'thinking-off-at-server' }],
    }),
    probeRow('reasoning fills the budget the product sends (min(maxTokens, 32000)) → error: the user\'s answers end the same way', {
      mode: 'length',
      findings: [{ severity: 'error', title: /cut off: reasoning used the whole output budget/, cause: 'budget-too-small', detail: /product sends 32000 tokens[\s\S]*finish reason "length"/ }],
    }),
    probeRow('reasoning fills a small maxTokens → error budget-too-small', {
      mode: 'length',
      spec: { maxTokens: 2048 },
      findings: [{ severity: 'error', title: /cut off/, cause: 'budget-too-small', fix: /"maxTokens": 32768/ }],
    }),
  ],
});

describe('probe.chat against the loopback Kimi server', () => {
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
      max_completion_tokens: 32000,
      reasoning_effort: 'high',
    });
  });

  it('the key comes from the source the product uses: an auth profile beats the config key', async () => {
    const profileKey = 'sk-kimi-profile-2222222222222222222222222222';
    home.write('.clawdbot/agents/main/agent/auth-profiles.json', JSON.stringify({ profiles: { 'kimi-code:default': { type: 'api_key', provider: 'kimi-code', key: profileKey } } }));
    const { probe } = await probeFindings({});
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${profileKey}`);
    expect(probe[0]).toMatchObject({ severity: 'error', cause: 'key-invalid' });
    expect(probe[0].evidence?.join('\n')).toMatch(/key from auth profile kimi-code:default/);
    expect(JSON.stringify(probe)).not.toContain(profileKey);
  });

  it('a server that never answers → the probe reports its own timeout within --timeout', async () => {
    server.setMode('hang');
    const { probe, statuses } = await probeFindings({}, { timeout: 2 });
    expect(statuses['probe.chat']).toBe('warn');
    expect(probe).toHaveLength(1);
    expect(probe[0]).toMatchObject({ severity: 'warn', cause: 'network-timeout' });
    expect(probe[0].title).toMatch(/no complete answer within 1\.\d\d s/);
    expect(probe[0].fix).toMatch(/--timeout 30\./);
    // One figure for the wait: the title's; the detail does not give another.
    expect(probe[0].detail).not.toMatch(/\d+ ms/);
  });

  it('a real process with --timeout 3: the probe, not the runner, reports the hang', async () => {
    server.setMode('hang');
    home.writeConfig(config({}));
    const r = await runCli(['--only', 'probe.chat', '--state-dir', home.stateDir, '--timeout', '3'], { env: cleanEnv(home.home) });
    expect(r.stdout).toMatch(/no complete answer within \d\.\d\d s/);
    expect(r.stdout).not.toMatch(/did not finish within/);
    expect(r.stdout).toMatch(/claw-doctor --only probe.chat --timeout 30\./);
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
    expect(probe[1].title).toMatch(/^moonshot\/kimi-k2\.5: not probed/);
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
