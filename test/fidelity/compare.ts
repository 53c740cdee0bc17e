// What "the probe sends what the product sends" means, field by field, and the stand-in's verdict on a request.
// Used by the differential test on the captured requests (test/fidelity.test.ts) and by `npm run fidelity`,
// which re-captures them from the real products (test/fidelity/live.ts). Written from the captures'
// READMEs, independently of src/: it must not share code with what it judges.
import http from 'node:http';

/** One request as it went over the wire. */
export interface WireCapture {
  method: string;
  /** Path on the stand-in, after the capture's prefix (`/ok`, `/strict`) is taken off. */
  path: string;
  /** In wire order, names as sent. */
  headers: [string, string][];
  body: string;
}

/**
 * Identical in every request of a product and unable to change a verdict (the requests README): telemetry and
 * transport headers. Everything else is compared.
 */
const IGNORED_HEADER = /^(host|connection|content-length|accept-language|sec-fetch-mode|accept-encoding|traceparent|x-stainless-.*)$/i;
/**
 * The conversation itself: the prompt text, earlier turns, the ~20 tools and their `tool_choice`. The system
 * prompt is compared by where it goes (its role, or text blocks), not by its text.
 */
const IGNORED_BODY = new Set(['messages', 'tools', 'tool_choice', 'system']);

export interface Fields {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** OpenAI route: the role the system prompt went out with; Anthropic route: the shape of `system`. */
  system: string;
}

function parse(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function systemOf(body: Record<string, unknown>): string {
  if (body.system !== undefined) {
    const blocks = Array.isArray(body.system) ? body.system : undefined;
    return blocks && blocks.every((b) => typeof b === 'object' && b !== null && (b as { type?: unknown }).type === 'text') ? 'text blocks' : typeof body.system;
  }
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: unknown }[]) : [];
  const first = messages.find((m) => m.role === 'system' || m.role === 'developer');
  return first ? `role ${String(first.role)}` : 'none';
}

export function fieldsThatMatter(r: WireCapture): Fields {
  const headers: Record<string, string> = {};
  for (const [name, value] of r.headers) if (!IGNORED_HEADER.test(name)) headers[name.toLowerCase()] = value;
  const all = parse(r.body);
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) if (!IGNORED_BODY.has(k)) body[k] = v;
  return { method: r.method, path: r.path, headers, body, system: systemOf(all) };
}

/** Every field that matters and differs, as `name: product … probe …` lines (empty: the same request). */
export function differences(product: Fields, probe: Fields): string[] {
  const out: string[] = [];
  const cmp = (name: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${name}: product ${JSON.stringify(a)}, probe ${JSON.stringify(b)}`);
  };
  cmp('method', product.method, probe.method);
  cmp('path', product.path, probe.path);
  cmp('system prompt', product.system, probe.system);
  for (const k of new Set([...Object.keys(product.headers), ...Object.keys(probe.headers)])) cmp(`header ${k}`, product.headers[k], probe.headers[k]);
  for (const k of new Set([...Object.keys(product.body), ...Object.keys(probe.body)])) cmp(`body ${k}`, product.body[k], probe.body[k]);
  return out;
}

/** What the stand-in made of a request: an answer, an answer cut by the budget, or an HTTP error. */
export type Verdict = 'answer 3901' | 'cut off (length)' | `HTTP ${number}` | 'nothing sent';

export function verdictOf(status: number, text: string): Verdict {
  if (status !== 200) return `HTTP ${status}`;
  if (/"finish_reason":"length"|"stop_reason":"max_tokens"/.test(text)) return 'cut off (length)';
  return /3901/.test(text.replace(/reasoning_content":"[^"]*"|thinking":"[^"]*"/g, '')) ? 'answer 3901' : `HTTP ${status}`;
}

/** Send a captured request again, byte for byte, to a stand-in on 127.0.0.1, and judge the answer. */
export function replay(r: WireCapture, origin: string): Promise<Verdict> {
  const url = new URL(r.path, origin);
  if (url.hostname !== '127.0.0.1') throw new Error(`replay only to loopback, not ${url.hostname}`);
  const headers: [string, string][] = r.headers.filter(([n]) => !/^(host|content-length|connection|transfer-encoding)$/i.test(n));
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: r.method, headers: { ...Object.fromEntries(headers), 'content-length': String(Buffer.byteLength(r.body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve(verdictOf(res.statusCode ?? 0, text)));
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

/** `product-requests.jsonl` of the clawdbot captures: `headers` as [name, value] pairs, `url` with its prefix. */
export function fromV1Line(line: string): { tag: string; prefix: string; capture: WireCapture } {
  const o = JSON.parse(line) as { tag: string; method: string; url: string; headers: [string, string][]; body: string };
  const m = /^\/(ok|strict)(\/.*)$/.exec(o.url);
  return { tag: o.tag.replace(/:product$/, ''), prefix: m?.[1] ?? '', capture: { method: o.method, path: m?.[2] ?? o.url, headers: o.headers, body: o.body } };
}

/** `requests-product.jsonl` of the openclaw captures: `rawHeaders` flat, as Node gives them. */
export function fromV3Line(line: string): WireCapture {
  const o = JSON.parse(line) as { method: string; url: string; rawHeaders: string[]; body: string };
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < o.rawHeaders.length; i += 2) headers.push([o.rawHeaders[i], o.rawHeaders[i + 1]]);
  return { method: o.method, path: o.url, headers, body: o.body };
}

/** What the loopback stand-in recorded (test/support/kimi-server.ts). */
export function fromRecorded(r: { method: string; path: string; headers: http.IncomingHttpHeaders; rawBody: string }): WireCapture {
  const headers: [string, string][] = Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]);
  return { method: r.method, path: r.path, headers, body: r.rawBody };
}
