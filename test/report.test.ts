// --report in-process: the text is built exactly as runReport builds it (diagnose → buildReportText), from
// real files in temp homes. Every fake secret of the corpus stays out of it, the ledger counts distinct
// values, the Markdown has the expected shape, and the pieces around it (install kind, the "not collected"
// lines, the atomic 0600 write) do what they say.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { marked, type Token, type Tokens } from 'marked';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CORPUS_DIR as CORPUS, HAVE_CORPUS, corpusManifest, NOT_SECRET_KINDS, type CorpusEntry } from './support/corpus.js';
import { FIXTURES, ROOT, cleanEnv } from './support/doctor.js';
import { makeTempHome, type TempHome } from './support/temp-home.js';
import { startKimiServer, TEST_KEY, type KimiServer } from './support/kimi-server.js';
import { defaultOptions, type Options } from '../src/engine/options.js';
import { diagnose, loadChecks } from '../src/main.js';
import { LOG_ROOTS_ENV } from '../src/facts/evidence-logs.js';
import { localDate } from '../src/facts/logs.js';
import { installKindOf } from '../src/facts/install-kind.js';
import { buildReportText, withNotCollected, writeFileAtomic } from '../src/commands/report.js';


const manifest: CorpusEntry[] = corpusManifest();
const NOW = new Date('2026-11-23T22:00:00Z');

let home: TempHome;
/** An empty dir as the only default log root: no test reads the real /tmp/clawdbot. */
let logRoot: string;

beforeEach(() => {
  home = makeTempHome({ prefix: 'claw-doctor-report-' });
  logRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-report-logs-'));
});
afterEach(() => {
  home.cleanup();
  fs.rmSync(logRoot, { recursive: true, force: true });
});

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cleanEnv(home.home, { [LOG_ROOTS_ENV]: logRoot, ...extra });
}

/** What `claw-doctor --report …` would print, built the way runReport builds it. */
async function report(over: Partial<Options> = {}, extraEnv: NodeJS.ProcessEnv = {}, cwd = home.home): Promise<{ md: string; exitCode: number; tokens: Token[] }> {
  const options = defaultOptions({ offline: true, timeout: 20, report: true, ...over });
  const outcome = await diagnose(options, { env: env(extraEnv), home: home.home, cwd });
  const md = await buildReportText(outcome, { now: NOW });
  return { md, exitCode: outcome.exitCode, tokens: marked.lexer(md) };
}

const headings = (tokens: Token[]) => tokens.filter((t): t is Tokens.Heading => t.type === 'heading' && t.depth <= 3).map((h) => h.text);
const tables = (tokens: Token[]) => tokens.filter((t): t is Tokens.Table => t.type === 'table');
const summaries = (tokens: Token[]) =>
  tokens.filter((t): t is Tokens.HTML => t.type === 'html' && t.raw.startsWith('<details>')).map((t) => /<summary>(.*)<\/summary>/.exec(t.raw)?.[1]);
const ledgerOf = (tokens: Token[]) => {
  const last = tables(tokens).at(-1)!;
  expect(last.header.map((c) => c.text)).toEqual(['Kind', 'Values masked']);
  return Object.fromEntries(last.rows.map((r) => [r[0]!.text, Number(r[1]!.text)]));
};

describe.skipIf(!HAVE_CORPUS)('--report on the corpus', () => {
  it.each(manifest)('$file: no fake secret and no home path in the report', async (entry) => {
    const dir = path.join(home.home, 'cfg');
    fs.mkdirSync(dir, { recursive: true });
    const name = path.basename(entry.path).endsWith('.json') ? path.basename(entry.path) : 'clawdbot.json';
    const cfgPath = path.join(dir, name);
    fs.copyFileSync(path.join(CORPUS, entry.file), cfgPath);
    const { md, tokens } = await report({ config: cfgPath, verbose: true });
    for (const s of entry.secretsReplaced) {
      if (NOT_SECRET_KINDS.has(s.kind)) continue;
      expect(md.includes(s.fakeValue), `${s.kind} at ${s.jsonPath} leaked`).toBe(false);
    }
    expect(md).not.toContain(home.home);
    expect(headings(tokens)).toEqual(['claw-doctor report', 'Root causes', 'Details', 'Redaction']);
    expect(tokens.at(-1)!.type === 'table' || /No secret values were found/.test(md.trimEnd().split('\n').at(-1)!)).toBe(true);
  });
});

describe('--report content', () => {
  const KIMI = 'sk-kimi-Zq3vWm8TnK5pLr2XyB7cHd4FgJ6sAe9QuV1oIx0MbNtRwYzE';
  const TELEGRAM = '7294061835:AAHk3Jq9ZsW2xV8mN5bR4cT7yL1pF6gD0eK';

  /** One sk-kimi key written twice (provider apiKey and env.vars) and one Telegram bot token. */
  function configWithKnownSecrets(): string {
    return JSON.stringify({
      env: { vars: { KIMICODE_API_KEY: KIMI } },
      models: {
        mode: 'merge',
        providers: {
          'kimi-code': {
            baseUrl: 'https://api.kimi.com/coding/v1',
            apiKey: KIMI,
            api: 'openai-completions',
            models: [{ id: 'kimi-for-coding', name: 'Kimi For Coding', reasoning: true, contextWindow: 262144, maxTokens: 32768, headers: { 'User-Agent': 'KimiCLI/0.77' }, compat: { supportsDeveloperRole: false } }],
          },
        },
      },
      agents: { defaults: { model: { primary: 'kimi-code/kimi-for-coding' }, thinkingDefault: 'low' } },
      channels: { telegram: { enabled: true, botToken: TELEGRAM } },
    }, null, 2);
  }

  it('counts each distinct secret once in the ledger, and shows neither', async () => {
    home.writeConfig(configWithKnownSecrets());
    // The log quotes both again: the bot's URL (with its token) and a refused key.
    const logDir = path.join(home.home, 'logs');
    const line = (level: string, msg: string) => JSON.stringify({ 0: msg, _meta: { logLevelName: level }, time: '2026-11-23T21:49:00.000Z' });
    home.write(`logs/clawdbot-${localDate(new Date())}.log`, [
      line('ERROR', `telegram: sendMessage failed: POST https://api.telegram.org/bot${TELEGRAM}/sendMessage 409 Conflict`),
      line('ERROR', `request failed: 401 Invalid Authentication (key ${KIMI})`),
    ].join('\n') + '\n');
    const { md, tokens } = await report({ logDir });
    expect(md).toContain('api.telegram.org/bot');
    expect(md).not.toContain(KIMI);
    expect(md).not.toContain(TELEGRAM);
    expect(ledgerOf(tokens)).toEqual({ 'kimi-key': 1, 'telegram-bot-token': 1 });
    // The key shows in the effective configuration as a mask with its fingerprint, not at all otherwise.
    const json = tokens.find((t): t is Tokens.Code => t.type === 'code' && t.lang === 'json');
    const kimi = JSON.parse(json!.text) as { models: { providerAsWritten: { apiKey: string }; keySource: string; usedByAgent: boolean }[] };
    expect(kimi.models[0]!.providerAsWritten.apiKey).toMatch(/^sk-kimi-…wYzE \[#[0-9a-f]{4}\]$/);
    expect(kimi.models[0]!.usedByAgent).toBe(true);
    expect(kimi.models[0]!.keySource).toMatch(/KIMICODE_API_KEY|apiKey/);
  });

  it('is Markdown with the header, a one-line verdict, the findings table, <details> and the ledger last', async () => {
    home.writeConfig(fs.readFileSync(path.join(ROOT, 'examples/broken-no-user-agent/clawdbot.json'), 'utf8'));
    const { md, tokens, exitCode } = await report({}, { KIMICODE_API_KEY: KIMI });
    expect(exitCode).toBe(1);
    expect(headings(tokens)).toEqual(['claw-doctor report', 'Root causes', 'Details', 'Redaction']);
    const top = md.split('### Root causes')[0]!;
    expect(top).toMatch(/\*\*claw-doctor\*\* \d+\.\d+\.\d+ · 2026-11-23 22:00 UTC/);
    expect(top).toMatch(/\*\*OS\*\* \S+.* · \*\*Node\*\* v\d+/);
    expect(top).toContain('**Product** clawdbot 2026.1.24 · **Install** unknown (no product CLI on PATH)');
    expect(top).toContain('**Config** `~/.clawdbot/clawdbot.json`');
    expect(top.split('\n').filter((l) => l.startsWith('**Verdict:**'))).toEqual([expect.stringMatching(/^\*\*Verdict:\*\* ❌ 1 cause to fix: 1 error, 0 warnings · \d+ checks passed · \d+ skipped$/)]);
    const findings = tables(tokens).find((t) => t.header.map((c) => c.text).join() === 'Severity,Check,Title')!;
    expect(findings.rows.map((r) => r[1]!.text)).toContain('`provider.user-agent`');
    expect(findings.rows[0]![0]!.text).toBe('❌ error');
    expect(summaries(tokens)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^All findings \(\d+\)$/),
      expect.stringMatching(/^All checks \(\d+\)$/),
      'Kimi provider and model (effective, redacted)',
    ]));
    // Every finding's fix is in the details.
    expect(md).toContain('**Fix**');
    expect(md).toContain('"User-Agent": "KimiCLI/0.77"');
    // The key comes from the env and the config only names it (${KIMICODE_API_KEY}): nothing to mask.
    expect(md.trimEnd().split('\n').at(-1)).toBe('No secret values were found to mask.');
    expect(md).toContain('"apiKey": "${KIMICODE_API_KEY}"');
    expect(md).not.toContain(KIMI);
  });

  it('says which sections were not collected in this run, and why', async () => {
    home.writeConfig(configWithKnownSecrets());
    // logs.thinking reads the sessions too (the session's level wins over thinkingDefault): skip both areas.
    const { md, tokens } = await report({ skip: ['sessions', 'logs'] });
    const block = md.split('**Not collected in this run**')[1]!.split('### Redaction')[0]!;
    expect(block).toMatch(/- API probe — not collected in this run \(probe\.chat skipped: --offline/);
    expect(block).toMatch(/- Sessions — not collected in this run \(sessions\.store, sessions\.errors, sessions\.integrity not selected\)/);
    expect(block).toMatch(/- Recent log lines — not collected in this run \(logs\.today, logs\.thinking, logs\.errors not selected\)/);
    expect(summaries(tokens)).not.toContain('Sessions');
    // The ledger stays last.
    expect(tokens.at(-1)!.type).toBe('table');
  });

  it('without a config: the report still renders and says what it could not show', async () => {
    const { md, tokens, exitCode } = await report();
    expect(headings(tokens)).toEqual(['claw-doctor report', 'Root causes', 'Details', 'Redaction']);
    expect(md).toContain('**Config** not found');
    expect(md).toContain('- Kimi provider and model — no config was read (see config.location and config.parse)');
    expect(exitCode).toBe((await diagnose(defaultOptions({ offline: true, timeout: 20 }), { env: env(), home: home.home, cwd: home.home })).exitCode);
  });

  it('never shows the home directory, even in paths outside the config', async () => {
    home.writeConfig(configWithKnownSecrets());
    const logDir = path.join(home.home, 'var', 'log');
    fs.mkdirSync(logDir, { recursive: true });
    const { md } = await report({ logDir });
    expect(md).not.toContain(home.home);
    expect(md).toContain('~/.clawdbot/clawdbot.json');
  });
});

describe('--report on the real clawdbot 2026.1.24-3 state and log', () => {
  function installFixture(): string {
    fs.cpSync(path.join(FIXTURES, 'state'), home.stateDir, { recursive: true });
    const logDir = path.join(home.home, 'logs');
    fs.mkdirSync(logDir);
    for (const f of fs.readdirSync(path.join(FIXTURES, 'log'))) fs.copyFileSync(path.join(FIXTURES, 'log', f), path.join(logDir, f));
    return logDir;
  }

  it('names the 403 User-Agent gate and the developer role in its findings table, with logs and sessions', async () => {
    const logDir = installFixture();
    const { md, tokens } = await report({ logDir });
    const key = fs.readFileSync(path.join(FIXTURES, 'state/clawdbot.json'), 'utf8').match(/sk-kimi-[A-Za-z0-9_-]+/)?.[0];
    if (key) expect(md).not.toContain(key);
    expect(md).not.toContain(home.home);
    const ids = new Set((await loadChecks(defaultOptions(), home.home)).map((c) => c.id));
    if (!ids.has('logs.errors') || !ids.has('sessions.errors')) return; // the evidence checks are not registered yet
    const table = tables(tokens).find((t) => t.header.map((c) => c.text).join() === 'Severity,Check,Title')!;
    const titles = table.rows.map((r) => `${r[1]!.text} ${r[2]!.text}`);
    expect(titles.some((t) => /403|User-Agent/.test(t))).toBe(true);
    expect(titles.some((t) => /developer/.test(t))).toBe(true);
    expect(summaries(tokens)).toEqual(expect.arrayContaining([expect.stringMatching(/^Recent log lines \(\d+, from 1 file\)$/), 'Sessions']));
    const logs = md.split(/<summary>Recent log lines/)[1]!.split('</details>')[0]!;
    expect(logs).toContain('thinking=low');
    expect(logs).toContain('403 Kimi For Coding');
    const sessions = md.split('<summary>Sessions</summary>')[1]!.split('</details>')[0]!;
    expect(sessions).toContain('`agent:main:main`');
    expect(sessions).toContain("role 'developer' is not allowed");
  });
});

describe('--report with the live probe (loopback Kimi server)', () => {
  let server: KimiServer;
  beforeAll(async () => {
    server = await startKimiServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('shows the request and the answer, never the key', async () => {
    home.writeConfig(JSON.stringify({
      models: {
        providers: {
          'kimi-code': {
            baseUrl: `${server.url}/coding/v1`,
            apiKey: TEST_KEY,
            api: 'openai-completions',
            models: [{ id: 'kimi-for-coding', reasoning: true, contextWindow: 262144, maxTokens: 32768, compat: { supportsDeveloperRole: false } }],
          },
        },
      },
      agents: { defaults: { model: { primary: 'kimi-code/kimi-for-coding' } } },
    }));
    const { md, tokens, exitCode } = await report({ offline: false });
    expect(exitCode).toBe(1); // no User-Agent: the gate answers 403
    expect(md).not.toContain(TEST_KEY);
    const probe = md.split('<summary>API probe</summary>')[1]!.split('</details>')[0]!;
    expect(probe).toMatch(/\*\*Request\*\* `POST http:\/\/127\.0\.0\.1:\d+\/coding\/v1\/chat\/completions`/);
    expect(probe).toContain('**Response** HTTP 403 · failed');
    const headers = tables(tokens).find((t) => t.header.map((c) => c.text).join() === 'Header,Value')!;
    const byName = Object.fromEntries(headers.rows.map((r) => [r[0]!.text.toLowerCase(), r[1]!.text]));
    expect(byName['`authorization`']).toBe('`(redacted)`');
    expect(byName['`user-agent`']).toMatch(/^`OpenAI\/JS /); // none configured: the SDK's own
    expect(ledgerOf(tokens)).toEqual({ 'kimi-key': 1 });
    expect(md).not.toMatch(/- API probe — /);
  });
});

describe('installKindOf', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-install-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function link(target: string, at: string): string {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, '#!/usr/bin/env node\n', { mode: 0o755 });
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.symlinkSync(path.relative(path.dirname(at), target), at);
    return at;
  }

  it('global npm: bin/ links into lib/node_modules', () => {
    const cli = link(path.join(root, 'prefix/lib/node_modules/clawdbot/dist/entry.js'), path.join(root, 'prefix/bin/clawdbot'));
    expect(installKindOf(cli)).toBe('global npm');
  });

  it('npx: the _npx cache', () => {
    const cli = link(path.join(root, '.npm/_npx/0a1b2c/node_modules/openclaw/openclaw.mjs'), path.join(root, '.npm/_npx/0a1b2c/node_modules/.bin/openclaw'));
    expect(installKindOf(cli)).toBe('npx');
  });

  it('anything else is unknown; no CLI says so', () => {
    const cli = path.join(root, 'bin/moltbot');
    fs.mkdirSync(path.dirname(cli));
    fs.writeFileSync(cli, '#!/bin/sh\n', { mode: 0o755 });
    expect(installKindOf(cli)).toBe('unknown');
    expect(installKindOf(undefined)).toBe('unknown (no product CLI on PATH)');
  });
});

describe('withNotCollected', () => {
  it('goes right before the ledger, escaped', () => {
    const md = '## claw-doctor report\n\n### Details\n\n### Redaction\n\nNo secret values were found to mask.\n';
    const out = withNotCollected(md, ['Sessions — not collected in this run (<none>)']);
    expect(out).toBe('## claw-doctor report\n\n### Details\n\n**Not collected in this run**\n\n- Sessions — not collected in this run (&lt;none&gt;)\n\n### Redaction\n\nNo secret values were found to mask.\n');
    expect(withNotCollected(md, [])).toBe(md);
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-write-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes mode 0600, replaces an existing file, leaves no temp file', () => {
    const file = path.join(dir, 'doctor.md');
    fs.writeFileSync(file, 'old', { mode: 0o644 });
    writeFileAtomic(file, 'new report\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('new report\n');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['doctor.md']);
  });

  it('never replaces a directory, and says why', () => {
    const sub = path.join(dir, 'reports');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, 'keep.txt'), 'x');
    expect(() => writeFileAtomic(sub, 'x')).toThrow(/is a directory/);
    expect(fs.readFileSync(path.join(sub, 'keep.txt'), 'utf8')).toBe('x');
    expect(() => writeFileAtomic(path.join(dir, 'missing', 'r.md'), 'x')).toThrow(/does not exist/);
  });
});
