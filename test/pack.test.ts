// `npm pack` yields a package that installs with `npm install -g <tarball>` and runs `claw-doctor`;
// only what it needs is packed. Installs from npm's cache (--offline): no network beyond the registry
// that `npm ci` already used.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './support/doctor.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-pack-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('npm pack', () => {
  it('packs only dist/src, dist/checks, README and package.json; installs globally and runs', () => {
    const npmEnv = { ...process.env, npm_config_loglevel: 'error', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: ROOT, env: npmEnv, stdio: 'pipe' });
    const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'))!;
    const files = execFileSync('tar', ['-tzf', path.join(tmp, tgz)], { encoding: 'utf8' }).trim().split('\n');
    for (const f of files) expect(f).toMatch(/^package\/(package\.json|README\.md|LICENSE|dist\/(src|checks)\/.+\.js)$/);
    expect(files).toContain('package/dist/src/cli.js');
    expect(files).toContain('package/dist/checks/index.js');

    const prefix = path.join(tmp, 'global');
    execFileSync('npm', ['install', '-g', '--prefer-offline', '--prefix', prefix, path.join(tmp, tgz)], { env: npmEnv, stdio: 'pipe', timeout: 120000 });
    const bin = path.join(prefix, 'bin', 'claw-doctor');
    const home = path.join(tmp, 'home');
    fs.mkdirSync(home);
    const env = { HOME: home, PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` };
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(execFileSync(bin, ['--version'], { env, encoding: 'utf8' }).trim()).toBe(pkg.version);
    const out = execFileSync(bin, ['--offline', '--no-color'], { env, encoding: 'utf8' });
    expect(out).toMatch(/No OpenClaw \/ Moltbot \/ Clawdbot config found/);
  }, 180000);
});
