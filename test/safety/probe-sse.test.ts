// Issue 15 item 15: an SSE "line" that never ends grew the probe's buffer quadratically (~460 MB in 25 s)
// and the probe then timed out without naming the host. Now the stream is refused past 4 MB, by host.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeChat } from '../../src/facts/probe.js';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

describe('an SSE stream with no line break', { timeout: 30_000 }, () => {
  it('is refused past 4 MB, naming the host, well before the time limit', async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: ');
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = (): void => {
        // Up to 64 MB, never a newline.
        while (sent < 1024 && res.write(chunk)) sent++;
        if (sent < 1024) res.once('drain', pump);
      };
      pump();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const r = await probeChat(
      { providerId: 'kimi-code', modelId: 'kimi-for-coding', baseUrl: `http://127.0.0.1:${port}/coding/v1`, api: 'openai-completions', apiKey: 'sk-kimi-test-0000000000000000000000000000', headers: { 'User-Agent': 'KimiCLI/0.77' }, reasoning: true, supportsDeveloperRole: false, maxTokens: 32768, thinkingLevel: 'low' },
      { timeoutMs: 20_000, env: {} },
    );
    expect(r.ok).toBe(false);
    expect(r.error?.kind).not.toBe('timeout');
    expect(r.error?.message).toMatch(new RegExp(`127\\.0\\.0\\.1:${port} sent more than 4 MB without a line break`));
  });
});
