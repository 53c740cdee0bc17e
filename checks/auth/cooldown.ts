import { getAuthStoreV3, type ProfileUsage } from '../../src/facts/auth-store-v3.js';
import { shortTime, shown } from '../../src/facts/evidence-logs.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

// OpenClaw 2026.9 (auth-store-v3.ts): a failed call puts the auth profile into a cooldown (or, for billing
// and similar, disables it) recorded in authProfiles.state. The product skips the profile until the later of
// cooldownUntil and disabledUntil, and because the state is stored, a gateway restart does not clear it:
// the user keeps seeing "Auth profile … is temporarily unavailable" after fixing the key (badkey/log).

function ends(u: ProfileUsage): string {
  const parts = [];
  if (u.cooldownUntil) parts.push(`cooldown${u.cooldownReason ? ` (${u.cooldownReason})` : ''} until ${new Date(u.cooldownUntil).toISOString()}`);
  if (u.disabledUntil) parts.push(`disabled${u.disabledReason ? ` (${u.disabledReason})` : ''} until ${new Date(u.disabledUntil).toISOString()}`);
  return parts.join(', ');
}

export default {
  id: 'auth.cooldown',
  title: 'Auth profiles are not in a cooldown',
  why: 'After a failed call OpenClaw 2026.9 skips the auth profile for a while, and remembers it across restarts.',
  explain:
    'Reads the row authProfiles.state of state/openclaw.sqlite (read-only, never locking it): per auth profile, ' +
    'cooldownUntil / disabledUntil and their reasons. A profile unusable now is a warning with the time it ends and ' +
    "the product's own re-authentication command; an ended cooldown is shown as info. Needs node:sqlite (Node 22.13+).",
  reads: "the auth profiles' usage stats (cooldowns after failures) in the agent's auth store",
  gives: [
    { severity: 'warn', title: 'Auth profile <name> is unusable until <time> (<n> min from now)' },
    { severity: 'info', title: 'Auth profile <name> was in a cooldown that ended at <time>' },
  ],
  async run(ctx) {
    const store = await getAuthStoreV3(ctx);
    if (!store.exists) skip('no OpenClaw 2026.9 auth store (state/openclaw.sqlite)');
    if (store.problem) skip(`${shown(ctx, store.problem.path)}: ${store.problem.detail}`);
    const now = ctx.now.getTime();
    const where = `${shown(ctx, store.path)} (${store.location === 'state-db' ? 'authProfiles.state' : 'auth_profile_state'})`;
    const out: Finding[] = [];
    const providerOf = (name: string) => store.profiles.find((p) => p.name === name)?.provider ?? name.split(':')[0];
    for (const u of store.usage) {
      const failures = u.errorCount ? `${u.errorCount} failure(s), the last at ${shortTime(u.lastFailureAt, ctx.now)}` : 'a failure';
      if (u.unusableUntil !== undefined && u.unusableUntil > now) {
        const mins = Math.ceil((u.unusableUntil - now) / 60000);
        out.push({
          severity: 'warn',
          title: `Auth profile ${u.name} is unusable until ${shortTime(u.unusableUntil, ctx.now)} (${mins} min from now)`,
          detail:
            `After ${failures}, the product skips this profile: ${ends(u)}. Requests meanwhile fail with ` +
            `"Auth profile "${u.name}" is temporarily unavailable". The state is stored, so restarting the gateway does not end it.`,
          fix:
            'Fix what failed first (see logs.errors and sessions.errors: a rejected key, the client gate, a quota), then wait ' +
            `until ${shortTime(u.unusableUntil, ctx.now)}; each new failure makes the next cooldown longer.` +
            (u.cooldownReason === 'auth' || u.disabledReason === 'auth'
              ? `\nFor a rejected key, store the new one the product's way: openclaw models auth login --provider ${providerOf(u.name)} --profile-id '${u.name}'`
              : ''),
          evidence: [where],
          cause: 'cooldown-stuck',
        });
      } else if (u.unusableUntil !== undefined) {
        out.push({
          severity: 'info',
          title: `Auth profile ${u.name} was in a cooldown that ended at ${shortTime(u.unusableUntil, ctx.now)}`,
          detail: `After ${failures} (${ends(u)}). It is usable again; a new failure starts a longer one.`,
          evidence: [where],
        });
      }
    }
    return out;
  },
} satisfies Check;
