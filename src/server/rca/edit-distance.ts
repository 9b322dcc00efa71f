// Word-level edit distance between a draft and the text a person approved: how much of the draft
// the reviewer rewrote. Levenshtein over words (insert, delete, replace cost 1), divided by the
// longer text's word count: 0 when approved as drafted, 1 when nothing of it survived.

/** Longest texts compared word by word; longer ones are cut (the ratio stays an estimate). */
export const MAX_COMPARED_WORDS = 5000;

export function words(text: string): string[] {
  return text
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, MAX_COMPARED_WORDS);
}

export function wordEditDistance(a: readonly string[], b: readonly string[]): number {
  // Two rows of the dynamic-programming table: memory grows with the shorter text only.
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  let previous = new Uint32Array(short.length + 1).map((_, i) => i);
  let current = new Uint32Array(short.length + 1);
  for (let i = 1; i <= long.length; i += 1) {
    current[0] = i;
    for (let j = 1; j <= short.length; j += 1) {
      const replace = previous[j - 1]! + (long[i - 1] === short[j - 1] ? 0 : 1);
      current[j] = Math.min(replace, previous[j]! + 1, current[j - 1]! + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[short.length]!;
}

export function editDistanceRatio(draft: string, final: string): number {
  const a = words(draft);
  const b = words(final);
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 0 : wordEditDistance(a, b) / longer;
}
