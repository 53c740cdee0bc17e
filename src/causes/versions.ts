// Product date versions (2026.M.D, optionally -N) and whether a cause's ranges cover one.
import type { Cause, VersionRange } from './types.js';

type Parts = [number, number, number, number];

/** `2026.1.24-3` → [2026, 1, 24, 3]; `v2026.4.5` → [2026, 4, 5, 0]; anything else → undefined. */
export function parseProductVersion(v: string | undefined): Parts | undefined {
  const m = v ? /^v?(\d{4})\.(\d{1,2})\.(\d{1,2})(?:-(\d+))?/.exec(v.trim()) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0)] : undefined;
}

export function compareVersions(a: Parts, b: Parts): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3];
}

/** The date part only: `2026.3.8-2` is "2026.3.8" for a range that names 2026.3.8. */
const day = (p: Parts): Parts => [p[0], p[1], p[2], 0];

/**
 * Whether `version` is in the range: from ≤ v, and v < fixedIn, or v ≤ lastSeen when no fix is known.
 * A range with neither is open (no fix known, the product side may never change).
 */
export function inRange(version: Parts, r: VersionRange): boolean {
  const from = parseProductVersion(r.from);
  if (!from || compareVersions(day(version), from) < 0) return false;
  const fixed = parseProductVersion(r.fixedIn);
  if (fixed) return compareVersions(version, fixed) < 0;
  const last = parseProductVersion(r.lastSeen);
  if (last) return compareVersions(day(version), last) <= 0;
  return true;
}

export type VersionVerdict =
  | { kind: 'affected'; range: VersionRange }
  | { kind: 'fixed'; fixedIn: string }
  | { kind: 'not-affected' }
  | { kind: 'unknown-version' }
  | { kind: 'any-version' };

/** What a cause's version ranges say about one installed version. */
export function versionVerdict(cause: Pick<Cause, 'versions'>, version: string | undefined): VersionVerdict {
  if (!cause.versions?.length) return { kind: 'any-version' };
  const v = parseProductVersion(version);
  if (!v) return { kind: 'unknown-version' };
  const hit = cause.versions.find((r) => inRange(v, r));
  if (hit) return { kind: 'affected', range: hit };
  // Not affected: "fixed" when the latest range that started at or before it has a fixed release.
  const started = cause.versions.filter((r) => {
    const from = parseProductVersion(r.from);
    return from && compareVersions(day(v), from) >= 0;
  });
  const latest = started.sort((a, b) => compareVersions(parseProductVersion(a.from) as Parts, parseProductVersion(b.from) as Parts)).at(-1);
  return latest?.fixedIn ? { kind: 'fixed', fixedIn: latest.fixedIn } : { kind: 'not-affected' };
}

/** `2026.3.8 – before 2026.3.12`, `2026.4.27 (last seen 2026.4.27)`, `2026.4.21 onwards (no fix known)`. */
export function describeRange(r: VersionRange, short = false): string {
  if (r.fixedIn && short) return `${r.from} until ${r.fixedIn} (fixed)`;
  if (r.fixedIn) return `${r.from} until ${r.fixedIn} (fixed in ${r.fixedIn}${r.fixNote ? `: ${r.fixNote}` : ''})`;
  if (r.lastSeen) return r.lastSeen === r.from ? `${r.from} (no fixed release known)` : `${r.from} – ${r.lastSeen} (last seen; no fixed release known)`;
  return `${r.from} onwards (no fix in the product known)`;
}
