// The CLI as a user meets it: a real process, real files in a temporary home.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES, ROOT, cleanEnv, fixtureConfig, runCli } from './support/doctor.js';
import { makeTempHome, type TempHome } from './support/temp-home.js';

const ANSI = /\u001b\[/;
let home: TempHome;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  home = makeTempHome();
  home.writeConfig(fixtureConfig('config-no-user-agent.json5'));
  env = cleanEnv(home.home);
  home.write('plugins/ok.mjs', `export default { id: 'extra.hello', title: 'Hello plugin', why: 'shows plugins load', run() { return [{ severity: 'warn', title: 'hello from a plugin', detail: 'd' }]; } };`);
  home.write('plugins/dup.mjs', `export default { id: 'provider.user-agent', title: 'dup', why: 'dup', run() { return []; } };`);
  home.write('plugins/crash.mjs', `export const checks = [{ id: 'extra.crash', title: 'Crashes', why: 'w', run() { throw new Error('boom in plugin'); } }];`);
  home.write('plugins/slow.mjs', `export const check = { id: 'extra.slow', title: 'Never ends', why: 'w', run() { return new Promise(() => { setInterval(() => {}, 1000); }); } };`);
  home.write('plugins/bad.mjs', `export default { id: 'NoDot', title: 't', why: 'w', run() { return []; } };`);
});
afterAll(() => home.cleanup());

describe('claw-doctor CLI', () => {
  it('--help shows usage with examples; --version prints the version', async () => {
    const help = await runCli(['--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    expect(help.stdout).toMatch(/--offline/);
    expect(help.stdout).toMatch(/Exit codes/);
    const v = await runCli(['--version'], { env });
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(v.stdout.trim()).toBe(pkg.version);
  });

  it('finds the config in the temp home, names the cause, exits 1', async () => {
    const r = await runCli(['--offline'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/~\/\.clawdbot\/clawdbot\.json/);
    expect(r.stdout).toMatch(/No User-Agent for kimi-code\/kimi-for-coding/);
    expect(r.stdout).toMatch(/\d+ passed · \d+ warnings? · 1 error · \d+ skipped/);
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stdout).not.toContain(home.home);
    expect(r.stdout).not.toContain('sk-kimi-acceptance-0000000000000000000000000000');
  });

  it('--json prints exactly one JSON document on stdout, no ANSI, with the contract fields', async () => {
    const r = await runCli(['--offline', '--json'], { env: { ...env, FORCE_COLOR: '1' } });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(ANSI);
    const doc = JSON.parse(r.stdout) as Record<string, unknown> & { checks: { id: string; status: string }[]; findings: { check: string; severity: string; fix: string }[]; environment: { configPath: string; node: string } };
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'tool', 'environment', 'checks', 'findings', 'summary', 'exitCode']);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.exitCode).toBe(1);
    expect(doc.environment.configPath).toBe('~/.clawdbot/clawdbot.json');
    expect(doc.environment.node).toBe(process.version);
    expect(doc.findings.find((f) => f.check === 'provider.user-agent')?.fix).toMatch(/User-Agent/);
    expect(r.stdout).not.toContain('sk-kimi-acceptance-0000000000000000000000000000');
  });

  it('--only and --skip take ids and globs', async () => {
    const r = await runCli(['--offline', '--json', '--only', 'provider.*', '--skip', 'provider.user-agent'], { env });
    const doc = JSON.parse(r.stdout) as { checks: { id: string }[]; exitCode: number };
    expect(doc.checks.every((c) => c.id.startsWith('provider.'))).toBe(true);
    expect(doc.checks.some((c) => c.id === 'provider.user-agent')).toBe(false);
    expect(doc.exitCode).toBe(0);
    const none = await runCli(['--only', 'nothing.*'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no check matches/);
  });

  it('--strict makes warnings fail', async () => {
    const cfg = makeTempHome();
    cfg.writeConfig(fixtureConfig().replace('"maxTokens": 32768', '"maxTokens": 65536'));
    const e = cleanEnv(cfg.home);
    expect((await runCli(['--offline'], { env: e })).code).toBe(0);
    expect((await runCli(['--offline', '--strict'], { env: e })).code).toBe(1);
    cfg.cleanup();
  });

  it('NO_COLOR and --no-color keep output plain; usage errors exit 2 on stderr', async () => {
    const r = await runCli(['--offline', '--no-color'], { env: { ...env, NO_COLOR: '1' } });
    expect(r.stdout).not.toMatch(ANSI);
    const bad = await runCli(['--no-such-flag'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/Unknown argument/);
  });

  it('list and explain', async () => {
    const l = await runCli(['list'], { env });
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(/provider\.user-agent\s+User-Agent passes the Kimi client gate/);
    const e = await runCli(['explain', 'provider.compat'], { env });
    expect(e.stdout).toMatch(/Why: [\s\S]*Message ordering conflict/);
    const missing = await runCli(['explain', 'provider.nope'], { env });
    expect(missing.code).toBe(2);
  });

  it('loads a plugin; refuses a duplicate id and a malformed check', async () => {
    const ok = await runCli(['--offline', '--plugin', 'plugins/ok.mjs', '--only', 'extra.*'], { env, cwd: home.home });
    expect(ok.stdout).toMatch(/extra\.hello/);
    expect(ok.stdout).toMatch(/hello from a plugin/);
    expect(ok.code).toBe(0);
    const dup = await runCli(['--plugin', 'plugins/dup.mjs'], { env, cwd: home.home });
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/duplicate check id "provider\.user-agent"/);
    const bad = await runCli(['--plugin', 'plugins/bad.mjs'], { env, cwd: home.home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/must look like "area\.name"/);
    const missing = await runCli(['--plugin', 'plugins/none.mjs'], { env, cwd: home.home });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot load plugin/);
  });

  it('the bundled example plugin works', async () => {
    const r = await runCli(['--offline', '--plugin', path.join(ROOT, 'examples/plugins/gateway-mode.mjs'), '--only', 'gateway.mode'], { env });
    expect(r.stdout).toMatch(/gateway\.mode is unset/);
  });

  it('a crashing check is "crashed", the rest still run, no stack without --verbose', async () => {
    const r = await runCli(['--offline', '--plugin', 'plugins/crash.mjs', '--only', 'extra.*,provider.compat'], { env, cwd: home.home });
    expect(r.stdout).toMatch(/extra\.crash.*crashed: boom in plugin/);
    expect(r.stdout).toMatch(/✓ provider\.compat/);
    expect(r.stdout).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(2);
    const v = await runCli(['--offline', '--verbose', '--plugin', 'plugins/crash.mjs', '--only', 'extra.*'], { env, cwd: home.home });
    expect(v.stdout).toMatch(/\n\s+at /);
  });

  it('--timeout bounds the whole run: a check that never ends is reported as timeout', async () => {
    // The plugin never resolves and keeps an interval alive: a parsed report means the run ended by itself.
    const r = await runCli(['--offline', '--timeout', '2', '--plugin', 'plugins/slow.mjs', '--json'], { env, cwd: home.home });
    const doc = JSON.parse(r.stdout) as { checks: { id: string; status: string }[] };
    expect(doc.checks.find((c) => c.id === 'extra.slow')?.status).toBe('timeout');
    expect(doc.checks.find((c) => c.id === 'provider.compat')?.status).toBe('pass');
  });

  it('without --fix nothing changes: every file in the home is byte-identical after a run', async () => {
    const h = makeTempHome();
    fs.cpSync(path.join(FIXTURES, 'state'), h.stateDir, { recursive: true });
    fs.cpSync(path.join(FIXTURES, 'log'), path.join(h.home, 'logs'), { recursive: true });
    const snapshot = () => {
      const out: Record<string, string> = {};
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else out[path.relative(h.home, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
        }
      };
      walk(h.home);
      return out;
    };
    const before = snapshot();
    for (const args of [['--offline'], ['--offline', '--json'], ['--offline', '--report']]) {
      const r = await runCli([...args, '--log-dir', path.join(h.home, 'logs')], { env: cleanEnv(h.home) });
      expect([0, 1]).toContain(r.code);
      expect(r.stdout.length).toBeGreaterThan(100);
    }
    expect(snapshot()).toEqual(before);
    h.cleanup();
  });

  it('without OpenClaw: a useful answer, exit 0', async () => {
    const empty = makeTempHome();
    const r = await runCli([], { env: cleanEnv(empty.home) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No OpenClaw \/ Moltbot \/ Clawdbot config found/);
    expect(r.stdout).toMatch(/examples\//);
    empty.cleanup();
  });
});
