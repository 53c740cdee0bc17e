// The table of root causes, in the order they are tried, and the one classifier every reader uses: the
// probe (status/type/message), the log reader (both of its paths) and the transcript reader. Adding a
// cause is one entry (vendor.ts or known-bugs.ts) plus its examples; nothing else keeps a pattern.
import { defaultFacts, said } from './format.js';
import { AUTH_REWRITE, PRODUCT_SYMPTOMS, VERSION_CAUSES } from './known-bugs.js';
import { looksLikeHtml, parseErrorText } from './parse.js';
import type { Cause, ErrorFacts, Explained, Phrase } from './types.js';
import { GENERIC_CAUSES, VENDOR_CAUSES } from './vendor.js';

export type { Cause, CauseExample, ErrorFacts, EvidenceForm, Explained, SetupFacts, VersionRange } from './types.js';
export { isRoleErrorText, KIMI_DOCS_URL, looksLikeApprovedAgent } from './vendor.js';
export { looksLikeHtml, parseErrorText, type ParsedError } from './parse.js';

const byId = (list: Cause[], id: string): Cause => {
  const c = list.find((x) => x.id === id);
  if (!c) throw new Error(`cause table: no ${id}`);
  return c;
};
const vendor = (id: string) => byId(VENDOR_CAUSES, id);
const product = (id: string) => byId([...VERSION_CAUSES, ...PRODUCT_SYMPTOMS], id);

/**
 * Order matters where texts overlap: the HTML page first; the product bugs' texts are specific; suspension
 * and quota share the gate's 403 and are tried before it; the product's own rewrites ("authentication
 * failed", "Fallback") come after every vendor text, so a line that also holds the raw answer is named by it;
 * a bare 404 or 5xx last.
 */
export const CAUSES: readonly Cause[] = [
  vendor('html-page'),
  ...VERSION_CAUSES.filter((c) => c.texts),
  vendor('developer-role'),
  vendor('suspended'),
  vendor('quota-weekly'),
  vendor('quota-billing'),
  vendor('gate-outage'),
  vendor('client-gate'),
  vendor('kimi-key-on-moonshot'),
  vendor('model-unknown'),
  vendor('key-invalid'),
  vendor('reasoning-content-missing'),
  vendor('empty-content'),
  vendor('tool-choice-thinking'),
  vendor('temperature'),
  vendor('membership-expired'),
  vendor('rate-limit'),
  vendor('overloaded'),
  product('stuck-cooldown'),
  product('profile-cooldown'),
  product('fallback-answered'),
  AUTH_REWRITE,
  ...GENERIC_CAUSES,
  ...VERSION_CAUSES.filter((c) => !c.texts),
];

export function causeById(id: string): Cause | undefined {
  return CAUSES.find((c) => c.id === id);
}

/** What the reader knows besides the text. */
export interface ErrorContext {
  status?: number;
  type?: string;
  message?: string;
  /** The whole body or log line, when known (used to spot HTML pages and as a text fallback). */
  raw?: string;
  api?: string;
  /** The User-Agent that was sent, when known (the probe knows it; a transcript does not). */
  userAgent?: string;
  providerId?: string;
  modelId?: string;
  /** The product generation (facts/product.ts), when known: the fix then names that generation's key store. */
  generation?: string;
}

export function errorFacts(input: ErrorContext): ErrorFacts {
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
    generation: input.generation,
  };
}

const textMatches = (c: Cause, text: string): boolean => !!c.texts?.some((p) => p.re.test(text));

/** The first cause the facts show, or undefined. */
export function recogniseFacts(f: ErrorFacts): Cause | undefined {
  return CAUSES.find((c) => textMatches(c, f.text) || c.when?.(f));
}

/** A cause's explanation for these facts (its own explain, else its summary after what was said). */
export function explainCause(c: Cause, f: ErrorFacts): Explained {
  if (c.explain) return c.explain(f);
  return { severity: c.severity, title: c.title, detail: `${said(f)}${c.summary}`, fix: c.fix ?? '' };
}

/** A cause's fix as the table states it (explain entries: for the stable ids). */
export function causeFix(c: Cause): string {
  return c.fix ?? explainCause(c, defaultFacts()).fix;
}

/** Every text phrase of the table, for readers that only need "is this a provider error at all". */
const PHRASES: readonly Phrase[] = CAUSES.flatMap((c) => c.texts ?? []);

/** Whether a text holds any cause's phrase (the log reader's "provider error" test). */
export function hasCauseText(text: string): boolean {
  return PHRASES.some((p) => p.re.test(text));
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The words of every phrase, as one case-insensitive global pattern: every match of a phrase contains its
 * word, so a log line without any of them holds no cause text (the log fast path, logs.ts).
 */
export function causeWordsPattern(): RegExp {
  // A word that contains another adds nothing (the shorter one hits wherever it does) but costs a scan.
  const all = [...new Set(PHRASES.map((p) => p.word.toLowerCase()))];
  const words = all.filter((w) => !all.some((o) => o !== w && w.includes(o))).sort();
  return new RegExp(words.map(escape).join('|'), 'gi');
}
