import { getConfig, str } from '../../src/facts/config.js';
import { getSessions, humanBytes, shortTime, shown } from '../../src/facts/evidence-logs.js';
import { getKimiSetup } from '../../src/facts/kimi.js';
import { effectiveThinking, normalizeThinkingLevel } from '../../src/facts/logs.js';
import type { SessionProblemKind } from '../../src/facts/sessions.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

// clawdbot.md §7: <stateDir>/agents/<agentId>/sessions/sessions.json, keyed by session key, with optional
// per-session thinkingLevel / modelOverride / providerOverride; one <sessionId>.jsonl transcript each.
// §4: a session's thinkingLevel wins over thinkingDefault, so a `/think off` sent once keeps thinking off
// in that chat however the config is set.
const SHOWN_SESSIONS = 10;
/** 2026.9 databases that could not be read at all: their sessions are unknown, not zero. */
const UNREAD = new Set<SessionProblemKind>(['database-busy', 'database-unreadable', 'database-needs-newer-node']);

export default {
  id: 'sessions.store',
  title: 'Sessions on disk and their per-session overrides',
  why: 'A session\'s thinkingLevel or model override beats the config for that chat; the summary shows which sessions have one.',
  reads: "every agent's sessions.json (or the 2026.9 agent database): count, size, last activity, per-session overrides",
  gives: [
    { severity: 'warn', title: 'Session <key>: thinkingLevel "<level>" overrides thinkingDefault' },
    { severity: 'warn', title: 'Session <key> uses model <ref> (an override that beats the config)' },
    { severity: 'warn', title: 'Agent <id>: sessions in <file> not read' },
    { severity: 'info', title: 'No sessions yet' },
  ],
  async run(ctx) {
    const sessions = await getSessions(ctx);
    if (!sessions.exists) skip(`no state dir at ${shown(ctx, sessions.stateDir)}`);
    const [cfg, setup] = await Promise.all([getConfig(ctx), getKimiSetup(ctx)]);
    const thinkingDefault = str(cfg.resolved, ['agents', 'defaults', 'thinkingDefault']);
    const reasoning = setup.primary?.reasoning ?? true;
    const configLevel = effectiveThinking({ thinkingDefault, reasoning });
    const out: Finding[] = [];

    if (!sessions.agents.length) {
      return [{ severity: 'info', title: 'No sessions yet', detail: `No agents/<agentId>/sessions/ under ${shown(ctx, sessions.stateDir)}: the agent has not run from this state dir.` }];
    }

    for (const a of sessions.agents) {
      const unread = a.layout === 'sqlite' ? a.problems.find((p) => UNREAD.has(p.kind)) : undefined;
      if (unread) {
        out.push({
          severity: 'info',
          title: `Agent ${a.agentId}: sessions in ${shown(ctx, a.store.path)} not read`,
          detail: `${unread.detail.replaceAll(unread.path, shown(ctx, unread.path))} (see sessions.integrity).`,
          evidence: [shown(ctx, a.store.path)],
        });
        continue;
      }
      const entries = [...a.store.entries].sort((x, y) => (y.updatedAt ?? 0) - (x.updatedAt ?? 0));
      const probes = a.transcripts.filter((t) => t.sessionId.startsWith('probe-')).length;
      const lines = entries.slice(0, SHOWN_SESSIONS).map((e) => {
        const t = a.transcripts.find((x) => x.path === e.transcriptPath);
        const over = [
          e.thinkingLevel ? `thinkingLevel=${e.thinkingLevel}` : '',
          e.modelOverride ? `model=${e.providerOverride ? `${e.providerOverride}/` : ''}${e.modelOverride}` : '',
        ].filter(Boolean).join(' ');
        const size = t ? (a.layout === 'sqlite' ? `${t.lines}${t.partial ? '+' : ''} events` : humanBytes(t.bytes)) : e.transcriptExists ? '?' : 'no transcript';
        return `  ${e.key}  updated ${shortTime(e.updatedAt, ctx.now)}  ${size}${over ? `  overrides: ${over}` : ''}`;
      });
      const more = entries.length > SHOWN_SESSIONS ? `\n  … and ${entries.length - SHOWN_SESSIONS} more` : '';
      out.push({
        severity: 'info',
        title:
          `Agent ${a.agentId}${a.layout === 'legacy' ? ' (legacy layout)' : ''}: ${entries.length} session(s), ${a.transcriptCount} transcript(s)${a.transcriptsRead !== undefined ? ` (the newest ${a.transcriptsRead} read)` : ''} ` +
          `(${a.layout === 'sqlite' ? `database ${humanBytes(a.transcriptBytes)}` : humanBytes(a.transcriptBytes)}), last activity ${shortTime(a.lastActivityMs, ctx.now)}`,
        detail:
          (a.store.exists ? `${a.layout === 'sqlite' ? 'sessions (session_nodes)' : 'sessions.json'}:\n${lines.join('\n') || '  (empty)'}${more}` : 'No sessions.json.') +
          (probes ? `\n${probes} probe transcript(s) from \`models status --probe\` (not listed in sessions.json).` : ''),
        evidence: [shown(ctx, a.store.exists ? a.store.path : a.sessionsDir)],
      });

      for (const e of entries) {
        const level = normalizeThinkingLevel(e.thinkingLevel);
        if (e.thinkingLevel && level && level !== configLevel.level) {
          const off = level === 'off' && configLevel.level !== 'off';
          out.push({
            severity: off ? 'warn' : 'info',
            title: `Session ${e.key}: thinkingLevel "${e.thinkingLevel}" beats ${configLevel.source === 'thinkingDefault' ? `thinkingDefault "${thinkingDefault}"` : `the model's default "${configLevel.level}"`}`,
            detail:
              `The session's own level wins over the config for this chat (inline /think > session thinkingLevel > thinkingDefault > ` +
              `low for reasoning models). It was set by /think in that chat.${off ? ' Thinking is off there whatever the config says.' : ''}`,
            fix: off ? `Send /think ${configLevel.level} in that chat, or /new for a session that follows the config.` : undefined,
            evidence: [`${shown(ctx, a.store.path)} ("${e.key}".thinkingLevel)`],
          });
        }
        if (e.modelOverride && setup.agent.ref && `${e.providerOverride ?? setup.agent.providerId}/${e.modelOverride}` !== setup.agent.ref) {
          out.push({
            severity: 'info',
            title: `Session ${e.key} uses model ${e.providerOverride ? `${e.providerOverride}/` : ''}${e.modelOverride}, not ${setup.agent.ref}`,
            detail: 'Set by /model in that chat; config changes to the agent model do not reach this session until /new or another /model.',
            evidence: [`${shown(ctx, a.store.path)} ("${e.key}".modelOverride)`],
          });
        }
      }
    }
    return out;
  },
} satisfies Check;
