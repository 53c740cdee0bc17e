// Pure rules on the effective model, one rule in one place (DESIGN.md "facts"): the config checks, the probe
// check and the evidence readers all ask these, so they can never disagree about the same model.
import { looksLikeApprovedAgent } from './classify.js';
import { hostOf, plainHttpRefusal } from './hosts.js';
import { findHeader, type EffectiveModel } from './kimi.js';
import type { Generation } from './product.js';
import { SDK_USER_AGENT } from './product-request.js';

/**
 * Does the product send the system prompt as role `developer` (Kimi answers 400)? V1/V2 (openai-completions.js
 * getCompat): for reasoning models unless compat.supportsDeveloperRole is false. V3 (2026.9.6, developer-role
 * setup): only with an explicit `supportsDeveloperRole: true`. The Anthropic route has no such role.
 */
export function sendsDeveloperRole(m: EffectiveModel, gen: Generation): boolean {
  if (m.api !== 'openai-completions') return false;
  if (gen === 'V3') return m.supportsDeveloperRole === true;
  return m.reasoning && m.supportsDeveloperRole !== false;
}

/** The User-Agent that goes out: the configured one, else the product's transport default for this version. */
export function sentUserAgent(m: EffectiveModel, gen: Generation): { value: string; configured: boolean } {
  const ua = findHeader(m.headers, 'User-Agent');
  if (ua) return { value: ua[1].value, configured: true };
  const rules = gen === 'V3' ? SDK_USER_AGENT.V3 : SDK_USER_AGENT.V1;
  return { value: m.api === 'anthropic-messages' ? rules.anthropic : rules.openai, configured: false };
}

/** Observed to be refused by the gate (kimi.md "The client gate"). */
export const REFUSED_UA = /^(OpenAI\/|Anthropic\/|undici|kimi-cli\/|KimiCodeCLI\/|codex-cli\/|openclaw\/|clawdbot\/|moltbot\/|Mozilla\/)/i;

export interface GateProblem {
  userAgent: string;
  configured: boolean;
  /** Known to be refused (error) or only not known to pass (warning). */
  refused: boolean;
}

/** The client gate: does the User-Agent that goes out pass? Only Kimi For Coding has the gate. */
export function clientGateProblem(m: EffectiveModel, gen: Generation): GateProblem | undefined {
  if (m.kind !== 'kimi-coding') return undefined;
  const ua = sentUserAgent(m, gen);
  if (looksLikeApprovedAgent(ua.value)) return undefined;
  return { userAgent: ua.value, configured: ua.configured, refused: !ua.configured || REFUSED_UA.test(ua.value) };
}

/** Placeholders users copy from guides: `sk-kimi-YOUR_API_KEY_HERE`, `REPLACE_ME`, `<your key>`. */
export const PLACEHOLDER = /YOUR|HERE|REPLACE|CHANGE[_-]?ME|INSERT|PLACEHOLDER|EXAMPLE|xxxx|\.\.\.|…|<[^>]*>|^sk-kimi-$|^sk-$/i;

/** What is wrong with the key's value itself, as a cause key (the api-key and base-url checks use the same). */
export function keyProblem(m: EffectiveModel): 'key-placeholder' | 'key-shape' | 'moonshot-key-on-kimi' | undefined {
  const value = m.key.value ?? '';
  if (!value) return undefined;
  if (PLACEHOLDER.test(value)) return 'key-placeholder';
  if (/\s|["']/.test(value)) return 'key-shape';
  if (!value.startsWith('sk-kimi-') && /^sk-/.test(value) && hostOf(m.baseUrl) === 'api.kimi.com') return 'moonshot-key-on-kimi';
  if (m.kind === 'kimi-coding' && !value.startsWith('sk-kimi-')) return 'key-shape';
  return undefined;
}

// Right host and path for the `api` (kimi.md "Endpoints and keys"):
//   openai-completions  → https://api.kimi.com/coding/v1   (client appends /chat/completions)
//   anthropic-messages  → https://api.kimi.com/coding/     (client appends /v1/messages)
export const RIGHT_BASE_URL: Record<string, string> = {
  'openai-completions': 'https://api.kimi.com/coding/v1',
  'anthropic-messages': 'https://api.kimi.com/coding/',
};

export function baseUrlProblem(m: EffectiveModel): { problem: string; right?: string } | undefined {
  const url = m.baseUrl;
  if (!url) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { problem: `"${url}" is not a URL`, right: RIGHT_BASE_URL[m.api] };
  }
  const host = u.hostname.toLowerCase();
  const pathName = u.pathname.replace(/\/+$/, '');
  if (plainHttpRefusal(url, false)) {
    return { problem: `plain http:// to ${host}: the API key would travel in clear text`, right: url.replace(/^http:/, 'https:') };
  }
  if (host !== 'api.kimi.com') return undefined;
  const right = RIGHT_BASE_URL[m.api];
  if (/\/(chat\/completions|v1\/messages|messages|completions)$/.test(pathName)) {
    return { problem: 'a full endpoint URL was pasted as the base: the client appends the route again (404)', right };
  }
  if (!pathName.startsWith('/coding')) {
    return { problem: `the path "${u.pathname}" lacks /coding: that is not the Kimi For Coding endpoint (404 or 401)`, right };
  }
  if (m.api === 'openai-completions' && pathName !== '/coding/v1') {
    return { problem: 'with api "openai-completions" the base must end in /coding/v1 (the client appends /chat/completions)', right };
  }
  if (m.api === 'anthropic-messages' && pathName !== '/coding') {
    return { problem: 'with api "anthropic-messages" the base must be …/coding/ (the client appends /v1/messages)', right };
  }
  return undefined;
}
