// How human output meets the terminal: colour (the usual precedence) and width (wrapping with hanging
// indents, snippets and commands left whole so they still paste).

export interface ColourInput {
  /** `--color` true, `--no-color` false, neither undefined. */
  flag: boolean | undefined;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  json: boolean;
}

/**
 * The chalk level (0 = none). Precedence as the common Node CLIs have it (chalk's supports-color, npm):
 * `--no-color`/`--color` > `NO_COLOR` (any non-empty value, no-color.org) > `FORCE_COLOR` (0 or false: off;
 * 1–3, true or empty: that level) > a TTY whose `TERM` is not `dumb`. JSON is never coloured.
 */
export function colourLevel(c: ColourInput): 0 | 1 | 2 | 3 {
  if (c.json) return 0;
  if (c.flag === false) return 0;
  const force = forceColour(c.env.FORCE_COLOR);
  if (c.flag === true) return force || 1;
  if (c.env.NO_COLOR !== undefined && c.env.NO_COLOR !== '') return 0;
  if (force !== undefined) return force;
  return c.isTTY && c.env.TERM !== 'dumb' ? 1 : 0;
}

function forceColour(v: string | undefined): 0 | 1 | 2 | 3 | undefined {
  if (v === undefined) return undefined;
  if (v === '' || v === 'true') return 1;
  if (v === 'false') return 0;
  const n = Number.parseInt(v, 10);
  if (!Number.isFinite(n)) return undefined;
  return Math.max(0, Math.min(3, n)) as 0 | 1 | 2 | 3;
}

/** Columns to wrap at: `COLUMNS`, else the terminal's width, else 80 (a pipe, a file). */
export function outputWidth(env: NodeJS.ProcessEnv, stream: { isTTY?: boolean; columns?: number }): number {
  const fromEnv = Number.parseInt(env.COLUMNS ?? '', 10);
  const cols = Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : stream.isTTY && stream.columns ? stream.columns : 80;
  return Math.max(40, Math.min(cols, 240));
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleLength(s: string): number {
  return [...s.replace(ANSI, '')].length;
}

/**
 * A line that must not be wrapped: a config snippet, a command, a path list continuation — anything
 * indented further than its paragraph or starting like code. Breaking those makes them unpasteable.
 */
export function isVerbatim(line: string): boolean {
  // Indented, or aligned in columns (two spaces inside): a snippet, an excerpt, a table.
  if (/^\s/.test(line) || /\S {2,}\S/.test(line)) return true;
  return /^([{}[\]"'`$#]|\/\/|(claw-doctor|openclaw|clawdbot|moltbot|npx|npm|export|tar|systemctl|docker|curl|cat|cd)\b)/.test(line);
}

const COMMAND_START = /^`?(claw-doctor|openclaw|clawdbot|moltbot|npx|npm|tar|systemctl|docker|curl)$/;
/** What follows a command's name when it is used as one: a flag or a subcommand (`--only …`, `gateway stop`). */
const COMMAND_NEXT = /^(-|[a-z][a-z-]*$)/;
/** An inline command longer than this is wrapped like prose after all: it could not fit a line anyway. */
const MAX_UNIT = 60;

/**
 * The words of a line, with an inline command kept as one unit: from `claw-doctor --…` (or another known
 * command followed by a flag or subcommand) to the word that ends its clause (`.`, `,`, `;`, `:` or a
 * closing backtick or bracket), so that `claw-doctor --only probe.chat --timeout 90.` is never broken
 * across lines and still pastes.
 */
function units(line: string): string[] {
  const words = line.split(/ +/).filter((w) => w !== '');
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (!COMMAND_START.test(words[i]!) || !COMMAND_NEXT.test(words[i + 1] ?? '')) {
      out.push(words[i]!);
      continue;
    }
    let j = i;
    while (j < words.length - 1 && !/[.,;:)`]$/.test(words[j]!)) j++;
    const unit = words.slice(i, j + 1).join(' ');
    if ([...unit].length > MAX_UNIT) {
      out.push(words[i]!);
      continue;
    }
    out.push(unit);
    i = j;
  }
  return out;
}

/**
 * Wrap one paragraph line to `width` columns: the first line starts with `first`, the following ones with
 * `rest` (the hanging indent). Words longer than a line stay whole (a path is better long than broken),
 * and so do inline commands (see units).
 */
export function wrapLine(line: string, width: number, first: string, rest: string): string[] {
  const out: string[] = [];
  let cur = first;
  let empty = true;
  for (const w of units(line)) {
    const candidate = empty ? cur + w : `${cur} ${w}`;
    if (!empty && visibleLength(candidate) > width) {
      out.push(cur);
      cur = rest + w;
    } else {
      cur = candidate;
    }
    empty = false;
  }
  out.push(cur);
  return out;
}

/**
 * A multi-line text under `indent`: prose lines wrapped with a hanging indent, verbatim lines (see
 * isVerbatim) indented but never broken.
 */
export function wrapBlock(text: string, width: number, indent: string, hang = ''): string {
  return text
    .split('\n')
    .map((l) => {
      if (!l.trim()) return '';
      if (isVerbatim(l)) return indent + l;
      return wrapLine(l, width, indent, indent + hang).join('\n');
    })
    .join('\n');
}
