import { beforeConfigChange, getCausesInConfig, explainLogError, getConfigChangedAt, getLogEvidence, getLogFiles, getPoisoning, humanBytes, oneLine, roleErrorFromHistory, shortTime, shown } from '../../src/facts/evidence-logs.js';
import { rewriteStandsFor } from '../../src/facts/classify.js';
import { getKimiSetup } from '../../src/facts/kimi.js';
import type { LogErrorGroup } from '../../src/facts/logs.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

// clawdbot.md §6/§9: the runner does not log provider bodies, only what the user saw: the product's rewrites
// ("Message ordering conflict", "Embedded agent failed before reply: …", "Missing env var", "Unknown model",
// "No API key found") and provider texts such as `403 Kimi For Coding is currently only available …`.
// Each is mapped to its root cause with classify.ts, and carries the same `cause` as the config check that
// explains it, so the report links them instead of repeating the fix.
const OTHER_SHOWN = 5;

interface Merged {
  key: string;
  groups: LogErrorGroup[];
  count: number;
  firstMs?: number;
  lastMs?: number;
  last: LogErrorGroup;
}

/** `models status --probe` logs its answer as a box-drawing table: the status text is what it says. */
const tableText = (s: string): string => (s.includes('↳') ? s.slice(s.indexOf('↳') + 1).replace(/[\u2500-\u257f]/g, ' ') : s);

/** How the user saw it (the product's rewrite) and what the product did next (the cooldown it started). */
const shownTo = (ms: Merged[] | undefined, cause: string | undefined): string =>
  (ms ?? [])
    .map((m) =>
      m.key === 'profile-cooldown'
        ? `\nThen the product skipped the profile during the cooldown this error started ("${oneLine(tableText(m.last.sample), 160)}", ${m.count}×): ` +
          'normal, it ends by itself once this is fixed (auth.cooldown shows when).'
        : `\nThe product showed it as "${oneLine(m.last.sample, 160)}" (${m.count}×)` +
          (cause === 'key-invalid' ? ': re-authenticating helps only with a new key.' : ': re-authenticating does not help, this is not the key.'),
    )
    .join('');

const ms = (t: string | undefined): number | undefined => {
  const v = t ? Date.parse(t) : NaN;
  return Number.isNaN(v) ? undefined : v;
};

export default {
  id: 'logs.errors',
  title: 'Errors in today\'s log, with their cause',
  why: 'The log holds what the user saw ("Message ordering conflict", 403, …); each is traced to its root cause and fix.',
  reads: "the error lines of today's log, grouped by root cause (the causes table)",
  gives: [
    { severity: 'error', title: '<cause> (<n>× in the log): one per root cause, pointing to the config check that explains it' },
    { severity: 'warn', title: "<cause> last seen before the config's last change: may be fixed already" },
    { severity: 'info', title: '<n> other ERROR line(s) (<n> distinct)' },
  ],
  async run(ctx) {
    const found = await getLogFiles(ctx);
    if (!found.files.length) skip('no log file for today (see logs.today)');
    const [ev, changedAt, poisoning, inConfig, setup] = await Promise.all([
      getLogEvidence(ctx),
      getConfigChangedAt(ctx),
      getPoisoning(ctx),
      getCausesInConfig(ctx),
      getKimiSetup(ctx).catch(() => undefined),
    ]);
    const out: Finding[] = [];
    // Counts cover what was read: say so when only the end of a large file was.
    const read = ev.files.filter((f) => f.truncated).length ? `in the last ${humanBytes(Math.max(...ev.files.map((f) => f.bytesRead)))} of the log` : 'in the log';

    // One finding per root cause: "the same 403" as a provider line and inside "failed before reply" is one problem.
    const merged = new Map<string, Merged & { explained: ReturnType<typeof explainLogError> }>();
    for (const g of ev.errors) {
      if (g.kind === 'other') continue;
      const explained = explainLogError(g.kind, g.sample, g.subject, { generation: setup?.generation, cause: g.cause });
      const key = explained.cause ?? g.signature;
      const first = ms(g.firstSeen);
      const lastT = ms(g.lastSeen);
      const m = merged.get(key);
      if (!m) {
        merged.set(key, { key, groups: [g], count: g.count, firstMs: first, lastMs: lastT, last: g, explained });
        continue;
      }
      m.groups.push(g);
      m.count += g.count;
      if (first !== undefined && (m.firstMs === undefined || first < m.firstMs)) m.firstMs = first;
      if (lastT !== undefined && (m.lastMs === undefined || lastT > m.lastMs)) {
        m.lastMs = lastT;
        m.last = g;
      }
    }

    // The product's rewrite ("authentication failed … Re-authenticate") stands for the raw answer: when the log
    // also holds that answer (2026.9 writes both, test/fixtures/openclaw-2026.9.6), it is how the user saw it.
    const shownAs = new Map<string, Merged[]>();
    for (const [key, m] of merged) {
      const stands = rewriteStandsFor(m.explained.cause);
      const candidates = [...merged.values()].filter((x) => x !== m && !!x.explained.cause && stands.includes(x.explained.cause));
      // The raw answer over another rewrite: the cooldown after "authentication failed" belongs to the 401 behind both.
      const target = candidates.find((x) => !rewriteStandsFor(x.explained.cause).length) ?? candidates[0];
      if (!target) continue;
      shownAs.set(target.key, [...(shownAs.get(target.key) ?? []), m]);
      merged.delete(key);
    }

    // known-failures row 11: the user sees another model answer; say what failed before the fallback.
    const failed = [...merged.values()].filter((m) => m.explained.cause !== 'fallback-answered').map((m) => m.explained.title);
    const behindFallback = failed.length ? `\nWhat failed before the fallback: ${failed.slice(0, 3).join('; ')} (see their findings).` : '';

    for (const m of merged.values()) {
      const e = m.explained;
      const when = m.count === 1 ? `once, at ${shortTime(m.lastMs, ctx.now)}` : `${m.count} times, first at ${shortTime(m.firstMs, ctx.now)}, last at ${shortTime(m.lastMs, ctx.now)}`;
      const texts = m.groups.map((g) => `  "${oneLine(g.sample)}"${g.count > 1 ? ` ×${g.count}` : ''}`).slice(0, 3).join('\n');
      const stale = beforeConfigChange(m.lastMs, changedAt, ctx.now, !!e.cause && inConfig.has(e.cause));
      const fromHistory = e.cause === 'developer-role' && poisoning.configStillSendsDeveloperRole === false && !stale.stale
        ? roleErrorFromHistory()
        : undefined;
      out.push({
        severity: stale.stale ? 'warn' : e.severity,
        title: `${e.title} (${m.count}× ${read})`,
        detail:
          `Seen ${when}. What the log says:\n${texts}\n${fromHistory?.detail ?? e.detail}` +
          `${shownTo(shownAs.get(m.key), e.cause)}${e.cause === 'fallback-answered' ? behindFallback : ''}${stale.note}`,
        fix: fromHistory?.fix ?? e.fix,
        evidence: [`${shown(ctx, m.last.location)} (${shortTime(m.lastMs, ctx.now)})`],
        cause: e.cause,
      });
    }

    const other = ev.errors.filter((g) => g.kind === 'other');
    if (other.length || ev.errorsDropped) {
      const lines = other.reduce((n, g) => n + g.count, 0);
      const top = [...other].sort((a, b) => b.count - a.count).slice(0, OTHER_SHOWN);
      out.push({
        severity: 'info',
        title: `${lines} other ERROR line(s) ${read} (${other.length} distinct)`,
        detail:
          'Not a known Kimi or agent error (often gateway service chatter; see the gateway checks):\n' +
          top.map((g) => `  ${g.count}× "${oneLine(g.sample, 120)}" (last ${shortTime(ms(g.lastSeen), ctx.now)})`).join('\n') +
          (other.length > OTHER_SHOWN ? `\n  … and ${other.length - OTHER_SHOWN} more` : '') +
          (ev.errorsDropped ? `\n${ev.errorsDropped} more error line(s) not grouped (too many distinct messages).` : ''),
        evidence: top.slice(0, 1).map((g) => shown(ctx, g.location)),
      });
    }
    return out;
  },
} satisfies Check;
