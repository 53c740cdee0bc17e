// Every real-world config in ../shared/corpus is diagnosed without a crash, and no fake secret its
// manifest lists ever appears in the human or the JSON output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv } from './support/doctor.js';
import { makeTempHome, type TempHome } from './support/temp-home.js';
import { CORPUS_DIR as CORPUS, HAVE_CORPUS, corpusManifest, NOT_SECRET_KINDS, type CorpusEntry } from './support/corpus.js';
import { defaultOptions } from '../src/engine/options.js';
import { diagnose, renderOutcome } from '../src/main.js';


const manifest: CorpusEntry[] = corpusManifest();

let home: TempHome;
beforeAll(() => {
  home = makeTempHome();
});
afterAll(() => home.cleanup());

describe.skipIf(!HAVE_CORPUS)('corpus', () => {
  it('has the 45 files the manifest lists', () => {
    expect(manifest.length).toBe(45);
  });

  it.each(manifest)('$file: diagnosed without a crash, no secret in any output', async (entry) => {
    const dir = path.join(home.home, entry.file.replace(/\W/g, '_'));
    fs.mkdirSync(dir, { recursive: true });
    const cfgPath = path.join(dir, path.basename(entry.path).endsWith('.json') ? path.basename(entry.path) : 'clawdbot.json');
    fs.copyFileSync(path.join(CORPUS, entry.file), cfgPath);
    const env = cleanEnv(home.home);
    const outputs: string[] = [];
    for (const json of [false, true]) {
      const options = defaultOptions({ config: cfgPath, offline: true, json, verbose: true, timeout: 20 });
      const outcome = await diagnose(options, { env, home: home.home, cwd: dir });
      const crashed = outcome.results.filter((r) => r.status === 'crashed' || r.status === 'timeout');
      expect(crashed.map((r) => `${r.id}: ${r.reason}\n${r.stack}`)).toEqual([]);
      const text = renderOutcome(outcome, options);
      if (json) {
        const doc = JSON.parse(text) as { exitCode: number; checks: unknown[] };
        expect(doc.checks.length).toBeGreaterThan(5);
        expect([0, 1]).toContain(doc.exitCode);
      } else {
        expect(text).toMatch(/passed · /);
      }
      outputs.push(text);
    }
    for (const s of entry.secretsReplaced) {
      if (NOT_SECRET_KINDS.has(s.kind)) continue;
      for (const out of outputs) expect(out.includes(s.fakeValue), `${s.kind} at ${s.jsonPath} leaked`).toBe(false);
    }
    for (const out of outputs) expect(out).not.toContain(home.home);
  });

  it('028 (does not parse) is an error finding with line and column', async () => {
    const cfgPath = path.join(home.home, 'c028.json');
    fs.copyFileSync(path.join(CORPUS, '028.json5'), cfgPath);
    const outcome = await diagnose(defaultOptions({ config: cfgPath, offline: true }), { env: cleanEnv(home.home), home: home.home, cwd: home.home });
    const f = outcome.results.find((r) => r.id === 'config.parse')?.findings[0];
    expect(f?.severity).toBe('error');
    expect(f?.evidence?.[0]).toMatch(/c028\.json:\d+:\d+/);
  });
});
