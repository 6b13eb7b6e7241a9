// "Did you mean ...?": the candidate closest to a misspelt word by edit distance, or nothing when no
// candidate is close enough to be a plausible typo. Shared by path selection and config validation.

/** The candidate nearest to `word`, or undefined when none is within a typo's distance. */
export function nearestWord(word: string, candidates: Iterable<string>): string | undefined {
  const wanted = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance && distance <= allowedDistance(word, candidate)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * About one edit per three characters ("acuracy" finds "accuracy"), and never a total rewrite: a
 * one-character key like "2" does not suggest "0".
 */
function allowedDistance(word: string, candidate: string): number {
  const longer = Math.max(word.length, candidate.length);
  return Math.min(longer - 1, Math.max(1, Math.floor(longer / 3)));
}

/** Levenshtein distance with two rolling rows. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
