import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR as CORPUS, HAVE_CORPUS, corpusManifest, NOT_SECRET_KINDS, type CorpusEntry } from './support/corpus.js';
import {
  Redactor, classify, fingerprint, isPlaceholder, isReference, isSecretKey, mask, secretsFromEnv, secretsIn,
} from '../src/report/redact.js';

const HOME = '/home/alice';
const fresh = (known: string[] = []) => new Redactor({ home: HOME, user: 'alice', knownSecrets: known });

// Realistic-looking fake values, one per shape the redactor must know.
const KIMI = 'sk-kimi-UaP9OQptIJQpZEnYDUD2t3tHqyXXOzlvXrmXWOeXLt9RRcqYKH1Yhb6gtEw1giSb';
const MOONSHOT = 'sk-2auUzFBiqFbSn0rbVBHCqs3gJiwa2oczBdN7rtQGkSH3nQyZ';
const ANTHROPIC = 'sk-ant-api03-M1jf26UtInIeW6l1ywxkt5EwPgWPnGSxr9_HdtYpwuVSzgvbI9Qbh9VIBr8XzUdPhWpHBiNjQDV-wKoQDmc7qb-Uf02duPQ';
const TELEGRAM = '8415820677:AATTxGT8Rymfih-BQlFNuFpDn5XER3WBkOB';
const DISCORD = 'Mzg4MTMxNzUyODIwNjc0NTQ4MQ.Qh8XH7.t0SF46SHEYdvQHmk7zvd8mWPeQdYiYdIeUfLou';
const SLACK = 'xoxb-2712345678901-2723456789012-AbCdEfGhIjKlMnOpQrStUvWx';
const GHP = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const GH_PAT = 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ';
const GOOGLE = 'AIzaFrHdV0UvuOAYI867eby7eOE6eFkrm-MPuFg';
const BRAVE = 'BSAYJsfi1-6OcjZlxQElfVKQdZ2bAIE';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const GATEWAY = '65a2ea87021ca6dca89153e1b015980ce29e6dad2ae890be7683fdbbb4eb2b13';
const APP_SECRET = 'jjHeGNApTfitTPsNAJ3baxUVBb0BwJOe';

describe('mask()', () => {
  it('keeps the vendor prefix, the last 4 characters of long values and adds a fingerprint', () => {
    expect(mask(KIMI, 'kimi-key')).toBe(`sk-kimi-…giSb [#${fingerprint(KIMI)}]`);
    expect(mask(ANTHROPIC, 'anthropic-key')).toMatch(/^sk-ant-api03-…duPQ \[#[0-9a-f]{4}\]$/);
  });

  it('shows no tail for values shorter than 20 characters', () => {
    expect(mask('hunter2hunter', 'password')).toMatch(/^… \[#[0-9a-f]{4}\]$/);
    expect(mask('sk-abcdefghij12', 'sk-key')).toMatch(/^sk-… \[#[0-9a-f]{4}\]$/);
  });

  it('drops a prefix that would be most of the value', () => {
    expect(mask('sk-ab', 'sk-key')).toMatch(/^… \[#/);
  });

  it('fingerprints are stable, equal for equal values, different for different values', () => {
    expect(fingerprint(KIMI)).toBe(fingerprint(String(KIMI)));
    expect(mask(KIMI, 'a')).toBe(mask(KIMI, 'b'));
    const values = [KIMI, MOONSHOT, ANTHROPIC, TELEGRAM, DISCORD, SLACK, GHP, GOOGLE, BRAVE, JWT, GATEWAY, APP_SECRET];
    expect(new Set(values.map(fingerprint)).size).toBe(values.length);
  });
});

describe('text(): every known shape is masked with its shape kept', () => {
  const cases: Array<[name: string, input: string, secret: string, kind: string, expected: RegExp]> = [
    ['Kimi key', `key is ${KIMI} ok`, KIMI, 'kimi-key', /key is sk-kimi-…giSb \[#[0-9a-f]{4}\] ok/],
    ['Moonshot/OpenAI sk- key', `used ${MOONSHOT}`, MOONSHOT, 'sk-key', /used sk-…nQyZ \[#/],
    ['Anthropic key', `x ${ANTHROPIC} y`, ANTHROPIC, 'anthropic-key', /x sk-ant-api03-…duPQ \[#/],
    ['OpenAI project key', 'k=sk-proj-0jQ0NyMS9zx4ZuYvjVHbM_BLIjsz6lw5J16Ub6Q4e6U7', 'sk-proj-0jQ0NyMS9zx4ZuYvjVHbM_BLIjsz6lw5J16Ub6Q4e6U7', 'openai-project-key', /^k=sk-proj-…e6U7 \[#[0-9a-f]{4}\]$/],
    ['OpenRouter key', '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', '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', 'openrouter-key', /^sk-or-v1-…6811 \[#/],
    ['ElevenLabs key', 'sk_ff0cf91c74565c6e9ee5a19b5c49f3e776a88714103033bc', 'sk_ff0cf91c74565c6e9ee5a19b5c49f3e776a88714103033bc', 'elevenlabs-key', /^sk_…33bc \[#/],
    ['Bearer token', 'Authorization: Bearer abcdef0123456789abcdef', 'abcdef0123456789abcdef', 'bearer-token', /^Authorization: Bearer …cdef \[#/],
    ['Bearer with a Kimi key', `-H "Authorization: Bearer ${KIMI}"`, KIMI, 'kimi-key', /Bearer sk-kimi-…giSb \[#[0-9a-f]{4}\]"$/],
    ['Basic auth', 'Authorization: Basic dXNlcjpwYXNzd29yZDEyMw==', 'dXNlcjpwYXNzd29yZDEyMw==', 'basic-auth', /Basic …Mw== \[#/],
    ['Telegram bot token', `token ${TELEGRAM}`, TELEGRAM, 'telegram-bot-token', /^token …BkOB \[#[0-9a-f]{4}\]$/],
    ['Telegram token in an API URL', `https://api.telegram.org/bot${TELEGRAM}/getMe`, TELEGRAM, 'telegram-bot-token', /\/bot…BkOB \[#[0-9a-f]{4}\]\/getMe/],
    ['Discord bot token', `discord ${DISCORD}`, DISCORD, 'discord-bot-token', /discord …fLou \[#/],
    ['Slack token', SLACK, SLACK, 'slack-token', /^xoxb-…UvWx \[#/],
    ['GitHub classic token', GHP, GHP, 'github-token', /^ghp_…Q7r8 \[#/],
    ['GitHub fine-grained token', GH_PAT, GH_PAT, 'github-token', /^github_pat_…GHIJ \[#/],
    ['Google API key', `key: ${GOOGLE}`, GOOGLE, 'google-api-key', /^key: AIza…PuFg \[#[0-9a-f]{4}\]$/],
    ['Brave key', BRAVE, BRAVE, 'brave-key', /^BSA…bAIE \[#/],
    ['JWT', `jwt ${JWT}`, JWT, 'jwt', /jwt eyJ…sR8U \[#/],
    ['Tavily key', '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', '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', 'tavily-key', /^tvly-dev-…C24Q \[#/],
    ['AWS access key', 'AKIAIOSFODNN7EXAMPL3', 'AKIAIOSFODNN7EXAMPL3', 'aws-access-key', /^AKIA…MPL3 \[#/],
    ['URL with user:pass@', 'https://bob:s3cretPassw0rd@proxy.example.com:8080/', 's3cretPassw0rd', 'url-password', /^https:\/\/bob:… \[#[0-9a-f]{4}\]@proxy/],
    ['query ?key=', 'GET https://x.example.com/search?q=a&key=Zx81Kq0pLmN2vB7c&x=1', 'Zx81Kq0pLmN2vB7c', 'key', /&key=… \[#[0-9a-f]{4}\]&x=1$/],
    ['query token=', 'wss://host/ws?token=0f9e8d7c6b5a49382716', '0f9e8d7c6b5a49382716', 'token', /\?token=…2716 \[#/],
    ['JSON "apiKey"', `{"apiKey": "${GATEWAY}"}`, GATEWAY, 'api-key', /^\{"apiKey": "…2b13 \[#[0-9a-f]{4}\]"\}$/],
    ['JSON5 gateway token', `auth: { token: '${GATEWAY}' }`, GATEWAY, 'token', /token: '…2b13 \[#[0-9a-f]{4}\]' \}/],
    ['app secret by key', `"appSecret":"${APP_SECRET}"`, APP_SECRET, 'app-secret', /"appSecret":"…wJOe \[#/],
    ['env assignment', 'export KIMICODE_API_KEY=plainsecretvalue', 'plainsecretvalue', 'api-key', /KIMICODE_API_KEY=… \[#/],
    ['password by key', 'password=hunter2!', 'hunter2!', 'password', /password=… \[#/],
    ['escaped JSON inside a log line', String.raw`{"1":"{\"botToken\":\"abc123DEF456ghi\"}"}`, 'abc123DEF456ghi', 'bot-token', /\\"botToken\\":\\"… \[#[0-9a-f]{4}\]\\"/],
    ['CLI flag', 'claw --api-key Zq81xK0pLmN2vB7c', 'Zq81xK0pLmN2vB7c', 'api-key', /--api-key … \[#/],
    ['unnamed random secret', `appsecret leaked in text ${APP_SECRET} here`, APP_SECRET, 'high-entropy', /text …wJOe \[#/],
    ['key after a non-secret pair', 'note: apiKey=Zx81Kq0pLmN2vB7c', 'Zx81Kq0pLmN2vB7c', 'api-key', /^note: apiKey=… \[#[0-9a-f]{4}\]$/],
    ['token in a URL with a port', 'http://127.0.0.1:18789/?token=Zx81Kq0pLmN2vB7c', 'Zx81Kq0pLmN2vB7c', 'token', /:18789\/\?token=… \[#/],
    ['Discord webhook', 'https://discord.com/api/webhooks/123456789/AbCdEfGhIjKlMnOpQrStUvWxYz012345', 'AbCdEfGhIjKlMnOpQrStUvWxYz012345', 'webhook-token', /webhooks\/123456789\/…2345 \[#/],
    ['private key block', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----', 'MIIEvQIBADANBg', 'private-key', /^…---- \[#[0-9a-f]{4}\]$/],
  ];

  it.each(cases)('%s', (_name, input, secret, kind, expected) => {
    const r = fresh();
    const out = r.text(input);
    expect(out).not.toContain(secret);
    expect(out).toMatch(expected);
    expect(r.ledger()).toEqual({ [kind]: 1 });
    // Masked text is left alone by the final scan.
    expect(r.final(out)).toBe(out);
  });
});

describe('text(): what stays visible', () => {
  const kept: Array<[name: string, input: string]> = [
    ['${VAR} reference under a key', '"apiKey": "${KIMICODE_API_KEY}"'],
    ['{env:VAR} spelling', 'apiKey: "{env:KIMI_API_KEY}"'],
    ['Kimi placeholder', '"apiKey": "sk-kimi-YOUR_API_KEY_HERE"'],
    ['Kimi placeholder in prose', 'replace sk-kimi-YOUR_API_KEY_HERE with your key'],
    ['REPLACE_ME', '"botToken": "REPLACE_ME"'],
    ['change-me token', '"token": "fresh-instance-token-change-me"'],
    ['INSERT placeholder', 'MOONSHOT_API_KEY: "INSERT_YOUR_API_KEY_HERE"'],
    ['xxx placeholder', 'apiKey: "sk-xxxxxxxxxxxxxxxxxxxxxxxx"'],
    ['auth mode', '"auth": "api-key"'],
    ['maxTokensField', '"maxTokensField": "max_tokens"'],
    ['maxTokens number', '"maxTokens": 32768'],
    ['log line with thinking', 'embedded run start: runId=7026c59e-0c59-404a-a2e7-99e7ef88bf4d provider=kimi-code model=kimi-for-coding thinking=low'],
    ['prose after a secret-named key', 'Set the token: then restart the gateway'],
    ['User-Agent header', '"User-Agent": "KimiCLI/0.77"'],
    ['git commit hash', 'commit 9d17bea4c1f0a75d71083cf576f2ce597a0d22235'],
    ['word ending in sk-', 'the disk-management-console-with-long-name stays'],
    ['sessionKey', 'sessionKey=agent:main:main'],
  ];
  it.each(kept)('%s', (_name, input) => {
    const r = fresh();
    expect(r.text(input)).toBe(input);
    expect(r.ledger()).toEqual({});
  });

  it('keeps the reference and masks the default of ${VAR:-default}', () => {
    const r = fresh();
    const out = r.value({ apiKey: `\${KIMI_API_KEY:-${KIMI}}` });
    expect(out.apiKey).toMatch(/^\$\{KIMI_API_KEY:-sk-kimi-…giSb \[#[0-9a-f]{4}\]\}$/);
  });
});

describe('placeholders', () => {
  it.each([
    'sk-kimi-YOUR_API_KEY_HERE', 'REPLACE_ME', 'changeme', 'fresh-instance-token-change-me', 'Insert_Telegram_Bot_Token',
    'INSERT_YOUR_API_KEY_HERE', '<your-api-key>', 'YourApiKeyHere', 'sk-xxxxxxxxxxxxxxxx', 'your-key-1',
  ])('%s is a placeholder', (v) => expect(isPlaceholder(v)).toBe(true));

  it.each([
    KIMI, APP_SECRET, GATEWAY, 'jtjhwwk-oabykwxe-jsywe-3552', 'sk-TN1ADFW1SZLNH9BAJMDF8BOOPT', 'hereXq9ZyourK2',
    'HEREabcYOURdefEXAMPLEk', 'ollama-local', 'kimi-code', '',
  ])('%s is not a placeholder', (v) => expect(isPlaceholder(v)).toBe(false));

  it('never passes random strings that happen to contain a placeholder word', () => {
    // Deterministic pseudo-random strings with a placeholder word spliced in.
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
    for (let i = 0; i < 2000; i++) {
      const base = Array.from({ length: 32 }, () => chars[Math.floor(rnd() * chars.length)]).join('');
      const at = Math.floor(rnd() * 28);
      const v = base.slice(0, at) + ['HERE', 'your', 'xxx', '_example_'][i % 4] + base.slice(at);
      expect(isPlaceholder(v), v).toBe(false);
    }
  });

  it('references', () => {
    expect(isReference('${KIMI_API_KEY}')).toBe(true);
    expect(isReference('Bearer ${TOKEN}')).toBe(true);
    expect(isReference('${A}${B}')).toBe(true);
    expect(isReference('sk-${X}')).toBe(false);
  });
});

describe('secret-named keys', () => {
  it.each([
    'apiKey', 'api_key', 'KIMI_API_KEY', 'x-api-key', 'botToken', 'token', 'appSecret', 'clientSecret', 'secret',
    'password', 'appPassword', 'encryptKey', 'verificationToken', 'braveApiKey', 'kimiCodeAPIKey', 'Authorization',
    'HF_TOKEN', 'channelAccessToken', 'encodingAESKey', 'auth', 'Cookie', 'privateKey',
  ])('%s names a secret', (k) => expect(isSecretKey(k)).toBe(true));

  it.each([
    'maxTokens', 'maxTokensField', 'apiKeyEnv', 'tokenFile', 'authHeader', 'sessionKey', 'baseUrl', 'model', 'mode',
    'sessionRetention', 'monkey', 'keyboard', 'authProfile', 'User-Agent', 'thinkingLevel',
  ])('%s does not', (k) => expect(isSecretKey(k)).toBe(false));
});

describe('value()', () => {
  it('masks by key name whatever the shape, and leaves the rest readable', () => {
    const r = fresh();
    const config = {
      gateway: { mode: 'local', auth: { mode: 'token', token: 'jtjhwwk-oabykwxe-jsywe-3552' } },
      models: {
        providers: {
          'kimi-code': {
            baseUrl: 'https://api.kimi.com/coding/v1',
            auth: 'api-key',
            apiKey: KIMI,
            headers: { 'User-Agent': 'KimiCLI/0.77', Authorization: `Bearer ${GATEWAY}` },
            models: [{ id: 'kimi-for-coding', maxTokens: 32768, compat: { supportsDeveloperRole: false, maxTokensField: 'max_tokens' } }],
          },
        },
      },
      channels: { telegram: { botToken: '${TELEGRAM_BOT_TOKEN}', allowFrom: ['12345'] }, feishu: { appSecret: APP_SECRET } },
      hooks: { token: 'short1' },
      pin: { password: 123456 },
      logging: { file: `${HOME}/logs/claw.log` },
    };
    const out = r.value(config);
    const json = JSON.stringify(out);
    for (const s of [KIMI, GATEWAY, APP_SECRET, 'jtjhwwk-oabykwxe-jsywe-3552', 'short1', '123456']) expect(json).not.toContain(s);
    const kimi = out.models.providers['kimi-code'];
    expect(kimi.apiKey).toMatch(/^sk-kimi-…giSb \[#[0-9a-f]{4}\]$/);
    expect(kimi.headers.Authorization).toMatch(/^Bearer …2b13 \[#[0-9a-f]{4}\]$/);
    expect(kimi.headers['User-Agent']).toBe('KimiCLI/0.77');
    expect(kimi.baseUrl).toBe('https://api.kimi.com/coding/v1');
    expect(kimi.auth).toBe('api-key');
    expect(kimi.models[0]).toEqual(config.models.providers['kimi-code'].models[0]);
    expect(out.gateway.auth.mode).toBe('token');
    expect(out.channels.telegram.botToken).toBe('${TELEGRAM_BOT_TOKEN}');
    expect(out.channels.telegram.allowFrom).toEqual(['12345']);
    expect(out.logging.file).toBe('~/logs/claw.log');
    expect(r.ledger()).toEqual({ 'gateway-token': 1, 'kimi-key': 1, authorization: 1, 'app-secret': 1, 'hooks-token': 1, password: 1 });
    // The input is not modified.
    expect(config.models.providers['kimi-code'].apiKey).toBe(KIMI);
  });

  it('redacts errors, cycles and map keys', () => {
    const r = fresh();
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    const out = r.value({ err: new Error(`failed with ${KIMI} in ${HOME}/x`), cyclic, [`${HOME}/a.json`]: 1 });
    expect(out.err).toBeInstanceOf(Error);
    expect(out.err.message).toMatch(/^failed with sk-kimi-…giSb \[#[0-9a-f]{4}\] in ~\/x$/);
    expect((out.cyclic as Record<string, unknown>).self).toBe('[Circular]');
    expect(Object.keys(out)).toContain('~/a.json');
  });
});

describe('known secrets', () => {
  it('masks a known value wherever it appears, with the same fingerprint as by key', () => {
    const r = fresh([GATEWAY, 'REPLACE_ME', '${X}', 'abc']);
    const byText = r.text(`connect failed: token ${GATEWAY} rejected`);
    const byKey = r.value({ gateway: { auth: { token: GATEWAY } } }).gateway.auth.token;
    expect(byText).not.toContain(GATEWAY);
    expect(byText).toContain(`[#${fingerprint(GATEWAY)}]`);
    expect(byKey).toBe(mask(GATEWAY, 'gateway-token'));
    expect(r.ledger()).toEqual({ secret: 1 });
    // Placeholders, references and too-short values are not searched for.
    expect(r.text('REPLACE_ME ${X} abc')).toBe('REPLACE_ME ${X} abc');
  });

  it('ignores plain words a too-wide collector may hand in', () => {
    const words = ['api-key', 'max_tokens', 'password', 'kimi-for-coding', 'OPENAI_COMPLETIONS'];
    const r = fresh(words);
    const line = words.join(' ');
    expect(r.text(line)).toBe(line);
    expect(r.ledger()).toEqual({});
    // A lowercase secret still counts once it is long or has a digit.
    const r2 = fresh(['correcthorsebatterystaple', 'hunter22']);
    expect(r2.text('pw correcthorsebatterystaple hunter22')).toMatch(/^pw …aple \[#[0-9a-f]{4}\] … \[#[0-9a-f]{4}\]$/);
  });

  it('addSecret uses the shape kind when there is one', () => {
    const r = fresh();
    r.addSecret(KIMI, 'env');
    r.addSecret('plain-secret-value-1', 'env');
    r.text(`${KIMI} plain-secret-value-1 plain-secret-value-1`);
    expect(r.ledger()).toEqual({ 'kimi-key': 1, env: 1 });
  });

  it('secretsIn and secretsFromEnv collect what is under secret names', () => {
    expect(secretsIn({ a: { apiKey: KIMI, auth: 'token', token: '${T}', model: 'x' }, list: { tokens: [1] }, botToken: ['p1', 'REPLACE_ME'] }))
      .toEqual([KIMI, 'p1']);
    expect(secretsFromEnv({ KIMI_API_KEY: KIMI, HOME, PATH: '/usr/bin', EMPTY_TOKEN: '', GITHUB_TOKEN: GHP })).toEqual([KIMI, GHP]);
  });
});

describe('paths', () => {
  it('home → ~ and the user name elsewhere → <user>', () => {
    const r = fresh();
    expect(r.text(`${HOME}/.clawdbot/clawdbot.json`)).toBe('~/.clawdbot/clawdbot.json');
    expect(r.text(`config at ${HOME}`)).toBe('config at ~');
    expect(r.text('/Users/alice/Library/x and /mnt/home/alice/y')).toBe('/Users/<user>/Library/x and /mnt/home/<user>/y');
    expect(r.text('/home/alicex/a /home/alice.bak')).toBe('/home/alicex/a /home/alice.bak');
    expect(r.text('file:///home/alice/x.js')).toBe('file://~/x.js');
  });

  it('Windows homes and common user names', () => {
    const r = new Redactor({ home: 'C:\\Users\\bob', user: 'bob' });
    expect(r.text('C:\\Users\\bob\\.openclaw\\openclaw.json')).toBe('~\\.openclaw\\openclaw.json');
    const node = new Redactor({ home: '/home/node', user: 'node' });
    expect(node.text('/home/node/.clawdbot and /usr/local/bin/node')).toBe('~/.clawdbot and /usr/local/bin/node');
  });
});

describe('ledger', () => {
  it('counts distinct values per kind', () => {
    const r = fresh();
    r.text(`${KIMI} ${KIMI} ${MOONSHOT}`);
    r.value({ apiKey: KIMI, other: { token: GATEWAY }, again: { token: GATEWAY } });
    r.text(`"appSecret": "${APP_SECRET}"`);
    expect(r.ledger()).toEqual({ 'kimi-key': 1, 'sk-key': 1, token: 1, 'app-secret': 1 });
  });
});

// The corpus: 45 real configs with fake secrets (corpus/README.md). No fake secret may survive.


interface ManifestEntry {
  file: string;
  secretsReplaced: Array<{ jsonPath: string; kind: string; fakeValue: string }>;
}

const manifest: CorpusEntry[] = corpusManifest();

describe.skipIf(!HAVE_CORPUS)('corpus', () => {
  it('covers every secret kind in the manifest', () => {
    const kinds = new Set(manifest.flatMap((e) => e.secretsReplaced.map((s) => s.kind)).filter((k) => !NOT_SECRET_KINDS.has(k)));
    expect(kinds.size).toBeGreaterThan(15);
  });

  it.each(manifest.map((e) => [e.file, e] as const))('%s leaks no secret', (file, entry) => {
    const raw = fs.readFileSync(path.join(CORPUS, file), 'utf8');
    const secrets = entry.secretsReplaced.filter((s) => !NOT_SECRET_KINDS.has(s.kind)).map((s) => s.fakeValue);
    const outputs: string[] = [fresh().text(raw), fresh().final(raw)];
    let parsed: unknown;
    try {
      parsed = JSON5.parse(raw.replace(/^\uFEFF/, ''));
    } catch {
      expect(file).toBe('028.json5'); // the one file that does not parse
    }
    if (parsed !== undefined) {
      outputs.push(JSON.stringify(fresh().value(parsed), null, 2));
      // Seeded with what the config holds, free text mentioning the values is masked too.
      const seeded = fresh(secretsIn(parsed));
      outputs.push(seeded.text(secrets.map((s) => `error: ${s} rejected`).join('\n')));
    }
    for (const out of outputs) for (const s of secrets) expect(out, `${file}: ${s}`).not.toContain(s);
  });

  it('keeps the corpus placeholders and ${VAR} references readable', () => {
    const r = fresh();
    const out = r.text(fs.readFileSync(path.join(CORPUS, '028.json5'), 'utf8'));
    expect(out).toContain('"INSERT_YOUR_API_KEY_HERE"');
    expect(out).toContain('"${MOONSHOT_API_KEY}"');
    expect(out).toContain('"Insert_Telegram_Bot_Token"');
  });

});

// A report can hold a 1 MB log line or a binary config line: masking must stay linear in the text's size.
// (Before, `a:a:a:…` or `a-a-a-…` of 100 KB took 10–20 s: quadratic backtracking.) No timing is asserted;
// the test's own time limit is what a quadratic pattern would blow.
describe('redaction of long adversarial text', () => {
  const n = 200_000;
  const cases: Record<string, string> = {
    word: 'y'.repeat(n),
    dashes: 'a-'.repeat(n / 2),
    dots: 'a.'.repeat(n / 2),
    colons: 'a:'.repeat(n / 2),
    equals: 'a='.repeat(n / 2),
    urls: 'http://a:'.repeat(n / 9),
    jwtish: 'eyJ.'.repeat(n / 4),
    keys: 'apiKey: '.repeat(n / 8),
    pem: '-----BEGIN PRIVATE KEY-----'.repeat(n / 27),
    binary: Array.from({ length: n }, (_, i) => String.fromCharCode((i * 7919) % 256)).join(''),
  };
  it.each(Object.entries(cases))('%s (200 KB) is redacted, and a secret inside it still is', (_name, text) => {
    const r = new Redactor({ home: '/home/alice' });
    const secret = 'sk-kimi-Zq81VfL2pXw9TnB4cR7dK3mY6sH0jG5a';
    const out = r.final(r.text(`${text} ${secret} ${text}`));
    expect(out).not.toContain(secret);
    expect(out.length).toBeGreaterThan(text.length);
  });
});
