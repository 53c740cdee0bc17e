// `claw-doctor restore [ARCHIVE]`: puts a sessions backup back with the gateway stopped around it, and the
// undo of that (journal `sessions.restore`: one entry listing what came back, written before anything is
// cleared — so the restore stays linear in the number of files and a kill midway can still be undone).
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FixDeps } from './deps.js';
import { sha256File } from './files.js';
import { Journal, type JournalChange, type RestoredEntry } from './journal.js';
import type { JournalHandler } from './kinds/types.js';
import { withGatewayStopped, type GatewayTarget } from './restart.js';
import { latestSessionsArchive, restoreMissing, restoreSessions } from './sessions-backup.js';

/** Whether an entry on disk is still what the restore put there. */
async function stillRestored(dir: string, e: RestoredEntry): Promise<'same' | 'changed' | 'gone'> {
  const full = path.join(dir, e.path);
  if (e.link !== undefined) {
    const now = await fs.readlink(full).catch(() => undefined);
    return now === undefined ? 'gone' : now === e.link ? 'same' : 'changed';
  }
  const sha = await sha256File(full).catch(() => null);
  return sha === null ? 'gone' : sha === e.sha256 ? 'same' : 'changed';
}

export const restoreUndo: JournalHandler = {
  journals: ['sessions.restore', 'file.create'],
  async checkUndo(change: JournalChange, current) {
    if (change.kind === 'file.create') {
      const now = await current(change.file);
      return { conflict: now !== null && now !== change.sha256After ? `${change.file} changed since claw-doctor created it` : undefined, after: { file: change.file, sha256: null } };
    }
    if (change.kind !== 'sessions.restore') return {};
    if (change.savedCurrent && !(await sha256File(change.savedCurrent).catch(() => null))) return { broken: `the archive of the sessions before the restore (${change.savedCurrent}) is missing` };
    let changed = 0;
    for (const e of change.entries) if ((await stillRestored(change.sessionsDir, e)) === 'changed') changed++;
    return { conflict: changed > 0 ? `${changed} restored session file(s) in ${change.sessionsDir} changed since the restore` : undefined };
  },
  async undo(change: JournalChange) {
    if (change.kind === 'file.create') {
      const now = await sha256File(change.file);
      const saved = now !== null && now !== change.sha256After ? `${change.file} (changed since; removed under --force)` : undefined;
      await fs.rm(change.file, { force: true });
      return { restored: `${change.file} removed`, saved };
    }
    if (change.kind !== 'sessions.restore') throw new Error(`not a restore: ${change.kind}`);
    let removed = 0;
    for (const e of change.entries) {
      if ((await stillRestored(change.sessionsDir, e)) !== 'same') continue; // changed since: kept (forced undo)
      await fs.unlink(path.join(change.sessionsDir, e.path));
      removed++;
    }
    const back = change.savedCurrent ? await restoreMissing(change.savedCurrent, change.sessionsDir) : 0;
    return { restored: `removed ${removed} restored session file(s) from ${change.sessionsDir}${change.savedCurrent ? `; put back ${back} from ${change.savedCurrent}` : ''}` };
  },
};

export async function restoreCommand(stateDir: string, archive: string | undefined, gw: GatewayTarget, say: (t: string) => void, deps: FixDeps, journalWritable: (stateDir: string) => Promise<string | undefined>): Promise<number> {
  const sessionsDir = path.join(stateDir, 'agents', 'main', 'sessions');
  const backupsDir = path.join(stateDir, 'backups');
  const source = archive ?? (await latestSessionsArchive(backupsDir));
  if (!source) {
    say(`No sessions backup to restore: ${backupsDir} holds no sessions-*.tar.gz. Name one: claw-doctor restore ARCHIVE\n`);
    return 1;
  }
  try {
    const st = await fs.stat(source);
    if (!st.isFile()) throw new Error('not a file');
    await fs.access(source, fsConstants.R_OK);
  } catch {
    say(`Cannot read the archive ${source}.\n`);
    return 1;
  }
  const preflight = await journalWritable(stateDir);
  if (preflight) {
    say(`Nothing was restored: ${preflight}\n`);
    return 1;
  }
  say(`Restoring the sessions of agent main (${sessionsDir}) from ${source}.\n`);
  const journal = new Journal(stateDir);
  let entry: number | undefined;
  let failure: string | undefined;
  const run = await withGatewayStopped(gw, deps, say, async () => {
    try {
      return await restoreSessions(source, sessionsDir, backupsDir, {
        journal: {
          intend: async (entries, savedCurrent) => {
            entry = await journal.intend({
              kind: 'sessions.restore',
              sessionsDir,
              backupsDir,
              source,
              savedCurrent,
              entries,
              summary: `restored sessions from ${source}${savedCurrent ? `; the sessions that were there are in ${savedCurrent}` : ''}`,
            });
          },
          done: async () => {
            if (entry !== undefined) await journal.done(entry);
          },
        },
      });
    } catch (e) {
      failure = (e as Error).message;
      return undefined;
    }
  });
  if (!run.done) return 1;
  if (failure || !run.value) {
    say(`Not restored: ${failure ?? 'unknown error'}${entry !== undefined ? ' (`claw-doctor undo` reverts what was done)' : ''}\n`);
    return 1;
  }
  const r = run.value;
  say(
    `✓ Restored ${r.files} file(s) from ${r.restoredFrom}.\n` +
      (r.savedCurrent ? `  The sessions that were there are saved in ${r.savedCurrent} (\`claw-doctor undo\` puts them back).\n` : '  There were no sessions before (`claw-doctor undo` removes the restored ones again).\n'),
  );
  return run.restartOk ? 0 : 1;
}

