// format: dvc on real directory layouts in temp dirs: dvc.yaml pipelines (top-level and stage metrics,
// ${} from params.yaml and vars, wdir, foreach, matrix, metrics directories), DVCLive directories (1.0+
// and 0.x) and single files; every file of shared/real-artifacts/dvc in its original layout.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parse as parseYamlText, stringify as stringifyYaml } from "yaml";
import { MlgateError } from "../../../src/errors.js";
import { ContainedFs } from "../../../src/files/contained-fs.js";
import { dvcFormat } from "../../../src/sources/formats/dvc.js";
import type { ToolMeasurement } from "../../../src/sources/formats/tool.js";
import type { TreeReading, Unavailable } from "../../../src/sources/formats/tree.js";

const FIXTURES = fileURLToPath(new URL("../../../fixtures/formats/dvc/", import.meta.url));
const REAL = join(process.env["MLGATE_REAL_ARTIFACTS"] ?? "/work/shared/real-artifacts", "dvc");
const RUNS = Number(process.env.FC_RUNS ?? 100);
const SEED = Number(process.env.FC_SEED ?? 42);

const workspaces: string[] = [];
afterEach(() => {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh working directory, with a fixture layout copied in and `files` written on top. */
function workspace(fixture?: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "mlgate-dvc-"));
  workspaces.push(dir);
  if (fixture) cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  write(dir, files);
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

const read = async (cwd: string, path: string): Promise<TreeReading> =>
  dvcFormat.read(join(cwd, path), { origin: path, files: await ContainedFs.open(cwd) });

/** Does format: dvc claim `path` (below `cwd`) when a source names no format? */
const detect = async (cwd: string, path: string, kind: "file" | "directory"): Promise<boolean> =>
  dvcFormat.detect(path, kind, await ContainedFs.open(cwd));

async function refusal(cwd: string, path: string): Promise<MlgateError> {
  try {
    await read(cwd, path);
  } catch (error) {
    if (error instanceof MlgateError) return error;
    throw error;
  }
  throw new Error(`expected ${path} to be refused`);
}

function byName(reading: TreeReading): Map<string, ToolMeasurement> {
  const named = new Map(reading.measurements.map((measurement) => [measurement.name, measurement]));
  expect(named.size).toBe(reading.measurements.length);
  return named;
}

/** The one part a reading reports unavailable. */
function onlyUnavailable(reading: TreeReading): Unavailable {
  expect(reading.unavailable).toHaveLength(1);
  return reading.unavailable?.[0] as Unavailable;
}

const values = (reading: TreeReading) =>
  Object.fromEntries(reading.measurements.map((measurement) => [measurement.name, measurement.value]));

/** A parsed file's leaves as `<prefix><key>/<key>` → value: the naming rule, written out independently. */
function leaves(value: unknown, prefix = "", path: string[] = []): Record<string, unknown> {
  if (typeof value !== "object" || value === null) return { [prefix + path.join("/")]: value };
  return Object.assign(
    {},
    ...Object.entries(value).map(([key, inner]) => leaves(inner, prefix, [...path, key])),
  ) as Record<string, unknown>;
}

/** A DVCLive history parsed independently: rows of cells, header first. */
function tsvRows(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .filter((line) => line !== "")
    .map((line) => line.split("\t"));
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  return text.split(/\r\n|\r|\n/).findIndex((line) => line.includes(needle)) + 1;
}

describe("a dvc.yaml's declared metrics", () => {
  it("reads a dvc.yaml in a sub-directory: top-level metrics relative to it, vars and params.yaml beside it", async () => {
    const cwd = workspace("synthetic_pipeline-in-subdirectory");
    const file = JSON.parse(readFileSync(join(cwd, "reports/evaluate/metrics.json"), "utf8")) as unknown;
    const reading = await read(cwd, "pipelines/evaluate/dvc.yaml");
    expect(values(reading)).toEqual(leaves(file, "reports/evaluate/metrics.json:"));
    expect(values(reading)["reports/evaluate/metrics.json:mean_error"]).toBeLessThan(0);
    expect(reading.data).toEqual({ "reports/evaluate/metrics.json": file });
    expect(reading.unavailable).toBeUndefined();
    // The pipeline's directory is read the same way as its dvc.yaml.
    expect(await detect(cwd, join(cwd, "pipelines/evaluate"), "directory")).toBe(true);
    expect(await read(cwd, "pipelines/evaluate")).toEqual(reading);
  });

  it("gives each value of a DVCLive metrics.json its history from plots/metrics/<name>.tsv", async () => {
    const cwd = workspace("synthetic_dvclive-experiment");
    const summary = JSON.parse(readFileSync(join(cwd, "dvclive/metrics.json"), "utf8")) as unknown;
    const named = byName(await read(cwd, "dvc.yaml"));
    expect(Object.fromEntries([...named].map(([name, m]) => [name, m.value]))).toEqual(
      leaves(summary, "dvclive/metrics.json:"),
    );
    for (const metric of ["train/loss", "train/acc", "eval/loss", "eval/acc"]) {
      const [header, ...rows] = tsvRows(
        readFileSync(join(cwd, `dvclive/plots/metrics/${metric}.tsv`), "utf8"),
      );
      expect(header).toEqual(["step", metric]);
      expect(named.get(`dvclive/metrics.json:${metric}`)?.history).toEqual(
        rows.map(([step, value]) => ({ step: Number(step), value: Number(value) })),
      );
    }
    expect(named.get("dvclive/metrics.json:step")).toEqual({ name: "dvclive/metrics.json:step", value: 9 });
  });

  it("reports a declared metrics file that is missing as unavailable, naming the dvc.yaml line and what to run", async () => {
    const cwd = workspace("synthetic_get-started");
    const text = readFileSync(join(cwd, "dvc.yaml"), "utf8");
    const reading = await read(cwd, "dvc.yaml");
    expect(reading.measurements).toEqual([]);
    expect(reading.unavailable).toHaveLength(1);
    const { prefix, error } = onlyUnavailable(reading);
    expect(prefix).toBe("eval/metrics.json:");
    expect(error.code).toBe("source.not-found");
    const line = lineOf(text, "- eval/metrics.json");
    expect(error.message).toBe(
      `eval/metrics.json does not exist; dvc.yaml (line ${line}) declares it as a metrics file`,
    );
    expect(error.location).toEqual({ file: "dvc.yaml", line, column: 3 });
    expect(error.hint).toBe("run the pipeline (`dvc repro`) or fetch its outputs (`dvc pull`) before mlgate");
  });

  it("names the stage to reproduce when a stage's metrics file is missing, then reads it once written", async () => {
    const cwd = workspace(undefined, {
      "dvc.yaml": readFileSync(join(FIXTURES, "remla23-team18_dvc.yaml"), "utf8"),
    });
    const before = await read(cwd, "dvc.yaml");
    expect(before.unavailable?.map(({ prefix }) => prefix)).toEqual(["classification_report.json:"]);
    expect(before.unavailable?.[0]?.error.hint).toBe(
      "run the stage that writes it (`dvc repro evaluate`) or fetch its outputs (`dvc pull evaluate`) before mlgate",
    );
    const report = readFileSync(
      fileURLToPath(
        new URL(
          "../../../fixtures/formats/sklearn/remla23-team18_classification_report.json",
          import.meta.url,
        ),
      ),
      "utf8",
    );
    write(cwd, { "classification_report.json": report });
    const after = await read(cwd, "dvc.yaml");
    expect(after.unavailable).toBeUndefined();
    expect(values(after)).toEqual(leaves(JSON.parse(report), "classification_report.json:"));
    expect(values(after)["classification_report.json:macro avg/f1-score"]).toEqual(
      (JSON.parse(report) as Record<string, Record<string, number>>)["macro avg"]?.["f1-score"],
    );
  });

  it("resolves ${} from params.yaml, vars files and maps, foreach, matrix, wdir and stage vars (CRLF dvc.yaml)", async () => {
    const cwd = workspace("synthetic_templated");
    expect(readFileSync(join(cwd, "dvc.yaml"), "utf8")).toContain("\r\n");
    const reading = await read(cwd, "dvc.yaml");
    const files = [
      "reports/val/metrics.json",
      "reports/test/metrics.json",
      "models/cnn/score-cnn.yaml",
      "models/xgb/score-xgb.yaml",
      "sweeps/0.1-cnn.json",
      "sweeps/0.1-xgb.json",
      "sweeps/0.01-cnn.json",
      "reports/summary.json",
      "reports/cnn_details.json",
      "reports/overall.json",
      "reports/by-class/cat.json",
      "reports/by-class/dog.yml",
    ];
    const expected = Object.assign(
      {},
      ...files.map((file) => leaves(parseYamlText(readFileSync(join(cwd, file), "utf8")), `${file}:`)),
    ) as Record<string, unknown>;
    expect(values(reading)).toEqual(expected);
    expect(values(reading)["models/cnn/score-cnn.yaml:latency_ms/p95"]).toBe(31);
    expect(values(reading)["reports/cnn_details.json:layers/1/params"]).toBe(1203436);
    expect(Object.keys(reading.data as object).sort()).toEqual([...files].sort());
    const text = readFileSync(join(cwd, "dvc.yaml"), "utf8");
    expect(
      reading.unavailable?.map(({ prefix, error }) => [prefix, error.code, error.location, error.hint]),
    ).toEqual([
      [
        "${literal}/not-a-variable.json:",
        "source.not-found",
        { file: "dvc.yaml", line: lineOf(text, "\\${literal}"), column: 5 },
        "run the pipeline (`dvc repro`) or fetch its outputs (`dvc pull`) before mlgate",
      ],
      [
        "sweeps/0.01-xgb.json:",
        "source.not-found",
        { file: "dvc.yaml", line: lineOf(text, "- sweeps/${key}.json"), column: 9 },
        "run the stage that writes it (`dvc repro sweep@0.01-xgb`) or fetch its outputs (`dvc pull sweep@0.01-xgb`) before mlgate",
      ],
    ]);
  });

  it("keeps NaN, ±Infinity, null, text and odd keys as written; refuses a TOML metrics file (CR-only dvc.yaml)", async () => {
    const cwd = workspace("synthetic_quirks");
    expect(readFileSync(join(cwd, "dvc.yaml"), "utf8")).not.toContain("\n");
    expect(readFileSync(join(cwd, "eval/python-floats.json"), "utf8")).not.toMatch(/\n/);
    const reading = await read(cwd, "dvc.yaml");
    const named = values(reading);
    expect(named["eval/python-floats.json:loss"]).toBeNaN();
    expect(named["eval/python-floats.json:grad_norm"]).toBe(Infinity);
    expect(named["eval/python-floats.json:min_margin"]).toBe(-Infinity);
    expect(named["eval/python-floats.json:auc"]).toBeNull();
    // "NA" is no value, as in every reader: a gate on it is an error, never a comparison with text.
    expect(named["eval/python-floats.json:ece"]).toBeNull();
    expect(named["eval/python-floats.json:val acc"]).toBe(0.9125);
    expect(named["eval/python-floats.json:precision, macro"]).toBe(0.8814);
    expect(named["eval/python-floats.json:eval/recall"]).toBe(0.87);
    expect(named["eval/python-floats.json:model"]).toBe("resnet-50");
    expect(named["eval/python-floats.json:early_stopped"]).toBe(true);
    expect(named["eval/per-class.yaml:classes/cat/f1"]).toBe(0.93);
    expect(named["eval/per-class.yaml:classes/dog/f1"]).toBeNaN();
    expect(named["eval/per-class.yaml:thresholds/2"]).toBe(Infinity);
    expect(reading.unavailable).toHaveLength(1);
    const { prefix, error } = onlyUnavailable(reading);
    expect(prefix).toBe("eval/summary.toml:");
    expect(error.code).toBe("source.parse");
    expect(error.message).toBe("eval/summary.toml is a TOML metrics file, which mlgate does not read");
    expect(error.location).toEqual({ file: "eval/summary.toml" });
  });

  it("names generated stages as DVC does, in the hint to reproduce one", async () => {
    const cwd = workspace(undefined, {
      "dvc.yaml": [
        "stages:",
        "  train:",
        "    foreach:",
        "      - {name: small, layers: 2}",
        "      - {name: large, layers: 8}",
        "    do:",
        "      cmd: python train.py ${item.layers}",
        "      metrics:",
        "        - out/${item.name}.json",
        "  grid:",
        "    matrix:",
        "      model: [cnn]",
        "      config: [{depth: 2}]",
        "      flag: [true]",
        "    cmd: x",
        "    metrics:",
        "      - grid/${key}.json",
        "",
      ].join("\n"),
      "out/small.json": '{"loss": 0.4}',
    });
    const reading = await read(cwd, "dvc.yaml");
    expect(reading.measurements).toEqual([{ name: "out/small.json:loss", value: 0.4 }]);
    expect(reading.unavailable?.map(({ prefix, error }) => [prefix, error.hint])).toEqual([
      ["out/large.json:", expect.stringContaining("`dvc repro train@1`")],
      ["grid/cnn-config0-true.json:", expect.stringContaining("`dvc repro grid@cnn-config0-true`")],
    ]);
  });

  it("reads a metrics file declared twice (top-level and by a stage) once", async () => {
    const cwd = workspace(undefined, {
      "dvc.yaml": "metrics: [eval/m.json]\nstages:\n  eval:\n    cmd: x\n    metrics:\n    - eval/m.json\n",
      "eval/m.json": '{"acc": 0.5}',
    });
    expect((await read(cwd, "dvc.yaml")).measurements).toEqual([{ name: "eval/m.json:acc", value: 0.5 }]);
  });

  it("reads a 0.x DVCLive summary declared in dvc.yaml with the histories in the directory beside it", async () => {
    const cwd = workspace("synthetic_dvclive-v0");
    const named = byName(await read(cwd, "dvc.yaml"));
    const rows = tsvRows(readFileSync(join(cwd, "dvclive/val_acc.tsv"), "utf8")).slice(1);
    expect(named.get("dvclive.json:val_acc")?.history).toEqual(
      rows.map(([timestamp, step, value]) => ({
        step: Number(step),
        value: Number(value),
        timestamp: Number(timestamp),
      })),
    );
    expect(named.get("metrics.json:acc")?.history).toBeUndefined();
  });
});

describe("refusing a dvc.yaml, at the line and column", () => {
  const refused = async (files: Record<string, string>) => refusal(workspace(undefined, files), "dvc.yaml");

  it("names a variable no params file or vars defines", async () => {
    const error = await refused({
      "dvc.yaml":
        "vars:\n  - base: reports\nstages:\n  eval:\n    cmd: x\n    metrics:\n      - ${base}/${reports_dir}/m.json\n",
    });
    expect(error.code).toBe("source.parse");
    expect(error.message).toBe(
      "`${reports_dir}` in dvc.yaml cannot be resolved: no variable `reports_dir` is defined",
    );
    expect(error.location).toEqual({ file: "dvc.yaml", line: 7, column: 17 });
    expect(error.hint).toBe(
      "define it in params.yaml next to dvc.yaml or under `vars:` (variables defined: base)",
    );
  });

  it("names the missing key of a mapping from params.yaml, and lists its keys", async () => {
    const error = await refused({
      "params.yaml": "data:\n  raw: data/raw.csv\n  reports: reports\n",
      "dvc.yaml": "metrics:\n- ${data.report}/m.json\n",
    });
    expect(error.message).toBe("`${data.report}` in dvc.yaml cannot be resolved: `data` has no key `report`");
    expect(error.location).toEqual({ file: "dvc.yaml", line: 2, column: 3 });
    expect(error.hint).toBe("its keys: raw, reports");
  });

  it("names a list index out of range", async () => {
    const error = await refused({
      "params.yaml": "models: [cnn, xgb]\n",
      "dvc.yaml": "metrics:\n- models/${models[2]}.json\n",
    });
    expect(error.message).toBe("`${models[2]}` in dvc.yaml cannot be resolved: `models` has no item `2`");
    expect(error.hint).toBe("it has 2 items, 0 to 1");
  });

  it("says when there are no variables at all", async () => {
    const error = await refused({ "dvc.yaml": "metrics:\n- ${x}.json\n" });
    expect(error.hint).toBe(
      "define it in params.yaml next to dvc.yaml or under `vars:` (no variables are defined: there is no params.yaml next to it and no `vars:`)",
    );
  });

  it("refuses a list or mapping put into a path", async () => {
    const error = await refused({
      "params.yaml": "data: {dir: d}\n",
      "dvc.yaml": "metrics:\n- ${data}/m.json\n",
    });
    expect(error.message).toBe("`${data}` in dvc.yaml is a mapping, which cannot be put into text");
    expect(error.location).toEqual({ file: "dvc.yaml", line: 2, column: 3 });
  });

  it("refuses a value that params.yaml and vars both define, as DVC does", async () => {
    const error = await refused({
      "params.yaml": "data:\n  dir: a\n",
      "dvc.yaml": "vars:\n  - data:\n      dir: b\nmetrics:\n- ${data.dir}/m.json\n",
    });
    expect(error.message).toBe("vars[0] redefines the variable `data.dir`, already defined by params.yaml");
    expect(error.location).toEqual({ file: "dvc.yaml", line: 2, column: 5 });
  });

  it("refuses a vars file that does not exist, or one in TOML", async () => {
    const missing = await refused({ "dvc.yaml": "vars:\n  - conf/eval.yaml\nmetrics:\n- ${x}.json\n" });
    expect(missing.code).toBe("source.not-found");
    expect(missing.message).toBe(
      "the params file conf/eval.yaml that `vars` names in dvc.yaml does not exist",
    );
    expect(missing.location).toEqual({ file: "dvc.yaml", line: 2, column: 5 });
    const toml = await refused({
      "params.toml": "x = 'a'\n",
      "dvc.yaml": "vars:\n  - params.toml\nmetrics:\n- ${x}.json\n",
    });
    expect(toml.message).toBe("params.toml is a TOML params file, which mlgate does not read");
  });

  it("refuses a key that `file:keys` names but the file lacks", async () => {
    const error = await refused({
      "conf.json": '{"a": 1}',
      "dvc.yaml": "vars:\n  - conf.json:a,b\nmetrics:\n- ${a}.json\n",
    });
    expect(error.message).toBe("`conf.json:a,b` in dvc.yaml: conf.json has no top-level key `b`");
    expect(error.hint).toBe("its keys: a");
  });

  it("refuses broken YAML with its line and column", async () => {
    const error = await refused({ "dvc.yaml": "stages:\n  train:\n    metrics: [a.json\n" });
    expect(error.code).toBe("source.parse");
    expect(error.message).toMatch(/^invalid YAML: /);
    expect(error.location?.file).toBe("dvc.yaml");
    expect(error.location?.line).toBeGreaterThanOrEqual(3);
  });

  it.each([
    [
      "metrics that are not a list",
      "stages:\n  train:\n    cmd: x\n    metrics: eval.json\n",
      "`stages.train.metrics` in dvc.yaml is not a list",
      4,
      14,
    ],
    [
      "an entry that is neither a path nor one path with options",
      "metrics:\n  - [a.json]\n",
      "`metrics[0]` in dvc.yaml is not a metrics path",
      2,
      5,
    ],
    [
      "an entry with two paths",
      "metrics:\n  - a.json: {}\n    b.json: {}\n",
      "`metrics[0]` in dvc.yaml is not a metrics path",
      2,
      5,
    ],
    ["stages that are a list", "stages:\n  - train\n", "`stages` in dvc.yaml is not a mapping", 2, 3],
    [
      "a foreach over a number",
      "stages:\n  s:\n    foreach: 3\n    do:\n      metrics: [m.json]\n",
      "`stages.s.foreach` in dvc.yaml is not a list or mapping",
      3,
      14,
    ],
    [
      "a matrix value that is not a list",
      "stages:\n  s:\n    matrix:\n      lr: 0.1\n    metrics: [m.json]\n",
      "`stages.s.matrix.lr` in dvc.yaml is not a list",
      4,
      11,
    ],
    ["a file that is a list", "- metrics\n", "dvc.yaml is not a mapping", 1, 1],
    [
      "vars that are a mapping",
      "vars:\n  a: 1\nmetrics:\n- ${a}.json\n",
      "`vars` in dvc.yaml is not a list",
      2,
      3,
    ],
    [
      "${} in vars",
      "vars:\n  - ${a}.yaml\nmetrics:\n- ${a}.json\n",
      "`vars[0]` uses ${}, which DVC does not allow in vars",
      2,
      5,
    ],
    [
      "an expression that is no variable name",
      "metrics:\n- ${a..b}.json\n",
      "`${a..b}` in dvc.yaml is not a variable reference",
      2,
      3,
    ],
  ])("refuses %s", async (_what, text, message, line, column) => {
    const error = await refused({ "dvc.yaml": text });
    expect(error.code).toBe("source.parse");
    expect(error.message).toBe(message);
    expect(error.location).toEqual({ file: "dvc.yaml", line, column });
  });

  it("refuses a dvc.yaml that declares no metrics files", async () => {
    const error = await refused({ "dvc.yaml": "stages:\n  train:\n    cmd: python train.py\n" });
    expect(error.message).toBe("dvc.yaml declares no metrics files");
  });
});

describe("staying inside the working directory", () => {
  it("does not read a metrics path that climbs out with ../", async () => {
    const outside = workspace(undefined, { "secret.json": '{"token": 1}' });
    const cwd = workspace(undefined, {
      "dvc.yaml": `metrics:\n- ../${outside.split("/").pop() ?? ""}/secret.json\n`,
    });
    const reading = await read(cwd, "dvc.yaml");
    expect(reading.measurements).toEqual([]);
    const { prefix, error } = onlyUnavailable(reading);
    expect(prefix).toMatch(/^\.\.\/mlgate-dvc-\w+\/secret\.json:$/);
    expect(error.code).toBe("source.unreadable");
    expect(error.message).toMatch(/declared in dvc\.yaml is outside the working directory/);
    expect(error.location).toEqual({ file: "dvc.yaml", line: 2, column: 3 });
  });

  it("does not follow a symbolic link out of it, for a metrics file, a history or a vars file", async () => {
    const outside = workspace(undefined, { "secret.json": '{"token": 1}', "loss.tsv": "step\tloss\n0\t1\n" });
    const cwd = workspace("synthetic_dvclive-experiment", { "params.yaml": "" });
    symlinkSync(join(outside, "secret.json"), join(cwd, "linked.json"));
    symlinkSync(join(outside, "loss.tsv"), join(cwd, "dvclive/plots/metrics/linked.tsv"));
    write(cwd, { "dvc.yaml": "metrics:\n- linked.json\n- dvclive/metrics.json\n" });
    const reading = await read(cwd, "dvc.yaml");
    expect(reading.unavailable?.map(({ prefix, error }) => [prefix, error.code])).toEqual([
      ["linked.json:", "source.unreadable"],
      ["dvclive/metrics.json:linked", "source.unreadable"],
    ]);
    expect(reading.measurements.some(({ name }) => name.startsWith("linked"))).toBe(false);
    symlinkSync(join(outside, "secret.json"), join(cwd, "conf.json"));
    write(cwd, { "dvc.yaml": "vars: [conf.json]\nmetrics:\n- ${token}.json\n" });
    const error = await refusal(cwd, "dvc.yaml");
    expect(error.message).toMatch(/^"conf.json" declared in dvc.yaml is outside the working directory/);
    expect(error.location).toEqual({ file: "dvc.yaml", line: 1, column: 8 });
  });
});

describe("DVCLive directories", () => {
  it("reads metrics.json with every plots/metrics history, named as DVCLive logged them", async () => {
    const cwd = workspace("synthetic_dvclive-experiment");
    expect(await detect(cwd, join(cwd, "dvclive"), "directory")).toBe(true);
    const reading = await read(cwd, "dvclive");
    const summary = JSON.parse(readFileSync(join(cwd, "dvclive/metrics.json"), "utf8")) as unknown;
    expect(values(reading)).toEqual(leaves(summary));
    const acc = tsvRows(readFileSync(join(cwd, "dvclive/plots/metrics/eval/acc.tsv"), "utf8"));
    expect(byName(reading).get("eval/acc")?.history?.at(-1)).toEqual({
      step: 9,
      value: Number(acc.at(-1)?.[1]),
    });
    expect(Object.keys(reading.data as object).sort()).toEqual([
      "dvclive/metrics.json",
      "dvclive/plots/metrics/eval/acc.tsv",
      "dvclive/plots/metrics/eval/loss.tsv",
      "dvclive/plots/metrics/train/acc.tsv",
      "dvclive/plots/metrics/train/loss.tsv",
    ]);
  });

  it("gives a metric logged only as a history its latest value", async () => {
    const cwd = workspace("synthetic_dvclive-experiment");
    unlinkSync(join(cwd, "dvclive/metrics.json"));
    write(cwd, { "dvclive/plots/metrics/lr.tsv": "step\tlr\r\n0\t0.1\r\n1\t0.05" });
    const named = byName(await read(cwd, "dvclive"));
    expect(named.get("lr")).toEqual({
      name: "lr",
      value: 0.05,
      history: [
        { step: 0, value: 0.1 },
        { step: 1, value: 0.05 },
      ],
    });
    const acc = tsvRows(readFileSync(join(cwd, "dvclive/plots/metrics/eval/acc.tsv"), "utf8"));
    expect(named.get("eval/acc")?.value).toBe(Number(acc.at(-1)?.[1]));
  });

  it("reads DVCLive 0.x: <dir>/*.tsv with timestamps, the summary beside the directory", async () => {
    const cwd = workspace("synthetic_dvclive-v0");
    expect(await detect(cwd, join(cwd, "dvclive"), "directory")).toBe(true);
    const summary = JSON.parse(readFileSync(join(cwd, "dvclive.json"), "utf8")) as Record<string, number>;
    const named = byName(await read(cwd, "dvclive"));
    expect(Object.fromEntries([...named].map(([name, m]) => [name, m.value]))).toEqual(summary);
    const rows = tsvRows(readFileSync(join(cwd, "dvclive/loss.tsv"), "utf8")).slice(1);
    expect(named.get("loss")?.history).toEqual(
      rows.map(([timestamp, step, value]) => ({
        step: Number(step),
        value: Number(value),
        timestamp: Number(timestamp),
      })),
    );
    expect(named.get("step")?.history).toBeUndefined();
  });

  it("reads nan and inf cells, CR line endings and a last line without a newline", async () => {
    const cwd = workspace("synthetic_dvclive-experiment", {
      "dvclive/plots/metrics/train/loss.tsv": "step\ttrain/loss\r0\t0.9\r1\tnan\r2\tinf\r3\t-inf",
    });
    const history = byName(await read(cwd, "dvclive")).get("train/loss")?.history;
    expect(history?.map(({ value }) => value)).toEqual([0.9, NaN, Infinity, -Infinity]);
  });

  it.each([
    [
      "an empty cell",
      "step\teval/acc\n0\t0.9\n1\t\n",
      "line 3 of dvclive/plots/metrics/eval/acc.tsv has an empty `eval/acc` cell",
      3,
      3,
    ],
    [
      "a line cut short",
      "step\teval/acc\n0\t0.9\n1",
      "line 3 of dvclive/plots/metrics/eval/acc.tsv has 1 cells, not the header's 2",
      3,
      1,
    ],
    [
      "a value that is not a number",
      "step\teval/acc\n0\t0,9\n",
      "line 2 of dvclive/plots/metrics/eval/acc.tsv has a `eval/acc` value that is not a number",
      2,
      3,
    ],
    [
      "a header without step",
      "epoch\teval/acc\n0\t0.9\n",
      'dvclive/plots/metrics/eval/acc.tsv is not a DVCLive history: its header is not "step<TAB><metric>"',
      1,
      1,
    ],
    [
      "a header and no values",
      "step\teval/acc\n",
      "dvclive/plots/metrics/eval/acc.tsv has a header but no logged values",
      1,
      1,
    ],
  ])(
    "leaves a metric whose history has %s unavailable, and reads the others",
    async (_what, text, message, line, column) => {
      const cwd = workspace("synthetic_dvclive-experiment", { "dvclive/plots/metrics/eval/acc.tsv": text });
      const reading = await read(cwd, "dvclive");
      expect(
        reading.unavailable?.map(({ prefix, error }) => [prefix, error.code, error.message, error.location]),
      ).toEqual([
        ["eval/acc", "source.parse", message, { file: "dvclive/plots/metrics/eval/acc.tsv", line, column }],
      ]);
      expect(byName(reading).has("eval/acc")).toBe(false);
      expect(byName(reading).has("eval/loss")).toBe(true);
    },
  );

  it("refuses a directory that is neither a pipeline nor DVCLive's", async () => {
    const cwd = workspace(undefined, { "reports/m.json": "{}" });
    expect(await detect(cwd, join(cwd, "reports"), "directory")).toBe(false);
    const error = await refusal(cwd, "reports");
    expect(error.message).toBe("reports is neither a DVC pipeline nor a DVCLive directory");
  });
});

describe("single files with format: dvc", () => {
  it("reads a history file alone: its metric, latest value and every step", async () => {
    const cwd = workspace("synthetic_dvclive-v0");
    const reading = await read(cwd, "dvclive/val_acc.tsv");
    const rows = tsvRows(readFileSync(join(cwd, "dvclive/val_acc.tsv"), "utf8")).slice(1);
    expect(reading.measurements).toHaveLength(1);
    expect(reading.measurements[0]?.name).toBe("val_acc");
    expect(reading.measurements[0]?.value).toBe(Number(rows.at(-1)?.[2]));
    expect(reading.measurements[0]?.history).toHaveLength(rows.length);
  });

  it("reads a metrics file alone, names joined with / and its content as the data", async () => {
    const cwd = workspace("synthetic_dvclive-v0");
    const text = readFileSync(join(cwd, "metrics.json"), "utf8");
    expect(text).not.toMatch(/\n/);
    const reading = await read(cwd, "metrics.json");
    expect(values(reading)).toEqual(JSON.parse(text));
    expect(reading.data).toEqual(JSON.parse(text));
  });

  it.each([
    ["a TOML file", "m.toml", "acc = 0.9\n", "m.toml is a TOML metrics file, which mlgate does not read"],
    ["a single number", "m.json", "0.93", "m.json holds a single value, not named metrics"],
    ["an empty YAML file", "m.yaml", "", "m.yaml is empty"],
    [
      "a key and a nested key of the same name",
      "m.json",
      '{"eval/acc": 0.9, "eval": {"acc": 0.8}}',
      'two values in m.json would both be named "eval/acc"',
    ],
  ])("refuses %s", async (_what, name, text, message) => {
    const error = await refusal(workspace(undefined, { [name]: text }), name);
    expect(error.code).toBe("source.parse");
    expect(error.message).toBe(message);
  });

  it("claims dvc.yaml files and pipeline directories, nothing else", async () => {
    const cwd = workspace("synthetic_dvclive-v0", { "reports/m.json": "{}" });
    expect(await detect(cwd, join(cwd, "dvc.yaml"), "file")).toBe(true);
    expect(await detect(cwd, cwd, "directory")).toBe(true);
    expect(await detect(cwd, join(cwd, "metrics.json"), "file")).toBe(false);
    expect(await detect(cwd, join(cwd, "dvclive/val_acc.tsv"), "file")).toBe(false);
    expect(await detect(cwd, join(cwd, "reports"), "directory")).toBe(false);
  });
});

describe("no input makes the reader throw anything but MlgateError", () => {
  const dir = mkdtempSync(join(tmpdir(), "mlgate-dvc-property-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  write(dir, {
    "params.yaml": "data:\n  dir: eval\nmodels: [cnn, xgb]\n",
    "eval/m.json": '{"acc": 0.9}',
    "dvclive/metrics.json": '{"eval": {"acc": 0.9}}',
  });
  const fragments = fc.constantFrom(
    "stages:",
    "metrics:",
    "  train:",
    "    metrics:",
    "    - ",
    "- ",
    "eval/m.json",
    "${data.dir}",
    "${models[1]}",
    "${item}",
    "${key}",
    "${",
    "}",
    "\\${",
    "foreach:",
    "do:",
    "matrix:",
    "vars:",
    "wdir:",
    "params.yaml",
    "m.toml",
    "[",
    "]",
    "{",
    "}",
    ": ",
    ",",
    "&a ",
    "*a",
    "\n",
    "\r\n",
    "\r",
    "  ",
    "cache: false",
    "../",
    "/etc/passwd",
    "1e9",
    "~",
  );
  // dvc.yaml-shaped documents, to reach foreach, matrix, wdir and vars with odd values in every place.
  const word = fc.constantFrom(
    "eval/m.json",
    "${data.dir}/m.json",
    "${item}",
    "${key}.json",
    "${item.a}",
    "${models}",
    "${models[9]}",
    "${data}",
    "${nope}",
    "params.yaml",
    "params.yaml:data",
    "missing.yaml",
    "../x.json",
    "",
    "\\${x}",
    "eval",
  );
  const leaf = fc.oneof(word, fc.integer(), fc.constant(null), fc.boolean(), fc.double());
  const value = fc.oneof(
    leaf,
    fc.array(leaf, { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "b", "dir"), leaf, { maxKeys: 2 }),
  );
  const entries = fc.oneof(
    fc.array(fc.oneof(word, fc.dictionary(word, fc.constant({ cache: false }), { maxKeys: 2 })), {
      maxLength: 3,
    }),
    value,
  );
  const stage = fc.record(
    {
      cmd: fc.constant("x"),
      wdir: value,
      vars: fc.oneof(entries, value),
      metrics: entries,
      foreach: value,
      do: fc.oneof(value, fc.record({ metrics: entries, wdir: value })),
      matrix: fc.oneof(value, fc.dictionary(fc.constantFrom("a", "b"), value, { maxKeys: 2 })),
    },
    { requiredKeys: [] },
  );
  const pipeline = fc
    .record(
      {
        vars: fc.oneof(entries, value),
        metrics: entries,
        stages: fc.oneof(value, fc.dictionary(fc.constantFrom("s", "t"), stage, { maxKeys: 2 })),
      },
      { requiredKeys: [] },
    )
    .map((document) => stringifyYaml(document));
  const yamlText = fc.oneof(
    fc.array(fragments, { maxLength: 40 }).map((parts) => parts.join("")),
    fc.string({ maxLength: 200 }),
    pipeline,
  );
  const readsOrRefuses = async (path: string) => {
    try {
      await dvcFormat.read(join(dir, path), { origin: path, files: await ContainedFs.open(dir) });
    } catch (error) {
      if (!(error instanceof MlgateError)) throw error;
    }
    return true;
  };

  it("on any dvc.yaml", async () => {
    await fc.assert(
      fc.asyncProperty(yamlText, async (text) => {
        writeFileSync(join(dir, "dvc.yaml"), text);
        return readsOrRefuses("dvc.yaml");
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("on any metrics file a dvc.yaml declares", async () => {
    writeFileSync(join(dir, "dvc.yaml"), "metrics: [eval/m.json, eval/m.yaml]\n");
    const json = fc.oneof(
      fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(json, yamlText, async (jsonText, yaml) => {
        writeFileSync(join(dir, "eval/m.json"), jsonText);
        writeFileSync(join(dir, "eval/m.yaml"), yaml);
        return readsOrRefuses("dvc.yaml");
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("on any history file", async () => {
    const cell = fc.constantFrom(
      "step",
      "timestamp",
      "eval/acc",
      "0",
      "1",
      "nan",
      "inf",
      "-1e3",
      "",
      " ",
      "x",
      '"q""t"',
    );
    const tsv = fc.oneof(
      fc
        .array(
          fc.array(cell, { maxLength: 4 }).map((cells) => cells.join("\t")),
          { maxLength: 6 },
        )
        .chain((lines) => fc.constantFrom("\n", "\r\n", "\r").map((end) => lines.join(end))),
      fc.string({ maxLength: 200 }),
    );
    mkdirSync(join(dir, "dvclive/plots/metrics/eval"), { recursive: true });
    await fc.assert(
      fc.asyncProperty(tsv, async (text) => {
        writeFileSync(join(dir, "dvclive/plots/metrics/eval/acc.tsv"), text);
        return (await readsOrRefuses("dvclive")) && readsOrRefuses("dvclive/plots/metrics/eval/acc.tsv");
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

if (existsSync(REAL)) {
  describe("every real DVC file, in its original layout", () => {
    // Every file of the directory, each read by one of the tests below through real().
    const covered = [
      "evidently-dvc_pipelines-train_dvc.yaml",
      "evidently-dvc_pipelines-train_params.yaml",
      "evidently-dvc_reports-train_metrics.json",
      "example-dvc-experiments-fork_dvc.yaml",
      "example-dvc-experiments-fork_dvclive-metrics.json",
      "example-dvc-experiments-fork_dvclive_eval_acc.tsv",
      "example-dvc-experiments_compact_metrics.json",
      "example-dvc-experiments_dvclive-v0-summary_dvclive.json",
      "example-dvc-experiments_dvclive-v0_val_acc.tsv",
      "example-get-started_dvc.yaml",
      "example-get-started_eval-live-metrics.json",
      "example-get-started_evaluation-metrics.json",
      "remla23-team18_dvc.yaml",
    ];
    const real = (name: string): string => {
      expect(covered).toContain(name);
      return readFileSync(join(REAL, name), "utf8");
    };

    it("mlrepa/evidently-dvc: pipelines/train/dvc.yaml declares ../../reports/train/metrics.json", async () => {
      const metrics = real("evidently-dvc_reports-train_metrics.json");
      const cwd = workspace(undefined, {
        "pipelines/train/dvc.yaml": real("evidently-dvc_pipelines-train_dvc.yaml"),
        "pipelines/train/params.yaml": real("evidently-dvc_pipelines-train_params.yaml"),
        "reports/train/metrics.json": metrics,
      });
      const reading = await read(cwd, "pipelines/train/dvc.yaml");
      expect(values(reading)).toEqual(leaves(JSON.parse(metrics), "reports/train/metrics.json:"));
      expect(reading.unavailable).toBeUndefined();
    });

    it("CaroCardozo/example-dvc-experiments: dvclive/metrics.json with the eval/acc history", async () => {
      const summary = real("example-dvc-experiments-fork_dvclive-metrics.json");
      const history = real("example-dvc-experiments-fork_dvclive_eval_acc.tsv");
      const cwd = workspace(undefined, {
        "dvc.yaml": real("example-dvc-experiments-fork_dvc.yaml"),
        "dvclive/metrics.json": summary,
        "dvclive/plots/metrics/eval/acc.tsv": history,
      });
      const [header, ...rows] = tsvRows(history);
      const points = rows.map(([step, value]) => ({ step: Number(step), value: Number(value) }));
      const named = byName(await read(cwd, "dvc.yaml"));
      expect(Object.fromEntries([...named].map(([name, m]) => [name, m.value]))).toEqual(
        leaves(JSON.parse(summary), "dvclive/metrics.json:"),
      );
      expect(named.get("dvclive/metrics.json:eval/acc")?.history).toEqual(points);
      const live = byName(await read(cwd, "dvclive"));
      expect(live.get(header?.[1] ?? "")?.history).toEqual(points);
      expect(live.get("eval/acc")?.value).toBe((JSON.parse(summary) as { eval: { acc: number } }).eval.acc);
    });

    it("iterative/example-get-started: eval/metrics.json declared but absent; eval/live/metrics.json read", async () => {
      const live = real("example-get-started_eval-live-metrics.json");
      const cwd = workspace(undefined, {
        "dvc.yaml": real("example-get-started_dvc.yaml"),
        "eval/live/metrics.json": live,
      });
      const reading = await read(cwd, "dvc.yaml");
      expect(reading.measurements).toEqual([]);
      expect(
        reading.unavailable?.map(({ prefix, error }) => [prefix, error.code, error.location?.line]),
      ).toEqual([
        [
          "eval/metrics.json:",
          "source.not-found",
          lineOf(real("example-get-started_dvc.yaml"), "- eval/metrics.json"),
        ],
      ]);
      expect(values(await read(cwd, "eval/live/metrics.json"))).toEqual(leaves(JSON.parse(live)));
    });

    it("iterative/example-get-started (older): evaluation/metrics.json, flat", async () => {
      const metrics = real("example-get-started_evaluation-metrics.json");
      const cwd = workspace(undefined, {
        // The tutorial's evaluate stage of that time, as DVC 2 wrote it (the dvc.yaml was not collected).
        "dvc.yaml":
          "stages:\n  evaluate:\n    cmd: python src/evaluate.py model.pkl data/features\n    metrics:\n    - evaluation/metrics.json:\n        cache: false\n",
        "evaluation/metrics.json": metrics,
      });
      expect(values(await read(cwd, "dvc.yaml"))).toEqual(
        leaves(JSON.parse(metrics), "evaluation/metrics.json:"),
      );
      expect(values(await read(cwd, "evaluation/metrics.json"))).toEqual(JSON.parse(metrics));
    });

    it("remla23-team18/model-training: the evaluate stage's classification_report.json, not written", async () => {
      const text = real("remla23-team18_dvc.yaml");
      const reading = await read(workspace(undefined, { "dvc.yaml": text }), "dvc.yaml");
      expect(reading.measurements).toEqual([]);
      const { prefix, error } = onlyUnavailable(reading);
      expect(prefix).toBe("classification_report.json:");
      expect(error.code).toBe("source.not-found");
      expect(error.location).toEqual({
        file: "dvc.yaml",
        line: lineOf(text, "- classification_report.json:"),
        column: 9,
      });
      expect(error.hint).toBe(
        "run the stage that writes it (`dvc repro evaluate`) or fetch its outputs (`dvc pull evaluate`) before mlgate",
      );
    });

    it("iterative/example-dvc-experiments (DVCLive 0.x): dvclive.json, dvclive/val_acc.tsv, one-line metrics.json", async () => {
      const summary = real("example-dvc-experiments_dvclive-v0-summary_dvclive.json");
      const history = real("example-dvc-experiments_dvclive-v0_val_acc.tsv");
      const compact = real("example-dvc-experiments_compact_metrics.json");
      expect(compact).not.toMatch(/\n/);
      expect(history).toContain("\r\n");
      const cwd = workspace(undefined, {
        "dvclive.json": summary,
        "dvclive/val_acc.tsv": history,
        "metrics.json": compact,
      });
      const named = byName(await read(cwd, "dvclive"));
      expect(Object.fromEntries([...named].map(([name, m]) => [name, m.value]))).toEqual(JSON.parse(summary));
      expect(named.get("val_acc")?.history).toEqual(
        tsvRows(history)
          .slice(1)
          .map(([timestamp, step, value]) => ({
            step: Number(step),
            value: Number(value),
            timestamp: Number(timestamp),
          })),
      );
      expect(values(await read(cwd, "metrics.json"))).toEqual(JSON.parse(compact));
    });

    it("covers every file in the directory: a new one needs a test here", () => {
      expect(readdirSync(REAL).sort()).toEqual(covered);
    });
  });
}
