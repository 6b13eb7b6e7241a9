import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../../src/errors.js";
import { measurementTree, type ToolMeasurement } from "../../../src/sources/formats/tool.js";
import { wandbFormat } from "../../../src/sources/formats/wandb.js";
import { thrownBy } from "../../support/thrown.js";

const FIXTURES = new URL("../../../fixtures/formats/wandb/", import.meta.url);
const REAL = "/work/shared/real-artifacts/wandb";
const fixtureNames = readdirSync(FIXTURES).filter((name) => name !== "PROVENANCE.md");
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");
const read = (name: string): ToolMeasurement[] => wandbFormat.read(fixture(name), { origin: name });
const refusal = (text: string): MlgateError =>
  thrownBy(() => wandbFormat.read(text, { origin: "wandb-summary.json" }));

function byName(measurements: readonly ToolMeasurement[]): Map<string, ToolMeasurement> {
  return new Map(measurements.map((measurement) => [measurement.name, measurement]));
}

describe("Weights & Biases run summaries", () => {
  it("names slash-namespaced keys as logged and W&B's own keys under theirs", () => {
    expect(read("stanford-alpaca-fork_wandb-summary.json")).toEqual([
      { name: "train/loss", value: 0.338 },
      { name: "train/learning_rate", value: 0 },
      { name: "train/epoch", value: 3 },
      { name: "train/global_step", value: 1218 },
      { name: "_timestamp", value: 1701429997.805667 },
      { name: "_runtime", value: 13153.060567855835 },
      { name: "_step", value: 1218 },
      { name: "train/train_runtime", value: 13155.3572 },
      { name: "train/train_samples_per_second", value: 11.859 },
      { name: "train/train_steps_per_second", value: 0.093 },
      { name: "train/total_flos", value: 0 },
      { name: "train/train_loss", value: 0.5294419806848214 },
      { name: "_wandb.runtime", value: 13217 },
    ]);
  });

  it("keeps keys with capitals and spaces, values on a 0–100 scale and float artefacts as written", () => {
    const named = byName(read("classifiers-pretraining_wandb-summary.json"));
    expect(named.get("F1 Score")?.value).toBe(0.8573470726094803);
    expect(named.get("Accuracy")?.value).toBe(85.63);
    expect(named.get("Accuracy")?.scale).toBeUndefined();
    expect(named.get("Recall")?.value).toBe(0.8563000000000001);
    expect(named.get("_step")?.value).toBe(0);
    expect(named.get("_wandb.runtime")?.value).toBe(50);
  });

  it("reads a logged table as `<key>/nrows` and `<key>/ncols`, and nothing else of it", () => {
    expect(read("synthetic_table-file_wandb-summary.json")).toEqual([
      { name: "holdout-predictions/nrows", value: 431 },
      { name: "holdout-predictions/ncols", value: 12 },
      { name: "_timestamp", value: 1716201544.271903 },
      { name: "_runtime", value: 2.318842077255249 },
      { name: "_step", value: 0 },
      { name: "_wandb.runtime", value: 3 },
    ]);
  });

  it("keeps NaN and ±Infinity, reads percentages and N/A, joins nested keys with dots and skips media (CRLF file)", () => {
    expect(fixture("synthetic_quirks_wandb-summary.json")).toContain("\r\n");
    const named = byName(read("synthetic_quirks_wandb-summary.json"));
    expect(named.get("eval/loss")?.value).toBeNaN();
    expect(named.get("train/grad_norm")?.value).toBe(Infinity);
    expect(named.get("train/loss")?.value).toBe(-Infinity);
    expect(named.get("val acc")?.value).toBe(0.9125);
    expect(named.get("precision, macro")?.value).toBe(0.8814);
    expect(named.get("coverage")).toEqual({ name: "coverage", value: 25.59, scale: "percent" });
    expect(named.get("auc")?.value).toBeNull();
    expect(named.get("best_epoch")?.value).toBeNull();
    expect(named.get("early_stopped")?.value).toBe(true);
    expect(named.get("model")?.value).toBe("resnet-50");
    expect(named.get("eval.acc")?.value).toBe(0.9);
    expect(named.get("eval.per class.cat")?.value).toBe(0.93);
    expect(named.get("batch_sizes.1")?.value).toBe(64);
    expect([...named.keys()].filter((name) => /confidence|examples/.test(name))).toEqual([]);
    expect(named.get("_wandb.runtime")?.value).toBe(1204);
  });

  it("gives every fixture unique names", () => {
    for (const name of fixtureNames) expect(() => measurementTree(read(name), name)).not.toThrow();
  });

  it("reads an empty summary as no measurements", () => {
    expect(wandbFormat.read("{}", { origin: "wandb-summary.json" })).toEqual([]);
  });
});

describe("detecting a W&B summary", () => {
  it.each(fixtureNames)("claims %s by its content", (name) => {
    expect(wandbFormat.detect("summary.json", fixture(name))).toBe(true);
  });

  it("claims a file named wandb-summary.json whatever it holds", () => {
    expect(wandbFormat.detect("wandb/latest-run/files/wandb-summary.json", '{"loss": 0.1}')).toBe(true);
    expect(wandbFormat.detect("run\\files\\wandb-summary.json", "{}")).toBe(true);
  });

  it.each([
    ["a plain metrics file", '{"accuracy": 0.9}'],
    ["a file with only _step", '{"_step": 3, "loss": 0.2}'],
    ["_step and _runtime nested deeper", '{"run": {"_step": 3, "_runtime": 1.5}}'],
    ["_wandb that is not an object", '{"_wandb": 1}'],
    ["a list", '[{"_wandb": {}}]'],
    [
      "a classification report",
      readFileSync(
        new URL(
          "../../../fixtures/formats/sklearn/remla23-team18_classification_report.json",
          import.meta.url,
        ),
        "utf8",
      ),
    ],
    [
      "a JUnit report",
      readFileSync(
        new URL("../../../fixtures/formats/junit/synthetic_failures_junit.xml", import.meta.url),
        "utf8",
      ),
    ],
    [
      "a Hugging Face trainer_state.json",
      '{"global_step": 1218, "log_history": [{"loss": 0.3, "step": 10}]}',
    ],
    ["broken JSON with W&B's keys", '{"_wandb": {"runtime": 3}, oops}'],
  ])("does not claim %s", (_what, text) => {
    expect(wandbFormat.detect("metrics.json", text)).toBe(false);
  });
});

describe("refusing what is not a W&B summary", () => {
  it("points at line and column of a JSON syntax error", () => {
    const error = refusal('{"_step": 1,\n "loss": .5}');
    expect(error.code).toBe("source.parse");
    expect(error.message).toBe("invalid JSON: expected a value");
    expect(error.location).toEqual({ file: "wandb-summary.json", line: 2, column: 10 });
  });

  it("refuses a key written twice", () => {
    const error = refusal('{"loss": 0.5, "_step": 1, "loss": 0.4}');
    expect(error.message).toBe("invalid JSON: a key appears twice in the same object");
    expect(error.location).toEqual({ file: "wandb-summary.json", line: 1, column: 27 });
  });

  it.each([["[1, 2]"], ['"summary"'], ["0.9"], ["null"]])("refuses %s at the top", (text) => {
    const error = refusal(text);
    expect(error.message).toBe("expected a W&B run summary: a JSON object keyed by metric");
    expect(error.location).toEqual({ file: "wandb-summary.json", line: 1, column: 1 });
  });

  it("refuses a dotted key next to the nested key of the same name, naming both", () => {
    const error = refusal('{"eval": {"acc": 0.9}, "eval.acc": 0.8}');
    expect(error.message).toBe('two keys of the summary are both named "eval.acc"');
    expect(error.location).toEqual({ file: "wandb-summary.json", field: "/eval.acc" });
    expect(error.hint).toMatch(/^\/eval\/acc and \/eval.acc give the same name/);
  });

  it("refuses a table whose counts collide with a logged key", () => {
    const error = refusal('{"t/nrows": 3, "t": {"_type": "table-file", "nrows": 4, "ncols": 2}}');
    expect(error.message).toBe('two keys of the summary are both named "t/nrows"');
    expect(error.location).toEqual({ file: "wandb-summary.json", field: "/t/nrows" });
  });

  it("refuses objects nested more than 64 levels deep, without overflowing", () => {
    const error = refusal(`${'{"a": '.repeat(100)}1${"}".repeat(100)}`);
    expect(error.message).toBe("the summary nests objects more than 64 levels deep");
    expect(error.location?.field).toMatch(/^(\/a){65}$/);
  });

  it("throws nothing but MlgateError on every fixture cut short at any point", () => {
    for (const name of fixtureNames) {
      const text = fixture(name);
      for (let end = 0; end < text.length; end++) {
        try {
          wandbFormat.read(text.slice(0, end), { origin: name });
        } catch (error) {
          expect(error).toBeInstanceOf(MlgateError);
        }
      }
    }
  });
});

if (existsSync(REAL)) {
  describe("every real file of wandb", () => {
    it.each(readdirSync(REAL))("%s is read, or refused with a located source.parse error", (name) => {
      const text = readFileSync(join(REAL, name), "utf8");
      let measurements: ToolMeasurement[] | undefined;
      try {
        measurements = wandbFormat.read(text, { origin: name });
      } catch (error) {
        if (!(error instanceof MlgateError)) throw error;
        expect(error.code).toBe("source.parse");
        expect(error.location?.file).toBe(name);
        return;
      }
      expect(measurements.length).toBeGreaterThan(0);
      expect(measurements.some((measurement) => measurement.name === "_step")).toBe(true);
      expect(() => measurementTree(measurements, name)).not.toThrow();
      expect(wandbFormat.detect(name, text)).toBe(true);
    });
  });
}
