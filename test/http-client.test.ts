// The lean undici loader and its fallback both make real requests (loopback only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { full, lean, type HttpClient } from '../src/facts/http-client.js';

let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, path: req.url, body, ua: req.headers['user-agent'] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe.each([
  ['lean (three undici modules)', lean],
  ['full (the whole package: the fallback)', full],
])('%s', (_name, load: () => HttpClient) => {
  it('posts and reads the answer through an Agent', async () => {
    const c = load();
    const agent = new c.Agent({ connect: { timeout: 2000 } });
    const res = await c.request(`${url}/coding/v1/chat/completions?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'KimiCLI/0.77' },
      body: '{"a":1}',
      dispatcher: agent,
      signal: AbortSignal.timeout(5000),
    });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ method: 'POST', path: '/coding/v1/chat/completions?x=1', body: '{"a":1}', ua: 'KimiCLI/0.77' });
    await agent.close();
  });
});
