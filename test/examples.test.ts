// The bundled examples say what the README promises: one mistake, one cause, one finding, the right fix.
import { describe, expect, it } from 'vitest';
import { missingCommaBefore } from '../src/facts/syntax-hint.js';
import { ROOT, cleanEnv, runCli } from './support/doctor.js';
import { makeTempHome } from './support/temp-home.js';

describe('missingCommaBefore', () => {
  const text = (...lines: string[]) => lines.join('\n');
  it.each([
    ['after a string value', text('{', '  a: "x"', '  b: 1', '}'), 3, 3, { line: 2, column: 9 }],
    ['after a nested object, across a comment and a blank line', text('{', '  a: { x: 1 }  // note', '', '  "b": 1', '}'), 4, 3, { line: 2, column: 14 }],
    ['after a number, before a quoted key', text('{', '  a: 1', '  "b": 2', '}'), 3, 3, { line: 2, column: 7 }],
  ])('%s', (_name, t, line, column, want) => {
    expect(missingCommaBefore(t, line, column)).toMatchObject(want);
  });
  it.each([
    ['the line before ends with a comma', text('{', '  a: 1,', '  b: #', '}'), 3, 6],
    ['the error is inside its line, not at its start', text('{', '  a: "x" y', '}'), 2, 12],
    ['the line before opens the object', text('{', '  ]', '}'), 2, 3],
  ])('no hint when %s', (_name, t, line, column) => {
    expect(missingCommaBefore(t, line, column)).toBeUndefined();
  });
});

describe('examples/broken-syntax', () => {
  it('points at the end of the line that lacks the comma, and nothing else claims to know the config', async () => {
    const home = makeTempHome({ prefix: 'claw-doctor-examples-' });
    try {
      const dir = 'examples/broken-syntax';
      const r = await runCli(['--offline', '--state-dir', dir, '--log-dir', dir, '--json'], { env: cleanEnv(home.home), cwd: ROOT });
      const doc = JSON.parse(r.stdout) as { findings: { check: string; severity: string; title: string; evidence: string[]; fixable: boolean }[] };
      const errors = doc.findings.filter((f) => f.severity !== 'info');
      expect(errors.map((f) => [f.check, f.title])).toEqual([['config.parse', 'Config has a syntax error: a comma is missing at the end of line 6']]);
      expect(errors[0]!.evidence).toEqual([expect.stringMatching(/examples\/broken-syntax\/clawdbot\.json:6:50$/)]);
      // The config could not be read: no check offers a repair or claims a setting is unset.
      expect(doc.findings.filter((f) => f.fixable)).toEqual([]);
      expect(r.stdout).not.toMatch(/logging\.level is not set/);
    } finally {
      home.cleanup();
    }
  });
});

describe('examples/broken-model-typo', () => {
  it('one typo: one cause, one fix that is right (no allowlist or reasoning advice for the typo)', async () => {
    const home = makeTempHome({ prefix: 'claw-doctor-examples-' });
    try {
      const dir = 'examples/broken-model-typo';
      const args = ['--offline', '--state-dir', dir, '--log-dir', dir];
      const r = await runCli([...args, '--json'], { env: cleanEnv(home.home), cwd: ROOT });
      const doc = JSON.parse(r.stdout) as { findings: { check: string; severity: string; title: string; fix: string | null; cause: string | null; sameCauseAs?: { check: string } }[] };
      const problems = doc.findings.filter((f) => f.severity !== 'info');
      const roots = problems.filter((f) => !f.sameCauseAs);
      expect(roots.map((f) => [f.check, f.title])).toEqual([['agent.model', 'Model id "kimi-for-codin" is not defined under provider "kimi-code"']]);
      expect(roots[0]!.fix).toMatch(/"primary": "kimi-code\/kimi-for-coding"/);
      // Every other sighting names it as its cause.
      for (const f of problems.filter((x) => x.sameCauseAs)) expect(f.sameCauseAs!.check).toBe('agent.model');
      expect(r.stdout).not.toMatch(/allowlist|not marked reasoning/);
      const report = await runCli([...args, '--report'], { env: cleanEnv(home.home), cwd: ROOT });
      expect(report.stdout).toMatch(/\*\*Verdict:\*\* ❌ 1 cause to fix: 1 error, 0 warnings/);
    } finally {
      home.cleanup();
    }
  });
});
