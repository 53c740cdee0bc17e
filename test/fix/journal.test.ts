import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyConfigEdits } from '../../src/fix/config-edit.js';
import { sha256 } from '../../src/fix/files.js';
import { Journal, readJournals } from '../../src/fix/journal.js';
import { undoLast } from '../../src/fix/undo.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { fixtureConfigs } from './corpus.js';

const noCompat = fixtureConfigs.find((s) => s.name === 'config-no-compat.json5')!.text;
const working = fixtureConfigs.find((s) => s.name === 'config-working.json5')!.text;
const COMPAT = ['models', 'providers', 'kimi-code', 'models', 0, 'compat', 'supportsDeveloperRole'];

let th: TempHome | undefined;
afterEach(async () => {
  await th?.cleanup();
  th = undefined;
});

async function fixedRun(stateDir: string, file: string): Promise<Journal> {
  const journal = new Journal(stateDir);
  await applyConfigEdits(file, [{ op: 'set', path: COMPAT, value: false }], journal, { summary: 'compat.supportsDeveloperRole: false' });
  return journal;
}

describe('applyConfigEdits + journal', () => {
  it('edits in place, keeps 0600, backs up the original byte for byte and journals the change', async () => {
    th = await makeTempHome({ config: noCompat });
    const journal = await fixedRun(th.stateDir, th.configPath);
    const text = await fs.readFile(th.configPath, 'utf8');
    expect(text).toContain('// written by hand');
    expect(text).toContain('"compat": { "supportsDeveloperRole": false },');
    expect((await fs.stat(th.configPath)).mode & 0o777).toBe(0o600);

    const [stored] = await readJournals(th.stateDir);
    expect(stored!.path).toBe(journal.path);
    expect(path.dirname(stored!.path)).toBe(path.join(th.stateDir, 'claw-doctor'));
    expect(path.basename(stored!.path)).toMatch(/^journal-\d{8}-\d{6}\.json$/);
    const change = stored!.doc.changes[0]!;
    expect(change).toMatchObject({ kind: 'file.edit', file: th.configPath, sha256Before: sha256(noCompat), sha256After: sha256(text) });
    expect(change.kind === 'file.edit' && (await fs.readFile(change.backup, 'utf8'))).toBe(noCompat);
  });

  it('writes nothing for an edit that changes nothing', async () => {
    th = await makeTempHome({ config: working });
    const journal = await fixedRun(th.stateDir, th.configPath);
    expect(journal.path).toBeUndefined();
    expect(await readJournals(th.stateDir)).toEqual([]);
    expect((await fs.readdir(th.stateDir)).sort()).toEqual(['clawdbot.json']);
  });
});

describe('undoLast', () => {
  it('restores the file byte-identical, then has nothing left to undo', async () => {
    th = await makeTempHome({ config: noCompat });
    await fixedRun(th.stateDir, th.configPath);
    const result = await undoLast(th.stateDir);
    expect(result.status).toBe('undone');
    expect(await fs.readFile(th.configPath, 'utf8')).toBe(noCompat);
    expect((await fs.stat(th.configPath)).mode & 0o777).toBe(0o600);
    expect((await undoLast(th.stateDir)).status).toBe('nothing');
  });

  it('undoes runs newest first', async () => {
    th = await makeTempHome({ config: noCompat });
    let t = Date.UTC(2026, 10, 23, 10);
    const clock = (): Date => new Date((t += 1000));
    const j1 = new Journal(th.stateDir, clock);
    await applyConfigEdits(th.configPath, [{ op: 'set', path: COMPAT, value: false }], j1, { summary: 'one' });
    const afterFirst = await fs.readFile(th.configPath, 'utf8');
    const j2 = new Journal(th.stateDir, clock);
    await applyConfigEdits(th.configPath, [{ op: 'set', path: ['agents', 'defaults', 'thinkingDefault'], value: 'high' }], j2, { summary: 'two' });
    expect((await undoLast(th.stateDir)).status).toBe('undone');
    expect(await fs.readFile(th.configPath, 'utf8')).toBe(afterFirst);
    expect((await undoLast(th.stateDir)).status).toBe('undone');
    expect(await fs.readFile(th.configPath, 'utf8')).toBe(noCompat);
  });

  it('undoes two edits of the same file in one run', async () => {
    th = await makeTempHome({ config: noCompat });
    const journal = new Journal(th.stateDir);
    await applyConfigEdits(th.configPath, [{ op: 'set', path: COMPAT, value: false }], journal, { summary: 'one' });
    await applyConfigEdits(th.configPath, [{ op: 'remove', path: ['logging'] }], journal, { summary: 'two' });
    expect(journal.changes).toHaveLength(2);
    expect((await undoLast(th.stateDir)).status).toBe('undone');
    expect(await fs.readFile(th.configPath, 'utf8')).toBe(noCompat);
  });

  it('refuses when the file changed since, and with --force keeps a copy of the newer file', async () => {
    th = await makeTempHome({ config: noCompat });
    await fixedRun(th.stateDir, th.configPath);
    const edited = (await fs.readFile(th.configPath, 'utf8')).replace('"low"', '"high"');
    await fs.writeFile(th.configPath, edited);
    const refused = await undoLast(th.stateDir);
    expect(refused).toMatchObject({ status: 'refused', message: expect.stringMatching(/changed since claw-doctor edited it.*--force/) });
    expect(await fs.readFile(th.configPath, 'utf8')).toBe(edited);

    const forced = await undoLast(th.stateDir, { force: true });
    expect(forced.status).toBe('undone');
    expect(await fs.readFile(th.configPath, 'utf8')).toBe(noCompat);
    expect(forced.status === 'undone' && (await fs.readFile(forced.savedCurrent[0]!, 'utf8'))).toBe(edited);
  });

  it('refuses even with --force when the backup is gone', async () => {
    th = await makeTempHome({ config: noCompat });
    const journal = await fixedRun(th.stateDir, th.configPath);
    const change = journal.changes[0]!;
    if (change.kind !== 'file.edit') throw new Error('expected a file edit');
    await fs.rm(change.backup);
    const result = await undoLast(th.stateDir, { force: true });
    expect(result).toMatchObject({ status: 'refused', message: expect.stringMatching(/backup .* missing or changed/) });
  });

  it('removes files it created', async () => {
    th = await makeTempHome({ config: working });
    const created = path.join(th.stateDir, '.env');
    await fs.writeFile(created, 'KIMICODE_API_KEY=x\n');
    await new Journal(th.stateDir).record({ kind: 'file.create', file: created, sha256After: sha256('KIMICODE_API_KEY=x\n'), summary: '.env' });
    expect((await undoLast(th.stateDir)).status).toBe('undone');
    await expect(fs.stat(created)).rejects.toThrow(/ENOENT/);
  });

  it('skips unreadable journals', async () => {
    th = await makeTempHome({ config: noCompat });
    await fs.mkdir(path.join(th.stateDir, 'claw-doctor'), { recursive: true });
    await fs.writeFile(path.join(th.stateDir, 'claw-doctor', 'journal-20990101-000000.json'), '{ not json');
    expect((await undoLast(th.stateDir)).status).toBe('nothing');
  });
});
