// The live probe: one chat request, sent the way the product sends it (product-request.ts holds the rules), so it
// fails exactly where the product fails. The key goes to the configured base URL and nowhere else.
import type { Dispatcher } from 'undici';
import { httpClient } from './http-client.js';
import { classifyProviderError, looksLikeHtml, parseErrorText, type Classified } from './classify.js';
import { isLoopbackHost, plainHttpRefusal } from './hosts.js';
import { buildWireRequest, PROBE_ANSWER, type RequestSpec, type Route, type WireRequest } from './product-request.js';
import { isRecord, str } from '../util/json.js';

export { PROBE_ANSWER, PROBE_PROMPT, SDK_USER_AGENT } from './product-request.js';

/** Bounds on what we read: an error body is a few hundred bytes, a whole answer a few KB. */
const MAX_ERROR_BODY = 64 * 1024;
const MAX_JSON_BODY = 1024 * 1024;

/** What the probe sends is what the product decided (product-request.ts). */
export type ProbeTarget = RequestSpec;

export type ProbeErrorKind = 'http' | 'dns' | 'refused' | 'tls' | 'proxy' | 'timeout' | 'closed' | 'insecure' | 'other';

export interface ProbeUsage {
  input?: number;
  output?: number;
  total?: number;
}

export interface ProbeResult {
  url: string;
  /** What was sent, never the key or header values. */
  request: {
    method: string;
    url: string;
    headerNames: string[];
    systemRole: 'system' | 'developer';
    model: string;
    stream: boolean;
    maxTokens: number;
    /** The User-Agent that went out (configured, or the SDK default the product would send). */
    userAgent?: string;
  };
  ok: boolean;
  status?: number;
  error?: { kind: ProbeErrorKind; message: string; classified?: Classified };
  content?: string;
  reasoning?: string;
  /** The content contains 3901. */
  hasAnswer: boolean;
  finishReason?: string;
  ttftMs?: number;
  totalMs: number;
  usage?: ProbeUsage;
  /** The proxy the request went through (without credentials), when one was used. */
  proxy?: string;
}

export interface ProbeOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  allowInsecure?: boolean;
  /** For HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  env?: NodeJS.ProcessEnv;
}

type BuiltRequest = WireRequest;

export async function probeChat(target: ProbeTarget, opts: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const secrets = secretsOf(target);
  const built = buildRequest(target);
  const result = emptyResult(target, built);
  const finish = (): ProbeResult => scrub({ ...result, totalMs: Math.round(performance.now() - started) }, secrets);

  if (!built.ok) {
    result.error = { kind: built.kind, message: built.message };
    return finish();
  }
  const req = built.value;
  const refusal = refuseInsecure(req.url, opts.allowInsecure === true);
  if (refusal) {
    result.error = { kind: 'insecure', message: refusal };
    return finish();
  }

  const proxy = proxyFor(req.url, opts.env ?? process.env);
  if (proxy.error) {
    result.error = { kind: 'proxy', message: proxy.error };
    return finish();
  }
  if (proxy.url) result.proxy = redactUrl(proxy.url);

  const deadline = new Deadline(opts.timeoutMs, opts.signal);
  const state: StreamState = { content: '', reasoning: '', done: false };
  let dispatcher: Dispatcher | undefined;
  try {
    dispatcher = proxy.url
      ? new (httpClient().ProxyAgent)({ uri: proxy.url.href, connect: { timeout: opts.timeoutMs } })
      : new (httpClient().Agent)({ connect: { timeout: opts.timeoutMs } });
    await exchange(req, target, dispatcher, deadline, result, state, started);
  } catch (err) {
    result.error = networkError(err, { deadline, proxy: proxy.url, url: req.url, timeoutMs: opts.timeoutMs, answered: result.status !== undefined });
  } finally {
    deadline.clear();
    await dispatcher?.destroy().catch(() => undefined);
  }
  // Keep what arrived before a cut or a timeout: a half answer is evidence too.
  if (result.status !== undefined && result.status < 300) Object.assign(result, answerFields(state));
  result.ok = result.error === undefined;
  result.hasAnswer = (result.content ?? '').includes(PROBE_ANSWER);
  return finish();
}

// ---------------------------------------------------------------------------------------------
// Building the request: the product's own rules (product-request.ts)

type Built = { ok: true; value: BuiltRequest } | { ok: false; kind: ProbeErrorKind; message: string };

function buildRequest(target: ProbeTarget): Built {
  const wire = buildWireRequest(target);
  if (!wire.ok) return { ok: false, kind: 'other', message: wire.message.replace('baseUrl is not a valid URL', `baseUrl is not a valid URL: ${JSON.stringify(redactText(target.baseUrl))}`) };
  return wire;
}

function emptyResult(target: ProbeTarget, built: Built): ProbeResult {
  const req = built.ok ? built.value : undefined;
  const shown = req ? redactUrl(req.url) : redactText(target.baseUrl);
  return {
    url: shown,
    request: {
      method: 'POST',
      url: shown,
      headerNames: req ? Object.keys(req.headers).sort() : [],
      systemRole: req?.systemRole ?? 'system',
      model: target.modelId,
      stream: true,
      maxTokens: req?.maxTokens ?? 0,
      userAgent: req?.headers['user-agent'],
    },
    ok: false,
    hasAnswer: false,
    totalMs: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Safety: where the key may go

/** The one refusal (hosts.ts), worded for a request that was about to leave. */
function refuseInsecure(url: URL, allowInsecure: boolean): string | undefined {
  return plainHttpRefusal(url.href, allowInsecure) ? `not sent: ${redactUrl(url)} is plain http:// to another host, so the API key would travel unencrypted (use https://, or --allow-insecure)` : undefined;
}

interface ProxyChoice {
  url?: URL;
  error?: string;
}

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY as undici's EnvHttpProxyAgent reads them (lowercase first; https falls
 * back to the http proxy). Loopback is never proxied: a proxy cannot reach this machine's 127.0.0.1.
 */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): ProxyChoice {
  const https = target.protocol === 'https:';
  const raw = https
    ? env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY
    : env.http_proxy || env.HTTP_PROXY;
  if (!raw || isLoopbackHost(target.hostname) || bypassed(target, env.no_proxy ?? env.NO_PROXY ?? '')) return {};
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    return { url };
  } catch {
    return { error: `${https ? 'HTTPS_PROXY' : 'HTTP_PROXY'} is not a valid URL` };
  }
}

function bypassed(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy.split(/[\s,]+/).filter(Boolean)) {
    if (entry === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase().replace(/^\[|\](?=:|$)/g, ''));
    const name = (m?.[1] ?? '').replace(/^\*?\./, '');
    if (m?.[2] && m[2] !== port) continue;
    if (name && (host === name || host.endsWith(`.${name}`))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The exchange

class Deadline {
  readonly controller = new AbortController();
  timedOut = false;
  private readonly timer: NodeJS.Timeout;
  private readonly onOuterAbort = (): void => this.controller.abort();

  constructor(
    timeoutMs: number,
    private readonly outer?: AbortSignal,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, timeoutMs);
    if (outer?.aborted) this.controller.abort();
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}

async function exchange(
  req: BuiltRequest,
  target: ProbeTarget,
  dispatcher: Dispatcher,
  deadline: Deadline,
  result: ProbeResult,
  state: StreamState,
  started: number,
): Promise<void> {
  const res = await httpClient().request(req.url, {
    method: 'POST',
    headers: req.headers,
    body: JSON.stringify(req.body),
    dispatcher,
    signal: deadline.controller.signal,
  });
  result.status = res.statusCode;
  const contentType = String(res.headers['content-type'] ?? '').toLowerCase();

  if (res.statusCode >= 300) {
    const text = await readText(res.body, MAX_ERROR_BODY);
    result.error = httpError(res.statusCode, text, res.headers.location, req, target);
    return;
  }
  const onToken = (): void => {
    result.ttftMs ??= Math.round(performance.now() - started);
  };
  if (contentType.includes('text/event-stream')) {
    for await (const event of readSse(res.body)) {
      if (req.route === 'openai') onOpenAIEvent(event, state, onToken);
      else onAnthropicEvent(event, state, onToken);
      if (state.done || state.error) break;
    }
  } else {
    // Some servers ignore `stream: true` and answer once; read that answer rather than failing.
    const text = await readText(res.body, MAX_JSON_BODY);
    if (looksLikeHtml(text) || !contentType.includes('json')) {
      result.error = httpError(res.statusCode, text, undefined, req, target);
      return;
    }
    readWholeAnswer(parseJson(text), req.route, state);
    state.done = true;
    if (state.content || state.reasoning) onToken();
  }
  if (state.error) {
    result.error = classifiedError(state.error.status, state.error, state.error.raw, req, target);
  } else if (!state.done && state.finishReason === undefined) {
    result.error = { kind: 'closed', message: 'the stream ended before the answer was complete (no finish_reason, no [DONE])' };
  }
}

function answerFields(state: StreamState): Partial<ProbeResult> {
  return {
    content: state.content,
    reasoning: state.reasoning || undefined,
    finishReason: state.finishReason,
    usage: state.usage,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading answers

interface StreamState {
  content: string;
  reasoning: string;
  finishReason?: string;
  usage?: ProbeUsage;
  done: boolean;
  error?: { status?: number; type?: string; message?: string; raw: string };
}

interface SseEvent {
  event?: string;
  data: string;
}

/** Server-sent events, parsed as the bytes arrive (never buffering the whole body). */
async function* readSse(body: AsyncIterable<Buffer | string>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  let data: string[] = [];
  for await (const chunk of body) {
    const from = Math.max(0, buffer.length - 1); // only the new text can hold the next line break
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    // Keep a trailing \r: it may be the first half of a \r\n split across chunks.
    let cut = searchFrom(buffer, from);
    // A line with no break that keeps growing is no SSE stream; searching it again per chunk was
    // quadratic (a 460 MB buffer in 25 s, issue 15).
    if (cut === -1 && buffer.length > MAX_SSE_LINE) throw Object.assign(new Error(`sent more than ${MAX_SSE_LINE / 1048576} MB without a line break: not a server-sent event stream`), { code: 'SSE_LINE_TOO_LONG' });
    while (cut !== -1) {
      const line = buffer.slice(0, cut);
      buffer = buffer.slice(cut + (buffer.startsWith('\r\n', cut) ? 2 : 1));
      if (line === '') {
        if (data.length) yield { event, data: data.join('\n') };
        event = undefined;
        data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(value);
        else if (field === 'event') event = value;
      }
      cut = searchFrom(buffer, 0);
    }
  }
  if (data.length) yield { event, data: data.join('\n') };
}

const MAX_SSE_LINE = 4 * 1024 * 1024;
const LINE_BREAK = /\r\n|\n|\r(?!$)/g;

function searchFrom(text: string, from: number): number {
  LINE_BREAK.lastIndex = from;
  return LINE_BREAK.exec(text)?.index ?? -1;
}

function onOpenAIEvent(event: SseEvent, state: StreamState, onToken: () => void): void {
  if (event.data.trim() === '[DONE]') {
    state.done = true;
    return;
  }
  const chunk = parseJson(event.data);
  if (!isRecord(chunk)) return;
  if (chunk.error !== undefined) {
    state.error = { ...parseErrorText(event.data), raw: event.data };
    return;
  }
  const choice = Array.isArray(chunk.choices) && isRecord(chunk.choices[0]) ? chunk.choices[0] : undefined;
  const delta = isRecord(choice?.delta) ? choice.delta : undefined;
  const thought = str(delta?.reasoning_content) ?? str(delta?.reasoning);
  if (thought) {
    state.reasoning += thought;
    onToken();
  }
  const text = str(delta?.content);
  if (text) {
    state.content += text;
    onToken();
  }
  const finish = str(choice?.finish_reason);
  if (finish) state.finishReason = finish;
  // Kimi sometimes puts streaming usage in choices[0].usage instead of the top level (kimi.md).
  const usage = openaiUsage(chunk.usage) ?? openaiUsage(choice?.usage);
  if (usage) state.usage = usage;
}

function onAnthropicEvent(event: SseEvent, state: StreamState, onToken: () => void): void {
  const data = parseJson(event.data);
  if (!isRecord(data)) return;
  const type = str(data.type) ?? event.event;
  if (type === 'error') {
    state.error = { ...parseErrorText(event.data), raw: event.data };
  } else if (type === 'message_start' && isRecord(data.message) && isRecord(data.message.usage)) {
    state.usage = { ...state.usage, input: num(data.message.usage.input_tokens) };
  } else if (type === 'content_block_delta' && isRecord(data.delta)) {
    const thought = str(data.delta.thinking);
    const text = str(data.delta.text);
    if (thought) state.reasoning += thought;
    if (text) state.content += text;
    if (thought || text) onToken();
  } else if (type === 'message_delta') {
    const stop = isRecord(data.delta) ? str(data.delta.stop_reason) : undefined;
    if (stop) state.finishReason = stop;
    if (isRecord(data.usage)) state.usage = withTotal({ ...state.usage, output: num(data.usage.output_tokens) });
  } else if (type === 'message_stop') {
    state.done = true;
  }
}

/** A non-streaming answer, in either shape. */
function readWholeAnswer(json: unknown, route: Route, state: StreamState): void {
  if (!isRecord(json)) return;
  if (json.error !== undefined) {
    state.error = { ...parseErrorText(JSON.stringify(json)), raw: JSON.stringify(json) };
    return;
  }
  if (route === 'openai') {
    const choice = Array.isArray(json.choices) && isRecord(json.choices[0]) ? json.choices[0] : undefined;
    const message = isRecord(choice?.message) ? choice.message : undefined;
    state.content = str(message?.content) ?? '';
    state.reasoning = str(message?.reasoning_content) ?? str(message?.reasoning) ?? '';
    state.finishReason = str(choice?.finish_reason);
    state.usage = openaiUsage(json.usage) ?? openaiUsage(choice?.usage);
    return;
  }
  for (const block of Array.isArray(json.content) ? json.content.filter(isRecord) : []) {
    if (block.type === 'thinking') state.reasoning += str(block.thinking) ?? '';
    if (block.type === 'text') state.content += str(block.text) ?? '';
  }
  state.finishReason = str(json.stop_reason);
  if (isRecord(json.usage)) state.usage = withTotal({ input: num(json.usage.input_tokens), output: num(json.usage.output_tokens) });
}

function openaiUsage(u: unknown): ProbeUsage | undefined {
  if (!isRecord(u)) return undefined;
  return { input: num(u.prompt_tokens), output: num(u.completion_tokens), total: num(u.total_tokens) };
}

function withTotal(u: ProbeUsage): ProbeUsage {
  return u.input !== undefined && u.output !== undefined ? { ...u, total: u.input + u.output } : u;
}

async function readText(body: AsyncIterable<Buffer | string> & { destroy(): unknown }, limit: number): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text.length > limit) {
      body.destroy();
      return text.slice(0, limit);
    }
  }
  return text + decoder.decode();
}

// ---------------------------------------------------------------------------------------------
// Errors

function httpError(status: number, text: string, location: string | string[] | undefined, req: BuiltRequest, target: ProbeTarget): NonNullable<ProbeResult['error']> {
  if (status >= 300 && status < 400) {
    const to = Array.isArray(location) ? location[0] : location;
    return {
      kind: 'http',
      message: `HTTP ${status} redirect${to ? ` to ${redactText(to)}` : ''}, not followed: the key goes only to the configured base URL`,
      classified: classifyProviderError({ status, message: `redirect${to ? ` to ${to}` : ''}`, api: target.api }),
    };
  }
  const parsed = parseErrorText(text);
  return classifiedError(status, parsed, text, req, target);
}

function classifiedError(
  status: number | undefined,
  parsed: { status?: number; type?: string; message?: string },
  raw: string,
  req: BuiltRequest,
  target: ProbeTarget,
): NonNullable<ProbeResult['error']> {
  const classified = classifyProviderError({
    status: status ?? parsed.status,
    type: parsed.type,
    message: parsed.message,
    raw,
    api: target.api,
    userAgent: req.headers['user-agent'],
    providerId: target.providerId,
    modelId: target.modelId,
  });
  const head = [status ?? parsed.status ? `HTTP ${status ?? parsed.status}` : 'stream error', parsed.type].filter(Boolean).join(' ');
  const message = (parsed.message ?? raw).replace(/\s+/g, ' ').trim().slice(0, 300);
  return { kind: 'http', message: message ? `${head}: ${message}` : head, classified };
}

interface NetworkContext {
  deadline: Deadline;
  proxy?: URL;
  url: URL;
  timeoutMs: number;
  /** Response headers had arrived: a failure now is a cut stream, not a failed connection. */
  answered: boolean;
}

/** Map undici / Node error codes to what a user can act on. */
function networkError(err: unknown, ctx: NetworkContext): NonNullable<ProbeResult['error']> {
  const codes = errorCodes(err);
  const text = errorMessages(err).join(': ');
  const host = ctx.url.port ? `${ctx.url.hostname}:${ctx.url.port}` : ctx.url.hostname;
  const codeNote = codes.length ? ` (${codes[0]})` : '';
  const any = (re: RegExp): boolean => codes.some((c) => re.test(c));

  if (any(/^SSE_LINE_TOO_LONG$/)) return { kind: 'other', message: `${host} ${firstLine(text)}` };
  if (ctx.deadline.timedOut || any(/^(UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|ETIMEDOUT)$/)) {
    return { kind: 'timeout', message: `no complete answer from ${host} within ${ctx.timeoutMs} ms` };
  }
  if (ctx.deadline.aborted) return { kind: 'timeout', message: 'the probe was stopped before an answer came (run time limit)' };
  if (ctx.proxy && !ctx.answered && (/Proxy response|tunnel/i.test(text) || any(/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|UND_ERR_PRC|UND_ERR_SOCKET)$/))) {
    return { kind: 'proxy', message: `the proxy ${redactUrl(ctx.proxy)} failed: ${redactText(firstLine(text))}${codeNote}` };
  }
  if (any(/^(ENOTFOUND|EAI_AGAIN|EAI_NODATA|EAI_FAIL|EAI_NONAME)$/)) {
    return { kind: 'dns', message: `DNS lookup failed for ${ctx.url.hostname}${codeNote}` };
  }
  if (any(/^ECONNREFUSED$/)) return { kind: 'refused', message: `connection refused by ${host}: nothing listens there${codeNote}` };
  if (any(/^(CERT_|UNABLE_TO_|ERR_TLS_|ERR_SSL_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_MISMATCH|EPROTO$)/)) {
    // OpenSSL's wording for "this port does not speak TLS" is unreadable; say what it means.
    const why = any(/WRONG_VERSION_NUMBER/) ? 'the server does not speak TLS on this port (is it an http:// URL?)' : redactText(firstLine(text));
    return { kind: 'tls', message: `TLS with ${host} failed: ${why}${codeNote}` };
  }
  if (ctx.answered || any(/^(UND_ERR_SOCKET|ECONNRESET|EPIPE|UND_ERR_CLOSED)$/) || /terminated|other side closed/i.test(text)) {
    return { kind: 'closed', message: `the connection to ${host} closed before the answer was complete${codeNote}` };
  }
  return { kind: 'other', message: `${redactText(firstLine(text)) || 'request failed'}${codeNote}` };
}

/** Codes along the cause chain, including every attempt of an AggregateError (happy-eyeballs). */
function errorCodes(err: unknown, depth = 0): string[] {
  if (!isRecord(err) || depth > 5) return [];
  const own = typeof err.code === 'string' ? [err.code] : [];
  const nested = Array.isArray(err.errors) ? err.errors.flatMap((e) => errorCodes(e, depth + 1)) : [];
  return [...own, ...nested, ...errorCodes(err.cause, depth + 1)];
}

function errorMessages(err: unknown, depth = 0): string[] {
  if (!(err instanceof Error) || depth > 5) return [];
  const own = err.message ? [err.message] : [];
  return [...own, ...errorMessages(err.cause, depth + 1)];
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}

// ---------------------------------------------------------------------------------------------
// Keeping secrets out of the result

function secretsOf(target: ProbeTarget): string[] {
  const values = [target.apiKey ?? ''];
  for (const [name, value] of Object.entries(target.headers)) {
    if (typeof value === 'string' && /authorization|api[-_]?key|token|secret|cookie/i.test(name)) values.push(value.replace(/^Bearer\s+/i, ''));
  }
  return values.filter((v) => v.length >= 4);
}

/** A URL without user:password (they are credentials too). */
function redactUrl(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function redactText(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/g, '//');
}

/** Last line of defence: no string in the result may contain a secret, whatever put it there. */
function scrub<T>(value: T, secrets: string[]): T {
  if (!secrets.length) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return secrets.reduce((s, secret) => s.split(secret).join('***'), v);
    if (Array.isArray(v)) return v.map(walk);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
