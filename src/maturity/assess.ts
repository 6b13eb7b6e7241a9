// One repository's maturity from its view: read the self-assessment (if any), pick its framework, score
// claims against evidence. A broken self-assessment is reported, and the evidence is still scored.
import { formatError, MlgateError } from "../errors.js";
import {
  ASSESSMENT_FILE,
  DEFAULT_FRAMEWORK,
  frameworkIdOf,
  parseAssessment,
  type Assessment,
} from "./assessment.js";
import { withinScoringBudget } from "./budget.js";
import type { Framework } from "./framework.js";
import { scoreRepository, type MaturitySnapshot } from "./score.js";
import type { RepositoryView } from "./view.js";

export interface RepositoryMaturity {
  snapshot: MaturitySnapshot;
  framework: Framework;
  assessment?: Assessment;
  /** Why the self-assessment was not used; its location points into the file. */
  error?: MlgateError;
}

export function assessRepository(
  fullView: RepositoryView,
  frameworks: readonly Framework[],
): RepositoryMaturity {
  const view = withinScoringBudget(fullView);
  const text = view.files.get(ASSESSMENT_FILE);
  const fallback = frameworks.find((framework) => framework.id === DEFAULT_FRAMEWORK) ?? frameworks[0];
  if (!fallback) throw new Error("assessRepository needs at least one framework");
  if (text === undefined)
    return { snapshot: scoreRepository(fallback, view, undefined), framework: fallback };
  try {
    const assessment = parseAssessment(text, ASSESSMENT_FILE, frameworks);
    const framework = frameworks.find((candidate) => candidate.id === assessment.framework) ?? fallback;
    return { snapshot: scoreRepository(framework, view, assessment), framework, assessment };
  } catch (error) {
    if (!(error instanceof MlgateError)) throw error;
    // Score the evidence under the framework the file names, when it names a known one.
    let framework = fallback;
    try {
      framework =
        frameworks.find((candidate) => candidate.id === frameworkIdOf(text, ASSESSMENT_FILE)) ?? fallback;
    } catch {
      // The file does not even parse as YAML: the fallback framework it is.
    }
    return {
      snapshot: scoreRepository(framework, view, undefined, formatError(error.withoutDetail())),
      framework,
      error,
    };
  }
}
