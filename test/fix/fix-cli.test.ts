// --fix, --dry-run, --reset-sessions, undo and restore as a user meets them: real processes, real files in
// a temporary home, the fake gateway CLI first on PATH recording every call.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournals } from '../../src/fix/journal.js';
import { gatewayIsUp } from '../../src/fix/gateway.js';
import { listSessionFiles } from '../../src/fix/sessions-backup.js';
import { fixtureConfig, runCli } from '../support/doctor.js';
import { makeFakeGateway, type FakeGateway, type FakeGatewayBehaviour } from '../support/fake-gateway.js';
import { makeTempHome, type TempHome, type TempHomeOptions } from '../support/temp-home.js';

const KEY = 'sk-kimi-Zq81VfL2pXw9TnB4cR7dK3mY6sH0jG5a';
const NO_UA = fixtureConfig('config-no-user-agent.json5');
const FIXTURE_KEY = 'sk-kimi-acceptance-0000000000000000000000000000';
/**
 * Each test takes 1–4 s (several real processes, gateway stop/start); the limit is for a machine busy
 * with other suites, where vitest's 5 s default cut them off.
 */
const LOADED_MACHINE_MS = 20_000;
/** Only the checks whose repairs these tests are about (other checks may add repairs of their own). */
const ONLY = ['--only', 'provider.user-agent'];

let th: TempHome | undefined;
let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.cleanup();
  await th?.cleanup();
  gw = undefined;
  th = undefined;
});

async function setup(home: TempHomeOptions, behaviour: Partial<FakeGatewayBehaviour> = {}): Promise<{ th: TempHome; gw: FakeGateway; env: NodeJS.ProcessEnv }> {
  th = await makeTempHome(home);
  gw = await makeFakeGateway({ behaviour });
  // A clean environment: the temp home, the fake CLI and node (the fake is a node script), the fake's port.
  const env = { HOME: th.home, USER: 'tester', PATH: [gw.binDir, path.dirname(process.execPath)].join(path.delimiter), CLAWDBOT_GATEWAY_PORT: String(gw.port) };
  return { th, gw, env };
}

function doctor(args: string[], env: NodeJS.ProcessEnv): ReturnType<typeof runCli> {
  return runCli(['--offline', ...args], { env, cwd: env.HOME, timeoutMs: 30_000 });
}

function sub(args: string[], env: NodeJS.ProcessEnv): ReturnType<typeof runCli> {
  return runCli(args, { env, cwd: env.HOME, timeoutMs: 30_000 });
}

/** The gateway commands that change something (the gateway checks' read-only `gateway status` is left out). */
async function gatewayCalls(g: FakeGateway): Promise<string[]> {
  return (await g.calls()).map((c) => c.argv.join(' ')).filter((a) => a.startsWith('gateway') && !a.startsWith('gateway status'));
}

/** Every file, directory and link under `dir` with its content hash and mode. */
async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      const full = path.join(dir, r);
      const st = await fs.lstat(full);
      if (e.isDirectory()) {
        out[r] = `dir ${st.mode.toString(8)}`;
        await walk(r);
      } else if (e.isSymbolicLink()) out[r] = `link ${await fs.readlink(full)}`;
      else out[r] = `${st.mode.toString(8)} ${createHash('sha256').update(await fs.readFile(full)).digest('hex')}`;
    }
  };
  await walk('');
  return out;
}

async function sessionFiles(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listSessionFiles(dir)) out[f.path] = await fs.readFile(path.join(dir, f.path), 'utf8');
  return out;
}

describe('claw-doctor --fix', { timeout: LOADED_MACHINE_MS }, () => {
  it('undo refuses when the file changed since the fix; undo --force reverts after backing up the newer file', async () => {
    const { th, env } = await setup({ config: NO_UA });
    const original = await fs.readFile(th.configPath);
    expect((await doctor(['--fix', '--yes', ...ONLY], env)).code).toBe(0);
    const edited = (await fs.readFile(th.configPath, 'utf8')).replace('"thinkingDefault": "low"', '"thinkingDefault": "high"');
    await fs.writeFile(th.configPath, edited);

    const refused = await sub(['undo'], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/undo --force/);
    expect(await fs.readFile(th.configPath, 'utf8')).toBe(edited);

    const forced = await sub(['undo', '--force'], env);
    expect(forced.code).toBe(0);
    expect(Buffer.compare(await fs.readFile(th.configPath), original)).toBe(0);
    const kept = (await fs.readdir(th.stateDir)).filter((f) => f.startsWith('clawdbot.json.') && f !== 'clawdbot.json');
    const contents = await Promise.all(kept.map((f) => fs.readFile(path.join(th.stateDir, f), 'utf8')));
    expect(contents).toContain(edited);
  });

  it('--fix --yes adds the header (comments kept), journals, reports it fixed; undo restores byte-identical', async () => {
    const { th, gw, env } = await setup({ config: NO_UA });
    const before = await fs.readFile(th.configPath);

    const r = await doctor(['--fix', '--yes', ...ONLY], env);
    expect(r.code).toBe(0);
    const after = await fs.readFile(th.configPath, 'utf8');
    expect(after).toContain('"headers": { "User-Agent": "KimiCLI/0.77" }');
    expect(after).toContain('// written by hand, the way the setup guide shows it');
    expect((await fs.stat(th.configPath)).mode & 0o777).toBe(0o600);
    expect(r.stdout).toMatch(/\+\s+"headers": \{ "User-Agent": "KimiCLI\/0\.77" \},/);
    expect(r.stdout).toMatch(/✓ 1\. \[provider\.user-agent\] set headers\.User-Agent[^\n]*\n\s+fixed \(checked again\)/);
    expect(r.stdout).toMatch(/No gateway answers on port \d+: nothing to restart/);
    expect(r.stdout).toMatch(/The new config takes effect when the gateway starts: `clawdbot gateway start`/);
    expect(r.stdout).toMatch(/Journal: ~\/\.clawdbot\/claw-doctor\/journal-\d{8}-\d{6}\.json/);
    expect(r.stdout).not.toContain(th.home);
    expect(r.stdout).not.toContain(FIXTURE_KEY);
    const journals = await readJournals(th.stateDir);
    expect(journals).toHaveLength(1);
    expect(journals[0]!.doc.changes).toMatchObject([{ kind: 'file.edit', file: th.configPath }]);
    // Nothing answered on the port: the CLI was not asked to stop or start anything.
    expect(await gatewayCalls(gw)).toEqual([]);

    const u = await sub(['undo'], env);
    expect(u.code).toBe(0);
    expect(u.stdout).toMatch(/Undid 1 change/);
    expect(await fs.readFile(th.configPath)).toEqual(before);
    expect((await sub(['undo'], env)).code).toBe(1);
  });

  it('without a terminal and without --yes: prints the plan, changes nothing, exits 1', async () => {
    const { th, env } = await setup({ config: NO_UA, sessions: 2 });
    const tree = await hashTree(th.home);
    const r = await doctor(['--fix', '--reset-sessions'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Plan$/m);
    expect(r.stdout).toMatch(/--- ~\/\.clawdbot\/clawdbot\.json\n\s+\+\+\+ ~\/\.clawdbot\/clawdbot\.json \(after\)\n\s+@@ -\d+,\d+ \+\d+,\d+ @@/);
    expect(r.stdout).toMatch(/back up and clear the sessions of agent main/);
    expect(r.stdout).toMatch(/Nothing was changed: there is no terminal to confirm on\. Run again with --yes/);
    expect(await hashTree(th.home)).toEqual(tree);
  });

  it('--dry-run changes nothing, byte for byte, even with sessions and a running gateway', async () => {
    const { th, gw, env } = await setup({ config: NO_UA, sessions: 3 });
    await gw.startService();
    const tree = await hashTree(th.home);
    for (const args of [['--dry-run'], ['--fix', '--dry-run', '--reset-sessions', '--yes']]) {
      const r = await doctor(args, env);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/Dry run: nothing was changed/);
      expect(await hashTree(th.home)).toEqual(tree);
    }
    expect(await gatewayCalls(gw)).toEqual([]);
    expect(await gatewayIsUp(gw.port)).toBe(true);
  });

  it('restarts a running gateway after a config edit: stop, then start, confirmed up', async () => {
    const { th, gw, env } = await setup({ config: NO_UA });
    await gw.startService();
    const r = await doctor(['--fix', '--yes', ...ONLY], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/it will be restarted/);
    expect(r.stdout).toMatch(/Gateway: The gateway was restarted \(`clawdbot gateway stop`, `clawdbot gateway start`\) and answers on port \d+/);
    expect(await gatewayCalls(gw)).toEqual(['gateway stop', 'gateway start']);
    expect(await gatewayIsUp(gw.port)).toBe(true);
    expect(await fs.readFile(th.configPath, 'utf8')).toContain('KimiCLI/0.77');
  });

  it('a foreground gateway cannot be restarted: the edit stays, the output says what to do, exit 1', async () => {
    const { th, gw, env } = await setup({ config: NO_UA }, { stop: 'no-systemd', start: 'no-systemd' });
    await gw.foreground();
    const r = await doctor(['--fix', '--yes', ...ONLY], env);
    expect(r.code).toBe(1);
    expect(await fs.readFile(th.configPath, 'utf8')).toContain('KimiCLI/0.77');
    expect(r.stdout).toMatch(/could not be stopped by `clawdbot gateway stop` \(it said: Gateway service check failed/);
    expect(r.stdout).toMatch(/What you need to do:\n\s+- A gateway answers on port \d+ but it is not a service .* Stop it yourself/);
    expect(await gatewayCalls(gw)).toEqual(['gateway stop']);
  });
});

describe('claw-doctor --reset-sessions and restore', { timeout: LOADED_MACHINE_MS }, () => {
  it('--reset-sessions --yes: stop → archive → verify → clear → start → up; restore puts the latest archive back', async () => {
    const working = fixtureConfig('config-working.json5');
    const { th, gw, env } = await setup({ config: working, sessions: 4 });
    await gw.startService();
    const before = await sessionFiles(th.sessionsDir);

    const r = await doctor(['--reset-sessions', '--yes'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ stop: .*\n\s+✓ archive: archived to ~\/\.clawdbot\/backups\/sessions-\d{8}-\d{6}\.tar\.gz\n\s+✓ verify: .*\n\s+✓ clear: removed 5 file\(s\)\n\s+✓ start: the gateway answers again/);
    expect(r.stdout).not.toMatch(/\d\. \[(config|agent|provider|logs)\./); // --reset-sessions alone plans only the reset
    expect(await gatewayCalls(gw)).toEqual(['gateway stop', 'gateway start']);
    expect(await gatewayIsUp(gw.port)).toBe(true);
    expect(await listSessionFiles(th.sessionsDir)).toEqual([]);
    expect(await fs.readFile(th.configPath, 'utf8')).toBe(working);
    const archives = (await fs.readdir(th.backupsDir)).filter((n) => n.endsWith('.tar.gz'));
    expect(archives).toHaveLength(1);

    const restored = await sub(['restore'], env);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(new RegExp(`Restored 5 file\\(s\\) from ~/\\.clawdbot/backups/${archives[0]!.replace(/\./g, '\\.')}`));
    expect(await sessionFiles(th.sessionsDir)).toEqual(before);
    expect(await gatewayCalls(gw)).toEqual(['gateway stop', 'gateway start', 'gateway stop', 'gateway start']);
    expect(await gatewayIsUp(gw.port)).toBe(true);
  });

  it('stop fails: the sessions are untouched and the output says so; the config repair still goes ahead', async () => {
    const { th, gw, env } = await setup({ config: NO_UA, sessions: 3 }, { stop: 'no-systemd', start: 'no-systemd' });
    await gw.foreground();
    const before = await sessionFiles(th.sessionsDir);
    const r = await doctor(['--fix', '--reset-sessions', '--yes', ...ONLY], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ stop: foreground/);
    expect(r.stdout).toMatch(/Nothing was changed: the gateway could not be confirmed stopped, so the sessions were left as they were/);
    expect(r.stdout).toMatch(/Stop it yourself/);
    expect(await sessionFiles(th.sessionsDir)).toEqual(before);
    expect(await fs.readdir(th.stateDir)).not.toContain('backups');
    expect(await fs.readFile(th.configPath, 'utf8')).toContain('KimiCLI/0.77');
  });

  it('undo after --fix --reset-sessions puts the config and the sessions back, around a stopped gateway', async () => {
    const { th, gw, env } = await setup({ config: NO_UA, sessions: 2 });
    await gw.startService();
    const config = await fs.readFile(th.configPath);
    const sessions = await sessionFiles(th.sessionsDir);
    const r = await doctor(['--fix', '--reset-sessions', '--yes', ...ONLY], env);
    expect(r.stdout).toMatch(/The gateway was restarted by the sessions reset, after the config edit/);
    expect(await gatewayCalls(gw)).toEqual(['gateway stop', 'gateway start']);

    const u = await sub(['undo'], env);
    expect(u.code).toBe(0);
    expect(u.stdout).toMatch(/Undid 2 change/);
    expect(u.stdout).toMatch(/started again after the undo: it runs with the restored config/);
    expect(await fs.readFile(th.configPath)).toEqual(config);
    expect(await sessionFiles(th.sessionsDir)).toEqual(sessions);
    expect(await gatewayCalls(gw)).toEqual(['gateway stop', 'gateway start', 'gateway stop', 'gateway start']);
  });

  it('restore without any backup says so and exits 1', async () => {
    const { env } = await setup({ config: NO_UA });
    const r = await sub(['restore'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/No sessions backup to restore: ~\/\.clawdbot\/backups holds no sessions-\*\.tar\.gz/);
  });
});

describe('secrets', { timeout: LOADED_MACHINE_MS }, () => {
  it('the key from the environment never lands in the config file, and no secret reaches stdout', async () => {
    // The key is referenced, not written; the provider's apiKey line sits right next to the edit, in the diff's context.
    const config = NO_UA.replace(/"sk-kimi-acceptance-0+"/g, '"${KIMICODE_API_KEY}"').replace(
      '"compat": { "supportsDeveloperRole": false },',
      '"compat": { "supportsDeveloperRole": false },\n            "note": "token sk-kimi-Lit3ralKeyInTheFile0000000000000000x",',
    );
    const { th, env } = await setup({ config });
    const r = await doctor(['--fix', '--yes', ...ONLY], { ...env, KIMICODE_API_KEY: KEY });
    expect(r.code).toBe(0);
    const after = await fs.readFile(th.configPath, 'utf8');
    expect(after).not.toContain(KEY);
    expect(after).toContain('"${KIMICODE_API_KEY}"');
    expect(after).toContain('KimiCLI/0.77');
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('sk-kimi-Lit3ralKeyInTheFile0000000000000000x');
    }
    expect(r.stdout).toMatch(/"note": "token sk-kimi-…/); // the context line is there, masked
  });
});
