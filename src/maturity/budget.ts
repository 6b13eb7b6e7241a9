// How much text the detectors score per repository. Each file is already at most MAX_FILE_BYTES, but a
// repository can hold hundreds of workflows, and anyone who can open a pull request can add them: past
// MAX_SCORED_BYTES in all, the rest are listed (their names are still evidence) but their text is not read.
// The App and `mlgate maturity` both go through assessRepository, which applies it.
import { ASSESSMENT_FILE } from "./assessment.js";
import type { RepositoryView } from "./view.js";

/** 4× the per-file limit: far more than the workflows and files of any real repository. */
export const MAX_SCORED_BYTES = 2 * 1024 * 1024;

/**
 * The view with the text of the files that fit in `budget` bytes (UTF-8), taken smallest first — the
 * self-assessment before any — so that a few large files push out themselves, not the rest. The others
 * stay in `entries` and are named in `unscored`. Applying it twice changes nothing.
 */
export function withinScoringBudget(view: RepositoryView, budget = MAX_SCORED_BYTES): RepositoryView {
  const sized = [...view.files].map(([path, text]) => ({ path, text, bytes: Buffer.byteLength(text) }));
  sized.sort(
    (a, b) =>
      Number(b.path === ASSESSMENT_FILE) - Number(a.path === ASSESSMENT_FILE) ||
      a.bytes - b.bytes ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  const files = new Map<string, string>();
  const unscored = new Set(view.unscored ?? []);
  let spent = 0;
  for (const { path, text, bytes } of sized) {
    if (spent + bytes <= budget) {
      files.set(path, text);
      spent += bytes;
    } else {
      unscored.add(path);
    }
  }
  if (unscored.size === 0) return view;
  return { ...view, files, unscored: [...unscored].sort() };
}
