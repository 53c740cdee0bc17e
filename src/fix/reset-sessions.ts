// Resetting an agent's sessions, the setup guide's "clear sessions and restart" done safely:
// stop the gateway → archive → verify the archive → only then remove → start → confirm it answers.
// Order matters (clawdbot.md §7): deleting transcripts under a running gateway makes it recreate them
// headless and discard them at the next run, so nothing is touched until the gateway is confirmed
// stopped. Sessions are never deleted without a verified archive. Any failure stops the sequence and
// the result says exactly where things stand; if we stopped the gateway ourselves we try to bring it
// back (`restartOnFailure`), so a failed reset leaves the setup as it was, not offline.
import path from 'node:path';
import { gatewayIsUp, gatewayStart, gatewayStop, type GatewayCli, type StartOutcome, type StopOutcome } from './gateway.js';
import type { Journal } from './journal.js';
import { stepHook } from './step-hook.js';
import { archiveSessions, clearSessions, listSessionFiles, verifyArchive } from './sessions-backup.js';

export type ResetStepName = 'stop' | 'archive' | 'verify' | 'clear' | 'start';

export interface ResetStep {
  step: ResetStepName;
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
}

export interface ResetSessionsResult {
  ok: boolean;
  steps: ResetStep[];
  /** The step that failed, when one did. */
  failedAt?: ResetStepName;
  sessions: 'untouched' | 'cleared' | 'partly-cleared' | 'none';
  /** `unknown`: the stop command failed or hung and the port did not settle the question. */
  gateway: 'running' | 'stopped' | 'not-running' | 'unknown';
  archive?: string;
  removed: number;
  /** Where things stand, in plain words. */
  state: string;
  /** What the user should do next; empty when nothing. */
  instruction: string;
  stop?: StopOutcome;
  start?: StartOutcome;
}

/** The steps, replaceable in tests to inject failures. */
export interface ResetDeps {
  /** Whether the gateway runs, asked before the stop: the stop's own answer cannot tell (see below). */
  gatewayIsUp: (port: number) => Promise<boolean>;
  gatewayStop: typeof gatewayStop;
  gatewayStart: typeof gatewayStart;
  archiveSessions: typeof archiveSessions;
  verifyArchive: typeof verifyArchive;
  clearSessions: typeof clearSessions;
}

export interface ResetSessionsOptions {
  stateDir: string;
  /** Default `main` (clawdbot.md §7). */
  agentId?: string;
  /** Default `<stateDir>/agents/<agentId>/sessions`. */
  sessionsDir?: string;
  /** Default `<stateDir>/backups`. */
  backupsDir?: string;
  cli: GatewayCli;
  port: number;
  journal?: Journal;
  now?: Date;
  /** Per CLI command. */
  timeoutMs?: number;
  /** Wait for the port after stop/start. */
  settleMs?: number;
  /** Start the gateway again when a step after a successful stop fails. Default true. */
  restartOnFailure?: boolean;
  deps?: Partial<ResetDeps>;
}

const realDeps: ResetDeps = { gatewayIsUp: (port) => gatewayIsUp(port), gatewayStop, gatewayStart, archiveSessions, verifyArchive, clearSessions };

export async function resetSessions(opts: ResetSessionsOptions): Promise<ResetSessionsResult> {
  const deps = { ...realDeps, ...opts.deps };
  const sessionsDir = opts.sessionsDir ?? path.join(opts.stateDir, 'agents', opts.agentId ?? 'main', 'sessions');
  const backupsDir = opts.backupsDir ?? path.join(opts.stateDir, 'backups');
  const control = { cli: opts.cli, port: opts.port, timeoutMs: opts.timeoutMs, settleMs: opts.settleMs };
  const steps: ResetStep[] = [];
  const startCmd = `\`${opts.cli.display} gateway start\` (or \`${opts.cli.display} gateway\` in the foreground)`;

  // 1. Stop. Whether to start it again afterwards is decided from the port now: `gateway stop` on an
  // inactive systemd unit still answers "Stopped systemd service" (exit 0), and believing it would start a
  // gateway that was never running.
  const wasUp = await deps.gatewayIsUp(opts.port);
  const stop = await deps.gatewayStop(control);
  if (!stop.ok) {
    steps.push({ step: 'stop', status: 'failed', detail: describeStop(stop) });
    return {
      ok: false,
      steps,
      failedAt: 'stop',
      sessions: 'untouched',
      gateway: stop.kind === 'timeout' || stop.kind === 'failed' ? 'unknown' : 'running',
      removed: 0,
      state: 'Nothing was changed: the gateway could not be confirmed stopped, so the sessions were left as they were.',
      instruction: stop.instruction,
      stop,
    };
  }
  const weStopped = wasUp && stop.kind === 'stopped';
  steps.push({ step: 'stop', status: 'ok', detail: describeStop(stop) });

  /** After a failure: bring back a gateway we stopped, and say where things are. */
  const fail = async (failedAt: ResetStepName, detail: string, partial: Partial<ResetSessionsResult>, state: string): Promise<ResetSessionsResult> => {
    steps.push({ step: failedAt, status: 'failed', detail });
    const restarted = weStopped && opts.restartOnFailure !== false ? await deps.gatewayStart(control) : undefined;
    if (restarted) steps.push({ step: 'start', status: restarted.ok ? 'ok' : 'failed', detail: describeStart(restarted) });
    const gateway = restarted?.ok ? 'running' : weStopped ? 'stopped' : 'not-running';
    const gatewayText =
      gateway === 'running' ? 'The gateway was started again.' : gateway === 'stopped' ? 'The gateway is stopped.' : 'The gateway was not running.';
    return {
      ok: false,
      steps,
      failedAt,
      sessions: 'untouched',
      gateway,
      removed: 0,
      ...partial,
      state: `${state} ${gatewayText}`,
      instruction: restarted && !restarted.ok ? restarted.instruction : gateway === 'stopped' ? `Start it with ${startCmd}.` : '',
      stop,
      start: restarted,
    };
  };

  // Nothing to reset: say so, and put the gateway back as it was.
  if ((await listSessionFiles(sessionsDir)).length === 0) {
    steps.push({ step: 'archive', status: 'skipped', detail: `no session files in ${sessionsDir}` });
    return finish(opts, deps, control, steps, stop, weStopped, { sessions: 'none', removed: 0 }, `There were no sessions in ${sessionsDir}.`, startCmd);
  }

  // 2. Archive.
  let archive: string;
  try {
    archive = (await deps.archiveSessions(sessionsDir, backupsDir, { now: opts.now })).archive;
  } catch (err) {
    return fail('archive', errorMessage(err), {}, 'No session was deleted: the backup could not be written.');
  }
  steps.push({ step: 'archive', status: 'ok', detail: `archived to ${archive}` });
  stepHook('sessions.archived');

  // 3. Verify.
  const verdict = await deps.verifyArchive(archive, sessionsDir);
  if (!verdict.ok) {
    return fail('verify', verdict.problems.join('; '), { archive }, `No session was deleted: the backup ${archive} did not match the sessions on disk.`);
  }
  steps.push({ step: 'verify', status: 'ok', detail: `${verdict.verified.files.length} file(s) read back from the archive and matched` });

  // 4. Clear: the intent is journaled first, so a kill or a failure part-way leaves undo what it needs
  // (it puts back whatever is missing).
  let entry: number | undefined;
  if (opts.journal) {
    try {
      entry = await opts.journal.intend({
        kind: 'sessions.reset',
        sessionsDir,
        backupsDir,
        archive,
        archiveSha256: verdict.verified.archiveSha256,
        files: verdict.verified.files.length,
        summary: `cleared the session files of ${sessionsDir}`,
      });
    } catch (err) {
      return fail('clear', `the journal could not be written (${errorMessage(err)})`, { archive }, `No session was deleted: a change without a journal could not be undone; everything is also in ${archive}.`);
    }
  }
  stepHook('sessions.intent');
  let cleared: Awaited<ReturnType<typeof clearSessions>>;
  try {
    cleared = await deps.clearSessions(sessionsDir, verdict.verified);
  } catch (err) {
    if (entry !== undefined) await opts.journal!.cancel(entry);
    return fail('clear', errorMessage(err), { archive }, `The sessions could not be cleared; everything is also in ${archive}.`);
  }
  const removed = cleared.removed.length;
  const kept = cleared.kept.map((k) => `${k.path} (${k.reason})`);
  if (entry !== undefined) {
    await opts.journal!.done(entry, { files: removed, summary: `cleared ${removed} session file(s) of ${sessionsDir}` }).catch(() => undefined);
  }
  stepHook('sessions.done');
  if (cleared.failed.length > 0) {
    const what = `removed ${removed} file(s), but ${cleared.failed.length} could not be removed (${cleared.failed.slice(0, 3).map((f) => `${f.path}: ${f.reason}`).join('; ')})`;
    return fail('clear', what, { archive, removed, sessions: removed > 0 ? 'partly-cleared' : 'untouched' }, `The sessions were cleared only in part; \`claw-doctor undo\` puts the removed ones back from ${archive}.`);
  }
  const sessions = kept.length > 0 ? 'partly-cleared' : 'cleared';
  steps.push({
    step: 'clear',
    status: 'ok',
    detail: `removed ${removed} file(s)${kept.length > 0 ? `; kept ${kept.join(', ')}` : ''}`,
  });
  const clearedText = `Sessions cleared (${removed} file(s)); the backup is ${archive}${kept.length > 0 ? ` (left in place: ${kept.join(', ')})` : ''}.`;
  return finish(opts, deps, control, steps, stop, weStopped, { sessions, removed, archive }, clearedText, startCmd);
}

/** 5. Start again, only if we were the ones who stopped it, and confirm it answers. */
async function finish(
  opts: ResetSessionsOptions,
  deps: ResetDeps,
  control: Parameters<typeof gatewayStart>[0],
  steps: ResetStep[],
  stop: StopOutcome,
  weStopped: boolean,
  partial: Pick<ResetSessionsResult, 'sessions' | 'removed'> & { archive?: string },
  sessionsText: string,
  startCmd: string,
): Promise<ResetSessionsResult> {
  if (!weStopped) {
    steps.push({ step: 'start', status: 'skipped', detail: 'the gateway was not running before; not started' });
    return {
      ok: true,
      steps,
      ...partial,
      gateway: 'not-running',
      state: `${sessionsText} The gateway was not running and was left that way.`,
      instruction: `Start the gateway when you want it: ${startCmd}.`,
      stop,
    };
  }
  const start = await deps.gatewayStart(control);
  steps.push({ step: 'start', status: start.ok ? 'ok' : 'failed', detail: describeStart(start) });
  return {
    ok: start.ok,
    steps,
    ...partial,
    failedAt: start.ok ? undefined : 'start',
    gateway: start.ok ? 'running' : 'stopped',
    state: `${sessionsText} ${start.ok ? `The gateway is running again on port ${opts.port}.` : 'The gateway did not come back up.'}`,
    instruction: start.ok ? '' : start.instruction,
    stop,
    start,
  };
}

function describeStop(o: StopOutcome): string {
  const said = o.output ? ` (${firstLine(o.output)})` : '';
  switch (o.kind) {
    case 'stopped':
      return `\`${o.command}\` stopped the gateway${said}`;
    case 'not-running':
      return `the gateway was not running${said}`;
    default:
      return `${o.kind}${said}`;
  }
}

function describeStart(o: StartOutcome): string {
  const said = o.output ? ` (${firstLine(o.output)})` : '';
  return o.ok ? `the gateway answers again${said}` : `${o.kind}${said}`;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 200);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
