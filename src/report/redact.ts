// The one place secrets are masked (DESIGN.md "Rooms": report/redact). Every renderer — human, JSON,
// Markdown, verbose logs, error messages — sends its data through one Redactor, then passes the exact
// bytes it is about to print through `final()`.
//
// Three ways a secret is recognised, because none is enough alone:
//  - by the key that holds it (`apiKey`, `botToken`, `appSecret`, `Authorization`, …): gateway tokens and
//    Feishu app secrets are random strings with no recognisable shape;
//  - by its shape (`sk-kimi-…`, Telegram `123:AA…`, JWT, …): secrets also turn up in logs and error text
//    with no key next to them;
//  - by value: the caller seeds every secret the config and the environment hold, so the same value is
//    masked wherever it appears later (a log line, a transcript error message).
//
// Masks keep the shape (`sk-kimi-…a4c6 [#1f3a]`): the prefix says which vendor, the fingerprint lets
// support tell whether two keys are the same without seeing either (Home Assistant's diagnostics do the same).
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** Words that sit under secret-named keys without being secrets (modes, the key's own name). */
const NOT_A_PASSWORD = new Set([
  'password', 'passwd', 'secret', 'token', 'apikey', 'api-key', 'api_key', 'bearer', 'basic', 'oauth', 'header',
  'none', 'required', 'optional', 'enabled', 'disabled', 'provider', 'default', 'keychain', 'env',
]);

export interface RedactorInit {
  /** The user's home directory; shown as `~`. Defaults to this machine's. */
  home?: string;
  /** The user's login name; shown as `<user>` in paths outside home. Defaults to the home's last segment. */
  user?: string;
  /**
   * Values known to be secret (every string the config holds under a secret-named key, env values of
   * `*_KEY`/`*_TOKEN` variables): masked wherever they appear. See `secretsIn` and `secretsFromEnv`.
   */
  knownSecrets?: string[];
  /** Values that sat under secret-named keys (`secretsIn`): seeded even when they look like plain words. */
  secretValues?: string[];
}

const ELLIPSIS = '…';
/** Below this length, showing the last 4 characters would give away too much of the value. */
const SHOW_TAIL_FROM = 20;
/** Known secrets shorter than this are not searched for in free text: they would mask ordinary words. */
const MIN_KNOWN_SECRET = 6;
/** Lowercase (or uppercase) words joined by `-`, `_` or `.`, shorter than 20: identifiers, not secrets. */
const PLAIN_WORDS_RE = /^(?=.{0,19}$)(?:[a-z]+(?:[-_.][a-z]+)*|[A-Z]+(?:[-_.][A-Z]+)*)$/;

// ---------------------------------------------------------------------------------------------------------
// Masking

/** Vendor prefixes worth keeping: they tell support which account system a key belongs to (kimi.md). */
const KEPT_PREFIXES = [
  'sk-kimi-', 'sk-ant-api03-', 'sk-ant-oat01-', 'sk-ant-', 'sk-proj-', 'sk-or-v1-', 'sk-cp-', 'sk-sp-',
  'sk_live_', 'sk_test_', 'rk_live_', 'sk-', 'sk_', 'github_pat_', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_',
  'xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xapp-', 'AIza', 'AKIA', 'BSA', 'tvly-dev-', 'tvly-', 'csk-',
  'mpg-', 'bce-v3/', 'km_b_prod_', 'eyJ',
].sort((a, b) => b.length - a.length);

function keptPrefix(value: string): string {
  const prefix = KEPT_PREFIXES.find((p) => value.startsWith(p)) ?? '';
  // A prefix that is most of the value would reveal most of it.
  return prefix.length * 2 <= value.length ? prefix : '';
}

/** First 4 hex digits of sha256: enough to compare two keys, far too little to recover one. */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 4);
}

/**
 * Shape-keeping mask: `sk-kimi-…a4c6 [#1f3a]`. The vendor prefix is kept, the last 4 characters only when
 * the value is at least 20 long, and a fingerprint is added. `kind` is accepted so callers state what they
 * mask; the output does not depend on it (the ledger does).
 */
export function mask(value: string, kind: string): string {
  void kind;
  const prefix = keptPrefix(value);
  const tail = value.length >= SHOW_TAIL_FROM ? value.slice(-4) : '';
  return `${prefix}${ELLIPSIS}${tail} [#${fingerprint(value)}]`;
}

/** Output of `mask()`: scanning it again must leave it alone, so `final()` can run on redacted text. */
const MASKED_RE = new RegExp(`${ELLIPSIS}[^\\s]{0,4} \\[#[0-9a-f]{4}\\]`);
function isMasked(s: string): boolean {
  return s.includes(ELLIPSIS) && MASKED_RE.test(s);
}

// ---------------------------------------------------------------------------------------------------------
// Values that are shown as they are

/** `${VAR}` (and the spellings users try: `{env:VAR}`, `$VAR`): names, not secrets, and the doctor reports them. */
const REFERENCE_RE = /\$\{[A-Za-z_][A-Za-z0-9_]*\}|\{env:[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Z_][A-Z0-9_]*\b/g;
const SCHEME_WORD_RE = /\b(?:Bearer|Basic|Token|Bot)\b/gi;
const ALNUM_RE = /[A-Za-z0-9]/;

export function isReference(value: string): boolean {
  const refs = value.match(REFERENCE_RE);
  if (!refs) return false;
  const rest = value.replace(REFERENCE_RE, '').replace(SCHEME_WORD_RE, '');
  return !ALNUM_RE.test(rest);
}

/** `${VAR:-default}` (not supported by the product, but written): the name is shown, the default is not. */
const REFERENCE_WITH_DEFAULT_RE = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?-(.*)\}$/s;

const PLACEHOLDER_WORDS = new Set([
  'your', 'yours', 'here', 'replace', 'replaceme', 'change', 'changeme', 'insert', 'example', 'placeholder',
  'todo', 'fixme', 'redacted', 'dummy',
]);
const WORD_SPLIT_RE = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g;
const MAX_PLACEHOLDER = 200;
const WORDY_RE = /^(?:[a-z]{2,}|[A-Z]{2,}|[A-Z][a-z]+|\d{1,4}|x{3,}|X{3,})$/;

/**
 * `sk-kimi-YOUR_API_KEY_HERE`, `REPLACE_ME`, `fresh-instance-token-change-me`: not secrets, and the doctor
 * reports them as placeholders, so they stay readable. Strict on purpose — a value passes only when it is
 * made of plain words (no random-looking run) and one of them is a placeholder word: random keys never do.
 */
export function isPlaceholder(value: string): boolean {
  // A placeholder is a few words; a long value is not one (and spreading ~150k word parts into one call
  // overflowed the stack, which switched masking off for the whole run).
  if (value.length > MAX_PLACEHOLDER) return false;
  if (!ALNUM_RE.test(value)) return value.length > 0; // `***`, `...`: nothing to hide
  const words: string[] = [];
  for (const chunk of value.split(/[^A-Za-z0-9]+/)) {
    if (!chunk) continue;
    const parts = chunk.match(WORD_SPLIT_RE) ?? [];
    if (parts.join('') !== chunk) return false;
    for (const p of parts) words.push(p);
  }
  if (words.length > 10 || !words.every((w) => WORDY_RE.test(w))) return false;
  return words.some((w) => PLACEHOLDER_WORDS.has(w.toLowerCase()) || /^x{3,}$/i.test(w));
}

// ---------------------------------------------------------------------------------------------------------
// Secret-named keys

/** A key holds a secret when one of its words is one of these (`botToken`, `appSecret`, `HF_TOKEN`). */
const SECRET_WORDS = new Set([
  'token', 'secret', 'secrets', 'password', 'passwd', 'pwd', 'passphrase', 'passcode', 'apikey', 'credential',
  'credentials', 'cookie', 'cookies', 'authorization', 'bearer', 'jwt', 'auth',
]);
/** …or when its last word is `key` (`apiKey`, `encryptKey`, `x-api-key`, `KIMI_API_KEY`). */
// `pass`, `pw`, `pin` only as the last word: nodemailer's `auth: { user, pass }`, `smtpPw`, `simPin`.
const KEY_WORDS = new Set(['key', 'keys', 'apikey', 'apikeys', 'pat', 'dsn', 'pass', 'pw', 'pin']);
/** …unless the last word says it is about the secret, not the secret (`tokenFile`, `apiKeyEnv`, `maxTokensField`). */
const DESCRIBING_WORDS = new Set([
  'file', 'path', 'dir', 'env', 'var', 'name', 'names', 'field', 'mode', 'type', 'id', 'ids', 'limit', 'limits',
  'count', 'ttl', 'expiry', 'expires', 'header', 'command', 'cmd', 'ref', 'source', 'enabled', 'length', 'url',
  'uri', 'endpoint', 'profile', 'profiles', 'provider', 'choice', 'method', 'kind', 'set', 'present', 'required',
  'from',
]);
/** A map whose key says it tells where things come from (`headersFrom: { Authorization: "provider" }`). */
function describesOrigin(key: string | undefined): boolean {
  const last = key === undefined ? undefined : keyWords(key).at(-1);
  return last === 'from' || last === 'source' || last === 'sources';
}
/** Keys that end like a secret but hold identifiers the report needs (`sessionKey: "agent:main:main"`). */
// `PWD`/`OLDPWD` are the shell's working directories, not passwords.
const NOT_SECRET_KEYS = new Set(['pwd', 'oldpwd', 'sessionkey', 'sortkey', 'primarykey', 'hotkey', 'keypath', 'keyid', 'publickey']);
/** `auth` is also the provider's auth *mode* (clawdbot.md §3); those values are not secrets. */
const AUTH_MODES = new Set(['api-key', 'aws-sdk', 'oauth', 'token', 'none', 'password', 'bearer', 'basic', 'header']);

function keyWords(key: string): string[] {
  return (key.match(WORD_SPLIT_RE) ?? []).map((w) => w.toLowerCase());
}

const secretKeyCache = new Map<string, boolean>();

/** Whether a key (`apiKey`, `KIMI_API_KEY`, `x-api-key`, `Authorization`) names a secret. */
export function isSecretKey(key: string): boolean {
  let hit = secretKeyCache.get(key);
  if (hit === undefined) {
    hit = computeIsSecretKey(key);
    if (secretKeyCache.size < 10_000) secretKeyCache.set(key, hit);
  }
  return hit;
}

function computeIsSecretKey(key: string): boolean {
  const words = keyWords(key);
  const last = words.at(-1);
  if (!last || NOT_SECRET_KEYS.has(words.join('')) || DESCRIBING_WORDS.has(last)) return false;
  return KEY_WORDS.has(last) || words.some((w) => SECRET_WORDS.has(w));
}

/** Under a secret-named key, these are shown as they are: they carry no secret. */
function keepUnderSecretKey(key: string, value: string): boolean {
  if (value === '' || isMasked(value) || isReference(value) || isPlaceholder(value)) return true;
  if (/^(?:true|false|null|undefined)$/.test(value)) return true;
  const last = keyWords(key).at(-1);
  return last === 'auth' && AUTH_MODES.has(value.toLowerCase());
}

/** The ledger's kind for a value found under a key: `appSecret` → `app-secret`, `gateway.auth.token` → `gateway-token`. */
function kindFromKey(keyPath: readonly string[]): string {
  const words = keyWords(keyPath.at(-1) ?? '');
  const last = words.at(-1) ?? 'secret';
  if (['password', 'passwd', 'pwd', 'passphrase', 'passcode'].includes(last)) return 'password';
  if (last === 'authorization' || last === 'cookie' || last === 'auth') return last;
  const owner = keyPath.find((k) => k === 'gateway' || k === 'hooks');
  if (owner && words.length === 1 && last === 'token') return `${owner}-token`;
  return words.length >= 2 ? `${words.at(-2)}-${last}` : last;
}

// ---------------------------------------------------------------------------------------------------------
// Shapes

interface Shape {
  kind: string;
  source: string;
  /** What may not precede a match (default: no token character), so `disk-…` is not read as `sk-…`. */
  before?: string;
  /** Found by scanning, but says too little to name the kind of a value found under a key. */
  weak?: boolean;
}

// Order matters: the first shape that matches names the kind.
const SHAPES: readonly Shape[] = [
  { kind: 'private-key', source: String.raw`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]{0,16384}?-----END [A-Z ]*PRIVATE KEY-----`, before: '' },
  { kind: 'kimi-key', source: String.raw`sk-kimi-[A-Za-z0-9_-]{8,}` },
  { kind: 'anthropic-key', source: String.raw`sk-ant-[A-Za-z0-9_-]{16,}` },
  { kind: 'openai-project-key', source: String.raw`sk-proj-[A-Za-z0-9_-]{16,}` },
  { kind: 'openrouter-key', source: String.raw`sk-or-v\d-[A-Za-z0-9]{16,}` },
  { kind: 'stripe-key', source: String.raw`[sr]k_(?:live|test)_[A-Za-z0-9]{16,}` },
  { kind: 'elevenlabs-key', source: String.raw`sk_[A-Za-z0-9]{24,}` },
  // OpenAI, Moonshot, MiniMax, DashScope, … all use `sk-`.
  { kind: 'sk-key', source: String.raw`sk-[A-Za-z0-9_-]{16,}` },
  { kind: 'github-token', source: String.raw`(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})` },
  { kind: 'slack-token', source: String.raw`(?:xox[abprs]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,})` },
  { kind: 'google-api-key', source: String.raw`AIza[A-Za-z0-9_-]{30,}` },
  { kind: 'aws-access-key', source: String.raw`(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])` },
  { kind: 'brave-key', source: String.raw`BSA[A-Za-z0-9_-]{24,}` },
  { kind: 'tavily-key', source: String.raw`tvly-[A-Za-z0-9_-]{16,}` },
  { kind: 'api-key', source: String.raw`(?:csk|mpg)-[A-Za-z0-9]{20,}` },
  { kind: 'api-key', source: String.raw`bce-v3/[A-Za-z0-9-]+/[a-f0-9]{20,}` },
  // Zhipu: `<32 hex>.<16 chars>`.
  { kind: 'api-key', source: String.raw`[a-f0-9]{32}\.[A-Za-z0-9]{16}(?![A-Za-z0-9])` },
  // Telegram: `<bot id>:AA<33>`; also inside `api.telegram.org/bot<token>/…`, hence only digits are refused before it.
  { kind: 'telegram-bot-token', source: String.raw`\d{6,12}:AA[A-Za-z0-9_-]{30,40}(?![A-Za-z0-9_-])`, before: String.raw`(?<!\d)` },
  { kind: 'jwt', source: String.raw`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*` },
  { kind: 'discord-bot-token', source: String.raw`[A-Za-z0-9_-]{23,30}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}` },
  // `openssl rand -hex 24|32`, how gateway and hook tokens are made. Longer than a commit hash (40) on
  // purpose; a sha256 in a report is collateral. Weak: under a key, the key names the kind better.
  { kind: 'hex-token', source: String.raw`[a-fA-F0-9]{48,}(?![A-Za-z0-9])`, weak: true },
];

const TOKEN_BOUNDARY = String.raw`(?<![A-Za-z0-9_-])`;
const SHAPE_SCAN_RE = new RegExp(SHAPES.map((s) => `${s.before ?? TOKEN_BOUNDARY}(${s.source})`).join('|'), 'g');
const SHAPE_EXACT_RES = SHAPES.map((s) => ({ kind: s.kind, weak: s.weak ?? false, re: new RegExp(`^(?:${s.source})$`) }));

/** The kind a value's shape says it is, if any (`sk-kimi-…` → `kimi-key`). Weak shapes count only when asked. */
export function classify(value: string, includeWeak = false): string | undefined {
  return SHAPE_EXACT_RES.find((s) => (includeWeak || !s.weak) && s.re.test(value))?.kind;
}

/** Long runs mixing upper case, lower case and digits: how random secrets look when nothing names them. */
const HIGH_ENTROPY_RE = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9]{32,}(?![A-Za-z0-9+/_-])/g;
function looksRandom(s: string): boolean {
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && /\d.*\d/.test(s);
}

// Credentials that sit next to a scheme or inside a URL.
// The token must end at a delimiter, so an already masked `sk-kimi-…` is not read as the token `sk-kimi-`.
const AUTH_SCHEME_RE = /\b(Bearer|Basic|Bot)(\s+)([A-Za-z0-9._~+/=-]{8,})(?=$|[\s"'`,;)\]}>\\])/g;
// The userinfo ends at the *last* `@` before the path: a password may hold a raw `@` (`p@ss@host`).
const URL_USERINFO_RE = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]*):([^\s/]+)@(?=[^\s/@]*(?:[/?#\s"'`)\]]|$))/gi;
const WEBHOOK_RE = /((?:discord(?:app)?\.com\/api\/webhooks\/\d+|hooks\.slack\.com\/services\/[A-Z0-9]+\/[A-Z0-9]+)\/)([A-Za-z0-9_-]{16,})/g;

// `"apiKey": "…"`, `apiKey: '…'`, `KIMI_API_KEY=…`, `?key=…`, also with the escaped quotes of JSON inside JSON.
// Not `https://…`: a URL scheme is no key. A key starts where a word starts: without that lookbehind every
// position inside a long word was a new start, and a 20 KB word took seconds (quadratic backtracking).
const KEY_SEP_RE = /(\\{0,2}["']|)(?<![\w.-])([A-Za-z_][\w.-]*)\1[ \t]*([:=])(?!\/\/)[ \t]*/g;
/**
 * The value after a secret-named key, matched only where such a key was found (sticky): matching it after
 * every `a:` or `a=` made a long `a:a:a:…` quadratic, since each value ran to the end of the text.
 */
const VALUE_RE = /(\\{0,2}["'])(.*?)\1|(?![{[])([^\s"'\\,;}&)\]<>?#]+)/y;
// `--api-key sk-…`, `--token abc…`
const FLAG_RE = /(?<![\w-])(--?)([A-Za-z][\w-]*)(\s+)([^\s-]\S*)/g;

/** Unquoted after `:` is how prose reads too (`the token: run …`), so only token-looking values are masked. */
function looksLikeToken(s: string): boolean {
  return s.length >= 8 && (/\d/.test(s) || /[-_./+=]/.test(s) || (/[a-z]/.test(s) && /[A-Z]/.test(s)));
}

// ---------------------------------------------------------------------------------------------------------
// Paths

/** Login names that are also common path segments (`/usr/local/bin/node`): replacing them would mangle paths. */
const COMMON_SEGMENTS = new Set([
  'root', 'node', 'user', 'users', 'admin', 'app', 'home', 'ubuntu', 'runner', 'nobody', 'daemon', 'bin', 'lib',
  'local', 'share', 'tmp', 'var', 'etc', 'opt', 'usr', 'src', 'dist', 'test', 'docker', 'default',
]);

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function homeRegex(home: string): RegExp | undefined {
  const trimmed = home.replace(/[/\\]+$/, '');
  if (trimmed.length < 2) return undefined; // home `/` would replace every slash
  const variants = [...new Set([trimmed, trimmed.replace(/\\/g, '/')])].map(escapeRe).join('|');
  return new RegExp(`(?<![A-Za-z0-9._-])(?:${variants})(?![A-Za-z0-9._-])`, 'g');
}

function userRegex(user: string): RegExp | undefined {
  if (user.length < 2 || COMMON_SEGMENTS.has(user.toLowerCase())) return undefined;
  return new RegExp(`(?<=[/\\\\])${escapeRe(user)}(?![A-Za-z0-9._-])`, 'g');
}

function defaultUser(home: string): string {
  const base = path.basename(home.replace(/[/\\]+$/, ''));
  if (base) return base;
  try {
    return os.userInfo().username;
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------------------
// The Redactor

export class Redactor {
  /** Secret value → its kind. Kept in memory only to find the value again; never printed. */
  private readonly known = new Map<string, string>();
  private knownSorted: string[] = [];
  private knownDirty = false;
  /** sha256 of every value masked so far → the kind it was counted under (distinct values per kind). */
  private readonly counted = new Map<string, string>();
  private readonly homeRe: RegExp | undefined;
  private readonly userRe: RegExp | undefined;

  constructor(init: RedactorInit = {}) {
    const home = init.home ?? os.homedir();
    this.homeRe = homeRegex(home);
    this.userRe = userRegex(init.user ?? defaultUser(home));
    for (const s of init.knownSecrets ?? []) this.addSecret(s);
    for (const s of init.secretValues ?? []) this.addSecret(s, undefined, { underSecretKey: true });
  }

  /**
   * Mask this value wherever it appears from now on. Ignored: placeholders, `${VAR}`, very short values and
   * plain words (`api-key`, `max_tokens`, `password`) — a collector that sweeps too wide (an `auth` mode, a
   * `maxTokensField`) must not make every later mention of those words unreadable. Such values are still
   * masked where they sit under a secret-named key.
   */
  addSecret(value: string, kind?: string, opts: { underSecretKey?: boolean } = {}): void {
    const v = value.trim();
    if (v.length < MIN_KNOWN_SECRET || isReference(v) || isPlaceholder(v) || isMasked(v)) return;
    // A plain lowercase word is a secret when it sat under a secret-named key (`password: "letmeinplease"`);
    // from a wider sweep it is more likely a mode or a field name, and masking it would hide ordinary words.
    if (PLAIN_WORDS_RE.test(v) && (!opts.underSecretKey || NOT_A_PASSWORD.has(v.toLowerCase()))) return;
    if (this.known.has(v)) return;
    this.known.set(v, classify(v) ?? kind ?? 'secret');
    this.knownDirty = true;
  }

  /** Free text: known secrets, credentials by key and by shape, then home → `~` and user name → `<user>`. */
  text(s: string): string {
    if (!s) return s;
    let out = this.maskKnown(s);
    // By key before by shape: a key names the kind of a shapeless value (`"token": "<hex>"` is a token).
    out = this.maskKeyValues(out);
    out = out.replace(FLAG_RE, (m, dashes: string, name: string, gap: string, val: string) =>
      isSecretKey(name) && looksLikeToken(val) && !keepUnderSecretKey(name, val) ? `${dashes}${name}${gap}${this.hide(val, kindFromKey([name]))}` : m);
    out = out.replace(SHAPE_SCAN_RE, (m) => (isPlaceholder(m) ? m : this.hide(m, classify(m, true) ?? 'secret')));
    out = out.replace(URL_USERINFO_RE, (m, scheme: string, user: string, pass: string) =>
      isReference(pass) || isMasked(pass) ? m : `${scheme}${user}:${this.hide(pass, 'url-password')}@`);
    out = out.replace(WEBHOOK_RE, (_m, head: string, token: string) => head + this.hide(token, 'webhook-token'));
    out = out.replace(AUTH_SCHEME_RE, (m, scheme: string, gap: string, token: string) =>
      isPlaceholder(token) || isReference(token) ? m : `${scheme}${gap}${this.hide(token, scheme.toLowerCase() === 'basic' ? 'basic-auth' : 'bearer-token')}`);
    out = out.replace(HIGH_ENTROPY_RE, (m) => (looksRandom(m) ? this.hide(m, 'high-entropy') : m));
    return this.paths(out);
  }

  /**
   * Deep copy with every string redacted. A string under a secret-named key is masked whatever its shape
   * (gateway tokens and app secrets have none); every other string goes through `text()`. Object keys go
   * through `text()` too (users key maps by file path). Arrays inherit the key that holds them.
   */
  value<T>(v: T, keyPath: string[] = []): T {
    return this.walk(v, keyPath, new WeakSet()) as T;
  }

  /** Kind → how many distinct values of that kind were masked. */
  ledger(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const kind of [...this.counted.values()].sort()) out[kind] = (out[kind] ?? 0) + 1;
    return out;
  }

  /**
   * The last scan of the exact text about to be printed. Idempotent on redacted text (masks are left
   * alone), so it is safe on output built from already-redacted parts.
   */
  final(bytes: string): string {
    return this.text(bytes);
  }

  // -- internals ------------------------------------------------------------------------------------------

  private walk(v: unknown, keyPath: string[], seen: WeakSet<object>): unknown {
    if (typeof v === 'string') return this.stringAt(v, keyPath);
    if (typeof v === 'number' || typeof v === 'bigint') return this.numberAt(v, keyPath);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[Circular]';
    seen.add(v);
    try {
      if (Array.isArray(v)) return v.map((item) => this.walk(item, keyPath, seen));
      if (v instanceof Date) return v;
      if (v instanceof URL) return this.text(v.href);
      if (v instanceof Error) return this.error(v);
      if (v instanceof Map) {
        return new Map([...v].map(([k, item]) => [typeof k === 'string' ? this.text(k) : k, this.walk(item, [...keyPath, String(k)], seen)]));
      }
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[this.text(k)] = this.walk(item, [...keyPath, k], seen);
      return out;
    } finally {
      seen.delete(v);
    }
  }

  private stringAt(s: string, keyPath: readonly string[]): string {
    const key = keyPath.at(-1);
    if (key === undefined || !isSecretKey(key) || describesOrigin(keyPath.at(-2))) return this.text(s);
    return this.maskUnderKey(s, keyPath);
  }

  /** A number under a secret-named key (a numeric PIN or password) is a secret too. */
  private numberAt(n: number | bigint, keyPath: readonly string[]): number | bigint | string {
    const key = keyPath.at(-1);
    return key !== undefined && isSecretKey(key) ? this.maskUnderKey(String(n), keyPath) : n;
  }

  private maskUnderKey(s: string, keyPath: readonly string[]): string {
    const key = keyPath.at(-1) ?? '';
    if (keepUnderSecretKey(key, s.trim())) return this.text(s);
    const withDefault = REFERENCE_WITH_DEFAULT_RE.exec(s);
    if (withDefault) {
      const [, name, fallback] = withDefault;
      return `\${${name}:-${isPlaceholder(fallback!) ? fallback : this.hide(fallback!, kindFromKey(keyPath))}}`;
    }
    // `Bearer <token>`: the scheme says how the header is used, and is no secret.
    const scheme = /^(Bearer|Basic|Token|Bot)(\s+)(\S.*)$/is.exec(s);
    if (scheme) return `${scheme[1]}${scheme[2]}${this.hide(scheme[3]!, kindFromKey(keyPath))}`;
    return this.hide(s, kindFromKey(keyPath));
  }

  /**
   * `key: value` pairs in free text. A hand-written loop rather than `replace()`: a pair whose key is not
   * secret must not swallow the text after its separator (`note: apiKey=…`, `host:8080/?token=…`), so the
   * scan resumes right after that separator.
   */
  private maskKeyValues(s: string): string {
    const re = new RegExp(KEY_SEP_RE.source, 'g');
    const valueRe = new RegExp(VALUE_RE.source, 'y');
    let out = '';
    let copied = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      const [, , key = '', sep = ''] = m;
      if (!isSecretKey(key)) continue;
      valueRe.lastIndex = re.lastIndex;
      const v = valueRe.exec(s);
      if (!v) continue;
      const [whole, vq = '', quoted, bare] = v;
      const masked = this.maskPair(key, sep, quoted, bare);
      if (masked === undefined) continue;
      // The value is the last thing matched, before its closing quote if it has one.
      const end = v.index + whole.length - (quoted === undefined ? 0 : vq.length);
      const start = end - (quoted ?? bare ?? '').length;
      out += s.slice(copied, start) + masked;
      copied = end;
      re.lastIndex = v.index + whole.length;
    }
    return copied === 0 ? s : out + s.slice(copied);
  }

  private maskPair(key: string, sep: string, quoted: string | undefined, bare: string | undefined): string | undefined {
    if (!isSecretKey(key)) return undefined;
    const value = quoted ?? bare ?? '';
    if (keepUnderSecretKey(key, value.trim())) return undefined;
    if (bare !== undefined) {
      // Part of a mask (`apiKey=sk-kimi-…a4c6 [#1f3a]`), or the scheme of `Authorization: Bearer …`,
      // whose token the scheme scan already masked.
      if (bare.includes(ELLIPSIS) || /^(?:Bearer|Basic|Token|Bot)$/i.test(bare)) return undefined;
      if (sep === ':' && !looksLikeToken(bare)) return undefined;
    }
    return this.maskUnderKey(value, [key]);
  }

  private error(e: Error): Error {
    const copy = new Error(this.text(e.message));
    copy.name = e.name;
    copy.stack = e.stack === undefined ? undefined : this.text(e.stack);
    return copy;
  }

  /**
   * Every known secret, longest first (a secret that contains another is masked whole), found by plain
   * string search. Not one alternation RegExp: a 32,768-character secret made it too large to compile,
   * and the error message quoted its source — every known secret.
   */
  private maskKnown(s: string): string {
    if (this.knownDirty) {
      this.knownSorted = [...this.known.keys()].sort((a, b) => b.length - a.length);
      this.knownDirty = false;
    }
    if (this.knownSorted.length === 0) return s;
    // Found values become private-use markers first, so a shorter secret is never searched inside a mask.
    const found: string[] = [];
    let out = s;
    for (const secret of this.knownSorted) {
      if (!out.includes(secret)) continue;
      out = out.split(secret).join(`\uE000${found.length}\uE001`);
      found.push(secret);
    }
    if (found.length === 0) return s;
    return out.replace(/\uE000(\d+)\uE001/g, (m, i: string) => {
      const secret = found[Number(i)];
      return secret === undefined ? m : this.hide(secret, this.known.get(secret) ?? 'secret');
    });
  }

  /** Mask one value and count it in the ledger (once per distinct value, under the first kind it got). */
  private hide(value: string, kind: string): string {
    const id = createHash('sha256').update(value).digest('hex');
    if (!this.counted.has(id)) this.counted.set(id, this.known.get(value) ?? classify(value) ?? kind);
    return mask(value, kind);
  }

  private paths(s: string): string {
    let out = this.homeRe ? s.replace(this.homeRe, '~') : s;
    if (this.userRe) out = out.replace(this.userRe, '<user>');
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Seeding: what the caller knows to be secret

/** Every string held under a secret-named key anywhere in `value` (for `knownSecrets`). */
export function secretsIn(value: unknown, key = ''): string[] {
  const out: string[] = [];
  const visit = (v: unknown, k: string, depth: number): void => {
    if (depth > 64) return;
    if (typeof v === 'string') {
      if (k && isSecretKey(k) && !keepUnderSecretKey(k, v.trim())) out.push(v);
    } else if (Array.isArray(v)) {
      for (const item of v) visit(item, k, depth + 1);
    } else if (v !== null && typeof v === 'object') {
      for (const [kk, item] of Object.entries(v)) visit(item, kk, depth + 1);
    }
  };
  visit(value, key, 0);
  return out;
}

/** Values of environment variables named like secrets (`KIMI_API_KEY`, `TELEGRAM_BOT_TOKEN`, …). */
export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).flatMap(([name, value]) =>
    value && isSecretKey(name) && !keepUnderSecretKey(name, value.trim()) ? [value] : []);
}
