// The shape of one root cause (DESIGN.md "src/causes/"). An entry is data: how it is recognised in each
// evidence form, which versions and configs it applies to, what to do. Readers (probe, log, transcript)
// and renderers read the table; none of them keeps its own copy of a pattern.

/** Where a piece of evidence comes from. Each example names the form it was seen in. */
export type EvidenceForm =
  /** The HTTP answer to claw-doctor's own probe (status, type, message). */
  | 'probe'
  /** A line of the product's file log (tslog JSON or plain). */
  | 'log'
  /** A transcript's failed assistant turn: errorMessage (V1-V3), errorCode/errorBody (2026.9). */
  | 'transcript'
  /** What the product's CLI printed (`agent --message`, `models status`). */
  | 'cli'
  /** The product's user-facing rewrite of a provider error, as the chat shows it. */
  | 'rewrite'
  /** Trajectory / fallback events (`model.fallback_step`, "↪️ Fallback: …"). */
  | 'trajectory';

/** A text that recognises a cause. `word` is one space-free word every match contains (the log fast path skips lines without any). */
export interface Phrase {
  re: RegExp;
  word: string;
}

/** The facts an error text gives, parsed once (status/type/message out of any body shape). */
export interface ErrorFacts {
  status?: number;
  /** Lower-cased vendor type (`access_terminated_error`), '' when none. */
  type: string;
  message: string;
  /** message + raw, for text matching. */
  text: string;
  html: boolean;
  anthropic: boolean;
  /** The User-Agent that was sent, when known (the probe knows it; a transcript does not). */
  userAgent?: string;
  providerId: string;
  modelId: string;
  /** The product generation when the reader knows it (`V3` = openclaw 2026.9: key in SQLite, provider `kimi`). */
  generation?: string;
}

export interface Explained {
  severity: 'error' | 'warn';
  title: string;
  detail: string;
  /** Human text with copy-pasteable config snippets. */
  fix: string;
}

/** A range of product versions (date versions, 2026.M.D[-N]). */
export interface VersionRange {
  /** First version known affected (inclusive). */
  from: string;
  /**
   * Last version known affected (inclusive), when no fixed release is known: the range then ends there,
   * so a later version is "not known affected" rather than "affected".
   */
  lastSeen?: string;
  /** First release with the fix (exclusive end). */
  fixedIn?: string;
  /** How the fixed release is known: a release note, or the merge date of the fix (then a guess). */
  fixNote?: string;
}

/** What the version check knows about the config, in the table's words (built by checks/product/version.ts). */
export interface SetupFacts {
  models: {
    providerId: string;
    modelId: string;
    api: string;
    reasoning: boolean;
    baseUrl?: string;
    /** The provider block in the config sets its own baseUrl. */
    customBaseUrl: boolean;
    /** The config has a block for this provider id (not only the product's built-in). */
    inConfig: boolean;
    /** The effective User-Agent header, if any. */
    userAgent?: string;
    /** The header was written in the config (model or provider), not inherited from a built-in. */
    userAgentInConfig: boolean;
    input: string[];
  }[];
  /** `agents.defaults.thinkingDefault`, lower-cased. */
  thinkingDefault?: string;
  /** `plugins.slots.contextEngine`. */
  contextEngine?: string;
  /** `agents.defaults.model.fallbacks`. */
  fallbacks: string[];
}

export interface CauseExample {
  form: EvidenceForm;
  text: string;
  /** Thread the text was copied from. */
  source: string;
}

export interface Cause {
  /** Stable id; a finding's `cause` and `claw-doctor explain <id>`. */
  id: string;
  /** Row of shared/reference/known-failures.md this entry covers (undefined for causes outside the catalog). */
  row?: number;
  title: string;
  /** One paragraph: what happens and why. Shown by explain and the README table. */
  summary: string;
  /**
   * Severity by what the user can do and whether the agent can answer now: a failure that stops every
   * request is an error; a transient one (rate limit, overload) a warning.
   */
  severity: 'error' | 'warn';
  /** Texts that recognise it in any text form (probe body, log line, transcript errorMessage, CLI output, rewrite). */
  texts?: Phrase[];
  /** Recognised from the parsed answer when no text matches (status, type, who sent it). */
  when?: (f: ErrorFacts) => boolean;
  /** Context-rich explanation for the reader that recognised it; defaults to title/summary/fix. */
  explain?: (f: ErrorFacts) => Explained;
  /**
   * The product's rewrite of other causes' answers: when the same evidence also holds one of these, that one
   * is the cause and this is only how the user saw it.
   */
  standsFor?: string[];
  /** A cause whose evidence looks like another's: the symptom causes it is seen as. */
  shownAs?: string[];
  /** Product versions affected (any one range). Undefined: not a product bug, any version. */
  versions?: VersionRange[];
  /** The config conditions under which a version is affected. Undefined: every config. */
  appliesTo?: (s: SetupFacts) => boolean;
  /** The conditions in words, for explain and the README. */
  conditions?: string;
  /** The fix with its snippet. Entries with `explain` may leave it out: describe renders theirs for the stable ids. */
  fix?: string;
  /** Whether clearing the session (/new, --reset-sessions) helps. */
  resetHelps: 'yes' | 'no' | 'partly' | 'unknown';
  sources: string[];
  /** False where the source threads do not confirm the row (kept, but said so). */
  confirmed: boolean;
  /** What was not confirmed, in words. */
  unconfirmed?: string;
  /** Exact texts from the threads; a test runs each through every reader. */
  examples: CauseExample[];
}
