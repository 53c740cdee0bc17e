// Applying config edits end to end: plan in memory (json5-edit, verified), back up the exact bytes the plan
// was made from, journal the intent, write atomically with the sha256 guard (files.ts writeAtomic), check the
// bytes on disk, mark the journal entry done. The one path by which the fixer changes a config file.
import fs from 'node:fs/promises';
import { backupFile, FileChangedError, isErrno, sha256, writeAtomic } from './files.js';
import type { Journal } from './journal.js';
import { stepHook } from './step-hook.js';
import { removeKey, setValue, type JsonValue } from './json5-edit.js';
import type { JsonPath } from '../json5/cst.js';

export type ConfigEdit = { op: 'set'; path: JsonPath; value: JsonValue } | { op: 'remove'; path: JsonPath };

export interface AppliedConfigEdits {
  file: string;
  changed: boolean;
  /** Set when the file was changed. */
  backup?: string;
  before: string;
  after: string;
  journal?: string;
  /** The change was made but could not be marked done in the journal (undo still finds its intent). */
  journalError?: string;
  /** Another program edited the old file in place while we wrote: its version, kept here. */
  lateEdit?: string;
}

export class ConfigEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigEditError';
  }
}

/** The text after all edits, each verified by re-parsing (throws Json5EditError). Pure: for previews. */
export function planConfigEdits(text: string, edits: readonly ConfigEdit[]): string {
  return edits.reduce((t, e) => (e.op === 'set' ? setValue(t, e.path, e.value) : removeKey(t, e.path)), text);
}

/**
 * Applies `edits` to `file`. On any failure before the rename the file is untouched; the backup (if
 * made) stays beside it. Refuses a file that is not UTF-8 (it could not be written back byte-exact), one
 * that differs from the plan (`expectSha256`), and one that changes while we work (the gateway or
 * `config set` writing it, clawdbot.md §2).
 */
export async function applyConfigEdits(
  file: string,
  edits: readonly ConfigEdit[],
  journal: Journal,
  opts: { summary: string; now?: Date; expectSha256?: string },
): Promise<AppliedConfigEdits> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) throw new ConfigEditError(`${file} was deleted since the plan was made (by another program or run?); nothing written`);
    throw err;
  }
  if (opts.expectSha256 !== undefined && sha256(bytes) !== opts.expectSha256) {
    throw new ConfigEditError(`${file} changed since the plan was made; nothing written. Run claw-doctor --fix again.`);
  }
  const before = bytes.toString('utf8');
  if (!Buffer.from(before, 'utf8').equals(bytes)) throw new ConfigEditError(`${file} is not valid UTF-8; not editing it`);
  const after = planConfigEdits(before, edits);
  if (after === before) return { file, changed: false, before, after };

  const backup = await backupFile(file, { now: opts.now, bytes });
  stepHook('config.backup');
  const sha256Before = sha256(bytes);
  const sha256After = sha256(after);
  // Intent first: a kill or a full disk after the rename still leaves undo what it needs.
  const entry = await journal.intend({ kind: 'file.edit', file, backup, sha256Before, sha256After, summary: opts.summary });
  stepHook('config.intent');
  let lateEdit: string | undefined;
  try {
    lateEdit = (await writeAtomic(file, after, { expectSha256: sha256Before })).lateEdit;
  } catch (err) {
    await journal.cancel(entry);
    if (err instanceof FileChangedError) throw new ConfigEditError(err.message);
    throw err;
  }
  stepHook('config.written');
  const written = await fs.readFile(file);
  if (!written.equals(Buffer.from(after, 'utf8'))) {
    throw new ConfigEditError(`${file} does not hold what was written (another program wrote it just after); the original is in ${backup}`);
  }
  let journalError: string | undefined;
  try {
    await journal.done(entry);
    stepHook('config.done');
  } catch (err) {
    journalError = (err as Error).message;
  }
  return { file, changed: true, backup, before, after, journal: journal.path, journalError, lateEdit };
}
