// Where a JSON5 syntax error really is. JSON5 reports the first character it cannot take — for a missing
// comma that is the start of the next entry (`apiKey` on line 7), while the mistake is at the end of the
// line before. The most common hand-edit mistake (the setup guide's examples are copied entry by entry)
// deserves to be named at its own place.

export interface SyntaxHint {
  /** 1-based line and column where the comma belongs (just after the last character of that line). */
  line: number;
  column: number;
  /** The line as written, for the excerpt. */
  text: string;
}

/** The code of a line without a trailing `// comment` (a `//` inside a string is kept: good enough here). */
function code(line: string): string {
  let inString: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === inString) inString = undefined;
    } else if (ch === '"' || ch === "'") {
      inString = ch;
    } else if (ch === '/' && line[i + 1] === '/') {
      return line.slice(0, i).trimEnd();
    }
  }
  return line.trimEnd();
}

/**
 * A missing comma: the error is at the first token of its line, that token starts a new entry (a key, a
 * string, a value or a `{`/`[`), and the last code line before it ends a value without a comma.
 */
export function missingCommaBefore(text: string, line: number, column: number): SyntaxHint | undefined {
  const lines = text.split(/\r?\n/);
  const at = lines[line - 1];
  if (at === undefined) return undefined;
  const before = at.slice(0, Math.max(0, column - 1));
  if (before.trim() !== '' || !/^\s*(["'\w$[{-]|\d)/.test(at)) return undefined;
  for (let i = line - 2; i >= 0; i--) {
    const prev = code(lines[i]!);
    if (!prev.trim() || /^\s*(\/\/|\/\*|\*)/.test(prev)) continue;
    if (/[,{[:(]$/.test(prev)) return undefined;
    return { line: i + 1, column: prev.length + 1, text: lines[i]! };
  }
  return undefined;
}
