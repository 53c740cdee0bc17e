// undici, loaded lean. Its index loads every API it has (fetch, WebSocket, caches, mocks …): ~140 ms here,
// most of the probe's own cost. The probe needs Agent, ProxyAgent and the dispatcher API, which load in
// ~50 ms on their own (npm run bench, "The live probe"). undici has no exports map, so these paths
// are reachable; if a future undici moves them, the full package is loaded instead: slower, never broken.
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

export interface HttpClient {
  Agent: typeof Undici.Agent;
  ProxyAgent: typeof Undici.ProxyAgent;
  request: (url: string | URL, opts: { method: string; headers: Record<string, string>; body: string; dispatcher: Undici.Dispatcher; signal: AbortSignal }) => Promise<Undici.Dispatcher.ResponseData>;
}

const require = createRequire(import.meta.url);
let loaded: HttpClient | undefined;

export function lean(): HttpClient {
  // What undici's index does for its dispatchers, and no more: the request/connect API on every dispatcher
  // (ProxyAgent tunnels through `connect`).
  const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
  const api = require('undici/lib/api/index.js') as Record<string, unknown>;
  const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
  const ProxyAgent = require('undici/lib/dispatcher/proxy-agent.js') as typeof Undici.ProxyAgent;
  if (typeof Agent !== 'function' || typeof ProxyAgent !== 'function' || typeof api.request !== 'function' || typeof api.connect !== 'function') {
    throw new Error('undici layout changed');
  }
  if (!('request' in Dispatcher.prototype)) Object.assign(Dispatcher.prototype, api);
  return {
    Agent,
    ProxyAgent,
    request(url, { dispatcher, ...rest }) {
      const u = new URL(url);
      return dispatcher.request({ ...rest, method: rest.method as Undici.Dispatcher.HttpMethod, origin: u.origin, path: `${u.pathname}${u.search}` });
    },
  };
}

export function full(): HttpClient {
  const u = require('undici') as typeof Undici;
  return { Agent: u.Agent, ProxyAgent: u.ProxyAgent, request: (url, opts) => u.request(url, opts) };
}

export function httpClient(): HttpClient {
  if (!loaded) {
    try {
      loaded = lean();
    } catch {
      loaded = full();
    }
  }
  return loaded;
}
