// Applying config edits end to end: plan in memory (json5-edit, verified), back up, write atomically,
// check the bytes on disk, journal. The one path by which the fixer changes a config file.
import fs from 'node:fs/promises';
import { backupFile, sha256, writeAtomic } from './files.js';
import type { Journal } from './journal.js';
import { removeKey, setValue, type JsonValue } from './json5-edit.js';
import type { JsonPath } from './json5-cst.js';

export type ConfigEdit = { op: 'set'; path: JsonPath; value: JsonValue } | { op: 'remove'; path: JsonPath };

export interface AppliedConfigEdits {
  file: string;
  changed: boolean;
  /** Set when the file was changed. */
  backup?: string;
  before: string;
  after: string;
  journal?: string;
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
 * made) stays beside it. Refuses a file that is not UTF-8 (it could not be written back byte-exact),
 * and a file that changed while we worked (the gateway or `config set` writing it, clawdbot.md §2).
 */
export async function applyConfigEdits(
  file: string,
  edits: readonly ConfigEdit[],
  journal: Journal,
  opts: { summary: string; now?: Date },
): Promise<AppliedConfigEdits> {
  const bytes = await fs.readFile(file);
  const before = bytes.toString('utf8');
  if (!Buffer.from(before, 'utf8').equals(bytes)) throw new ConfigEditError(`${file} is not valid UTF-8; not editing it`);
  const after = planConfigEdits(before, edits);
  if (after === before) return { file, changed: false, before, after };

  const backup = await backupFile(file, { now: opts.now });
  if (sha256(await fs.readFile(file)) !== sha256(bytes)) {
    throw new ConfigEditError(`${file} changed while claw-doctor was editing it; nothing written (try again)`);
  }
  await writeAtomic(file, after);
  const written = await fs.readFile(file);
  if (!written.equals(Buffer.from(after, 'utf8'))) {
    throw new ConfigEditError(`${file} does not hold what was written; the original is in ${backup}`);
  }
  const journalPath = await journal.record({
    kind: 'file.edit',
    file,
    backup,
    sha256Before: sha256(bytes),
    sha256After: sha256(written),
    summary: opts.summary,
  });
  return { file, changed: true, backup, before, after, journal: journalPath };
}
