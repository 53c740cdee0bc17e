// Shape tests for parsed JSON (and JSON5, SQLite JSON columns, HTTP bodies), written once: every reader of
// untyped data narrows it with these instead of its own copy (issue 9: one rule in one place).

/** A plain object: not null, not an array. What a parser gives for `{…}`. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value, when it is a string. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The value, when it is a string with something in it: the product's stores treat "" as unset. */
export function nonEmptyStr(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
