// MLflow's file store read the way MLflow reads it: each metric's latest value (largest step, then
// timestamp, then value) with its history, params and tags as text, and the run an experiment or tracking
// directory stands for. Values are checked against the files themselves, parsed here independently.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../../src/errors.js";
import { ContainedFs } from "../../../src/files/contained-fs.js";
import { mlflowFormat, parseMetricFile } from "../../../src/sources/formats/mlflow.js";
import { sklearnFormat } from "../../../src/sources/formats/sklearn.js";
import type { ToolMeasurement } from "../../../src/sources/formats/tool.js";
import type { TreeReadOptions, TreeReading } from "../../../src/sources/formats/tree.js";
import { runCli } from "../../support/cli.js";

const FIXTURES = new URL("../../../fixtures/formats/mlflow/", import.meta.url).pathname;
const PACKT = join(FIXTURES, "packt-dl-at-scale-ch08/mlruns/1");
const TRAINING_RUN = "d01fc81e11e842f5b9556ae04136c0d3";
const INFERENCE_RUN = "dc5f670efa1a4eac95683633ffcfdd79";

const read = async (path: string, options: Partial<TreeReadOptions> = {}): Promise<TreeReading> =>
  mlflowFormat.read(path, {
    origin: relative(FIXTURES, path) || ".",
    files: await ContainedFs.open(FIXTURES),
    ...options,
  });

/** Does format: mlflow claim `path` (below `root`) when a source names no format? */
const detect = async (root: string, path: string, kind: "file" | "directory"): Promise<boolean> =>
  mlflowFormat.detect(path, kind, await ContainedFs.open(root));

function byName(reading: TreeReading): Map<string, ToolMeasurement> {
  return new Map(reading.measurements.map((measurement) => [measurement.name, measurement]));
}

/** Files below `dir`, relative, with forward slashes. */
function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}

/** MLflow's own rule, written out here from its FileStore: max by (step, timestamp, value) over distinct lines. */
function expectedLatest(text: string): number {
  const points = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => line.trim().split(" "))
    .map(([ts, value, step]) => ({ ts: Number(ts), value: Number(value), step: Number(step ?? 0) }));
  points.sort((a, b) => a.step - b.step || a.ts - b.ts || a.value - b.value);
  return (points.at(-1) as { value: number }).value;
}

/** A whole run checked against its own files: every metric, param and tag, nothing more. */
function expectRunMatchesFiles(reading: TreeReading, runDir: string): void {
  const measured = byName(reading);
  const expected: string[] = [
    "run/id",
    "run/name",
    "run/status",
    "run/experiment_id",
    "run/start_time",
    "run/end_time",
  ];
  for (const key of filesBelow(join(runDir, "metrics"))) {
    const text = readFileSync(join(runDir, "metrics", key), "utf8");
    const measurement = measured.get(`metrics/${key}`);
    expect(measurement?.value, `metrics/${key}`).toBe(expectedLatest(text));
    const distinct = new Set(text.split(/\r?\n/).filter((line) => line.trim() !== ""));
    expect(measurement?.history?.length, `history of ${key}`).toBe(distinct.size);
    expected.push(`metrics/${key}`);
  }
  for (const folder of ["params", "tags"]) {
    for (const key of filesBelow(join(runDir, folder))) {
      expect(measured.get(`${folder}/${key}`)).toEqual({
        name: `${folder}/${key}`,
        value: readFileSync(join(runDir, folder, key), "utf8"),
        text: true,
      });
      expected.push(`${folder}/${key}`);
    }
  }
  expect([...measured.keys()].sort()).toEqual(expected.sort());
  const meta = readFileSync(join(runDir, "meta.yaml"), "utf8");
  expect(measured.get("run/id")?.value).toBe(/^run_id: (\w+)$/m.exec(meta)?.[1]);
  expect(measured.get("run/start_time")?.value).toBe(Number(/^start_time: (\d+)$/m.exec(meta)?.[1]));
}

/** A scratch tracking directory; `runs` are written as MLflow's FileStore writes them. */
interface RunSpec {
  id: string;
  name?: string;
  status?: number;
  start: number;
  stage?: "active" | "deleted";
  metrics?: Record<string, string>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

function trackingDir(experiments: Record<string, { name: string; runs: RunSpec[] }>): string {
  const root = mkdtempSync(join(tmpdir(), "mlgate-mlflow-"));
  const mlruns = join(root, "mlruns");
  for (const [id, experiment] of Object.entries(experiments)) {
    const dir = join(mlruns, id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "meta.yaml"),
      `artifact_location: file://${dir}\ncreation_time: 1700000000000\nexperiment_id: '${id}'\nlifecycle_stage: active\nname: ${experiment.name}\n`,
    );
    for (const run of experiment.runs) {
      const runDir = join(dir, run.id);
      mkdirSync(runDir, { recursive: true });
      writeFileSync(
        join(runDir, "meta.yaml"),
        [
          `artifact_uri: file://${runDir}/artifacts`,
          `end_time: ${run.start + 1000}`,
          `experiment_id: '${id}'`,
          `lifecycle_stage: ${run.stage ?? "active"}`,
          `run_id: ${run.id}`,
          `run_name: ${run.name ?? "''"}`,
          `start_time: ${run.start}`,
          `status: ${run.status ?? 3}`,
          "tags: []",
          "",
        ].join("\n"),
      );
      for (const [folder, files] of Object.entries({
        metrics: run.metrics,
        params: run.params,
        tags: run.tags,
      })) {
        for (const [key, text] of Object.entries(files ?? {})) {
          const path = join(runDir, folder, ...key.split("/"));
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, text);
        }
      }
    }
  }
  return root;
}

const readTracking = async (root: string, path: string, options: Partial<TreeReadOptions> = {}) =>
  mlflowFormat.read(join(root, path), { origin: path, files: await ContainedFs.open(root), ...options });

describe("an MLflow run directory", () => {
  it("reads every metric's latest value with its history, and params and tags as written", async () => {
    const runDir = join(PACKT, TRAINING_RUN);
    const reading = await read(runDir);
    expectRunMatchesFiles(reading, runDir);
    const measured = byName(reading);
    // The history is every logged point, oldest first; `*_step` ends on 1.0 after 0.75 and 0.5.
    expect(measured.get("metrics/train_f1_step")).toEqual({
      name: "metrics/train_f1_step",
      value: 1,
      history: [
        { step: 0, value: 0.75, timestamp: 1647564216827 },
        { step: 1, value: 0.5, timestamp: 1647564346627 },
        { step: 2, value: 1, timestamp: 1647564480197 },
      ],
    });
    // Python reprs stay text: a gate compares them as written.
    expect(measured.get("params/betas")?.value).toBe("(0.9, 0.999)");
    expect(measured.get("params/optimizer")?.value).toBe("<class 'torch.optim.adam.Adam'>");
    expect(measured.get("run/status")).toMatchObject({ value: "FINISHED", verdict: "pass" });
  });

  it("offers JSON Pointers into the run, histories included", async () => {
    const reading = await read(join(PACKT, TRAINING_RUN));
    const data = reading.data as {
      metrics: Record<string, number>;
      history: Record<string, { value: number }[]>;
      params: Record<string, string>;
    };
    expect(data.metrics["val_f1"]).toBe(byName(reading).get("metrics/val_f1")?.value);
    expect(data.history["train_f1_step"]?.map((point) => point.value)).toEqual([0.75, 0.5, 1]);
    expect(data.params["epochs"]).toBe("3");
  });

  it("is found from the run's meta.yaml too, and detected from its shape", async () => {
    const fromMeta = await read(join(PACKT, TRAINING_RUN, "meta.yaml"));
    expect(byName(fromMeta).get("run/id")?.value).toBe(TRAINING_RUN);
    expect(await detect(FIXTURES, join(PACKT, TRAINING_RUN), "directory")).toBe(true);
    expect(await detect(FIXTURES, PACKT, "directory")).toBe(true);
    expect(await detect(FIXTURES, join(PACKT, TRAINING_RUN, "meta.yaml"), "file")).toBe(true);
    expect(await detect(FIXTURES, join(PACKT, TRAINING_RUN, "metrics"), "directory")).toBe(false);
    expect(await detect(FIXTURES, join(PACKT, TRAINING_RUN, "params", "epochs"), "file")).toBe(false);
  });
});

describe("an MLflow experiment directory", () => {
  it("stands for its latest run; a run is chosen by id or by the mlflow.runName tag", async () => {
    expect(byName(await read(PACKT)).get("run/id")?.value).toBe(INFERENCE_RUN);
    expect(byName(await read(PACKT, { run: { id: TRAINING_RUN } })).get("run/id")?.value).toBe(TRAINING_RUN);
    const root = trackingDir({
      "1": {
        name: "churn",
        runs: [
          { id: "a".repeat(32), start: 1000, tags: { "mlflow.runName": "nightly", stage: "release" } },
          { id: "b".repeat(32), start: 2000, tags: { "mlflow.runName": "nightly" } },
          { id: "c".repeat(32), name: "adhoc", start: 3000 },
        ],
      },
    });
    const chosen = async (run: TreeReadOptions["run"]) =>
      byName(await readTracking(root, "mlruns/1", run ? { run } : {})).get("run/id")?.value;
    expect(await chosen(undefined)).toBe("c".repeat(32));
    expect(await chosen({ name: "nightly" })).toBe("b".repeat(32));
    expect(await chosen({ name: "nightly", tags: { stage: "release" } })).toBe("a".repeat(32));
  });

  it("refuses a selector no run matches, listing the runs there", async () => {
    const error = await readError(read(PACKT, { run: { name: "nightly" } }));
    expect(error.code).toBe("source.not-found");
    expect(error.message).toBe(
      'no run in MLflow experiment "dl_model_chapter08" (packt-dl-at-scale-ch08/mlruns/1) is named "nightly"',
    );
    expect(error.hint).toContain(`${INFERENCE_RUN} FINISHED, ${TRAINING_RUN} FINISHED`);
  });

  it("does not read an unfinished latest run, nor fall back to an older one that would pass", async () => {
    const root = trackingDir({
      "1": {
        name: "churn",
        runs: [
          { id: "a".repeat(32), start: 1000, metrics: { auc: "1 0.91 0\n" } },
          { id: "b".repeat(32), name: "retrain", start: 2000, status: 4, metrics: { auc: "2 0.42 0\n" } },
        ],
      },
    });
    const error = await readError(readTracking(root, "mlruns/1"));
    expect(error.message).toBe(
      `the latest run in MLflow experiment "churn" (mlruns/1), "retrain" (${"b".repeat(32)}), is FAILED, not FINISHED`,
    );
    expect(error.hint).toContain(`run: { id: ${"b".repeat(32)} }`);
    // Chosen explicitly, a failed run is read, and says so in its own verdict.
    const failed = byName(await readTracking(root, "mlruns/1", { run: { id: "b".repeat(32) } }));
    expect(failed.get("run/status")).toMatchObject({ value: "FAILED", verdict: "fail" });
    expect(failed.get("metrics/auc")?.value).toBe(0.42);
  });

  it("leaves deleted runs out", async () => {
    const root = trackingDir({
      "1": {
        name: "churn",
        runs: [
          { id: "a".repeat(32), start: 1000 },
          { id: "b".repeat(32), start: 2000, stage: "deleted" },
        ],
      },
    });
    expect(byName(await readTracking(root, "mlruns/1")).get("run/id")?.value).toBe("a".repeat(32));
  });
});

describe("an MLflow tracking directory (mlruns/)", () => {
  it("reads the one experiment that has runs (MLflow 3: an empty Default, an 18-digit id)", async () => {
    const mlruns = join(FIXTURES, "synthetic_mlflow3/mlruns");
    const reading = await read(mlruns);
    const runDir = join(mlruns, "718204375591203846/3b1f0c2a9d8e4f6a8b7c5d4e3f2a1b0c");
    expectRunMatchesFiles(reading, runDir);
    // The same line written twice is one point.
    expect(byName(reading).get("metrics/f1")?.history).toHaveLength(1);
    expect(byName(reading).get("run/experiment_id")?.value).toBe("718204375591203846");
  });

  it("asks which experiment when several have runs, and takes one by name or id", async () => {
    const root = trackingDir({
      "0": { name: "Default", runs: [{ id: "a".repeat(32), start: 1000 }] },
      "7": { name: "churn", runs: [{ id: "b".repeat(32), start: 2000 }] },
    });
    const error = await readError(readTracking(root, "mlruns"));
    expect(error.message).toBe(
      "mlruns has runs in 2 MLflow experiments; mlgate cannot tell which one to read",
    );
    expect(error.hint).toBe(
      'add `experiment: <name or id>` to the source; experiments with runs: 0 "Default", 7 "churn"',
    );
    expect(byName(await readTracking(root, "mlruns", { experiment: "churn" })).get("run/id")?.value).toBe(
      "b".repeat(32),
    );
    expect(byName(await readTracking(root, "mlruns", { experiment: "0" })).get("run/id")?.value).toBe(
      "a".repeat(32),
    );
    const unknown = await readError(readTracking(root, "mlruns", { experiment: "fraud" }));
    expect(unknown.message).toBe('mlruns has no MLflow experiment with the id or name "fraud"');
  });

  it("refuses a directory that is not MLflow's", async () => {
    const root = mkdtempSync(join(tmpdir(), "mlgate-mlflow-"));
    mkdirSync(join(root, "reports"));
    const error = await readError(readTracking(root, "reports"));
    expect(error.code).toBe("source.parse");
    expect(error.message).toContain("is not an MLflow run, experiment or tracking directory");
    expect(await detect(root, join(root, "reports"), "directory")).toBe(false);
  });
});

describe("MLflow metric files", () => {
  it("takes what MLflow versions write: no step, a run id as a fourth field, CRLF, nan and inf", () => {
    expect(parseMetricFile("1 0.5\n", "m")).toEqual([{ step: 0, value: 0.5, timestamp: 1 }]);
    expect(() => parseMetricFile("1 0.5 0\n2 0.x 1\n", "m")).toThrow(
      'line 2 of the MLflow metric file m is not a complete metric line: expected "<timestamp> <value> <step>"',
    );
    expect(parseMetricFile(`1 0.5 3 ${"a".repeat(32)}\n`, "m")).toEqual([
      { step: 3, value: 0.5, timestamp: 1 },
    ]);
    expect(parseMetricFile("1 0.5 0\r\n2 0.25 1\r\n", "m").map((point) => point.value)).toEqual([0.5, 0.25]);
    expect(
      parseMetricFile("1 nan 0\n2 inf 1\n3 -inf 2\n4 1e-05 3\n", "m").map((point) => point.value),
    ).toEqual([NaN, Infinity, -Infinity, 0.00001]);
  });

  it("takes the latest by step, then timestamp, then value, as MLflow does, not the last line", async () => {
    const root = trackingDir({
      "1": {
        name: "e",
        runs: [
          {
            id: "a".repeat(32),
            start: 1,
            metrics: { loss: "5 0.2 2\n9 0.9 1\n5 0.3 2\n", "val/loss": "1 0.4 0\n" },
          },
        ],
      },
    });
    const measured = byName(await readTracking(root, "mlruns/1"));
    expect(measured.get("metrics/loss")?.value).toBe(0.3);
    // A key with a slash is a nested file in MLflow's store, and keeps its slash here.
    expect(measured.get("metrics/val/loss")?.value).toBe(0.4);
  });

  it("keeps the rest of the run when one metric file is cut short, and says which line", async () => {
    const root = trackingDir({
      "1": {
        name: "e",
        runs: [
          { id: "a".repeat(32), start: 1, metrics: { auc: "1 0.9 0\n2 0.", f1: "1 0.8 0\n", empty: "" } },
        ],
      },
    });
    const reading = await readTracking(root, "mlruns/1");
    expect(byName(reading).get("metrics/f1")?.value).toBe(0.8);
    expect(byName(reading).has("metrics/auc")).toBe(false);
    const [auc, empty] = [...(reading.unavailable ?? [])].sort((a, b) => a.prefix.localeCompare(b.prefix));
    expect(auc?.prefix).toBe("metrics/auc");
    expect(auc?.error.message).toBe(
      `line 2 of the MLflow metric file mlruns/1/${"a".repeat(32)}/metrics/auc is not a complete metric line: it does not end with a newline, so it may have been cut off`,
    );
    expect(auc?.error.location).toEqual({
      file: `mlruns/1/${"a".repeat(32)}/metrics/auc`,
      line: 2,
      column: 1,
    });
    expect(empty?.prefix).toBe("metrics/empty");
    expect(empty?.error.message).toContain("is empty");
  });
});

describe("an MLflow run with symbolic links", () => {
  it("does not follow a link out of the working directory, for a metric, a param, a tag or meta.yaml", async () => {
    const id = "b".repeat(32);
    const root = trackingDir({
      "1": { name: "e", runs: [{ id, name: "kept", start: 1, metrics: { f1: "1 0.8 0\n" } }] },
    });
    const outside = mkdtempSync(join(tmpdir(), "mlgate-outside-"));
    writeFileSync(join(outside, "metric"), "1 0.31415926 0\n");
    writeFileSync(join(outside, "text"), "canary-outside-text");
    const runDir = join(root, "mlruns/1", id);
    mkdirSync(join(runDir, "params"), { recursive: true });
    mkdirSync(join(runDir, "tags"), { recursive: true });
    symlinkSync(join(outside, "metric"), join(runDir, "metrics/acc"));
    symlinkSync(join(outside, "text"), join(runDir, "params/secret"));
    symlinkSync(join(outside, "text"), join(runDir, "tags/mlflow.note"));
    const reading = await readTracking(root, "mlruns/1");
    expect(byName(reading).get("metrics/f1")?.value).toBe(0.8);
    expect(JSON.stringify(reading)).not.toMatch(/0\.31415926|canary-outside-text/);
    const refused = [...(reading.unavailable ?? [])].sort((a, b) => a.prefix.localeCompare(b.prefix));
    expect(refused.map((each) => each.prefix)).toEqual(["metrics/acc", "params/secret", "tags/mlflow.note"]);
    for (const each of refused) {
      expect(each.error.code).toBe("source.unreadable");
      expect(each.error.message).toContain(`outside the working directory ${root}`);
    }

    // A run whose meta.yaml is a link out of the tree is not read at all.
    writeFileSync(join(outside, "meta.yaml"), readFileSync(join(runDir, "meta.yaml")));
    rmSync(join(runDir, "meta.yaml"));
    symlinkSync(join(outside, "meta.yaml"), join(runDir, "meta.yaml"));
    const error: unknown = await readTracking(root, `mlruns/1/${id}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlgateError);
    expect((error as MlgateError).message).toContain("outside the working directory");
  });
});

describe("mlgate check on an MLflow run", () => {
  it("gates on metrics and numeric params, and reports a cut-off metric as an error, not a pass", async () => {
    const root = trackingDir({
      "1": {
        name: "churn",
        runs: [
          {
            id: "a".repeat(32),
            name: "nightly",
            start: 1,
            metrics: { auc: "1 0.91 0\n", recall: "1 nan 0\n", f1: "1 0.8 0\n2 0." },
            params: { learning_rate: "0.01" },
          },
        ],
      },
    });
    writeFileSync(
      join(root, "mlgate.yml"),
      [
        "version: 1",
        "sources:",
        "  training: { file: mlruns, run: { name: nightly } }",
        "kpis:",
        "  auc: { source: training, path: metrics/auc, gte: 0.9 }",
        "  lr: { source: training, path: params/learning_rate, lte: 0.05 }",
        "  recall: { source: training, path: metrics/recall, gte: 0.5 }",
        "  missing: { source: training, path: metrics/precision, gte: 0.5 }",
        "  cut: { source: training, path: metrics/f1, gte: 0 }",
        "  finished: { source: training, path: run/status, eq: FINISHED }",
        "",
      ].join("\n"),
    );
    const result = await runCli([
      "check",
      "--config",
      join(root, "mlgate.yml"),
      "--cwd",
      root,
      "--format",
      "json",
    ]);
    const report = JSON.parse(result.stdout) as {
      measurements: { name: string; status: string; message: string }[];
    };
    const status = Object.fromEntries(report.measurements.map((m) => [m.name, m.status]));
    expect(status).toEqual({
      auc: "pass",
      lr: "pass",
      recall: "error",
      missing: "error",
      cut: "error",
      finished: "pass",
    });
    expect(report.measurements.find((m) => m.name === "cut")?.message).toContain(
      "line 2 of the MLflow metric file mlruns/1/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/metrics/f1 is not a complete metric line",
    );
    const missing = report.measurements.find((m) => m.name === "missing");
    expect(missing?.message).toContain('has no measurement named "metrics/precision"');
    expect(result.code).not.toBe(0);
  });

  it("refuses run: on a source of another format when the config is loaded", async () => {
    const root = mkdtempSync(join(tmpdir(), "mlgate-mlflow-"));
    writeFileSync(
      join(root, "mlgate.yml"),
      "version: 1\nsources:\n  t: { file: m.json, format: json, run: { id: x } }\nkpis:\n  a: { source: t, path: a, gte: 1 }\n",
    );
    const result = await runCli(["check", "--config", join(root, "mlgate.yml"), "--cwd", root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("`run:` chooses an MLflow run, but this source's format is json");
    expect(result.stderr).toContain("mlgate.yml:3");
  });
});

const REAL = join(process.env["MLGATE_REAL_ARTIFACTS"] ?? "/work/shared/real-artifacts", "mlflow");

// Only where the collection of real artifacts is present; elsewhere no test is defined.
if (existsSync(REAL)) {
  describe(`every real MLflow tree of ${REAL}`, () => {
    /** Run directories: those whose meta.yaml has a run_id. */
    const runDirs = filesBelow(REAL)
      .filter((file) => file.endsWith("/meta.yaml"))
      .map((file) => join(REAL, dirname(file)))
      .filter((dir) => /^run_id:/m.test(readFileSync(join(dir, "meta.yaml"), "utf8")));

    it.each(runDirs.map((dir) => [relative(REAL, dir), dir] as const))(
      "reads run %s: every metric, param and tag as in its files",
      async (_name, dir) => {
        const reading = await mlflowFormat.read(dir, {
          origin: relative(REAL, dir),
          files: await ContainedFs.open(REAL),
        });
        expectRunMatchesFiles(reading, dir);
        expect(reading.unavailable).toBeUndefined();
      },
    );

    it.each(readdirSync(REAL))(
      "reads the tracking directory %s/mlruns as its latest finished run",
      async (tree) => {
        const reading = await mlflowFormat.read(join(REAL, tree, "mlruns"), {
          origin: tree,
          files: await ContainedFs.open(REAL),
        });
        const id = byName(reading).get("run/id")?.value as string;
        const runDir = runDirs.find((dir) => dir.endsWith(`/${id}`)) as string;
        expectRunMatchesFiles(reading, runDir);
      },
    );

    it("accounts for every file: read by a run, a logged model's 4-field metrics, or an artifact another format reads", async () => {
      for (const file of filesBelow(REAL)) {
        const path = join(REAL, file);
        const runDir = runDirs.find((dir) => path.startsWith(`${dir}/`));
        if (runDir && /\/(?:metrics|params|tags)\/|\/meta\.yaml$/.test(path.slice(runDir.length))) continue;
        if (/\/models\/m-[0-9a-f]+\/metrics\//.test(file)) {
          const points = parseMetricFile(readFileSync(path, "utf8"), file);
          expect(points.length).toBeGreaterThan(0);
          continue;
        }
        if (file.endsWith("/artifacts/reports/classification_report.json")) {
          const text = readFileSync(path, "utf8");
          expect(sklearnFormat.detect(file, text)).toBe(true);
          expect(sklearnFormat.read(text, { origin: file }).length).toBeGreaterThan(0);
          continue;
        }
        // Not metrics: experiment and logged-model meta.yaml, dataset and input/output records.
        expect(file, "a file the MLflow reader does not account for").toMatch(
          /(?:^[^/]+\/mlruns\/\d+\/meta\.yaml$|\/models\/m-[0-9a-f]+\/(?:meta\.yaml|params\/|tags\/)|\/(?:inputs|outputs|datasets)\/[^/]+\/meta\.yaml$)/,
        );
      }
    });
  });
}

async function readError(promise: Promise<unknown>): Promise<MlgateError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MlgateError) return error;
    throw error;
  }
  throw new Error("expected an MlgateError");
}
