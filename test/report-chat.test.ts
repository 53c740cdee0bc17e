// `--report --format chat`: one Discord message (2,000 characters; Telegram allows 4,096), plain text, the
// same root causes as the Markdown report, the same redaction, and the way to the full report.
import fs from 'node:fs';
import path from 'node:path';
import { marked, type Tokens } from 'marked';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadChecks } from '../src/engine/diagnose.js';
import { defaultOptions } from '../src/engine/options.js';
import type { CheckResult, ReportedFinding, Severity } from '../src/engine/types.js';
import { CHAT_LIMIT, renderChat } from '../src/report/chat.js';
import { rootCauses, type ReportInput } from '../src/report/markdown.js';
import { Redactor } from '../src/report/redact.js';
import { diagnose } from '../src/engine/diagnose.js';
import { buildReportText } from '../src/commands/report.js';
import { CORPUS_DIR, HAVE_CORPUS, NOT_SECRET_KINDS, corpusManifest } from './support/corpus.js';
import { FIXTURES, ROOT, cleanEnv, runCli } from './support/doctor.js';
import { makeTempHome, type TempHome } from './support/temp-home.js';

const HOME = '/home/alice';
const KIMI = 'sk-kimi-UaP9OQptIJQpZEnYDUD2t3tHqyXXOzlvXrmXWOeXLt9RRcqYKH1Yhb6gtEw1giSb';
const GATEWAY_TOKEN = '65a2ea87021ca6dca89153e1b015980ce29e6dad2ae890be7683fdbbb4eb2b13';
const TELEGRAM_LIMIT = 4096;

const length = (s: string): number => [...s].length;

/** A setup with every kind of finding: each check gives an error, a warning and a note, some sharing a cause. */
async function everyKind(): Promise<ReportInput> {
  const checks = await loadChecks(defaultOptions(), ROOT);
  const findings: ReportedFinding[] = [];
  const results: CheckResult[] = checks.map((c, i) => {
    const own: ReportedFinding[] = (['error', 'warn', 'info'] as Severity[]).map((severity) => ({
      check: c.id,
      severity,
      title: `${c.title}: a ${severity} with a long title that names <the thing> & its value`,
      detail: `First line of the detail, key ${KIMI}.\n  an indented line\nthe home is ${HOME}/.clawdbot`,
      fix: `Edit ${HOME}/.clawdbot/clawdbot.json:\n${'  "some": { "long": "snippet line that goes on" },\n'.repeat(12)}then restart: clawdbot gateway restart --token ${GATEWAY_TOKEN}`,
      evidence: [`${HOME}/.clawdbot/clawdbot.json:${i + 1}:3 (models.providers.kimi-code)`, 'HTTP 403'],
      // Every third check sees the User-Agent gate again: one cause, several sightings.
      cause: i % 3 === 0 && severity !== 'info' ? 'client-gate' : undefined,
    }));
    findings.push(...own);
    return { id: c.id, title: c.title, area: c.id.split('.')[0]!, status: 'error', durationMs: 1, findings: own };
  });
  return {
    tool: { name: 'claw-doctor', version: '0.1.0' },
    generatedAt: '2026-11-23T21:50:00.000Z',
    environment: { os: 'linux 6.8.0 x64', node: 'v22.21.1', product: 'clawdbot', productVersion: '2026.1.24-3', configPath: `${HOME}/.clawdbot/clawdbot.json`, gateway: 'running on port 18789 (systemd), started before the config changed' },
    checks: results,
    findings,
    summary: { passed: 0, warnings: 0, errors: results.length, skipped: 0 },
  };
}

describe('renderChat', () => {
  it('fits one Discord message (and so one Telegram message) on a setup with every kind of finding', async () => {
    const input = await everyKind();
    const text = renderChat(input, new Redactor({ home: HOME, user: 'alice', knownSecrets: [GATEWAY_TOKEN] }), { fullReport: 'claw-doctor --report --output doctor.md' });
    expect(length(text)).toBeLessThanOrEqual(CHAT_LIMIT);
    expect(length(text)).toBeLessThanOrEqual(TELEGRAM_LIMIT);
    expect(length(text)).toBeGreaterThan(CHAT_LIMIT / 2);
    expect(text).toMatch(/Full report: claw-doctor --report --output doctor\.md\n$/);
    expect(text).toMatch(/^Gateway: running on port 18789/m);
    // The causes it shows are the report's root causes, each once, errors first.
    const shown = text.split('\n').filter((l) => /^\d+\. (ERROR|WARNING) /.test(l));
    const causes = rootCauses(input.findings);
    expect(shown.length).toBeGreaterThan(1);
    expect(shown[0]).toContain(causes[0]!.first.title);
    expect(new Set(shown).size).toBe(shown.length);
    expect(text).toMatch(/… and \d+ more in the full report\./);
  });

  it('is plain text: no Markdown table, no <details>, no HTML entities, no code fences', async () => {
    const text = renderChat(await everyKind(), new Redactor({ home: HOME, user: 'alice' }), { fullReport: 'x' });
    expect(text).not.toMatch(/<details|<summary|&lt;|&gt;|&amp;|```|^\|/m);
    // `<the thing> & its value` is shown as written: chat clients do not decode entities.
    expect(text).toContain('<the thing> & its value');
    expect(marked.lexer(text).some((t) => t.type === 'table' || t.type === 'html')).toBe(false);
  });

  it('masks secrets and the home directory like every other output', async () => {
    const text = renderChat(await everyKind(), new Redactor({ home: HOME, user: 'alice', knownSecrets: [GATEWAY_TOKEN] }), { fullReport: 'x' });
    expect(text).not.toContain(KIMI);
    expect(text).not.toContain(GATEWAY_TOKEN);
    expect(text).not.toContain(HOME);
    expect(text).not.toMatch(/\balice\b/);
    expect(text).toContain('~/.clawdbot/clawdbot.json');
  });

  it('a healthy run says so in a few lines', () => {
    const text = renderChat(
      { tool: { name: 'claw-doctor', version: '0.1.0' }, generatedAt: new Date(), environment: { os: 'darwin', node: 'v20.19.0' }, checks: [], findings: [], summary: { passed: 12, warnings: 0, errors: 0, skipped: 1 } },
      new Redactor({}),
      { fullReport: 'y' },
    );
    expect(text).toBe('claw-doctor 0.1.0 · product not found · darwin · Node v20.19.0\nConfig: not found\nVerdict: no problem found (12 checks passed · 1 skipped)\n\nFull report: y\n');
  });
});

describe('claw-doctor --report --format chat (process, the real clawdbot 2026.1.24-3 state and log)', () => {
  let home: TempHome;
  beforeEach(() => {
    home = makeTempHome({ prefix: 'claw-doctor-chat-' });
    fs.cpSync(path.join(FIXTURES, 'state'), home.stateDir, { recursive: true });
    fs.mkdirSync(path.join(home.home, 'logs'));
    for (const f of fs.readdirSync(path.join(FIXTURES, 'log'))) fs.copyFileSync(path.join(FIXTURES, 'log', f), path.join(home.home, 'logs', f));
  });
  afterEach(() => home.cleanup());

  it('one message with the same causes as the Markdown report, the exit code of a plain run, nothing secret', async () => {
    const env = cleanEnv(home.home, { CLAW_DOCTOR_LOG_ROOTS: path.join(home.home, 'no-logs') });
    const args = ['--offline', '--log-dir', path.join(home.home, 'logs')];
    const [chat, md, plain] = await Promise.all([
      runCli([...args, '--report', '--format', 'chat'], { env, cwd: home.home }),
      runCli([...args, '--report'], { env, cwd: home.home }),
      runCli(args, { env, cwd: home.home }),
    ]);
    expect(chat.code).toBe(plain.code);
    expect(length(chat.stdout)).toBeLessThanOrEqual(CHAT_LIMIT);
    // Each root cause of the Markdown report's first section is in the chat form once.
    const tokens = marked.lexer(md.stdout);
    const from = tokens.findIndex((t) => t.type === 'heading' && t.text === 'Root causes');
    const to = tokens.findIndex((t) => t.type === 'heading' && t.text === 'Details');
    const titles = tokens.slice(from, to).filter((t): t is Tokens.Heading => t.type === 'heading' && t.depth === 4).map((h) => h.text.replace(/^\d+\. \S+ /, ''));
    expect(titles.length).toBeGreaterThan(0);
    for (const t of titles) expect(chat.stdout.split(t).length - 1, t).toBe(1);
    // In the Markdown report each of those causes carries its fix as a block, in that first section.
    const causeBlocks = md.stdout.split('### Root causes')[1]!.split('### Details')[0]!.split(/\n(?=#### )/).slice(1);
    expect(causeBlocks).toHaveLength(titles.length);
    for (const b of causeBlocks) expect(marked.lexer(b).some((t) => t.type === 'code'), b).toBe(true);
    const key = fs.readFileSync(path.join(FIXTURES, 'state/clawdbot.json'), 'utf8').match(/sk-kimi-[A-Za-z0-9_-]+/)?.[0];
    if (key) expect(chat.stdout).not.toContain(key);
    expect(chat.stdout).not.toContain(home.home);
    expect(chat.stdout).toMatch(/Full report: claw-doctor --report --output doctor\.md, then attach doctor\.md\n$/);
    // The gateway's state, one line in each header (from the gateway checks' fact).
    expect(md.stdout).toMatch(/^- \*\*Gateway\*\* (running|not running|something listens) /m);
    expect(chat.stdout).toMatch(/^Gateway: (running|not running|something listens) /m);
    const skipped = await runCli([...args, '--report', '--skip', 'gateway'], { env, cwd: home.home });
    expect(skipped.stdout).not.toMatch(/\*\*Gateway\*\*/);
  }, 60000);

  it('--format without --report, or an unknown format, is a usage error', async () => {
    const env = cleanEnv(home.home);
    const a = await runCli(['--format', 'chat'], { env, cwd: home.home });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^claw-doctor: --format goes with --report/);
    const b = await runCli(['--report', '--format', 'slack'], { env, cwd: home.home });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/Invalid values:[\s\S]*format/);
  });
});

describe.skipIf(!HAVE_CORPUS)('--report --format chat on the corpus: the same redaction', () => {
  it.each(corpusManifest())('$file: no fake secret and no home path, within one message', async (entry) => {
    const home = makeTempHome({ prefix: 'claw-doctor-chat-corpus-' });
    try {
      const name = path.basename(entry.path).endsWith('.json') ? path.basename(entry.path) : 'clawdbot.json';
      const cfgPath = home.write(`cfg/${name}`, fs.readFileSync(path.join(CORPUS_DIR, entry.file), 'utf8'));
      const options = defaultOptions({ offline: true, timeout: 20, report: true, format: 'chat', config: cfgPath });
      const outcome = await diagnose(options, { env: cleanEnv(home.home, { CLAW_DOCTOR_LOG_ROOTS: path.join(home.home, 'no-logs') }), home: home.home, cwd: home.home });
      const text = await buildReportText(outcome, { format: 'chat' });
      for (const s of entry.secretsReplaced) {
        if (NOT_SECRET_KINDS.has(s.kind)) continue;
        expect(text.includes(s.fakeValue), `${s.kind} at ${s.jsonPath} leaked`).toBe(false);
      }
      expect(text).not.toContain(home.home);
      expect(length(text)).toBeLessThanOrEqual(CHAT_LIMIT);
    } finally {
      home.cleanup();
    }
  });
});
