// "Did you mean …?" for a mistyped flag, command or check id: the closest known word by edit distance,
// when it is close enough to be a typo (at most a third of the word, and at most 3 edits).

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.min(3, Math.max(1, Math.floor(word.length / 3))) ? best : undefined;
}

export function didYouMean(word: string, known: readonly string[], show: (s: string) => string = (s) => s): string {
  const c = closest(word, known);
  return c ? ` Did you mean ${show(c)}?` : '';
}
