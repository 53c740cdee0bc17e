// The check table helper must fail where a table row is wrong: an extra finding, a finding on a valid row, a
// repair whose output the row does not state (or states wrongly), a run that changed the home, a secret in a
// finding. Each case runs one real row through runCase and expects the rejection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCase, type CheckTable, type InvalidCase } from './support/check-tester.js';
import { fixtureConfig } from './support/doctor.js';

const WORKING = fixtureConfig('config-working.json5');
const NO_COMPAT = fixtureConfig('config-no-compat.json5');
const COMPAT_ERROR = { severity: 'error', title: 'kimi-code/kimi-for-coding sends the system prompt as role "developer": Kimi answers 400' } as const;
const COMPAT_LINE = '            "compat": { "supportsDeveloperRole": false },\n';
const FIXED = NO_COMPAT.replace('"headers": { "User-Agent": "KimiCLI/0.77" },\n', `"headers": { "User-Agent": "KimiCLI/0.77" },\n${COMPAT_LINE}`);

const row = (over: Partial<InvalidCase>): InvalidCase => ({ name: 'x', config: WORKING, findings: [], ...over });
const run = (r: InvalidCase, table: CheckTable = {}, check = 'provider.compat') => runCase(check, table, r);

// A plugin check that writes into the home it is run in: the no-change guard must catch it.
const pluginDir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-plugin-'));
const WRITER = path.join(pluginDir, 'writer.mjs');
fs.writeFileSync(
  WRITER,
  "import fs from 'node:fs';\nexport default { id: 'test.writer', title: 'writes', why: 'a check that breaks the rule', run(ctx) { fs.writeFileSync(ctx.home + '/written-by-a-check', 'x'); return []; } };\n",
);
afterAll(() => fs.rmSync(pluginDir, { recursive: true, force: true }));

describe('check tables fail where the row is wrong', () => {
  it('the right row passes (so the failures below are about what they change)', async () => {
    await run(row({ config: NO_COMPAT, findings: [COMPAT_ERROR], output: FIXED }));
  });

  it('an unexpected extra finding', async () => {
    await expect(run(row({ config: NO_COMPAT, findings: [] }))).rejects.toThrow(/expected 0 finding\(s\), got 1/);
  });

  it('a finding on a valid row (info counts)', async () => {
    await expect(run(row({}), {}, 'provider.api-key')).rejects.toThrow(/expected 0 finding\(s\), got 1/);
  });

  it('an exact title that differs by one character', async () => {
    await expect(run(row({ config: NO_COMPAT, findings: [{ ...COMPAT_ERROR, title: `${COMPAT_ERROR.title}.` }], output: FIXED }))).rejects.toThrow(/title .* does not match/);
  });

  it('a repair the row does not say the output of', async () => {
    await expect(run(row({ config: NO_COMPAT, findings: [COMPAT_ERROR] }))).rejects.toThrow(/offers a repair .* must say what it writes/);
  });

  it('an output that is not what the repair wrote', async () => {
    await expect(run(row({ config: NO_COMPAT, findings: [COMPAT_ERROR], output: NO_COMPAT }))).rejects.toThrow(/config after --fix/);
  });

  it('an output on a row whose check offers no repair', async () => {
    await expect(run(row({ output: WORKING }))).rejects.toThrow(/offered none/);
  });

  it('a run without --fix that writes into the home', async () => {
    await expect(run(row({ options: { plugins: [WRITER] } }), {}, 'test.writer')).rejects.toThrow(/a run without --fix changed the home/);
  });

  it('a secret in a finding', async () => {
    // Any string the table lists as secret: here the config path config.location names.
    await expect(run(row({ findings: [{ severity: 'info' }] }), { secrets: ['~/.clawdbot/clawdbot.json'] }, 'config.location')).rejects.toThrow(/a finding carries a secret/);
  });
});
