// Failures of particular product versions (shared/reference/known-failures.md, from the product's threads).
// Most show up as a vendor answer another entry already names (`shownAs`): the version check then names
// the version cause. Versions are the product's date versions; where only a merge date is known, it stands
// in as the fixed version (the next release after it), and `fixNote` says so.
import { phrase, said } from './format.js';
import type { Cause, SetupFacts } from './types.js';

const thinkingOn = (s: SetupFacts): boolean => !!s.thinkingDefault && s.thinkingDefault !== 'off';
const some = (s: SetupFacts, p: (m: SetupFacts['models'][number]) => boolean): boolean => s.models.some(p);
const MERGE_GUESS = 'merge date of the fix; the first release after it is a guess';

export const PRODUCT_SYMPTOMS: Cause[] = [
  {
    id: 'stuck-cooldown',
    row: 6,
    title: 'The provider is held in a cooldown the product does not clear',
    summary:
      'After quota, billing or auth errors the product parks the auth profile in a cooldown (usageStats cooldownUntil / ' +
      'disabledUntil / blockedUntil) and persists it: a gateway restart reloads it, so every request is skipped while ' +
      'the provider itself is healthy again.',
    severity: 'error',
    // No text of its own: a cooldown line names it only when nothing explains the cooldown (profile-cooldown and
    // src/facts/cooldown-evidence.ts decide; the 2026.9.6 fixtures show the normal cooldown after a 401/403).
    versions: [{ from: '2026.2.19', lastSeen: '2026.9.6' }],
    conditions: 'after a quota, billing or auth error; the cooldown state is kept in the auth store',
    fix:
      'claw-doctor --fix clears it where auth.cooldown offers the repair (2026.9 store). By hand: clear the cooldown ' +
      'fields of the Kimi profile, then restart the gateway: in agents/main/agent/auth-profiles.json ' +
      '(or auth-state.json) delete usageStats["<profile>"].cooldownUntil, disabledUntil and blockedUntil; on 2026.9 the ' +
      'state is the authProfiles.state row of state/openclaw.sqlite (table config_machine_state). Back the file up first. Fix the error that caused it ' +
      'first (a weekly quota comes back by itself).',
    resetHelps: 'no',
    sources: ['oc#21574', 'oc#23516', 'oc#64905', 'oc#92444', 'oc#107671', 'test/fixtures/openclaw-2026.9.6'],
    confirmed: false,
    unconfirmed:
      'oc#21574 was not found; the log texts "is in cooldown (suspending lanes)" / "(all profiles unavailable)" were not seen in a ' +
      'thread. The persisted cooldown that outlives restarts is confirmed by oc#23516 (2026.2.19), oc#64905 and oc#92444 (2026.6.5), and the 2026.9.6 fixture keeps it in the SQLite store.',
    examples: [],
  },
  {
    id: 'profile-cooldown',
    title: 'The product skipped the Kimi profile while its cooldown ran',
    summary:
      'After a provider error (a rejected key, the client gate, a quota) the product puts the auth profile in a cooldown and ' +
      'skips it until the cooldown ends ("Auth profile … is temporarily unavailable"). That is the normal consequence of the ' +
      'error: fix the error, the cooldown ends by itself. Only a cooldown that outlives its cause is a fault (stuck-cooldown).',
    severity: 'warn',
    texts: [
      phrase(/is in cooldown/, 'cooldown'),
      phrase(/all profiles unavailable/, 'available'),
      phrase(/all in cooldown or unavailable/, 'cooldown'),
      // 2026.9: what a request in the cooldown fails with (test/fixtures/openclaw-2026.9.6/badkey/log, 30 s after the 401).
      phrase(/Auth profile .{1,80} is temporarily unavailable/, 'temporarily'),
    ],
    // The errors that start a cooldown (2026.9.6 fixtures: reason "auth" after 401/403). When the log holds one of them
    // before the cooldown line, that error is the cause and this is how the product reacted to it.
    standsFor: ['key-invalid', 'kimi-key-on-moonshot', 'client-gate', 'quota-weekly', 'quota-billing', 'suspended', 'membership-expired', 'rate-limit', 'overloaded', 'auth-rewritten'],
    fix: 'Fix the error that started the cooldown (the other findings name it); the cooldown then ends by itself (auth.cooldown shows when).',
    resetHelps: 'no',
    sources: ['test/fixtures/openclaw-2026.9.6', 'oc#23516'],
    confirmed: true,
    examples: [
      { form: 'log', text: 'Provider kimi is in cooldown (suspending lanes)', source: 'known-failures.md row 6' },
      { form: 'log', text: 'No available auth profile for google-antigravity (all in cooldown or unavailable)', source: 'oc#10375' },
      {
        form: 'log',
        text: 'lane task error: lane=main durationMs=1535 error="Auth profile "kimi:default" is temporarily unavailable for kimi/kimi-for-coding."',
        source: 'test/fixtures/openclaw-2026.9.6/badkey',
      },
    ],
  },
  {
    id: 'fallback-answered',
    title: 'A fallback model answered because the Kimi model failed',
    summary:
      'The user sees another model answer; the product switched because the selected Kimi model failed. What really failed ' +
      'is in the same run\'s error (log `embedded run agent end … isError=true … rawError=…`, trajectory `model.fallback_step`).',
    severity: 'warn',
    texts: [phrase(/↪️ Fallback:/, 'Fallback:'), phrase(/selected model unavailable/, 'unavailable'), phrase(/model\.fallback_step/, 'model.fallback_step')],
    fix:
      'Look at the error of the failed Kimi run (the other findings name it) and fix that; the fallback only hides it. ' +
      'claw-doctor --report shows both.',
    resetHelps: 'no',
    sources: ['oc#74310', 'lossless-claw#488'],
    confirmed: true,
    examples: [
      { form: 'rewrite', text: '↪️ Fallback: kimi-coding/k2p5 (selected model unavailable)', source: 'oc#74310' },
      { form: 'trajectory', text: '{"type":"model.fallback_step","from":"kimi/kimi-for-coding","to":"openai-codex/gpt-5.4","reason":"error"}', source: 'known-failures.md "Where the current product writes things"' },
    ],
  },
];

/** The product's rewrite of any 401/403: checked after every vendor text, so the raw answer wins when present. */
export const AUTH_REWRITE: Cause = {
  id: 'auth-rewritten',
  title: 'The product reported "authentication failed": the key, the client gate or the weekly quota',
  summary:
    'The product shows a bad key (401), the client gate (403) and, before oc#142656, the weekly quota (403) with the same ' +
    '"authentication failed … Re-authenticate the provider" text and marks the provider as having an auth issue. ' +
    'Re-authenticating does not help the gate or the quota: the raw answer decides.',
  severity: 'error',
  texts: [phrase(/authentication failed, HTTP \d{3}\)?\.? Re-authenticate/, 'Re-authenticate'), phrase(/has auth issue \(skipping all models\)/, 'skipping')],
  standsFor: ['key-invalid', 'kimi-key-on-moonshot', 'client-gate', 'quota-weekly', 'quota-billing', 'suspended', 'model-unknown'],
  explain: (f) => ({
    severity: 'error',
    title: 'The product reported "authentication failed" for Kimi: the raw answer says which failure it is',
    detail:
      `${said(f)}this text stands for a rejected key (401), the client gate (403) or, before the product's fix oc#142656, ` +
      'a used-up weekly quota (403). The log or the transcript keeps the raw answer (rawErrorPreview, errorMessage); ' +
      "claw-doctor's live probe asks the endpoint directly.",
    fix:
      'Run claw-doctor without --offline (the probe tells the three apart), or look at the transcript\'s errorMessage. Weekly ' +
      'quota: wait for the 7-day window or add a non-Kimi fallback, a new key does not help. Gate: the User-Agent header. Key: a new key.',
  }),
  resetHelps: 'no',
  sources: ['oc#142524', 'oc#142656', 'test/fixtures/openclaw-2026.9.6'],
  confirmed: true,
  examples: [
    {
      form: 'rewrite',
      text: '⚠️ kimi/kimi-for-coding request failed (authentication failed, HTTP 403). Re-authenticate the provider and try again.',
      source: 'test/fixtures/openclaw-2026.9.6/gate-no-ua',
    },
    { form: 'log', text: 'Provider kimi-code has auth issue (skipping all models) (auth)', source: 'oc#142524' },
  ],
};

export const VERSION_CAUSES: Cause[] = [
  {
    id: 'gate-images',
    row: 2,
    title: 'The gate refuses requests with an image attached (2026.4.27)',
    summary: 'In 2026.4.27 the client gate\'s 403 came back only when an image was attached; that request went out with User-Agent openclaw/2026.4.27.',
    severity: 'error',
    shownAs: ['client-gate'],
    versions: [{ from: '2026.4.27', lastSeen: '2026.4.27' }],
    appliesTo: (s) => some(s, (m) => m.providerId === 'kimi'),
    conditions: 'the kimi provider, a message with an image',
    fix: 'Upgrade the product. The proposed fix (oc#76002, an approved User-Agent on image requests) was closed unmerged.',
    resetHelps: 'no',
    sources: ['oc#75959', 'oc#76002'],
    confirmed: false,
    unconfirmed:
      'oc#75959 (a feature request) shows the 403 with User-Agent openclaw/2026.4.27 when an image is attached; that text ' +
      'requests pass is the catalog\'s reading; the fix is unconfirmed (oc#76002 closed unmerged)',
    examples: [
      {
        form: 'probe',
        text: 'HTTP 403 Forbidden {"error":{"message":"Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.","type":"access_terminated_error"}}',
        source: 'oc#75959',
      },
    ],
  },
  {
    id: 'quota-shown-as-auth',
    row: 5,
    title: 'This version shows a used-up weekly quota as "authentication failed"',
    summary:
      'Until oc#142656 the product classified Kimi\'s 403 weekly-limit answer as an auth failure: the chat says "authentication ' +
      'failed … Re-authenticate the provider", the log "Provider kimi-code has auth issue (skipping all models)", and a new key ' +
      'does not help. Every request fails until the 7-day window ends.',
    severity: 'error',
    shownAs: ['auth-rewritten', 'quota-weekly'],
    versions: [{ from: '2026.1.29', fixedIn: '2026.9.6', fixNote: 'oc#142656 merged 2026-09; 2026.9.6 shows the raw weekly-limit message (test/fixtures/openclaw-2026.9.6); an earlier 2026.9 release may have it' }],
    conditions: 'the weekly quota used up',
    fix: 'Wait for the 7-day window (the Kimi Code console shows when), buy extra usage, or add a non-Kimi fallback model; upgrade so the product says what happened.',
    resetHelps: 'no',
    sources: ['oc#142524', 'oc#142656'],
    confirmed: true,
    unconfirmed: 'the first affected version is not stated in the threads (2026.1.29, the first openclaw, is assumed)',
    examples: [
      { form: 'rewrite', text: '⚠️ kimi/kimi-for-coding request failed (authentication failed, HTTP 403). Re-authenticate the provider and try again.', source: 'oc#142524' },
      { form: 'log', text: 'Provider kimi-code has auth issue (skipping all models) (auth)', source: 'oc#142524' },
    ],
  },
  {
    id: 'failover-rate-limit',
    row: 8,
    title: 'A rate limit does not fail over to the fallback models (2026.3.8)',
    summary: 'In 2026.3.8 "FailoverError: ⚠️ API rate limit reached." did not fail over to the configured fallbacks until the 600 s timeout.',
    severity: 'error',
    shownAs: ['rate-limit'],
    versions: [{ from: '2026.3.8', fixedIn: '2026.4.1', fixNote: 'a maintainer: the 429 failover escalation shipped in v2026.4.1 (oc#58458)' }],
    appliesTo: (s) => s.fallbacks.length > 0,
    conditions: 'fallback models configured, bursts of requests',
    fix: 'Upgrade the product; until then back off (fewer parallel agents/heartbeats).',
    resetHelps: 'no',
    sources: ['oc#49811', 'oc#58458', 'kcli#907'],
    confirmed: true,
    unconfirmed: 'the primary model in oc#49811 was not Kimi; kcli#907 was not found',
    examples: [{ form: 'log', text: 'lane task error: "FailoverError: ⚠️ API rate limit reached."', source: 'oc#49811' }],
  },
  {
    id: 'reasoning-replay-openai',
    row: 9,
    title: 'Thinking + tool calls fail on the openai route: reasoning_content is not replayed',
    summary:
      'With thinking on, the product replayed assistant tool-call turns without reasoning_content and Kimi answered 400 "thinking ' +
      'is enabled but reasoning_content is missing in assistant tool call message at index N" (2026.5.12; again in 2026.6.1 for a ' +
      'custom provider id such as moonshot-code).',
    severity: 'error',
    shownAs: ['reasoning-content-missing'],
    versions: [
      { from: '2026.5.12', fixedIn: '2026.5.16', fixNote: `oc#82550, ${MERGE_GUESS}` },
      { from: '2026.6.1', lastSeen: '2026.6.1' },
    ],
    appliesTo: (s) => thinkingOn(s) && some(s, (m) => m.api === 'openai-completions' && m.reasoning),
    conditions: 'api openai-completions, "reasoning": true, thinking medium/high, tool calls in the history',
    fix:
      'Upgrade the product. Until then: on the model "reasoning": false and "compat": { "supportsReasoningEffort": false }, ' +
      'and "params": { "thinking": false } on the agent model.',
    resetHelps: 'partly',
    sources: ['oc#82161', 'oc#82550', 'oc#91558'],
    confirmed: true,
    unconfirmed: 'that the fix only covers provider ids kimi/kimi-code/kimi-coding is the catalog\'s guess',
    examples: [
      { form: 'log', text: '400 thinking is enabled but reasoning_content is missing in assistant tool call message at index 69', source: 'oc#82161' },
      { form: 'transcript', text: '400 thinking is enabled but reasoning_content is missing in assistant tool call message at index 2', source: 'oc#91558' },
    ],
  },
  {
    id: 'reasoning-replay-anthropic',
    row: 10,
    title: 'Thinking + tool calls fail on the anthropic route: reasoning_content is not replayed',
    summary: 'kimi/kimi-for-coding on anthropic-messages with thinking on: the replayed tool_use turns lacked reasoning_content (2026.4.21; still in May 2026).',
    severity: 'error',
    shownAs: ['reasoning-content-missing'],
    versions: [{ from: '2026.4.21', lastSeen: '2026.5.2' }],
    appliesTo: (s) => thinkingOn(s) && some(s, (m) => m.api === 'anthropic-messages'),
    conditions: 'kimi/kimi-for-coding on anthropic-messages, thinking on',
    fix: '/think off, or on the agent model "params": { "thinking": { "type": "disabled" } }; upgrade the product.',
    resetHelps: 'unknown',
    sources: ['oc#70565', 'oc#76073'],
    confirmed: true,
    examples: [
      {
        form: 'log',
        text:
          'LLM request rejected: thinking is enabled but reasoning_content is missing in assistant tool call message at index 29 ' +
          'rawError=400 {"error":{"type":"invalid_request_error","message":"thinking is enabled but reasoning_content is missing in assistant tool call message at index 29"},"type":"error"}',
        source: 'oc#76073',
      },
    ],
  },
  {
    id: 'context-engine-reasoning',
    row: 11,
    title: 'The lossless-claw context engine drops reasoning_content, and the fallback model answers',
    summary:
      'With plugins.slots.contextEngine = "lossless-claw" (0.9.1) and thinking on, Kimi answers 400 "reasoning_content is missing … ' +
      'at index 3" and the fallback model answers instead: the user sees another model, not the failure.',
    severity: 'error',
    shownAs: ['reasoning-content-missing', 'fallback-answered'],
    versions: [{ from: '2026.4.21' }],
    appliesTo: (s) => thinkingOn(s) && s.contextEngine === 'lossless-claw',
    conditions: 'plugins.slots.contextEngine = "lossless-claw", thinking on (the fix is in the plugin, not the product)',
    fix: 'Set "plugins": { "slots": { "contextEngine": "memory-core" } }, or update lossless-claw to a release with its PR #1053 (2026-07-31).',
    resetHelps: 'unknown',
    sources: ['lossless-claw#488', 'oc#70996'],
    confirmed: true,
    examples: [
      { form: 'log', text: '400 invalid_request_error: "thinking is enabled but reasoning_content is missing in assistant tool call message at index 3"', source: 'lossless-claw#488' },
    ],
  },
  {
    id: 'tool-schema-format',
    row: 12,
    title: 'Kimi gets tools in a schema format it does not read',
    summary:
      'The kimi-coding provider forced OpenAI-style tool definitions on the anthropic route, so k2p5 wrote tool calls as plain ' +
      'text (`exec\\n{"command":"pwd"}`, `<tool>exec</tool>`, stopReason stop) and no tool ran (2026.3.7 and 2026.3.8; 2026.3.2 ' +
      'worked; fixed 2026.3.12); or the request failed with "missing \'type\' or \'anyOf\' key in parameter type"; regressed in ' +
      '2026.4.2 (fixed 2026.4.5).',
    severity: 'error',
    texts: [phrase(/missing 'type' or 'anyOf' key in parameter type/, 'anyOf')],
    versions: [
      { from: '2026.3.7', fixedIn: '2026.3.12' },
      { from: '2026.4.2', fixedIn: '2026.4.5' },
    ],
    appliesTo: (s) => some(s, (m) => m.api === 'anthropic-messages' && m.providerId === 'kimi-coding'),
    conditions: 'the kimi-coding provider on anthropic-messages (k2p5)',
    fix: 'Upgrade the product (2026.4.5 or later). A stale requiresOpenAiAnthropicToolPayload override is ignored by later versions.',
    resetHelps: 'no',
    sources: ['oc#41852', 'oc#41297', 'oc#43867', 'oc#60391', 'oc#43138'],
    confirmed: false,
    unconfirmed:
      'the plain-text tool calls in 2026.3.7/2026.3.8 are confirmed (oc#41852, oc#41297); the 400 text, the 2026.4.2 regression ' +
      'and the fixed releases were not found in the searchable corpus',
    examples: [{ form: 'probe', text: "400 {\"error\":{\"message\":\"missing 'type' or 'anyOf' key in parameter type\",\"type\":\"invalid_request_error\"}}", source: 'oc#43867' }],
  },
  {
    id: 'raw-tool-markers',
    row: 13,
    title: 'Kimi\'s raw tool-call markers reach the chat',
    summary:
      'The chat (even WhatsApp) shows `<|tool_calls_section_begin|> <|tool_call_begin|> exec:12 …` instead of running the tool: a ' +
      'regression in 2026.4.2 (oc#60465), fixed in 2026.4.5.',
    severity: 'error',
    texts: [phrase(/tool_calls_section_begin/, 'tool_calls_section_begin')],
    versions: [{ from: '2026.4.2', fixedIn: '2026.4.5' }],
    conditions: 'any Kimi model (k2p5)',
    fix: 'Upgrade the product (2026.4.5 or later).',
    resetHelps: 'no',
    sources: ['oc#60465', 'oc#62155', 'oc#43138'],
    confirmed: true,
    unconfirmed: 'the fixed release 2026.4.5 is the catalog\'s; oc#62155/oc#43138 were not found in the searchable corpus',
    examples: [{ form: 'rewrite', text: '<|tool_calls_section_begin|><|tool_call_begin|>functions.exec:0<|tool_call_argument_begin|>{"command":"pwd"}', source: 'oc#62155' }],
  },
  {
    id: 'tool-args-empty',
    row: 14,
    title: 'Tool calls arrive with empty arguments',
    summary:
      'Streamed tool arguments were lost, so tools ran with {} and failed validation ("Validation failed for tool "exec": … ' +
      'Received arguments: {}"): 2026.3.23 (fixed by oc#53830), again in 2026.3.28 with kimi-coding/k2p5 (the Kimi argument ' +
      'repair cleared complete arguments, oc#56916), and in 2026.5.12 (a split-chunks variant, thinking medium).',
    severity: 'error',
    texts: [phrase(/Received arguments:\s*\{\}/, 'arguments:')],
    versions: [
      { from: '2026.3.23', fixedIn: '2026.3.24', fixNote: `oc#53830, ${MERGE_GUESS}` },
      { from: '2026.3.28', lastSeen: '2026.3.28' },
      { from: '2026.5.12', lastSeen: '2026.5.12' },
    ],
    conditions: 'k2p5 / thinking on (other models are hit too)',
    fix: 'Upgrade the product; until then turn thinking off (/think off).',
    resetHelps: 'no',
    sources: ['oc#53735', 'oc#53830', 'oc#56916', 'oc#56944', 'oc#82872'],
    confirmed: true,
    unconfirmed: 'the fix oc#53830 and its release were not found in the searchable corpus',
    examples: [
      { form: 'transcript', text: 'Validation failed for tool "exec": command: must have required property \'command\' Received arguments: {}', source: 'oc#53735' },
      { form: 'rewrite', text: 'Validation failed for tool "exec":\ncommand: must have required properties command\nReceived arguments:\n{}', source: 'oc#82872' },
    ],
  },
  {
    id: 'tool-id-mangled',
    row: 15,
    title: 'Tool-call ids are rewritten and no longer match',
    summary:
      'After compaction ids became `functionsread3` ("Tool not found"); after switching from Kimi to Claude, Anthropic refused ' +
      'the Kimi-style ids ("tool_use.id: String should match pattern"). Native ids are kept since oc#70030 (2026-04-23).',
    severity: 'error',
    texts: [phrase(/tool_use\.id: String should match pattern/, 'tool_use.id:')],
    versions: [{ from: '2026.2.6', fixedIn: '2026.4.23', fixNote: `oc#70030, ${MERGE_GUESS}` }],
    conditions: 'compaction; sessions that mix providers',
    fix: 'Upgrade the product; for the provider-switch case start a fresh session (/new).',
    resetHelps: 'partly',
    sources: ['oc#34294', 'oc#12277', 'oc#70030'],
    confirmed: false,
    unconfirmed:
      'the mangled ids ("Tool not found" for functionsread3, 2026.3.2) are confirmed by oc#34294; the provider-switch text ' +
      '(oc#12277) and the fix oc#70030 were not found. "Tool not found" alone is too common a text to recognise',
    examples: [{ form: 'transcript', text: "400 messages.3.content.0.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'", source: 'oc#12277' }],
  },
  {
    id: 'sse-event-order',
    row: 17,
    title: 'The stream arrives out of order (duplicate message_start)',
    summary: 'On the anthropic route the stream held a second message_start; the product gave up ("worked in 2026.3.1"; seen in 2026.3.11 and 2026.3.28).',
    severity: 'error',
    texts: [phrase(/Unexpected event order, got message_start/, 'message_start')],
    versions: [{ from: '2026.3.11', lastSeen: '2026.3.28' }],
    appliesTo: (s) => some(s, (m) => m.api === 'anthropic-messages'),
    conditions: 'anthropic-messages, isolated cron sessions',
    fix: 'No fix confirmed; try the openai route (https://api.kimi.com/coding/v1 with "api": "openai-completions") or upgrade.',
    resetHelps: 'no',
    sources: ['oc#44482', 'oc#58358'],
    confirmed: true,
    examples: [{ form: 'log', text: 'Unexpected event order, got message_start before receiving "message_stop"', source: 'oc#44482' }],
  },
  {
    id: 'thinking-hang',
    row: 18,
    title: 'With thinking high on the anthropic route the reply never comes',
    summary: 'The model thought and then stalled: no reply, the model idle timeout fired and the session was left busy (a beta around 2026-05-10, fixed by oc#80481).',
    severity: 'warn',
    texts: [phrase(/LLM idle timeout/, 'LLM'), phrase(/produced no reply before the idle watchdog/, 'watchdog')],
    versions: [{ from: '2026.5.10', fixedIn: '2026.5.11', fixNote: `oc#80481, ${MERGE_GUESS}` }],
    appliesTo: (s) => s.thinkingDefault === 'high' && some(s, (m) => m.api === 'anthropic-messages'),
    conditions: 'anthropic route, thinking high',
    fix: '/think off, or upgrade the product.',
    resetHelps: 'unknown',
    sources: ['oc#80481', 'oc#80085', 'oc#91659', 'oc#128354'],
    confirmed: true,
    unconfirmed:
      'oc#80481 (merged 2026-05-11) confirms the hang after a beta upgrade; the beta\'s version is not named; the log texts come ' +
      'from oc#91659 and oc#128354 (other providers, the same watchdog)',
    examples: [
      { form: 'log', text: 'LLM idle timeout (120s): no response from model', source: 'oc#91659' },
      { form: 'log', text: 'produced no reply before the idle watchdog; retrying same model', source: 'oc#128354' },
    ],
  },
  {
    id: 'empty-reply',
    row: 19,
    title: 'Kimi\'s reply came back empty (prompt-cache markers)',
    summary:
      'On the anthropic route with prompt-cache markers Kimi answered stop_reason stop with content [] (cacheRead > 0); the ' +
      'product said "ended with an incomplete terminal response" (2026.5.2, fixed by oc#76741; k2p6 on 2026.4.26).',
    severity: 'error',
    texts: [phrase(/incomplete terminal response/, 'terminal'), phrase(/decision=candidate_failed.*reason=format/, 'decision=candidate_failed')],
    versions: [
      { from: '2026.4.26', fixedIn: '2026.5.3', fixNote: `oc#76741, ${MERGE_GUESS}` },
    ],
    appliesTo: (s) => some(s, (m) => m.api === 'anthropic-messages'),
    conditions: 'anthropic route with prompt-cache markers',
    fix: 'Upgrade the product.',
    resetHelps: 'no',
    sources: ['oc#76612', 'oc#76741', 'oc#74205', 'oc#76007'],
    confirmed: true,
    unconfirmed: 'the fix oc#76741 and its release were not found in the searchable corpus',
    examples: [
      { form: 'rewrite', text: 'kimi/kimi-for-coding ended with an incomplete terminal response', source: 'oc#76612' },
      {
        form: 'log',
        text: 'model fallback decision: decision=candidate_failed requested=kimi/k2p6 candidate=kimi/k2p6 reason=format next=none detail=kimi/k2p6 ended with an incomplete terminal response',
        source: 'oc#74205',
      },
    ],
  },
  {
    id: 'k3-think-off',
    row: 20,
    title: 'K3 keeps reasoning under /think off',
    summary: 'After K3 support landed, the product replaced a disabled-thinking request with K3 adaptive thinking at max effort (2026.7.2, fixed by oc#109335).',
    severity: 'warn',
    versions: [{ from: '2026.7.2', fixedIn: '2026.7.16', fixNote: `oc#109335, ${MERGE_GUESS}` }],
    appliesTo: (s) => some(s, (m) => /^k3/.test(m.modelId)),
    conditions: 'kimi/k3 (or k3[1m]) with thinking off',
    fix: 'Upgrade the product.',
    resetHelps: 'no',
    sources: ['oc#109334', 'oc#109335'],
    confirmed: true,
    examples: [],
  },
  {
    id: 'k3-1m-id',
    row: 21,
    title: 'The catalog offered kimi/k3[1m], which the API refuses',
    summary: '`k3[1m]` is a Claude Code env convention, not a wire id: Kimi answers 401 "Your model id does not exist … Please set model id as `k3`" (normalized by oc#113909, 2026-07-25).',
    severity: 'error',
    shownAs: ['model-unknown'],
    versions: [{ from: '2026.7.2', fixedIn: '2026.7.25', fixNote: `oc#113909, ${MERGE_GUESS}` }],
    appliesTo: (s) => some(s, (m) => m.modelId === 'k3[1m]'),
    conditions: 'a model id k3[1m]',
    fix: 'Use "kimi/k3" (the 1M context is an account entitlement on the same id), or upgrade.',
    resetHelps: 'no',
    sources: ['oc#111561', 'oc#113909', 'oc#113918'],
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
    id: 'legacy-alias-cold',
    row: 21,
    title: 'A legacy Kimi model id is unknown on cold paths',
    summary: 'Legacy ids (kimi-k2.5, k2p5) were not resolved on cold paths: "FailoverError: Unknown model: kimi/kimi-k2.5" (fixed by oc#146261, 2026-09-12).',
    severity: 'error',
    shownAs: ['model-unknown'],
    versions: [{ from: '2026.7.25', fixedIn: '2026.9.12', fixNote: `oc#146261, ${MERGE_GUESS}` }],
    appliesTo: (s) => some(s, (m) => ['kimi-k2.5', 'k2p5', 'kimi-k2-thinking'].includes(m.modelId)),
    conditions: 'a legacy model id (kimi-k2.5, k2p5)',
    fix: 'Use a current id: kimi/kimi-for-coding, kimi/kimi-for-coding-highspeed or kimi/k3.',
    resetHelps: 'no',
    sources: ['oc#146261', 'oc#111587'],
    confirmed: false,
    unconfirmed: 'oc#146261 was not found in the searchable corpus; the first affected version is assumed',
    examples: [],
  },
  {
    id: 'baseurl-ignored',
    row: 22,
    title: 'The kimi-coding provider ignores a custom baseUrl',
    summary:
      'Around 2026.3.2 a custom baseUrl on the kimi-coding provider was ignored (the built-in default was used): requests went to ' +
      'api.kimi.com/v1/messages and got 404 (fixed by oc#36647, merged 2026-03-05).',
    severity: 'error',
    shownAs: ['wrong-path'],
    versions: [{ from: '2026.3.2', fixedIn: '2026.3.5', fixNote: `oc#36647, ${MERGE_GUESS}` }],
    appliesTo: (s) => some(s, (m) => m.providerId === 'kimi-coding' && m.customBaseUrl),
    conditions: 'a custom baseUrl on the kimi-coding provider (the catalog says "kimi"; oc#36353 shows kimi-coding)',
    fix: 'Upgrade the product; the routes are openai https://api.kimi.com/coding/v1 and anthropic https://api.kimi.com/coding/.',
    resetHelps: 'no',
    sources: ['oc#36353', 'oc#36647', 'oc#36381'],
    confirmed: true,
    unconfirmed: 'the first affected version (~2026.3.2) is not stated in the threads',
    examples: [
      { form: 'probe', text: '404 {"error":{"message":"The requested resource was not found","type":"resource_not_found_error"}}', source: 'oc#36353 (the 404 it got; the body is kimi.md\'s)' },
    ],
  },
  {
    id: 'provider-id-collision',
    row: 23,
    title: 'A custom provider named "kimi-coding" collides with the built-in one',
    summary: 'A custom provider under the key kimi-coding was shadowed; the chat showed "↪️ Fallback: kimi-coding/k2p5 (selected model unavailable)" (2026.4.26; open).',
    severity: 'error',
    shownAs: ['fallback-answered'],
    versions: [{ from: '2026.4.26' }],
    appliesTo: (s) => some(s, (m) => m.providerId === 'kimi-coding' && m.inConfig),
    conditions: 'a custom provider block under the key kimi-coding',
    fix: 'Rename the provider key (e.g. "my-kimi") and the agent\'s model ref with it.',
    resetHelps: 'no',
    sources: ['oc#74310'],
    confirmed: false,
    unconfirmed: 'renaming the key is the catalog\'s guess; the issue is open',
    examples: [
      { form: 'rewrite', text: '↪️ Fallback: kimi-coding/k2p5 (selected model unavailable)', source: 'oc#74310' },
    ],
  },
  {
    id: 'stale-proxy-url',
    row: 25,
    title: 'A leftover local proxy URL breaks TLS',
    summary:
      'A stale baseUrl such as http://127.0.0.1:18794 (a former local proxy) gave SSLV3_ALERT_BAD_RECORD_MAC; edits to config.json ' +
      'were ignored because the real file is openclaw.json (2026.5.7, Node 22.22.0).',
    severity: 'error',
    texts: [phrase(/SSLV3_ALERT_BAD_RECORD_MAC/, 'SSLV3_ALERT_BAD_RECORD_MAC')],
    versions: [{ from: '2026.5.7', lastSeen: '2026.5.7' }],
    appliesTo: (s) => some(s, (m) => /^http:\/\/(127\.|localhost)/.test(m.baseUrl ?? '')),
    conditions: 'a leftover loopback baseUrl',
    fix: 'Remove the stale baseUrl in ~/.openclaw/openclaw.json (not config.json), then restart the gateway.',
    resetHelps: 'no',
    sources: ['oc#79965'],
    confirmed: true,
    unconfirmed:
      'the thread blames Node 22.22.0\'s TLS with api.kimi.com for the TLS error and names the stale loopback baseUrl as a second ' +
      'problem; the quoted TLS text comes from the user\'s Python proxy, the Node text is assumed',
    examples: [
      { form: 'log', text: '[SSL: SSLV3_ALERT_BAD_RECORD_MAC] ssl/tls alert bad record mac (_ssl.c:2658)', source: 'oc#79965' },
      { form: 'log', text: 'Error: write EPROTO 40E7B8D1:error:0A000119:SSL routines:ssl3_get_record:SSLV3_ALERT_BAD_RECORD_MAC', source: 'assumed Node form' },
    ],
  },
];
