// The fixer in-process: the plan (diffs, refusals), confirmation, each repair applied on its own,
// one edit batch per file, the journal. The same flows as real processes are in fix-cli.test.ts.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Context } from '../../src/engine/context.js';
import { defaultOptions, type Options } from '../../src/engine/options.js';
import type { Repair } from '../../src/engine/types.js';
import { getConfig } from '../../src/facts/config.js';
import { ConfigEditError } from '../../src/fix/config-edit.js';
import { configBatches, includedPart, makePlan, runFix, runFixSubcommand, type FixDeps, type FixIO, type PlannedRepair } from '../../src/fix/fixer.js';
import { readJournals } from '../../src/fix/journal.js';
import { undoLast } from '../../src/fix/undo.js';
import { diffLines, renderPlan, unifiedDiff } from '../../src/fix/plan-render.js';
import { archiveSessions, listSessionFiles } from '../../src/fix/sessions-backup.js';
import { fixtureConfig } from '../support/doctor.js';
import { freePort, makeFakeGateway, type FakeGateway } from '../support/fake-gateway.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';

/** A repair as a plugin may send it: untyped at run time, so the fixer checks it. */
const fromPlugin = (r: object): Repair => r as unknown as Repair;

const KEY = 'sk-kimi-Zq81VfL2pXw9TnB4cR7dK3mY6sH0jG5a';

let th: TempHome | undefined;
let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.cleanup();
  await th?.cleanup();
  gw = undefined;
  th = undefined;
});

/** A config with three things --fix can repair: thinkingDefault, the User-Agent, reasoning. */
function threeRepairs(): string {
  return fixtureConfig('config-no-user-agent.json5').replace('"reasoning": true', '"reasoning": false').replace('"thinkingDefault": "low"', '"thinkingDefault": "max"');
}

interface Run {
  code: number;
  out: string;
  questions: string[];
}

async function fix(home: TempHome, over: Partial<Options>, opts: { env?: NodeJS.ProcessEnv; io?: Partial<FixIO>; deps?: Partial<FixDeps> } = {}): Promise<Run> {
  let out = '';
  const questions: string[] = [];
  const port = await freePort();
  const io: Partial<FixIO> = {
    env: { CLAWDBOT_GATEWAY_PORT: String(port), ...(opts.env ?? home.env) },
    cwd: home.home,
    home: home.home,
    write: (t) => void (out += t),
    interactive: false,
    ask: async (q) => {
      questions.push(q);
      return false;
    },
    ...opts.io,
  };
  const code = await runFix(defaultOptions({ offline: true, timeout: 20, ...over }), io, { gatewayTimeoutMs: 8000, gatewaySettleMs: 2000, ...opts.deps });
  return { code, out, questions };
}

describe('unifiedDiff', () => {
  it('shows an insertion with three lines of context and correct ranges', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\n';
    const after = 'a\nb\nc\nd\nX\ne\nf\ng\n';
    expect(unifiedDiff(before, after, { from: 'f', to: 'f (after)' })).toBe(['--- f', '+++ f (after)', '@@ -2,6 +2,7 @@', ' b', ' c', ' d', '+X', ' e', ' f', ' g', ''].join('\n'));
  });

  it('splits distant changes into hunks, and is empty for equal texts', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const changed = [...lines];
    changed[2] = 'two';
    changed[25] = 'twenty-five';
    const diff = unifiedDiff(lines.join('\n'), changed.join('\n'), { from: 'a', to: 'b' });
    expect(diff.match(/^@@ /gm)).toHaveLength(2);
    expect(diff).toContain('@@ -1,6 +1,6 @@');
    expect(diff).toContain('-line 25\n+twenty-five');
    expect(unifiedDiff('x\n', 'x\n', { from: 'a', to: 'b' })).toBe('');
  });

  it('handles deletions and CRLF files', () => {
    expect(diffLines(['a', 'b', 'c'], ['a', 'c'])).toEqual([
      { type: ' ', line: 'a' },
      { type: '-', line: 'b' },
      { type: ' ', line: 'c' },
    ]);
    expect(unifiedDiff('a\r\nb\r\n', 'a\r\nc\r\n', { from: 'x', to: 'y' })).toContain('-b\n+c\n');
  });
});

describe('the plan', () => {
  it('refuses an edit whose value comes from an $include, naming the file', async () => {
    const text = fixtureConfig('config-no-user-agent.json5');
    const models = text.slice(text.indexOf('"models": {') + '"models": '.length, text.indexOf('"agents"')).trim().replace(/,$/, '');
    const main = `{\n  // the models live in another file\n  "$include": "./models.json5",\n  "agents": { "defaults": { "model": { "primary": "kimi-code/kimi-for-coding" } } },\n}\n`;
    th = await makeTempHome({ config: main, files: { '.clawdbot/models.json5': `{ "models": ${models} }\n` } });
    const r = await fix(th, { fix: true, yes: true, only: ['provider.user-agent'] });
    expect(r.out).toMatch(/models\.providers\.kimi-code\.models\[0\]|models\b.* comes from an \$include'd file \(~\/\.clawdbot\/models\.json5\)/);
    expect(r.out).toMatch(/Make this change in the included file/);
    expect(await fs.readFile(th.configPath, 'utf8')).toBe(main);
    expect(r.code).toBe(1);

    const cfg = await getConfig(new Context({ options: defaultOptions(), env: th.env, home: th.home }));
    expect(includedPart(cfg, main, ['models', 'providers', 'kimi-code', 'models', 0, 'headers'])).toMatch(/^models comes from an \$include'd file/);
    expect(includedPart(cfg, main, ['agents', 'defaults', 'thinkingDefault'])).toBeUndefined();
  });

  it('refuses a value that would put a secret from the environment into the file, and unknown repair kinds', async () => {
    const config = fixtureConfig('config-no-user-agent.json5').replace(/"sk-kimi-acceptance-0+"/g, '"${KIMICODE_API_KEY}"');
    th = await makeTempHome({ config });
    const env = { ...th.env, KIMICODE_API_KEY: KEY };
    const ctx = new Context({ options: defaultOptions({ offline: true }), env, home: th.home, cwd: th.home });
    const repairs: PlannedRepair[] = [
      { n: 1, check: 'x.leak', repair: { kind: 'config.set', summary: 'put the key in', data: { path: ['models', 'providers', 'kimi-code', 'apiKey'], value: KEY } } },
      { n: 2, check: 'x.ok', repair: { kind: 'config.set', summary: 'set thinking', data: { path: ['agents', 'defaults', 'thinkingDefault'], value: 'high' } } },
      { n: 3, check: 'x.odd', repair: fromPlugin({ kind: 'gateway.teleport', summary: 'teleport', data: {} }) },
      { n: 4, check: 'x.bad', repair: fromPlugin({ kind: 'config.set', summary: 'no path', data: { value: 1 } }) },
    ];
    const plan = await makePlan(ctx, repairs, { gatewayIsUp: async () => false });
    expect(configBatches(plan)).toHaveLength(1);
    expect(configBatches(plan)[0]!.repairs.map((r) => r.n)).toEqual([2]);
    expect(configBatches(plan)[0]!.after).not.toContain(KEY);
    expect(plan.refused.map((r) => [r.repair.n, r.reason])).toEqual([
      [1, expect.stringMatching(/would write a value from your environment \(a key or token\)/)],
      [3, expect.stringMatching(/does not know how to apply a "gateway.teleport" repair/)],
      [4, expect.stringMatching(/data.path/)],
    ]);
    const text = renderPlan(plan);
    expect(text).not.toContain(KEY);
    expect(text).toMatch(/Not possible automatically/);
  });

  it('leaves an opt-in repair out unless its check is named with --only', async () => {
    th = await makeTempHome({ config: fixtureConfig('config-working.json5') });
    const repair = { kind: 'config.set' as const, summary: 'set logging.level to "info"', data: { path: ['logging', 'level'], value: 'info', optIn: true } };
    const planned: PlannedRepair[] = [{ n: 1, check: 'logs.thinking', repair }];
    const planFor = (only: string[]): ReturnType<typeof makePlan> =>
      makePlan(new Context({ options: defaultOptions({ only }), env: th!.env, home: th!.home, cwd: th!.home }), planned, { gatewayIsUp: async () => false });
    const left = await planFor([]);
    expect(configBatches(left)).toEqual([]);
    expect(left.refused[0]!.reason).toMatch(/opt-in: apply it with `claw-doctor --fix --only logs\.thinking`/);
    expect(configBatches(await planFor(['logs.*']))).toEqual([]);
    const named = await planFor(['logs.thinking']);
    expect(named.refused).toEqual([]);
    expect(configBatches(named)[0]!.repairs.map((r) => r.n)).toEqual([1]);
  });

  it('asks on a terminal: no changes nothing, yes applies', async () => {
    th = await makeTempHome({ config: fixtureConfig('config-no-user-agent.json5') });
    const before = await fs.readFile(th.configPath);
    const no = await fix(th, { fix: true }, { io: { interactive: true } });
    expect(no.questions).toEqual([expect.stringMatching(/Apply this change\? \[y\/N\]/)]);
    expect(no.out).toMatch(/Nothing was changed\./);
    expect(await fs.readFile(th.configPath)).toEqual(before);

    const yes = await fix(th, { fix: true }, { io: { interactive: true, ask: async () => true } });
    expect(yes.code).toBe(0);
    expect(await fs.readFile(th.configPath, 'utf8')).toContain('"headers": { "User-Agent": "KimiCLI/0.77" }');
  });

  it('refuses --yes without --fix, and --fix with --json', async () => {
    th = await makeTempHome({ config: fixtureConfig('config-no-user-agent.json5') });
    expect((await fix(th, { yes: true })).code).toBe(2);
    expect((await fix(th, { fix: true, json: true })).code).toBe(2);
  });
});

describe('applying', () => {
  it('applies several config repairs on one file as one edit: one backup, one journal entry, all re-checked', async () => {
    th = await makeTempHome({ config: threeRepairs() });
    const before = await fs.readFile(th.configPath);
    const r = await fix(th, { fix: true, yes: true, only: ['agent.*', 'provider.*'] });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/3 changes, one edit/);
    expect(r.out.match(/fixed \(checked again\)/g)).toHaveLength(3);
    const backups = (await fs.readdir(th.stateDir)).filter((n) => n.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(await fs.readFile(path.join(th.stateDir, backups[0]!))).toEqual(before);
    const [journal] = await readJournals(th.stateDir);
    expect(journal!.doc.changes.map((c) => c.kind)).toEqual(['file.edit']);
    expect((await fs.stat(th.configPath)).mode & 0o777).toBe(0o600);
    const after = await fs.readFile(th.configPath, 'utf8');
    expect(after).toContain('// written by hand');
    expect(after).toContain('"thinkingDefault": "high"');
    expect((await undoLast(th.stateDir)).status).toBe('undone');
    expect(await fs.readFile(th.configPath)).toEqual(before);
  });

  it('one repair failing does not block the others: the config edit fails, the sessions reset still runs', async () => {
    th = await makeTempHome({ config: fixtureConfig('config-no-user-agent.json5'), sessions: 3 });
    gw = await makeFakeGateway({ behaviour: { stop: 'not-loaded', start: 'not-loaded' } });
    const before = await fs.readFile(th.configPath);
    const r = await fix(
      th,
      { fix: true, resetSessions: true, yes: true },
      {
        env: { ...gw.env(th.env), CLAWDBOT_GATEWAY_PORT: String(gw.port) },
        deps: {
          applyConfigEdits: async () => {
            throw new ConfigEditError('injected: the disk is full');
          },
        },
      },
    );
    expect(r.out).toMatch(/✗ 1\. \[provider\.user-agent\][^\n]*\n\s+failed: not applied: injected: the disk is full/);
    expect(r.out).toMatch(/✓ \d\. back up and clear the sessions of agent main/);
    expect(await fs.readFile(th.configPath)).toEqual(before);
    expect(await listSessionFiles(th.sessionsDir)).toEqual([]);
    expect((await fs.readdir(th.backupsDir)).filter((n) => n.endsWith('.tar.gz'))).toHaveLength(1);
    const [journal] = await readJournals(th.stateDir);
    expect(journal!.doc.changes.map((c) => c.kind)).toEqual(['sessions.reset']);
    expect(r.code).toBe(1);
  });

  it('refuses to write when the file changed between the plan and the edit', async () => {
    th = await makeTempHome({ config: fixtureConfig('config-no-user-agent.json5') });
    const edited = `${fixtureConfig('config-no-user-agent.json5')}\n// edited meanwhile\n`;
    const r = await fix(th, { fix: true }, {
      io: {
        interactive: true,
        // The user (or the product) writes the file while the question is on screen.
        ask: async () => {
          await fs.writeFile(th!.configPath, edited);
          return true;
        },
      },
    });
    expect(r.out).toMatch(/changed since the plan was made; nothing written/);
    expect(await fs.readFile(th.configPath, 'utf8')).toBe(edited);
    expect(r.code).toBe(1);
  });
});

describe('restore and undo', () => {
  it('restore into an empty sessions dir is journaled; undo removes what came back', async () => {
    th = await makeTempHome({ config: fixtureConfig('config-working.json5'), sessions: 2 });
    const files = await listSessionFiles(th.sessionsDir);
    const { archive } = await archiveSessions(th.sessionsDir, th.backupsDir);
    await fs.rm(th.sessionsDir, { recursive: true });
    let out = '';
    const io: Partial<FixIO> = { env: { ...th.env, CLAWDBOT_GATEWAY_PORT: String(await freePort()) }, cwd: th.home, home: th.home, write: (t) => void (out += t) };
    const deps = { gatewayIsUp: async () => false };

    expect(await runFixSubcommand('restore', {}, defaultOptions(), io, deps)).toBe(0);
    expect(out).toContain(`Restored 3 file(s) from ~/.clawdbot/backups/${path.basename(archive)}`);
    expect(out).toMatch(/There were no sessions before \(`claw-doctor undo` removes the restored ones again\)/);
    expect(await listSessionFiles(th.sessionsDir)).toEqual(files);

    expect(await runFixSubcommand('undo', {}, defaultOptions(), io, deps)).toBe(0);
    expect(await listSessionFiles(th.sessionsDir)).toEqual([]);
    expect(out).not.toContain(th.home);
  });
});
