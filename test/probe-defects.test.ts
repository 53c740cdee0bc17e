// The ten probe defects of issue 11, one test each: what the real product does with the setting (the source file
// named in the issue, and the captures in test/fixtures/clawdbot-2026.1.24-3/requests/), and that the probe now
// does the same. Each ran against the loopback stand-in; each failed on the probe before this change.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findingsFor } from './support/doctor.js';
import { makeTempHome, type TempHome } from './support/temp-home.js';
import { startKimiServer, TEST_KEY, type KimiServer, type RecordedRequest } from './support/kimi-server.js';

let server: KimiServer;
let strict: KimiServer;
let home: TempHome;

beforeAll(async () => {
  server = await startKimiServer({ chunkDelayMs: 0 });
  strict = await startKimiServer({ chunkDelayMs: 0, minBudget: 1000 });
});
afterAll(async () => {
  await Promise.all([server.close(), strict.close()]);
});
beforeEach(() => {
  server.requests.length = 0;
  strict.requests.length = 0;
  home = makeTempHome({ prefix: 'claw-doctor-defects-' });
});
afterEach(() => home.cleanup());

interface Setup {
  provider?: Record<string, unknown>;
  model?: Record<string, unknown>;
  providerId?: string;
  primary?: string;
  thinkingDefault?: string;
  defaults?: Record<string, unknown>;
  top?: Record<string, unknown>;
  on?: KimiServer;
  /** More model ids under the same provider, shaped like the first. */
  alsoModels?: string[];
  /** The product version the fake CLI on PATH answers (the config has no meta). */
  version?: string;
}

/** The setup guide's working V1 config (kimi-setup-guide.txt) with one thing changed, run with a product CLI on PATH. */
async function run(s: Setup = {}, env: NodeJS.ProcessEnv = {}) {
  const on = s.on ?? server;
  const providerId = s.providerId ?? 'kimi-code';
  const anthropic = s.provider?.api === 'anthropic-messages';
  const cfg = {
    ...s.top,
    models: {
      mode: 'merge',
      providers: {
        [providerId]: {
          baseUrl: `${on.url}/coding${anthropic ? '/' : '/v1'}`,
          apiKey: TEST_KEY,
          api: 'openai-completions',
          ...s.provider,
          models: ['kimi-for-coding', ...(s.alsoModels ?? [])].map((id) => ({
              id,
              name: 'Kimi For Coding',
              reasoning: true,
              input: ['text'],
              contextWindow: 262144,
              maxTokens: 32768,
              headers: { 'User-Agent': 'KimiCLI/0.77' },
              compat: { supportsDeveloperRole: false },
              ...s.model,
            })),
        },
      },
    },
    agents: { defaults: { model: { primary: s.primary ?? `${providerId}/kimi-for-coding` }, thinkingDefault: s.thinkingDefault ?? 'low', ...s.defaults } },
  };
  home.writeConfig(JSON.stringify(cfg, null, 2));
  const cli = path.join(home.home, 'bin', 'clawdbot');
  home.write('bin/clawdbot', `#!/bin/sh\necho ${s.version ?? '2026.1.24-3'}\n`);
  fs.chmodSync(cli, 0o755);
  const out = await findingsFor(home, { offline: false }, env);
  return { ...out, probe: out.findings.filter((f) => f.check === 'probe.chat'), sent: on.requests as RecordedRequest[] };
}

const body = (r: RecordedRequest | undefined): Record<string, unknown> => (r?.body ?? {}) as Record<string, unknown>;

describe('the ten defects: the probe now does what the product does', () => {
  it('1. agents.defaults.models[ref].params.temperature is sent (extra-params.js), and Kimi refuses it', async () => {
    const { sent, probe } = await run({ defaults: { models: { 'kimi-code/kimi-for-coding': { params: { temperature: 0.6 } } } } });
    expect(body(sent[0]).temperature).toBe(0.6);
    expect(probe[0]).toMatchObject({ severity: 'error' });
    expect(probe[0].detail).toMatch(/invalid temperature/);
  });

  it('2. the output budget is the product\'s: maxTokens 300 is sent as is and comes back cut off, with what it means', async () => {
    const { sent, probe } = await run({ on: strict, model: { maxTokens: 300 } });
    expect(body(sent[0]).max_completion_tokens).toBe(300);
    expect(probe[0]).toMatchObject({ severity: 'error', cause: 'budget-too-small' });
    expect(probe[0].detail).toMatch(/your maxTokens 300 leaves no room for reasoning/i);
  });

  it('2. Anthropic route: budget 16384 for "high", max_tokens = min(32000 + budget, maxTokens) (adjustMaxTokensForThinking)', async () => {
    const { sent } = await run({ provider: { api: 'anthropic-messages' }, thinkingDefault: 'high' });
    expect(body(sent[0])).toMatchObject({ max_tokens: 32768, thinking: { type: 'enabled', budget_tokens: 16384 } });
  });

  it('3. the main session\'s thinkingLevel beats thinkingDefault (sessions.json)', async () => {
    home.write('.clawdbot/agents/main/sessions/sessions.json', JSON.stringify({ 'agent:main:main': { sessionId: 's1', updatedAt: 1, thinkingLevel: 'high' } }));
    const { sent } = await run();
    expect(body(sent[0]).reasoning_effort).toBe('high');
  });

  it('3. the main session\'s modelOverride picks the model the product calls (commands/agent.js)', async () => {
    home.write('.clawdbot/agents/main/sessions/sessions.json', JSON.stringify({ 'agent:main:main': { sessionId: 's1', updatedAt: 1, modelOverride: 'k2p5' } }));
    const { sent, probe } = await run({ alsoModels: ['k2p5'] });
    expect(body(sent[0]).model).toBe('k2p5');
    expect(probe[0].detail).toMatch(/session agent:main:main overrides the model with kimi-code\/k2p5/);
  });

  it('4. compat.supportsStore / supportsReasoningEffort false: neither store nor reasoning_effort (getCompat)', async () => {
    const { sent } = await run({ model: { compat: { supportsDeveloperRole: false, supportsStore: false, supportsReasoningEffort: false } } });
    expect(body(sent[0])).not.toHaveProperty('store');
    expect(body(sent[0])).not.toHaveProperty('reasoning_effort');
  });

  it('5. authHeader: true puts the provider apiKey in Authorization, over an auth-profile key (model-registry.js)', async () => {
    home.write('.clawdbot/agents/main/agent/auth-profiles.json', JSON.stringify({ profiles: { 'kimi-code:default': { type: 'api_key', provider: 'kimi-code', key: 'sk-kimi-profile-3333333333333333333333333333' } } }));
    const { sent } = await run({ provider: { authHeader: true } });
    expect(sent[0].headers.authorization).toBe(`Bearer ${TEST_KEY}`);
  });

  it('5. authHeader on the Anthropic route: Authorization in addition to x-api-key', async () => {
    const { sent } = await run({ provider: { api: 'anthropic-messages', authHeader: true } });
    expect(sent[0].headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(sent[0].headers['x-api-key']).toBe(TEST_KEY);
  });

  it('6. an auth profile without a valid type is dropped, as the product drops it (coerceAuthStore): the config key goes out', async () => {
    home.write('.clawdbot/agents/main/agent/auth-profiles.json', JSON.stringify({ profiles: { 'kimi-code:default': { provider: 'kimi-code', key: 'sk-kimi-untyped-4444444444444444444444444444' } } }));
    const { sent, findings } = await run();
    expect(sent[0].headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(findings.find((f) => f.check === 'provider.api-key' && f.title === 'Auth profile kimi-code:default is ignored by the product')).toBeDefined();
  });

  it('6. a token profile past its expiry is skipped; api_key reads only `key`', async () => {
    home.write(
      '.clawdbot/agents/main/agent/auth-profiles.json',
      JSON.stringify({ profiles: { 'kimi-code:old': { type: 'token', provider: 'kimi-code', token: 'sk-kimi-expired-5555555555555555555555555555', expires: 1 }, 'kimi-code:default': { type: 'api_key', provider: 'kimi-code', apiKey: 'sk-kimi-wrongfield-66666666666666666666666666' } } }),
    );
    const { sent } = await run();
    expect(sent[0].headers.authorization).toBe(`Bearer ${TEST_KEY}`);
  });

  it('7. V1 maps only kimi-code to KIMICODE_API_KEY (model-auth.js): a kimi-coding provider finds no key there, nothing is sent', async () => {
    const { sent, statuses, findings } = await run({ providerId: 'kimi-coding', provider: { apiKey: undefined } }, { KIMICODE_API_KEY: TEST_KEY });
    expect(sent).toHaveLength(0);
    expect(statuses['probe.chat']).toBe('skipped');
    expect(findings.some((f) => f.check === 'provider.api-key' && f.cause === 'key-missing')).toBe(true);
  });

  it('8. V1 ${VAR} defined only in env.vars: the config does not load, nothing is sent (config/io.js)', async () => {
    const { sent, statuses } = await run({ provider: { apiKey: '${KIMICODE_API_KEY}' }, top: { env: { vars: { KIMICODE_API_KEY: TEST_KEY } } } });
    expect(sent).toHaveLength(0);
    expect(statuses['probe.chat']).toBe('skipped');
  });

  it('9. a model-id typo on openai-completions: a TypeError before any request, so nothing is sent (resolveModel)', async () => {
    const { sent, statuses } = await run({ primary: 'kimi-code/kimi-for-codin' });
    expect(sent).toHaveLength(0);
    expect(statuses['probe.chat']).toBe('skipped');
  });

  it('9. a model-id typo on anthropic-messages: the product sends the Kimi key to api.anthropic.com; the probe sends nothing and says so', async () => {
    const { sent, probe } = await run({ provider: { api: 'anthropic-messages' }, primary: 'kimi-code/kimi-for-codin' });
    expect(sent).toHaveLength(0);
    expect(probe[0]).toMatchObject({ severity: 'error', title: 'kimi-code/kimi-for-codin: the product would send your Kimi key to api.anthropic.com' });
  });

  it('10. no User-Agent: the SDK strings of 2026.1.24-3 go out (OpenAI/JS 6.10.0, Anthropic/JS 0.71.2)', async () => {
    const openai = await run({ model: { headers: {} } });
    expect(openai.sent[0].headers['user-agent']).toBe('OpenAI/JS 6.10.0');
    server.requests.length = 0;
    const anthropic = await run({ provider: { api: 'anthropic-messages' }, model: { headers: {} } });
    expect(anthropic.sent[0].headers['user-agent']).toBe('Anthropic/JS 0.71.2');
  });

  it('10. 2026.9.6 sends `undici` on the Anthropic route when nothing is configured (gate-no-ua)', async () => {
    const { sent } = await run({
      version: '2026.9.6',
      providerId: 'kimi',
      provider: { api: 'anthropic-messages', request: { allowPrivateNetwork: true } },
      model: { headers: {} },
      primary: 'kimi/kimi-for-coding',
    });
    expect(sent[0].headers['user-agent']).toBe('undici');
    expect(body(sent[0]).thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
  });
});
