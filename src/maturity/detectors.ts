// Evidence detectors: each looks for one practice a repository shows (a gates config, DVC, experiment
// tracking, data tests, a model card, gates on every PR, ...) by a rule written out in `rule`, which
// docs/maturity.md quotes. They report facts; mapping facts to levels is per framework (evidence-map.ts).
// Anyone who can open a pull request writes what they read, so they read parsed YAML, bounded front
// matter and words, never a regular expression that rescans the text from every line (docs/security.md).
import { parse } from "yaml";
import { MAX_YAML_ALIAS_COUNT } from "../config/yaml.js";
import { frontMatter, looksLikeModelCard, withoutBom } from "../sources/formats/huggingface.js";
import { ASSESSMENT_FILE } from "./assessment.js";
import { isWorkflowFile, type RepositoryView } from "./view.js";
import { runsMlgate, workflowsOf, type WorkflowFacts } from "./workflows.js";

export interface Finding {
  detector: DetectorId;
  /** One sentence saying what was found, naming files; shown in reports. */
  summary: string;
  paths: string[];
}

export type DetectorId =
  | "gates-config"
  | "cabc-conformity"
  | "fairness-gates"
  | "gates-on-pull-requests"
  | "scheduled-gates"
  | "gate-verdict"
  | "dvc"
  | "dvc-pipeline"
  | "experiment-tracking"
  | "data-tests"
  | "model-card"
  | "ci-tests"
  | "training-in-ci"
  | "release-workflow"
  | "no-ci"
  | "self-assessment";

export interface Detector {
  id: DetectorId;
  rule: string;
  detect(view: RepositoryView, workflows: WorkflowFacts[]): Omit<Finding, "detector"> | undefined;
}

const GATES_FILE = ".github/mlgate.yml";
const DEPENDENCY_FILES = ["requirements.txt", "pyproject.toml", "environment.yml", "setup.py"];

/** A package name with what may cling to it in a dependency file: letters, digits, `_`, `.` and `-`. */
const DEPENDENCY_WORD = /[\w.-]+/g;

/**
 * The dependency files naming one of `packages` (lower case) as a word of its own, case aside: alone
 * (`mlflow==2.9`) or before a dot (`mlflow.tracking`), never inside a longer name (`mlflow-skinny`).
 */
function dependencyFilesNaming(view: RepositoryView, packages: readonly string[]): string[] {
  const wanted = new Set(packages);
  return DEPENDENCY_FILES.filter((path) => {
    for (const [word] of (view.files.get(path) ?? "").matchAll(DEPENDENCY_WORD)) {
      const name = word.toLowerCase();
      const dot = name.indexOf(".");
      if (wanted.has(name) || (dot > 0 && wanted.has(name.slice(0, dot)))) return true;
    }
    return false;
  });
}

function present(view: RepositoryView, paths: readonly string[]): string[] {
  return paths.filter((path) => view.entries.has(path));
}

const parsedGatesConfigs = new WeakMap<RepositoryView, Record<string, unknown> | undefined>();

/** The gates config as YAML, parsed once per view (two detectors ask). */
function gatesConfig(view: RepositoryView): Record<string, unknown> | undefined {
  if (parsedGatesConfigs.has(view)) return parsedGatesConfigs.get(view);
  const config = parseMapping(view.files.get(GATES_FILE));
  parsedGatesConfigs.set(view, config);
  return config;
}

function parseMapping(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = parse(text, { maxAliasCount: MAX_YAML_ALIAS_COUNT });
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** How far into a README its front matter may reach: a model card's `model-index` is a few KiB. */
export const MAX_FRONT_MATTER_CHARS = 64 * 1024;

/**
 * Hugging Face model-card front matter: a `---` block at the very top of the text, closed within
 * MAX_FRONT_MATTER_CHARS, whose YAML has a top-level `model-index` (or the 2021 `model_index`).
 */
function hasModelIndex(readme: string): boolean {
  const top = withoutBom(readme).slice(0, MAX_FRONT_MATTER_CHARS);
  // The Hugging Face reader's own line check spares parsing front matter that cannot have the key.
  if (!looksLikeModelCard(top)) return false;
  const matter = frontMatter(top);
  const data = typeof matter === "object" ? parseMapping(matter.yaml) : undefined;
  return data !== undefined && (Object.hasOwn(data, "model-index") || Object.hasOwn(data, "model_index"));
}

function listOf(paths: string[]): string {
  return paths.map((path) => `\`${path}\``).join(", ");
}

const TEST_COMMAND =
  /\b(pytest|tox|nox|unittest|npm (run )?test|make test|go test|cargo test|mvn test|gradle test)\b/;
const TRAIN_COMMAND = /\b(dvc repro|dvc exp run|mlflow run|train(ing)?\.py|-m [\w.]*train\b)/;

export const DETECTORS: readonly Detector[] = [
  {
    id: "self-assessment",
    rule: `The repository has a self-assessment at \`${ASSESSMENT_FILE}\`.`,
    detect: (view) =>
      view.entries.has(ASSESSMENT_FILE)
        ? { summary: `self-assessment in \`${ASSESSMENT_FILE}\``, paths: [ASSESSMENT_FILE] }
        : undefined,
  },
  {
    id: "gates-config",
    rule: `\`${GATES_FILE}\` parses as YAML and declares \`kpis\` or \`conformity\`: release KPIs are written down.`,
    detect: (view) => {
      const config = gatesConfig(view);
      if (!config || !("kpis" in config || "conformity" in config)) return undefined;
      return { summary: `release gates declared in \`${GATES_FILE}\``, paths: [GATES_FILE] };
    },
  },
  {
    id: "cabc-conformity",
    rule: `\`${GATES_FILE}\` has a \`conformity\` section: CABC dimensions, requirements and metrics with thresholds.`,
    detect: (view) =>
      gatesConfig(view)?.conformity !== undefined
        ? { summary: `CABC conformity thresholds in \`${GATES_FILE}\``, paths: [GATES_FILE] }
        : undefined,
  },
  {
    id: "fairness-gates",
    rule: `\`${GATES_FILE}\` mentions fairness, bias or parity (a dimension, requirement or KPI name).`,
    detect: (view) =>
      /fairness|\bbias\b|parity|disparate|equalized.odds/i.test(view.files.get(GATES_FILE) ?? "")
        ? { summary: `fairness gates in \`${GATES_FILE}\``, paths: [GATES_FILE] }
        : undefined,
  },
  {
    id: "gates-on-pull-requests",
    rule: "A workflow triggered by `pull_request` (or `pull_request_target`, `merge_group`) runs the mlgate Action or `mlgate check`.",
    detect: (_view, workflows) => {
      const paths = workflows
        .filter((workflow) => runsMlgate(workflow))
        .filter((workflow) =>
          ["pull_request", "pull_request_target", "merge_group"].some((event) =>
            workflow.triggers.has(event),
          ),
        )
        .map((workflow) => workflow.path);
      return paths.length
        ? { summary: `gates run on every pull request (${listOf(paths)})`, paths }
        : undefined;
    },
  },
  {
    id: "scheduled-gates",
    rule: "A workflow with a `schedule` trigger runs the mlgate Action or `mlgate check` (drift and data gates between releases).",
    detect: (_view, workflows) => {
      const paths = workflows
        .filter((workflow) => runsMlgate(workflow) && workflow.triggers.has("schedule"))
        .map((workflow) => workflow.path);
      return paths.length ? { summary: `scheduled gates (${listOf(paths)})`, paths } : undefined;
    },
  },
  {
    id: "gate-verdict",
    rule: "The App has recorded an mlgate report from a completed gate run of this repository.",
    detect: (view) =>
      view.gate
        ? {
            summary: `latest gate run on ${view.gate.commit.slice(0, 7)}: ${view.gate.status}`,
            paths: [],
          }
        : undefined,
  },
  {
    id: "dvc",
    rule: "DVC tracks data: `dvc.yaml`, a `.dvc` folder or `*.dvc` files at the top two levels.",
    detect: (view) => {
      const paths = [...view.entries.keys()].filter(
        (path) => path === "dvc.yaml" || path === ".dvc" || path.endsWith(".dvc"),
      );
      return paths.length
        ? { summary: `data versioned with DVC (${listOf(paths.slice(0, 3))})`, paths }
        : undefined;
    },
  },
  {
    id: "dvc-pipeline",
    rule: "`dvc.yaml` declares `stages`: data preparation and training are a reproducible pipeline.",
    detect: (view) => {
      const text = view.files.get("dvc.yaml");
      if (text === undefined) return undefined;
      try {
        const value = parse(text, { maxAliasCount: MAX_YAML_ALIAS_COUNT }) as { stages?: unknown } | null;
        const stages = value?.stages;
        if (typeof stages !== "object" || stages === null || Object.keys(stages).length === 0)
          return undefined;
        return {
          summary: `a DVC pipeline of ${Object.keys(stages).length} stage(s) in \`dvc.yaml\``,
          paths: ["dvc.yaml"],
        };
      } catch {
        return undefined;
      }
    },
  },
  {
    id: "experiment-tracking",
    rule: "Experiments are tracked: an `MLproject` file or `mlruns/` folder, or mlflow, wandb, dvclive, neptune, clearml, aim or comet_ml among the dependencies.",
    detect: (view) => {
      const paths = [
        ...present(view, ["MLproject", "mlruns", "wandb", "dvclive"]),
        ...dependencyFilesNaming(view, [
          "mlflow",
          "wandb",
          "dvclive",
          "neptune",
          "clearml",
          "aim",
          "comet_ml",
          "comet-ml",
        ]),
      ];
      return paths.length ? { summary: `experiment tracking (${listOf(paths)})`, paths } : undefined;
    },
  },
  {
    id: "data-tests",
    rule: "Data is tested: a `great_expectations/` or `gx/` folder, or great_expectations, pandera, deepchecks, evidently or soda among the dependencies.",
    detect: (view) => {
      const paths = [
        ...present(view, ["great_expectations", "gx", "tests/data"]),
        ...dependencyFilesNaming(view, [
          "great_expectations",
          "great-expectations",
          "pandera",
          "deepchecks",
          "evidently",
          "soda-core",
        ]),
      ];
      return paths.length ? { summary: `data tests (${listOf(paths)})`, paths } : undefined;
    },
  },
  {
    id: "model-card",
    rule: "A model card: `MODEL_CARD.md`, `model_card.md`, or a `README.md` whose front matter (a `---` block at the very top, closed within its first 64 KiB) has `model-index` (Hugging Face).",
    detect: (view) => {
      const paths = present(view, ["MODEL_CARD.md", "model_card.md"]);
      if (hasModelIndex(view.files.get("README.md") ?? "")) paths.push("README.md");
      return paths.length ? { summary: `model card (${listOf(paths)})`, paths } : undefined;
    },
  },
  {
    id: "ci-tests",
    rule: "CI runs tests: a workflow step runs pytest, tox, nox, unittest, `npm test`, `make test` or another test runner.",
    detect: (_view, workflows) => {
      const paths = workflows
        .filter((workflow) => workflow.runs.some((run) => TEST_COMMAND.test(run)))
        .map((w) => w.path);
      return paths.length ? { summary: `tests run in CI (${listOf(paths)})`, paths } : undefined;
    },
  },
  {
    id: "training-in-ci",
    rule: "CI trains: a workflow step runs `dvc repro`, `dvc exp run`, `mlflow run`, a `train.py` or a `train` module.",
    detect: (_view, workflows) => {
      const paths = workflows
        .filter((workflow) => workflow.runs.some((run) => TRAIN_COMMAND.test(run)))
        .map((w) => w.path);
      return paths.length ? { summary: `training runs in CI (${listOf(paths)})`, paths } : undefined;
    },
  },
  {
    id: "release-workflow",
    rule: "Releases are automated: a workflow is triggered by `release`, `deployment` or a tag push (`on.push.tags` or `tags-ignore`), or uses a deploy action.",
    detect: (_view, workflows) => {
      const paths = workflows
        .filter(
          (workflow) =>
            workflow.triggers.has("release") ||
            workflow.triggers.has("deployment") ||
            workflow.tagPushes ||
            workflow.uses.some((uses) => /deploy|release/i.test(uses)),
        )
        .map((workflow) => workflow.path);
      return paths.length ? { summary: `automated releases (${listOf(paths)})`, paths } : undefined;
    },
  },
  {
    id: "no-ci",
    rule: "No CI at all: no workflow in `.github/workflows`, no `.gitlab-ci.yml`, no `Jenkinsfile`.",
    // By name: a workflow that was not read (too large, past the scoring budget) or does not parse is CI too.
    detect: (view) =>
      ![...view.entries].some(([path, kind]) => kind === "file" && isWorkflowFile(path)) &&
      present(view, [".gitlab-ci.yml", "Jenkinsfile"]).length === 0
        ? { summary: "no CI configuration found", paths: [] }
        : undefined,
  },
];

/** Runs every detector on a repository view. */
export function detectEvidence(view: RepositoryView): { findings: Finding[]; unreadableWorkflows: string[] } {
  const { workflows, unreadable } = workflowsOf(view);
  const findings: Finding[] = [];
  for (const detector of DETECTORS) {
    const found = detector.detect(view, workflows);
    if (found) findings.push({ detector: detector.id, ...found });
  }
  return { findings, unreadableWorkflows: unreadable };
}
