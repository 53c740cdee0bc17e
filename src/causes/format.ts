// Small text helpers the cause entries share to quote what the provider said.
import type { ErrorFacts, Phrase } from './types.js';

/** A case-insensitive phrase; `word` is the space-free word of it the log fast path looks for. */
export function phrase(re: RegExp, word: string): Phrase {
  return { re: new RegExp(re.source, re.flags.includes('i') ? re.flags : `${re.flags}i`), word };
}

export const has = (f: ErrorFacts, re: RegExp): boolean => re.test(f.text);

/** A type is only trusted together with a status that agrees (or when no status is known). */
export const typed = (f: ErrorFacts, type: string, statuses: number[]): boolean =>
  f.type === type && (f.status === undefined || statuses.includes(f.status));

export function status(f: ErrorFacts): string {
  const parts = [f.status !== undefined ? `HTTP ${f.status}` : '', f.type].filter(Boolean);
  return parts.length ? parts.join(' ') : 'the API';
}

export function quoted(f: ErrorFacts, max = 160): string {
  const m = f.message.replace(/\s+/g, ' ');
  if (!m) return '(no message)';
  return m.length > max ? `"${m.slice(0, max - 1)}…"` : `"${m}"`;
}

/** `HTTP 403 access_terminated_error "…": ` — the start of a detail that quotes the answer. */
export function said(f: ErrorFacts): string {
  return f.message || f.status !== undefined ? `${status(f)} ${quoted(f)}: ` : '';
}

export function modelPath(f: ErrorFacts): string {
  return `models.providers.${f.providerId}.models[] (the entry with "id": "${f.modelId}")`;
}

/**
 * When the quota comes back, in the vendor's own words ("Your quota will reset when the current 7-day
 * window ends", "… will be refreshed in the next cycle"): quoted, never computed.
 */
export function resetNote(f: ErrorFacts): string {
  const m = /(Your quota will (?:reset|be refreshed)[^.]*\.)/i.exec(f.text) ?? /\b(resets? (?:at|in|on) [^.,"]+)/i.exec(f.text);
  return m ? ` The vendor says: "${m[1].trim()}"` : '';
}

/** The facts a static description is written for (no answer at hand): the stable ids. */
export function defaultFacts(): ErrorFacts {
  return { type: '', message: '', text: '', html: false, anthropic: false, providerId: 'kimi', modelId: 'kimi-for-coding' };
}
