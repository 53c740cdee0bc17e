// One table of Kimi For Coding error answers, shared by the live probe and by transcript/log evidence,
// so a 403 means the same thing whether claw-doctor caused it or found it in a session file.
// Every row matches on status + message TEXT: the vendor reuses one type for unrelated causes
// (a 403 `access_terminated_error` is the client gate *or* a used-up quota, kimi.md "The client gate").

export type ErrorCause =
  | 'client-gate'
  | 'quota-weekly'
  | 'quota-billing'
  | 'suspended'
  | 'key-invalid'
  | 'kimi-key-on-moonshot'
  | 'model-unknown'
  | 'membership-expired'
  | 'wrong-path'
  | 'rate-limit'
  | 'overloaded'
  | 'developer-role'
  | 'reasoning-content-missing'
  | 'empty-content'
  | 'tool-choice-thinking'
  | 'temperature'
  | 'server-error'
  | 'html-page'
  | 'unknown';

export interface Classified {
  /** Short stable key; checks use it as their finding's `cause`. */
  cause: ErrorCause;
  title: string;
  detail: string;
  /** Human text with copy-pasteable config snippets. */
  fix: string;
  severity: 'error' | 'warn';
}

export interface ProviderErrorInput {
  status?: number;
  type?: string;
  message?: string;
  /** The whole body or log line, when known (used to spot HTML pages and as a text fallback). */
  raw?: string;
  /** Optional context that makes the fix concrete. */
  api?: string;
  /** The User-Agent that was sent, when known (the probe knows it; a transcript does not). */
  userAgent?: string;
  providerId?: string;
  modelId?: string;
}

export interface ParsedError {
  status?: number;
  type?: string;
  message?: string;
}

/** Where the vendor keeps its rules (community guidelines); we link it rather than paraphrase it. */
export const KIMI_DOCS_URL = 'https://www.kimi.com/coding/docs/';

/**
 * User-Agents reported to pass the gate (kimi.md "The client gate"). Case matters: `kimi-cli/1.0`
 * and `KimiCodeCLI/…` are refused.
 */
const APPROVED_UA = /^(KimiCLI|claude-code|claude-cli|RooCode|Kilo-Code)\/\S/;

export function looksLikeApprovedAgent(userAgent: string | undefined): boolean {
  return userAgent !== undefined && APPROVED_UA.test(userAgent.trim());
}

// ---------------------------------------------------------------------------------------------
// The table

interface Facts {
  status?: number;
  type: string;
  message: string;
  /** message + raw, for text matching. */
  text: string;
  html: boolean;
  anthropic: boolean;
  userAgent?: string;
  providerId: string;
  modelId: string;
}

interface Row {
  cause: ErrorCause;
  matches(f: Facts): boolean;
  explain(f: Facts): Omit<Classified, 'cause'>;
}

const has = (f: Facts, re: RegExp): boolean => re.test(f.text);
/** A type is only trusted together with a status that agrees (or when no status is known). */
const typed = (f: Facts, type: string, statuses: number[]): boolean =>
  f.type === type && (f.status === undefined || statuses.includes(f.status));

/** The product shows any role-ish provider error as "Message ordering conflict" (clawdbot.md §9). */
const ROLE_ERROR =
  /role 'developer' is not allowed|unsupported role ROLE_UNSPECIFIED|Message ordering conflict|incorrect role information|roles must alternate/i;

const ROWS: Row[] = [
  { cause: 'html-page', matches: (f) => f.html, explain: htmlPage },
  { cause: 'developer-role', matches: (f) => has(f, ROLE_ERROR), explain: developerRole },
  // Suspension and quota share the 403 with the gate: their text must be checked before the gate's.
  { cause: 'suspended', matches: (f) => has(f, /Access terminated\.? Review our Community Guidelines/i), explain: suspended },
  { cause: 'quota-weekly', matches: (f) => has(f, /weekly \(7-day\) usage limit|weekly usage limit/i), explain: quotaWeekly },
  { cause: 'quota-billing', matches: (f) => has(f, /usage limit for this billing cycle/i), explain: quotaBilling },
  { cause: 'client-gate', matches: isClientGate, explain: clientGate },
  // `Invalid Authentication` alone is what a Moonshot base says to an sk-kimi- key (kimi.md).
  {
    cause: 'kimi-key-on-moonshot',
    matches: (f) => /^\s*Invalid Authentication\s*\.?\s*$/i.test(f.message) && (f.status === undefined || f.status === 401),
    explain: kimiKeyOnMoonshot,
  },
  // Kimi answers an unknown model with 401, not 404 (kimi.md "Endpoints and keys").
  { cause: 'model-unknown', matches: (f) => has(f, /model id does not exist|Not found the model|model_not_found/i), explain: modelUnknown },
  {
    cause: 'key-invalid',
    matches: (f) => has(f, /API Key appears to be invalid|may have expired|Incorrect API key|invalid api[ _-]?key/i),
    explain: keyInvalid,
  },
  { cause: 'reasoning-content-missing', matches: (f) => has(f, /reasoning_content is missing/i), explain: reasoningMissing },
  { cause: 'empty-content', matches: (f) => has(f, /text content is empty/i), explain: emptyContent },
  { cause: 'tool-choice-thinking', matches: (f) => has(f, /tool_choice .*incompatible with thinking/i), explain: toolChoiceThinking },
  { cause: 'temperature', matches: (f) => has(f, /invalid temperature/i), explain: temperature },
  {
    cause: 'membership-expired',
    matches: (f) => f.status === 402 || has(f, /Payment Required|membership (has )?expired/i),
    explain: membershipExpired,
  },
  {
    cause: 'rate-limit',
    matches: (f) => has(f, /too many requests/i) || typed(f, 'rate_limit_reached_error', [429]),
    explain: rateLimit,
  },
  {
    cause: 'overloaded',
    matches: (f) => has(f, /engine is currently overloaded/i) || typed(f, 'engine_overloaded_error', [429, 529]),
    explain: overloaded,
  },
  {
    cause: 'wrong-path',
    matches: (f) => f.status === 404 || has(f, /requested resource was not found/i) || typed(f, 'resource_not_found_error', [404]),
    explain: wrongPath,
  },
  {
    cause: 'server-error',
    matches: (f) => (f.status !== undefined && f.status >= 500) || has(f, /server had an error/i) || typed(f, 'server_error', [500]),
    explain: serverError,
  },
];

export function classifyProviderError(input: ProviderErrorInput): Classified {
  const f = facts(input);
  for (const row of ROWS) {
    if (row.matches(f)) return { cause: row.cause, ...row.explain(f) };
  }
  return { cause: 'unknown', ...unknown(f) };
}

/** Classify an error as it appears in a transcript `errorMessage` or a log line. */
export function classifyErrorText(text: string, context: Omit<ProviderErrorInput, 'raw'> = {}): Classified {
  return classifyProviderError({ ...context, ...parseErrorText(text), raw: text });
}

function facts(input: ProviderErrorInput): Facts {
  const raw = input.raw ?? '';
  // Given only the raw text (a body or a log line), read status/type/message out of it first.
  const parsed = input.message === undefined && raw ? parseErrorText(raw) : {};
  const message = (input.message ?? parsed.message ?? '').trim();
  return {
    status: input.status ?? parsed.status,
    type: (input.type ?? parsed.type ?? '').trim().toLowerCase(),
    message,
    text: raw && raw !== message ? `${message}\n${raw}` : message,
    html: looksLikeHtml(raw) || looksLikeHtml(message),
    anthropic: input.api === 'anthropic-messages',
    userAgent: input.userAgent,
    providerId: input.providerId ?? (input.api === 'anthropic-messages' ? 'kimi' : 'kimi-code'),
    modelId: input.modelId ?? 'kimi-for-coding',
  };
}

/**
 * On the Anthropic route a refused client gets a constant 429 "engine overloaded" instead of the 403
 * (kimi.md "The client gate"). Only call that the gate when we know the User-Agent was not approved.
 */
function isClientGate(f: Facts): boolean {
  if (has(f, /only available for Coding Agents/i)) return true;
  return f.anthropic && f.userAgent !== undefined && !looksLikeApprovedAgent(f.userAgent) && has(f, /engine is currently overloaded/i);
}

// ---------------------------------------------------------------------------------------------
// Explanations. Kept next to the table so a new row is one entry plus one function.

function status(f: Facts): string {
  const parts = [f.status !== undefined ? `HTTP ${f.status}` : '', f.type].filter(Boolean);
  return parts.length ? parts.join(' ') : 'the API';
}

function quoted(f: Facts, max = 160): string {
  const m = f.message.replace(/\s+/g, ' ');
  return m.length > max ? `"${m.slice(0, max - 1)}…"` : `"${m}"`;
}

function modelPath(f: Facts): string {
  return `models.providers.${f.providerId}.models[] (the entry with "id": "${f.modelId}")`;
}

function clientGate(f: Facts): Omit<Classified, 'cause'> {
  const ua = f.anthropic ? 'claude-code/0.1.0' : 'KimiCLI/0.77';
  const builtIn = f.anthropic ? "OpenClaw's built-in kimi provider" : "the product's built-in kimi-code provider";
  const sent = f.userAgent ? `The request went out with User-Agent "${f.userAgent}".` : '';
  const disguise = has(f, /only available for Coding Agents/i)
    ? ''
    : ' On the Anthropic route the gate answers a refused client with a constant 429 "engine is currently overloaded" instead of the 403.';
  return {
    severity: 'error',
    title: 'Kimi For Coding refused the client (User-Agent gate)',
    detail:
      `${status(f)} ${quoted(f)}: the endpoint only admits approved coding agents and tells them apart by the ` +
      `User-Agent request header. ${sent}${disguise} The key itself may be fine (GET /models still answers a valid key).`,
    fix:
      `Add the header to the model in ${modelPath(f)}:\n` +
      `  "headers": { "User-Agent": "${ua}" }\n` +
      `What it does: the header names the calling client; "${ua}" is what ${builtIn} sends, and it is the ` +
      `only thing the gate looks at. The vendor's community guidelines forbid falsifying a client's identity, ` +
      `and memberships have been suspended for it: read the rules in the vendor's docs (${KIMI_DOCS_URL}) ` +
      `and decide for yourself. Restart the gateway after editing the config.`,
  };
}

function quotaWeekly(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'warn',
    title: 'Weekly (7-day) usage limit reached',
    detail:
      `${status(f)} ${quoted(f)}: the key and the client were accepted; the membership's weekly quota is used up. ` +
      `The type is the same as the client gate's, only the message tells them apart.`,
    fix:
      'Wait for the 7-day window to roll over (the Kimi Code console shows your usage) or move to a larger plan. ' +
      'Another key on the same membership or a different User-Agent will not help; nothing in the config needs changing.',
  };
}

function quotaBilling(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'warn',
    title: 'Usage limit for this billing cycle reached',
    detail: `${status(f)} ${quoted(f)}: the membership's quota for the current billing cycle is used up.`,
    fix:
      'Wait for the next billing cycle or upgrade the plan in the Kimi Code console. ' +
      'Another key or header will not help; nothing in the config needs changing.',
  };
}

function suspended(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'error',
    title: 'Access terminated by the vendor (Community Guidelines)',
    detail: `${status(f)} ${quoted(f)}: the vendor has terminated this account's access. No setting on this machine changes that.`,
    fix:
      `Contact Kimi support from the Kimi Code console. The rules are in the vendor's docs: ${KIMI_DOCS_URL}. ` +
      'Do not rotate keys or change the User-Agent to get around it.',
  };
}

function keyInvalid(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'error',
    title: 'The API key was rejected',
    detail:
      `${status(f)} ${quoted(f)}: the coding endpoint does not accept this key. It is wrong, expired, or a Moonshot ` +
      `platform key (those work only on api.moonshot.ai / api.moonshot.cn); Kimi Code keys start with sk-kimi-.`,
    fix:
      'Create a key in the Kimi Code console (needs an active membership) and give it to the product, e.g.\n' +
      `  export KIMICODE_API_KEY=sk-kimi-…\n` +
      `and in models.providers.${f.providerId}: "apiKey": "\${KIMICODE_API_KEY}"\n` +
      'An auth profile (agents/<agent>/agent/auth-profiles.json, e.g. kimi-code:default) wins over the config key: ' +
      'update or remove a stale one.',
  };
}

function kimiKeyOnMoonshot(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'error',
    title: 'A Kimi Code key was sent to a Moonshot endpoint',
    detail:
      `${status(f)} ${quoted(f)}: this is the Moonshot platform's answer to an sk-kimi- key. Kimi Code and Moonshot ` +
      'are separate account systems; neither key works on the other\'s endpoint.',
    fix:
      `Point the provider at the Kimi For Coding endpoint in models.providers.${f.providerId}:\n` +
      '  "baseUrl": "https://api.kimi.com/coding/v1",\n  "api": "openai-completions"\n' +
      'or, to use Moonshot, use a key from the Moonshot platform (MOONSHOT_API_KEY).',
  };
}

function modelUnknown(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'error',
    title: 'The endpoint does not know this model id',
    detail:
      `${status(f)} ${quoted(f)}: Kimi answers an unknown model id with 401, which looks like a key problem but is not. ` +
      '`kimi-for-coding` is the stable id that always points at the newest model.',
    fix:
      `Use the stable id in models.providers.${f.providerId}.models[] and in the agent's model ref:\n` +
      `  "id": "kimi-for-coding"\n` +
      `  "agents": { "defaults": { "model": { "primary": "${f.providerId}/kimi-for-coding" } } }`,
  };
}

function membershipExpired(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'error',
    title: 'Kimi Code membership expired (402 Payment Required)',
    detail: `${status(f)} ${quoted(f)}: the key belongs to a membership that is no longer active.`,
    fix: 'Renew the membership in the Kimi Code console; the same key works again once it is active.',
  };
}

function wrongPath(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'error',
    title: 'The base URL points at a path the API does not have',
    detail:
      `${status(f)} ${quoted(f)}: usual mistakes are https://api.kimi.com/v1 (no /coding), https://api.kimi.com/coding/ ` +
      'with an OpenAI client (no /v1), or a full …/chat/completions URL as the base.',
    fix:
      `In models.providers.${f.providerId}, use one of the two pairs:\n` +
      '  "baseUrl": "https://api.kimi.com/coding/v1", "api": "openai-completions"\n' +
      '  "baseUrl": "https://api.kimi.com/coding/", "api": "anthropic-messages"   (the client appends /v1/messages)',
  };
}

function rateLimit(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'warn',
    title: 'Rate limit reached (rolling 5-hour window)',
    detail: `${status(f)} ${quoted(f)}: too many requests in the membership's rolling window.`,
    fix: 'Wait and retry; run fewer agents or heartbeats in parallel. Nothing in the config is wrong.',
  };
}

function overloaded(f: Facts): Omit<Classified, 'cause'> {
  const gate = f.anthropic
    ? ' On the Anthropic route the client gate gives a refused client this same 429 every time: if it never goes away, ' +
      `check the model's User-Agent header ("claude-code/0.1.0" is what OpenClaw's built-in sends).`
    : '';
  return {
    severity: 'warn',
    title: 'The engine is overloaded',
    detail: `${status(f)} ${quoted(f)}: the service is out of capacity right now.${gate}`,
    fix: `Retry in a few minutes; nothing in the config is wrong.${gate ? ' If it persists, see the User-Agent note above.' : ''}`,
  };
}

function developerRole(f: Facts): Omit<Classified, 'cause'> {
  const rewritten = has(f, /Message ordering conflict/i);
  const seen = rewritten
    ? 'The product shows any provider error mentioning a role as "Message ordering conflict"; with Kimi the hidden error ' +
      'is almost always HTTP 400 "role \'developer\' is not allowed". '
    : `${status(f)} ${quoted(f)}. `;
  return {
    severity: 'error',
    title: 'The system prompt is sent with role "developer", which Kimi rejects',
    detail:
      `${seen}The product sends the system prompt as role "developer" for models with "reasoning": true unless ` +
      '`compat.supportsDeveloperRole` is false, and it does not detect api.kimi.com by itself, so every request fails. ' +
      '/new or clearing sessions does not help.',
    fix:
      `Add to the model in ${modelPath(f)}:\n` +
      '  "compat": { "supportsDeveloperRole": false }\n' +
      'Keep "reasoning": true (removing it silently turns thinking off). Restart the gateway afterwards.',
  };
}

function reasoningMissing(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'error',
    title: 'A replayed tool-call turn lost its reasoning_content',
    detail:
      `${status(f)} ${quoted(f)}: with thinking on, Kimi requires every earlier assistant tool-call turn to carry its ` +
      'reasoning_content. The product dropped it (typically after a model switch or a compaction).',
    fix: 'Start a fresh session with /new (or reset the affected session), and update the product to its latest release.',
  };
}

function emptyContent(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'error',
    title: 'A message with empty text was sent',
    detail: `${status(f)} ${quoted(f)}: the conversation holds a turn with empty content (often an assistant turn that ended in an error).`,
    fix: 'Start a fresh session with /new, and update the product to its latest release.',
  };
}

function toolChoiceThinking(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'error',
    title: 'Forced tool use is not allowed with thinking on',
    detail: `${status(f)} ${quoted(f)}: Kimi refuses tool_choice "required" while thinking is enabled.`,
    fix: 'Turn thinking off for this use (/think off, or "agents": { "defaults": { "thinkingDefault": "off" } }), or do not force tool use.',
  };
}

function temperature(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'error',
    title: 'This model accepts only temperature 1',
    detail: `${status(f)} ${quoted(f)}: a temperature other than 1 was sent.`,
    fix: 'Remove the temperature override for this model wherever it is set, or set it to 1.',
  };
}

function serverError(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'warn',
    title: 'The API had an internal error',
    detail: `${status(f)} ${quoted(f)}: a failure on the vendor's side.`,
    fix: 'Retry later. Nothing in the config is wrong; if it lasts for hours, ask Kimi support.',
  };
}

function htmlPage(f: Facts): Omit<Classified, 'cause'> {
  const title = htmlTitle(f.text) ?? f.message;
  const timeout = f.status === 504 || /Gateway Time-?out/i.test(title);
  return {
    severity: timeout ? 'warn' : 'error',
    title: timeout ? 'A gateway timed out (HTML 504 page)' : 'An HTML page came back instead of an API answer',
    detail:
      `${f.status !== undefined ? `HTTP ${f.status}` : 'The answer'} was an HTML page ("${title}"), not the API's JSON. ` +
      (timeout
        ? "That is the vendor's front proxy giving up on a slow upstream."
        : 'Either a proxy in between answered, or the base URL points at a website rather than the API.'),
    fix: timeout
      ? 'Retry later. If it keeps happening, check any HTTPS_PROXY in between.'
      : 'Check the base URL ("https://api.kimi.com/coding/v1", not www.kimi.com) and any HTTPS_PROXY in between.',
  };
}

function unknown(f: Facts): Omit<Classified, 'cause'> {
  return {
    severity: 'error',
    title: 'The API refused the request for a reason claw-doctor does not know',
    detail: `${status(f)} ${f.message ? quoted(f, 300) : '(no message)'}`,
    fix: 'Read the message above; if it is unclear, paste the claw-doctor report (it is redacted) into a support thread.',
  };
}

// ---------------------------------------------------------------------------------------------
// Parsing the shapes errors arrive in (kimi.md "Body shapes").

/**
 * Split an error text into status, type and message. Understands `403 <message>`,
 * `HTTP 403 access_terminated_error: <message>`, `Error code: 403 - {json or python dict}`, raw JSON bodies
 * (OpenAI `{"error":{…}}` and Anthropic `{"type":"error","error":{…}}`, with `type` anywhere or missing),
 * and HTML pages (`<html>…504 Gateway Time-out…`).
 */
export function parseErrorText(text: string): ParsedError {
  // SDK errors reach logs as `PermissionDeniedError: 403 …` or `Error: 403 …`: the class name says nothing.
  const t = text.trim().replace(/^(?:[A-Z]\w*)?Error:\s+(?=\S)/, '');
  if (!t) return {};
  if (looksLikeHtml(t)) return parseHtml(t);

  let m = /^HTTP\/?[\d.]*\s+(\d{3})\s+([A-Za-z][\w.]*_error):\s*([\s\S]*)$/.exec(t);
  if (m) return withBody({ status: Number(m[1]), type: m[2] }, m[3]);
  m = /^Error code:\s*(\d{3})\s*-\s*([\s\S]*)$/i.exec(t);
  if (m) return withBody({ status: Number(m[1]) }, m[2]);
  m = /^(?:HTTP\/?[\d.]*\s+)?([1-5]\d\d)\b[\s:-]*([\s\S]*)$/.exec(t);
  if (m) return withBody({ status: Number(m[1]) }, m[2]);
  if (t.startsWith('{')) return withBody({}, t);

  // A log line that embeds a body: `LLM request failed: 403 {"error":…}`.
  const brace = t.indexOf('{');
  if (brace > 0) {
    const body = fromBody(t.slice(brace));
    if (body.message !== undefined) {
      const before = /\b([45]\d\d)\b(?!.*\b[45]\d\d\b)/.exec(t.slice(0, brace));
      return { ...(before ? { status: Number(before[1]) } : {}), ...body };
    }
  }
  return { message: t };
}

/** Combine what the prefix told us with what the rest says (a body, `type: message`, or plain text). */
function withBody(head: ParsedError, rest: string): ParsedError {
  const r = rest.trim();
  if (looksLikeHtml(r)) return { ...parseHtml(r), ...definedOnly(head) };
  if (r.startsWith('{')) {
    const body = fromBody(r);
    if (body.message !== undefined || body.type !== undefined) {
      return definedOnly({ message: body.message, type: head.type ?? body.type, status: head.status ?? body.status });
    }
  }
  const typed = head.type ? undefined : /^([a-z][a-z0-9]*(?:_[a-z0-9]+)*_error):\s*([\s\S]*)$/.exec(r);
  if (typed) return { ...head, type: typed[1], message: typed[2].trim() };
  return { ...head, message: r || undefined };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Read `{error:{message,type,code}}` / `{type:'error',error:{type,message}}` / `{message}` from a body. */
function fromBody(text: string): ParsedError {
  const json = parseJsonPrefix(text);
  if (json !== undefined) return fieldsOf(json);
  return lenientFields(text);
}

function fieldsOf(value: unknown): ParsedError {
  if (!isRecord(value)) return {};
  const err = value.error;
  const out: ParsedError = {};
  if (isRecord(err)) {
    out.message = str(err.message);
    out.type = str(err.type) ?? (value.type !== 'error' ? str(value.type) : undefined) ?? codeType(err.code);
    out.status = num(err.status) ?? num(err.code) ?? num(value.status);
  } else {
    out.message = str(err) ?? str(value.message) ?? str(value.detail);
    out.type = value.type !== 'error' ? str(value.type) : undefined;
    out.status = num(value.status) ?? num(value.code);
  }
  return definedOnly(out);
}

/** An OpenAI `code` like `invalid_api_key` is a type-like word; numeric codes are statuses. */
function codeType(code: unknown): string | undefined {
  return typeof code === 'string' && /^[a-z_]+$/.test(code) ? code : undefined;
}

/** Python SDKs print bodies as dicts (`{'error': {'message': '…'}}`): pull the fields out by pattern. */
function lenientFields(text: string): ParsedError {
  const field = (name: string): string | undefined => {
    const re = new RegExp(`['"]${name}['"]\\s*:\\s*(['"])((?:\\\\.|(?!\\1)[^\\\\])*)\\1`);
    const m = re.exec(text);
    return m ? m[2].replace(/\\(['"\\])/g, '$1') : undefined;
  };
  const types = [...text.matchAll(/['"]type['"]\s*:\s*['"]([^'"]+)['"]/g)].map((m) => m[1]).filter((t) => t !== 'error');
  return definedOnly({ message: field('message'), type: types[0] });
}

/** Parse the first balanced JSON object in `text` (a body may be followed by more log text). */
function parseJsonPrefix(text: string): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      try {
        return JSON.parse(text.slice(0, i + 1)) as unknown;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(text) || /<html[\s>][\s\S]*<\/html>/i.test(text);
}

function htmlTitle(text: string): string | undefined {
  const m = /<title>([\s\S]*?)<\/title>/i.exec(text) ?? /<h1>([\s\S]*?)<\/h1>/i.exec(text);
  return m ? m[1].replace(/\s+/g, ' ').trim() : undefined;
}

function parseHtml(text: string): ParsedError {
  const title = htmlTitle(text);
  const s = title ? /\b([1-5]\d\d)\b/.exec(title) : null;
  return definedOnly({ status: s ? Number(s[1]) : undefined, message: title ?? 'HTML page' });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 100 && v < 600) return v;
  if (typeof v === 'string' && /^[1-5]\d\d$/.test(v)) return Number(v);
  return undefined;
}
