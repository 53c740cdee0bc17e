// Whether a cooldown seen in the log is the normal consequence of a provider error or one that outlived it.
// The product skips a profile in a cooldown ("Auth profile "kimi:default" is temporarily unavailable …") after
// every 401/403/quota error: test/fixtures/openclaw-2026.9.6/badkey and gate-no-ua show the 401/403 at 21:17:41
// and the skipped probe 30 s later, in a cooldown that ended at 21:18:48. That is not the stuck cooldown of
// known-failures row 6 (oc#23516, oc#92444), which is a skip with no provider error before it in the log.
import { causeById } from '../causes/index.js';
import type { LogErrorGroup } from './logs.js';

const SKIPPED = 'profile-cooldown';
const STUCK = 'stuck-cooldown';

const ms = (t: string | undefined): number => {
  const v = t ? Date.parse(t) : NaN;
  return Number.isNaN(v) ? Number.NaN : v;
};

/**
 * Re-labels the cooldown groups of one log reading: a skip with a cooldown-starting error at or before its last
 * occurrence stays `profile-cooldown` (that error is the cause); a skip with none becomes `stuck-cooldown`.
 * Lines without a time count as "before" (the error may be the cause; claw-doctor does not claim a fault it cannot date).
 */
export function judgeCooldowns(groups: LogErrorGroup[]): LogErrorGroup[] {
  const starters = new Set(causeById(SKIPPED)?.standsFor ?? []);
  const errors = groups.filter((g) => g.cause !== undefined && starters.has(g.cause));
  return groups.map((g) => {
    if (g.cause !== SKIPPED) return g;
    const last = ms(g.lastSeen);
    const explained = errors.some((e) => {
      const first = ms(e.firstSeen);
      return Number.isNaN(first) || Number.isNaN(last) || first <= last;
    });
    return explained ? g : { ...g, cause: STUCK };
  });
}
