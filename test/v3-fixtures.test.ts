// The doctor as a real process on every setup openclaw 2026.9.6 wrote (test/fixtures/openclaw-2026.9.6,
// copied to a temp home: HOME there, its dated log in a --log-dir). What is asserted here is this area's part:
// where the key comes from (never its value), the stored transcript errors read and classified, the log's
// structured errors, nothing changed on disk, and on Node 20 a plain "needs a newer Node" instead of false
// errors. The model rules (provider.*) are judged in their own tests.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSqlite } from '../src/facts/sqlite.js';
import { V3_FIXTURES, runCli, type CliRun } from './support/doctor.js';

const HAS_SQLITE = (await loadSqlite()) !== undefined;
const SETUPS = ['healthy', 'gate-no-ua', 'badkey', 'developer-role'] as const;
type Setup = (typeof SETUPS)[number];

interface JsonFinding {
  check: string;
  severity: 'error' | 'warn' | 'info';
  title: string;
  detail: string;
  cause?: string | null;
  evidence?: string[];
}
interface JsonDoc {
  findings: JsonFinding[];
  checks: { id: string; status: string }[];
  exitCode: number;
  environment: { generation?: string; product?: string };
}

/** Every file under `dir` with its size, mtime and hash. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const st = fs.statSync(p);
        out[path.relative(dir, p)] = `${st.size}:${st.mtimeMs}:${createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`;
      }
    }
  };
  walk(dir);
  return out;
}

/** The fixture's secrets: every `sk-kimi-…` key in its state database, found by bytes. */
function fixtureKeys(setup: Setup): string[] {
  const db = fs.readFileSync(path.join(V3_FIXTURES, setup, 'home/.openclaw/state/openclaw.sqlite')).toString('latin1');
  return [...new Set(db.match(/sk-kimi-[A-Za-z0-9_-]{8,}/g) ?? [])];
}

const homes = new Map<Setup, string>();
const runs = new Map<Setup, { json: CliRun; report: CliRun; before: Record<string, string>; after: Record<string, string> }>();

beforeAll(async () => {
  await Promise.all(
    SETUPS.map(async (setup) => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), `claw-doctor-v3-${setup}-`));
      fs.cpSync(path.join(V3_FIXTURES, setup, 'home'), home, { recursive: true });
      fs.cpSync(path.join(V3_FIXTURES, setup, 'log'), path.join(home, 'log'), { recursive: true });
      // The setups linked the Kimi plugin from /opt/kimi-provider (README): here it is the rebuilt plugin, copied
      // beside the home, so the gateway checks find the plugin the product had.
      fs.cpSync(path.join(V3_FIXTURES, 'kimi-provider-reconstructed'), path.join(home, 'kimi-provider'), { recursive: true });
      const cfgPath = path.join(home, '.openclaw', 'openclaw.json');
      fs.writeFileSync(cfgPath, fs.readFileSync(cfgPath, 'utf8').replaceAll('/opt/kimi-provider', path.join(home, 'kimi-provider')));
      homes.set(setup, home);
      const env = { HOME: home, PATH: path.join(home, 'bin'), USER: 'tester', CLAW_DOCTOR_LOG_ROOTS: path.join(home, 'no-logs') };
      const args = ['--offline', '--log-dir', path.join(home, 'log')];
      const before = tree(home);
      const json = await runCli([...args, '--json'], { env, cwd: home });
      const report = await runCli([...args, '--report'], { env, cwd: home });
      runs.set(setup, { json, report, before, after: tree(home) });
    }),
  );
}, 120_000);

afterAll(() => {
  for (const h of homes.values()) fs.rmSync(h, { recursive: true, force: true });
});

const doc = (setup: Setup): JsonDoc => JSON.parse(runs.get(setup)!.json.stdout) as JsonDoc;
const of = (setup: Setup, check: string) => doc(setup).findings.filter((f) => f.check === check);
/** The checks of this area: their warnings on a healthy setup would be claw-doctor's own mistake. */
const MINE = /^(config\.location|logs\.|sessions\.|auth\.)/;

describe.each(SETUPS)('%s', (setup) => {
  it('changes nothing in the home (no byte, no mtime, no file added), prints no key, no stack', () => {
    const r = runs.get(setup)!;
    expect(r.after).toEqual(r.before);
    for (const key of fixtureKeys(setup)) {
      expect(r.json.stdout).not.toContain(key);
      expect(r.report.stdout).not.toContain(key);
      expect(r.json.stderr + r.report.stderr).not.toContain(key);
    }
    expect(r.json.stderr).not.toMatch(/\n\s+at /);
  });

  it('is recognised as openclaw 2026.9 (V3)', () => {
    expect(doc(setup).environment).toMatchObject({ product: 'openclaw', generation: 'V3' });
  });
});

describe.skipIf(!HAS_SQLITE)('with node:sqlite', () => {
  it('healthy: exit 0, and none of this area\'s checks warns', () => {
    const d = doc('healthy');
    expect(d.exitCode).toBe(0);
    expect(d.findings.filter((f) => MINE.test(f.check) && f.severity !== 'info')).toEqual([]);
    expect(d.checks.find((c) => c.id === 'auth.cooldown')?.status).toBe('pass');
  });

  it.each(SETUPS.filter((s) => s !== 'developer-role'))('%s: the key comes from the 2026.9 auth store, named, never shown', (setup) => {
    const [f] = of(setup, 'provider.api-key');
    expect(f.severity).toBe('info');
    expect(f.title).toBe('Key for "kimi" comes from auth profile kimi:default (state/openclaw.sqlite, authProfiles.store)');
  });

  it.each([
    ['gate-no-ua', 'client-gate', /^403: \{"error":\{"message":"Kimi For Coding is currently only available for Coding Agents/],
    ['badkey', 'key-invalid', /^401: \{"error":\{"message":"The API Key appears to be invalid/],
    ['developer-role', 'developer-role', /^400 Invalid request: role 'developer' is not allowed$/],
  ] as const)('%s: the stored transcript error is read and classified (%s)', (setup, cause, raw) => {
    const [f] = of(setup, 'sessions.errors');
    expect(f.cause).toBe(cause);
    const quoted = /The provider answered:\n {2}"(.*)"\n/.exec(f.detail)?.[1] ?? '';
    expect(quoted).toMatch(raw);
    expect(f.evidence?.[0]).toMatch(/^~\/\.openclaw\/agents\/main\/agent\/openclaw-agent\.sqlite#[0-9a-f-]{36} /);
  });

  it.each([
    ['gate-no-ua', 'client-gate'],
    ['badkey', 'key-invalid'],
  ] as const)('%s: the log\'s structured error is quoted by its raw answer, not as JSON, and probe runs are not counted', (setup, cause) => {
    const [f] = of(setup, 'logs.errors').filter((x) => x.cause === cause);
    expect(f).toBeDefined();
    expect(f.detail).not.toContain('"event":');
    expect(f.detail).not.toContain('probe-');
    expect(f.detail).toMatch(/embedded run agent end: [45]\d\d: \{/);
  });

  it('sessions.store lists the session from the database', () => {
    const [f] = of('healthy', 'sessions.store');
    expect(f.title).toMatch(/^Agent main: 1 session\(s\), 1 transcript\(s\) \(database \d+ KiB\)/);
    expect(f.detail).toMatch(/sessions \(session_nodes\):\n {2}agent:main:main {2}updated .* {2}\d+ events/);
  });
});

describe.skipIf(HAS_SQLITE)('on a Node without node:sqlite', () => {
  it('healthy: exit 0; the key and the sessions are "not read, needs Node 22.13+", never "No API key found"', () => {
    const d = doc('healthy');
    expect(d.exitCode).toBe(0);
    expect(d.findings.some((f) => /No API key found/.test(f.title))).toBe(false);
    const [key] = of('healthy', 'provider.api-key');
    expect(key).toMatchObject({ severity: 'warn', title: 'The key store could not be read, so the key for "kimi" is not judged' });
    expect(key.detail).toMatch(/Node 22\.13 or newer/);
    expect(of('healthy', 'sessions.integrity').map((f) => f.title)).toEqual(['Sessions are in SQLite and this Node cannot read them']);
  });
});
