// "Same cause" is decided once, by the runner, and every renderer follows it: the first finding (in check
// order) keeps its fix, the later ones point to it. Reproduced bug: with `"apiKey": "${KIMI_KEY_NOT_SET}"`
// the report's two findings each pointed to the other's fix and showed none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, fixtureConfig, runCli } from './support/doctor.js';
import { makeTempHome, type TempHome } from './support/temp-home.js';

let home: TempHome;
let logRoot: string;
beforeEach(() => {
  home = makeTempHome({ prefix: 'claw-doctor-same-cause-' });
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

  it('--report names the cause once, with the first finding\'s fix, and the later sighting under it', async () => {
    const r = await run(['--report']);
    const section = r.stdout.split('### Root causes')[1]!.split('### Details')[0]!;
    const causes = section.split(/\n(?=#### )/).filter((b) => b.startsWith('#### '));
    const keyCauses = causes.filter((b) => /KIMI_KEY_NOT_SET/.test(b));
    expect(keyCauses, section).toHaveLength(1);
    const [cause] = keyCauses;
    expect(cause).toMatch(/Found by `config\.env-vars`/);
    expect(cause).toMatch(/\*\*Also seen\*\*\n\n- `provider\.api-key`: /);
    expect(cause).toMatch(/\*\*Fix\*\*\n\n```text\n[\s\S]*KIMI_KEY_NOT_SET/);
    expect(cause).not.toMatch(/See the fix under/);
  });
});
