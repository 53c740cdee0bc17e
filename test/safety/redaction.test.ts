// Issue 15 items 4, 5, 6 and 15 (the ledger): secrets of every awkward kind stay out of every output mode,
// seen through the real CLI on a temp home whose config, environment and log hold them.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/report/redact.js';
import { localDate, tslogLine } from '../support/logs-fixtures.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { doctor } from './helpers.js';

let th: TempHome | undefined;
afterEach(async () => {
  await th?.cleanup();
  th = undefined;
});

const HUGE = `Zq${'x7Y'.repeat(11_000)}K9`; // 33,004 characters: past the old RegExp limit
const LONG_TOKEN = `gw${'a1B2'.repeat(40_000)}`; // ~160k characters under a secret key
const GATEWAY_TOKEN = 'Vb7kQ2mXr9TzLw4N';
const LOWER = 'letmeinplease';
const LOWER2 = 'mysupersecretkey';
const NODEMAILER = 'hunter2hunter2';
const PW = 'tr0ub4dor';
const AT_PASSWORD = 'p@ss@w0rd9';
const KEY = 'sk-kimi-Zq81VfL2pXw9TnB4cR7dK3mY6sH0jG5a';
const SECRETS = [HUGE, LONG_TOKEN, GATEWAY_TOKEN, LOWER, LOWER2, NODEMAILER, PW, 'w0rd9', KEY];

function config(): string {
  return JSON.stringify({
    models: { providers: { 'kimi-code': { baseUrl: 'https://api.kimi.com/coding/v1', api: 'openai-completions', apiKey: KEY, models: [{ id: 'kimi-for-coding', name: 'k', reasoning: true, headers: { 'User-Agent': 'KimiCLI/0.77' }, compat: { supportsDeveloperRole: false } }] } } },
    agents: { defaults: { model: { primary: 'kimi-code/kimi-for-coding' } } },
    gateway: { auth: { token: GATEWAY_TOKEN, password: LOWER }, remote: { token: LONG_TOKEN } },
    channels: { email: { auth: { user: 'bob', pass: NODEMAILER }, pw: PW, smtp: `smtp://bob:${AT_PASSWORD}@mail.example.com:587/` }, huge: { secret: HUGE }, other: { apiKey: LOWER2 } },
  });
}

async function home(): Promise<{ env: NodeJS.ProcessEnv }> {
  th = await makeTempHome({ config: config() });
  const roots = path.join(th.home, 'logroot');
  const dir = path.join(roots, 'clawdbot');
  fs.mkdirSync(dir, { recursive: true });
  // A log that quotes them with no key next to them: only seeding by value can catch these.
  const lines = [`gateway connect token=${GATEWAY_TOKEN}`, `login as ${LOWER} failed`, `smtp ${NODEMAILER} rejected`, `blob ${HUGE}`, `pw ${PW}`, `long ${LONG_TOKEN.slice(0, 5000)}`]
    .map((m) => tslogLine(m, { level: 'ERROR', time: new Date().toISOString() }))
    .join('\n');
  fs.writeFileSync(path.join(dir, `clawdbot-${localDate(new Date())}.log`), `${lines}\n`);
  return { env: { ...th.env, CLAW_DOCTOR_LOG_ROOTS: roots, TMPDIR: roots } };
}

describe('secrets in every output mode', { timeout: 60_000 }, () => {
  it.each([[[]], [['--json']], [['--report']], [['--verbose']], [['--dry-run']]])('%j: no secret printed, no crash', async (args) => {
    const { env } = await home();
    const run = await doctor(['--offline', ...args], env);
    const out = run.stdout + run.stderr;
    expect(run.code, out.slice(0, 2000)).not.toBe(2);
    expect(out).not.toMatch(/internal error|RangeError|Regular expression too large/);
    for (const s of SECRETS) expect(out.includes(s), `leaked ${s.slice(0, 20)}… (${s.length} chars)`).toBe(false);
    // Secrets that were only partly masked leave pieces: the tail of the long and huge ones.
    expect(out).not.toContain(LONG_TOKEN.slice(-200));
    expect(out).not.toContain(HUGE.slice(1000, 1200));
  });
});

describe('Redactor', () => {
  it('a raw @ in a URL password is masked to the host', () => {
    const r = new Redactor({ home: '/nowhere' });
    const out = r.text(`smtp://bob:${AT_PASSWORD}@mail.example.com/`);
    expect(out).not.toContain('w0rd9');
    expect(out).toMatch(/@mail\.example\.com\/$/);
  });

  it('"provider" in headersFrom is a word, not a secret, and is not counted in the ledger', () => {
    const r = new Redactor({ home: '/nowhere' });
    expect(r.value({ headersFrom: { Authorization: 'provider', 'User-Agent': 'model' } })).toEqual({ headersFrom: { Authorization: 'provider', 'User-Agent': 'model' } });
    expect(r.ledger()).toEqual({});
  });
});
