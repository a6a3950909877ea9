/**
 * Optimal-string-alignment distance (Damerau–Levenshtein restricted to non-overlapping edits):
 * insertions, deletions, substitutions and transpositions of neighbours each cost 1, so
 * "exlcude" is one edit from "exclude".
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/** Case, `-`, `_` and spaces do not matter when guessing what was meant: min_score ≈ minScore. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/[-_\s]/g, "");
}

/**
 * The candidates `input` is most likely a misspelling of, best first; empty when none is close.
 * Close means: equal after normalising, or one is a prefix (of at least 4 characters) of the other, or within
 * max(1, ⌊length/3⌋) edits of the candidate. Ties are all returned, in the candidates' order.
 */
export function didYouMean(input: string, candidates: readonly string[]): string[] {
  const wanted = normalise(input);
  if (wanted === "") return [];
  const exact = candidates.filter((c) => normalise(c) === wanted);
  if (exact.length > 0) return exact;
  let best = Number.POSITIVE_INFINITY;
  let found: string[] = [];
  for (const candidate of candidates) {
    const target = normalise(candidate);
    // A prefix either way ("regression" → regressionThreshold, "warning" → warn) is a strong hint.
    const prefix = (wanted.length >= 4 && target.startsWith(wanted)) || (target.length >= 4 && wanted.startsWith(target));
    const distance = prefix ? 0.5 : editDistance(wanted, target);
    if (distance > Math.max(1, Math.floor(target.length / 3))) continue;
    if (distance < best) {
      best = distance;
      found = [candidate];
    } else if (distance === best) {
      found.push(candidate);
    }
  }
  return found;
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function orList(items: readonly string[], quote = true): string {
  const shown = items.map((i) => (quote ? JSON.stringify(i) : i));
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1] ?? ""}`;
}
