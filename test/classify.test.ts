// The error table, one line per situation, with the exact texts from kimi.md and from the real V1
// transcript in test/fixtures (errorMessage fields).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  classifyErrorText,
  classifyProviderError,
  parseErrorText,
  KIMI_DOCS_URL,
  type ErrorCause,
  type ProviderErrorInput,
} from '../src/facts/classify.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/clawdbot-2026.1.24-3');
const TRANSCRIPT = path.join(FIXTURES, 'state/agents/main/sessions/7026c59e-0c59-404a-a2e7-99e7ef88bf4d.jsonl');

const GATE_MSG =
  'Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.';
const OVERLOADED_ANTHROPIC =
  '{"error":{"type":"rate_limit_error","message":"The engine is currently overloaded, please try again later"},"type":"error"}';
const NGINX_504 =
  '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** Texts as they reach a transcript or a log: classified through parseErrorText. */
const TEXT_CASES: Array<[string, string, ErrorCause]> = [
  ['transcript 403 gate', `403 ${GATE_MSG}`, 'client-gate'],
  ['gate body, OpenAI shape', `403 {"error":{"message":"${GATE_MSG}","type":"access_terminated_error"}}`, 'client-gate'],
  ['gate body, other field order', `{"error":{"type":"access_terminated_error","message":"${GATE_MSG}"}}`, 'client-gate'],
  ['gate, HTTP prefix', `HTTP 403 access_terminated_error: ${GATE_MSG}`, 'client-gate'],
  ['gate, python SDK dict', `Error code: 403 - {'error': {'message': '${GATE_MSG}', 'type': 'access_terminated_error'}}`, 'client-gate'],
  ['gate, embedded in a log line', `LLM request failed: 403 {"error":{"message":"${GATE_MSG}","type":"access_terminated_error"}}`, 'client-gate'],
  ['weekly quota', "HTTP 403 access_terminated_error: You've reached your weekly (7-day) usage limit. …", 'quota-weekly'],
  [
    'weekly quota, JSON body',
    `403 {"error":{"message":"You've reached your weekly (7-day) usage limit. …","type":"access_terminated_error"}}`,
    'quota-weekly',
  ],
  [
    'billing quota, Anthropic shape',
    `403 {"type":"error","error":{"type":"permission_error","message":"You've reached your usage limit for this billing cycle. …"}}`,
    'quota-billing',
  ],
  [
    'suspended',
    '403 {"error":{"type":"permission_error","message":"Access terminated. Review our Community Guidelines…"}}',
    'suspended',
  ],
  [
    'invalid key',
    '401 {"error":{"message":"The API Key appears to be invalid or may have expired. Please verify your credentials and try again.","type":"invalid_authentication_error"}}',
    'key-invalid',
  ],
  ['kimi key on moonshot', '401 {"error":{"message":"Invalid Authentication","type":"invalid_authentication_error"}}', 'kimi-key-on-moonshot'],
  ['unknown model (401, not 404)', '401 {"error":{"message":"Your model id does not exist…","type":"authentication_error"}}', 'model-unknown'],
  ['moonshot unknown model', 'Error code: 404 - {"error":{"message":"Not found the model kimi-k9 or Permission denied","type":"resource_not_found_error"}}', 'model-unknown'],
  ['402', '402 Payment Required', 'membership-expired'],
  ['404', '404 {"error":{"message":"The requested resource was not found","type":"resource_not_found_error"}}', 'wrong-path'],
  ['404 SDK text without body', '404 status code (no body)', 'wrong-path'],
  [
    'rate limit',
    "429 {\"error\":{\"message\":\"We're receiving too many requests at the moment. …\",\"type\":\"rate_limit_reached_error\"}}",
    'rate-limit',
  ],
  [
    'engine overloaded',
    '429 {"error":{"message":"The engine is currently overloaded, please try again later","type":"engine_overloaded_error"}}',
    'overloaded',
  ],
  ['transcript developer role', "400 Invalid request: role 'developer' is not allowed", 'developer-role'],
  ['developer role, bare', "role 'developer' is not allowed", 'developer-role'],
  ['moonshot role', '400 {"error":{"message":"unsupported role ROLE_UNSPECIFIED","type":"invalid_request_error"}}', 'developer-role'],
  ['product rewrite', 'Message ordering conflict - please try again. If this persists, use /new to start a fresh session.', 'developer-role'],
  ['product rewrite, reset variant', "⚠️ Message ordering conflict. I've reset the conversation - please try again.", 'developer-role'],
  [
    'reasoning_content missing',
    '400 {"error":{"message":"thinking is enabled but reasoning_content is missing in assistant tool call message at index 3","type":"invalid_request_error"}}',
    'reasoning-content-missing',
  ],
  ['empty text', '400 {"error":{"message":"text content is empty","type":"invalid_request_error"}}', 'empty-content'],
  [
    'tool_choice with thinking',
    "400 {\"error\":{\"message\":\"tool_choice 'required' is incompatible with thinking enabled\",\"type\":\"invalid_request_error\"}}",
    'tool-choice-thinking',
  ],
  [
    'temperature',
    '400 {"error":{"message":"invalid temperature: only 1 is allowed for this model","type":"invalid_request_error"}}',
    'temperature',
  ],
  ['500', '500 {"error":{"message":"The server had an error while processing your request","type":"server_error"}}', 'server-error'],
  ['nginx 504 page', NGINX_504, 'html-page'],
  ['nginx 504 page with status prefix', `504 ${NGINX_504}`, 'html-page'],
  ['SDK class name prefix', `PermissionDeniedError: 403 ${GATE_MSG}`, 'client-gate'],
  ['Error: prefix', "Error: 400 Invalid request: role 'developer' is not allowed", 'developer-role'],
  ['something new', "418 I'm a teapot", 'unknown'],
];

describe('classifyErrorText: every row of the table', () => {
  it.each(TEXT_CASES)('%s', (_label, text, cause) => {
    expect(classifyErrorText(text).cause).toBe(cause);
  });
});

/** Structured inputs, as the probe passes them. */
const INPUT_CASES: Array<[string, ProviderErrorInput, ErrorCause]> = [
  ['403 gate', { status: 403, type: 'access_terminated_error', message: GATE_MSG }, 'client-gate'],
  // The type alone proves nothing: the same type carries quota messages too.
  ['403 type alone', { status: 403, type: 'access_terminated_error' }, 'unknown'],
  ['403 permission_error alone', { status: 403, type: 'permission_error' }, 'unknown'],
  [
    'anthropic 429 overloaded, refused UA → gate',
    { status: 429, api: 'anthropic-messages', userAgent: 'Anthropic/JS 0.x', raw: OVERLOADED_ANTHROPIC },
    'client-gate',
  ],
  [
    'anthropic 429 overloaded, approved UA → overloaded',
    { status: 429, api: 'anthropic-messages', userAgent: 'claude-code/0.1.0', raw: OVERLOADED_ANTHROPIC },
    'overloaded',
  ],
  ['anthropic 429 overloaded, UA unknown → overloaded', { status: 429, api: 'anthropic-messages', raw: OVERLOADED_ANTHROPIC }, 'overloaded'],
  ['lowercase kimi-cli is refused too', { status: 429, api: 'anthropic-messages', userAgent: 'kimi-cli/1.0', raw: OVERLOADED_ANTHROPIC }, 'client-gate'],
  ['402 by status', { status: 402 }, 'membership-expired'],
  ['404 by status', { status: 404 }, 'wrong-path'],
  ['502 by status', { status: 502, message: 'Bad Gateway' }, 'server-error'],
  ['rate limit by type + status', { status: 429, type: 'rate_limit_reached_error' }, 'rate-limit'],
  ['html body', { status: 504, raw: NGINX_504 }, 'html-page'],
  ['html 200 (a website as base URL)', { status: 200, raw: '<!DOCTYPE html><html><head><title>Kimi</title></head></html>' }, 'html-page'],
];

describe('classifyProviderError: structured input', () => {
  it.each(INPUT_CASES)('%s', (_label, input, cause) => {
    expect(classifyProviderError(input).cause).toBe(cause);
  });
});

describe('the real V1 transcript', () => {
  const lines = fs.readFileSync(TRANSCRIPT, 'utf8').split('\n').filter(Boolean);
  const errors = lines
    .map((l) => JSON.parse(l) as { message?: { errorMessage?: string } })
    .map((e) => e.message?.errorMessage)
    .filter((m): m is string => typeof m === 'string');

  it('classifies every errorMessage it holds', () => {
    expect(errors.map((e) => classifyErrorText(e).cause)).toEqual(['client-gate', 'developer-role']);
  });
});

describe('fix texts are concrete', () => {
  it('client gate: the header snippet, what it does, and the vendor rule', () => {
    const c = classifyErrorText(`403 ${GATE_MSG}`, { providerId: 'kimi-code', modelId: 'kimi-for-coding', userAgent: 'OpenAI/JS 4.x' });
    expect(c.severity).toBe('error');
    expect(c.fix).toContain('"headers": { "User-Agent": "KimiCLI/0.77" }');
    expect(c.fix).toContain('models.providers.kimi-code.models[]');
    expect(c.fix).toContain("vendor's docs");
    expect(c.fix).toContain(KIMI_DOCS_URL);
    expect(c.fix).toMatch(/forbid falsifying/);
    expect(c.detail).toContain('OpenAI/JS 4.x');
  });

  it('client gate on the Anthropic route suggests the V3 built-in value', () => {
    const c = classifyProviderError({ status: 403, message: GATE_MSG, api: 'anthropic-messages', providerId: 'kimi' });
    expect(c.fix).toContain('"User-Agent": "claude-code/0.1.0"');
    expect(c.fix).toContain('models.providers.kimi.models[]');
  });

  it('quota: waiting is the fix, another key or header is not', () => {
    for (const text of [
      "HTTP 403 access_terminated_error: You've reached your weekly (7-day) usage limit. …",
      "403 You've reached your usage limit for this billing cycle. …",
    ]) {
      const c = classifyErrorText(text);
      expect(c.fix).toMatch(/Wait/);
      expect(c.fix).toMatch(/will not help/);
      expect(c.fix).not.toContain('User-Agent":');
    }
  });

  it('developer role: the compat snippet, and the hidden cause behind the rewrite', () => {
    const c = classifyErrorText('Message ordering conflict - please try again. If this persists, use /new to start a fresh session.', {
      providerId: 'my-kimi',
    });
    expect(c.fix).toContain('"compat": { "supportsDeveloperRole": false }');
    expect(c.fix).toContain('models.providers.my-kimi.models[]');
    expect(c.detail).toContain("role 'developer' is not allowed");
    expect(c.detail).toMatch(/\/new .*does not help/);
  });

  it('every cause has a title, detail and fix', () => {
    for (const [, text] of TEXT_CASES) {
      const c = classifyErrorText(text);
      expect(c.title.length, text).toBeGreaterThan(5);
      expect(c.detail.length, text).toBeGreaterThan(5);
      expect(c.fix.length, text).toBeGreaterThan(5);
    }
  });
});

describe('parseErrorText: the shapes errors arrive in', () => {
  const cases: Array<[string, string, ReturnType<typeof parseErrorText>]> = [
    ['status + message', `403 ${GATE_MSG}`, { status: 403, message: GATE_MSG }],
    ['HTTP status type: message', `HTTP 403 access_terminated_error: ${GATE_MSG}`, { status: 403, type: 'access_terminated_error', message: GATE_MSG }],
    [
      'Error code: N - json',
      `Error code: 403 - {"error":{"message":"${GATE_MSG}","type":"access_terminated_error"}}`,
      { status: 403, type: 'access_terminated_error', message: GATE_MSG },
    ],
    [
      'Error code: N - python dict',
      `Error code: 403 - {'error': {'message': "You've reached your weekly (7-day) usage limit.", 'type': 'access_terminated_error'}}`,
      { status: 403, type: 'access_terminated_error', message: "You've reached your weekly (7-day) usage limit." },
    ],
    ['OpenAI JSON', '{"error":{"message":"m","type":"t_error","code":null}}', { type: 't_error', message: 'm' }],
    ['Anthropic JSON, type first', '{"type":"error","error":{"type":"permission_error","message":"m"}}', { type: 'permission_error', message: 'm' }],
    ['Anthropic JSON, type last', OVERLOADED_ANTHROPIC, { type: 'rate_limit_error', message: 'The engine is currently overloaded, please try again later' }],
    ['Anthropic JSON, type missing', '{"error":{"type":"permission_error","message":"m"}}', { type: 'permission_error', message: 'm' }],
    ['status + Anthropic JSON', '429 {"error":{"type":"rate_limit_error","message":"m"},"type":"error"}', { status: 429, type: 'rate_limit_error', message: 'm' }],
    ['HTML page', NGINX_504, { status: 504, message: '504 Gateway Time-out' }],
    ['plain text', 'Message ordering conflict - please try again.', { message: 'Message ordering conflict - please try again.' }],
    ['bare 402', '402 Payment Required', { status: 402, message: 'Payment Required' }],
    ['empty', '   ', {}],
  ];
  it.each(cases)('%s', (_label, text, expected) => {
    expect(parseErrorText(text)).toEqual(expected);
  });

  it('does not take a number in a sentence for a status', () => {
    expect(parseErrorText('What is 47 * 83? 3901')).toEqual({ message: 'What is 47 * 83? 3901' });
  });
});
