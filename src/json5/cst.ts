// A small, location-aware JSON5 parser. The product reads its config with JSON5 (clawdbot.md §2), and users
// write it by hand: comments, trailing commas, unquoted keys, single quotes. jsonc-parser rejects the last
// two, so we keep our own tree: every node knows where its text is, which lets the fixer edit a value in
// place (json5-edit.ts) and lets checks cite `file:line:column` evidence.
//
// Offsets are JavaScript string indices (UTF-16 code units) into the text as given, BOM included.
// The parser never throws: invalid input yields `{ error }` and the locate functions return undefined.

export type JsonPath = ReadonlyArray<string | number>;

interface NodeSpan {
  /** Index of the node's first character. */
  offset: number;
  /** Length of the node's text (a string's quotes included). */
  length: number;
  /** Index of the `,` that follows this node inside its parent, when there is one. */
  commaOffset?: number;
}

export interface ObjectNode extends NodeSpan {
  kind: 'object';
  children: PropertyNode[];
}

export interface ArrayNode extends NodeSpan {
  kind: 'array';
  children: ValueNode[];
}

export interface StringNode extends NodeSpan {
  kind: 'string';
  value: string;
  quote: '"' | "'";
}

export interface NumberNode extends NodeSpan {
  kind: 'number';
  value: number;
}

export interface BooleanNode extends NodeSpan {
  kind: 'boolean';
  value: boolean;
}

export interface NullNode extends NodeSpan {
  kind: 'null';
  value: null;
}

export type ValueNode = ObjectNode | ArrayNode | StringNode | NumberNode | BooleanNode | NullNode;

/** `key: value` inside an object. Its span runs from the key's first character to the value's last. */
export interface PropertyNode extends NodeSpan {
  kind: 'property';
  key: string;
  keyOffset: number;
  keyLength: number;
  /** How the key was written: quoted with `"` or `'`, or a bare identifier (null). */
  keyQuote: '"' | "'" | null;
  colonOffset: number;
  value: ValueNode;
}

export type Json5Node = ValueNode | PropertyNode;

export interface ParseError {
  offset: number;
  message: string;
}

export type ParseResult = { root: ValueNode; error?: undefined } | { root?: undefined; error: ParseError };

export interface Location {
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units; a leading BOM is not counted. */
  column: number;
}

class Json5SyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Deep nesting beyond this is refused instead of overflowing the stack (no config nests this deep). */
const MAX_DEPTH = 500;

const LINE_TERMINATORS = new Set(['\n', '\r', '\u2028', '\u2029']);

function isJson5Whitespace(ch: string): boolean {
  // JSON5 whitespace: tab, LF, VT, FF, CR, space, NBSP, LS, PS, BOM, and any Unicode Space_Separator.
  return (
    ch === ' ' ||
    ch === '\t' ||
    ch === '\n' ||
    ch === '\r' ||
    ch === '\v' ||
    ch === '\f' ||
    ch === '\u00a0' ||
    ch === '\u2028' ||
    ch === '\u2029' ||
    ch === '\ufeff' ||
    /\p{Zs}/u.test(ch)
  );
}

const ID_START = /[\p{ID_Start}$_]/u;
const ID_CONTINUE = /[\p{ID_Continue}$\u200c\u200d]/u;

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parseDocument(): ValueNode {
    this.skipTrivia();
    const root = this.parseValue();
    this.skipTrivia();
    if (this.pos < this.text.length) this.fail(`unexpected '${this.text[this.pos]}' after the end of the document`);
    return root;
  }

  private fail(message: string, at = this.pos): never {
    throw new Json5SyntaxError(at, message);
  }

  /** Skips whitespace and comments. */
  private skipTrivia(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const ch = t[this.pos]!;
      if (isJson5Whitespace(ch)) {
        this.pos++;
      } else if (ch === '/' && t[this.pos + 1] === '/') {
        this.pos += 2;
        while (this.pos < t.length && !LINE_TERMINATORS.has(t[this.pos]!)) this.pos++;
      } else if (ch === '/' && t[this.pos + 1] === '*') {
        const end = t.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated block comment');
        this.pos = end + 2;
      } else {
        return;
      }
    }
  }

  private parseValue(): ValueNode {
    const t = this.text;
    if (this.pos >= t.length) this.fail('unexpected end of input');
    const ch = t[this.pos]!;
    if (ch === '{') return this.nested(() => this.parseObject());
    if (ch === '[') return this.nested(() => this.parseArray());
    if (ch === '"' || ch === "'") return this.parseString();
    if (ch === '-' || ch === '+' || ch === '.' || (ch >= '0' && ch <= '9') || ch === 'I' || ch === 'N') {
      return this.parseNumber();
    }
    for (const [word, node] of LITERALS) {
      if (t.startsWith(word, this.pos) && !this.identifierContinues(this.pos + word.length)) {
        const offset = this.pos;
        this.pos += word.length;
        return { ...node, offset, length: word.length } as ValueNode;
      }
    }
    return this.fail(`unexpected '${ch}'`);
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) this.fail('nesting too deep');
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private identifierContinues(at: number): boolean {
    const cp = this.text.codePointAt(at);
    return cp !== undefined && ID_CONTINUE.test(String.fromCodePoint(cp));
  }

  private parseObject(): ObjectNode {
    const offset = this.pos;
    this.pos++; // {
    const children: PropertyNode[] = [];
    for (;;) {
      this.skipTrivia();
      if (this.text[this.pos] === '}') break;
      const property = this.parseProperty();
      children.push(property);
      this.skipTrivia();
      if (this.text[this.pos] === ',') {
        property.commaOffset = this.pos;
        this.pos++;
        continue;
      }
      if (this.text[this.pos] === '}') break;
      this.fail(this.pos >= this.text.length ? 'unterminated object' : `expected ',' or '}' but found '${this.text[this.pos]}'`);
    }
    this.pos++; // }
    return { kind: 'object', offset, length: this.pos - offset, children };
  }

  private parseProperty(): PropertyNode {
    const keyOffset = this.pos;
    const ch = this.text[this.pos];
    let key: string;
    let keyQuote: PropertyNode['keyQuote'];
    if (ch === '"' || ch === "'") {
      const s = this.parseString();
      key = s.value;
      keyQuote = s.quote;
    } else {
      key = this.parseIdentifier();
      keyQuote = null;
    }
    const keyLength = this.pos - keyOffset;
    this.skipTrivia();
    if (this.text[this.pos] !== ':') this.fail(`expected ':' after key '${key}'`);
    const colonOffset = this.pos;
    this.pos++;
    this.skipTrivia();
    const value = this.parseValue();
    return {
      kind: 'property',
      key,
      keyOffset,
      keyLength,
      keyQuote,
      colonOffset,
      value,
      offset: keyOffset,
      length: value.offset + value.length - keyOffset,
    };
  }

  /** An ECMAScript IdentifierName, `\uXXXX` escapes included (JSON5 §3.1). */
  private parseIdentifier(): string {
    let name = '';
    const start = this.pos;
    for (;;) {
      let ch: string;
      if (this.text[this.pos] === '\\') {
        if (this.text[this.pos + 1] !== 'u') this.fail('invalid escape in key');
        ch = String.fromCharCode(this.hex(this.pos + 2, 4));
        this.pos += 6;
      } else {
        const cp = this.text.codePointAt(this.pos);
        if (cp === undefined) break;
        ch = String.fromCodePoint(cp);
        const ok = this.pos === start ? ID_START.test(ch) : ID_CONTINUE.test(ch);
        if (!ok) break;
        this.pos += ch.length;
      }
      name += ch;
    }
    if (this.pos === start) this.fail(`unexpected '${this.text[this.pos] ?? 'end of input'}' where a key was expected`);
    return name;
  }

  private hex(at: number, digits: number): number {
    const s = this.text.slice(at, at + digits);
    if (s.length !== digits || !/^[0-9a-fA-F]+$/.test(s)) this.fail('invalid hexadecimal escape', at);
    return parseInt(s, 16);
  }

  private parseArray(): ArrayNode {
    const offset = this.pos;
    this.pos++; // [
    const children: ValueNode[] = [];
    for (;;) {
      this.skipTrivia();
      if (this.text[this.pos] === ']') break;
      const item = this.parseValue();
      children.push(item);
      this.skipTrivia();
      if (this.text[this.pos] === ',') {
        item.commaOffset = this.pos;
        this.pos++;
        continue;
      }
      if (this.text[this.pos] === ']') break;
      this.fail(this.pos >= this.text.length ? 'unterminated array' : `expected ',' or ']' but found '${this.text[this.pos]}'`);
    }
    this.pos++; // ]
    return { kind: 'array', offset, length: this.pos - offset, children };
  }

  private parseString(): StringNode {
    const t = this.text;
    const offset = this.pos;
    const quote = t[this.pos] as '"' | "'";
    this.pos++;
    let value = '';
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string', offset);
      const ch = t[this.pos]!;
      if (ch === quote) {
        this.pos++;
        break;
      }
      if (ch === '\n' || ch === '\r') this.fail('line break inside a string');
      if (ch === '\\') {
        value += this.parseEscape();
        continue;
      }
      value += ch;
      this.pos++;
    }
    return { kind: 'string', offset, length: this.pos - offset, value, quote };
  }

  private parseEscape(): string {
    const t = this.text;
    const ch = t[this.pos + 1];
    this.pos += 2;
    switch (ch) {
      case undefined:
        return this.fail('unterminated string');
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return '\v';
      case '0':
        if (t[this.pos] !== undefined && t[this.pos]! >= '0' && t[this.pos]! <= '9') this.fail('invalid escape \\0 followed by a digit');
        return '\0';
      case 'x': {
        const code = this.hex(this.pos, 2);
        this.pos += 2;
        return String.fromCharCode(code);
      }
      case 'u': {
        const code = this.hex(this.pos, 4);
        this.pos += 4;
        return String.fromCharCode(code);
      }
      case '\r':
        if (t[this.pos] === '\n') this.pos++;
        return '';
      case '\n':
      case '\u2028':
      case '\u2029':
        return '';
      default:
        if (ch >= '1' && ch <= '9') this.fail(`invalid escape \\${ch}`);
        return ch;
    }
  }

  private parseNumber(): NumberNode {
    const t = this.text;
    const offset = this.pos;
    let sign = 1;
    if (t[this.pos] === '+' || t[this.pos] === '-') {
      if (t[this.pos] === '-') sign = -1;
      this.pos++;
    }
    const rest = t.slice(this.pos);
    const m =
      /^(?:Infinity|NaN)/.exec(rest) ??
      /^0[xX][0-9a-fA-F]+/.exec(rest) ??
      /^(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(rest);
    if (!m) this.fail('invalid number', offset);
    this.pos += m[0].length;
    if (this.identifierContinues(this.pos)) this.fail('invalid number', offset);
    const magnitude = Number(m[0]);
    return { kind: 'number', offset, length: this.pos - offset, value: sign * magnitude };
  }
}

const LITERALS: ReadonlyArray<[string, Pick<BooleanNode, 'kind' | 'value'> | Pick<NullNode, 'kind' | 'value'>]> = [
  ['true', { kind: 'boolean', value: true }],
  ['false', { kind: 'boolean', value: false }],
  ['null', { kind: 'null', value: null }],
];

/**
 * The last text parsed and its tree: every piece of evidence asks where a path is in the same config
 * text, and parsing it again per finding is what made a 10 MB config take 15 s (issue 15 item 9).
 */
let last: { text: string; result: ParseResult } | undefined;

/** Parses JSON5 text into a located tree. Never throws. */
export function parseJson5Tree(text: string): ParseResult {
  if (last?.text === text) return last.result;
  let result: ParseResult;
  try {
    result = { root: new Parser(text).parseDocument() };
  } catch (err) {
    if (err instanceof Json5SyntaxError) result = { error: { offset: err.offset, message: err.message } };
    // A RangeError from a pathological input still must not escape: callers rely on "never throws".
    else result = { error: { offset: 0, message: err instanceof Error ? err.message : String(err) } };
  }
  last = { text, result };
  return result;
}

/** The root node, or undefined when the text is not valid JSON5. */
export function parseTree(text: string): ValueNode | undefined {
  return parseJson5Tree(text).root;
}

/** The plain value a node stands for (what `JSON5.parse` would return for that text). */
export function nodeValue(node: ValueNode): unknown {
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const p of node.children) {
        // defineProperty: a `__proto__` key is data, as in JSON5.parse.
        Object.defineProperty(out, p.key, { value: nodeValue(p.value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return node.children.map(nodeValue);
    default:
      return node.value;
  }
}

/** The property of `key` in an object; the last one wins, as in JSON5.parse. */
export function findProperty(node: ObjectNode, key: string): PropertyNode | undefined {
  for (let i = node.children.length - 1; i >= 0; i--) {
    if (node.children[i]!.key === key) return node.children[i];
  }
  return undefined;
}

function childAt(node: ValueNode, segment: string | number): ValueNode | undefined {
  if (node.kind === 'object' && typeof segment === 'string') return findProperty(node, segment)?.value;
  if (node.kind === 'array' && typeof segment === 'number') return node.children[segment];
  return undefined;
}

/**
 * The chain of nodes along `path` that exist, root first: `nodes[i]` is the value at `path.slice(0, i)`.
 * `nodes.length - 1` segments of the path were found.
 */
export function walkPath(root: ValueNode, path: JsonPath): ValueNode[] {
  const nodes: ValueNode[] = [root];
  let node = root;
  for (const segment of path) {
    const next = childAt(node, segment);
    if (!next) break;
    nodes.push(next);
    node = next;
  }
  return nodes;
}

/** The node of the value at `path`, or undefined when any part of the path is missing. */
export function findNode(root: ValueNode, path: JsonPath): ValueNode | undefined {
  const nodes = walkPath(root, path);
  return nodes.length === path.length + 1 ? nodes[nodes.length - 1] : undefined;
}

/** Line and column (1-based) of a string index. CRLF counts as one line break. */
export function offsetToLocation(text: string, offset: number): Location {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const ch = text[i];
    if (ch === '\r' && text[i + 1] === '\n') continue; // the \n ends this line
    if (ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029') {
      line++;
      lineStart = i + 1;
    }
  }
  let column = offset - lineStart + 1;
  // Editors do not show a BOM, so columns on line 1 do not count it.
  if (line === 1 && text.charCodeAt(0) === 0xfeff && offset > 0) column--;
  return { offset, line, column };
}

/** Where the value at `path` starts; undefined when the path (or the document) does not exist/parse. */
export function locatePath(text: string, path: JsonPath): Location | undefined {
  const root = parseTree(text);
  if (!root) return undefined;
  const node = findNode(root, path);
  return node ? offsetToLocation(text, node.offset) : undefined;
}

/**
 * Where the deepest existing part of `path` starts (the value itself when it exists, the root for a
 * path nothing of which exists); undefined only when the document does not parse.
 */
export function nearestLocation(text: string, path: JsonPath): Location | undefined {
  const root = parseTree(text);
  if (!root) return undefined;
  const nodes = walkPath(root, path);
  return offsetToLocation(text, nodes[nodes.length - 1]!.offset);
}
