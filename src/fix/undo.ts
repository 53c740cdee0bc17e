// `claw-doctor undo`: reverts the newest run not yet undone, entry by entry, newest first, through the
// module that wrote each entry (kinds/*.ts, restore.ts). Everything is checked before anything is touched;
// a file changed since is refused unless forced (it is then backed up first); a missing or damaged backup
// always refuses. Entries left as intents by a run cut short are reverted from what is on disk.
import path from 'node:path';
import { sha256File } from './files.js';
import { stepHook } from './step-hook.js';
import { journalDir, readJournals, writeJournal, type JournalChange } from './journal.js';
import { repairKinds } from './kinds/index.js';
import type { JournalHandler } from './kinds/types.js';
import type { FixDeps } from './deps.js';
import { restoreUndo } from './restore.js';
import { withGatewayStopped, type GatewayTarget } from './restart.js';

export type UndoResult =
  | { status: 'nothing'; message: string }
  | { status: 'refused'; journal: string; message: string; conflicts: string[] }
  | { status: 'undone'; journal: string; message: string; restored: string[]; savedCurrent: string[] };

function handlerFor(change: JournalChange): JournalHandler {
  const handlers: JournalHandler[] = [...Object.values(repairKinds), restoreUndo];
  const h = handlers.find((x) => x.journals.includes(change.kind));
  if (!h) throw new Error(`no undo for a "${change.kind}" journal entry`);
  return h;
}

export async function undoLast(stateDir: string, opts: { force?: boolean; now?: () => Date } = {}): Promise<UndoResult> {
  const now = opts.now ?? (() => new Date());
  const journals = await readJournals(stateDir);
  const target = [...journals].reverse().find((j) => !j.doc.undoneAt && j.doc.changes.length > 0);
  if (!target) return { status: 'nothing', message: `No claw-doctor change to undo (no journal in ${journalDir(stateDir)}).` };

  const changes = [...target.doc.changes].reverse();
  const conflicts: string[] = [];
  const broken: string[] = [];
  // The same file may have been edited twice in one run: each older change expects the state the newer one started from.
  const expected = new Map<string, string | null>();
  const current = async (file: string): Promise<string | null> => (expected.has(file) ? expected.get(file)! : sha256File(file));
  for (const change of changes) {
    const r = await handlerFor(change).checkUndo(change, current);
    if (r.broken) broken.push(r.broken);
    if (r.conflict) conflicts.push(r.conflict);
    if (r.after) expected.set(r.after.file, r.after.sha256);
  }
  if (broken.length > 0) {
    return { status: 'refused', journal: target.path, conflicts: broken, message: `Cannot undo ${target.path}: ${broken.join('; ')}.` };
  }
  if (conflicts.length > 0 && !opts.force) {
    return {
      status: 'refused',
      journal: target.path,
      conflicts,
      message: `Not undoing ${path.basename(target.path)}: ${conflicts.join('; ')}. Undo anyway with --force (the current files are backed up first).`,
    };
  }

  const restored: string[] = [];
  const savedCurrent: string[] = [];
  for (const change of changes) {
    const outcome = await handlerFor(change).undo(change, { now });
    stepHook('undo.entry');
    restored.push(outcome.restored);
    if (outcome.saved) savedCurrent.push(outcome.saved);
  }
  await writeJournal({ ...target, doc: { ...target.doc, undoneAt: now().toISOString() } });
  return { status: 'undone', journal: target.path, restored, savedCurrent, message: `Undid ${restored.length} change(s) from ${path.basename(target.path)}.` };
}

/** The `undo` command: the gateway is stopped around an undo that touches sessions. */
export async function undoCommand(stateDir: string, gw: GatewayTarget, say: (t: string) => void, deps: FixDeps, force = false): Promise<number> {
  const journals = await readJournals(stateDir);
  const target = [...journals].reverse().find((j) => !j.doc.undoneAt && j.doc.changes.length > 0);
  if (!target) {
    say(`No claw-doctor change to undo (no journal in ${journalDir(stateDir)}).\n`);
    return 1;
  }
  // Files restored into a sessions directory count as sessions: the gateway must be stopped around them too.
  const agentsDir = path.join(stateDir, 'agents') + path.sep;
  const isSessions = (c: JournalChange): boolean =>
    c.kind === 'sessions.reset' || c.kind === 'sessions.restore' || c.kind === 'sessions.reset-db' || ('file' in c && path.resolve(c.file).startsWith(agentsDir));
  const touchesSessions = target.doc.changes.some(isSessions);
  // A gateway restart changed no file: nothing of the config to restart for.
  const touchesConfig = target.doc.changes.some((c) => c.kind !== 'gateway.restart' && !isSessions(c));
  say(`Undoing the claw-doctor run of ${target.doc.startedAt} (${target.path}):\n${target.doc.changes.map((c) => `  - ${c.summary}${c.state === 'intent' ? ' (cut short)' : ''}\n`).join('')}`);
  const run = touchesSessions
    ? await withGatewayStopped(gw, deps, say, () => undoLast(stateDir, { force }))
    : { done: true as const, value: await undoLast(stateDir, { force }), restartOk: true, restarted: false };
  if (!run.done) return 1;
  const result = run.value;
  if (result.status !== 'undone') {
    say(`${result.message}\n`);
    if (result.status === 'refused' && result.conflicts.length > 0) {
      say('Nothing was changed: your later edits are kept. `claw-doctor undo --force` reverts anyway, after backing up the current files.\n');
    }
    return 1;
  }
  say(`${result.message}\n${result.restored.map((x) => `  ✓ ${x}\n`).join('')}`);
  if (touchesConfig && run.restarted) {
    say('The gateway was started again after the undo: it runs with the restored config.\n');
  } else if (touchesConfig) {
    const up = await deps.gatewayIsUp(gw.port);
    say(
      up
        ? `The gateway reads its config only when it starts: restart it (\`${gw.cli.display} gateway stop\`, then \`${gw.cli.display} gateway start\`, or restart its container).\n`
        : `The restored config takes effect when the gateway starts.\n`,
    );
  }
  return run.restartOk ? 0 : 1;
}
