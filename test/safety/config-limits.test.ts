// Issue 15 items 8, 9 and 12: every file the config names is read within --timeout and a size budget (a
// FIFO, /dev/zero, an `$include` fan-out), a 10 MB config costs one parse, and ~1,500 nested arrays are a
// clear finding instead of a stack overflow. Each case runs the real CLI with --timeout 5 and must end
// (the test's own limit is generous: a hang is what fails it), with the finding that names the problem.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureConfig } from '../support/doctor.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { doctor } from './helpers.js';

let th: TempHome | undefined;
afterEach(async () => {
  await th?.cleanup();
  th = undefined;
});

interface Json {
  findings: { check: string; severity: string; title: string; detail: string }[];
  checks: { id: string; status: string }[];
}

async function run(config: string | undefined, setup: (t: TempHome) => void = () => undefined, args: string[] = []): Promise<{ code: number | null; json: Json; stderr: string }> {
  th = await makeTempHome(config === undefined ? {} : { config });
  setup(th);
  const r = await doctor(['--offline', '--json', '--timeout', '5', ...args], { ...th.env, CLAW_DOCTOR_LOG_ROOTS: th.home, TMPDIR: th.home }, 25_000);
  expect(r.stderr).not.toMatch(/\n\s+at |Maximum call stack|internal error/);
  return { code: r.code, json: JSON.parse(r.stdout) as Json, stderr: r.stderr };
}

const parseFinding = (j: Json): string => j.findings.filter((f) => f.check === 'config.parse').map((f) => f.title).join('\n');
const fifo = (p: string): void => void execFileSync('mkfifo', [p]);

describe('reading the config is bounded', { timeout: 30_000 }, () => {
  it('the config is a FIFO: named, not waited on', async () => {
    const r = await run(undefined, (t) => (fs.mkdirSync(t.stateDir, { recursive: true }), fifo(t.configPath)), ['--config', '.clawdbot/clawdbot.json']);
    expect(r.code).toBe(1);
    expect(parseFinding(r.json)).toMatch(/named pipe \(FIFO\)/);
  });

  it('$include: "/dev/zero": named as a device, memory does not grow', async () => {
    const r = await run('{ "$include": "/dev/zero" }\n');
    expect(parseFinding(r.json)).toMatch(/\$include.*a device, not a file/);
  });

  it('$include of a FIFO: named, not waited on', async () => {
    const r = await run('{ "$include": "./pipe.json5" }\n', (t) => fifo(path.join(t.stateDir, 'pipe.json5')));
    expect(parseFinding(r.json)).toMatch(/named pipe/);
  });

  it('an $include fan-out stops at the budget with a finding', async () => {
    // 10 levels × 10 includes each: 10^10 reads if nothing stopped it.
    const r = await run('{ "$include": ["./a0.json5"] }\n', (t) => {
      for (let i = 0; i < 10; i++) {
        const next = i < 9 ? `./a${i + 1}.json5` : undefined;
        fs.writeFileSync(path.join(t.stateDir, `a${i}.json5`), next ? `{ "$include": [${Array(10).fill(`"${next}"`).join(', ')}], "k${i}": ${i} }\n` : '{ "leaf": true }\n');
      }
    });
    expect(parseFinding(r.json)).toMatch(/not read: more than 200 includes were read/);
  });

  it('big included files count against one size budget', async () => {
    const big = `{ "pad": "${'x'.repeat(6 * 1024 * 1024)}" }\n`;
    const r = await run('{ "$include": ["./b1.json", "./b2.json", "./b3.json"] }\n', (t) => {
      for (const n of [1, 2, 3]) fs.writeFileSync(path.join(t.stateDir, `b${n}.json`), big);
    });
    expect(parseFinding(r.json), parseFinding(r.json)).toMatch(/left of the 16 MB claw-doctor reads for a config and its includes/);
  });

  it('a FIFO as ./.env, <stateDir>/.env and auth-profiles.json does not hang the run', async () => {
    const r = await run(fixtureConfig('config-working.json5'), (t) => {
      fifo(path.join(t.home, '.env'));
      fifo(path.join(t.stateDir, '.env'));
      fs.mkdirSync(path.join(t.agentDir, 'agent'), { recursive: true });
      fifo(path.join(t.agentDir, 'agent', 'auth-profiles.json'));
    });
    expect(r.json.checks.find((c) => c.id === 'config.parse')?.status).toBe('pass');
  });

  it('~1,500 nested arrays: a clear finding, exit 1, no stack overflow', async () => {
    const r = await run(`{ "deep": ${'['.repeat(1500)}${']'.repeat(1500)} }\n`);
    expect(r.code).toBe(1);
    expect(parseFinding(r.json)).toMatch(/nests objects or arrays more than 256 levels deep/);
  });

  it('a 10 MB config is read (one parse) and said to be too large for line numbers', async () => {
    const models = Array.from({ length: 40_000 }, (_, i) => ({ id: `m-${i}`, name: `model ${i} ${'n'.repeat(150)}`, reasoning: true, contextWindow: 262144, maxTokens: 32768 }));
    const cfg = JSON.parse(fixtureConfig('config-working.json5').replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1')) as { models: { providers: Record<string, unknown> } };
    cfg.models.providers.filler = { baseUrl: 'https://example.com/v1', api: 'openai-completions', models };
    const text = JSON.stringify(cfg, null, 2);
    expect(text.length).toBeGreaterThan(9 * 1024 * 1024);
    const r = await run(text);
    const f = r.json.findings.find((x) => x.check === 'config.parse');
    expect(f?.title).toMatch(/The config is \d+\.\d MB: evidence names paths without line numbers/);
    expect(r.json.checks.find((c) => c.id === 'agent.model')?.status).not.toBe('timeout');
  });
});
