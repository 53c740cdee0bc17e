// The config edits of one file, whatever their kind (config.set, config.remove), planned and applied as one
// write: one backup, one journal entry, one diff in the plan (README "--fix": "All edits of one file are one
// write"). Also the undo of that write (journal `file.edit`).
import fs from 'node:fs/promises';
import type { ConfigPath, JsonValue, Repair } from '../../engine/repairs.js';
import { get, type LoadedConfig } from '../../facts/config.js';
import { parseTree, walkPath, type JsonPath } from '../../json5/cst.js';
import { planConfigEdits, type ConfigEdit } from '../config-edit.js';
import { backupFile, sha256, sha256File, writeAtomic } from '../files.js';
import type { JournalChange } from '../journal.js';
import { formatPath } from '../json5-edit.js';
import { unifiedDiff } from '../plan-render.js';
import { bakedSecret } from '../secret-policy.js';
import type { AppliedStep, ApplyEnv, JournalHandler, RepairKind, PlanEnv, PlanStepBase, PlannedRepair, RefusedRepair, RepairOutcome, UndoEnv } from './types.js';

export const CONFIG_BATCH = 'config-file';

export interface ConfigBatch extends PlanStepBase {
  batch: typeof CONFIG_BATCH;
  file: string;
  edits: ConfigEdit[];
  before: string;
  after: string;
  /** sha256 of the bytes the plan was made from: applying refuses a file that changed since. */
  sha256: string;
}

export type RepairEdit = { ok: true; edit: ConfigEdit } | { ok: false; reason: string };

/** The config edit a config.set / config.remove repair asks for, or why it is not one claw-doctor will make. */
export function configEditFromRepair(repair: Repair): RepairEdit {
  const data: Record<string, unknown> = repair.data;
  const p = data.path;
  if (!isJsonPath(p)) return { ok: false, reason: `repair ${repair.kind}: data.path is not a list of keys and indexes` };
  if (repair.kind === 'config.remove') return { ok: true, edit: { op: 'remove', path: p } };
  if (repair.kind !== 'config.set') return { ok: false, reason: `repair ${repair.kind} is not a config edit` };
  const value = data.value;
  if (!isJsonValue(value)) return { ok: false, reason: `repair ${repair.kind}: data.value is not a JSON value` };
  return { ok: true, edit: { op: 'set', path: p, value } };
}

function isJsonPath(v: unknown): v is ConfigPath {
  return Array.isArray(v) && v.every((s) => typeof s === 'string' || (typeof s === 'number' && Number.isInteger(s) && s >= 0));
}

export function isJsonValue(v: unknown, depth = 0): v is JsonValue {
  if (depth > 100) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return true; // JSON5 writes NaN and Infinity too
  if (Array.isArray(v)) return v.every((x) => isJsonValue(x, depth + 1));
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as unknown;
    return (proto === Object.prototype || proto === null) && Object.values(v).every((x) => isJsonValue(x, depth + 1));
  }
  return false;
}

/**
 * All config repairs as one edit of the main config file. Each is tried on its own on top of the ones
 * before it: one that cannot be made is refused and the others still go ahead.
 */
export async function planConfigFile(repairs: PlannedRepair[], env: PlanEnv): Promise<{ steps: ConfigBatch[]; refused: RefusedRepair[] }> {
  const refused: RefusedRepair[] = [];
  const refuse = (repair: PlannedRepair, reason: string): void => void refused.push({ repair, reason });
  const none = (reason: string): { steps: ConfigBatch[]; refused: RefusedRepair[] } => ({ steps: [], refused: repairs.map((repair) => ({ repair, reason })) });
  const { cfg, show } = env;
  const file = cfg.path;
  if (!file || !cfg.exists) return none('there is no config file to edit.');
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    return none(`${show(file)} cannot be read (${(e as Error).message}).`);
  }
  const before = bytes.toString('utf8');
  if (!Buffer.from(before, 'utf8').equals(bytes)) return none(`${show(file)} is not valid UTF-8; claw-doctor will not rewrite it.`);
  if (!parseTree(before)) return none(`${show(file)} does not parse as JSON5; fix the syntax first (see config.parse).`);

  let text = before;
  const batch: ConfigBatch = { batch: CONFIG_BATCH, file, repairs: [], edits: [], before, after: before, sha256: sha256(bytes) };
  for (const planned of repairs) {
    const edit = configEditFromRepair(planned.repair);
    if (!edit.ok) {
      refuse(planned, edit.reason);
      continue;
    }
    const fromInclude = includedPart(cfg, text, edit.edit.path, show);
    if (fromInclude) {
      refuse(planned, fromInclude);
      continue;
    }
    let next: string;
    try {
      next = planConfigEdits(text, [edit.edit]);
    } catch (e) {
      refuse(planned, `the edit cannot be made safely: ${(e as Error).message}`);
      continue;
    }
    if (next === text) {
      refuse(planned, 'nothing to change: the file already says this (or an earlier repair in this plan does it).');
      continue;
    }
    const baked = bakedSecret(text, next, env.secrets);
    if (baked) {
      refuse(planned, `the edit would write a value from your environment (${baked}) into the file; claw-doctor never does that.`);
      continue;
    }
    text = next;
    batch.repairs.push(planned);
    batch.edits.push(edit.edit);
  }
  batch.after = text;
  return { steps: batch.edits.length > 0 ? [batch] : [], refused };
}

/**
 * The product merges `$include`d files into the main one (clawdbot.md §2). An edit is made only in the
 * main file, so when part of `path` exists in the merged config but not in the main file's text, the
 * value comes from an included file and editing the main file would not do what the plan says.
 */
export function includedPart(cfg: Pick<LoadedConfig, 'raw' | 'includes'>, text: string, jsonPath: JsonPath, show: (p: string) => string = (p) => p): string | undefined {
  if (cfg.includes.length === 0 || !cfg.raw) return undefined;
  const root = parseTree(text);
  if (!root) return undefined;
  const inMain = walkPath(root, jsonPath).length - 1;
  let inMerged = 0;
  while (inMerged < jsonPath.length && get(cfg.raw, jsonPath.slice(0, inMerged + 1) as (string | number)[]) !== undefined) inMerged++;
  if (inMerged <= inMain) return undefined;
  const part = formatPath(jsonPath.slice(0, inMain + 1));
  return (
    `${part} comes from an $include'd file (${cfg.includes.map(show).join(', ')}), not from the main config; ` +
    `claw-doctor edits only the main file. Make this change in the included file.`
  );
}

export function previewConfigFile(batch: ConfigBatch, show: (p: string) => string): string[] {
  const count = batch.repairs.length;
  return [
    '',
    `  Edit ${show(batch.file)} (${count === 1 ? 'one change' : `${count} changes, one edit`}; comments and layout kept):`,
    ...batch.repairs.map((r) => `    ${r.n}. ${r.check ? `[${r.check}] ` : ''}${r.repair.summary}`),
    '',
    unifiedDiff(batch.before, batch.after, { from: show(batch.file), to: `${show(batch.file)} (after)` })
      .trimEnd()
      .split('\n')
      .map((l) => (l ? `      ${l}` : l))
      .join('\n'),
    '',
    `    A backup is written first, beside it: ${show(batch.file)}.claw-doctor-<date>-<time>.bak; the file keeps its mode.`,
  ];
}

export async function applyConfigFile(batch: ConfigBatch, env: ApplyEnv): Promise<AppliedStep> {
  const all = (outcome: RepairOutcome): AppliedStep => {
    const verdicts = batch.repairs.map((planned) => ({ planned, outcome }));
    const text = verdicts.map((v) => `  ${mark(v.outcome)} ${v.planned.n}. ${v.planned.repair.summary}${v.outcome.detail ? `\n     ${v.outcome.detail}` : ''}\n`).join('');
    return { verdicts, text, configChanged: outcome.status === 'applied' };
  };
  try {
    // The plan refused such edits already; this is the last look at the exact text about to be written.
    if (bakedSecret(batch.before, batch.after, env.secrets)) return all({ status: 'failed', detail: 'the new text would hold a secret from the environment; nothing written.' });
    const summary = batch.repairs.map((p) => p.repair.summary).join('; ');
    const applied = await env.deps.applyConfigEdits(batch.file, batch.edits, env.journal, { summary, expectSha256: batch.sha256 });
    if (!applied.changed) return all({ status: 'failed', detail: 'the edit changed nothing in the file.' });
    const notes = [
      `backup: ${applied.backup}`,
      applied.journalError ? `the journal could not be marked done (${applied.journalError}); \`claw-doctor undo\` still reverts it` : '',
      applied.lateEdit ? `another program edited the file while it was written; its version is kept in ${applied.lateEdit}` : '',
    ];
    return all({ status: 'applied', detail: notes.filter(Boolean).join('; ') });
  } catch (e) {
    return all({ status: 'failed', detail: `not applied: ${(e as Error).message}` });
  }
}

export function mark(o: RepairOutcome): string {
  return o.status === 'applied' ? '✓' : o.status === 'failed' ? '✗' : '-';
}

/** Undo of a config write: the backup back, byte for byte. An intent never carried out needs nothing. */
export const fileEditUndo: JournalHandler = {
  journals: ['file.edit'],
  async checkUndo(change, current) {
    if (change.kind !== 'file.edit') return {};
    const now = await current(change.file);
    const after = { file: change.file, sha256: change.sha256Before };
    if (now === change.sha256Before) return { after }; // never written (cut short), or already undone
    if ((await sha256File(change.backup)) !== change.sha256Before) return { broken: `the backup ${change.backup} is missing or changed`, after };
    if (now !== change.sha256After) return { conflict: `${change.file} ${now === null ? 'was deleted' : 'changed'} since claw-doctor edited it`, after };
    return { after };
  },
  async undo(change: JournalChange, env: UndoEnv) {
    if (change.kind !== 'file.edit') throw new Error(`not a file edit: ${change.kind}`);
    const now = await sha256File(change.file);
    if (now === change.sha256Before) return { restored: `${change.file} already holds what it held before claw-doctor's edit` };
    const saved = now !== null && now !== change.sha256After ? await backupFile(change.file, { now: env.now() }) : undefined;
    await writeAtomic(change.file, await fs.readFile(change.backup));
    if ((await sha256File(change.file)) !== change.sha256Before) throw new Error(`restoring ${change.file} did not give back the original bytes`);
    return { restored: `${change.file} restored from ${change.backup}`, saved };
  },
};

/** The kind module of a config edit: config.set and config.remove differ only in the edit they parse to. */
export function configKind(kind: 'config.set' | 'config.remove'): RepairKind<ConfigBatch> {
  return {
    kind,
    batch: CONFIG_BATCH,
    parse: (repair) => {
      const edit = configEditFromRepair(repair);
      return edit.ok ? undefined : edit.reason;
    },
    plan: planConfigFile,
    preview: previewConfigFile,
    apply: applyConfigFile,
    ...fileEditUndo,
  };
}
