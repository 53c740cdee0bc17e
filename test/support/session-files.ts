// What a sessions dir holds, as text: the fix tests compare it before and after an archive, a reset or a
// restore. "Which files are session files" is the fixer's own rule (listSessionFiles), not a second copy.
import fs from 'node:fs/promises';
import path from 'node:path';
import { listSessionFiles } from '../../src/fix/sessions-backup.js';

/** Relative path → content of every session file under `dir`. */
export async function sessionTexts(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listSessionFiles(dir)) out[f.path] = await fs.readFile(path.join(dir, f.path), 'utf8');
  return out;
}
