// A value that comes from an `$include`d file is reported where it really is: that file and line, in every
// finding (human and JSON) and in the --fix plan, which leaves such edits to the user.
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, fixtureConfig, runCli } from './support/doctor.js';
import { makeTempHome, type TempHome } from './support/temp-home.js';

let home: TempHome;
let modelsFile: string;
beforeAll(() => {
  home = makeTempHome({ prefix: 'claw-doctor-include-' });
  const { models, ...rest } = JSON5.parse(fixtureConfig('config-no-user-agent.json5')) as Record<string, unknown>;
  home.writeConfig(JSON.stringify({ $include: './models.json5', ...rest }, null, 2));
  modelsFile = home.write('.clawdbot/models.json5', `// The Kimi provider, kept apart\n${JSON.stringify({ models }, null, 2)}\n`);
});
afterAll(() => home.cleanup());

describe('evidence from an $include\'d file', () => {
  it('names the included file and the line of the value, in JSON and in the human output', async () => {
    const env = cleanEnv(home.home);
    const r = await runCli(['--offline', '--json', '--only', 'provider.user-agent'], { env, cwd: home.home });
    const doc = JSON.parse(r.stdout) as { findings: { check: string; title: string; evidence: string[] }[] };
    const ua = doc.findings.find((f) => f.check === 'provider.user-agent')!;
    expect(ua.title).toMatch(/No User-Agent/);
    const m = /^~\/\.clawdbot\/models\.json5:(\d+):(\d+) \(models\.providers\.kimi-code\.models\[0\]\)$/.exec(ua.evidence[0]!);
    expect(m, ua.evidence[0]).not.toBeNull();
    // That line of models.json5 is where the model's object starts; the next lines are its id.
    const lines = fs.readFileSync(modelsFile, 'utf8').split('\n');
    expect(lines[Number(m![1]) - 1]![Number(m![2]) - 1]).toBe('{');
    expect(lines.slice(Number(m![1]), Number(m![1]) + 3).join('\n')).toMatch(/"id": "kimi-for-coding"/);
    const human = await runCli(['--offline', '--only', 'provider.user-agent'], { env, cwd: home.home });
    expect(human.stdout).toContain(`seen at: ~/.clawdbot/models.json5:${m![1]}:${m![2]}`);
  });

  it('the --fix plan leaves the edit to the user and names the included file', async () => {
    const r = await runCli(['--dry-run', '--offline', '--only', 'provider.user-agent'], { env: cleanEnv(home.home), cwd: home.home });
    expect(r.stdout).toMatch(/comes from an \$include'd file \(~\/\.clawdbot\/models\.json5\)/);
    expect(fs.readFileSync(path.join(home.stateDir, 'clawdbot.json'), 'utf8')).toMatch(/"\$include": "\.\/models\.json5"/);
  });
});
