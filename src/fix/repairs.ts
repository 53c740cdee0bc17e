// From a check's `Repair` (engine/types.ts; `data` is untyped by design) to a typed config edit.
// Checks build `{ kind: 'config.set', data: { path, value } }` and `{ kind: 'config.remove', data: { path } }`;
// anything that does not fit is reported, never applied half-understood.
import type { Repair } from '../engine/types.js';
import type { ConfigEdit } from './config-edit.js';
import type { JsonValue } from './json5-edit.js';

export type RepairEdit = { ok: true; edit: ConfigEdit } | { ok: false; reason: string };

export function configEditFromRepair(repair: Repair): RepairEdit {
  const path = repair.data.path;
  if (!isJsonPath(path)) return { ok: false, reason: `repair ${repair.kind}: data.path is not a list of keys and indexes` };
  if (repair.kind === 'config.remove') return { ok: true, edit: { op: 'remove', path } };
  if (repair.kind !== 'config.set') return { ok: false, reason: `repair ${repair.kind} is not a config edit` };
  const value = repair.data.value;
  if (!isJsonValue(value)) return { ok: false, reason: `repair ${repair.kind}: data.value is not a JSON value` };
  return { ok: true, edit: { op: 'set', path, value } };
}

function isJsonPath(v: unknown): v is (string | number)[] {
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
