// The conventions of a mature CLI (issue 14 "Terminal and conventions"), each proved on a real process:
// closed pipes, a full disk, wrapping in a pipe and in a pseudo-terminal, the colour precedence, "Did you
// mean", per-command help, completion, explain, one rule for paths that do not exist, the info rule, and
// the undo hint.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourLevel } from '../src/report/terminal.js';
import { CLI, ROOT, cleanEnv, fixtureConfig, runCli } from './support/doctor.js';
import { makeTempHome, type TempHome } from './support/temp-home.js';

const ANSI = /\u001b\[/;
let home: TempHome;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  home = makeTempHome({ prefix: 'claw-doctor-conventions-' });
  home.writeConfig(fixtureConfig('config-no-user-agent.json5'));
  env = cleanEnv(home.home, { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` });
});
afterAll(() => home.cleanup());

const chars = (s: string): number => [...s].length;

/** Runs the CLI inside a pseudo-terminal (`script`), optionally with a terminal width set by stty. */
function inPty(args: string[], opts: { env?: NodeJS.ProcessEnv; cols?: number } = {}): Promise<{ code: number; out: string }> {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const cmd = `${opts.cols ? `stty cols ${opts.cols}; ` : ''}${quoted}`;
  return new Promise((resolve) => {
    execFile('script', ['-qfec', cmd, '/dev/null'], { env: { ...env, ...opts.env }, cwd: home.home, timeout: 60000 }, (err, stdout) => {
      const code = err ? Number((err as { code?: unknown }).code ?? 99) : 0;
      resolve({ code, out: String(stdout).replace(/\r/g, '') });
    });
  });
}

describe.skipIf(process.platform === 'win32')('output streams', () => {
  it('a pipe closed before the output is written ends the process quietly (no EPIPE stack)', async () => {
    for (const args of [['list'], ['--offline'], ['--offline', '--json'], ['--offline', '--report']]) {
      const child = spawn(process.execPath, [CLI, ...args], { env, cwd: home.home, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr, args.join(' ')).not.toMatch(/EPIPE|\n\s+at /);
      expect(stderr, args.join(' ')).toBe('');
      expect([0, 1], args.join(' ')).toContain(code);
    }
  }, 30000);

  it('a full disk (--json > /dev/full) is one line on stderr and exit 2, never a stack', async () => {
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile('sh', ['-c', `'${process.execPath}' '${CLI}' --offline --json > /dev/full`], { env, cwd: home.home }, (err, _out, stderr) => {
        resolve({ code: err ? Number((err as { code?: unknown }).code) : 0, stderr: String(stderr) });
      });
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('claw-doctor: cannot write the output: no space left on the device\n');
  });
});

describe.skipIf(process.platform === 'win32')('wrapping', () => {
  it('piped: 80 columns, hanging indents, and the config snippet and commands unbroken', async () => {
    const r = await runCli(['--offline'], { env, cwd: home.home });
    const lines = r.stdout.split('\n');
    // Prose never runs past 80; only a verbatim line (a path, a snippet) may, and it stays whole.
    const long = lines.filter((l) => chars(l) > 80);
    for (const l of long) expect(l.trim(), l).not.toMatch(/\s\S+\s/);
    expect(r.stdout).toContain('"User-Agent": "KimiCLI/0.77"');
    // A finding's text continues under its first word, not at the margin.
    const i = lines.findIndex((l) => l.includes('✗ error  No User-Agent'));
    expect(lines[i + 1]).toMatch(/^ {7}\S/);
  });

  it('COLUMNS narrows it; a pseudo-terminal of 60 columns wraps at 60 without COLUMNS', async () => {
    const narrow = await runCli(['--offline'], { env: { ...env, COLUMNS: '60' }, cwd: home.home });
    const prose = (s: string) => s.split('\n').filter((l) => /\s\S+\s/.test(l.trim()) && !/^\s+[{}"]/.test(l));
    expect(Math.max(...prose(narrow.stdout).map(chars))).toBeLessThanOrEqual(60);
    const tty = await inPty(['--offline', '--no-color'], { cols: 60 });
    expect(tty.code).toBe(1);
    expect(tty.out).toMatch(/No User-Agent/);
    expect(Math.max(...prose(tty.out).map(chars))).toBeLessThanOrEqual(60);
    expect(Math.max(...prose(tty.out).map(chars))).toBeGreaterThan(50);
  }, 30000);

  it('--help is at most 80 columns when piped, and so is each command\'s help', async () => {
    for (const args of [['--help'], ['help', 'undo'], ['explain', '--help']]) {
      const r = await runCli(args, { env, cwd: home.home });
      expect(r.code, args.join(' ')).toBe(0);
      expect(Math.max(...r.stdout.split('\n').map(chars)), args.join(' ')).toBeLessThanOrEqual(80);
    }
  }, 30000);

  it('an inline command in prose is never broken across lines', async () => {
    const r = await runCli(['--offline', '--log-dir', home.home], { env: { ...env, COLUMNS: '50' }, cwd: home.home });
    expect(r.stdout).toMatch(/pass --log-dir DIR\./);
    expect(r.stdout).not.toMatch(/--log-dir\n/);
  });
});

describe('colour: --no-color/--color > NO_COLOR > FORCE_COLOR > TTY and TERM', () => {
  it.each([
    [{ flag: undefined, env: {}, isTTY: true }, 1],
    [{ flag: undefined, env: {}, isTTY: false }, 0],
    [{ flag: undefined, env: { TERM: 'dumb' }, isTTY: true }, 0],
    [{ flag: undefined, env: { NO_COLOR: '1' }, isTTY: true }, 0],
    [{ flag: undefined, env: { NO_COLOR: '' }, isTTY: true }, 1],
    [{ flag: undefined, env: { FORCE_COLOR: '0' }, isTTY: true }, 0],
    [{ flag: undefined, env: { FORCE_COLOR: 'false' }, isTTY: true }, 0],
    [{ flag: undefined, env: { FORCE_COLOR: '1' }, isTTY: false }, 1],
    [{ flag: undefined, env: { FORCE_COLOR: '2' }, isTTY: false }, 2],
    [{ flag: undefined, env: { FORCE_COLOR: '3', TERM: 'dumb' }, isTTY: false }, 3],
    [{ flag: undefined, env: { FORCE_COLOR: '' }, isTTY: false }, 1],
    [{ flag: undefined, env: { NO_COLOR: '1', FORCE_COLOR: '1' }, isTTY: true }, 0],
    [{ flag: true, env: { NO_COLOR: '1' }, isTTY: false }, 1],
    [{ flag: true, env: { FORCE_COLOR: '3' }, isTTY: false }, 3],
    [{ flag: false, env: { FORCE_COLOR: '3' }, isTTY: true }, 0],
  ] as const)('%j → level %i', (input, level) => {
    expect(colourLevel({ ...input, env: { ...input.env }, json: false })).toBe(level);
    expect(colourLevel({ ...input, env: { ...input.env }, json: true })).toBe(0);
  });

  it.skipIf(process.platform === 'win32')('each variable, on a real process (piped and in a pseudo-terminal)', async () => {
    const piped = async (args: string[], extra: NodeJS.ProcessEnv) => ANSI.test((await runCli(['--offline', ...args], { env: { ...env, ...extra }, cwd: home.home })).stdout);
    expect(await piped([], {})).toBe(false);
    expect(await piped([], { FORCE_COLOR: '1' })).toBe(true);
    expect(await piped(['--color'], {})).toBe(true);
    expect(await piped(['--color'], { NO_COLOR: '1' })).toBe(true);
    expect(await piped(['--no-color'], { FORCE_COLOR: '3' })).toBe(false);
    expect(await piped([], { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(await piped(['--json'], { FORCE_COLOR: '1' })).toBe(false);
    const tty = async (extra: NodeJS.ProcessEnv) => ANSI.test((await inPty(['--offline'], { env: extra })).out);
    expect(await tty({})).toBe(true);
    expect(await tty({ TERM: 'dumb' })).toBe(false);
    expect(await tty({ NO_COLOR: '1' })).toBe(false);
    expect(await tty({ FORCE_COLOR: '0' })).toBe(false);
  }, 60000);
});

describe('typos and help', () => {
  it.each([
    [['--offlin'], 'Unknown argument: --offlin (did you mean --offline?)'],
    [['--stat-dir', '/x'], 'Unknown argument: --stat-dir (did you mean --state-dir?)'],
    [['lsit'], 'Unknown argument: lsit (did you mean the command list?)'],
    [['undo', '--forse'], 'Unknown argument: --forse (did you mean --force?)'],
    [['explain', 'provider.user-agnt'], 'no check or cause "provider.user-agnt". Did you mean provider.user-agent?'],
  ])('%j → "Did you mean …?"', async (args, message) => {
    const r = await runCli(args, { env, cwd: home.home });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`claw-doctor: ${message}`);
  });

  it('help <command> and <command> --help show that command\'s own options', async () => {
    const a = await runCli(['help', 'undo'], { env, cwd: home.home });
    const b = await runCli(['undo', '--help'], { env, cwd: home.home });
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toMatch(/^claw-doctor undo\n/);
    expect(a.stdout).toMatch(/--force/);
    expect(a.stdout).toMatch(/--state-dir/);
    expect(a.stdout).not.toMatch(/--offline|--report/);
    const top = await runCli(['--help'], { env, cwd: home.home });
    expect(top.stdout).toMatch(/--offline/);
    expect(top.stdout).not.toMatch(/--force/);
  });

  it('completion prints a shell completion script', async () => {
    const r = await runCli(['completion'], { env, cwd: home.home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/###-begin-claw-doctor-completions-###/);
    expect(r.stdout).toMatch(/--get-yargs-completions/);
  });

  it('explain says more than list, and --json gives it as data', async () => {
    const text = await runCli(['explain', 'provider.user-agent'], { env, cwd: home.home });
    expect(text.stdout).toMatch(/^provider\.user-agent — /);
    expect(text.stdout).toMatch(/Why: /);
    expect(text.stdout).toMatch(/Works offline\./);
    expect(text.stdout).toMatch(/^Reads: the User-Agent header/m);
    expect(text.stdout).toMatch(/^Findings it can give:\n {2}error {2}No User-Agent for <ref>: Kimi will answer 403\n {9}--fix: headers\.User-Agent "KimiCLI\/0\.77" added to the model$/m);
    const json = await runCli(['explain', 'probe.chat', '--json'], { env, cwd: home.home });
    const doc = JSON.parse(json.stdout) as { id: string; why: string; network: boolean; findings: unknown[] };
    expect(doc.id).toBe('probe.chat');
    expect(doc.network).toBe(true);
    expect(Array.isArray(doc.findings)).toBe(true);
  });
});

describe('one rule for what the user pointed at', () => {
  it.each([
    [['--state-dir', '/nonexistent'], 'claw-doctor: --state-dir /nonexistent: no such directory'],
    [['--config', '/nonexistent'], 'claw-doctor: --config /nonexistent: no such file'],
    [['--log-dir', '/nonexistent'], 'claw-doctor: --log-dir /nonexistent: no such directory'],
    [['undo', '--state-dir', '/nonexistent'], 'claw-doctor: --state-dir /nonexistent: no such directory'],
  ])('%j → one line, exit 2, nothing on stdout', async (args, line) => {
    const r = await runCli(args, { env, cwd: home.home });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(line);
  });

  it('a path named by an env var is the setup itself: a finding, exit 1', async () => {
    const r = await runCli(['--offline'], { env: { ...env, CLAWDBOT_CONFIG_PATH: '/nonexistent/clawdbot.json' }, cwd: home.home });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/does not exist/);
  });
});

describe('findings', () => {
  it('a check that did not find what it looks for shows no pass mark; errors stand out, info is plain', async () => {
    const r = await runCli(['--offline', '--color'], { env, cwd: home.home });
    const plain = r.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/^ {2}i logs\.today /m);
    expect(plain).not.toMatch(/^ {2}✓ logs\.today /m);
    // Error titles bold and red; info titles not bold.
    expect(r.stdout).toMatch(/\u001b\[1m\u001b\[31mNo User-Agent/);
    const infoLine = r.stdout.split('\n').find((l) => l.includes('No log file for today'))!;
    expect(infoLine).not.toMatch(/\u001b\[1m/);
  });

  it('the undo hint after --fix --state-dir X is the command that works', async () => {
    const state = fs.mkdtempSync(path.join(home.home, 'state-'));
    fs.writeFileSync(path.join(state, 'clawdbot.json'), fixtureConfig('config-no-user-agent.json5'));
    const r = await runCli(['--dry-run', '--offline', '--state-dir', state], { env, cwd: home.home });
    expect(r.stdout).toContain(`\`claw-doctor undo --state-dir ${state.replace(home.home, '~')}\` reverts this run`);
    // The plan does not repeat the vendor-terms note the User-Agent finding already gave.
    expect(r.stdout.split(/falsifying\s+a\s+client/).length - 1).toBe(1);
    // And it does find the journal there: the same flags reach the same state dir.
    const undo = await runCli(['undo', '--state-dir', state], { env, cwd: home.home });
    expect(undo.stdout).toMatch(/No claw-doctor change to undo \(no journal in ~\/state-\w+\/claw-doctor\)/);
  });
});

describe('the bundled examples run on their own files', () => {
  const examples: [string, number][] = [
    ['working', 0],
    ['broken-no-user-agent', 1],
    ['broken-ordering-conflict', 1],
    ['broken-model-typo', 1],
    ['broken-syntax', 1],
  ];
  let hostile: string;
  beforeAll(() => {
    // A log root full of today's failures: the README's example commands must not read it.
    hostile = fs.mkdtempSync(path.join(home.home, 'hostile-tmp-'));
    const d = new Date();
    const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const line = (msg: string) => JSON.stringify({ 0: msg, _meta: { logLevelName: 'ERROR' }, time: d.toISOString() });
    for (const product of ['clawdbot', 'openclaw', 'moltbot']) {
      fs.mkdirSync(path.join(hostile, product), { recursive: true });
      fs.writeFileSync(path.join(hostile, product, `${product}-${day}.log`), [line('Embedded agent failed before reply: 403 HOSTILE-LOG-LINE'), line('Message ordering conflict HOSTILE-LOG-LINE')].join('\n') + '\n');
    }
  });

  it.each(examples)('%s: exit %i, whatever the machine\'s /tmp holds', async (name, code) => {
    const dir = path.join('examples', name);
    const r = await runCli(['--offline', '--state-dir', dir, '--log-dir', dir], { env: { ...env, CLAW_DOCTOR_LOG_ROOTS: hostile }, cwd: ROOT });
    expect(r.code, r.stdout).toBe(code);
    expect(r.stdout).not.toContain('HOSTILE');
    expect(r.stdout).not.toContain(hostile);
  });
});
