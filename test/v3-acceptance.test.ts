// Acceptance on the four setups openclaw 2026.9.6 wrote (test/fixtures/openclaw-2026.9.6): the whole offline
// diagnosis as a real process, each home copied to a temp dir. test/v3-fixtures.test.ts asserts the V3 reading
// (where the key comes from, nothing changed, no secret); this file asserts the verdict a user gets: the cause
// named and the fix offered, and no false "stuck cooldown" after a 401/403 (its cooldown is the normal one).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlite } from '../src/facts/sqlite.js';
import { V3_FIXTURES, runCli } from './support/doctor.js';

const HAS_SQLITE = (await loadSqlite()) !== undefined;
const SETUPS = ['healthy', 'gate-no-ua', 'badkey', 'developer-role'] as const;
type Setup = (typeof SETUPS)[number];

interface Finding {
  check: string;
  severity: 'error' | 'warn' | 'info';
  title: string;
  detail: string;
  fix?: string | null;
  cause?: string | null;
}
const docs = new Map<Setup, { exitCode: number; findings: Finding[] }>();

beforeAll(async () => {
  for (const setup of SETUPS) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), `claw-doctor-accept-${setup}-`));
    fs.cpSync(path.join(V3_FIXTURES, setup, 'home'), home, { recursive: true });
    const env = { HOME: home, PATH: path.join(home, 'bin'), USER: 'tester', CLAW_DOCTOR_LOG_ROOTS: path.join(home, 'no-logs') };
    const run = await runCli(['--offline', '--json', '--log-dir', path.join(V3_FIXTURES, setup, 'log')], { env, cwd: home });
    docs.set(setup, JSON.parse(run.stdout) as { exitCode: number; findings: Finding[] });
  }
}, 120_000);

const doc = (s: Setup) => docs.get(s)!;
const problems = (s: Setup) => doc(s).findings.filter((f) => f.severity !== 'info');
const named = (s: Setup, cause: string) => doc(s).findings.filter((f) => f.cause === cause && f.severity === 'error');

describe('openclaw 2026.9.6 setups, whole offline diagnosis', () => {
  // Without node:sqlite the key store and the sessions are not read, and claw-doctor says so with a warning.
  it.skipIf(!HAS_SQLITE)('healthy: exit 0, no warning, no error (needs node:sqlite, Node 22.13+)', () => {
    expect(problems('healthy').map((f) => `${f.check}: ${f.title}`)).toEqual([]);
    expect(doc('healthy').exitCode).toBe(0);
  });

  it('gate-no-ua: client-gate, fixed by the provider-level User-Agent claude-code/0.1.0', () => {
    const gate = named('gate-no-ua', 'client-gate');
    expect(gate.map((f) => f.check)).toContain('provider.user-agent');
    const fix = gate.find((f) => f.check === 'provider.user-agent')!.fix ?? '';
    expect(fix).toMatch(/models\.providers\.kimi\b/);
    expect(fix).toContain('claude-code/0.1.0');
    expect(doc('gate-no-ua').exitCode).not.toBe(0);
  });

  it('badkey: key-invalid with 2026.9\'s own fix, and no stuck-cooldown error', () => {
    const key = doc('badkey').findings.filter((f) => f.cause === 'key-invalid');
    expect(key.length).toBeGreaterThan(0);
    const fix = key.map((f) => f.fix ?? '').join('\n');
    expect(fix).toContain("openclaw models auth login --provider kimi --profile-id 'kimi:default'");
    expect(fix).toContain('state/openclaw.sqlite');
    expect(fix).not.toMatch(/auth-profiles\.json|models\.providers\.kimi-code/);
    // The skipped probe 30 s after the 401 is the cooldown the 401 started, folded into the key finding.
    expect(doc('badkey').findings.filter((f) => f.cause === 'stuck-cooldown')).toEqual([]);
    expect(key.find((f) => f.check === 'logs.errors')?.detail).toMatch(/skipped the profile during the cooldown this error started/);
    expect(doc('badkey').findings.filter((f) => f.check === 'product.version' && f.severity === 'error')).toEqual([]);
  });

  it('gate-no-ua: its cooldown after the 403 is not a stuck cooldown either', () => {
    expect(doc('gate-no-ua').findings.filter((f) => f.cause === 'stuck-cooldown')).toEqual([]);
    expect(doc('gate-no-ua').findings.filter((f) => f.check === 'product.version' && f.severity === 'error')).toEqual([]);
  });

  it('developer-role: developer-role, fixed with compat.supportsDeveloperRole', () => {
    const role = named('developer-role', 'developer-role');
    expect(role.length).toBeGreaterThan(0);
    expect(role.map((f) => f.fix ?? '').join('\n')).toMatch(/supportsDeveloperRole/);
  });
});
