// The probe against a real loopback server that answers like Kimi For Coding (test/support/kimi-server.ts).
// Nothing here leaves 127.0.0.1: non-loopback hosts are either refused before sending or reached only
// through a loopback proxy that ignores the requested host.
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeChat, proxyFor, PROBE_PROMPT, SDK_USER_AGENT, type ProbeOptions, type ProbeResult, type ProbeTarget } from '../src/facts/probe.js';
import { startKimiServer, useKimiServer, TEST_KEY, type KimiMode, type RecordedRequest } from './support/kimi-server.js';

const server = useKimiServer();

/** The setup guide's working model (kimi-setup-guide.txt), pointed at the loopback server. */
function openai(over: Partial<ProbeTarget> = {}): ProbeTarget {
  return {
    providerId: 'kimi-code',
    modelId: 'kimi-for-coding',
    baseUrl: `${server.url}/coding/v1`,
    api: 'openai-completions',
    apiKey: TEST_KEY,
    headers: { 'User-Agent': 'KimiCLI/0.77' },
    reasoning: true,
    supportsDeveloperRole: false,
    maxTokens: 32768,
    thinkingLevel: 'low',
    ...over,
  };
}

/** OpenAI's newer built-in: the Anthropic route (clawdbot.md §5). */
function anthropic(over: Partial<ProbeTarget> = {}): ProbeTarget {
  return openai({ providerId: 'kimi', baseUrl: `${server.url}/coding/`, api: 'anthropic-messages', headers: { 'User-Agent': 'claude-code/0.1.0' }, supportsDeveloperRole: undefined, ...over });
}

/** An empty env, so a proxy set on the machine running the tests cannot interfere. */
function probe(target: ProbeTarget, opts: Partial<ProbeOptions> = {}): Promise<ProbeResult> {
  return probeChat(target, { timeoutMs: 5000, env: {}, ...opts });
}

function lastRequest(): RecordedRequest {
  const r = server.requests.at(-1);
  if (!r) throw new Error('the server received no request');
  return r;
}

function bodyOf(r: RecordedRequest): Record<string, unknown> {
  expect(r.body).toBeTypeOf('object');
  return r.body as Record<string, unknown>;
}

function expectNoKey(result: ProbeResult, key = TEST_KEY): void {
  expect(JSON.stringify(result)).not.toContain(key);
}

describe('healthy OpenAI route', () => {
  it('streams reasoning then the answer, and reports ttft and usage', async () => {
    const r = await probe(openai());
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ ok: true, status: 200, hasAnswer: true, content: '47 * 83 = 3901', finishReason: 'stop' });
    expect(r.reasoning).toContain('3901');
    expect(r.usage).toEqual({ input: 12, output: 20, total: 32 });
    expect(r.ttftMs).toBeGreaterThanOrEqual(0);
    expect(r.ttftMs).toBeLessThanOrEqual(r.totalMs);
    expect(r.url).toBe(`${server.url}/coding/v1/chat/completions`);
    expect(r.request).toEqual({
      method: 'POST',
      url: `${server.url}/coding/v1/chat/completions`,
      headerNames: ['accept', 'authorization', 'content-type', 'user-agent'],
      systemRole: 'system',
      model: 'kimi-for-coding',
      stream: true,
      maxTokens: 32000,
      userAgent: 'KimiCLI/0.77',
    });
    expectNoKey(r);
  });

  it('sends what the product sends', async () => {
    await probe(openai());
    const req = lastRequest();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/coding/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(req.headers['user-agent']).toBe('KimiCLI/0.77');
    expect(bodyOf(req)).toEqual({
      model: 'kimi-for-coding',
      messages: [
        { role: 'system', content: expect.any(String) },
        { role: 'user', content: PROBE_PROMPT },
      ],
      stream: true,
      stream_options: { include_usage: true },
      store: false,
      // The product's own budget: min(maxTokens, 32000) (product-requests.jsonl, ua-model).
      max_completion_tokens: 32000,
      reasoning_effort: 'low',
    });
  });

  it('measures time to first token while the stream is still coming', async () => {
    const slow = await startKimiServer({ chunkDelayMs: 60 });
    try {
      const r = await probe(openai({ baseUrl: `${slow.url}/coding/v1` }));
      expect(r.ok).toBe(true);
      // ~8 chunks 60 ms apart: the first token arrives well before the end.
      expect(r.ttftMs).toBeDefined();
      expect(r.totalMs - (r.ttftMs ?? 0)).toBeGreaterThan(200);
    } finally {
      await slow.close();
    }
  });

  it('sends the budget under compat.maxTokensField when the config names one', async () => {
    await probe(openai({ maxTokensField: 'max_tokens' }));
    const body = bodyOf(lastRequest());
    expect(body.max_tokens).toBe(32000);
    expect(body).not.toHaveProperty('max_completion_tokens');
  });

  it('sends a small maxTokens as is (the product does) and no effort with thinking off', async () => {
    await probe(openai({ maxTokens: 512, thinkingLevel: 'off' }));
    const body = bodyOf(lastRequest());
    expect(body.max_completion_tokens).toBe(512);
    expect(body).not.toHaveProperty('reasoning_effort');
  });

  it.each([
    ['on', 'low'],
    ['think', 'minimal'],
    ['max', 'high'],
    ['xhigh', 'high'],
    [undefined, 'low'],
  ])('thinking level %s is sent as reasoning_effort %s', async (level, effort) => {
    await probe(openai({ thinkingLevel: level }));
    expect(bodyOf(lastRequest()).reasoning_effort).toBe(effort);
  });

  it('answers without reasoning: ok, but no reasoning to show', async () => {
    server.setMode('no-reasoning');
    const r = await probe(openai());
    expect(r).toMatchObject({ ok: true, hasAnswer: true });
    expect(r.reasoning).toBeUndefined();
  });

  it('reasoning fills the budget: ok transport, empty content, finish_reason length', async () => {
    server.setMode('length');
    const r = await probe(openai());
    expect(r).toMatchObject({ ok: true, hasAnswer: false, content: '', finishReason: 'length' });
    expect(r.reasoning).toBeTruthy();
    expect(r.usage?.output).toBe(32000);
  });
});

describe('what the product gets wrong, seen by the probe', () => {
  it('no User-Agent configured: the SDK default goes out and the gate refuses it', async () => {
    const r = await probe(openai({ headers: {} }));
    expect(lastRequest().headers['user-agent']).toBe(SDK_USER_AGENT.V1.openai);
    expect(r).toMatchObject({ ok: false, status: 403, hasAnswer: false });
    expect(r.error?.kind).toBe('http');
    expect(r.error?.classified?.cause).toBe('client-gate');
    expect(r.error?.message).toContain('only available for Coding Agents');
    expect(r.error?.classified?.fix).toContain('"User-Agent": "KimiCLI/0.77"');
  });

  it('a header name in another case still wins over the SDK default', async () => {
    const r = await probe(openai({ headers: { 'user-agent': 'RooCode/3.0' } }));
    expect(r.ok).toBe(true);
    expect(lastRequest().headers['user-agent']).toBe('RooCode/3.0');
  });

  it('wrong key → key-invalid, and neither key appears in the result', async () => {
    const wrong = 'sk-kimi-wrong-1111111111111111111111111111';
    const r = await probe(openai({ apiKey: wrong }));
    expect(r.status).toBe(401);
    expect(r.error?.classified?.cause).toBe('key-invalid');
    expectNoKey(r, wrong);
    expectNoKey(r);
  });

  it('unknown model id → 401 model-unknown (not 404)', async () => {
    const r = await probe(openai({ modelId: 'kimi-k9' }));
    expect(r.status).toBe(401);
    expect(r.error?.classified?.cause).toBe('model-unknown');
  });

  it('reasoning model without the compat flag sends role developer → developer-role', async () => {
    const r = await probe(openai({ supportsDeveloperRole: undefined }));
    expect(r.request.systemRole).toBe('developer');
    expect((bodyOf(lastRequest()).messages as Array<{ role: string }>)[0].role).toBe('developer');
    expect(r.status).toBe(400);
    expect(r.error?.classified?.cause).toBe('developer-role');
    expect(r.error?.classified?.fix).toContain('"compat": { "supportsDeveloperRole": false }');
  });

  it('compat false → role system; reasoning off → role system even without compat', async () => {
    expect((await probe(openai({ supportsDeveloperRole: false }))).request.systemRole).toBe('system');
    const r = await probe(openai({ reasoning: false, supportsDeveloperRole: undefined }));
    expect(r.request.systemRole).toBe('system');
    expect(r.ok).toBe(true);
    expect(bodyOf(lastRequest())).not.toHaveProperty('reasoning_effort');
  });

  it('base URL without /v1 on the OpenAI route → 404 wrong-path', async () => {
    const r = await probe(openai({ baseUrl: `${server.url}/coding/` }));
    expect(lastRequest().path).toBe('/coding/chat/completions');
    expect(r.status).toBe(404);
    expect(r.error?.classified?.cause).toBe('wrong-path');
  });

  it('a full …/chat/completions URL as base → 404 wrong-path, as in the product', async () => {
    const r = await probe(openai({ baseUrl: `${server.url}/coding/v1/chat/completions` }));
    expect(r.error?.classified?.cause).toBe('wrong-path');
  });

  it('an api the probe does not speak sends nothing', async () => {
    const r = await probe(openai({ api: 'google-generative-ai' }));
    expect(r.error?.kind).toBe('other');
    expect(server.requests).toHaveLength(0);
  });
});

describe('server-side answers', () => {
  const cases: Array<[KimiMode, number, string]> = [
    ['quota-weekly', 403, 'quota-weekly'],
    ['quota-billing', 403, 'quota-billing'],
    ['suspended', 403, 'suspended'],
    ['402', 402, 'membership-expired'],
    ['rate-limit', 429, 'rate-limit'],
    ['overloaded', 429, 'overloaded'],
    ['500', 500, 'server-error'],
    ['html-504', 504, 'html-page'],
    ['reasoning-missing', 400, 'reasoning-content-missing'],
  ];
  it.each(cases)('mode %s → HTTP %i, %s', async (mode, status, cause) => {
    server.setMode(mode);
    const r = await probe(openai());
    expect(r.ok).toBe(false);
    expect(r.status).toBe(status);
    expect(r.error?.kind).toBe('http');
    expect(r.error?.classified?.cause).toBe(cause);
    expectNoKey(r);
  });

  it('quota is not mistaken for the gate although the 403 type is the same', async () => {
    server.setMode('quota-weekly');
    const r = await probe(openai());
    expect(r.error?.classified?.fix).toMatch(/will not help/);
  });
});

describe('network failures', () => {
  it('a server that never answers → timeout within the budget', async () => {
    server.setMode('hang');
    // A server that never answers can only end in 'timeout': the limit fired (speed is npm run bench's job).
    const r = await probe(openai(), { timeoutMs: 300 });
    expect(r.error?.kind).toBe('timeout');
    expect(r.error?.message).toContain('300 ms');
  });

  it('the run-wide signal stops the probe too', async () => {
    server.setMode('hang');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    // The probe's own limit (10 s) is longer than this test's: ending at all means the signal stopped it.
    const r = await probe(openai(), { timeoutMs: 10_000, signal: ac.signal });
    expect(r.error?.kind).toBe('timeout');
  });

  it('the socket closes mid-stream → closed, keeping what arrived', async () => {
    server.setMode('close-mid-stream');
    const r = await probe(openai());
    expect(r.ok).toBe(false);
    expect(r.status).toBe(200);
    expect(r.error?.kind).toBe('closed');
    expect(r.reasoning).toBeTruthy();
    expect(r.hasAnswer).toBe(false);
  });

  it('nothing listening → refused', async () => {
    const port = await freePort();
    const r = await probe(openai({ baseUrl: `http://127.0.0.1:${port}/coding/v1` }));
    expect(r.error?.kind).toBe('refused');
    expect(r.status).toBeUndefined();
  });

  it('https to a plain-http port → tls', async () => {
    const r = await probe(openai({ baseUrl: server.url.replace('http:', 'https:') + '/coding/v1' }));
    expect(r.error?.kind).toBe('tls');
  });

  it('plain http to another host is refused before anything is sent', async () => {
    const proxy = await startConnectProxy(server.url);
    try {
      // Even a configured proxy (which would see any attempt) receives nothing.
      const r = await probe(openai({ baseUrl: 'http://example.invalid/coding/v1' }), { env: { HTTP_PROXY: proxy.url } });
      expect(r.error?.kind).toBe('insecure');
      expect(r.error?.message).toContain('http://example.invalid/coding/v1/chat/completions');
      expect(proxy.connects).toHaveLength(0);
      expect(server.requests).toHaveLength(0);
      expectNoKey(r);
    } finally {
      await proxy.close();
    }
  });

  it('a dead proxy → proxy (the target host is never resolved here)', async () => {
    const port = await freePort();
    const r = await probe(openai({ baseUrl: 'https://api.kimi.com/coding/v1' }), { env: { HTTPS_PROXY: `http://user:secret@127.0.0.1:${port}` } });
    expect(r.error?.kind).toBe('proxy');
    expect(r.proxy).toBe(`http://127.0.0.1:${port}/`);
    expect(JSON.stringify(r)).not.toContain('secret');
  });

  it('loopback targets skip the proxy', async () => {
    const port = await freePort();
    const r = await probe(openai(), { env: { HTTPS_PROXY: `http://127.0.0.1:${port}`, HTTP_PROXY: `http://127.0.0.1:${port}` } });
    expect(r.ok).toBe(true);
    expect(r.proxy).toBeUndefined();
  });

  it('goes through a working proxy (CONNECT tunnel), with --allow-insecure for plain http', async () => {
    const proxy = await startConnectProxy(server.url);
    try {
      const r = await probe(openai({ baseUrl: 'http://kimi.invalid/coding/v1' }), { env: { HTTP_PROXY: proxy.url }, allowInsecure: true });
      expect(r.error).toBeUndefined();
      expect(r.hasAnswer).toBe(true);
      expect(proxy.connects).toEqual(['kimi.invalid:80']);
      expect(lastRequest().headers.host).toBe('kimi.invalid');
    } finally {
      await proxy.close();
    }
  });
});

describe('proxyFor (env rules)', () => {
  const url = new URL('https://api.kimi.com/coding/v1');
  it.each([
    [{ HTTPS_PROXY: 'http://p:8080' }, 'http://p:8080/'],
    [{ https_proxy: 'p:3128' }, 'http://p:3128/'],
    [{ HTTP_PROXY: 'http://p:8080' }, 'http://p:8080/'],
    [{ HTTPS_PROXY: 'http://p:8080', NO_PROXY: 'kimi.com' }, undefined],
    [{ HTTPS_PROXY: 'http://p:8080', NO_PROXY: '.kimi.com' }, undefined],
    [{ HTTPS_PROXY: 'http://p:8080', NO_PROXY: 'localhost, *' }, undefined],
    [{ HTTPS_PROXY: 'http://p:8080', no_proxy: 'api.kimi.com:443' }, undefined],
    [{ HTTPS_PROXY: 'http://p:8080', NO_PROXY: 'api.kimi.com:8443' }, 'http://p:8080/'],
    [{ HTTPS_PROXY: 'http://p:8080', NO_PROXY: 'notkimi.com' }, 'http://p:8080/'],
    [{}, undefined],
  ])('%j → %s', (env, expected) => {
    expect(proxyFor(url, env).url?.href).toBe(expected);
  });

  it('never proxies loopback', () => {
    expect(proxyFor(new URL('http://127.0.0.1:9/x'), { HTTP_PROXY: 'http://p:1' }).url).toBeUndefined();
    expect(proxyFor(new URL('http://localhost:9/x'), { HTTP_PROXY: 'http://p:1' }).url).toBeUndefined();
    expect(proxyFor(new URL('http://[::1]:9/x'), { HTTP_PROXY: 'http://p:1' }).url).toBeUndefined();
  });
});

describe('Anthropic route', () => {
  it('healthy: thinking blocks then text, usage and stop reason', async () => {
    const r = await probe(anthropic());
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ ok: true, status: 200, hasAnswer: true, content: '47 * 83 = 3901', finishReason: 'end_turn' });
    expect(r.reasoning).toContain('3901');
    expect(r.usage).toEqual({ input: 12, output: 20, total: 32 });
    expect(r.ttftMs).toBeDefined();
    expectNoKey(r);
  });

  it('sends what the Anthropic SDK sends', async () => {
    await probe(anthropic());
    const req = lastRequest();
    expect(req.path).toBe('/coding/v1/messages');
    expect(req.headers['x-api-key']).toBe(TEST_KEY);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.headers['anthropic-version']).toBe('2023-06-01');
    expect(req.headers['user-agent']).toBe('claude-code/0.1.0');
    expect(req.headers['anthropic-beta']).toBe('fine-grained-tool-streaming-2025-05-14,interleaved-thinking-2025-05-14');
    // product-requests.jsonl, anthropic: max_tokens = min(32000 + budget 2048, maxTokens 32768), system as text blocks.
    expect(bodyOf(req)).toEqual({
      model: 'kimi-for-coding',
      max_tokens: 32768,
      system: [{ type: 'text', text: expect.any(String), cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: PROBE_PROMPT }],
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
  });

  it('authHeader adds Bearer <provider apiKey> next to x-api-key (anthropic-authheader sent both)', async () => {
    const r = await probe(anthropic({ authHeader: true, providerApiKey: TEST_KEY }));
    expect(r.ok).toBe(true);
    expect(lastRequest().headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(lastRequest().headers['x-api-key']).toBe(TEST_KEY);
  });

  it('refused client gets the constant 429 "overloaded", classified as the gate', async () => {
    const r = await probe(anthropic({ headers: {} }));
    expect(lastRequest().headers['user-agent']).toBe(SDK_USER_AGENT.V1.anthropic);
    expect(r.status).toBe(429);
    expect(r.error?.classified?.cause).toBe('client-gate');
    expect(r.error?.classified?.fix).toContain('"User-Agent": "claude-code/0.1.0"');
  });

  it('a real overload with an approved client stays "overloaded"', async () => {
    server.setMode('overloaded');
    const r = await probe(anthropic());
    expect(r.error?.classified?.cause).toBe('overloaded');
  });

  it('base ending in /v1 → /v1/v1/messages → wrong-path, as in the product', async () => {
    const r = await probe(anthropic({ baseUrl: `${server.url}/coding/v1` }));
    expect(lastRequest().path).toBe('/coding/v1/v1/messages');
    expect(r.error?.classified?.cause).toBe('wrong-path');
  });

  it('closes mid-stream → closed', async () => {
    server.setMode('close-mid-stream');
    const r = await probe(anthropic());
    expect(r.error?.kind).toBe('closed');
  });

  it('budget filled by thinking → max_tokens, no answer', async () => {
    server.setMode('length');
    const r = await probe(anthropic());
    expect(r).toMatchObject({ ok: true, hasAnswer: false, finishReason: 'max_tokens' });
  });
});

describe('answers in other shapes (a raw server)', () => {
  const gateChunk = '{"error":{"message":"Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.","type":"access_terminated_error"}}';

  it('SSE with CRLF, comments, events split mid-line and mid-CRLF, usage at the top level', async () => {
    const sse = [
      ': keep-alive\r\n\r\n',
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { reasoning_content: '47*83 = 3901 — ✓' } }] })}\r\n\r\n`,
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: '3901' } }] })}\r\n\r\n`,
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\r\n\r\n`,
      `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 } })}\r\n\r\n`,
      'data: [DONE]\r\n\r\n',
    ].join('');
    // Cut inside a multi-byte character, inside a line, and between \r and \n.
    const bytes = Buffer.from(sse);
    const cr = bytes.indexOf('\r\n\r\ndata: {"choices":[{"index":0,"delta":{"content"') + 1;
    const tick = bytes.indexOf(Buffer.from('✓')) + 1;
    expect(tick).toBeGreaterThan(20);
    expect(cr).toBeGreaterThan(tick);
    expect(bytes.subarray(cr - 1, cr + 1).toString()).toBe('\r\n');
    const pieces = [bytes.subarray(0, 20), bytes.subarray(20, tick), bytes.subarray(tick, cr), bytes.subarray(cr)];
    const raw = await startRawServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const p of pieces) {
        res.write(p);
        await sleep(15);
      }
      res.end();
    });
    try {
      const r = await probe(openai({ baseUrl: `${raw.url}/v1` }));
      expect(r.error).toBeUndefined();
      expect(r).toMatchObject({ ok: true, hasAnswer: true, content: '3901', reasoning: '47*83 = 3901 — ✓', finishReason: 'stop' });
      expect(r.usage).toEqual({ input: 5, output: 6, total: 11 });
    } finally {
      await raw.close();
    }
  });

  it('an error event inside a 200 stream is classified', async () => {
    const raw = await startRawServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${gateChunk}\n\n`);
    });
    try {
      const r = await probe(openai({ baseUrl: `${raw.url}/v1` }));
      expect(r.ok).toBe(false);
      expect(r.error?.kind).toBe('http');
      expect(r.error?.classified?.cause).toBe('client-gate');
    } finally {
      await raw.close();
    }
  });

  it('a stream that ends cleanly without finish_reason or [DONE] → closed', async () => {
    const raw = await startRawServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: '39' } }] })}\n\n`);
    });
    try {
      const r = await probe(openai({ baseUrl: `${raw.url}/v1` }));
      expect(r.error?.kind).toBe('closed');
      expect(r.content).toBe('39');
    } finally {
      await raw.close();
    }
  });

  it('a server that ignores stream:true and answers once in JSON', async () => {
    const raw = await startRawServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices: [{ index: 0, message: { role: 'assistant', content: '3901', reasoning_content: 'r' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
        }),
      );
    });
    try {
      const r = await probe(openai({ baseUrl: `${raw.url}/v1` }));
      expect(r).toMatchObject({ ok: true, hasAnswer: true, reasoning: 'r', finishReason: 'stop', usage: { input: 1, output: 2, total: 3 } });
    } finally {
      await raw.close();
    }
  });

  it('a website instead of the API (HTML 200) → html-page', async () => {
    const raw = await startRawServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><html><head><title>Kimi</title></head><body>hi</body></html>');
    });
    try {
      const r = await probe(openai({ baseUrl: `${raw.url}/v1` }));
      expect(r.ok).toBe(false);
      expect(r.error?.classified?.cause).toBe('html-page');
    } finally {
      await raw.close();
    }
  });

  it('a redirect is not followed: the key goes only to the configured base URL', async () => {
    const raw = await startRawServer(async (_req, res) => {
      res.writeHead(301, { location: 'https://elsewhere.invalid/v1/chat/completions' });
      res.end();
    });
    try {
      const r = await probe(openai({ baseUrl: `${raw.url}/v1` }));
      expect(r.status).toBe(301);
      expect(r.error?.kind).toBe('http');
      expect(r.error?.message).toMatch(/not followed/);
      expect(raw.hits).toBe(1);
    } finally {
      await raw.close();
    }
  });
});

describe('the key stays secret', () => {
  // 'echo-key' puts the key in the response: without it no mode could make these fail.
  const modes: KimiMode[] = ['ok', 'echo-key', 'quota-weekly', 'suspended', '500', 'html-504', 'close-mid-stream', 'reasoning-missing'];
  it.each(modes)('mode %s', async (mode) => {
    server.setMode(mode);
    expectNoKey(await probe(openai()));
    expectNoKey(await probe(anthropic()));
  });

  it('secret-looking configured headers are masked too, and never listed by value', async () => {
    const r = await probe(openai({ apiKey: undefined, headers: { 'User-Agent': 'KimiCLI/0.77', Authorization: `Bearer ${TEST_KEY}` } }));
    expect(r.ok).toBe(true);
    expect(r.request.headerNames).toContain('authorization');
    expectNoKey(r);
  });
});

// ---------------------------------------------------------------------------------------------
// Helpers

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

interface RawServer {
  url: string;
  hits: number;
  close(): Promise<void>;
}

/** A loopback server with a hand-written answer, for shapes the Kimi server does not produce. */
async function startRawServer(answer: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>): Promise<RawServer> {
  const state = { hits: 0 };
  const srv = http.createServer((req, res) => {
    state.hits++;
    req.resume();
    req.on('end', () => void answer(req, res).catch(() => res.destroy()));
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
  const { port } = srv.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get hits() {
      return state.hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        srv.closeAllConnections();
        srv.close(() => resolve());
      }),
  };
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

interface ConnectProxy {
  url: string;
  /** The `host:port` of every CONNECT received. */
  connects: string[];
  close(): Promise<void>;
}

/** A CONNECT proxy on loopback that tunnels every request to `upstream`, whatever host was asked for. */
async function startConnectProxy(upstream: string): Promise<ConnectProxy> {
  const { port: upPort } = new URL(upstream);
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const proxy = http.createServer((_req, res) => {
    res.writeHead(502);
    res.end();
  });
  proxy.on('connection', track);
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push(req.url ?? '');
    const up = net.connect(Number(upPort), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    track(up);
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  const { port } = proxy.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}
