// Table-driven tests of the config-only checks (issue: core). One tiny fixture per situation,
// healthy and broken, built from the real product's fixture config by small text edits.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { findingsFor, fixtureConfig, tempHome, type TempHome } from '../support/doctor.js';
import { findFinding, type FindingExpect } from '../support/findings.js';

const WORKING = fixtureConfig('config-working.json5');
const withMeta = (text: string, version: string) => text.replace('{\n', `{\n  "meta": { "lastTouchedVersion": "${version}" },\n`);
const replace = (from: string | RegExp, to: string) => (t: string) => {
  const out = t.replace(from, to);
  if (out === t) throw new Error(`fixture edit did not apply: ${String(from)}`);
  return out;
};

type Expect = FindingExpect;

interface Case {
  name: string;
  config?: string;
  setup?: (h: TempHome) => void;
  env?: NodeJS.ProcessEnv;
  expect: Expect[];
  /** Checks that must have no warn/error findings. */
  clean?: string[];
  skipped?: string[];
}

const cases: Case[] = [
  {
    name: 'the guide config (fixture) is healthy',
    config: WORKING,
    expect: [{ check: 'provider.api-key', severity: 'info', title: /comes from env KIMICODE_API_KEY \(from config env\.vars\)/ }],
    clean: ['config.parse', 'config.env-vars', 'agent.model', 'agent.thinking-default', 'provider.base-url', 'provider.api-key', 'provider.user-agent', 'provider.compat', 'provider.model-limits', 'provider.unknown-keys'],
  },
  {
    name: 'no User-Agent (fixture) → the 403 gate',
    config: fixtureConfig('config-no-user-agent.json5'),
    expect: [{ check: 'provider.user-agent', severity: 'error', title: /No User-Agent for kimi-code\/kimi-for-coding/, fix: /"User-Agent": "KimiCLI\/0\.77"/, detail: /only available for Coding Agents[\s\S]*guidelines forbid falsifying/, cause: 'client-gate', fixable: true }],
    clean: ['provider.compat'],
  },
  {
    name: 'no compat (fixture) → developer role / Message ordering conflict',
    config: fixtureConfig('config-no-compat.json5'),
    expect: [{ check: 'provider.compat', severity: 'error', detail: /Message ordering conflict/, fix: /"supportsDeveloperRole": false/, cause: 'developer-role', fixable: true }],
    clean: ['provider.user-agent'],
  },
  {
    name: 'User-Agent on the provider only is accepted',
    config: replace('"headers": { "User-Agent": "KimiCLI/0.77" },', '')(WORKING).replace('"api": "openai-completions",', '"api": "openai-completions", "headers": { "User-Agent": "claude-code/1.0.0" },'),
    expect: [],
    clean: ['provider.user-agent'],
  },
  {
    name: 'provider and model disagree on User-Agent',
    config: WORKING.replace('"api": "openai-completions",', '"api": "openai-completions", "headers": { "User-Agent": "claude-code/1.0.0" },'),
    expect: [{ check: 'provider.user-agent', severity: 'warn', title: /different User-Agents/ }],
  },
  {
    name: 'a refused User-Agent (lowercase kimi-cli)',
    config: replace('KimiCLI/0.77', 'kimi-cli/1.0')(WORKING),
    expect: [{ check: 'provider.user-agent', severity: 'error', title: /"kimi-cli\/1\.0" is refused/, cause: 'client-gate' }],
  },
  {
    name: 'reasoning missing → thinking silently off',
    config: replace('"reasoning": true,', '')(WORKING),
    expect: [{ check: 'provider.model-limits', severity: 'warn', title: /thinking is silently off/, fix: /"reasoning": true/, fixable: true }],
  },
  {
    name: 'maxTokens over the model limit',
    config: replace('"maxTokens": 32768', '"maxTokens": 65536')(WORKING),
    expect: [{ check: 'provider.model-limits', severity: 'warn', title: /exceeds Kimi's output limit 32768/ }],
  },
  {
    name: 'maxTokens not below contextWindow',
    config: replace('"contextWindow": 262144', '"contextWindow": 32768')(WORKING),
    expect: [{ check: 'provider.model-limits', severity: 'error', title: /not below contextWindow/ }],
  },
  {
    name: 'model id typo silently drops headers',
    config: replace('"primary": "kimi-code/kimi-for-coding"', '"primary": "kimi-code/kimi-for-codin"')(WORKING),
    expect: [
      { check: 'agent.model', severity: 'error', title: /"kimi-for-codin" is not defined/, fix: /Did you mean kimi-code\/kimi-for-coding/, cause: 'model-id-unknown', fixable: true },
      { check: 'provider.user-agent', severity: 'error', detail: /Same cause as agent\.model/ },
    ],
  },
  {
    name: 'bare-string model',
    config: replace('"model": { "primary": "kimi-code/kimi-for-coding" }', '"model": "kimi-code/kimi-for-coding"')(WORKING),
    expect: [{ check: 'agent.model', severity: 'error', title: /is a string; it must be an object/, fix: /"primary": "kimi-code\/kimi-for-coding"/ }],
  },
  {
    name: 'alias resolves',
    config: replace('"primary": "kimi-code/kimi-for-coding"', '"primary": "Kimi K2.5 (Kimi Code)"')(WORKING),
    expect: [],
    clean: ['agent.model', 'provider.user-agent'],
  },
  {
    name: 'unknown provider',
    config: replace('"primary": "kimi-code/kimi-for-coding"', '"primary": "kimi/kimi-for-coding"')(WORKING),
    expect: [{ check: 'agent.model', severity: 'error', title: /Unknown model: kimi\/kimi-for-coding/ }],
  },
  {
    name: 'invalid thinkingDefault "on"',
    config: replace('"thinkingDefault": "low"', '"thinkingDefault": "on"')(WORKING),
    expect: [{ check: 'agent.thinking-default', severity: 'error', title: /"on" is not a valid level/, fix: /"thinkingDefault": "low"/, fixable: true }],
  },
  {
    name: 'base URL without /coding',
    config: replace('http://127.0.0.1:18998/coding/v1', 'https://api.kimi.com/v1')(WORKING),
    expect: [{ check: 'provider.base-url', severity: 'error', detail: /lacks \/coding/, fix: /https:\/\/api\.kimi\.com\/coding\/v1/, fixable: true }],
  },
  {
    name: 'anthropic-style base with the OpenAI api',
    config: replace('http://127.0.0.1:18998/coding/v1', 'https://api.kimi.com/coding/')(WORKING),
    expect: [{ check: 'provider.base-url', severity: 'error', detail: /must end in \/coding\/v1/ }],
  },
  {
    name: 'full endpoint pasted as base',
    config: replace('http://127.0.0.1:18998/coding/v1', 'https://api.kimi.com/coding/v1/chat/completions')(WORKING),
    expect: [{ check: 'provider.base-url', severity: 'error', detail: /full endpoint URL/ }],
  },
  {
    name: 'plain http to a remote host',
    config: replace('http://127.0.0.1:18998/coding/v1', 'http://api.kimi.com/coding/v1')(WORKING),
    expect: [{ check: 'provider.base-url', severity: 'error', detail: /clear text/ }],
  },
  {
    name: 'sk-kimi key on a Moonshot base',
    config: replace('http://127.0.0.1:18998/coding/v1', 'https://api.moonshot.ai/v1')(WORKING),
    expect: [{ check: 'provider.base-url', severity: 'error', title: /sk-kimi- key is sent to a Moonshot base/, cause: 'kimi-key-on-moonshot' }],
  },
  {
    name: 'the guide placeholder key',
    config: WORKING.replaceAll('sk-kimi-acceptance-0000000000000000000000000000', 'sk-kimi-YOUR_API_KEY_HERE'),
    expect: [{ check: 'provider.api-key', severity: 'error', title: /is a placeholder/ }],
  },
  {
    name: 'unresolved ${VAR} (unknown version: V1/V2 fail the whole config)',
    config: replace('"apiKey": "sk-kimi-acceptance-0000000000000000000000000000"', '"apiKey": "${KIMI_KEY_NOT_SET}"')(WORKING),
    expect: [{ check: 'config.env-vars', severity: 'error', title: /Missing env var "KIMI_KEY_NOT_SET"/, detail: /WHOLE config/ }],
  },
  {
    name: 'unresolved ${VAR} on V3 only warns',
    config: withMeta(replace('"apiKey": "sk-kimi-acceptance-0000000000000000000000000000"', '"apiKey": "${KIMI_KEY_NOT_SET}"')(WORKING), '2026.2.1'),
    expect: [{ check: 'config.env-vars', severity: 'warn', title: /Missing env var "KIMI_KEY_NOT_SET"/ }],
  },
  {
    name: 'lowercase ${var} is sent literally',
    config: replace(/^ *"env": .*\n/m, '')(replace('"apiKey": "sk-kimi-acceptance-0000000000000000000000000000"', '"apiKey": "${kimi_key}"')(WORKING)),
    expect: [
      { check: 'config.env-vars', severity: 'error', detail: /UPPERCASE/, fix: /\$\{KIMI_KEY\}/ },
      { check: 'provider.api-key', severity: 'error', detail: /Same cause as config\.env-vars/ },
    ],
  },
  {
    name: 'V1: key defined only in env.vars fails',
    config: withMeta(replace('"apiKey": "sk-kimi-acceptance-0000000000000000000000000000"', '"apiKey": "${KIMICODE_API_KEY}"')(WORKING), '2026.1.24'),
    expect: [{ check: 'config.env-vars', severity: 'error', title: /defined only in the config's env block/, cause: 'v1-env-vars:KIMICODE_API_KEY' }],
  },
  {
    name: 'V2: env.vars feeds ${VAR}',
    config: withMeta(replace('"apiKey": "sk-kimi-acceptance-0000000000000000000000000000"', '"apiKey": "${KIMICODE_API_KEY}"')(WORKING), '2026.1.27'),
    expect: [],
    clean: ['config.env-vars', 'provider.api-key'],
  },
  {
    name: 'process env feeds ${VAR} on V1',
    config: withMeta(replace('"apiKey": "sk-kimi-acceptance-0000000000000000000000000000"', '"apiKey": "${MY_KIMI_KEY}"')(WORKING), '2026.1.24'),
    env: { MY_KIMI_KEY: 'sk-kimi-fromenv00000000000000000000000000' },
    expect: [],
    clean: ['config.env-vars'],
  },
  {
    name: 'an auth profile overrides the config key',
    config: WORKING,
    setup: (h) => h.write('.clawdbot/agents/main/agent/auth-profiles.json', JSON.stringify({ version: 1, profiles: { 'kimi-code:default': { type: 'api_key', provider: 'kimi-code', key: 'sk-kimi-oldprofile000000000000000000000000' } } })),
    expect: [{ check: 'provider.api-key', severity: 'warn', title: /auth profile overrides/, cause: 'auth-profile-shadow' }],
  },
  {
    name: 'compat key V1 does not allow',
    config: withMeta(replace('"supportsDeveloperRole": false', '"supportsDeveloperRole": false, "thinkingFormat": "openai"')(WORKING), '2026.1.24'),
    expect: [{ check: 'provider.compat', severity: 'error', title: /compat\.thinkingFormat is not allowed/ }],
  },
  {
    name: 'unknown provider key baseURL',
    config: replace('"baseUrl":', '"baseURL":')(WORKING),
    expect: [{ check: 'provider.unknown-keys', severity: 'error', title: /Unknown key "baseURL"/, fix: /Rename "baseURL" to "baseUrl"/ }],
  },
  {
    name: 'syntax error: line, column and the line shown',
    config: WORKING.replace('"api": "openai-completions",', '"api": "openai-completions"'),
    expect: [{ check: 'config.parse', severity: 'error', title: /syntax error/, detail: /JSON5 parse failed[\s\S]*\d+\| +"models": \[/ }],
    skipped: ['provider.user-agent', 'agent.model'],
  },
  {
    name: 'binary garbage is "not text", not a wall of bytes',
    config: '\u0000\u0001\u00ff{garbage',
    expect: [{ check: 'config.parse', severity: 'error', title: /not text/ }],
    skipped: ['provider.compat'],
  },
  {
    name: 'a syntax error on a very long line shows an excerpt with the caret under the column',
    config: `{ "a": "${'x'.repeat(5000)}" oops }`,
    expect: [{ check: 'config.parse', severity: 'error', detail: /1\| …x+" oops }\n {4,}\^/ }],
  },
  {
    name: 'empty file',
    config: '  \n',
    expect: [{ check: 'config.parse', severity: 'error', title: /the file is empty/ }],
    skipped: ['provider.compat'],
  },
  {
    name: 'no config at all: says where it looked and how to point at one',
    expect: [{ check: 'config.location', severity: 'warn', detail: /~\/\.openclaw\/\{openclaw,clawdbot,moldbot,moltbot\}\.json[\s\S]*~\/\.clawdbot\/\{/, fix: /--config[\s\S]*examples\// }],
    skipped: ['config.parse', 'provider.user-agent', 'agent.model'],
  },
  {
    name: 'several state dirs',
    config: WORKING,
    setup: (h) => fs.mkdirSync(path.join(h.home, '.openclaw')),
    expect: [{ check: 'config.location', severity: 'warn', title: /Several state dirs/ }],
  },
  {
    name: '$include relative paths are merged',
    config: '{ "$include": "./kimi.json5", agents: { defaults: { model: { primary: "kimi-code/kimi-for-coding" } } } }',
    setup: (h) => h.write('.clawdbot/kimi.json5', '{ models: { providers: { "kimi-code": { baseUrl: "https://api.kimi.com/coding/v1", apiKey: "sk-kimi-included000000000000000000000000", api: "openai-completions", models: [{ id: "kimi-for-coding", name: "K", reasoning: true, headers: { "User-Agent": "KimiCLI/0.77" }, compat: { supportsDeveloperRole: false } }] } } } }'),
    expect: [],
    clean: ['config.parse', 'agent.model', 'provider.user-agent', 'provider.compat', 'provider.api-key'],
  },
  {
    name: '$include cycle is reported',
    config: '{ "$include": "./a.json5" }',
    setup: (h) => h.write('.clawdbot/a.json5', '{ "$include": "./clawdbot.json" }'),
    expect: [{ check: 'config.parse', severity: 'error', title: /Circular include detected/ }],
  },
];

describe('config checks', () => {
  let home: TempHome | undefined;
  afterEach(() => home?.cleanup());

  it.each(cases)('$name', async (c) => {
    home = tempHome();
    if (c.config !== undefined) home.writeConfig(c.config);
    c.setup?.(home);
    const { findings, statuses } = await findingsFor(home, {}, c.env);
    for (const e of c.expect) findFinding(findings, e, statuses);
    for (const id of c.clean ?? []) {
      const bad = findings.filter((f) => f.check === id && f.severity !== 'info');
      expect(bad.map((f) => f.title), `${id} should be clean`).toEqual([]);
      expect(statuses[id], `${id} should have run`).toBe('pass');
    }
    for (const id of c.skipped ?? []) expect(statuses[id], `${id} should be skipped`).toBe('skipped');
    for (const st of Object.values(statuses)) expect(st).not.toBe('crashed');
  });

  it('honours OPENCLAW_CONFIG_PATH and reports the file used', async () => {
    home = tempHome();
    const p = home.write('elsewhere/my.json', WORKING);
    const { findings } = await findingsFor(home, {}, { OPENCLAW_CONFIG_PATH: p });
    expect(findings.find((f) => f.check === 'config.location')?.title).toBe('Using ~/elsewhere/my.json');
  });

  it('--config wins over the env var', async () => {
    home = tempHome();
    const p = home.write('a/flag.json', WORKING);
    const { findings } = await findingsFor(home, { config: p }, { CLAWDBOT_CONFIG_PATH: path.join(home.home, 'nope.json') });
    expect(findings.find((f) => f.check === 'config.location')?.detail).toMatch(/Chosen by --config/);
  });

  it('a directory given as config is a finding, not a crash', async () => {
    home = tempHome();
    fs.mkdirSync(path.join(home.home, 'dir.json'));
    const { findings } = await findingsFor(home, { config: path.join(home.home, 'dir.json') });
    expect(findings.some((f) => f.check === 'config.parse' && /directory/.test(f.title))).toBe(true);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file is a finding', async () => {
    home = tempHome();
    const p = home.writeConfig(WORKING);
    fs.chmodSync(p, 0o000);
    const { findings } = await findingsFor(home);
    expect(findings.some((f) => f.check === 'config.parse' && /cannot read/.test(f.title))).toBe(true);
  });

  it('a profile selects ~/.clawdbot-NAME', async () => {
    home = tempHome();
    home.write('.clawdbot-work/clawdbot.json', WORKING);
    const { findings } = await findingsFor(home, { profile: 'work' });
    expect(findings.find((f) => f.check === 'config.location')?.title).toBe('Using ~/.clawdbot-work/clawdbot.json');
  });

  it('OPENCLAW_HOME replaces ~ when looking for the config', async () => {
    home = tempHome();
    home.write('alt/.openclaw/openclaw.json', WORKING);
    const { findings } = await findingsFor(home, {}, { OPENCLAW_HOME: path.join(home.home, 'alt') });
    expect(findings.find((f) => f.check === 'config.location')?.title).toBe('Using ~/alt/.openclaw/openclaw.json');
  });

  it('without meta.lastTouchedVersion the installed CLI is asked for its version (a real executable on PATH)', async () => {
    home = tempHome();
    home.writeConfig(replace('"apiKey": "sk-kimi-acceptance-0000000000000000000000000000"', '"apiKey": "${KIMICODE_API_KEY}"')(WORKING));
    const cli = home.write('bin/clawdbot', '#!/bin/sh\necho "$@" >> "${0%/*}/calls.txt"\necho 2026.1.24-3\n');
    fs.chmodSync(cli, 0o755);
    const { findings } = await findingsFor(home);
    const f = findings.find((x) => x.check === 'config.env-vars');
    expect(f?.severity).toBe('error');
    expect(f?.detail).toMatch(/clawdbot 2026\.1\.24-3 \(V1, from installed CLI --version\)/);
    expect(fs.readFileSync(path.join(home.home, 'bin/calls.txt'), 'utf8').trim()).toBe('--version');
  });

});
