// `explain` says more than `list`: every built-in check declares what it reads and each finding it can give
// (with its repair), so `claw-doctor explain ID` and `--json` can show them.
import { describe, expect, it } from 'vitest';
import { explanationOf } from '../src/commands/explain.js';
import { loadChecks } from '../src/engine/diagnose.js';
import { defaultOptions } from '../src/engine/options.js';
import { ROOT } from './support/doctor.js';

describe('explain', () => {
  it('every built-in check says what it reads and each finding it can give', async () => {
    const checks = await loadChecks(defaultOptions(), ROOT);
    expect(checks.length).toBeGreaterThan(10);
    for (const c of checks) {
      const e = explanationOf(c);
      expect(e.reads, c.id).toMatch(/\w{3,}/);
      expect(e.findings.length, c.id).toBeGreaterThan(0);
      for (const f of e.findings) expect(['error', 'warn', 'info'], `${c.id}: ${f.title}`).toContain(f.severity);
    }
    // The repairs --fix can make are named with the finding they answer.
    const ua = explanationOf(checks.find((c) => c.id === 'provider.user-agent')!);
    expect(ua.findings[0]).toEqual({ severity: 'error', title: 'No User-Agent for <ref>: Kimi will answer 403', repair: 'headers.User-Agent "KimiCLI/0.77" added to the model' });
  });
});
