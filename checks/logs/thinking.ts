import { getConfig, str } from '../../src/facts/config.js';
import { where } from '../../src/facts/evidence.js';
import { getConfigChangedAt, getLogEvidence, getLogFiles, getSessions, isTodayLocal, shortTime, shown } from '../../src/facts/evidence-logs.js';
import { getKimiSetup } from '../../src/facts/kimi.js';
import { effectiveThinking, explainNoThinkingLines, normalizeThinkingLevel, pluginThinkingDefault, type ThinkingRun } from '../../src/facts/logs.js';
import { getProduct } from '../../src/facts/product.js';
import type { SessionEntry, SessionsReport } from '../../src/facts/sessions.js';
import type { Context } from '../../src/engine/context.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

// clawdbot.md §6: each agent run logs `embedded run start: … thinking=<level>` at DEBUG (subsystem
// agent/embedded). §4: the level is inline /think > the session's thinkingLevel > thinkingDefault > low for
// reasoning models, else off. `models status --probe` runs (runId probe-…) always log thinking=off.
const SHOWN_RUNS = 5;
const LEVEL_PATH = ['logging', 'level'];

function sessionOf(sessions: SessionsReport, sessionId: string | undefined): SessionEntry | undefined {
  if (!sessionId) return undefined;
  for (const a of sessions.agents) {
    const e = a.store.entries.find((x) => x.sessionId === sessionId);
    if (e) return e;
  }
  return undefined;
}

function runLine(ctx: Context, r: ThinkingRun, sessions: SessionsReport): string {
  const key = sessionOf(sessions, r.sessionId)?.key ?? (r.sessionId ? `session ${r.sessionId.slice(0, 8)}…` : 'no session');
  return `  ${shortTime(r.timeMs, ctx.now)}  ${r.provider ?? '?'}/${r.model ?? '?'}  thinking=${r.thinking ?? '?'}  (${key})`;
}

/** A session outside the probe's `probe-…` ids that was active today (local date). */
function userActivityToday(ctx: Context, sessions: SessionsReport): boolean {
  return sessions.agents.some(
    (a) =>
      a.transcripts.some((t) => !t.sessionId.startsWith('probe-') && isTodayLocal(t.lastActivityMs, ctx.now)) ||
      a.store.entries.some((e) => isTodayLocal(e.updatedAt, ctx.now)),
  );
}

export default {
  id: 'logs.thinking',
  title: 'The thinking level the agent really runs with',
  why: 'thinking= lines in the log show the level each run used; a session override or the log level can hide what the config says.',
  reads: "the `embedded run start: … thinking=<level>` lines of today's log, logging.level, thinkingDefault and the sessions' thinkingLevel",
  gives: [
    { severity: 'warn', title: 'The last run had thinking off: <ref> is not marked reasoning' },
    { severity: 'warn', title: 'Thinking is off in <session>: its thinkingLevel is "off"' },
    { severity: 'warn', title: 'No thinking= line today although the agent ran (the log level)', repair: 'logging.level set so DEBUG lines are recorded (opt-in: --only logs.thinking)' },
    { severity: 'info', title: 'The last run used thinking=<level> (<which setting won>)' },
    { severity: 'info', title: 'No agent run in the log yet; only probe runs' },
  ],
  async run(ctx) {
    const [found, ev, product, cfg, setup, sessions, changedAt] = await Promise.all([
      getLogFiles(ctx),
      getLogEvidence(ctx),
      getProduct(ctx),
      getConfig(ctx),
      getKimiSetup(ctx),
      getSessions(ctx),
      getConfigChangedAt(ctx),
    ]);
    const thinkingDefault = str(cfg.resolved, ['agents', 'defaults', 'thinkingDefault']);
    const userRuns = ev.thinkingRuns.filter((r) => !r.probe);
    const probes = ev.thinkingRuns.filter((r) => r.probe);
    const probeNote = probes.length
      ? `\n${probes.length} probe run(s) (runId probe-…, from \`models status --probe\`) logged thinking=off by design; they are not your level.`
      : '';

    if (userRuns.length) {
      const last = userRuns[userRuns.length - 1];
      const entry = sessionOf(sessions, last.sessionId);
      const model = setup.kimiModels.find((m) => m.providerId === last.provider && m.modelId === last.model) ?? setup.primary;
      const reasoning = model?.reasoning ?? true;
      const modelDefault = pluginThinkingDefault(product.generation, last.provider, last.model);
      const expected = effectiveThinking({ thinkingDefault, sessionLevel: entry?.thinkingLevel, reasoning, modelDefault });
      const logged = normalizeThinkingLevel(last.thinking);
      const runs = userRuns.slice(-SHOWN_RUNS).map((r) => runLine(ctx, r, sessions)).join('\n');
      const who = entry ? `session ${entry.key}` : 'this session';
      const listing = `Last ${Math.min(SHOWN_RUNS, userRuns.length)} of ${userRuns.length} run(s) in the log:\n${runs}${probeNote}`;
      const won = `Which setting won for ${who}: "${expected.level}" from ${sourceName(expected.source)}. ${expected.why}`;
      const evidence = [`${shown(ctx, last.location)} (${shortTime(last.timeMs, ctx.now)})`];
      const matches = logged === expected.level || (logged === 'off' && !reasoning);

      if (matches && logged === 'off' && !reasoning) {
        return [{
          severity: 'warn',
          title: `The last run had thinking off: ${last.provider}/${last.model} is not marked reasoning`,
          detail: `${listing}\n${won}`,
          fix: 'See provider.model-limits: add "reasoning": true to the model, then restart the gateway.',
          evidence,
          cause: 'reasoning-off',
        }];
      }
      if (matches && logged === 'off' && expected.source === 'session') {
        const wanted = effectiveThinking({ thinkingDefault, reasoning, modelDefault }).level;
        if (wanted !== 'off') {
          return [{
            severity: 'warn',
            title: `Thinking is off in ${who}: its thinkingLevel "off" beats thinkingDefault`,
            detail: `${listing}\n${won}\nWithout the override this session would run at "${wanted}".`,
            fix: `Send /think ${wanted} in that chat (it sets the session's level), or start a fresh session with /new, which follows thinkingDefault.`,
            evidence,
          }];
        }
      }
      if (matches) {
        return [{
          severity: 'info',
          title: `The last run used thinking=${last.thinking} (${sourceName(expected.source)})`,
          detail: `${listing}\n${won}`,
          evidence,
        }];
      }
      const beforeChange = changedAt !== undefined && last.timeMs !== undefined && last.timeMs < changedAt;
      return [{
        severity: beforeChange ? 'info' : 'warn',
        title: `The last run used thinking=${last.thinking ?? '?'}, but the settings give "${expected.level}"`,
        detail:
          `${listing}\n${won}\n` +
          (beforeChange
            ? `The config changed at ${shortTime(changedAt, ctx.now)}, after this run: the next run should use the new level.`
            : 'Possible reasons: an inline /think in that message (it wins for one message), the gateway was not restarted ' +
              'after the config changed, or the run belongs to another agent.'),
        fix: `Restart the gateway and send the agent one message; to pin the level for a chat, send /think ${expected.level} in it.`,
        evidence,
      }];
    }

    // No user run logged: say why (clawdbot.md §6 level inversion).
    // 2026.9 logs each run's structured events (runId) even at the default level: a run did happen then.
    const runsToday = userActivityToday(ctx, sessions) || (ev.agentRuns ?? []).some((r) => isTodayLocal(r.timeMs, ctx.now));
    const loggingLevel = found.loggingLevel;
    if (probes.length) {
      // The probe's DEBUG line reached the file, so the level lets thinking= lines through.
      return [{
        severity: 'info',
        title: 'No agent run in the log yet; only probe runs',
        detail: `The log records thinking= lines (it has the probe's), but no agent run has been logged.${probeNote}` +
          (runsToday ? '\nSessions show activity today: the gateway may write to another file (logging.file, a container).' : ''),
        fix: 'Send the agent one message and run claw-doctor again.',
      }];
    }
    // Without a config and without a log there is no product here to advise about.
    if (!found.files.length && !cfg.raw) skip('no log file for today and no config (see config.location)');
    const why = explainNoThinkingLines({ loggingLevel, generation: product.generation, runsToday, version: product.version });
    if (!found.files.length && !why.fix) skip("no log file for today (see logs.today)");
    const noFile = found.files.length ? '' : ' (no log file found)';
    const f: Finding = {
      severity: why.fix && runsToday ? 'warn' : 'info',
      title: runsToday
        ? `No thinking= line today although the agent ran${noFile}`
        : why.fix ? `No thinking= line today, and the log level would hide it${noFile}` : `No agent run in today's log yet${noFile}`,
      detail:
        why.text +
        (runsToday ? '\nThe agent ran today (its sessions or the log’s run events show it), so the level the agent thinks at cannot be confirmed from the log.' : ''),
    };
    if (why.fix) {
      f.fix = `${why.fix.snippet}\nin the config, then restart the gateway and send the agent one message.`;
      if (cfg.path) f.evidence = [where(ctx, cfg, cfg.resolved && str(cfg.resolved, LEVEL_PATH) !== undefined ? LEVEL_PATH : [])];
      // Opt-in: a louder log level is the user's call; the fixer applies it only when asked for explicitly.
      f.repair = {
        kind: 'config.set',
        summary: `set logging.level to "${why.fix.value}" so thinking= lines are recorded`,
        data: { path: [...why.fix.path], value: why.fix.value, optIn: true },
      };
    }
    return [f];
  },
} satisfies Check;

function sourceName(s: 'session' | 'thinkingDefault' | 'model-default'): string {
  return s === 'session' ? "the session's thinkingLevel" : s === 'thinkingDefault' ? 'thinkingDefault' : "the model's default";
}
