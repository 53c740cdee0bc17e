// --report as a real process (dist/src/cli.js): where the text goes (stdout, --output, --copy), the exit
// code, the usage errors, and that what leaves the process carries no secret and no home path.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CORPUS_DIR as CORPUS, HAVE_CORPUS } from './support/corpus.js';
import { ROOT, cleanEnv, runCli } from './support/doctor.js';
import { makeTempHome, type TempHome } from './support/temp-home.js';
import { LOG_ROOTS_ENV } from '../src/facts/evidence-logs.js';

const KEY = 'sk-kimi-Zq3vWm8TnK5pLr2XyB7cHd4FgJ6sAe9QuV1oIx0MbNtRwYzE';
const EXAMPLE = path.join(ROOT, 'examples/broken-no-user-agent/clawdbot.json');

let home: TempHome;
let logRoot: string;

beforeEach(() => {
  home = makeTempHome({ prefix: 'claw-doctor-report-cli-' });
  logRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-report-cli-logs-'));
  fs.mkdirSync(path.join(home.home, 'bin'));
  home.writeConfig(fs.readFileSync(EXAMPLE, 'utf8'));
});
afterEach(() => {
  home.cleanup();
  fs.rmSync(logRoot, { recursive: true, force: true });
});

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cleanEnv(home.home, { [LOG_ROOTS_ENV]: logRoot, KIMICODE_API_KEY: KEY, ...extra });
}

/** A report without what differs between two runs: the minute it was made in and the check timings. */
const stable = (s: string) => s.replace(/ · \d{4}-\d\d-\d\d \d\d:\d\d UTC/, '').replace(/\| \d+ ms \|/g, '| ms |');

const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(['--offline', ...args], { env: env(extra), cwd: home.home });

/** Where `name` lives on this machine's PATH, for scripts that run with the test's tiny PATH. */
function which(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`${name} not found`);
}

/** A fake clipboard tool in ~/bin (a real executable) that records its arguments and stdin. */
function fakeTool(name: string, exitCode = 0): { stdin: string; args: string } {
  const rec = { stdin: path.join(home.home, `${name}.stdin`), args: path.join(home.home, `${name}.args`) };
  const script = `#!/bin/sh\necho "$@" > '${rec.args}'\n'${which('cat')}' > '${rec.stdin}'\nexit ${exitCode}\n`;
  fs.writeFileSync(path.join(home.home, 'bin', name), script, { mode: 0o755 });
  return rec;
}
const fakeXclip = (exitCode = 0) => fakeTool('xclip', exitCode);

describe.skipIf(process.platform === 'win32')('claw-doctor --report (process)', () => {
  it('prints the Markdown report on stdout with the exit code of a plain run', async () => {
    const plain = await run([]);
    const r = await run(['--report']);
    expect(plain.code).toBe(1);
    expect(r.code).toBe(plain.code);
    expect(r.stdout).toMatch(/^## claw-doctor report\n/);
    expect(r.stdout).toContain('`provider.user-agent`');
    expect(r.stdout).toMatch(/### Redaction\n/);
    expect(r.stdout).not.toContain(KEY);
    expect(r.stdout + r.stderr).not.toContain(home.home);
    expect(r.stderr).toBe('');
  });

  it('--strict applies the same way', async () => {
    home.writeConfig(fs.readFileSync(path.join(ROOT, 'examples/working/clawdbot.json'), 'utf8'));
    for (const strict of [[], ['--strict']]) {
      const plain = await run(strict);
      const r = await run(['--report', ...strict]);
      expect(r.code).toBe(plain.code);
    }
  });

  it('--report --json is a usage error', async () => {
    const r = await run(['--report', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^claw-doctor: --report prints Markdown and --json prints JSON/);
  });

  it('--output or --copy without --report is a usage error', async () => {
    for (const args of [['--output', 'doctor.md'], ['-o', 'doctor.md'], ['--copy']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--output and --copy go with --report/);
    }
    expect(fs.existsSync(path.join(home.home, 'doctor.md'))).toBe(false);
  });

  it('--output writes the file with mode 0600, prints nothing on stdout and says where on stderr', async () => {
    const plain = await run(['--report']);
    fs.writeFileSync(path.join(home.home, 'doctor.md'), 'an older report', { mode: 0o644 });
    const r = await run(['--report', '--output', 'doctor.md']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Report written to ~/doctor.md (mode 0600).\n');
    const file = path.join(home.home, 'doctor.md');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    // Same report as on stdout.
    expect(stable(text)).toBe(stable(plain.stdout));
    expect(text).not.toContain(KEY);
    expect(fs.readdirSync(home.home).filter((f) => f.includes('doctor.md'))).toEqual(['doctor.md']);
  });

  it('--output never overwrites a directory, and fails before the run with one line', async () => {
    const dir = path.join(home.home, 'reports');
    fs.mkdirSync(dir);
    const r = await run(['--report', '--output', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('claw-doctor: cannot write the report to ~/reports: it is a directory; give a file name\n');
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    const missing = await run(['--report', '-o', 'nowhere/doctor.md']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('claw-doctor: cannot write the report to ~/nowhere/doctor.md: the folder ~/nowhere does not exist\n');
  });

  it.skipIf(!fs.existsSync('/proc/version'))('--output into a special file system says so, not "the folder does not exist"', async () => {
    const before = fs.readFileSync('/proc/version', 'utf8');
    const r = await run(['--report', '--output', '/proc/version']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('claw-doctor: cannot write the report to /proc/version: no file can be created in /proc (a special file system)\n');
    expect(fs.readFileSync('/proc/version', 'utf8')).toBe(before);
  });

  it('--copy feeds the report to the clipboard tool on stdin', async () => {
    const rec = fakeXclip();
    const plain = await run(['--report']);
    const r = await run(['--report', '--copy']);
    expect(r.code).toBe(plain.code);
    expect(r.stderr).toBe('Report copied to the clipboard (xclip).\n');
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(rec.args, 'utf8').trim()).toBe('-selection clipboard');
    const copied = fs.readFileSync(rec.stdin, 'utf8');
    expect(copied).toMatch(/^## claw-doctor report\n/);
    expect(copied).toMatch(/### Redaction\n[\s\S]*\n$/);
    expect(copied).not.toContain(KEY);
    expect(copied).not.toContain(home.home);
  });

  it('--copy through clip.exe (WSL) sends UTF-16LE with a byte-order mark, so ✅ and ❌ survive', async () => {
    const rec = fakeTool('clip.exe');
    const plain = await run(['--report']);
    const r = await run(['--report', '--copy']);
    expect(r.stderr).toBe('Report copied to the clipboard (clip.exe).\n');
    const bytes = fs.readFileSync(rec.stdin);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const text = bytes.subarray(2).toString('utf16le');
    expect(text).toMatch(/^## claw-doctor report\n/);
    expect(text).toContain('❌ error');
    expect(stable(text)).toBe(stable(plain.stdout));
  });

  it('--copy and --output together: the file and the clipboard', async () => {
    const rec = fakeXclip();
    const r = await run(['--report', '--copy', '-o', 'doctor.md']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Report written to ~/doctor.md (mode 0600).\nReport copied to the clipboard (xclip).\n');
    expect(fs.readFileSync(rec.stdin, 'utf8')).toBe(fs.readFileSync(path.join(home.home, 'doctor.md'), 'utf8'));
  });

  it('--copy without a clipboard tool says so, prints the report instead, and keeps the exit code', async () => {
    const plain = await run(['--report']);
    const r = await run(['--report', '--copy']);
    expect(r.code).toBe(plain.code);
    expect(r.stderr).toMatch(/^No clipboard tool found \(looked on PATH for xclip, xsel, wl-copy, clip\.exe\); the report was not copied\. It is printed below\.\n$/);
    expect(r.stdout).toMatch(/^## claw-doctor report\n/);
  });

  it('--copy with a failing clipboard tool says how it failed', async () => {
    fakeXclip(1);
    const r = await run(['--report', '--copy']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Could not copy the report: xclip exited with code 1. It is printed below.\n');
    expect(r.stdout).toMatch(/^## claw-doctor report\n/);
  });

  it('error messages are redacted too: no home path in a usage error, with --report or without', async () => {
    const plugin = path.join(home.home, 'plugins', 'missing.mjs');
    for (const args of [['--report', '--plugin', plugin], ['--plugin', plugin], ['list', '--plugin', plugin]]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('~/plugins/missing.mjs');
      expect(r.stderr).not.toContain(home.home);
    }
  });

  // A handful of real-world configs end to end: the fake secrets never leave the process.
  it.skipIf(!HAVE_CORPUS).each(['003.json5', '010.json5', '021.json5', '038.json5', '043.json5'])('corpus %s: no secret on stdout', async (file) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as { file: string; secretsReplaced: { kind: string; fakeValue: string }[] }[];
    const entry = manifest.find((m) => m.file === file)!;
    const cfg = path.join(home.home, 'cfg', 'clawdbot.json');
    fs.mkdirSync(path.dirname(cfg));
    fs.copyFileSync(path.join(CORPUS, file), cfg);
    const r = await run(['--report', '--config', cfg]);
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).toMatch(/^## claw-doctor report\n/);
    const secrets = entry.secretsReplaced.filter((s) => !['user-id', 'phone', 'email'].includes(s.kind));
    for (const s of secrets) expect(r.stdout.includes(s.fakeValue), `${s.kind} leaked`).toBe(false);
    expect(r.stdout + r.stderr).not.toContain(home.home);
  });
});
