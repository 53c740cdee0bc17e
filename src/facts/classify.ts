// The readers' door to the cause table (src/causes/): one classifier for the live probe, transcript and log
// evidence, so a 403 means the same thing whether claw-doctor caused it or found it in a session file.
// Kept as a thin adapter so code written against the earlier table keeps compiling.
import { quoted, status } from '../causes/format.js';
import { causeById, errorFacts, explainCause, recogniseFacts, type ErrorContext } from '../causes/index.js';

export { KIMI_DOCS_URL, looksLikeApprovedAgent, looksLikeHtml, parseErrorText, type ParsedError } from '../causes/index.js';

/** A cause id from the table (src/causes/), or `unknown`. */
export type ErrorCause = string;

export interface Classified {
  /** Short stable key; checks use it as their finding's `cause`. */
  cause: ErrorCause;
  title: string;
  detail: string;
  /** Human text with copy-pasteable config snippets. */
  fix: string;
  severity: 'error' | 'warn';
}

export type ProviderErrorInput = ErrorContext;

/** The causes a rewrite cause (the product's "authentication failed …") stands for; empty for others. */
export function rewriteStandsFor(cause: string | undefined): string[] {
  return (cause ? causeById(cause)?.standsFor : undefined) ?? [];
}

export function classifyProviderError(input: ProviderErrorInput): Classified {
  const f = errorFacts(input);
  const c = recogniseFacts(f);
  if (c) return { cause: c.id, ...explainCause(c, f) };
  return {
    cause: 'unknown',
    severity: 'error',
    title: 'The API refused the request for a reason claw-doctor does not know',
    detail: `${status(f)} ${quoted(f, 300)}`,
    fix: 'Read the message above; if it is unclear, paste the claw-doctor report (it is redacted) into a support thread.',
  };
}

/** Classify an error as it appears in a transcript `errorMessage` or a log line. */
export function classifyErrorText(text: string, context: Omit<ProviderErrorInput, 'raw'> = {}): Classified {
  return classifyProviderError({ ...context, raw: text });
}

/**
 * A failed transcript turn: `errorMessage` in every version; 2026.9 adds `errorCode` and the raw
 * `errorBody` (test/fixtures/openclaw-2026.9.6 README), which may name the cause when the message is the
 * product's rewrite.
 */
export function classifyTranscriptError(
  e: { errorMessage: string; errorCode?: string | number; errorBody?: string },
  context: Omit<ProviderErrorInput, 'raw'> = {},
): Classified {
  const status = typeof e.errorCode === 'number' ? e.errorCode : /^[1-5]\d\d$/.test(String(e.errorCode ?? '')) ? Number(e.errorCode) : undefined;
  const raw = e.errorBody ? `${e.errorMessage}\n${e.errorBody}` : e.errorMessage;
  return classifyErrorText(raw, { status, ...context });
}
