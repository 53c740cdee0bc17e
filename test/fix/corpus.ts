// The real-world configs and the V1 fixtures, read once for the fix tests.
import fs from 'node:fs';
import path from 'node:path';

export const FIXTURE_DIR = '/work/shared/fixtures/clawdbot-2026.1.24-3';
export const CORPUS_DIR = '/work/shared/corpus';

export interface ConfigSample {
  name: string;
  text: string;
}

function readDir(dir: string, prefix = ''): ConfigSample[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json5') && f.startsWith(prefix))
    .sort()
    .map((f) => ({ name: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

export const fixtureConfigs: ConfigSample[] = readDir(FIXTURE_DIR, 'config-');
export const corpusConfigs: ConfigSample[] = readDir(CORPUS_DIR);
