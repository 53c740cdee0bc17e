// A cooldown line is "stuck" only when no provider error explains it (src/facts/cooldown-evidence.ts). Built on the
// real lines of test/fixtures/openclaw-2026.9.6/badkey/log: the 401 at 21:17:41, then `models status --probe`
// skipped in the cooldown at 21:18:10 (its box-drawing table).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeCooldowns } from '../src/facts/cooldown-evidence.js';
import { readLogEvidence } from '../src/facts/logs.js';
import { V3_FIXTURES } from './support/doctor.js';
import { tempDir, write } from './support/logs-fixtures.js';

const LOG = fs.readFileSync(path.join(V3_FIXTURES, 'badkey/log/openclaw-2026-12-01.log'), 'utf8').split('\n').filter(Boolean);
const SKIP_TABLE = LOG.find((l) => l.includes('┌') && l.includes('temporarily unavailable'))!;
const KEY_401 = LOG.filter((l) => l.includes('API Key appears to be invalid'));

async function causes(lines: string[]): Promise<(string | undefined)[]> {
  const file = write(path.join(tempDir('claw-doctor-cooldown-'), 'openclaw-2026-12-01.log'), `${lines.join('\n')}\n`);
  const ev = await readLogEvidence([file], { exhaustive: true });
  return judgeCooldowns(ev.errors).map((g) => g.cause);
}

describe('a cooldown in the log', () => {
  it('after the 401 that started it: the normal cooldown (profile-cooldown), the key is the cause', async () => {
    expect(KEY_401.length).toBeGreaterThan(0);
    const found = await causes(LOG);
    expect(found).toContain('key-invalid');
    expect(found).toContain('profile-cooldown');
    expect(found).not.toContain('stuck-cooldown');
  });

  it('with no provider error before it: stuck-cooldown', async () => {
    expect(await causes([SKIP_TABLE])).toEqual(['stuck-cooldown']);
  });

  it('with the 401 only after it: the cooldown came first, so it is stuck', async () => {
    const later = KEY_401.map((l) => l.replaceAll('2026-12-01T21:17:', '2026-12-01T21:19:'));
    const found = await causes([SKIP_TABLE, ...later]);
    expect(found).toContain('stuck-cooldown');
    expect(found).toContain('key-invalid');
  });
});
