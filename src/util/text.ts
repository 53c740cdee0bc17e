// Text helpers shared by the fact readers and the renderers, written once.

/** Raw text as one line for a detail or a table cell: whitespace runs collapsed, cut at `max` with "…". */
export function oneLine(text: string, max = 200): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * Text for a Markdown cell or a chat line: each line break, with the spaces around it, becomes one space;
 * spacing inside a line is kept (it can matter in a code span). Not cut.
 */
export function joinLines(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}
