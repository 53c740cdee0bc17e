import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { parseTree, findNode } from '../../src/json5/cst.js';
import { Json5EditError, removeKey, setValue, verifyEdit, type JsonValue } from '../../src/fix/json5-edit.js';
import { HAVE_CORPUS, corpusConfigs, fixtureConfigs } from './corpus.js';

type Path = (string | number)[];

const fixture = (name: string): string => fixtureConfigs.find((s) => s.name === `config-${name}.json5`)!.text;
const MODEL: Path = ['models', 'providers', 'kimi-code', 'models', 0];

/** Lines of `after` that are not in `before`, and lines of `before` that are gone (multiset diff). */
function lineDiff(before: string, after: string): { added: string[]; removed: string[] } {
  const b = before.split(/\r\n|\n/);
  const a = after.split(/\r\n|\n/);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { added: a.slice(start, endA), removed: b.slice(start, endB) };
}

/**
 * True when `after` is `before` with text only inserted (at most two places: the new property, and a
 * comma after the previous one), nothing removed or rewritten.
 */
function onlyInserted(before: string, after: string): boolean {
  let p = 0;
  while (p < before.length && before[p] === after[p]) p++;
  let s = 0;
  while (s < before.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  const middleBefore = before.slice(p, before.length - s);
  const middleAfter = after.slice(p, after.length - s);
  return middleAfter.includes(middleBefore);
}

describe('setValue on the fixture configs', () => {
  it('adds compat.supportsDeveloperRole: false as one new line after the headers', () => {
    const before = fixture('no-compat');
    const after = setValue(before, [...MODEL, 'compat', 'supportsDeveloperRole'], false);
    expect(lineDiff(before, after)).toEqual({
      added: ['            "compat": { "supportsDeveloperRole": false },'],
      removed: [],
    });
    expect(after).toContain('// written by hand');
    // Same parsed document as the working config.
    expect(JSON5.parse(after)).toEqual(JSON5.parse(fixture('working')));
  });

  it('adds the User-Agent header, keeping comments and trailing commas', () => {
    const before = fixture('no-user-agent');
    const after = setValue(before, [...MODEL, 'headers', 'User-Agent'], 'KimiCLI/0.77');
    expect(lineDiff(before, after)).toEqual({
      added: ['            "headers": { "User-Agent": "KimiCLI/0.77" },'],
      removed: [],
    });
    expect(JSON5.parse(after)).toEqual(JSON5.parse(fixture('working')));
  });

  it('replaces thinkingDefault in place', () => {
    const before = fixture('working');
    const after = setValue(before, ['agents', 'defaults', 'thinkingDefault'], 'medium');
    expect(lineDiff(before, after)).toEqual({
      added: ['      "thinkingDefault": "medium",'],
      removed: ['      "thinkingDefault": "low",'],
    });
  });

  it('inserts into a one-line object and creates nested objects', () => {
    const before = fixture('working');
    const vars = setValue(before, ['env', 'vars', 'OTHER'], 'x');
    expect(vars.split('\n')[2]).toBe(
      '  "env": { "vars": { "KIMICODE_API_KEY": "sk-kimi-acceptance-0000000000000000000000000000", "OTHER": "x" } },',
    );
    const nested = setValue(before, ['logging', 'console', 'style'], 'pretty');
    expect(nested.split('\n')[3]).toBe('  "logging": { "level": "warn", "console": { "style": "pretty" } },');
  });
});

describe.skipIf(!HAVE_CORPUS)('setValue on every corpus file', () => {
  const parsable = corpusConfigs.filter((s) => parseTree(s.text) !== undefined);

  it('leaves only 028 out', () => {
    expect(corpusConfigs.length - parsable.length).toBe(1);
    expect(() => setValue(corpusConfigs.find((s) => s.name === '028.json5')!.text, ['a'], 1)).toThrow(Json5EditError);
  });

  /** The first configured model, else a path that creates the provider. */
  function modelPath(text: string): Path {
    const root = parseTree(text)!;
    const providers = findNode(root, ['models', 'providers']);
    if (providers?.kind === 'object') {
      for (const p of providers.children) {
        const models = p.value.kind === 'object' ? p.value.children.find((c) => c.key === 'models') : undefined;
        if (models?.value.kind === 'array' && models.value.children[0]?.kind === 'object') {
          return ['models', 'providers', p.key, 'models', 0];
        }
      }
    }
    return ['models', 'providers', 'kimi-code'];
  }

  const edits: [string, (text: string) => Path, JsonValue][] = [
    ['compat.supportsDeveloperRole', (t) => [...modelPath(t), 'compat', 'supportsDeveloperRole'], false],
    ['headers.User-Agent', (t) => [...modelPath(t), 'headers', 'User-Agent'], 'KimiCLI/0.77'],
    ['agents.defaults.thinkingDefault', () => ['agents', 'defaults', 'thinkingDefault'], 'low'],
  ];

  for (const [label, pathOf, value] of edits) {
    it.each(parsable.map((s) => [s.name, s.text] as const))(`${label} in %s`, (_name, before) => {
      const path = pathOf(before);
      const existed = findNode(parseTree(before)!, path) !== undefined;
      const after = setValue(before, path, value);
      expect(verifyEdit(before, after, path, { kind: 'set', value })).toEqual({ ok: true });
      // Our parser agrees with json5 on the result.
      expect(parseTree(after)).toBeDefined();
      if (!existed) {
        expect(onlyInserted(before, after)).toBe(true);
        const { removed, added } = lineDiff(before, after);
        // A removed line may only reappear with a comma added (or, for a one-line object, with text inserted).
        for (const line of removed) expect(added.some((a) => onlyInserted(line, a))).toBe(true);
      }
      // Newline style, BOM and ${VAR} references are kept.
      if (before.includes('\r\n')) expect(after.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      expect(after.charCodeAt(0) === 0xfeff).toBe(before.charCodeAt(0) === 0xfeff);
      expect(after.match(/\$\{[A-Z_]+\}/g) ?? []).toEqual(before.match(/\$\{[A-Z_]+\}/g) ?? []);
      // Setting then removing a key whose parent existed gives back the original bytes.
      const parentExisted = findNode(parseTree(before)!, path.slice(0, -1)) !== undefined;
      if (!existed && parentExisted) expect(removeKey(after, path)).toBe(before);
    });
  }
});

describe('setValue follows the file style', () => {
  it.skipIf(!HAVE_CORPUS)('uses unquoted keys and CRLF when the file does (corpus 018)', () => {
    const before = corpusConfigs.find((s) => s.name === '018.json5')!.text;
    const after = setValue(before, ['models', 'providers', 'kingai', 'models', 0, 'compat', 'supportsDeveloperRole'], false);
    expect(after).toContain('            maxTokens: 4096,\r\n            compat: { supportsDeveloperRole: false }\r\n          }');
  });

  it('quotes keys that are not identifiers even in an unquoted file', () => {
    const after = setValue('{\n  a: 1\n}\n', ['b-c', 'User-Agent'], 'x');
    expect(after).toBe('{\n  a: 1,\n  "b-c": { "User-Agent": "x" }\n}\n');
  });

  it('keeps single quotes', () => {
    expect(setValue("{ 'a': 'x' }", ['b'], "it's")).toBe("{ 'a': 'x', 'b': 'it\\'s' }");
  });

  it('keeps tabs and puts the new line after a trailing comment', () => {
    const before = '{\n\t"a": {\n\t\t"b": 1 // keep me\n\t}\n}\n';
    expect(setValue(before, ['a', 'c'], true)).toBe('{\n\t"a": {\n\t\t"b": 1, // keep me\n\t\t"c": true\n\t}\n}\n');
  });

  it('keeps a commented-out block below the last property', () => {
    const before = '{\n  "a": 1,\n  // "b": 2,\n}\n';
    expect(setValue(before, ['c'], 3)).toBe('{\n  "a": 1,\n  "c": 3,\n  // "b": 2,\n}\n');
  });

  it('fills empty objects, one-line and multi-line', () => {
    expect(setValue('{}', ['a'], 1)).toBe('{ "a": 1 }');
    expect(setValue('{ "x": {} }', ['x', 'a'], 1)).toBe('{ "x": { "a": 1 } }');
    expect(setValue('{\n  "x": {\n  },\n  "y": 1,\n}\n', ['x', 'a'], 1)).toBe('{\n  "x": {\n    "a": 1,\n  },\n  "y": 1,\n}\n');
  });

  it('writes larger objects over several lines with the file indentation', () => {
    const before = '{\n    "models": {\n        "mode": "merge"\n    }\n}\n';
    const value = { baseUrl: 'https://api.kimi.com/coding/v1', api: 'openai-completions', models: [{ id: 'kimi-for-coding' }] };
    const after = setValue(before, ['models', 'providers', 'kimi-code'], value);
    expect(after).toBe(
      '{\n    "models": {\n        "mode": "merge",\n        "providers": {\n            "kimi-code": {\n' +
        '                "baseUrl": "https://api.kimi.com/coding/v1",\n                "api": "openai-completions",\n' +
        '                "models": [\n                    { "id": "kimi-for-coding" }\n                ]\n' +
        '            }\n        }\n    }\n}\n',
    );
  });

  it('replaces values of any kind, keeping the rest of the line', () => {
    expect(setValue('{ "a": "x", /* c */ "b": 2 }', ['a'], { k: [1, 2] })).toBe('{ "a": { "k": [1, 2] }, /* c */ "b": 2 }');
    expect(setValue('{ "a": [1, 2, 3] }', ['a', 1], 'two')).toBe('{ "a": [1, "two", 3] }');
    expect(setValue('{ "a": "${KIMICODE_API_KEY}", "b": 1 }', ['b'], 2)).toBe('{ "a": "${KIMICODE_API_KEY}", "b": 2 }');
  });

  it('refuses impossible edits with a clear error', () => {
    expect(() => setValue('{ "a": "x" }', ['a', 'b'], 1)).toThrow(/a is a string, not an object/);
    expect(() => setValue('{ "a": [] }', ['a', 0, 'id'], 1)).toThrow(/array element does not exist/);
    expect(() => setValue('{ "a": ', ['a'], 1)).toThrow(/not valid JSON5/);
  });
});

describe('removeKey', () => {
  it.each([
    ['a line of its own', '{\n  "a": 1,\n  "b": 2,\n}\n', ['a'], '{\n  "b": 2,\n}\n'],
    ['the last line, dropping the comma before it', '{\n  "a": 1,\n  "b": 2\n}\n', ['b'], '{\n  "a": 1\n}\n'],
    ['a line with its comment', '{\n  "a": 1, // note\n  "b": 2\n}\n', ['a'], '{\n  "b": 2\n}\n'],
    ['a multi-line value', '{\n  "a": {\n    "x": 1\n  },\n  "b": 2\n}\n', ['a'], '{\n  "b": 2\n}\n'],
    ['inline first', '{ "a": 1, "b": 2 }', ['a'], '{ "b": 2 }'],
    ['inline last', '{ "a": 1, "b": 2 }', ['b'], '{ "a": 1 }'],
    ['inline only', '{ "x": { "a": 1 } }', ['x', 'a'], '{ "x": { } }'],
    ['duplicates', '{ a: 1, a: 2 }', ['a'], '{ }'],
    ['nothing when missing', '{ "a": 1 }', ['b', 'c'], '{ "a": 1 }'],
    ['CRLF lines', '{\r\n  a: 1,\r\n  b: 2\r\n}\r\n', ['b'], '{\r\n  a: 1\r\n}\r\n'],
  ] as [string, string, Path, string][])('removes %s', (_name, before, path, expected) => {
    expect(removeKey(before, path)).toBe(expected);
  });

  it.skipIf(!HAVE_CORPUS)('removes from every corpus file with the rest unchanged', () => {
    for (const { text } of corpusConfigs) {
      const root = parseTree(text);
      if (root?.kind !== 'object' || root.children.length === 0) continue;
      const key = root.children[0]!.key;
      const after = removeKey(text, [key]);
      expect(verifyEdit(text, after, [key], { kind: 'remove' })).toEqual({ ok: true });
    }
  });
});

describe('verifyEdit', () => {
  it('accepts the intended change and rejects anything else', () => {
    expect(verifyEdit('{ a: 1 }', '{ a: 2 }', ['a'], { kind: 'set', value: 2 })).toEqual({ ok: true });
    expect(verifyEdit('{ a: 1 }', '{ a: 2, b: 1 }', ['a'], { kind: 'set', value: 2 }).ok).toBe(false);
    expect(verifyEdit('{ a: 1 }', '{ a: 3 }', ['a'], { kind: 'set', value: 2 }).ok).toBe(false);
    expect(verifyEdit('{ a: 1 }', '{ a: ', ['a'], { kind: 'set', value: 2 })).toMatchObject({ ok: false, reason: expect.stringMatching(/does not parse/) });
    expect(verifyEdit('{ a: 1 }', '{ x: { y: true }, a: 1 }', ['x', 'y'], { kind: 'set', value: true })).toEqual({ ok: true });
    expect(verifyEdit('{ a: 1, b: 2 }', '{ b: 2 }', ['a'], { kind: 'remove' })).toEqual({ ok: true });
  });
});
