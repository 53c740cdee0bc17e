// Edits a JSON5 config by splicing text at known locations, never by re-serialising the document.
// Why: users hand-write their config with comments and `${VAR}` references (clawdbot.md §2), and the
// product's own writers (V1/V2 `config set`, doctor) lose the comments and bake secrets in. Our edits
// keep every byte outside the edited span, copy the file's own style (indent, newline, key quoting,
// trailing commas), and are verified by re-parsing with the `json5` package before they are returned.
import { isDeepStrictEqual } from 'node:util';
import JSON5 from 'json5';
import {
  findNode,
  findProperty,
  parseJson5Tree,
  walkPath,
  type JsonPath,
  type ObjectNode,
  type PropertyNode,
  type ValueNode,
} from '../json5/cst.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type EditChange = { kind: 'set'; value: JsonValue } | { kind: 'remove' };

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** An edit that cannot be made (invalid document, path through a non-object, failed verification). */
export class Json5EditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Json5EditError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Public API

/**
 * Sets the value at `path`. An existing value's text is replaced; a missing property is added to the
 * deepest existing object, with intermediate objects created. Array indexes must exist.
 * Throws Json5EditError when the edit is impossible or does not verify.
 */
export function setValue(text: string, path: JsonPath, value: JsonValue): string {
  const root = parseOrThrow(text);
  const style = detectStyle(text, root);
  const existing = findNode(root, path);
  const after = existing ? replaceValue(text, existing, value, style) : insertValue(text, root, path, value, style);
  assertVerified(text, after, path, { kind: 'set', value });
  return after;
}

/** Removes the property at `path` (and its line when it stands alone). A missing path is a no-op. */
export function removeKey(text: string, path: JsonPath): string {
  if (path.length === 0) throw new Json5EditError('cannot remove the whole document');
  const key = path[path.length - 1]!;
  const parentPath = path.slice(0, -1);
  let current = text;
  // Loop: with duplicate keys (JSON5 keeps the last), removing one can expose an earlier one.
  for (;;) {
    const root = parseOrThrow(current);
    const parent = findNode(root, parentPath);
    if (!parent || findNode(root, path) === undefined) break;
    if (parent.kind !== 'object' || typeof key !== 'string') {
      throw new Json5EditError(`cannot remove ${formatPath(path)}: only object properties can be removed`);
    }
    current = removeProperty(current, parent, findProperty(parent, key)!);
  }
  assertVerified(text, current, path, { kind: 'remove' });
  return current;
}

/**
 * Checks an edit with the `json5` package: `after` must parse, hold the intended value at `path` (or
 * nothing, for a removal), and equal `before` everywhere else.
 */
export function verifyEdit(before: string, after: string, path: JsonPath, change: EditChange): VerifyResult {
  let beforeValue: unknown;
  let afterValue: unknown;
  try {
    beforeValue = JSON5.parse(before);
  } catch (err) {
    return { ok: false, reason: `the original does not parse: ${errorMessage(err)}` };
  }
  try {
    afterValue = JSON5.parse(after);
  } catch (err) {
    return { ok: false, reason: `the edited text does not parse: ${errorMessage(err)}` };
  }
  const expected = structuredClone(beforeValue);
  const applied = change.kind === 'set' ? setIn(expected, path, change.value) : deleteIn(expected, path);
  if (!applied.ok) return applied;
  if (!isDeepStrictEqual(applied.value, afterValue)) {
    return { ok: false, reason: `the edited document differs from the intended one beyond ${formatPath(path)}` };
  }
  return { ok: true };
}

export function formatPath(path: JsonPath): string {
  if (path.length === 0) return '(root)';
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

// ---------------------------------------------------------------------------------------------------
// Style of the document

interface DocStyle {
  newline: string;
  indentUnit: string;
  trailingCommas: boolean;
  keyQuote: '"' | "'" | null;
  stringQuote: '"' | "'";
}

function detectStyle(text: string, root: ValueNode): DocStyle {
  const nl = /\r\n|\n|\r/.exec(text);
  const units = new Map<string, number>();
  let withComma = 0;
  let withoutComma = 0;
  const keyQuotes = new Map<PropertyNode['keyQuote'], number>();
  let doubleStrings = 0;
  let singleStrings = 0;

  const visit = (node: ValueNode): void => {
    if (node.kind === 'string') {
      if (node.quote === '"') doubleStrings++;
      else singleStrings++;
      return;
    }
    if (node.kind !== 'object' && node.kind !== 'array') return;
    const children: ReadonlyArray<{ offset: number; length: number; commaOffset?: number }> = node.children;
    if (children.length === 0) return;
    const last = children[children.length - 1]!;
    const close = node.offset + node.length - 1;
    if (!sameLine(text, last.offset + last.length, close)) {
      if (last.commaOffset !== undefined) withComma++;
      else withoutComma++;
    }
    const first = children[0]!;
    if (isFirstOnLine(text, first.offset)) {
      const unit = indentStep(indentAt(text, node.offset), indentAt(text, first.offset));
      if (unit) units.set(unit, (units.get(unit) ?? 0) + 1);
    }
    if (node.kind === 'object') {
      for (const p of node.children) {
        keyQuotes.set(p.keyQuote, (keyQuotes.get(p.keyQuote) ?? 0) + 1);
        visit(p.value);
      }
    } else {
      node.children.forEach(visit);
    }
  };
  visit(root);

  return {
    newline: nl ? nl[0] : '\n',
    indentUnit: mostCommon(units) ?? '  ',
    trailingCommas: withComma > withoutComma,
    keyQuote: mostCommon(keyQuotes) ?? '"',
    stringQuote: singleStrings > doubleStrings ? "'" : '"',
  };
}

function mostCommon<K>(counts: Map<K, number>): K | undefined {
  let best: K | undefined;
  let bestCount = 0;
  for (const [k, n] of counts) {
    if (n > bestCount) {
      best = k;
      bestCount = n;
    }
  }
  return best;
}

/** The extra indentation of a child line over its parent's line ('' when it is not a clean step). */
function indentStep(parent: string, child: string): string {
  return child.length > parent.length && child.startsWith(parent) ? child.slice(parent.length) : '';
}

/** The key quote for a new property: the siblings' habit, else the document's. */
function keyQuoteFor(object: ObjectNode, style: DocStyle): DocStyle['keyQuote'] {
  const counts = new Map<PropertyNode['keyQuote'], number>();
  for (const p of object.children) counts.set(p.keyQuote, (counts.get(p.keyQuote) ?? 0) + 1);
  const sibling = mostCommon(counts);
  return sibling === undefined ? style.keyQuote : sibling;
}

// ---------------------------------------------------------------------------------------------------
// Lines

function isLineBreak(ch: string | undefined): boolean {
  return ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029';
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && !isLineBreak(text[i - 1])) i--;
  return i;
}

/** The spaces and tabs that start the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  let end = start;
  while (text[end] === ' ' || text[end] === '\t') end++;
  return text.slice(start, end);
}

function isFirstOnLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

function sameLine(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isLineBreak(text[i])) return false;
  return true;
}

/**
 * From `offset`, skips spaces, tabs and comments that end on the same line. Returns the offset of the
 * line break reached, or undefined when something else (a token, a multi-line comment) comes first.
 */
function endOfLineAfter(text: string, offset: number): number | undefined {
  let i = offset;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t') {
      i++;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && !isLineBreak(text[i])) i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0 || !sameLine(text, i, end)) return undefined;
      i = end + 2;
    } else {
      return isLineBreak(ch) ? i : undefined;
    }
  }
  return i; // end of file counts as the end of the line
}

function skipSpaces(text: string, offset: number): number {
  let i = offset;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

function skipSpacesBack(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i;
}

/** Length of the line break at `offset` (CRLF is two). */
function lineBreakLength(text: string, offset: number): number {
  if (text[offset] === '\r' && text[offset + 1] === '\n') return 2;
  return isLineBreak(text[offset]) ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------
// Rendering new values

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

function renderKey(key: string, quote: DocStyle['keyQuote'], style: DocStyle): string {
  if (quote === null && IDENTIFIER.test(key)) return key;
  return renderString(key, quote ?? (style.stringQuote === "'" ? "'" : '"'));
}

function renderString(value: string, quote: '"' | "'"): string {
  const json = JSON.stringify(value); // escapes control characters, backslashes and `"`
  if (quote === '"') return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

function renderScalar(value: string | number | boolean | null, style: DocStyle): string {
  if (typeof value === 'string') return renderString(value, style.stringQuote);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  return String(value);
}

interface RenderContext {
  style: DocStyle;
  keyQuote: DocStyle['keyQuote'];
  /** Indentation of the line the value starts on. */
  indent: string;
  /** Where the value goes: inside a one-line object everything stays on one line. */
  inline: boolean;
  /** Columns already used on the line before the value. */
  column: number;
}

/** Small flat objects stay on one line, the way the guide writes `"headers": { "User-Agent": … }`. */
const INLINE_MAX_WIDTH = 80;

function renderValue(value: JsonValue, ctx: RenderContext): string {
  if (value === null || typeof value !== 'object') return renderScalar(value, ctx.style);
  const inline = renderInline(value, ctx);
  if (ctx.inline) return inline;
  const flat = Object.values(value).every((v) => v === null || typeof v !== 'object');
  if (flat && ctx.column + inline.length <= INLINE_MAX_WIDTH) return inline;
  return renderMultiline(value, ctx);
}

function renderInline(value: JsonValue, ctx: RenderContext): string {
  if (value === null || typeof value !== 'object') return renderScalar(value, ctx.style);
  if (Array.isArray(value)) return `[${value.map((v) => renderInline(v, ctx)).join(', ')}]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${renderKey(k, ctx.keyQuote, ctx.style)}: ${renderInline(v, ctx)}`).join(', ')} }`;
}

function renderMultiline(value: JsonValue[] | { [key: string]: JsonValue }, ctx: RenderContext): string {
  const { newline, indentUnit, trailingCommas } = ctx.style;
  const inner = ctx.indent + indentUnit;
  const items = Array.isArray(value)
    ? value.map((v) => renderValue(v, { ...ctx, indent: inner, column: inner.length }))
    : Object.entries(value).map(([k, v]) => {
        const key = `${renderKey(k, ctx.keyQuote, ctx.style)}: `;
        return key + renderValue(v, { ...ctx, indent: inner, column: inner.length + key.length });
      });
  if (items.length === 0) return Array.isArray(value) ? '[]' : '{}';
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const body = items.map((item) => inner + item).join(`,${newline}`) + (trailingCommas ? ',' : '');
  return `${open}${newline}${body}${newline}${ctx.indent}${close}`;
}

// ---------------------------------------------------------------------------------------------------
// Edits

interface Splice {
  at: number;
  remove: number;
  insert: string;
}

/** Applies non-overlapping splices, from the end so earlier offsets stay valid. */
function applySplices(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.at - a.at)) {
    out = out.slice(0, s.at) + s.insert + out.slice(s.at + s.remove);
  }
  return out;
}

function replaceValue(text: string, node: ValueNode, value: JsonValue, style: DocStyle): string {
  const nodeEnd = node.offset + node.length;
  const multilineNow = !sameLine(text, node.offset, nodeEnd);
  // More tokens after the value on its line (`{ "K": "v" }`): the new value must stay on one line too.
  let next = skipSpaces(text, nodeEnd);
  if (text[next] === ',') next++;
  const ctx: RenderContext = {
    style,
    keyQuote: node.kind === 'object' && node.children.length > 0 ? keyQuoteFor(node, style) : style.keyQuote,
    indent: indentAt(text, node.offset),
    inline: !multilineNow && endOfLineAfter(text, next) === undefined,
    column: node.offset - lineStart(text, node.offset),
  };
  const rendered =
    multilineNow && value !== null && typeof value === 'object' ? renderMultiline(value, ctx) : renderValue(value, ctx);
  return applySplices(text, [{ at: node.offset, remove: node.length, insert: rendered }]);
}

function insertValue(text: string, root: ValueNode, path: JsonPath, value: JsonValue, style: DocStyle): string {
  const nodes = walkPath(root, path);
  const found = nodes.length - 1;
  const deepest = nodes[found]!;
  const missing = path.slice(found);
  const where = formatPath(path.slice(0, found));
  // New array elements are never invented (a model entry needs more than one key): refuse.
  if (missing.some((s) => typeof s === 'number')) {
    throw new Json5EditError(`cannot set ${formatPath(path)}: the array element does not exist`);
  }
  if (deepest.kind !== 'object') {
    throw new Json5EditError(`cannot set ${formatPath(path)}: ${where} is ${describe(deepest)}, not an object`);
  }
  const [key, ...rest] = missing as string[];
  const nested = rest.reduceRight<JsonValue>((acc, k) => ({ [k]: acc }), value);
  return insertProperty(text, deepest, key!, nested, style);
}

function describe(node: ValueNode): string {
  return node.kind === 'array' ? 'an array' : `a ${node.kind}`;
}

function insertProperty(text: string, object: ObjectNode, key: string, value: JsonValue, style: DocStyle): string {
  const keyQuote = keyQuoteFor(object, style);
  const renderedKey = renderKey(key, keyQuote, style);
  const close = object.offset + object.length - 1;
  const last = object.children[object.children.length - 1];

  if (!last) return insertIntoEmpty(text, object, renderedKey, value, { style, keyQuote });

  const lastEnd = last.offset + last.length;
  const afterLast = last.commaOffset !== undefined ? last.commaOffset + 1 : lastEnd;
  const base = { style, keyQuote };

  if (sameLine(text, afterLast, close)) {
    // One-line object, e.g. `{ "vars": { "K": "v" } }`: add `, key: value` after the last property.
    const prop = `${renderedKey}: ${renderValue(value, { ...base, indent: indentAt(text, object.offset), inline: true, column: 0 })}`;
    const splice =
      last.commaOffset !== undefined
        ? { at: afterLast, remove: 0, insert: ` ${prop},` }
        : { at: lastEnd, remove: 0, insert: `, ${prop}` };
    return applySplices(text, [splice]);
  }

  // Multi-line object: a new line after the last property (after its same-line comment, if any).
  const indent = childIndent(text, object, style);
  const column = indent.length + renderedKey.length + 2;
  const prop = `${renderedKey}: ${renderValue(value, { ...base, indent, inline: false, column })}`;
  const hasTrailingComma = last.commaOffset !== undefined;
  const at = endOfLineAfter(text, afterLast) ?? afterLast;
  const splices: Splice[] = [{ at, remove: 0, insert: `${style.newline}${indent}${prop}${hasTrailingComma ? ',' : ''}` }];
  if (!hasTrailingComma) splices.push({ at: lastEnd, remove: 0, insert: ',' });
  return applySplices(text, splices);
}

function childIndent(text: string, object: ObjectNode, style: DocStyle): string {
  for (let i = object.children.length - 1; i >= 0; i--) {
    const child = object.children[i]!;
    if (isFirstOnLine(text, child.offset)) return indentAt(text, child.offset);
  }
  return indentAt(text, object.offset) + style.indentUnit;
}

function insertIntoEmpty(
  text: string,
  object: ObjectNode,
  renderedKey: string,
  value: JsonValue,
  base: Pick<RenderContext, 'style' | 'keyQuote'>,
): string {
  const open = object.offset;
  const close = object.offset + object.length - 1;
  const interior = text.slice(open + 1, close);
  if (sameLine(text, open, close)) {
    const prop = `${renderedKey}: ${renderValue(value, { ...base, indent: indentAt(text, open), inline: true, column: 0 })}`;
    // `{}` or `{ }` becomes `{ key: value }`; a comment inside stays where it is.
    return /^[ \t]*$/.test(interior)
      ? applySplices(text, [{ at: open + 1, remove: interior.length, insert: ` ${prop} ` }])
      : applySplices(text, [{ at: open + 1, remove: 0, insert: ` ${prop}` }]);
  }
  const outer = isFirstOnLine(text, close) ? indentAt(text, close) : indentAt(text, open);
  const indent = outer + base.style.indentUnit;
  const column = indent.length + renderedKey.length + 2;
  const prop = `${renderedKey}: ${renderValue(value, { ...base, indent, inline: false, column })}`;
  const at = endOfLineAfter(text, open + 1) ?? open + 1;
  const comma = base.style.trailingCommas ? ',' : '';
  return applySplices(text, [{ at, remove: 0, insert: `${base.style.newline}${indent}${prop}${comma}` }]);
}

function removeProperty(text: string, object: ObjectNode, prop: PropertyNode): string {
  const index = object.children.indexOf(prop);
  const previous = index > 0 ? object.children[index - 1] : undefined;
  const end = prop.commaOffset !== undefined ? prop.commaOffset + 1 : prop.offset + prop.length;
  const splices: Splice[] = [];
  // A removed last property without a comma leaves the previous comma trailing: drop it, keeping the
  // object's no-trailing-comma style (and strict JSON files strict).
  if (prop.commaOffset === undefined && previous?.commaOffset !== undefined) {
    splices.push({ at: previous.commaOffset, remove: 1, insert: '' });
  }
  const eol = endOfLineAfter(text, end);
  if (isFirstOnLine(text, prop.offset) && eol !== undefined) {
    // The property has its own line(s): remove them whole, line break included.
    const from = lineStart(text, prop.offset);
    splices.push({ at: from, remove: eol + lineBreakLength(text, eol) - from, insert: '' });
  } else if (prop.commaOffset !== undefined) {
    // `{ a: 1, b: 2 }` without a → `{ b: 2 }`: the property, its comma and the following spaces.
    splices.push({ at: prop.offset, remove: skipSpaces(text, end) - prop.offset, insert: '' });
  } else if (previous) {
    // `{ a: 1, b: 2 }` without b → `{ a: 1 }`: the spaces before it and the property (comma dropped above).
    const from = skipSpacesBack(text, prop.offset);
    splices.push({ at: from, remove: end - from, insert: '' });
  } else {
    // The only property: `{ a: 1 }` → `{ }`.
    splices.push({ at: prop.offset, remove: skipSpaces(text, end) - prop.offset, insert: '' });
  }
  return applySplices(text, splices);
}

// ---------------------------------------------------------------------------------------------------
// Verification helpers

function parseOrThrow(text: string): ValueNode {
  const result = parseJson5Tree(text);
  if (result.error) throw new Json5EditError(`the config is not valid JSON5 (at offset ${result.error.offset}: ${result.error.message})`);
  return result.root;
}

function assertVerified(before: string, after: string, path: JsonPath, change: EditChange): void {
  const verdict = verifyEdit(before, after, path, change);
  if (!verdict.ok) throw new Json5EditError(`edit of ${formatPath(path)} not applied: ${verdict.reason}`);
}

type Applied = { ok: true; value: unknown } | { ok: false; reason: string };

function isContainer(v: unknown): v is Record<string | number, unknown> {
  return v !== null && typeof v === 'object';
}

/** Sets `path` in a plain parsed document, creating missing objects; returns the new root. */
function setIn(doc: unknown, path: JsonPath, value: unknown): Applied {
  if (path.length === 0) return { ok: true, value: structuredClone(value) };
  if (!isContainer(doc)) return { ok: false, reason: `the document root is not an object` };
  let node: Record<string | number, unknown> = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    let next = Object.hasOwn(node, seg) ? node[seg] : undefined;
    if (next === undefined) {
      next = {};
      Object.defineProperty(node, seg, { value: next, enumerable: true, writable: true, configurable: true });
    }
    if (!isContainer(next)) return { ok: false, reason: `${formatPath(path.slice(0, i + 1))} is not an object` };
    node = next;
  }
  Object.defineProperty(node, path[path.length - 1]!, {
    value: structuredClone(value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return { ok: true, value: doc };
}

function deleteIn(doc: unknown, path: JsonPath): Applied {
  let node: unknown = doc;
  for (const seg of path.slice(0, -1)) {
    if (!isContainer(node) || !Object.hasOwn(node, seg)) return { ok: true, value: doc };
    node = node[seg];
  }
  if (isContainer(node) && !Array.isArray(node)) delete node[path[path.length - 1]!];
  return { ok: true, value: doc };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
