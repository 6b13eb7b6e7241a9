// Files a pull request writes to stall the maturity detectors: scoring time grows linearly with their size
// (N against 4N; a regular expression that rescans from every line grows 16-fold), the evidence is still
// read right (a tag push from the parsed workflow, model-index from bounded front matter), and past the
// scoring budget the largest files are judged by name only, in the CLI as in the App's core.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { assessRepository } from "../../src/maturity/assess.js";
import { MAX_SCORED_BYTES } from "../../src/maturity/budget.js";
import { BUILTIN_FRAMEWORKS } from "../../src/maturity/catalogs/index.js";
import { MAX_FRONT_MATTER_CHARS } from "../../src/maturity/detectors.js";
import type { RepositoryView } from "../../src/maturity/view.js";
import { runCli } from "../support/cli.js";

type Files = Record<string, string>;

/** A repository holding `files`, listed as the App and the CLI list it. */
function viewOf(files: Files): RepositoryView {
  const entries = new Map<string, "file" | "dir">();
  for (const path of Object.keys(files)) {
    entries.set(path, "file");
    for (let at = path.indexOf("/"); at > 0; at = path.indexOf("/", at + 1))
      entries.set(path.slice(0, at), "dir");
  }
  return { entries, files: new Map(Object.entries(files)) };
}

const assess = (files: Files) => assessRepository(viewOf(files), BUILTIN_FRAMEWORKS).snapshot;
const found = (files: Files, detector: string) =>
  assess(files).findings.find((finding) => finding.detector === detector)?.paths;

/** The fastest of three runs in ms: a loaded machine slows runs down, never speeds one up. */
function fastest(run: () => void): number {
  let best = Infinity;
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
    if (best > 1_000) break; // slow enough to tell; no need to wait for two more
  }
  return best;
}

/** Below this, timings are noise: a 0.2 ms run against a 1 ms one says nothing about growth. */
const NOISE_MS = 5;
const N = 32 * 1024;

const WORKFLOW = ".github/workflows/ci.yml";
const PR_WORKFLOW =
  "on: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n";

const HOSTILE: Array<[string, (size: number) => Files]> = [
  // `^\s*tags\s*:` (multiline): from every line start, `\s*` ran over all the blank lines after it.
  ["a workflow followed by blank lines", (size) => ({ [WORKFLOW]: `${PR_WORKFLOW}${"\n".repeat(size)}` })],
  [
    "a workflow followed by lines of spaces",
    (size) => ({ [WORKFLOW]: `${PR_WORKFLOW}${"  \n".repeat(size / 3)}` }),
  ],
  // `^---\r?\n[\s\S]*?^model[-_]index:` (multiline): from every `---` line, a scan to the end.
  ["a README of --- lines", (size) => ({ "README.md": "---\n".repeat(size / 4) })],
  ["a README of --- lines with CRLF", (size) => ({ "README.md": "---\r\n".repeat(size / 5) })],
  [
    "a README whose front matter never closes",
    (size) => ({ "README.md": `---\n${"a: b\n".repeat(size / 5)}` }),
  ],
  [
    "dependency files of names that are almost a tracked package",
    (size) => ({
      "requirements.txt": "mlflow-skinny\n".repeat(size / 14),
      "pyproject.toml": ".wandb ".repeat(size / 7),
    }),
  ],
  ["a gates config of blank lines", (size) => ({ ".github/mlgate.yml": `version: 1\n${"\n".repeat(size)}` })],
];

describe("scoring files written to stall it", () => {
  it.each(HOSTILE)("%s: time grows linearly with the size", (_name, make) => {
    const small = make(N);
    const large = make(4 * N);
    assess(small); // warm up
    const smallMs = fastest(() => assess(small));
    const largeMs = fastest(() => assess(large));
    // Linear is 4, quadratic 16; a loaded CI machine needs room.
    expect(largeMs / Math.max(smallMs, NOISE_MS)).toBeLessThan(8);
    expect(largeMs).toBeLessThan(3_000);
  });
});

describe("evidence from parsed YAML and bounded front matter", () => {
  const releaseWorkflow = (on: string) => ({
    [WORKFLOW]: `${on}\njobs:\n  build:\n    runs-on: x\n    steps:\n      - run: make\n`,
  });

  it.each([
    ["on:\n  push:\n    tags: ['v*']", true],
    ["on:\n  push:\n    tags-ignore: [nightly]", true],
    ["on:\n  push:\n    tags:", true],
    ["on: [push]\n# tags: v*", false],
    ["on:\n  push:\n    branches: [main]\nenv:\n  tags: v1", false],
    ["on:\n  pull_request:\n    tags: ['v*']", false],
  ])("a workflow with %j is a tag-push release: %s", (on, release) => {
    expect(found(releaseWorkflow(on), "release-workflow")).toEqual(release ? [WORKFLOW] : undefined);
  });

  it("does not count a `tags:` input of a step as a tag push", () => {
    const files = {
      [WORKFLOW]:
        "on: [push]\njobs:\n  image:\n    runs-on: x\n    steps:\n      - uses: docker/metadata-action@v5\n        with:\n          tags: type=sha\n",
    };
    expect(found(files, "release-workflow")).toBeUndefined();
  });

  it.each<[string, boolean, string]>([
    ["model-index front matter", true, "---\nlanguage: en\nmodel-index:\n  - name: m\n---\n# Model\n"],
    [
      "the 2021 model_index, a byte order mark and CRLF",
      true,
      "\uFEFF---\r\nmodel_index:\r\n  - name: m\r\n---\r\n",
    ],
    [
      "model-index only below the closed front matter",
      false,
      "---\nlanguage: en\n---\n# Model\n\n---\nmodel-index:\n  - name: m\n",
    ],
    [
      "model-index after a rule in a README without front matter",
      false,
      "# Model\n\n---\nmodel-index:\n  - name: m\n---\n",
    ],
    [
      "model-index inside a block scalar of the front matter",
      false,
      "---\ndescription: |\n  model-index: no\n---\n",
    ],
    ["front matter that never closes", false, "---\nmodel-index:\n  - name: m\n"],
    [
      `front matter closing past the first ${MAX_FRONT_MATTER_CHARS / 1024} KiB`,
      false,
      `---\nmodel-index:\n  - name: m\nnotes: |\n${"  padding\n".repeat(MAX_FRONT_MATTER_CHARS / 10)}---\n`,
    ],
  ])("a README with %s is a model card: %s", (_name, card, readme) => {
    expect(found({ "README.md": readme }, "model-card")).toEqual(card ? ["README.md"] : undefined);
  });

  it.each([
    ["mlflow==2.9.1", true],
    ["MLflow>=2", true],
    ["import mlflow.tracking", true],
    ["mlflow-skinny==2.9", false],
    ["my-mlflow", false],
    ["docs.mlflow", false],
  ])("requirements.txt with %j names mlflow: %s", (line, named) => {
    expect(found({ "requirements.txt": `numpy\n${line}\n` }, "experiment-tracking")).toEqual(
      named ? ["requirements.txt"] : undefined,
    );
  });

  it("counts a workflow that does not parse as CI, not as no CI at all", () => {
    const paths = (files: Files) => assess(files).findings.map((finding) => finding.detector);
    expect(paths({ [WORKFLOW]: "on: [push\njobs: {" })).not.toContain("no-ci");
    expect(paths({ "train.py": "" })).toContain("no-ci");
  });
});

describe(`the scoring budget (${MAX_SCORED_BYTES / 1024 / 1024} MiB per repository)`, () => {
  // Six workflows of 450 KiB each (a tag trigger, then one long comment line), and two small files.
  const bulky = (index: number) =>
    `on:\n  push:\n    tags: ['v${index}']\njobs: {}\n#`.padEnd(450 * 1024, "x");
  const files: Files = {
    ".github/mlops-maturity.yml": "assessedAt: 2026-11-02\ntopics:\n  data-scientists: 2\n",
    [WORKFLOW]: PR_WORKFLOW,
    ...Object.fromEntries(
      [1, 2, 3, 4, 5, 6].map((index) => [`.github/workflows/bulk-${index}.yml`, bulky(index)]),
    ),
  };

  it("scores the smallest files first and names the rest, which still count by name", () => {
    const snapshot = assess(files);
    // 2 MiB holds the two small files and four of the six bulky ones; the last two by name are left out.
    expect(snapshot.unscoredFiles).toEqual([".github/workflows/bulk-5.yml", ".github/workflows/bulk-6.yml"]);
    expect(snapshot.assessedAt).toBe("2026-11-02");
    const detectors = snapshot.findings.map((finding) => finding.detector);
    expect(detectors).toContain("ci-tests");
    expect(detectors).not.toContain("no-ci");
    expect(snapshot.findings.find((finding) => finding.detector === "release-workflow")?.paths).toHaveLength(
      4,
    );
  });

  it("leaves a repository under the budget as it is, with no unscoredFiles", () => {
    expect(assess({ [WORKFLOW]: PR_WORKFLOW })).not.toHaveProperty("unscoredFiles");
  });

  it("`mlgate maturity` names the files past the budget", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlgate-budget-"));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, dirname(path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const result = await runCli(["maturity", "--cwd", dir]);
    expect(result.stdout).toContain(
      "Files past the 2 MiB scoring budget, judged by their names only: .github/workflows/bulk-5.yml, .github/workflows/bulk-6.yml",
    );
    const json = JSON.parse((await runCli(["maturity", "--cwd", dir, "--format", "json"])).stdout) as {
      unscoredFiles?: string[];
    };
    expect(json.unscoredFiles).toEqual([".github/workflows/bulk-5.yml", ".github/workflows/bulk-6.yml"]);
    rmSync(dir, { recursive: true });
  });
});
