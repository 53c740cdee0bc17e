// A real HTTP server on 127.0.0.1 that answers like Kimi For Coding (the project reference notes, kimi.md), so the
// probe and the checks are tested against bytes on a socket, not against mocks. It is written from the
// vendor's observed behaviour, independently of src/: it must not share code with what it tests.
import http from 'node:http';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type KimiMode =
  | 'ok'
  | 'quota-weekly'
  | 'quota-billing'
  | 'suspended'
  | '402'
  | 'rate-limit'
  | 'overloaded'
  | '500'
  | 'html-504'
  | 'hang'
  | 'close-mid-stream'
  | 'reasoning-missing'
  | 'length'
  | 'no-reasoning'
  /** Not Kimi: a proxy in front of it that repeats the credential it was sent in its error (some do). */
  | 'echo-key';

export interface KimiServerOptions {
  /** The one key the server accepts (a pattern: every key it matches, as the captures' stand-in did). */
  key?: string | RegExp;
  /**
   * The vendor rule the captures' `/strict/` stand-in emulated (kimi.md): an output budget under this many tokens
   * is spent on reasoning alone, so the answer comes back empty with finish_reason "length".
   */
  minBudget?: number;
  /** Model ids it knows; anything else gets the 401 "model id does not exist". */
  models?: string[];
  mode?: KimiMode;
  /** The server stops by itself after this long, so a forgotten server never keeps a test run alive. */
  lifetimeMs?: number;
  /** Pause between SSE chunks (ms), so time-to-first-token and incremental parsing are real. */
  chunkDelayMs?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path with query, as received. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when there was none or it was not JSON. */
  body: unknown;
  rawBody: string;
}

export interface KimiServer {
  /** `http://127.0.0.1:PORT` (no path: add `/coding/v1` or `/coding/`). */
  url: string;
  requests: RecordedRequest[];
  setMode(mode: KimiMode): void;
  close(): Promise<void>;
}

export const TEST_KEY = 'sk-kimi-test-0000000000000000000000000000';
export const KNOWN_MODELS = ['kimi-for-coding', 'kimi-k2-thinking', 'k2p5'];

// Exact texts from kimi.md. Where the reference elides the end of a message ("…"), so do we.
export const TEXTS = {
  gate: 'Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.',
  weekly: "You've reached your weekly (7-day) usage limit. …",
  billing: "You've reached your usage limit for this billing cycle. …",
  suspended: 'Access terminated. Review our Community Guidelines…',
  badKey: 'The API Key appears to be invalid or may have expired. Please verify your credentials and try again.',
  badModel: 'Your model id does not exist…',
  notFound: 'The requested resource was not found',
  rateLimit: "We're receiving too many requests at the moment. …",
  overloaded: 'The engine is currently overloaded, please try again later',
  developer: "Invalid request: role 'developer' is not allowed",
  reasoningMissing: 'thinking is enabled but reasoning_content is missing in assistant tool call message at index 2',
  serverError: 'The server had an error while processing your request',
} as const;

export const NGINX_504 =
  '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** User-Agents observed to pass the gate; case matters (`kimi-cli/1.0` is refused). */
const APPROVED = /^(KimiCLI|claude-code|claude-cli|RooCode|Kilo-Code)\/\S/;
const MAX_BODY = 1024 * 1024;

const REASONING = ['47*80 = 3760 and 47*3 = 141,', ' so 3760 + 141 = 3901.'];
const ANSWER = ['47 * 83', ' = ', '3901'];
const USAGE = { input: 12, output: 20 };

type Route = 'openai' | 'anthropic';

interface Reply {
  status: number;
  body: string;
  contentType?: string;
}

/**
 * One server for a test file: started before its tests, closed after them, back to mode `ok` with no
 * recorded request before each test. The object answers for whichever server is running.
 */
export function useKimiServer(opts: KimiServerOptions = {}): KimiServer {
  let running: KimiServer | undefined;
  const current = (): KimiServer => {
    if (!running) throw new Error('useKimiServer: the server is started in beforeAll; use it inside a test');
    return running;
  };
  beforeAll(async () => {
    running = await startKimiServer(opts);
  });
  afterAll(async () => {
    await running?.close();
  });
  beforeEach(() => {
    current().setMode(opts.mode ?? 'ok');
    current().requests.length = 0;
  });
  return {
    get url() {
      return current().url;
    },
    get requests() {
      return current().requests;
    },
    setMode: (mode) => current().setMode(mode),
    close: () => current().close(),
  };
}


export async function startKimiServer(opts: KimiServerOptions = {}): Promise<KimiServer> {
  const key = opts.key ?? TEST_KEY;
  const models = opts.models ?? KNOWN_MODELS;
  const delay = opts.chunkDelayMs ?? 5;
  let mode: KimiMode = opts.mode ?? 'ok';
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    if (rawBody === undefined) {
      send(res, { status: 413, body: openaiError('request body too large', 'invalid_request_error') });
      return;
    }
    const body = parseJson(rawBody);
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, rawBody });

    const route = routeOf(req.method ?? '', (req.url ?? '').split('?')[0]);
    if (route === undefined) {
      send(res, { status: 404, body: openaiError(TEXTS.notFound, 'resource_not_found_error') });
      return;
    }
    // Infrastructure in front of the API answers before any key or gate check.
    if (mode === 'hang') return;
    if (mode === 'html-504') {
      send(res, { status: 504, body: NGINX_504, contentType: 'text/html' });
      return;
    }
    if (mode === 'echo-key') {
      const sent = req.headers.authorization ?? String(req.headers['x-api-key'] ?? '');
      send(res, { status: 401, body: errorBody(route === 'models' ? 'openai' : route, `${TEXTS.badKey}: ${sent}`, 'invalid_authentication_error') });
      return;
    }
    if (!authorized(req.headers, route === 'models' ? 'openai' : route, key)) {
      send(res, { status: 401, body: errorBody(route, TEXTS.badKey, 'invalid_authentication_error') });
      return;
    }
    // GET /models answers a valid key even when chat is blocked by the gate (kimi.md "Endpoints and keys").
    if (route === 'models') {
      send(res, { status: 200, body: JSON.stringify(modelList(models)) });
      return;
    }
    const refused = gate(req.headers, route) ?? forced(mode, route) ?? validate(body, route, models, mode);
    if (refused) {
      send(res, refused);
      return;
    }
    const request = body as Record<string, unknown>;
    const answerMode: KimiMode = opts.minBudget !== undefined && budget(request) < opts.minBudget ? 'length' : mode;
    if (request.stream === true) {
      await (route === 'openai' ? streamOpenAI : streamAnthropic)(res, request, answerMode, delay);
    } else {
      send(res, { status: 200, body: JSON.stringify(route === 'openai' ? completeOpenAI(request, answerMode) : completeAnthropic(request, answerMode)) });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
    });
    return closing;
  };
  const lifetime = setTimeout(() => void close(), opts.lifetimeMs ?? 120_000);
  lifetime.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setMode: (m) => {
      mode = m;
    },
    close,
  };
}

// ---------------------------------------------------------------------------------------------
// Routing, auth and the gate

function routeOf(method: string, path: string): Route | 'models' | undefined {
  if (method === 'POST' && path === '/coding/v1/chat/completions') return 'openai';
  if (method === 'POST' && path === '/coding/v1/messages') return 'anthropic';
  if (method === 'GET' && path === '/coding/v1/models') return 'models';
  return undefined;
}

/** OpenAI route: Bearer. Anthropic route: `x-api-key`, and Bearer has been reported too (kimi.md). */
function authorized(headers: IncomingHttpHeaders, route: Route, key: string | RegExp): boolean {
  const accepts = (v: unknown): boolean => typeof v === 'string' && (typeof key === 'string' ? v === key : key.test(v));
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1]?.trim();
  if (accepts(bearer)) return true;
  return route === 'anthropic' && accepts(headers['x-api-key']);
}

/** Refused clients: 403 on the OpenAI route, a constant 429 "overloaded" on the Anthropic route. */
function gate(headers: IncomingHttpHeaders, route: Route): Reply | undefined {
  if (APPROVED.test(headers['user-agent'] ?? '')) return undefined;
  if (route === 'anthropic') {
    // Field order as reported: "type":"error" last.
    return { status: 429, body: `{"error":{"type":"rate_limit_error","message":"${TEXTS.overloaded}"},"type":"error"}` };
  }
  return { status: 403, body: openaiError(TEXTS.gate, 'access_terminated_error') };
}

function forced(mode: KimiMode, route: Route): Reply | undefined {
  switch (mode) {
    case 'quota-weekly':
      return { status: 403, body: openaiError(TEXTS.weekly, 'access_terminated_error') };
    case 'quota-billing':
      return { status: 403, body: anthropicError(TEXTS.billing, 'permission_error') };
    case 'suspended':
      return { status: 403, body: errorBody(route, TEXTS.suspended, 'permission_error') };
    case '402':
      return { status: 402, body: errorBody(route, 'Payment Required', 'payment_required') };
    case 'rate-limit':
      return { status: 429, body: errorBody(route, TEXTS.rateLimit, 'rate_limit_reached_error') };
    case 'overloaded':
      return { status: 429, body: errorBody(route, TEXTS.overloaded, 'engine_overloaded_error') };
    case '500':
      return { status: 500, body: errorBody(route, TEXTS.serverError, 'server_error') };
    default:
      return undefined;
  }
}

/** The request checks Kimi is reported to make (kimi.md "Other responses"). */
function validate(body: unknown, route: Route, models: string[], mode: KimiMode): Reply | undefined {
  const bad = (message: string, status = 400, type = 'invalid_request_error'): Reply => ({ status, body: errorBody(route, message, type) });
  if (!isRecord(body)) return bad('Invalid request: body is not a JSON object');
  if (typeof body.model !== 'string' || !models.includes(body.model)) return bad(TEXTS.badModel, 401, 'authentication_error');
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  if (route === 'openai' && messages.some((m) => m.role === 'developer')) return bad(TEXTS.developer);
  if (messages.some((m) => m.content === '')) return bad('text content is empty');
  if (body.temperature !== undefined && body.temperature !== 1) return bad('invalid temperature: only 1 is allowed for this model');
  const thinking = thinkingOn(body, route);
  if (thinking && body.tool_choice === 'required') return bad("tool_choice 'required' is incompatible with thinking enabled");
  const lostReasoning = messages.some((m) => m.role === 'assistant' && Array.isArray(m.tool_calls) && m.reasoning_content === undefined);
  if (mode === 'reasoning-missing' || (thinking && route === 'openai' && lostReasoning)) return bad(TEXTS.reasoningMissing);
  return undefined;
}

/** kimi-for-coding thinks unless told not to on the OpenAI route; the Anthropic route thinks when asked. */
function thinkingOn(body: Record<string, unknown>, route: Route): boolean {
  const type = isRecord(body.thinking) ? body.thinking.type : undefined;
  return route === 'openai' ? type !== 'disabled' : type === 'enabled';
}

// ---------------------------------------------------------------------------------------------
// Answers

function completeOpenAI(body: Record<string, unknown>, mode: KimiMode): unknown {
  const reasoning = mode !== 'no-reasoning' && thinkingOn(body, 'openai');
  const length = mode === 'length';
  return {
    id: 'chatcmpl-kimi-test',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: length ? '' : ANSWER.join(''),
          ...(reasoning ? { reasoning_content: REASONING.join('') } : {}),
        },
        finish_reason: length ? 'length' : 'stop',
      },
    ],
    usage: openaiUsage(length ? budget(body) : USAGE.output),
  };
}

async function streamOpenAI(res: ServerResponse, body: Record<string, unknown>, mode: KimiMode, delay: number): Promise<void> {
  const base = { id: 'chatcmpl-kimi-test', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model };
  const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null, ...extra }] })}\n\n`;
  const reasoning = mode !== 'no-reasoning' && thinkingOn(body, 'openai');
  const length = mode === 'length';

  startSse(res);
  await write(res, chunk({ role: 'assistant', content: '' }), delay);
  const thoughts = length ? [...REASONING, ...REASONING, ...REASONING] : reasoning ? REASONING : [];
  for (const piece of thoughts) {
    await write(res, chunk({ reasoning_content: piece }), delay);
    if (mode === 'close-mid-stream') return hangUp(res);
  }
  if (mode === 'close-mid-stream') {
    await write(res, chunk({ content: ANSWER[0] }), delay);
    return hangUp(res);
  }
  if (!length) for (const piece of ANSWER) await write(res, chunk({ content: piece }), delay);
  // Kimi has been seen putting streaming usage in choices[0].usage rather than at the top level (kimi.md).
  const usage = openaiUsage(length ? budget(body) : USAGE.output);
  await write(res, chunk({}, { finish_reason: length ? 'length' : 'stop', usage }), delay);
  await write(res, 'data: [DONE]\n\n', 0);
  res.end();
}

function completeAnthropic(body: Record<string, unknown>, mode: KimiMode): unknown {
  const reasoning = mode !== 'no-reasoning' && thinkingOn(body, 'anthropic');
  const length = mode === 'length';
  const content: unknown[] = [];
  if (reasoning || length) content.push({ type: 'thinking', thinking: REASONING.join(''), signature: '' });
  if (!length) content.push({ type: 'text', text: ANSWER.join('') });
  return {
    id: 'msg_kimi_test',
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: length ? 'max_tokens' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: USAGE.input, output_tokens: length ? budget(body) : USAGE.output },
  };
}

async function streamAnthropic(res: ServerResponse, body: Record<string, unknown>, mode: KimiMode, delay: number): Promise<void> {
  const event = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const reasoning = mode !== 'no-reasoning' && thinkingOn(body, 'anthropic');
  const length = mode === 'length';

  startSse(res);
  await write(
    res,
    event('message_start', {
      message: {
        id: 'msg_kimi_test',
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [],
        stop_reason: null,
        usage: { input_tokens: USAGE.input, output_tokens: 0 },
      },
    }),
    delay,
  );
  let index = 0;
  if (reasoning || length) {
    await write(res, event('content_block_start', { index, content_block: { type: 'thinking', thinking: '' } }), delay);
    for (const piece of REASONING) {
      await write(res, event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: piece } }), delay);
      if (mode === 'close-mid-stream') return hangUp(res);
    }
    await write(res, event('content_block_stop', { index }), delay);
    index++;
  }
  if (!length) {
    await write(res, event('content_block_start', { index, content_block: { type: 'text', text: '' } }), delay);
    for (const piece of ANSWER) {
      await write(res, event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }), delay);
      if (mode === 'close-mid-stream') return hangUp(res);
    }
    await write(res, event('content_block_stop', { index }), delay);
  }
  const output = length ? budget(body) : USAGE.output;
  await write(res, event('message_delta', { delta: { stop_reason: length ? 'max_tokens' : 'end_turn', stop_sequence: null }, usage: { output_tokens: output } }), delay);
  await write(res, event('message_stop', {}), 0);
  res.end();
}

function modelList(models: string[]): unknown {
  return {
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created: 1761264000, owned_by: 'moonshot', context_length: 262144 })),
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function openaiError(message: string, type: string): string {
  return JSON.stringify({ error: { message, type } });
}

function anthropicError(message: string, type: string): string {
  return JSON.stringify({ type: 'error', error: { type, message } });
}

function errorBody(route: Route | 'models', message: string, type: string): string {
  return route === 'anthropic' ? anthropicError(message, type) : openaiError(message, type);
}

function openaiUsage(output: number): Record<string, number> {
  return { prompt_tokens: USAGE.input, completion_tokens: output, total_tokens: USAGE.input + output };
}

function budget(body: Record<string, unknown>): number {
  for (const v of [body.max_completion_tokens, body.max_tokens]) if (typeof v === 'number') return v;
  return 1024;
}

function send(res: ServerResponse, reply: Reply): void {
  const bytes = Buffer.from(reply.body);
  res.writeHead(reply.status, {
    'content-type': reply.contentType ?? 'application/json; charset=utf-8',
    'content-length': bytes.length,
  });
  res.end(bytes);
}

function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
}

async function write(res: ServerResponse, text: string, delay: number): Promise<void> {
  if (res.destroyed) return;
  res.write(text);
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
}

/** Destroy the socket mid-stream, after what was written has had a moment to leave. */
async function hangUp(res: ServerResponse): Promise<void> {
  await new Promise((r) => setTimeout(r, 20));
  res.socket?.destroy();
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
      } else parts.push(b);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
