// The README's "Known failures" table is made from the cause table, never edited by hand; and
// `claw-doctor explain <cause>` prints a cause's entry (describeCause).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeCause, knownFailuresMarkdown } from '../src/causes/describe.js';
import { ROOT } from './support/doctor.js';

describe('Known failures in the README', () => {
  it('equals `npm run known-failures` (src/causes/describe.ts)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const m = /<!-- known-failures:start -->\n([\s\S]*?)<!-- known-failures:end -->/.exec(readme);
    expect(m, 'the README has the markers').not.toBeNull();
    expect(m![1]).toBe(knownFailuresMarkdown());
  });
});

describe('describeCause', () => {
  it('prints texts, versions, conditions, fix and sources', () => {
    const t = describeCause('reasoning-replay-openai')!;
    expect(t).toMatch(/^reasoning-replay-openai — .*\(known failure #9\)/);
    expect(t).toMatch(/Versions: 2026\.5\.12 until 2026\.5\.16 \(fixed in 2026\.5\.16: oc#82550/);
    expect(t).toMatch(/Applies to: api openai-completions/);
    expect(t).toMatch(/\[log\] 400 thinking is enabled but reasoning_content is missing/);
    expect(t).toMatch(/Fix:\n {2}Upgrade the product/);
    expect(t).toMatch(/Sources: oc#82161, oc#82550, oc#91558\./);
  });

  it('says when a row is not confirmed, and what', () => {
    expect(describeCause('provider-id-collision')).toMatch(/Not confirmed: renaming the key is the catalog's guess/);
  });

  it('an id it does not have → undefined', () => {
    expect(describeCause('no-such-cause')).toBeUndefined();
  });
});

describe.skipIf(process.platform === 'win32')('claw-doctor explain <cause> (process)', () => {
  it('prints the cause entry; a check id still explains the check', async () => {
    const { runCli } = await import('./support/doctor.js');
    const cause = await runCli(['explain', 'quota-weekly']);
    expect(cause.code).toBe(0);
    expect(cause.stdout).toBe(describeCause('quota-weekly'));
    const check = await runCli(['explain', 'product.version']);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^product\.version — Known failures of the installed product version/);
    const none = await runCli(['explain', 'no-such-thing']);
    expect(none.code).toBe(2);
  });
});
