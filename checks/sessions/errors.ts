import { beforeConfigChange, getCausesInConfig, findingCause, roleErrorFromHistory, getConfigChangedAt, getPoisoning, getSessions, oneLine, shortTime, shown } from '../../src/facts/evidence-logs.js';
import { classifyErrorText } from '../../src/facts/classify.js';
import { getKimiSetup } from '../../src/facts/kimi.js';
import type { TranscriptError } from '../../src/facts/sessions.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

// clawdbot.md §7: a failed provider call is stored in the transcript as an assistant message with
// "stopReason": "error" and the raw "errorMessage": "<status> <provider message>" — the most reliable record
// of what Kimi answered. Each is classified by status + text (classify.ts), never by type alone.
// §9: role errors keep coming back while the config sends role "developer"; once it no longer does, a
// session that still fails is poisoned by its history, and only clearing it helps.

interface Group {
  errors: (TranscriptError & { agentId: string; path: string; probe: boolean })[];
  firstMs?: number;
  lastMs?: number;
}

export default {
  id: 'sessions.errors',
  title: 'Provider errors stored in the session transcripts',
  why: 'Transcripts keep the raw provider answer (403, 400 role …) the log only shows rewritten; each is traced to its cause.',
  reads: 'the provider errors session transcripts keep (stopReason "error"), classified by status and text',
  gives: [
    { severity: 'error', title: '<cause> (<n>× in <n> sessions)' },
    { severity: 'error', title: 'Role errors continue after the config stopped sending role developer: the session history is the cause', repair: "the agent's sessions backed up and cleared (sessions.reset)" },
  ],
  async run(ctx) {
    const sessions = await getSessions(ctx);
    if (!sessions.exists) skip(`no state dir at ${shown(ctx, sessions.stateDir)}`);
    const [changedAt, poisoning, inConfig, setup] = await Promise.all([
      getConfigChangedAt(ctx),
      getPoisoning(ctx),
      getCausesInConfig(ctx),
      getKimiSetup(ctx).catch(() => undefined),
    ]);
    const out: Finding[] = [];

    const groups = new Map<string, Group>();
    for (const a of sessions.agents) {
      for (const t of a.transcripts) {
        for (const e of t.errors) {
          const key = findingCause(e.cause) ?? `unrecognised:${e.status ?? ''}:${oneLine(e.text, 80)}`;
          const g = groups.get(key) ?? { errors: [] };
          g.errors.push({ ...e, agentId: a.agentId, path: t.path, probe: t.sessionId.startsWith('probe-') });
          if (e.timeMs !== undefined) {
            if (g.firstMs === undefined || e.timeMs < g.firstMs) g.firstMs = e.timeMs;
            if (g.lastMs === undefined || e.timeMs >= g.lastMs) g.lastMs = e.timeMs;
          }
          groups.set(key, g);
        }
      }
    }

    for (const [key, g] of groups) {
      const newest = [...g.errors].sort((x, y) => (x.timeMs ?? 0) - (y.timeMs ?? 0)).at(-1)!;
      const c = classifyErrorText(newest.text, { api: newest.api, providerId: newest.provider, modelId: newest.model, generation: setup?.generation });
      const cause = findingCause(c.cause);
      const sessionIds = new Set(g.errors.map((e) => e.sessionId));
      const probes = g.errors.filter((e) => e.probe).length;
      const n = g.errors.length;
      const when = n === 1 ? `once, at ${shortTime(g.lastMs, ctx.now)}` : `${n} times, first at ${shortTime(g.firstMs, ctx.now)}, last at ${shortTime(g.lastMs, ctx.now)}`;
      const stale = beforeConfigChange(g.lastMs, changedAt, ctx.now, !!cause && inConfig.has(cause));
      const roleNote =
        cause === 'developer-role' && poisoning.configStillSendsDeveloperRole
          ? '\nThe config still sends role "developer": fix the config first. Clearing sessions or /new does not help until then.'
          : '';
      // After the config fix, the same 400 comes from the session's history: the config fix would mislead.
      const fromHistory = cause === 'developer-role' && poisoning.configStillSendsDeveloperRole === false && !stale.stale
        ? roleErrorFromHistory()
        : undefined;
      out.push({
        severity: stale.stale ? 'warn' : c.severity,
        title: `${c.title} (${n}× in ${sessionIds.size} session${sessionIds.size === 1 ? '' : 's'})`,
        detail:
          `Stored ${when}${probes ? ` (${probes} from \`models status --probe\`)` : ''}. The provider answered:\n` +
          `  "${oneLine(newest.text, 300)}"\n${fromHistory?.detail ?? c.detail}${roleNote}${stale.note}`,
        fix: fromHistory?.fix ?? c.fix,
        evidence: [`${shown(ctx, newest.path)}${newest.line ? `:${newest.line}` : ''} (${shortTime(newest.timeMs, ctx.now)})`],
        cause: cause ?? (key.startsWith('unrecognised:') ? undefined : key),
      });
    }

    // Poisoned sessions: one finding per agent, with the backup-and-clear repair when the evidence is firm.
    // While the config still sends role "developer", role errors are the config's: no session is to blame.
    const poisonedAgents = poisoning.configStillSendsDeveloperRole ? [] : poisoning.evidence.agents;
    for (const agent of poisonedAgents) {
      const affected = poisoning.evidence.sessions.filter((s) => s.sessionsDir === agent.sessionsDir);
      const strongest = affected.some((s) => s.confidence === 'strong') ? 'strong' : affected.some((s) => s.confidence === 'likely') ? 'likely' : 'possible';
      const list = affected
        .map((s) => `  ${s.key ?? s.sessionId}: ${s.why}${s.lastErrorAt ? ` Last: ${shortTime(Date.parse(s.lastErrorAt), ctx.now)}.` : ''}`)
        .join('\n');
      const fixedAt = poisoning.configFixedAt !== undefined ? ` The config was last changed at ${shortTime(poisoning.configFixedAt, ctx.now)}.` : '';
      const reset = `Back up and clear the sessions of agent ${agent.agentId}: stop the gateway, move ${shown(ctx, agent.sessionsDir)} aside, ` +
        'start the gateway (claw-doctor --fix --reset-sessions does this with a verified backup). /new alone may keep the failing history.';
      out.push({
        severity: strongest === 'strong' ? 'error' : strongest === 'likely' ? 'warn' : 'info',
        title:
          strongest === 'strong'
            ? `Poisoned session(s) in agent ${agent.agentId}: role errors continue after the config was fixed`
            : strongest === 'likely'
              ? `Session(s) in agent ${agent.agentId} keep failing with role errors: likely poisoned`
              : `Session(s) in agent ${agent.agentId} failed with role errors before the config fix and have not replied since`,
        detail:
          `The product rewrites these errors to "Message ordering conflict" and suggests /new.${fixedAt}\n${list}` +
          (strongest === 'possible' ? '\nIf the next message in that chat still fails, clear the sessions.' : ''),
        fix: reset,
        evidence: affected.map((s) => shown(ctx, s.transcriptPath)),
        cause: `sessions-poisoned:${agent.agentId}`,
        repair:
          strongest === 'possible'
            ? undefined
            : {
                kind: 'sessions.reset',
                summary: `back up and clear the sessions of agent ${agent.agentId}`,
                data: { stateDir: sessions.stateDir, agentId: agent.agentId, sessionsDir: agent.sessionsDir },
              },
      });
    }
    return out;
  },
} satisfies Check;
