// The V1 fixture configs (in the repository) and the real-world corpus (beside it, when present), for the fix tests.
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../support/doctor.js';
import { corpusConfigs as readCorpus, type ConfigSample } from '../support/corpus.js';

export { HAVE_CORPUS } from '../support/corpus.js';
export type { ConfigSample };
export const FIXTURE_DIR = FIXTURES;

function readDir(dir: string, prefix = ''): ConfigSample[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json5') && f.startsWith(prefix))
    .sort()
    .map((f) => ({ name: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

export const fixtureConfigs: ConfigSample[] = readDir(FIXTURE_DIR, 'config-');
export const corpusConfigs: ConfigSample[] = readCorpus();
