// product.version: the known failures of the installed version that apply to this config, with the release
// that fixes them; an error naming the version cause when the log or a transcript shows it happening.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CAUSES } from '../src/causes/index.js';
import { parseProductVersion, versionVerdict } from '../src/causes/versions.js';
import { findingsFor } from './support/doctor.js';
import { makeTempHome, type TempHome } from './support/temp-home.js';
import { findFinding } from './support/findings.js';
import { localDate, tslogLine } from './support/logs-fixtures.js';

let home: TempHome | undefined;
afterEach(() => {
  home?.cleanup();
  home = undefined;
});

describe('version ranges of every version cause', () => {
  const dayAfter = (v: string): string => {
    const [y, m, d] = parseProductVersion(v)!;
    return `${y}.${m}.${d + 1}`;
  };
  const dayBefore = (v: string): string => {
    const [y, m, d] = parseProductVersion(v)!;
    return d > 1 ? `${y}.${m}.${d - 1}` : `${y}.${m - 1}.28`;
  };
  const withVersions = CAUSES.filter((c) => c.versions?.length);

  it.each(withVersions.map((c) => [c.id, c] as const))('%s: affected, fixed, unknown', (_id, c) => {
    for (const r of c.versions!) {
      expect(versionVerdict(c, r.from).kind, `${r.from} is affected`).toBe('affected');
      expect(versionVerdict(c, `${r.from}-2`).kind, `${r.from}-2 (a patch of it) is affected`).toBe('affected');
      if (r.fixedIn) expect(versionVerdict(c, r.fixedIn)).toEqual({ kind: 'fixed', fixedIn: r.fixedIn });
      if (r.lastSeen) expect(versionVerdict(c, r.lastSeen).kind).toBe('affected');
    }
    const first = c.versions![0]!;
    const earliest = c.versions!.map((r) => r.from).sort((a, b) => (versionVerdict({ versions: [{ from: a }] }, b).kind === 'affected' ? -1 : 1))[0]!;
    expect(versionVerdict(c, dayBefore(earliest)).kind, 'before the first affected version').toBe('not-affected');
    expect(versionVerdict(c, 'dev-build').kind).toBe('unknown-version');
    expect(versionVerdict(c, undefined).kind).toBe('unknown-version');
    const last = c.versions!.at(-1)!;
    if (last.lastSeen && !c.versions!.some((r) => versionVerdict({ versions: [r] }, dayAfter(last.lastSeen!)).kind === 'affected')) {
      expect(versionVerdict(c, dayAfter(last.lastSeen)).kind, 'after the last version seen, no fix known').toBe('not-affected');
    }
    expect(first.from).toMatch(/^\d{4}\.\d{1,2}\.\d{1,2}$/);
  });
});

// ---- the check, on real files in a temp home ----

function openclawConfig(version: string | undefined, o: { api?: string; thinking?: string; extra?: string } = {}): string {
  const meta = version ? `"meta": { "lastTouchedVersion": "${version}" },` : '';
  const base = o.api === 'anthropic-messages' ? 'https://api.kimi.com/coding/' : 'https://api.kimi.com/coding/v1';
  return `{
  ${meta}
  ${o.extra ?? ''}
  "models": { "providers": { "kimi": {
    "baseUrl": "${base}", "api": "${o.api ?? 'openai-completions'}", "apiKey": "sk-kimi-test-0000000000000000",
    "models": [{ "id": "kimi-for-coding", "reasoning": true, "headers": { "User-Agent": "KimiCLI/0.77" }, "compat": { "supportsDeveloperRole": false } }]
  } } },
  "agents": { "defaults": { "model": { "primary": "kimi/kimi-for-coding" }, "thinkingDefault": "${o.thinking ?? 'medium'}" } }
}`;
}

/** A home with ~/.openclaw/openclaw.json and today's log holding `logLines` (tslog messages). */
function setup(config: string, logLines: string[] = []): { env: NodeJS.ProcessEnv } {
  home = makeTempHome({ prefix: 'claw-doctor-version-' });
  const cfgPath = home.write('.openclaw/openclaw.json', config);
  const logs = path.join(home.home, 'logs');
  const now = new Date();
  // The config was written a minute before the logged errors: they are not "before the last config change",
  // whatever second the test happens to run in.
  const before = new Date(now.getTime() - 60_000);
  fs.utimesSync(cfgPath, before, before);
  const file = path.join(logs, 'openclaw', `openclaw-${localDate(now)}.log`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, logLines.map((m) => tslogLine(m, { level: 'WARN', time: now.toISOString() }) + '\n').join(''));
  return { env: { CLAW_DOCTOR_LOG_ROOTS: logs } };
}

const REASONING_400 = 'LLM request failed: provider rejected the request schema or tool payload. rawError=400 thinking is enabled but reasoning_content is missing in assistant tool call message at index 69';

describe('product.version', () => {
  it('2026.5.12 + openai route + thinking + the 400 in the log → an error naming the version cause', async () => {
    const { env } = setup(openclawConfig('2026.5.12'), [REASONING_400]);
    const { findings, statuses } = await findingsFor(home!, {}, env);
    findFinding(findings, { check: 'logs.errors', severity: 'error', cause: 'reasoning-content-missing' }, statuses);
    const f = findFinding(findings, { check: 'product.version', severity: 'error', cause: 'reasoning-replay-openai', title: /2026\.5\.12 has this failure, and it is happening/ }, statuses);
    expect(f.detail).toMatch(/Seen: 1× "reasoning-content-missing" in the log/);
    expect(f.fix).toMatch(/Fixed in 2026\.5\.16: upgrade/);
    expect(f.fix).toMatch(/"reasoning": false/);
  });

  it('the same config and log on the fixed version (2026.9.6) do not name it', async () => {
    const { env } = setup(openclawConfig('2026.9.6'), [REASONING_400]);
    const { findings, statuses } = await findingsFor(home!, {}, env);
    findFinding(findings, { check: 'logs.errors', severity: 'error', cause: 'reasoning-content-missing' }, statuses);
    expect(findings.filter((f) => f.check === 'product.version')).toEqual([]);
    expect(statuses['product.version']).toBe('pass');
  });

  it('affected version and config, nothing seen yet → a warning with the fixed release', async () => {
    const { env } = setup(openclawConfig('2026.5.12'));
    const { findings, statuses } = await findingsFor(home!, {}, env);
    const f = findFinding(findings, { check: 'product.version', severity: 'warn', cause: 'reasoning-replay-openai', title: /has a known failure for this setup/ }, statuses);
    expect(f.detail).toMatch(/Affected: 2026\.5\.12 until 2026\.5\.16/);
  });

  it('affected version but the config does not meet the conditions (thinking off) → nothing', async () => {
    const { env } = setup(openclawConfig('2026.5.12', { thinking: 'off' }));
    const { findings, statuses } = await findingsFor(home!, {}, env);
    // It ran and judged (a skipped or crashed check would have no finding either).
    expect(statuses['product.version']).toBe('pass');
    expect(findings.filter((f) => f.check === 'product.version' && f.cause === 'reasoning-replay-openai')).toEqual([]);
  });

  it('unknown version (no meta, no CLI) → skipped, never a guess', async () => {
    const { env } = setup(openclawConfig(undefined));
    const { statuses } = await findingsFor(home!, {}, env);
    expect(statuses['product.version']).toBe('skipped');
  });

  it('the CLI on PATH wins over meta.lastTouchedVersion, and the difference is said', async () => {
    const { env } = setup(openclawConfig('2026.9.6'), [REASONING_400]);
    const cli = home!.write('bin/openclaw', '#!/bin/sh\necho 2026.5.12\n');
    fs.chmodSync(cli, 0o755);
    const { findings, statuses } = await findingsFor(home!, {}, env);
    findFinding(findings, { check: 'product.version', severity: 'info', title: /Versions differ: the CLI on PATH is 2026\.5\.12; the config was last written by 2026\.9\.6/ }, statuses);
    findFinding(findings, { check: 'product.version', severity: 'error', cause: 'reasoning-replay-openai', detail: /from the CLI at ~\/bin\/openclaw/ }, statuses);
  });

  it('the gateway service\'s install wins over the CLI (it runs the agent): its package.json, no spawn', async () => {
    const { env } = setup(openclawConfig('2026.9.6'), [REASONING_400]);
    const pkgDir = path.join(home!.home, 'svc/lib/node_modules/openclaw');
    home!.write('svc/lib/node_modules/openclaw/package.json', JSON.stringify({ name: 'openclaw', version: '2026.5.12' }));
    home!.write('svc/lib/node_modules/openclaw/dist/index.js', '');
    home!.write(
      '.config/systemd/user/openclaw-gateway.service',
      `[Service]\nExecStart=/usr/bin/node ${pkgDir}/dist/index.js gateway --port 18789\nEnvironment=OPENCLAW_SERVICE_VERSION=2026.5.12\n`,
    );
    const cli = home!.write('bin/openclaw', '#!/bin/sh\necho 2026.9.6\n');
    fs.chmodSync(cli, 0o755);
    const { findings, statuses } = await findingsFor(home!, {}, env);
    findFinding(findings, { check: 'product.version', severity: 'info', title: /the gateway service runs 2026\.5\.12; the CLI on PATH is 2026\.9\.6/ }, statuses);
    findFinding(findings, { check: 'product.version', severity: 'error', cause: 'reasoning-replay-openai', detail: /from the gateway service ~\/\.config\/systemd\/user\/openclaw-gateway\.service/ }, statuses);
  });

  it('row 5: "auth issue" in the log of a version before the fix → the weekly quota shown as auth', async () => {
    const { env } = setup(openclawConfig('2026.8.20', { api: 'anthropic-messages', thinking: 'off' }), [
      'Provider kimi-code has auth issue (skipping all models) (auth)',
    ]);
    const { findings, statuses } = await findingsFor(home!, {}, env);
    findFinding(findings, { check: 'logs.errors', severity: 'error', cause: 'auth-rewritten' }, statuses);
    const f = findFinding(findings, { check: 'product.version', severity: 'error', cause: 'quota-shown-as-auth' }, statuses);
    expect(f.fix).toMatch(/new key|7-day window/);
    expect(f.fix).toMatch(/Fixed in 2026\.9\.6/);
  });

  it('row 11: lossless-claw as context engine with thinking on; the 400 then the fallback answering', async () => {
    const { env } = setup(openclawConfig('2026.4.21', { api: 'anthropic-messages', thinking: 'high', extra: '"plugins": { "slots": { "contextEngine": "lossless-claw" } },' }), [
      '400 invalid_request_error: "thinking is enabled but reasoning_content is missing in assistant tool call message at index 3"',
      '↪️ Fallback: openai-codex/gpt-5.4 (selected model unavailable)',
    ]);
    const { findings, statuses } = await findingsFor(home!, {}, env);
    // The user saw another model answer: the finding says what really failed.
    findFinding(findings, { check: 'logs.errors', severity: 'warn', cause: 'fallback-answered', detail: /What failed before the fallback: A replayed tool-call turn lost its reasoning_content/ }, statuses);
    const f = findFinding(findings, { check: 'product.version', severity: 'error', cause: 'context-engine-reasoning' }, statuses);
    expect(f.fix).toMatch(/memory-core/);
    // The same version and config without the plugin: not this cause (the anthropic-route one instead).
    expect(findings.some((x) => x.cause === 'reasoning-replay-anthropic')).toBe(true);
  });
});
