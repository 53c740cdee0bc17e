// Issue 15's fuzz test: seeded mutations of a config, a log, a transcript and a session store, each run
// through the whole diagnosis. Asserts for every case: no check crashed, no stack trace in the output
// (without --verbose), the run ended within --timeout + 1 s, and no seeded secret was printed.
// Bounded: CLAW_DOCTOR_FUZZ_CASES cases (default 300) from CLAW_DOCTOR_FUZZ_SEED (default 15); a failure
// prints its seed and case number, so it can be replayed alone.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOptions } from '../../src/engine/options.js';
import { diagnose, renderOutcome } from '../../src/main.js';
import { CLI, fixtureConfig } from '../support/doctor.js';
import { assistantError, lines, localDate, runStartLine, sessionHeader, tslogLine, userMessage } from '../support/logs-fixtures.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { doctor } from './helpers.js';

const SEED = Number(process.env.CLAW_DOCTOR_FUZZ_SEED ?? 15);
const CASES = Number(process.env.CLAW_DOCTOR_FUZZ_CASES ?? 300);
const TIMEOUT_S = 3;

// Seeded secrets: a shaped key (masked anywhere) and shapeless ones that sit under secret keys in the config.
const KEY = 'sk-kimi-FuzZ81VfL2pXw9TnB4cR7dK3mY6sH0jG5a';
const GATEWAY_TOKEN = 'qLw8ZnTr4VbX2mKd';
const PASSWORD = 'correcthorsebattery';
const SECRETS = [KEY, GATEWAY_TOKEN, PASSWORD];
/** Where a shapeless secret is recognisable: under its key in the config (README "Safety": what is guaranteed). */
const PAIRS: Record<string, string> = { [GATEWAY_TOKEN]: `"token": "${GATEWAY_TOKEN}"`, [PASSWORD]: `"password": "${PASSWORD}"` };

/**
 * The secrets the output must not hold: the shaped key always; a shapeless one while the config still holds
 * it under its key. A mutation that mangles the key itself (`"pass\u2e49ord": …`) in a file that no longer
 * parses leaves a plain word next to a plain word: nothing can tell it is a secret, and nothing is promised.
 */
function mustMask(config: string): string[] {
  return SECRETS.filter((s) => !(s in PAIRS) || config.includes(PAIRS[s]!));
}

/** mulberry32: small, seedable, good enough to pick mutations. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

const NASTY = ['\u0000', '\uFFFD', '\r', '\u2028', '"', '\\', '{', '}', '[', ']', ',', ':', '${', '${LOWER}', '$include', '//', '/*', '\n', 'NaN', '-Infinity', '1e999', '__proto__', '\u202e'];

/** One mutation of `text`; which one and where comes from `r`. */
function mutate(text: string, r: Rand): string {
  const at = int(r, text.length + 1);
  switch (int(r, 9)) {
    case 0: // flip one character
      return text.slice(0, at) + String.fromCharCode(int(r, 0x3000)) + text.slice(at + 1);
    case 1: // insert something parsers dislike
      return text.slice(0, at) + pick(r, NASTY) + text.slice(at);
    case 2: // cut
      return text.slice(0, at);
    case 3: // delete a span
      return text.slice(0, at) + text.slice(at + int(r, 200));
    case 4: // duplicate a span
      return text.slice(0, at) + text.slice(at, at + int(r, 500)) + text.slice(at);
    case 5: // deep nesting
      return text.slice(0, at) + '['.repeat(200 + int(r, 2000)) + text.slice(at);
    case 6: // a long run
      return text.slice(0, at) + pick(r, ['a', 'x7', ':', '=', '"', ' ']).repeat(1000 + int(r, 200_000)) + text.slice(at);
    case 7: // random bytes as latin1
      return text.slice(0, at) + Buffer.from(Array.from({ length: 1 + int(r, 64) }, () => int(r, 256))).toString('latin1') + text.slice(at);
    default: // swap two halves
      return text.slice(at) + text.slice(0, at);
  }
}

function baseConfig(): string {
  return fixtureConfig('config-working.json5')
    .replace(/"apiKey":\s*"[^"]*"/, `"apiKey": "${KEY}"`)
    .replace(/,?\s*\n}\s*$/, `,\n  "gateway": { "mode": "local", "auth": { "token": "${GATEWAY_TOKEN}", "password": "${PASSWORD}" } }\n}\n`);
}

function baseLog(): string {
  const now = new Date().toISOString();
  return lines(
    runStartLine({ time: now }),
    tslogLine(`gateway auth token=${GATEWAY_TOKEN} accepted`, { time: now }),
    tslogLine(`HTTP 403: Kimi For Coding is currently only available for Coding Agents (key ${KEY})`, { level: 'ERROR', time: now }),
    tslogLine('Message ordering conflict - please try again.', { level: 'ERROR', time: now }),
  );
}

const SESSION = '3f0c2a9e-7d1b-4c55-9e0a-1b2c3d4e5f60';
function baseTranscript(): string {
  const t = new Date(Date.now() - 60_000).toISOString();
  return lines(sessionHeader(SESSION, t), userMessage('hi', t), assistantError(t, `400 Invalid request: role 'developer' is not supported (password=${PASSWORD})`));
}

function baseStore(): string {
  return JSON.stringify({ 'agent:main:main': { sessionId: SESSION, updatedAt: Date.now() - 60_000, thinkingLevel: 'low' } }, null, 2);
}

let th: TempHome;
let logFile: string;
beforeAll(() => {
  th = makeTempHome({ config: baseConfig() });
  logFile = path.join(th.home, 'logs', 'clawdbot', `clawdbot-${localDate(new Date())}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.mkdirSync(th.sessionsDir, { recursive: true });
});
afterAll(async () => {
  await th.cleanup();
});

interface Case {
  n: number;
  target: 'config' | 'log' | 'transcript' | 'store';
  json: boolean;
}

/** Writes every input, the chosen one mutated 1–3 times; returns the config as written. */
function writeCase(c: Case, r: Rand): string {
  const inputs = { config: baseConfig(), log: baseLog(), transcript: baseTranscript(), store: baseStore() };
  let text = inputs[c.target];
  for (let i = 0, k = 1 + int(r, 3); i < k; i++) text = mutate(text, r);
  inputs[c.target] = text;
  fs.writeFileSync(th.configPath, inputs.config);
  fs.writeFileSync(logFile, inputs.log);
  fs.writeFileSync(path.join(th.sessionsDir, `${SESSION}.jsonl`), inputs.transcript);
  fs.writeFileSync(path.join(th.sessionsDir, 'sessions.json'), inputs.store);
  return inputs.config;
}

const STACK = /\n\s+at [^\n]*:\d+:\d+/;

describe(`fuzz (seed ${SEED}, ${CASES} cases)`, { timeout: 240_000 }, () => {
  it('the unmutated inputs parse, and their secrets sit where the redactor can find them', async () => {
    writeCase({ n: -1, target: 'config', json: false }, () => 0.99999); // "swap halves" at the very end: unchanged
    fs.writeFileSync(th.configPath, baseConfig());
    const options = defaultOptions({ offline: true, timeout: TIMEOUT_S });
    const outcome = await diagnose(options, { env: { HOME: th.home, PATH: '', CLAW_DOCTOR_LOG_ROOTS: path.join(th.home, 'logs') }, cwd: th.home, home: th.home });
    expect(outcome.results.find((x) => x.id === 'config.parse')?.status).toBe('pass');
    expect(outcome.results.find((x) => x.id === 'logs.errors')?.findings.length).toBeGreaterThan(0);
  });

  it('no crash, no stack, ends in time, no seeded secret printed', async () => {
    const r = rng(SEED);
    const env = { HOME: th.home, PATH: '', CLAW_DOCTOR_LOG_ROOTS: path.join(th.home, 'logs'), TMPDIR: path.join(th.home, 'logs') };
    const failures: string[] = [];
    for (let n = 0; n < CASES; n++) {
      const c: Case = { n, target: pick(r, ['config', 'log', 'transcript', 'store'] as const), json: r() < 0.3 };
      const secrets = mustMask(writeCase(c, r));
      const options = defaultOptions({ offline: true, timeout: TIMEOUT_S, json: c.json, color: false });
      const started = Date.now();
      const outcome = await diagnose(options, { env, cwd: th.home, home: th.home });
      const out = renderOutcome(outcome, options);
      const elapsed = Date.now() - started;
      const crashed = outcome.results.filter((x) => x.status === 'crashed').map((x) => `${x.id}: ${x.reason}`);
      const leaked = secrets.filter((s) => out.includes(s));
      const problems = [
        crashed.length ? `crashed ${crashed.join('; ')}` : '',
        STACK.test(out) ? 'a stack trace in the output' : '',
        elapsed > TIMEOUT_S * 1000 + 1000 ? `took ${elapsed} ms` : '',
        leaked.length ? `printed ${leaked.map((s) => s.slice(0, 6) + '…').join(', ')}` : '',
      ].filter(Boolean);
      if (problems.length && process.env.CLAW_DOCTOR_FUZZ_DUMP) fs.writeFileSync(`${process.env.CLAW_DOCTOR_FUZZ_DUMP}-${n}.txt`, out);
      if (problems.length) failures.push(`seed ${SEED} case ${n} (${c.target}${c.json ? ', --json' : ''}): ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('the real CLI on a few mutated configs: no stack on stderr, exit 0/1 (never 2)', async () => {
    const r = rng(SEED + 1);
    const env = { HOME: th.home, PATH: process.env.PATH, CLAW_DOCTOR_LOG_ROOTS: path.join(th.home, 'logs') };
    expect(fs.existsSync(CLI)).toBe(true);
    for (let n = 0; n < 8; n++) {
      const secrets = mustMask(writeCase({ n, target: 'config', json: false }, r));
      const run = await doctor(['--offline', '--timeout', String(TIMEOUT_S)], env, (TIMEOUT_S + 5) * 1000);
      expect(run.stderr, `case ${n}`).not.toMatch(STACK);
      expect([0, 1], `case ${n}: ${run.stderr}`).toContain(run.code);
      for (const s of secrets) expect(run.stdout.includes(s), `case ${n} printed a secret`).toBe(false);
    }
  });
});
