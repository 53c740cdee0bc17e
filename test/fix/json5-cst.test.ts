import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { findNode, locatePath, nearestLocation, nodeValue, offsetToLocation, parseJson5Tree, parseTree } from '../../src/json5/cst.js';
import { HAVE_CORPUS, corpusConfigs, fixtureConfigs } from './corpus.js';

function json5OrUndefined(text: string): unknown {
  try {
    return JSON5.parse(text);
  } catch {
    return undefined;
  }
}

describe('parseJson5Tree agrees with the json5 package', () => {
  const samples = [...fixtureConfigs, ...corpusConfigs];
  it.each(samples.map((s) => [s.name, s.text] as const))('%s', (_name, text) => {
    const expected = json5OrUndefined(text);
    const result = parseJson5Tree(text);
    if (expected === undefined) {
      expect(result.error).toBeDefined();
    } else {
      expect(result.error).toBeUndefined();
      expect(nodeValue(result.root!)).toEqual(expected);
    }
  });

  it.each([
    ['comments', '// a\n{ /* b */ "a": 1 // c\n}'],
    ['trailing commas', '{ "a": [1, 2,], }'],
    ['unquoted and single-quoted keys', "{ a: 1, 'b c': 2, $d_e: 3, ünï: 4 }"],
    ['single-quoted strings with escapes', "{ s: 'it\\'s \"q\" \\x41\\u0042\\\nC' }"],
    ['numbers', '[0x1F, -0X1f, +1, .5, 5., 1e3, -Infinity, +Infinity, NaN, -0, 1E-2]'],
    ['BOM and CRLF', '\ufeff{\r\n  "a": 1,\r\n}\r\n'],
    ['literals', '{ t: true, f: false, n: null }'],
    ['duplicate keys: the last wins', '{ a: 1, a: 2 }'],
    ['line separators in strings', '"a\u2028b"'],
  ])('%s', (_name, text) => {
    const result = parseJson5Tree(text);
    expect(result.error).toBeUndefined();
    expect(nodeValue(result.root!)).toEqual(JSON5.parse(text));
  });

  it.each([
    ['unquoted value', '{ a: INSERT_ME }'],
    ['negative identifier (corpus 028)', '{ a: [ -INSERT_ID ] }'],
    ['missing comma', '{ a: 1 b: 2 }'],
    ['unterminated object', '{ a: 1'],
    ['unterminated string', '{ a: "x }'],
    ['unterminated comment', '{ a: 1 /* }'],
    ['leading zero', '{ a: 01 }'],
    ['garbage after the document', '{} x'],
    ['empty text', ''],
    ['keyword prefix', '{ a: trueish }'],
    ['deep nesting', '['.repeat(100000)],
  ])('rejects %s without throwing', (_name, text) => {
    expect(() => parseJson5Tree(text)).not.toThrow();
    expect(parseJson5Tree(text).error).toBeDefined();
    expect(json5OrUndefined(text)).toBeUndefined();
  });
});

describe('locatePath', () => {
  const working = fixtureConfigs.find((s) => s.name === 'config-working.json5')!.text;

  it('finds values in the fixture config with 1-based line and column', () => {
    expect(locatePath(working, ['agents', 'defaults', 'thinkingDefault'])).toMatchObject({ line: 30, column: 26 });
    expect(locatePath(working, ['models', 'providers', 'kimi-code', 'models', 0, 'compat', 'supportsDeveloperRole'])).toMatchObject({
      line: 21,
      column: 50,
    });
    const loc = locatePath(working, ['models', 'providers', 'kimi-code', 'models', 0, 'headers', 'User-Agent'])!;
    expect(working.slice(loc.offset, loc.offset + 14)).toBe('"KimiCLI/0.77"');
    expect(locatePath(working, [])).toEqual({ offset: 0, line: 1, column: 1 });
  });

  it('returns undefined when only a prefix exists, and nearestLocation gives the deepest ancestor', () => {
    const noCompat = fixtureConfigs.find((s) => s.name === 'config-no-compat.json5')!.text;
    const path = ['models', 'providers', 'kimi-code', 'models', 0, 'compat', 'supportsDeveloperRole'];
    expect(locatePath(noCompat, path)).toBeUndefined();
    expect(nearestLocation(noCompat, path)).toMatchObject({ line: 13, column: 11 });
    expect(nearestLocation(noCompat, ['nope'])).toMatchObject({ line: 1, column: 1 });
    expect(locatePath(noCompat, ['models', 'mode', 'x'])).toBeUndefined();
    expect(locatePath(noCompat, ['models', 'providers', 'kimi-code', 'models', 5])).toBeUndefined();
    expect(locatePath(noCompat, ['models', 'providers', 'kimi-code', 'models', '0'])).toBeUndefined();
  });

  it('counts CRLF as one line break and ignores a BOM in columns', () => {
    const text = '\ufeff{ "a": 1,\r\n  b: { c: \'x\' } }';
    expect(locatePath(text, ['a'])).toMatchObject({ line: 1, column: 8 });
    expect(locatePath(text, ['b', 'c'])).toMatchObject({ line: 2, column: 11 });
  });

  it.skipIf(!HAVE_CORPUS)('points at every value of every corpus file that parses, and never throws on the one that does not', () => {
    for (const { name, text } of corpusConfigs) {
      const root = parseTree(text);
      if (!root) {
        expect(name).toBe('028.json5');
        expect(locatePath(text, ['models'])).toBeUndefined();
        expect(nearestLocation(text, ['models'])).toBeUndefined();
        continue;
      }
      const parsed = JSON5.parse(text) as unknown;
      const all = [...leaves(parsed)];
      // locatePath re-parses each time: sample it, and check every leaf through the tree directly.
      for (const [i, [path, value]] of all.entries()) {
        const node = findNode(root, path);
        const loc = i % 10 === 0 ? locatePath(text, path) : node && offsetToLocation(text, node.offset);
        expect(loc, `${name} ${path.join('.')}`).toBeDefined();
        // The located text parses back to the leaf's value.
        const rest = text.slice(loc!.offset);
        const tree = parseJson5Tree(rest.slice(0, tokenLength(rest)));
        expect(tree.root && nodeValue(tree.root), `${name} ${path.join('.')}`).toEqual(value);
      }
    }
  });
});

/** Scalar leaves of a parsed document with their paths. */
function* leaves(value: unknown, path: (string | number)[] = []): Generator<[(string | number)[], unknown]> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* leaves(value[i], [...path, i]);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* leaves(v, [...path, k]);
  } else {
    yield [path, value];
  }
}

/** Length of the scalar token at the start of `text`. */
function tokenLength(text: string): number {
  const q = text[0];
  if (q === '"' || q === "'") {
    for (let i = 1; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === q) return i + 1;
    }
  }
  const m = /^[^,\s}\]/]+/.exec(text);
  return m ? m[0].length : 0;
}
