// Causes the vendor's answer names by itself (kimi.md "The client gate", "Endpoints and keys", "Other
// responses"): every row matches on status + message TEXT, because the vendor reuses one type for unrelated
// causes (a 403 `access_terminated_error` is the client gate *or* a used-up quota).
import { has, modelPath, phrase, quoted, resetNote, said, status, typed } from './format.js';
import { htmlTitle } from './parse.js';
import type { Cause, ErrorFacts, Explained } from './types.js';

/** Where the vendor keeps its rules (community guidelines); we link it rather than paraphrase it. */
export const KIMI_DOCS_URL = 'https://www.kimi.com/coding/docs/';

/**
 * User-Agents reported to pass the gate (kimi.md "The client gate"; known-failures row 1: a prefix match).
 * Case matters: `kimi-cli/1.0` and `KimiCodeCLI/…` are refused.
 */
const APPROVED_UA = /^(KimiCLI|claude-code|claude-cli|RooCode|Kilo-Code)\/\S/;

export function looksLikeApprovedAgent(userAgent: string | undefined): boolean {
  return userAgent !== undefined && APPROVED_UA.test(userAgent.trim());
}

/**
 * Role texts the product rewrites to "Message ordering conflict" (clawdbot.md §9), the rewrite itself, and
 * the log line seen with it (oc#12680). The one copy: classify (developer-role) and sessions.ts (poisoned
 * sessions) both read it.
 */
const ROLE_PHRASES = [
  phrase(/role 'developer' is not allowed/, 'developer'),
  phrase(/unsupported role ROLE_UNSPECIFIED/, 'ROLE_UNSPECIFIED'),
  phrase(/incorrect role information/, 'incorrect'),
  phrase(/roles must alternate/, 'alternate'),
  phrase(/Message ordering conflict/, 'ordering'),
  phrase(/Unhandled API in mapOptionsForApi/, 'mapOptionsForApi'),
];

export function isRoleErrorText(text: string): boolean {
  return ROLE_PHRASES.some((p) => p.re.test(text));
}

const GATE_TEXT = 'Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.';
const GATE = phrase(/only available for Coding Agents/, 'available');

function isGate(f: ErrorFacts): boolean {
  if (GATE.re.test(f.text)) return true;
  // On the Anthropic route a refused client gets a constant 429 "engine overloaded" instead of the 403
  // (kimi.md "The client gate"): only the gate when we know the User-Agent was not approved.
  return f.anthropic && f.userAgent !== undefined && !looksLikeApprovedAgent(f.userAgent) && has(f, /engine is currently overloaded/i);
}

function clientGate(f: ErrorFacts): Explained {
  const ua = f.anthropic ? 'claude-code/0.1.0' : 'KimiCLI/0.77';
  const builtIn = f.anthropic ? "OpenClaw's built-in kimi provider" : "the product's built-in kimi-code provider";
  const approved = looksLikeApprovedAgent(f.userAgent);
  // An approved agent refused all the same: the vendor's own CLI got this 403 during the 2026-06-04 outage (gate-outage).
  const sent = f.userAgent
    ? `The request went out with User-Agent "${f.userAgent}"${approved ? ', which the gate normally admits: if it lasts, it may be a vendor-side outage (claw-doctor explain gate-outage)' : ''}.`
    : '';
  const disguise = GATE.re.test(f.text)
    ? ''
    : ' On the Anthropic route the gate answers a refused client with a constant 429 "engine is currently overloaded" instead of the 403.';
  return {
    severity: 'error',
    title: 'Kimi For Coding refused the client (User-Agent gate)',
    detail:
      `${said(f)}the endpoint only admits approved coding agents and tells them apart by the ` +
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

function developerRole(f: ErrorFacts): Explained {
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

function htmlPage(f: ErrorFacts): Explained {
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

function overloaded(f: ErrorFacts): Explained {
  const gate = f.anthropic
    ? ' On the Anthropic route the client gate gives a refused client this same 429 every time: if it never goes away, ' +
      `check the model's User-Agent header ("claude-code/0.1.0" is what OpenClaw's built-in sends).`
    : '';
  return {
    severity: 'warn',
    title: 'The engine is overloaded',
    detail: `${said(f)}the service is out of capacity right now.${gate}`,
    fix: `Retry in a few minutes, or configure a fallback model; nothing in the config is wrong.${gate ? ' If it persists, see the User-Agent note above.' : ''}`,
  };
}


// 2026.9 keeps the key in state/openclaw.sqlite (config_machine_state, authProfiles.store) under profile kimi:default of
// provider `kimi`, and the product names its own command for it (test/fixtures/openclaw-2026.9.6/badkey/cli/
// models-status-probe.txt: "Re-authenticate with `openclaw models auth login --provider kimi --profile-id 'kimi:default'`").
// The plugin reads KIMI_API_KEY or KIMICODE_API_KEY (fixture README); the stored profile wins over the env.
const KEY_FIX_V3 =
  'Create a key in the Kimi Code console (needs an active membership), then store it with the product\'s own command:\n' +
  "  openclaw models auth login --provider kimi --profile-id 'kimi:default'\n" +
  'It replaces the key of profile kimi:default in state/openclaw.sqlite (authProfiles.store); that profile wins over ' +
  'KIMI_API_KEY in the environment. Or run the onboarding again: openclaw onboard --auth-choice kimi-code-api-key ' +
  '--kimi-code-api-key <the new key>. Then restart the gateway.';

const keyFixV1 = (providerId: string): string =>
  'Create a key in the Kimi Code console (needs an active membership) and give it to the product, e.g.\n' +
  `  export KIMICODE_API_KEY=sk-kimi-…\n` +
  `and in models.providers.${providerId}: "apiKey": "\${KIMICODE_API_KEY}"\n` +
  'An auth profile (agents/<agent>/agent/auth-profiles.json, e.g. kimi-code:default) wins over the config key: ' +
  'update or remove a stale one.';

export const VENDOR_CAUSES: Cause[] = [
  {
    id: 'html-page',
    title: 'An HTML page came back instead of an API answer',
    summary: 'A proxy, a website or the vendor\'s front proxy (504 Gateway Time-out) answered instead of the API.',
    severity: 'error',
    when: (f) => f.html,
    explain: htmlPage,
    resetHelps: 'no',
    sources: ['kimi.md "Other responses"'],
    confirmed: true,
    examples: [],
  },
  {
    id: 'suspended',
    row: 4,
    title: 'Access terminated by the vendor (Community Guidelines)',
    summary:
      'The vendor terminated the account\'s access. A wave of terminations on 2026-05-25 hit tools that faked a KimiCLI/* ' +
      'User-Agent; unbans were reported on 2026-05-27. No setting on this machine changes it.',
    severity: 'error',
    texts: [phrase(/Access terminated\.? Review our Community Guidelines/, 'Guidelines')],
    fix:
      `Contact Kimi support from the Kimi Code console (support@moonshot.cn). The rules are in the vendor's docs: ${KIMI_DOCS_URL}. ` +
      'Do not rotate keys or change the User-Agent to get around it.',
    resetHelps: 'no',
    sources: ['openclacky#192', 'pi#5009', 'pi#7752'],
    confirmed: false,
    unconfirmed: 'the exact full text and the dates were not checked in the threads (not in the searchable corpus)',
    examples: [
      {
        form: 'probe',
        text: '403 {"error":{"type":"permission_error","message":"Access terminated. Review our Community Guidelines or contact support@moonshot.cn"}}',
        source: 'known-failures.md row 4',
      },
    ],
  },
  {
    id: 'quota-weekly',
    row: 5,
    title: 'Weekly (7-day) usage limit reached',
    summary:
      'The key and the client were accepted; the membership\'s weekly quota is used up. Every request fails until the window ' +
      'rolls over. The type (403 access_terminated_error) is the client gate\'s: only the message tells them apart.',
    severity: 'error',
    texts: [phrase(/weekly \(7-day\) usage limit|weekly usage limit/, 'weekly')],
    explain: (f) => ({
      severity: 'error',
      title: 'Weekly (7-day) usage limit reached',
      detail:
        `${said(f)}the key and the client were accepted; the membership's weekly quota is used up, so every request fails ` +
        `until it resets.${resetNote(f)} The type is the same as the client gate's, only the message tells them apart.`,
      fix:
        'Wait for the 7-day window to roll over (the Kimi Code console shows your usage), buy extra usage or move to a larger ' +
        'plan, or give the agent a non-Kimi fallback model. Another key on the same membership or a different User-Agent will ' +
        'not help; nothing in the config needs changing.',
    }),
    resetHelps: 'no',
    sources: ['oc#142524', 'oc#142656'],
    confirmed: true,
    examples: [
      {
        form: 'probe',
        text:
          '403 {"error":{"message":"You\'ve reached your weekly (7-day) usage limit. Your quota will reset when the current 7-day window ends. ' +
          'To continue now, purchase extra usage or upgrade your plan: https://www.kimi.com/membership/subscription?tab=quota","type":"access_terminated_error"}}',
        source: 'oc#142656',
      },
    ],
  },
  {
    id: 'quota-billing',
    title: 'Usage limit for this billing cycle reached',
    summary: 'The membership\'s quota for the current billing cycle is used up: every request fails until the next cycle.',
    severity: 'error',
    texts: [phrase(/usage limit for this billing cycle/, 'billing')],
    explain: (f) => ({
      severity: 'error',
      title: 'Usage limit for this billing cycle reached',
      detail: `${said(f)}the membership's quota for the current billing cycle is used up; every request fails until it is refreshed.${resetNote(f)}`,
      fix:
        'Wait for the next billing cycle or upgrade the plan in the Kimi Code console. ' +
        'Another key or header will not help; nothing in the config needs changing.',
    }),
    resetHelps: 'no',
    sources: ['kimi-code#3014'],
    confirmed: true,
    examples: [
      {
        form: 'cli',
        text: "[provider.auth_error] 403 You've reached your usage limit for this billing cycle. Your quota will be refreshed in the next cycle.",
        source: 'kimi-code#3014',
      },
    ],
  },
  {
    id: 'gate-outage',
    row: 3,
    title: 'The gate refused an approved client: a vendor-side outage',
    summary:
      'The gate\'s 403 came back although the request carried an approved User-Agent. On 2026-06-04 the vendor\'s own CLI got ' +
      'this 403 for a while (fixed by the vendor, "retry"). A second gate on X-Msh-Platform (kimi_cli passes) was reported.',
    severity: 'warn',
    shownAs: ['client-gate'],
    fix: 'Retry later; if it lasts, check the vendor\'s status/issue tracker. Nothing on this machine is wrong.',
    resetHelps: 'no',
    sources: ['kcode#413', 'kcode#416', 'kcli#2425'],
    confirmed: true,
    unconfirmed: 'the X-Msh-Platform second gate was not checked',
    examples: [
      {
        form: 'cli',
        text: `Server: Error code: 403 - {'error': {'message': '${GATE_TEXT}', 'type': 'access_terminated_error'}}`,
        source: 'kcode#413 (seen by readers without the User-Agent as client-gate)',
      },
    ],
  },
  {
    id: 'client-gate',
    row: 1,
    title: 'Kimi For Coding refused the client (User-Agent gate)',
    summary:
      'The endpoint only admits approved coding agents and tells them apart by the User-Agent header (a prefix match: KimiCLI/, ' +
      'claude-code/, claude-cli/ pass; kimi-cli/1.0, codex-cli, OpenAI/JS fail). The key may be fine.',
    severity: 'error',
    texts: [GATE],
    when: isGate,
    explain: clientGate,
    versions: [{ from: '2026.2.2', fixedIn: '2026.3.12', fixNote: 'built-in default UA claude-code/0.1.0 (oc#44248, merged 2026-03-12; release a guess)' }],
    appliesTo: (s) => s.models.some((m) => (m.providerId === 'kimi' || m.providerId === 'kimi-coding') && !m.userAgentInConfig),
    conditions: 'the built-in kimi-coding (kimi) provider without a User-Agent header in the config (any route; also Kimi as a fallback)',
    resetHelps: 'no',
    sources: ['oc#8803', 'oc#42499', 'oc#30099', 'oc#44248', 'oc#22409'],
    confirmed: true,
    examples: [
      { form: 'probe', text: `403 {"error":{"message":"${GATE_TEXT}","type":"access_terminated_error"}}`, source: 'oc#42499' },
      { form: 'transcript', text: `403 ${GATE_TEXT}`, source: 'test/fixtures/clawdbot-2026.1.24-3' },
    ],
  },
  {
    id: 'kimi-key-on-moonshot',
    row: 24,
    title: 'The key does not belong to this endpoint (Kimi Code, Moonshot .ai, Moonshot .cn)',
    summary:
      'A bare "Invalid Authentication" 401 is the Moonshot platform\'s answer to a key of another account system: sk-kimi- keys ' +
      'work only on api.kimi.com/coding, Moonshot keys only on their own platform (a platform.moonshot.cn key fails on .ai and ' +
      'the reverse; the onboarding wizard once wrote the .cn base for international keys).',
    severity: 'error',
    when: (f) => /^\s*(?:HTTP 401:\s*)?Invalid Authentication\s*\.?\s*$/i.test(f.message) && (f.status === undefined || f.status === 401),
    texts: [phrase(/HTTP 401: Invalid Authentication/, 'Authentication')],
    explain: (f) => ({
      severity: 'error',
      title: 'The key does not belong to this endpoint (Invalid Authentication)',
      detail:
        `${said(f)}this is the Moonshot platform's answer to an sk-kimi- key. Kimi Code and Moonshot ` +
        "are separate account systems; neither key works on the other's endpoint (a .cn key also fails on .ai).",
      fix:
        `Point the provider at the Kimi For Coding endpoint in models.providers.${f.providerId}:\n` +
        '  "baseUrl": "https://api.kimi.com/coding/v1",\n  "api": "openai-completions"\n' +
        'or, to use Moonshot, use a key from the Moonshot platform (MOONSHOT_API_KEY) on its own endpoint.',
    }),
    resetHelps: 'no',
    sources: ['oc#33637', 'oc#6222', 'oc#9396'],
    confirmed: true,
    examples: [
      { form: 'probe', text: '401 {"error":{"message":"Invalid Authentication","type":"invalid_authentication_error"}}', source: 'kimi.md' },
      { form: 'rewrite', text: 'HTTP 401: Invalid Authentication', source: 'oc#33637' },
    ],
  },
  {
    id: 'model-unknown',
    row: 21,
    title: 'The endpoint does not know this model id',
    summary:
      'Kimi answers an unknown model id with 401, which looks like a key problem but is not. `kimi/k3[1m]` is a Claude-Code-only ' +
      'env convention, not a wire id; legacy ids (kimi-k2.5, k2p5) stopped resolving on some paths.',
    severity: 'error',
    texts: [phrase(/model id does not exist/, 'exist'), phrase(/model_not_found/, 'model_not_found')],
    // Moonshot's 404 "Not found the model …": by status, so the log fast path need not stop at every "not found".
    when: (f) => (f.status === 404 || f.status === undefined) && /Not found the model/i.test(f.message),
    explain: (f) => ({
      severity: 'error',
      title: 'The endpoint does not know this model id',
      detail:
        `${said(f)}Kimi answers an unknown model id with 401, which looks like a key problem but is not. ` +
        '`kimi-for-coding` is the stable id that always points at the newest model.',
      fix:
        `Use a current id in models.providers.${f.providerId}.models[] and in the agent's model ref (kimi-for-coding, ` +
        'kimi-for-coding-highspeed, k3):\n' +
        `  "id": "kimi-for-coding"\n` +
        `  "agents": { "defaults": { "model": { "primary": "${f.providerId}/kimi-for-coding" } } }`,
    }),
    resetHelps: 'no',
    sources: ['oc#111561', 'oc#113909', 'oc#113918', 'oc#146261'],
    confirmed: true,
    examples: [
      {
        form: 'probe',
        text: '401 {"error":{"type":"authentication_error","message":"Your model id does not exist, recognized as other:k3[1m]. Please set model id as `k3`."}}',
        source: 'oc#113918',
      },
    ],
  },
  {
    id: 'key-invalid',
    title: 'The API key was rejected',
    summary: 'The coding endpoint does not accept this key: wrong, expired, or a Moonshot platform key.',
    severity: 'error',
    texts: [phrase(/API Key appears to be invalid/, 'appears'), phrase(/Incorrect API key/, 'Incorrect'), phrase(/invalid api[ _-]?key/, 'invalid'), phrase(/may have expired/, 'expired')],
    explain: (f) => ({
      severity: 'error',
      title: 'The API key was rejected',
      detail:
        `${said(f)}the coding endpoint does not accept this key. It is wrong, expired, or a Moonshot ` +
        `platform key (those work only on api.moonshot.ai / api.moonshot.cn); Kimi Code keys start with sk-kimi-.`,
      fix: f.generation === 'V3' ? KEY_FIX_V3 : keyFixV1(f.providerId),
    }),
    resetHelps: 'no',
    sources: ['kimi.md "Endpoints and keys"'],
    confirmed: true,
    examples: [
      {
        form: 'probe',
        text: '401 {"error":{"message":"The API Key appears to be invalid or may have expired. Please verify your credentials and try again.","type":"invalid_authentication_error"}}',
        source: 'kimi.md',
      },
    ],
  },
  {
    id: 'tool-choice-thinking',
    row: 26,
    title: 'Forced tool use is not allowed with thinking on',
    summary: 'Kimi refuses tool_choice "required"/"specified" while thinking is enabled (openai route).',
    severity: 'error',
    texts: [phrase(/tool_choice .*incompatible with thinking/, 'incompatible')],
    explain: (f) => ({
      severity: 'error',
      title: 'Forced tool use is not allowed with thinking on',
      detail: `${said(f)}Kimi refuses a forced tool_choice while thinking is enabled.`,
      fix:
        'Use tool_choice "auto" with thinking, or turn thinking off for this use (/think off, or "agents": { "defaults": ' +
        '{ "thinkingDefault": "off" } }). Keep "compat": { "supportsDeveloperRole": false } on the openai route.',
    }),
    resetHelps: 'no',
    sources: ['docs.openclaw.ai/providers/moonshot'],
    confirmed: false,
    unconfirmed: 'a docs page, not a thread; the exact vendor text was not seen in a thread',
    examples: [
      { form: 'probe', text: "400 {\"error\":{\"message\":\"tool_choice 'specified' is incompatible with thinking enabled\",\"type\":\"invalid_request_error\"}}", source: 'docs.openclaw.ai/providers/moonshot' },
    ],
  },
  {
    id: 'temperature',
    title: 'This model accepts only temperature 1',
    summary: 'A temperature other than 1 was sent.',
    severity: 'error',
    texts: [phrase(/invalid temperature/, 'temperature')],
    fix: 'Remove the temperature override for this model wherever it is set, or set it to 1.',
    resetHelps: 'no',
    sources: ['kimi.md "Other responses"'],
    confirmed: true,
    examples: [{ form: 'probe', text: '400 {"error":{"message":"invalid temperature: only 1 is allowed for this model","type":"invalid_request_error"}}', source: 'kimi.md' }],
  },
  {
    id: 'membership-expired',
    title: 'Kimi Code membership expired (402 Payment Required)',
    summary: 'The key belongs to a membership that is no longer active: every request fails until it is renewed.',
    severity: 'error',
    texts: [phrase(/Payment Required/, 'Payment'), phrase(/membership (has )?expired/, 'membership')],
    when: (f) => f.status === 402,
    fix: 'Renew the membership in the Kimi Code console; the same key works again once it is active.',
    resetHelps: 'no',
    sources: ['kimi.md "Other responses"'],
    confirmed: true,
    examples: [{ form: 'probe', text: '402 Payment Required', source: 'kimi.md' }],
  },
  {
    id: 'rate-limit',
    row: 8,
    title: 'Rate limit reached (rolling 5-hour window)',
    summary: 'Too many requests in the membership\'s rolling window: transient, the agent answers again after a wait.',
    severity: 'warn',
    texts: [phrase(/too many requests/, 'requests'), phrase(/API rate limit reached/, 'reached')],
    when: (f) => typed(f, 'rate_limit_reached_error', [429]),
    fix: 'Wait and retry; run fewer agents or heartbeats in parallel; configure fallback models. Nothing in the config is wrong.',
    resetHelps: 'no',
    sources: ['kcli#907', 'oc#49811'],
    confirmed: false,
    unconfirmed:
      'kcli#907 (the "too many requests" text) was not found in the searchable corpus; oc#49811 confirms "FailoverError: ⚠️ API ' +
      'rate limit reached."',
    examples: [
      {
        form: 'probe',
        text: "429 {\"error\":{\"message\":\"We're receiving too many requests at the moment. Please wait and try again later.\",\"type\":\"rate_limit_reached_error\"}}",
        source: 'kcli#907',
      },
    ],
  },
  {
    id: 'overloaded',
    row: 7,
    title: 'The engine is overloaded',
    summary:
      'The service is out of capacity (429 rate_limit_error on the anthropic route, engine_overloaded_error on the openai ' +
      'route). A refused client on the Anthropic route gets this constant 429 too: check the User-Agent if it never goes away.',
    severity: 'warn',
    texts: [phrase(/engine is currently overloaded/, 'overloaded')],
    when: (f) => typed(f, 'engine_overloaded_error', [429, 529]),
    explain: overloaded,
    resetHelps: 'no',
    sources: ['kcli#1695', 'kcli#2209', 'opencode#27902'],
    confirmed: true,
    unconfirmed: 'the UA dependence (kcli#2209, opencode#27902) was not checked; kcli#1695 confirms the 429 through OpenClaw',
    examples: [
      {
        form: 'probe',
        text: '429 {"error":{"type":"rate_limit_error","message":"The engine is currently overloaded, please try again later"},"type":"error"}',
        source: 'kcli#1695',
      },
    ],
  },
  {
    id: 'developer-role',
    row: 16,
    title: 'The system prompt is sent with role "developer", which Kimi rejects',
    summary:
      'The product sends the system prompt as role "developer" (reasoning models, compat missing) and shows the 400 as ' +
      '"Message ordering conflict"; /new and /reset do not help. Seen on clawdbot 2026.1.24-3 (moonshot/kimi-k2.5) and ' +
      '2026.2.3-1 (kimi-coding/k2p5), with "Unhandled API in mapOptionsForApi: undefined" in the log.',
    severity: 'error',
    texts: ROLE_PHRASES,
    explain: developerRole,
    resetHelps: 'no',
    sources: ['oc#4264', 'oc#12680', 'test/fixtures/clawdbot-2026.1.24-3'],
    confirmed: true,
    examples: [
      { form: 'transcript', text: "400 Invalid request: role 'developer' is not allowed", source: 'test/fixtures/clawdbot-2026.1.24-3' },
      { form: 'rewrite', text: 'Message ordering conflict - please try again. If this persists, use /new to start a fresh session.', source: 'test/fixtures/openclaw-2026.9.6' },
      { form: 'log', text: 'Unhandled API in mapOptionsForApi: undefined', source: 'oc#12680' },
    ],
  },
  {
    id: 'reasoning-content-missing',
    title: 'A replayed tool-call turn lost its reasoning_content',
    summary:
      'With thinking on, Kimi requires every earlier assistant tool-call turn to carry its reasoning_content; the product (or a ' +
      'context-engine plugin) dropped it. See the version causes reasoning-replay-openai / -anthropic / context-engine-reasoning.',
    severity: 'error',
    texts: [phrase(/reasoning_content is missing/, 'reasoning_content')],
    explain: (f) => ({
      severity: 'error',
      title: 'A replayed tool-call turn lost its reasoning_content',
      detail:
        `${said(f)}with thinking on, Kimi requires every earlier assistant tool-call turn to carry its ` +
        'reasoning_content. The product dropped it (typically after a model switch, a compaction or a context-engine plugin).',
      fix:
        'Update the product to its latest release. Until then turn thinking off for Kimi (/think off, or "params": ' +
        '{ "thinking": false } / "reasoning": false on the model), then start a fresh session with /new.',
    }),
    resetHelps: 'partly',
    sources: ['oc#82161', 'oc#70565', 'lossless-claw#488'],
    confirmed: true,
    examples: [
      {
        form: 'probe',
        text: '400 {"error":{"type":"invalid_request_error","message":"thinking is enabled but reasoning_content is missing in assistant tool call message at index 29"},"type":"error"}',
        source: 'oc#76073',
      },
    ],
  },
  {
    id: 'empty-content',
    title: 'A message with empty text was sent',
    summary: 'The conversation holds a turn with empty content (often an assistant turn that ended in an error).',
    severity: 'error',
    texts: [phrase(/text content is empty/, 'empty')],
    fix: 'Start a fresh session with /new, and update the product to its latest release.',
    resetHelps: 'yes',
    sources: ['kimi.md "Other responses"'],
    confirmed: true,
    examples: [{ form: 'probe', text: '400 {"error":{"message":"text content is empty","type":"invalid_request_error"}}', source: 'kimi.md' }],
  },
];

/** Generic answers: checked after every specific text, so a 404 with a model text is model-unknown. */
export const GENERIC_CAUSES: Cause[] = [
  {
    id: 'wrong-path',
    row: 22,
    title: 'The base URL points at a path the API does not have',
    summary:
      '404 "The requested resource was not found": https://api.kimi.com/v1 (no /coding), …/coding/ with an OpenAI client (no ' +
      '/v1), or a full …/chat/completions URL as the base. Around 2026.3.2 the kimi provider ignored a custom baseUrl (see baseurl-ignored).',
    severity: 'error',
    texts: [phrase(/requested resource was not found/, 'requested')],
    when: (f) => f.status === 404 || typed(f, 'resource_not_found_error', [404]),
    explain: (f) => ({
      severity: 'error',
      title: 'The base URL points at a path the API does not have',
      detail:
        `${said(f)}usual mistakes are https://api.kimi.com/v1 (no /coding), https://api.kimi.com/coding/ ` +
        'with an OpenAI client (no /v1), or a full …/chat/completions URL as the base.',
      fix:
        `In models.providers.${f.providerId}, use one of the two pairs:\n` +
        '  "baseUrl": "https://api.kimi.com/coding/v1", "api": "openai-completions"\n' +
        '  "baseUrl": "https://api.kimi.com/coding/", "api": "anthropic-messages"   (the client appends /v1/messages)',
    }),
    resetHelps: 'no',
    sources: ['oc#36353', 'oc#36647'],
    confirmed: true,
    examples: [{ form: 'probe', text: '404 {"error":{"message":"The requested resource was not found","type":"resource_not_found_error"}}', source: 'kimi.md' }],
  },
  {
    id: 'server-error',
    title: 'The API had an internal error',
    summary: "A failure on the vendor's side (5xx).",
    severity: 'warn',
    texts: [phrase(/server had an error/, 'server')],
    when: (f) => (f.status !== undefined && f.status >= 500) || typed(f, 'server_error', [500]),
    fix: 'Retry later. Nothing in the config is wrong; if it lasts for hours, ask Kimi support.',
    resetHelps: 'no',
    sources: ['kimi.md "Other responses"'],
    confirmed: true,
    examples: [{ form: 'probe', text: '500 {"error":{"message":"The server had an error while processing your request","type":"server_error"}}', source: 'kimi.md' }],
  },
];

