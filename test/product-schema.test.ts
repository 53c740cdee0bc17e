// Schema by version: the installed OpenClaw's own `config validate --json` judges unknown keys (a real executable on
// PATH stands in for it), else the version's key list — never V1's list on a 2026.9 config. And the repairs offered
// on the real 2026.9.6 files only touch keys that version accepts.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findingsFor, V3_FIXTURES } from './support/doctor.js';
import { makeTempHome, type TempHome } from './support/temp-home.js';
import { acceptsPath, parseValidateOutput } from '../src/facts/product-schema.js';

let home: TempHome;
beforeEach(() => {
  home = makeTempHome({ prefix: 'claw-doctor-schema-' });
});
afterEach(() => home.cleanup());

function fakeOpenclaw(validate: string): void {
  const file = home.write(
    'bin/openclaw',
    `#!/bin/sh\ncase "$1 $2" in\n  "--version ") echo 2026.9.6 ;;\n  "config validate") ${validate} ;;\n  *) exit 1 ;;\nesac\n`,
  );
  fs.chmodSync(file, 0o755);
}

const v3Config = (provider: Record<string, unknown>): string =>
  JSON.stringify({
    meta: { lastTouchedVersion: '2026.9.6' },
    models: { mode: 'merge', providers: { kimi: { baseUrl: 'https://api.kimi.com/coding/', api: 'anthropic-messages', models: [], headers: { 'User-Agent': 'claude-code/0.1.0' }, ...provider } } },
    agents: { defaults: { model: { primary: 'kimi/kimi-for-coding' } } },
  });

async function unknownKeys(config: string, name = 'openclaw.json', dir = '.openclaw', timeout = 20) {
  home.write(`${dir}/${name}`, config);
  const { findings, statuses } = await findingsFor(home, { only: ['provider.unknown-keys'], timeout });
  return { findings: findings.filter((f) => f.check === 'provider.unknown-keys'), status: statuses['provider.unknown-keys'] };
}

describe('provider.unknown-keys by version', () => {
  it('the installed openclaw rejects the config: its own words are the finding', async () => {
    fakeOpenclaw(`echo '{"valid":false,"path":"x","errors":[{"path":"models.providers.kimi.baseURL","message":"Unrecognized key: \\"baseURL\\""}]}'; exit 1`);
    const { findings } = await unknownKeys(v3Config({ baseURL: 'https://api.kimi.com/coding/' }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', title: 'openclaw config validate --json rejects the config at models.providers.kimi.baseURL' });
    expect(findings[0].detail).toContain('Unrecognized key: "baseURL"');
  });

  it('the installed openclaw accepts the config: no key list second-guesses it', async () => {
    fakeOpenclaw(`echo '{"valid":true,"path":"x","warnings":[]}'`);
    const { findings } = await unknownKeys(v3Config({ someFutureKey: true }));
    expect(findings).toEqual([]);
  });

  it('a CLI that hangs is cut off inside --timeout and the key list answers instead', async () => {
    fakeOpenclaw('exec /bin/sleep 30');
    const { findings, status } = await unknownKeys(v3Config({ baseURL: 'x' }), 'openclaw.json', '.openclaw', 4);
    expect(status).toBe('warn');
    expect(findings[0].title).toBe('Unknown key "baseURL" at models.providers.kimi');
    expect(findings[0].detail).toMatch(/did not answer within \d s/);
  });

  it('no CLI: 2026.9 accepts request.allowPrivateNetwork (no V1 schema on V3)', async () => {
    expect((await unknownKeys(v3Config({ request: { allowPrivateNetwork: true } }))).findings).toEqual([]);
  });

  it('no CLI: V1 rejects the same key (strict)', async () => {
    const v1 = JSON.stringify({
      meta: { lastTouchedVersion: '2026.1.24-3' },
      models: { providers: { 'kimi-code': { baseUrl: 'https://api.kimi.com/coding/v1', api: 'openai-completions', request: { allowPrivateNetwork: true }, models: [] } } },
    });
    const { findings } = await unknownKeys(v1, 'clawdbot.json', '.clawdbot');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', title: 'Unknown key "request" at models.providers.kimi-code' });
  });

  it('reads the verdict after any warnings the CLI prints first', () => {
    expect(parseValidateOutput('Config warnings:\n- x\n{"valid":false,"errors":["bad"]}')).toEqual({ valid: false, issues: [{ message: 'bad' }] });
    expect(parseValidateOutput('not json')).toBeUndefined();
  });
});

describe('the repairs offered on the real 2026.9.6 files touch only keys 2026.9.6 accepts', () => {
  it.each(['healthy', 'gate-no-ua', 'badkey', 'developer-role'])('%s', async (setup) => {
    const from = path.join(V3_FIXTURES, setup, 'home', '.openclaw', 'openclaw.json');
    home.write('.openclaw/openclaw.json', fs.readFileSync(from, 'utf8'));
    const { findings } = await findingsFor(home, {});
    const paths = findings.flatMap((f) => (f.repair?.kind === 'config.set' ? [f.repair.data.path] : []));
    for (const p of paths) expect(acceptsPath('V3', p), p.join('.')).not.toBe(false);
    if (setup === 'gate-no-ua') expect(paths).toContainEqual(['models', 'providers', 'kimi', 'headers', 'User-Agent']);
  });
});
