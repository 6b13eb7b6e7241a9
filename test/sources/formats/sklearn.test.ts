import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../../src/errors.js";
import { sklearnFormat } from "../../../src/sources/formats/sklearn.js";
import { measurementTree, type ToolMeasurement } from "../../../src/sources/formats/tool.js";
import { thrownBy } from "../../support/thrown.js";

const FIXTURES = new URL("../../../fixtures/formats/sklearn/", import.meta.url);
const REAL = "/work/shared/real-artifacts/sklearn";
const fixtureNames = readdirSync(FIXTURES).filter((name) => name !== "PROVENANCE.md");
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");
const read = (name: string): ToolMeasurement[] => sklearnFormat.read(fixture(name), { origin: name });
const refusal = (text: string): MlgateError =>
  thrownBy(() => sklearnFormat.read(text, { origin: "report.json" }));

function byName(measurements: readonly ToolMeasurement[]): Map<string, ToolMeasurement> {
  return new Map(measurements.map((measurement) => [measurement.name, measurement]));
}

describe("scikit-learn classification reports", () => {
  it("names a binary report `<label>/<metric>`, `accuracy` and `<average>/<metric>`, in the file's order", () => {
    const measurements = read("remla23-team18_classification_report.json");
    expect(measurements.map((m) => m.name)).toEqual([
      "0/precision",
      "0/recall",
      "0/f1-score",
      "0/support",
      "1/precision",
      "1/recall",
      "1/f1-score",
      "1/support",
      "accuracy",
      "macro avg/precision",
      "macro avg/recall",
      "macro avg/f1-score",
      "macro avg/support",
      "weighted avg/precision",
      "weighted avg/recall",
      "weighted avg/f1-score",
      "weighted avg/support",
    ]);
    const named = byName(measurements);
    expect(named.get("0/precision")).toEqual({ name: "0/precision", value: 0.638095238095238 });
    expect(named.get("1/recall")?.value).toBe(0.6274509803921569);
    expect(named.get("accuracy")?.value).toBe(0.7277777777777777);
    expect(named.get("macro avg/f1-score")?.value).toBe(0.7277021394831897);
    expect(named.get("weighted avg/support")?.value).toBe(180);
  });

  it("keeps labels with spaces, slashes and commas as written, reads float supports, and keeps NaN (CRLF file)", () => {
    const text = fixture("synthetic_multiclass_classification_report.json");
    expect(text).toContain("\r\n");
    const named = byName(read("synthetic_multiclass_classification_report.json"));
    expect(named.get("sci/tech/precision")?.value).toBe(0.8333333333333334);
    expect(named.get("arts, culture/recall")?.value).toBe(0.9333333333333333);
    expect(named.get("world news/recall")?.value).toBe(0);
    expect(named.get("world news/precision")?.value).toBeNaN();
    expect(named.get("world news/f1-score")?.value).toBeNaN();
    expect(named.get("business/support")?.value).toBe(15);
    expect(named.get("accuracy")?.value).toBe(0.9361702127659575);
    expect(named.get("macro avg/recall")?.value).toBe(0.7333333333333334);
    expect(named.size).toBe(4 * 4 + 1 + 2 * 4);
  });

  it("reads a minified one-line report with float supports", () => {
    const text = fixture("synthetic_binary_float-support_classification_report.json");
    expect(text).not.toMatch(/[\r\n]/);
    const named = byName(read("synthetic_binary_float-support_classification_report.json"));
    expect(named.get("1/precision")?.value).toBe(0.4);
    expect(named.get("1/support")?.value).toBe(6);
    expect(named.get("0/support")?.value).toBe(1244);
    expect(named.get("accuracy")?.value).toBe(0.9944);
    expect(named.get("weighted avg/f1-score")?.value).toBe(0.9941465794952337);
  });

  it("reads a multilabel report: micro and samples averages, no accuracy", () => {
    const named = byName(read("synthetic_multilabel_classification_report.json"));
    expect(named.has("accuracy")).toBe(false);
    expect(named.get("micro avg/f1-score")?.value).toBe(0.631578947368421);
    expect(named.get("samples avg/precision")?.value).toBe(0.45);
    expect(named.get("toxic/recall")?.value).toBe(0.6666666666666666);
    expect(named.get("insult/support")?.value).toBe(4);
  });

  it("reads a labelled confusion-matrix CSV as `confusion/<actual>/<predicted>` counts when format: sklearn is named", () => {
    const named = byName(read("synthetic_confusion_matrix.csv"));
    expect(named.get("confusion/business/business")?.value).toBe(15);
    expect(named.get("confusion/arts, culture/sci/tech")?.value).toBe(1);
    expect(named.get("confusion/arts, culture/arts, culture")?.value).toBe(14);
    expect(named.get("confusion/world news/sci/tech")?.value).toBe(2);
    expect(named.get("confusion/world news/world news")?.value).toBe(0);
    expect(named.size).toBe(16);
  });

  it("reads a report's text values: percentages on the percent scale, NA and null as missing", () => {
    const measurements = sklearnFormat.read(
      '{"a": {"precision": "25.59%", "recall": "N/A", "f1-score": null, "support": 4}, "accuracy": "NA"}',
      { origin: "report.json" },
    );
    expect(measurements).toEqual([
      { name: "a/precision", value: 25.59, scale: "percent" },
      { name: "a/recall", value: null },
      { name: "a/f1-score", value: null },
      { name: "a/support", value: 4 },
      { name: "accuracy", value: null },
    ]);
  });

  it("gives every fixture unique names", () => {
    for (const name of fixtureNames) expect(() => measurementTree(read(name), name)).not.toThrow();
  });
});

describe("detecting a classification report", () => {
  it.each(fixtureNames.filter((name) => name.endsWith(".json")))("claims %s", (name) => {
    expect(sklearnFormat.detect(name, fixture(name))).toBe(true);
  });

  it("leaves a confusion-matrix CSV to plain CSV detection, so `/<actual>/<predicted>` paths keep working", () => {
    expect(sklearnFormat.detect("confusion_matrix.csv", fixture("synthetic_confusion_matrix.csv"))).toBe(
      false,
    );
  });

  it.each([
    ["a plain metrics file", '{"accuracy": 0.9}'],
    [
      "a report nested in a metrics file",
      '{"test": {"macro avg": {"precision": 1, "recall": 1, "f1-score": 1, "support": 2}, "weighted avg": {}}}',
    ],
    ["averages without the four metrics", '{"macro avg": {"f1": 0.9}, "weighted avg": {"f1": 0.9}}'],
    [
      "a W&B summary",
      readFileSync(
        new URL("../../../fixtures/formats/wandb/stanford-alpaca-fork_wandb-summary.json", import.meta.url),
        "utf8",
      ),
    ],
    [
      "a JUnit report",
      readFileSync(
        new URL("../../../fixtures/formats/junit/synthetic_passing_junit.xml", import.meta.url),
        "utf8",
      ),
    ],
    ["a Hugging Face all_results.json", '{"epoch": 3.0, "eval_accuracy": 0.91, "eval_loss": 0.25}'],
    [
      "an Evidently report",
      '{"metrics": [{"metric": "DatasetDriftMetric", "result": {"drift_share": 0.5}}]}',
    ],
    ["broken JSON mentioning both averages", '{"macro avg": {, "weighted avg": {'],
  ])("does not claim %s", (_what, text) => {
    expect(sklearnFormat.detect("metrics.json", text)).toBe(false);
  });
});

describe("refusing what is not a classification report", () => {
  it("points at line and column of a JSON syntax error", () => {
    const error = refusal('{\n  "0": {"precision": 0.5,}\n}');
    expect(error.code).toBe("source.parse");
    expect(error.message).toMatch(/^invalid JSON: /);
    expect(error.location).toEqual({ file: "report.json", line: 2, column: 26 });
  });

  it("refuses a class written twice, pointing at the second", () => {
    const error = refusal('{"0": {"precision": 1},\n "0": {"precision": 0.5}}');
    expect(error.message).toBe("invalid JSON: a key appears twice in the same object");
    expect(error.location).toEqual({ file: "report.json", line: 2, column: 2 });
  });

  it("refuses a list at the top", () => {
    const error = refusal("[0.9, 0.8]");
    expect(error.message).toBe("expected a classification report: a JSON object keyed by class");
    expect(error.location).toEqual({ file: "report.json", line: 1, column: 1 });
    expect(error.hint).toMatch(/output_dict=True/);
  });

  it("refuses an empty report", () => {
    expect(refusal("{}").message).toBe("the classification report is empty");
    expect(refusal(`{"0": {}}`).message).toBe("the classification report is empty");
  });

  it.each([
    ["an object inside a class", '{"0": {"precision": {"mean": 0.5}}}', "/0/precision", "an object"],
    ["a list as accuracy", '{"accuracy": [0.9]}', "/accuracy", "a list"],
    ["a nested object under a label with a slash", '{"a/b": {"recall": [1]}}', "/a~1b/recall", "a list"],
  ])("refuses %s, naming where", (_what, text, field, found) => {
    const error = refusal(text);
    expect(error.message).toBe(`expected a number at ${field}, found ${found}`);
    expect(error.location).toEqual({ file: "report.json", field });
  });

  it("refuses two entries that would give the same name", () => {
    const error = refusal('{"a": {"precision": 1}, "a/precision": 0.5}');
    expect(error.message).toBe('two entries of the report are both named "a/precision"');
    expect(error.location).toEqual({ file: "report.json", field: "/a~1precision" });
    expect(error.hint).toMatch(/\/a\/precision and \/a~1precision/);
  });

  it.each([
    [
      "a row whose label is not in the header",
      "actual,a,b\na,1,0\nc,0,1\n",
      3,
      /not one of the header's labels/,
    ],
    ["a cell that is not a count", "actual,a,b\na,1,x\nb,0,1\n", 2, /column 3 is not a count/],
    ["a negative count", "actual,a,b\na,1,-2\nb,0,1\n", 2, /column 3 is not a count/],
    ["a row missing", "actual,a,b\na,1,0\n", 1, /names 2 labels but 1 rows follow/],
    ["a true label twice", "actual,a,b\na,1,0\na,0,1\n", 3, /also the label of line 2/],
    ["a header without labels", "actual\na\n", 1, /names no predicted labels/],
  ])("refuses a confusion matrix with %s, naming the line", (_what, text, line, message) => {
    const error = refusal(text);
    expect(error.code).toBe("source.parse");
    expect(error.message).toMatch(/^expected a confusion matrix: /);
    expect(error.message).toMatch(message);
    expect(error.location).toEqual({ file: "report.json", line });
    expect(error.hint).toMatch(/format: csv|count/);
  });

  it("refuses a ragged confusion-matrix row with the CSV reader's own words", () => {
    const error = refusal("actual,a,b\r\na,1,0\r\nb,0\r\n");
    expect(error.message).toMatch(/different number of cells/);
    expect(error.location).toMatchObject({ file: "report.json", line: 3 });
  });

  it("throws nothing but MlgateError on every fixture cut short at any point", () => {
    for (const name of fixtureNames) {
      const text = fixture(name);
      for (let end = 0; end < text.length; end++) {
        try {
          sklearnFormat.read(text.slice(0, end), { origin: name });
        } catch (error) {
          expect(error).toBeInstanceOf(MlgateError);
        }
      }
    }
  });
});

if (existsSync(REAL)) {
  describe("every real file of sklearn", () => {
    it.each(readdirSync(REAL))("%s is read, or refused with a located source.parse error", (name) => {
      const text = readFileSync(join(REAL, name), "utf8");
      let measurements: ToolMeasurement[] | undefined;
      try {
        measurements = sklearnFormat.read(text, { origin: name });
      } catch (error) {
        if (!(error instanceof MlgateError)) throw error;
        expect(error.code).toBe("source.parse");
        expect(error.location?.file).toBe(name);
        return;
      }
      expect(measurements.length).toBeGreaterThan(0);
      expect(() => measurementTree(measurements, name)).not.toThrow();
      if (name.endsWith(".json")) expect(sklearnFormat.detect(name, text)).toBe(true);
    });
  });
}
