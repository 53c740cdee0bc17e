// Reading status, type and message out of the shapes provider errors arrive in (kimi.md "Body shapes").
// Every reader (probe, log, transcript) parses through here, so a 403 is read the same way everywhere.
import { isRecord, str } from '../util/json.js';

export interface ParsedError {
  status?: number;
  type?: string;
  message?: string;
}

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

export function htmlTitle(text: string): string | undefined {
  const m = /<title>([\s\S]*?)<\/title>/i.exec(text) ?? /<h1>([\s\S]*?)<\/h1>/i.exec(text);
  return m ? m[1].replace(/\s+/g, ' ').trim() : undefined;
}

function parseHtml(text: string): ParsedError {
  const title = htmlTitle(text);
  const s = title ? /\b([1-5]\d\d)\b/.exec(title) : null;
  return definedOnly({ status: s ? Number(s[1]) : undefined, message: title ?? 'HTML page' });
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 100 && v < 600) return v;
  if (typeof v === 'string' && /^[1-5]\d\d$/.test(v)) return Number(v);
  return undefined;
}
