// The third-party corpus of real-world configs (fake secrets listed in its manifest.json) is not part of this
// repository: it lives in ../shared/corpus beside the checkout (or CLAW_DOCTOR_CORPUS). Tests that need it run
// when it is there and are skipped, with a line saying so, when it is not. Every other fixture is in test/fixtures.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const CORPUS_DIR = process.env.CLAW_DOCTOR_CORPUS ?? path.resolve(ROOT, '../shared/corpus');
export const HAVE_CORPUS = fs.existsSync(path.join(CORPUS_DIR, 'manifest.json'));

export interface CorpusEntry {
  file: string;
  path: string;
  secretsReplaced: { jsonPath: string; kind: string; fakeValue: string }[];
}

/** Manifest kinds that are personal data, not credentials: the redactor leaves them to the home/user rules. */
export const NOT_SECRET_KINDS = new Set(['user-id', 'phone', 'email']);

let said = false;
/** The manifest, or [] (and one line on stderr) when the corpus is not beside the checkout. */
export function corpusManifest(): CorpusEntry[] {
  if (!HAVE_CORPUS) {
    if (!said) process.stderr.write(`corpus tests skipped: no corpus at ${CORPUS_DIR} (set CLAW_DOCTOR_CORPUS to run them)\n`);
    said = true;
    return [];
  }
  return JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'manifest.json'), 'utf8')) as CorpusEntry[];
}

export interface ConfigSample {
  name: string;
  text: string;
}

/** Every corpus config's text, or [] when the corpus is absent. */
export function corpusConfigs(): ConfigSample[] {
  if (!HAVE_CORPUS) return (corpusManifest(), []);
  return fs
    .readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.json5'))
    .sort()
    .map((f) => ({ name: f, text: fs.readFileSync(path.join(CORPUS_DIR, f), 'utf8') }));
}
