// Which detector findings evidence which level of which topic, for the built-in frameworks. A floor says
// "the repository shows at least this level"; a ceiling says "a claim above this contradicts what it shows".
// Topics about people and organisation have no rule: only the self-assessment speaks for them.
import type { EvidenceRule, Framework, Topic } from "./framework.js";

type Rules = Record<string, EvidenceRule[]>;

const IML4E_V2: Rules = {
  "data-version-control": [
    { detectors: ["dvc"], floor: 2 },
    { detectors: ["dvc-pipeline"], floor: 3 },
  ],
  "data-pipeline-automation": [
    { detectors: ["dvc-pipeline"], floor: 2 },
    { detectors: ["dvc-pipeline", "training-in-ci"], floor: 3 },
  ],
  "data-quality-assurance": [{ detectors: ["data-tests"], floor: 1 }],
  "data-unit-testing": [
    { detectors: ["data-tests"], floor: 1 },
    { detectors: ["data-tests", "ci-tests"], floor: 3 },
  ],
  "experiment-tracking": [{ detectors: ["experiment-tracking"], floor: 2 }],
  // A DVC pipeline's outputs put the trained model under version control next to its code.
  "model-versioning": [{ detectors: ["dvc-pipeline"], floor: 3 }],
  "training-pipeline": [
    { detectors: ["dvc-pipeline"], floor: 2 },
    { detectors: ["training-in-ci"], floor: 3 },
  ],
  "model-evaluation": [
    { detectors: ["gates-config"], floor: 2 },
    { detectors: ["gates-on-pull-requests"], floor: 3 },
  ],
  "model-testing": [
    { detectors: ["gates-config"], floor: 1 },
    { detectors: ["gates-on-pull-requests"], floor: 2 },
    { detectors: ["gates-on-pull-requests", "fairness-gates"], floor: 3 },
  ],
  // Level 2 is "releases follow defined KPIs and release criteria": a gates config is exactly that.
  "release-automation": [
    { detectors: ["gates-config"], floor: 2 },
    { detectors: ["gates-on-pull-requests", "release-workflow"], floor: 3 },
    { detectors: ["no-ci"], ceiling: 1 },
  ],
  "monitoring-scope": [{ detectors: ["scheduled-gates"], floor: 2 }],
  "test-automation": [
    { detectors: ["ci-tests"], floor: 1 },
    { detectors: ["gates-on-pull-requests"], floor: 2 },
    { detectors: ["gates-on-pull-requests", "training-in-ci"], floor: 3 },
    { detectors: ["no-ci"], ceiling: 0 },
  ],
  "test-scope": [{ detectors: ["scheduled-gates"], floor: 2 }],
  // Level 2 is "automated tools in the CI/CD pipeline check the policies"; 4 is continuous auditing.
  "conformity-assessment": [
    { detectors: ["gates-config"], floor: 1 },
    { detectors: ["cabc-conformity", "gates-on-pull-requests"], floor: 2 },
    { detectors: ["cabc-conformity", "gates-on-pull-requests", "scheduled-gates"], floor: 3 },
    { detectors: ["cabc-conformity", "gate-verdict", "scheduled-gates"], floor: 3 },
  ],
  documentation: [
    { detectors: ["self-assessment"], floor: 1 },
    { detectors: ["model-card"], floor: 2 },
  ],
  "tool-automation": [{ detectors: ["gates-on-pull-requests"], floor: 2 }],
};

// Levels of the CMM-style framework are 1 (Initial) to 5 (Optimizing).
const ML_CMM: Rules = {
  "test-metrics-and-goals": [
    { detectors: ["gates-config"], floor: 3 },
    { detectors: ["gates-on-pull-requests"], floor: 4 },
  ],
  "quality-metrics-measurement": [
    { detectors: ["gates-config"], floor: 3 },
    { detectors: ["gates-on-pull-requests"], floor: 4 },
  ],
  "undesirable-bias-awareness": [{ detectors: ["fairness-gates"], floor: 2 }],
};

const BUILTIN_RULES: Record<string, Rules> = { "iml4e-v2": IML4E_V2, "ml-cmm": ML_CMM };

/** The evidence rules of a topic: the framework's own (custom frameworks) or the built-in map. */
export function evidenceRulesOf(framework: Framework, topic: Topic): EvidenceRule[] {
  return topic.evidence ?? BUILTIN_RULES[framework.id]?.[topic.id] ?? [];
}
