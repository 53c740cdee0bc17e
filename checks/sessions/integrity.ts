import { getSessions, shown } from '../../src/facts/evidence-logs.js';
import type { SessionProblem, SessionProblemKind } from '../../src/facts/sessions.js';
import { skip, type Check, type Finding, type Severity } from '../../src/engine/types.js';

// clawdbot.md §7: sessions.json is written atomically under <store>.lock; transcripts start with a
// {"type":"session",…} header, lock with <file>.lock (stale after 30 min); a transcript deleted mid-run is
// recreated without its header and discarded at the next run. Older versions kept <stateDir>/sessions/.
const SHOWN_PATHS = 5;
const STOP_FIRST = 'Stop the gateway first (it rewrites these files while it runs), and back up the sessions dir.';

const KINDS: Record<SessionProblemKind, { severity: Severity; title: (n: number) => string; why: string; fix: string }> = {
  'store-unreadable': {
    severity: 'warn',
    title: () => 'sessions.json cannot be read',
    why: 'The product cannot load its session index: chats lose their session (history, overrides).',
    fix: `${STOP_FIRST} Check the file's owner and permissions, or move it aside: the product starts a fresh index.`,
  },
  'store-parse': {
    severity: 'warn',
    title: () => 'sessions.json is not valid JSON',
    why: 'A cut or hand-edited index: the product cannot map chats to their transcripts.',
    fix: `${STOP_FIRST} Repair the JSON at the line shown, or move the file aside: the product starts a fresh index.`,
  },
  'store-shape': {
    severity: 'warn',
    title: (n) => `${n} sessions.json entr${n === 1 ? 'y does' : 'ies do'} not have the expected shape`,
    why: 'Each entry is an object with a sessionId; the product ignores or trips over the others.',
    fix: `${STOP_FIRST} Remove the entries named below from sessions.json.`,
  },
  'orphan-entry': {
    severity: 'info',
    title: (n) => `${n} session${n === 1 ? '' : 's'} in sessions.json without a transcript`,
    why: 'The transcript was deleted or moved; the product starts that chat afresh (its history is gone).',
    fix: 'Nothing to do unless the history matters: restore the transcript from a backup, with the gateway stopped.',
  },
  'transcript-unreadable': {
    severity: 'warn',
    title: (n) => `${n} transcript${n === 1 ? '' : 's'} cannot be read`,
    why: 'The product cannot load these sessions.',
    fix: 'Check the files\' owner and permissions (run the gateway and claw-doctor as the same user).',
  },
  'transcript-parse': {
    severity: 'warn',
    title: (n) => `${n} transcript${n === 1 ? ' has' : 's have'} lines that are not valid JSON`,
    why: 'Damaged lines (a crash, a full disk, a hand edit) are skipped or break the session when it is loaded.',
    fix: `${STOP_FIRST} Remove the broken lines (line numbers below), or start a fresh chat with /new.`,
  },
  'cut-mid-line': {
    severity: 'warn',
    title: (n) => `${n} transcript${n === 1 ? ' ends' : 's end'} mid-line`,
    why: 'The last write was cut (a crash or a full disk): the last line has no newline and is not valid JSON.',
    fix: `${STOP_FIRST} Delete the incomplete last line, or start a fresh chat with /new.`,
  },
  'missing-header': {
    severity: 'warn',
    title: (n) => `${n} transcript${n === 1 ? ' has' : 's have'} no session header`,
    why: 'The first line is not {"type":"session",…}: typically a transcript deleted while the gateway ran and recreated; ' +
      'the product discards it at the next run, history included.',
    fix: 'Always stop the gateway before deleting or moving session files. The chat continues in a fresh session.',
  },
  'stale-lock': {
    severity: 'warn',
    title: (n) => `${n} stale lock file${n === 1 ? '' : 's'} (older than 30 min)`,
    why: 'Left by a process that died while writing; the product takes over stale locks, but one that keeps coming back means a crashing gateway.',
    fix: 'With no gateway running, remove them: rm <the files below>. If they return, check the gateway\'s log for crashes.',
  },
  'database-busy': {
    severity: 'warn',
    title: () => 'The agent database is being written right now: sessions not read',
    why: 'OpenClaw 2026.9 keeps sessions in SQLite; a write in progress is never waited on or interrupted.',
    fix: 'Run claw-doctor again in a moment.',
  },
  'database-unreadable': {
    severity: 'error',
    title: (n) => `${n} agent database${n === 1 ? ' is' : 's are'} not readable`,
    why: 'OpenClaw 2026.9 keeps sessions and transcripts in agents/<id>/agent/openclaw-agent.sqlite; a damaged file loses them.',
    fix: `${STOP_FIRST} Keep a copy of the file, then run \`openclaw doctor --fix\` (the product's own repair); if the file is beyond repair, move it aside: the product starts a fresh one.`,
  },
  'database-newer-schema': {
    severity: 'warn',
    title: () => 'The agent database was written by a newer OpenClaw than this claw-doctor knows',
    why: 'Tables may have moved: what the sessions checks report may be incomplete.',
    fix: 'Update claw-doctor (npm install -g claw-doctor@latest).',
  },
  'database-needs-newer-node': {
    severity: 'warn',
    title: () => 'Sessions are in SQLite and this Node cannot read them',
    why: 'sessions.store, sessions.errors and sessions.integrity need node:sqlite (Node 22.13+) to read OpenClaw 2026.9\'s sessions.',
    fix: 'Run claw-doctor with Node 24 (2026.9 needs it anyway): npx -y node@24 $(which claw-doctor)',
  },
  'legacy-layout': {
    severity: 'info',
    title: () => 'Sessions in the old layout (<stateDir>/sessions/)',
    why: 'Current versions keep sessions under agents/<agentId>/sessions/; the old dir is left over from an earlier install.',
    fix: 'Nothing to do if chats work; after a backup the old dir can be removed.',
  },
};

function where(ctx: Parameters<Check['run']>[0], p: SessionProblem): string {
  const file = `${shown(ctx, p.path)}${p.line ? `:${p.line}` : ''}`;
  return p.key && p.kind !== 'orphan-entry' ? `${file} ("${p.key}")` : file;
}

export default {
  id: 'sessions.integrity',
  title: 'Session files are whole',
  why: 'Cut or header-less transcripts, a broken sessions.json and stale locks make chats fail or lose history.',
  reads: 'transcript files, sessions.json, lock files and the legacy layout under the state dir',
  gives: [
    { severity: 'warn', title: 'Transcripts that do not parse, are cut mid-line or lack their header' },
    { severity: 'warn', title: 'sessions.json entries whose transcript is gone, a broken sessions.json' },
    { severity: 'warn', title: 'Stale lock files' },
    { severity: 'info', title: 'The legacy sessions layout' },
  ],
  async run(ctx) {
    const sessions = await getSessions(ctx);
    if (!sessions.exists) skip(`no state dir at ${shown(ctx, sessions.stateDir)}`);
    const byKind = new Map<SessionProblemKind, SessionProblem[]>();
    for (const p of sessions.problems) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p]);
    const out: Finding[] = [];
    for (const [kind, problems] of byKind) {
      const k = KINDS[kind];
      const shownProblems = problems.slice(0, SHOWN_PATHS);
      out.push({
        severity: k.severity,
        title: k.title(problems.length),
        detail:
          `${k.why}\n` +
          shownProblems.map((p) => `  ${where(ctx, p)}: ${p.detail.replaceAll(p.path, shown(ctx, p.path))}`).join('\n') +
          (problems.length > SHOWN_PATHS ? `\n  … and ${problems.length - SHOWN_PATHS} more` : ''),
        fix: k.fix,
        evidence: shownProblems.map((p) => where(ctx, p)),
      });
    }
    return out;
  },
} satisfies Check;
