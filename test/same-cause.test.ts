// "Same cause" is decided once, by the runner, and every renderer follows it: the first finding (in check
// order) keeps its fix, the later ones point to it. Reproduced bug: with `"apiKey": "${KIMI_KEY_NOT_SET}"`
// the report's two findings each pointed to the other's fix and showed none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, fixtureConfig, runCli, tempHome, type TempHome } from './support/doctor.js';

let home: TempHome;
let logRoot: string;
beforeEach(() => {
  home = tempHome('claw-doctor-same-cause-');
  logRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-same-cause-logs-'));
});
afterEach(() => {
  home.cleanup();
  fs.rmSync(logRoot, { recursive: true, force: true });
});

/**
 * The guide's config with the key as an unset reference and no env block, written by openclaw: there
 * config.env-vars (earlier in the list) is a warning and provider.api-key (later) an error, so list order
 * and severity order disagree.
 */
const unsetKeyConfig = () =>
  fixtureConfig()
    .replace(/"apiKey":\s*"[^"]*"/, '"apiKey": "${KIMI_KEY_NOT_SET}"')
    .replace(/^\s*"env": \{ "vars".*\n/m, '')
    .replace('{\n', '{\n  "meta": { "lastTouchedVersion": "2026.9.6" },\n');

async function run(args: string[]) {
  home.writeConfig(unsetKeyConfig());
  return runCli(['--offline', ...args], { env: cleanEnv(home.home, { CLAW_DOCTOR_LOG_ROOTS: logRoot }), cwd: home.home });
}

describe.skipIf(process.platform === 'win32')('same cause, decided once', () => {
  it('--json: the later finding names the first one in sameCauseAs; the first keeps its fix', async () => {
    const r = await run(['--json']);
    const doc = JSON.parse(r.stdout) as { findings: { check: string; title: string; fix: string | null; cause: string | null; sameCauseAs?: { check: string; title: string } }[] };
    const linked = doc.findings.filter((f) => f.sameCauseAs);
    expect(linked.length).toBeGreaterThan(0);
    for (const f of linked) {
      const first = doc.findings.find((x) => x.check === f.sameCauseAs!.check && x.title === f.sameCauseAs!.title);
      expect(first, JSON.stringify(f)).toBeDefined();
      expect(first!.sameCauseAs, 'the first finding of a cause points nowhere').toBeUndefined();
      expect(first!.fix).toMatch(/KIMI_KEY_NOT_SET/);
      expect(first!.cause).toBe(f.cause);
    }
  });

  it('--report shows the first finding\'s fix, and no finding points to one that points back', async () => {
    const r = await run(['--report']);
    const blocks = r.stdout.split(/\n(?=#### )/).filter((b) => b.startsWith('#### '));
    const pointing = blocks.filter((b) => /Same cause as/.test(b));
    expect(pointing.length).toBeGreaterThan(0);
    for (const b of pointing) {
      const target = /Same cause as “([^”]+)” \(`([^`]+)`\)/.exec(b);
      expect(target, b).not.toBeNull();
      const first = blocks.find((x) => x.includes(`\`${target![2]}\` — ${target![1]}`));
      expect(first, `the block of ${target![2]}`).toBeDefined();
      expect(first).not.toMatch(/Same cause as/);
      expect(first).toMatch(/\*\*Fix\*\*[\s\S]*KIMI_KEY_NOT_SET/);
    }
  });
});
