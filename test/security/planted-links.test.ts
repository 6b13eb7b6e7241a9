// Every path a reader opens, planted with what a pull request can commit or a step can leave there: a
// link to a file outside the working directory holding a canary, a link to a directory outside, a FIFO.
// The paths are not listed by hand: a ContainedFs records what each format opens while it reads a real
// fixture, so a reader that opens something new is covered as soon as it does. `mlgate check` and
// `mlgate inspect` then run on each planted copy: no canary in any output, every access to the planted
// path refused, nothing hangs, and the answer is the same whatever the outside file holds.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ContainedFs, type Access } from "../../src/files/contained-fs.js";
import { Report } from "../../src/report/model.js";
import { renderReport } from "../../src/report/index.js";
import { readFileSource } from "../../src/sources/file.js";
import type { SourceDocument } from "../../src/sources/types.js";
import { runCli } from "../support/cli.js";

const FIXTURES = new URL("../../fixtures/", import.meta.url).pathname;
const CANARY_NUMBER = "0.8675309";
const CANARY_WORD = "canary8675309";
const CANARY = /8675309/;
/** A CLI run on a loaded machine, not a wait on a FIFO that nobody writes to. */
const PROMPT_MS = 5_000;

interface Case {
  /** What is copied into the working directory: a fixture directory's content, or single files. */
  from: string;
  /** The source's `file:` in that copy. */
  file: string;
}

const TREES: Record<string, Case> = {
  "a dvc.yaml with params, vars, foreach, matrix and a metrics directory": {
    from: "formats/dvc/synthetic_templated",
    file: "dvc.yaml",
  },
  "a dvc.yaml in a subdirectory with its params.yaml": {
    from: "formats/dvc/synthetic_pipeline-in-subdirectory",
    file: "pipelines/evaluate/dvc.yaml",
  },
  "a DVCLive directory": { from: "formats/dvc/synthetic_dvclive-experiment", file: "dvclive" },
  "a DVCLive 0.x directory": { from: "formats/dvc/synthetic_dvclive-v0", file: "dvclive" },
  "an MLflow tracking directory": { from: "formats/mlflow/synthetic_mlflow3", file: "mlruns" },
};

const SINGLE_FILES = [
  "formats/evidently/synthetic_report_v0.7_with-tests.json",
  "formats/great-expectations/synthetic_gx1_suite_validation_result_crlf.json",
  "formats/huggingface/whisper-ja-5k_eval_results.json",
  "formats/huggingface/modelcard_trainer-generated_distilbert-emotion.README.md",
  "formats/junit/synthetic_failures_junit.xml",
  "formats/lm-eval/lm-eval-v0.4_rwkv7-0.1B_lambada_results.json",
  "formats/sklearn/synthetic_multiclass_classification_report.json",
  "formats/wandb/synthetic_quirks_wandb-summary.json",
  "formats/fairness/credit-scoring-shap_fairlearn_fairness_metrics.csv",
  "example/reports/metrics.json",
  "example/reports/fairness.csv",
];

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** A fresh working directory holding the case's files. */
function project(from: string): string {
  const dir = tempDir("mlgate-planted-");
  const source = join(FIXTURES, from);
  if (lstatSync(source).isDirectory()) cpSync(source, dir, { recursive: true });
  else cpSync(source, join(dir, basename(source)));
  return dir;
}

/** Every path (relative to the root) the reader opened, listed or looked at, as it read the source. */
async function pathsOpened(cwd: string, file: string): Promise<{ paths: string[]; doc: SourceDocument }> {
  const accesses: Access[] = [];
  const files = await ContainedFs.open(cwd, { onAccess: (access) => accesses.push(access) });
  const doc = await readFileSource({ kind: "file", name: "planted", file }, files);
  const paths = [...new Set(accesses.map((access) => access.path))].filter(
    // The root is the caller's to choose; a path under a missing directory has nowhere to be planted.
    (path) => path !== "." && existsSync(dirname(join(cwd, path))),
  );
  return { paths: paths.sort(), doc };
}

/** A config gating every numeric measurement the pristine read found, so each value is rendered. */
function configFor(file: string, doc: SourceDocument): string {
  const names = (doc.measurements ?? [])
    .filter((measurement) => typeof measurement.value === "number")
    .map((measurement) => measurement.name);
  const paths = names.length > 0 ? names : numericLeaves(doc.data);
  const kpis = paths
    .slice(0, 60)
    .map((path, index) => `  g${index}: { source: planted, path: ${JSON.stringify(path)}, gte: 0 }`);
  return [
    "version: 1",
    "sources:",
    `  planted: { file: ${JSON.stringify(file)} }`,
    "kpis:",
    ...kpis,
    "",
  ].join("\n");
}

function numericLeaves(data: unknown, pointer = ""): string[] {
  if (typeof data === "number" || (typeof data === "string" && /^-?\d+(\.\d+)?$/.test(data)))
    return [pointer];
  if (data === null || typeof data !== "object") return [];
  return Object.entries(data).flatMap(([key, value]) =>
    numericLeaves(value, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`),
  );
}

/** The same text with every decimal number the canary: whatever a reader takes from it shows the canary. */
function canaried(text: string): string {
  const replaced = text.replace(/\d+\.\d+/g, CANARY_NUMBER);
  return replaced === text ? `${CANARY_WORD}\n` : replaced;
}

function canariedCopy(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) canariedCopy(join(from, entry.name), join(to, entry.name));
    else if (entry.isFile())
      writeFileSync(join(to, entry.name), canaried(readFileSync(join(from, entry.name), "utf8")));
  }
}

type Plant = "a link to a file outside" | "a link to a directory outside" | "a FIFO";
const PLANTS: readonly Plant[] = ["a link to a file outside", "a link to a directory outside", "a FIFO"];

/** A copy of `pristine` with `plant` at `path`, and the outside file a file link leads to. */
function planted(pristine: string, path: string, plant: Plant): { cwd: string; outsideFile: string } {
  const top = tempDir("mlgate-plant-");
  const cwd = join(top, "project");
  cpSync(pristine, cwd, { recursive: true });
  const outside = join(top, "outside");
  mkdirSync(outside);
  const original = join(pristine, path);
  const kind = existsSync(original) ? (lstatSync(original).isDirectory() ? "directory" : "file") : "none";
  const outsideFile = join(outside, "target-file");
  writeFileSync(
    outsideFile,
    kind === "file" ? canaried(readFileSync(original, "utf8")) : `${CANARY_WORD}: ${CANARY_NUMBER}\n`,
  );
  const outsideDir = join(outside, "target-dir");
  if (kind === "directory") canariedCopy(original, outsideDir);
  else {
    mkdirSync(outsideDir);
    writeFileSync(join(outsideDir, basename(path)), readFileSync(outsideFile));
  }
  const at = join(cwd, path);
  rmSync(at, { recursive: true, force: true });
  if (plant === "a FIFO") execFileSync("mkfifo", [at]);
  else symlinkSync(plant === "a link to a file outside" ? outsideFile : outsideDir, at);
  return { cwd, outsideFile };
}

/** What a user sees of `mlgate check` (text, markdown, the JSON report) and of `mlgate inspect`. */
async function everythingShown(cwd: string, file: string, config: string): Promise<string> {
  writeFileSync(join(dirname(cwd), "mlgate.yml"), config);
  const shown: string[] = [];
  const started = performance.now();
  // Outside the working directory, as the user's own absolute choice.
  const reportFile = join(dirname(cwd), "report.json");
  const check = await runCli(
    [
      "check",
      "--config",
      join(dirname(cwd), "mlgate.yml"),
      "--cwd",
      cwd,
      "--format",
      "json",
      "--output",
      reportFile,
    ],
    { cwd },
  );
  shown.push(check.stdout, check.stderr);
  // The gates ran, whatever they found: the report is there to search.
  expect([0, 1], check.stderr).toContain(check.code);
  const json = readFileSync(reportFile, "utf8");
  shown.push(json, renderReport(Report.parse(JSON.parse(json)), "markdown"));
  rmSync(reportFile);
  // JSON: every name, value and message whole (the text listing cuts long values).
  const inspect = await runCli(["inspect", file, "--output", "json"], { cwd });
  shown.push(inspect.stdout, inspect.stderr);
  expect(performance.now() - started).toBeLessThan(PROMPT_MS);
  return shown.join("\n");
}

/** Every access at `path` or below it was refused: nothing there was opened, listed or looked into. */
async function expectRefused(cwd: string, file: string, path: string): Promise<void> {
  const accesses: Access[] = [];
  const files = await ContainedFs.open(cwd, { onAccess: (access) => accesses.push(access) });
  await readFileSource({ kind: "file", name: "planted", file }, files).catch(() => undefined);
  const there = accesses.filter((access) => access.path === path || access.path.startsWith(`${path}/`));
  expect(there.filter((access) => access.refused === undefined)).toEqual([]);
}

async function expectNothingShown(
  pristine: string,
  file: string,
  config: string,
  path: string,
  plant: Plant,
): Promise<void> {
  const { cwd, outsideFile } = planted(pristine, path, plant);
  const shown = await everythingShown(cwd, file, config);
  expect({ path, plant, canary: CANARY.exec(shown)?.[0] }).toEqual({ path, plant, canary: undefined });
  await expectRefused(cwd, file, path);
  if (plant !== "a link to a file outside") return;
  // The genuine file outside instead of the canary: a reader that followed the link would now read the
  // fixture's own values. The answer must not change by a single character.
  const original = join(pristine, path);
  writeFileSync(
    outsideFile,
    existsSync(original) && lstatSync(original).isFile() ? readFileSync(original) : "accuracy: 0.9\n",
  );
  expect({ path, shown: await everythingShown(cwd, file, config) }).toEqual({ path, shown });
}

const CASES: [string, Case][] = [
  ...Object.entries(TREES),
  ...SINGLE_FILES.map((from): [string, Case] => [
    `a single file, ${basename(from)}`,
    { from, file: basename(from) },
  ]),
];

describe("a link or a FIFO planted at any path a reader opens", () => {
  it.each(CASES)(
    "%s: refused, no canary in any output, nothing hangs, and the answer does not depend on the outside file",
    async (_name, { from, file }) => {
      const pristine = project(from);
      const { paths, doc } = await pathsOpened(pristine, file);
      expect(paths.length).toBeGreaterThan(0);
      const config = configFor(file, doc);
      // Paths and their plants in their own copies, a few at a time: the runs wait on files, not the CPU.
      const runs = paths.flatMap((path) => PLANTS.map((plant) => ({ path, plant })));
      for (let start = 0; start < runs.length; start += 8) {
        await Promise.all(
          runs
            .slice(start, start + 8)
            .map(({ path, plant }) => expectNothingShown(pristine, file, config, path, plant)),
        );
      }
    },
    120_000,
  );
});
