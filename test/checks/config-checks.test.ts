// The config-only checks, one table per check (test/support/check-tester.ts): one tiny fixture per
// situation, healthy and broken, built from the real product's fixture config by small text edits. Every
// repair a check offers is applied with --fix and the exact config text after it is the expected output.
import fs from 'node:fs';
import path from 'node:path';
import { V3_FIXTURES, fixtureConfig } from '../support/doctor.js';
import { checkTable } from '../support/check-tester.js';

const WORKING = fixtureConfig('config-working.json5');
const NO_UA = fixtureConfig('config-no-user-agent.json5');
const NO_COMPAT = fixtureConfig('config-no-compat.json5');
const withMeta = (text: string, version: string) => text.replace('{\n', `{\n  "meta": { "lastTouchedVersion": "${version}" },\n`);
/** A text edit that must apply: a fixture that changed under the test fails loudly instead of testing nothing. */
const replace = (from: string | RegExp, to: string) => (t: string) => {
  const out = t.replace(from, to);
  if (out === t) throw new Error(`fixture edit did not apply: ${String(from)}`);
  return out;
};
const LITERAL_KEY = '"apiKey": "sk-kimi-acceptance-0000000000000000000000000000"';
const keyRef = (ref: string) => replace(LITERAL_KEY, `"apiKey": "${ref}"`)(WORKING);
const KEY_INFO = { check: 'provider.api-key', severity: 'info', title: 'Key for "kimi-code" comes from env KIMICODE_API_KEY (from config env.vars)' } as const;
const USING = { check: 'config.location', severity: 'info', title: 'Using ~/.clawdbot/clawdbot.json' } as const;

const BASE = 'http://127.0.0.1:18998/coding/v1';
const withBase = (url: string) => replace(BASE, url)(WORKING);
const KIMI_BASE = replace(BASE, 'https://api.kimi.com/coding/v1')(WORKING);
const baseUrlRepair = { kind: 'config.set' as const, data: { path: ['models', 'providers', 'kimi-code', 'baseUrl'], value: 'https://api.kimi.com/coding/v1' } };

const TYPO = replace('"primary": "kimi-code/kimi-for-coding"', '"primary": "kimi-code/kimi-for-codin"')(WORKING);
const BARE = replace('"model": { "primary": "kimi-code/kimi-for-coding" }', '"model": "kimi-code/kimi-for-coding"')(WORKING);
const UNKNOWN_PROVIDER = replace('"primary": "kimi-code/kimi-for-coding"', '"primary": "kimi/kimi-for-coding"')(WORKING);
const NO_REASONING = replace('"reasoning": true,', '')(WORKING);
const COMPAT_LINE = '            "compat": { "supportsDeveloperRole": false },\n';
const UA_LINE = '            "headers": { "User-Agent": "KimiCLI/0.77" },\n';
/** The fixer adds a key as the object's last property, on its own line, in the object's style. */
const addAfter = (line: string, added: string) => replace(line, line + added);
/** Configs openclaw 2026.9.6 wrote itself (test/fixtures/openclaw-2026.9.6/README.md). */
const V3_CONFIG = (setup: string) => fs.readFileSync(path.join(V3_FIXTURES, setup, 'home/.openclaw/openclaw.json'), 'utf8');
const V3_FILE = '.openclaw/openclaw.json';
const UA_ON_PROVIDER = '"api": "openai-completions", "headers": { "User-Agent": "claude-code/1.0.0" },';

checkTable('config.location', {
  invalid: [
    { name: 'the guide config (fixture): names the file used', config: WORKING, findings: [USING] },
    {
      name: 'no config at all: says where it looked and how to point at one',
      findings: [{ severity: 'warn', title: 'No OpenClaw / Moltbot / Clawdbot config found', detail: /~\/\.openclaw\/\{openclaw,clawdbot,moldbot,moltbot\}\.json[\s\S]*~\/\.clawdbot\/\{/, fix: /--config[\s\S]*examples\// }],
    },
    { name: 'several state dirs', config: WORKING, setup: (h) => void fs.mkdirSync(path.join(h.home, '.openclaw')), findings: [USING, { severity: 'warn', title: 'Several state dirs exist' }] },
    {
      name: 'OPENCLAW_CONFIG_PATH is honoured and the file used is named',
      setup: (h) => ({ env: { OPENCLAW_CONFIG_PATH: h.write('elsewhere/my.json', WORKING) } }),
      findings: [{ severity: 'info', title: 'Using ~/elsewhere/my.json' }],
    },
    {
      name: '--config wins over the env var',
      setup: (h) => ({ options: { config: h.write('a/flag.json', WORKING) }, env: { CLAWDBOT_CONFIG_PATH: path.join(h.home, 'nope.json') } }),
      findings: [{ severity: 'info', title: 'Using ~/a/flag.json', detail: /Chosen by --config/ }],
    },
    { name: 'a profile selects ~/.clawdbot-NAME', files: { '.clawdbot-work/clawdbot.json': WORKING }, options: { profile: 'work' }, findings: [{ severity: 'info', title: 'Using ~/.clawdbot-work/clawdbot.json' }] },
    {
      name: 'OPENCLAW_HOME replaces ~ when looking for the config',
      files: { 'alt/.openclaw/openclaw.json': WORKING },
      setup: (h) => ({ env: { OPENCLAW_HOME: path.join(h.home, 'alt') } }),
      findings: [{ severity: 'info', title: 'Using ~/alt/.openclaw/openclaw.json' }],
    },
  ],
});

checkTable('config.parse', {
  valid: [
    { name: 'the guide config (fixture)', config: WORKING },
    {
      name: '$include relative paths are merged',
      config: '{ "$include": "./kimi.json5", agents: { defaults: { model: { primary: "kimi-code/kimi-for-coding" } } } }',
      files: { '.clawdbot/kimi.json5': '{ models: { providers: { "kimi-code": { baseUrl: "https://api.kimi.com/coding/v1", apiKey: "sk-kimi-included000000000000000000000000", api: "openai-completions", models: [{ id: "kimi-for-coding", name: "K", reasoning: true, headers: { "User-Agent": "KimiCLI/0.77" }, compat: { supportsDeveloperRole: false } }] } } } }' },
    },
  ],
  invalid: [
    {
      name: 'a missing comma: named at the end of the line that lacks it, with the line shown',
      config: replace('"api": "openai-completions",', '"api": "openai-completions"')(WORKING),
      findings: [{ severity: 'error', title: /^Config has a syntax error: a comma is missing at the end of line \d+$/, detail: /\d+\| +"api": "openai-completions"\n +\^ a comma belongs here\n\(JSON5 parse failed/ }],
    },
    { name: 'binary garbage is "not text", not a wall of bytes', config: '\u0000\u0001\u00ff{garbage', findings: [{ severity: 'error', title: 'Config is unusable: the file is not text (binary data or not UTF-8)' }] },
    {
      name: 'a syntax error on a very long line shows an excerpt with the caret under the column',
      config: `{ "a": "${'x'.repeat(5000)}" oops }`,
      findings: [{ severity: 'error', title: 'Config has a syntax error', detail: /1\| …x+" oops }\n {4,}\^/ }],
    },
    { name: 'empty file', config: '  \n', findings: [{ severity: 'error', title: 'Config is unusable: the file is empty' }] },
    {
      name: '$include cycle is reported',
      config: '{ "$include": "./a.json5" }',
      files: { '.clawdbot/a.json5': '{ "$include": "./clawdbot.json" }' },
      findings: [{ severity: 'error', title: '`$include` failed: Circular include detected: clawdbot.json -> a.json5 -> clawdbot.json' }],
    },
    {
      name: 'a directory given as config is a finding, not a crash',
      setup: (h) => {
        fs.mkdirSync(path.join(h.home, 'dir.json'));
        return { options: { config: path.join(h.home, 'dir.json') } };
      },
      findings: [{ severity: 'error', title: /directory/ }],
    },
    ...(process.getuid?.() === 0
      ? []
      : [{ name: 'an unreadable file is a finding', config: WORKING, setup: (h: { configPath: string }) => fs.chmodSync(h.configPath, 0o000), findings: [{ severity: 'error' as const, title: /cannot read/ }] }]),
  ],
});

checkTable('config.env-vars', {
  valid: [
    { name: 'the guide config (fixture)', config: WORKING },
    { name: 'V2: env.vars feeds ${VAR}', config: withMeta(keyRef('${KIMICODE_API_KEY}'), '2026.1.27') },
    { name: 'process env feeds ${VAR} on V1', config: withMeta(keyRef('${MY_KIMI_KEY}'), '2026.1.24'), env: { MY_KIMI_KEY: 'sk-kimi-fromenv00000000000000000000000000' } },
  ],
  invalid: [
    {
      name: 'unresolved ${VAR} (unknown version: V1/V2 fail the whole config)',
      config: keyRef('${KIMI_KEY_NOT_SET}'),
      findings: [{ severity: 'error', title: 'Missing env var "KIMI_KEY_NOT_SET" referenced at models.providers.kimi-code.apiKey', detail: /WHOLE config/, cause: 'env-missing:KIMI_KEY_NOT_SET' }],
    },
    {
      name: 'unresolved ${VAR} on V3 only warns',
      config: withMeta(keyRef('${KIMI_KEY_NOT_SET}'), '2026.2.1'),
      findings: [{ severity: 'warn', title: 'Missing env var "KIMI_KEY_NOT_SET" referenced at models.providers.kimi-code.apiKey', cause: 'env-missing:KIMI_KEY_NOT_SET' }],
    },
    {
      name: 'lowercase ${var} is sent literally',
      config: replace(/^ *"env": .*\n/m, '')(keyRef('${kimi_key}')),
      findings: [{ severity: 'error', title: '"${kimi_key}" is not substituted', detail: /UPPERCASE/, fix: /\$\{KIMI_KEY\}/, cause: 'env-invalid:kimi_key' }],
    },
    {
      name: 'V1: key defined only in env.vars fails',
      config: withMeta(keyRef('${KIMICODE_API_KEY}'), '2026.1.24'),
      findings: [{ severity: 'error', title: "KIMICODE_API_KEY is defined only in the config's env block", cause: 'v1-env-vars:KIMICODE_API_KEY' }],
    },
    {
      name: 'without meta.lastTouchedVersion the installed CLI is asked for its version (a real executable on PATH)',
      config: keyRef('${KIMICODE_API_KEY}'),
      setup: (h) => void fs.chmodSync(h.write('bin/clawdbot', '#!/bin/sh\n[ "$1" = --version ] && echo 2026.1.24-3\n'), 0o755),
      findings: [{ severity: 'error', title: "KIMICODE_API_KEY is defined only in the config's env block", detail: /clawdbot 2026\.1\.24-3 \(V1, from installed CLI --version\)/ }],
    },
  ],
});

checkTable('agent.model', {
  valid: [
    { name: 'the guide config (fixture)', config: WORKING },
    { name: 'an alias resolves', config: replace('"primary": "kimi-code/kimi-for-coding"', '"primary": "Kimi K2.5 (Kimi Code)"')(WORKING) },
  ],
  invalid: [
    {
      name: 'a model id typo: the nearest id is offered and applied',
      config: TYPO,
      findings: [
        { severity: 'error', title: 'Model id "kimi-for-codin" is not defined under provider "kimi-code"', fix: /Did you mean kimi-code\/kimi-for-coding/, cause: 'model-id-unknown', repair: { kind: 'config.set' as const, data: { path: ['agents', 'defaults', 'model', 'primary'], value: 'kimi-code/kimi-for-coding' } } },
      ],
      output: WORKING,
    },
    {
      name: 'a bare-string model becomes { primary }',
      config: BARE,
      findings: [{ severity: 'error', title: 'agents.defaults.model is a string; it must be an object', fix: /"primary": "kimi-code\/kimi-for-coding"/, repair: { kind: 'config.set' as const, data: { path: ['agents', 'defaults', 'model'], value: { primary: 'kimi-code/kimi-for-coding' } } } }],
      output: replace('"model": "kimi-code/kimi-for-coding"', '"model": { "primary": "kimi-code/kimi-for-coding" }')(BARE),
    },
    {
      name: 'an unknown provider',
      config: UNKNOWN_PROVIDER,
      findings: [
        { severity: 'error', title: 'Unknown model: kimi/kimi-for-coding (no provider "kimi")', cause: 'model-unknown' },
      ],
    },
  ],
});

checkTable('agent.thinking-default', {
  valid: [{ name: 'the guide config (fixture)', config: WORKING }],
  invalid: [
    {
      name: 'invalid thinkingDefault "on" is set to "low"',
      config: replace('"thinkingDefault": "low"', '"thinkingDefault": "on"')(WORKING),
      findings: [{ severity: 'error', title: 'thinkingDefault "on" is not a valid level', fix: /"thinkingDefault": "low"/, repair: { kind: 'config.set' as const, data: { path: ['agents', 'defaults', 'thinkingDefault'], value: 'low' } } }],
      output: WORKING,
    },
    { name: 'a level on a model not marked reasoning', config: NO_REASONING, findings: [{ severity: 'warn', title: 'thinkingDefault is "low" but kimi-code/kimi-for-coding is not marked reasoning' }] },
    {
      name: 'not set: reasoning models run at "low"',
      config: replace('"thinkingDefault": "low",', '')(WORKING),
      findings: [{ severity: 'info', title: 'thinkingDefault is not set: reasoning models run at "low"' }],
    },
  ],
});

checkTable('provider.base-url', {
  valid: [
    { name: 'loopback http (the fixture)', config: WORKING },
    { name: 'the Kimi coding base', config: KIMI_BASE },
  ],
  invalid: [
    {
      name: 'base URL without /coding',
      config: withBase('https://api.kimi.com/v1'),
      findings: [{ severity: 'error', title: 'Wrong base URL for provider "kimi-code"', detail: /lacks \/coding/, fix: /https:\/\/api\.kimi\.com\/coding\/v1/, cause: 'base-url', repair: baseUrlRepair }],
      output: KIMI_BASE,
    },
    {
      name: 'anthropic-style base with the OpenAI api',
      config: withBase('https://api.kimi.com/coding/'),
      findings: [{ severity: 'error', title: 'Wrong base URL for provider "kimi-code"', detail: /must end in \/coding\/v1/, cause: 'base-url', repair: baseUrlRepair }],
      output: KIMI_BASE,
    },
    {
      name: 'full endpoint pasted as base',
      config: withBase('https://api.kimi.com/coding/v1/chat/completions'),
      findings: [{ severity: 'error', title: 'Wrong base URL for provider "kimi-code"', detail: /full endpoint URL/, cause: 'base-url', repair: baseUrlRepair }],
      output: KIMI_BASE,
    },
    {
      name: 'plain http to a remote host',
      config: withBase('http://api.kimi.com/coding/v1'),
      findings: [{ severity: 'error', title: 'Wrong base URL for provider "kimi-code"', detail: /clear text/, cause: 'base-url', repair: baseUrlRepair }],
      output: KIMI_BASE,
    },
    {
      name: 'sk-kimi key on a Moonshot base: no automatic repair (which one is wrong is the user\'s call)',
      config: withBase('https://api.moonshot.ai/v1'),
      findings: [{ severity: 'error', title: 'An sk-kimi- key is sent to a Moonshot base (api.moonshot.ai)', cause: 'kimi-key-on-moonshot' }],
    },
  ],
});

checkTable('provider.api-key', {
  invalid: [
    { name: 'the guide config (fixture): says where the key comes from', config: WORKING, findings: [KEY_INFO] },
    { name: 'V2: env.vars feeds ${VAR}', config: withMeta(keyRef('${KIMICODE_API_KEY}'), '2026.1.27'), findings: [KEY_INFO] },
    {
      name: 'the guide placeholder key',
      config: WORKING.replaceAll('sk-kimi-acceptance-0000000000000000000000000000', 'sk-kimi-YOUR_API_KEY_HERE'),
      findings: [KEY_INFO, { severity: 'error', title: 'The API key for "kimi-code" is a placeholder', cause: 'key-placeholder' }],
    },
    {
      name: 'lowercase ${var}: the same cause as config.env-vars',
      config: replace(/^ *"env": .*\n/m, '')(keyRef('${kimi_key}')),
      also: ['config.env-vars'],
      findings: [
        { check: 'config.env-vars', severity: 'error', title: '"${kimi_key}" is not substituted', cause: 'env-invalid:kimi_key' },
        { severity: 'info', title: 'Key for "kimi-code" comes from config models.providers.kimi-code.apiKey (${kimi_key})' },
        { severity: 'error', title: 'The API key for "kimi-code" is an unresolved reference', detail: /Same cause as config\.env-vars/, fix: 'See the fix under config.env-vars.', cause: 'env-invalid:kimi_key' },
      ],
    },
    {
      name: 'V1: key defined only in env.vars',
      config: withMeta(keyRef('${KIMICODE_API_KEY}'), '2026.1.24'),
      findings: [KEY_INFO, { severity: 'error', title: 'KIMICODE_API_KEY is defined only in env.vars, which V1 does not use for ${VAR}', cause: 'v1-env-vars:KIMICODE_API_KEY' }],
    },
    {
      name: 'an auth profile overrides the config key',
      config: WORKING,
      files: { '.clawdbot/agents/main/agent/auth-profiles.json': JSON.stringify({ version: 1, profiles: { 'kimi-code:default': { type: 'api_key', provider: 'kimi-code', key: 'sk-kimi-oldprofile000000000000000000000000' } } }) },
      findings: [
        { severity: 'info', title: 'Key for "kimi-code" comes from auth profile kimi-code:default (agents/main/agent/auth-profiles.json)' },
        { severity: 'warn', title: 'An auth profile overrides the key in your config for "kimi-code"', cause: 'auth-profile-shadow' },
      ],
    },
  ],
});

checkTable('provider.user-agent', {
  valid: [
    { name: 'the guide config (fixture)', config: WORKING },
    { name: 'a User-Agent on the provider only is accepted', config: replace('"headers": { "User-Agent": "KimiCLI/0.77" },', '')(WORKING).replace('"api": "openai-completions",', UA_ON_PROVIDER) },
    { name: 'an unknown provider is never sent to (agent.model says so): no gate to judge', config: UNKNOWN_PROVIDER },
  ],
  invalid: [
    {
      name: 'no User-Agent (fixture) → the 403 gate; the header is added',
      config: NO_UA,
      findings: [
        {
          severity: 'error',
          title: 'No User-Agent for kimi-code/kimi-for-coding: Kimi will answer 403',
          fix: /"User-Agent": "KimiCLI\/0\.77"/,
          detail: /only available for Coding Agents[\s\S]*guidelines forbid falsifying/,
          cause: 'client-gate',
          repair: { kind: 'config.set' as const, data: { path: ['models', 'providers', 'kimi-code', 'models', 0, 'headers', 'User-Agent'], value: 'KimiCLI/0.77' } },
        },
      ],
      output: addAfter(COMPAT_LINE, UA_LINE)(NO_UA),
    },
    {
      name: 'provider and model disagree on User-Agent',
      config: replace('"api": "openai-completions",', UA_ON_PROVIDER)(WORKING),
      findings: [{ severity: 'warn', title: 'Provider and model set different User-Agents for kimi-code/kimi-for-coding' }],
    },
    {
      name: 'a refused User-Agent (lowercase kimi-cli) is replaced',
      config: replace('KimiCLI/0.77', 'kimi-cli/1.0')(WORKING),
      findings: [{ severity: 'error', title: 'User-Agent "kimi-cli/1.0" is refused by the Kimi client gate', cause: 'client-gate', repair: { kind: 'config.set' as const, data: { path: ['models', 'providers', 'kimi-code', 'models', 0, 'headers', 'User-Agent'], value: 'KimiCLI/0.77' } } }],
      output: WORKING,
    },
    // The product sends nothing for a model it cannot resolve (requests/model-typo: a TypeError before any request),
    // so there is no gate to judge: agent.model alone names the cause.
    {
      name: 'a model id typo never reaches Kimi: agent.model names it, no User-Agent finding',
      config: TYPO,
      also: ['agent.model'],
      findings: [
        { check: 'agent.model', severity: 'error', title: 'Model id "kimi-for-codin" is not defined under provider "kimi-code"', cause: 'model-id-unknown' },
      ],
    },
    {
      name: 'V3, as openclaw 2026.9.6 onboarding wrote it (no User-Agent): the header is set on the provider',
      files: { [V3_FILE]: V3_CONFIG('gate-no-ua') },
      findings: [{ severity: 'error', title: 'No User-Agent for kimi/kimi-for-coding: Kimi will answer 403', cause: 'client-gate', repair: { data: { path: ['models', 'providers', 'kimi', 'headers', 'User-Agent'], value: 'claude-code/0.1.0' } } }],
      // The Anthropic route: the header of the product's own Claude Code client, added after the last key.
      output: replace('          "allowPrivateNetwork": true\n        }\n', '          "allowPrivateNetwork": true\n        },\n        "headers": { "User-Agent": "claude-code/0.1.0" }\n')(V3_CONFIG('gate-no-ua')),
      outputFile: V3_FILE,
    },
    {
      name: 'a refused User-Agent under a lowercase header name: the value is replaced under the user\'s name',
      config: replace('"User-Agent": "KimiCLI/0.77"', '"user-agent": "kimi-cli/1.0"')(WORKING),
      findings: [{ severity: 'error', title: 'User-Agent "kimi-cli/1.0" is refused by the Kimi client gate', cause: 'client-gate', repair: { data: { path: ['models', 'providers', 'kimi-code', 'models', 0, 'headers', 'user-agent'], value: 'KimiCLI/0.77' } } }],
      output: replace('"User-Agent": "KimiCLI/0.77"', '"user-agent": "KimiCLI/0.77"')(WORKING),
    },
  ],
});

checkTable('provider.compat', {
  valid: [{ name: 'the guide config (fixture)', config: WORKING }],
  invalid: [
    {
      name: 'no compat (fixture) → developer role / Message ordering conflict; compat is added',
      config: NO_COMPAT,
      findings: [
        {
          severity: 'error',
          title: 'kimi-code/kimi-for-coding sends the system prompt as role "developer": Kimi answers 400',
          detail: /Message ordering conflict/,
          fix: /"supportsDeveloperRole": false/,
          cause: 'developer-role',
          repair: { kind: 'config.set' as const, data: { path: ['models', 'providers', 'kimi-code', 'models', 0, 'compat', 'supportsDeveloperRole'], value: false } },
        },
      ],
      output: addAfter(UA_LINE, COMPAT_LINE)(NO_COMPAT),
    },
    {
      name: 'V3, as openclaw 2026.9.6 wrote it with compat.supportsDeveloperRole: true: set to false',
      files: { [V3_FILE]: V3_CONFIG('developer-role') },
      findings: [{ severity: 'error', title: 'kimi-code/kimi-for-coding sends the system prompt as role "developer": Kimi answers 400', detail: /OpenClaw 2026\.9 sends role "developer"/, cause: 'developer-role' }],
      output: V3_CONFIG('developer-role').replace('"supportsDeveloperRole": true', '"supportsDeveloperRole": false'),
      outputFile: V3_FILE,
    },
    {
      name: 'a compat key V1 does not allow',
      config: withMeta(replace('"supportsDeveloperRole": false', '"supportsDeveloperRole": false, "thinkingFormat": "openai"')(WORKING), '2026.1.24'),
      findings: [{ severity: 'error', title: 'compat.thinkingFormat is not allowed by this version (V1)' }],
    },
  ],
});

checkTable('provider.model-limits', {
  valid: [{ name: 'the guide config (fixture)', config: WORKING }],
  invalid: [
    {
      name: 'reasoning missing → thinking silently off; reasoning is set',
      config: NO_REASONING,
      findings: [{ severity: 'warn', title: 'reasoning is not set on kimi-code/kimi-for-coding: thinking is silently off', fix: /"reasoning": true/, cause: 'reasoning-off', repair: { kind: 'config.set' as const, data: { path: ['models', 'providers', 'kimi-code', 'models', 0, 'reasoning'], value: true } } }],
      output: addAfter(COMPAT_LINE, '            "reasoning": true,\n')(NO_REASONING),
    },
    { name: 'maxTokens over the model limit', config: replace('"maxTokens": 32768', '"maxTokens": 65536')(WORKING), findings: [{ severity: 'warn', title: "maxTokens 65536 exceeds Kimi's output limit 32768" }] },
    {
      name: 'maxTokens not below contextWindow',
      config: replace('"contextWindow": 262144', '"contextWindow": 32768')(WORKING),
      findings: [{ severity: 'error', title: 'maxTokens (32768) is not below contextWindow (32768) for kimi-code/kimi-for-coding' }],
    },
  ],
});

checkTable('provider.unknown-keys', {
  valid: [{ name: 'the guide config (fixture)', config: WORKING }],
  invalid: [{ name: 'unknown provider key baseURL', config: replace('"baseUrl":', '"baseURL":')(WORKING), findings: [{ severity: 'error', title: 'Unknown key "baseURL" at models.providers.kimi-code', fix: /Rename "baseURL" to "baseUrl"/ }] }],
});
