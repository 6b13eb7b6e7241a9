import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../../src/errors.js";
import { cellValue, fairnessFormat } from "../../../src/sources/formats/fairness.js";
import type { ToolMeasurement } from "../../../src/sources/formats/tool.js";
import { thrownBy } from "../../support/thrown.js";

const FIXTURES = new URL("../../../fixtures/formats/fairness/", import.meta.url);
const fixtureNames = readdirSync(FIXTURES).filter((name) => /\.(?:json|csv)$/.test(name));
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");
const read = (name: string): ToolMeasurement[] => fairnessFormat.read(fixture(name), { origin: name });
const refusal = (text: string, origin = "fairness.csv"): MlgateError =>
  thrownBy(() => fairnessFormat.read(text, { origin }));

function values(measurements: readonly ToolMeasurement[]): Map<string, ToolMeasurement["value"]> {
  return new Map(measurements.map((m) => [m.name, m.value]));
}

function measurement(measurements: readonly ToolMeasurement[], name: string): ToolMeasurement | undefined {
  return measurements.find((m) => m.name === name);
}

describe("fairlearn MetricFrames written as JSON", () => {
  it("names each sensitive feature's MetricFrame by the keys leading to it", () => {
    const measurements = read("synthetic_fairlearn_metricframe_per_feature.json");
    const byName = values(measurements);
    expect(byName.get("fairness/married/overall/accuracy")).toBe(0.912);
    expect(byName.get("fairness/married/by_group/selection_rate/Not Married")).toBe(0.361);
    expect(byName.get("fairness/married/disparities/demographic_parity_ratio")).toBe(0.8356481481481481);
    expect(byName.get("fairness/region/by_group/selection_rate/Rural")).toBe(0);
    expect(byName.get("fairness/region/disparities/equalized_odds_difference")).toBeNaN();
    expect(byName.has("model")).toBe(false);
    // 2 features × (3 overall + 3 metrics × groups + 3 disparities): married 2 groups, region 3.
    expect(measurements).toHaveLength(3 + 6 + 3 + (3 + 9 + 3));
  });

  it("reads by_group written group first as if written metric first, and leaves lists out", () => {
    const measurements = read("synthetic_fairlearn_metricframe_index-oriented.json");
    expect(measurements.map((m) => m.name)).toEqual([
      "overall/selection_rate",
      "overall/false_positive_rate",
      "overall/count",
      "by_group/selection_rate/('F', '<25')",
      "by_group/selection_rate/('F', '25-45')",
      "by_group/selection_rate/('M', '25-45')",
      "by_group/false_positive_rate/('F', '<25')",
      "by_group/false_positive_rate/('F', '25-45')",
      "by_group/false_positive_rate/('M', '25-45')",
      "by_group/count/('F', '<25')",
      "by_group/count/('F', '25-45')",
      "by_group/count/('M', '25-45')",
      "difference/selection_rate",
      "difference/false_positive_rate",
    ]);
    const byName = values(measurements);
    expect(byName.get("by_group/selection_rate/('F', '<25')")).toBe(0.25);
    expect(byName.get("by_group/false_positive_rate/('F', '25-45')")).toBe(Infinity);
    expect(byName.get("overall/count")).toBeNull();
    expect(byName.get("difference/selection_rate")).toBe(0.1);
    expect(measurement(measurements, "by_group/selection_rate/('M', '25-45')")).toEqual({
      name: "by_group/selection_rate/('M', '25-45')",
      value: 35,
      scale: "percent",
    });
  });

  it("reads a single-metric MetricFrame: one overall value, one value per group", () => {
    const text = '{"overall": 0.5, "by_group": {"F": 0.4, "M": 0.6}, "difference": 0.2}';
    expect(fairnessFormat.read(text, { origin: "mf.json" })).toEqual([
      { name: "overall", value: 0.5 },
      { name: "by_group/F", value: 0.4 },
      { name: "by_group/M", value: 0.6 },
      { name: "difference", value: 0.2 },
    ]);
  });
});

describe("Aequitas bias reports", () => {
  it("names each cell `<attribute_name>=<attribute_value>/<column>`, Python booleans as booleans", () => {
    const measurements = read("aequitas_bias_report_output_test_1.csv");
    const byName = values(measurements);
    expect(byName.get("class=High/tpr")).toBe(0.6666666666666666);
    expect(byName.get("class=Low/fnr_disparity")).toBe(1.5);
    expect(byName.get("class=High/Statistical Parity")).toBe(true);
    expect(byName.get("class=Low/FDR Parity")).toBe(false);
    expect(byName.get("class=High/score_threshold")).toBe("binary 0/1");
    expect(byName.get("class=Low/fpr_ref_group_value")).toBe("High");
    expect(byName.get("class=High/group_size_pct")).toBe(0.5);
    expect(byName.has("class=High/attribute_value")).toBe(false);
    // 49 columns, 2 of them the attribute's name and value, on 2 rows.
    expect(measurements).toHaveLength(2 * 47);
  });

  it("reads CRLF line endings, inf as Infinity, NaN and empty cells as no value, names with spaces", () => {
    const measurements = read("synthetic_aequitas_crlf.csv");
    const byName = values(measurements);
    expect(byName.get("race=Native American/ppr_disparity")).toBe(Infinity);
    expect(byName.get("race=Native American/fpr_disparity")).toBeNull();
    expect(byName.get("race=Native American/FPR Parity")).toBeNull();
    expect(byName.get("race=African-American/fpr_disparity")).toBe(1.909090909090909);
    expect(byName.get("race=African-American/Statistical Parity")).toBe(false);
    expect(byName.get("age_cat=25 - 45/ppr_disparity")).toBeNull();
    expect(byName.get("age_cat=25 - 45/fpr_ref_group_value")).toBe("25 - 45");
    expect(byName.get("race=Caucasian/model_id")).toBe(7);
    expect(measurements.some((m) => m.name.includes("\r") || String(m.value).includes("\r"))).toBe(false);
  });
});

describe("per-group summary tables", () => {
  it("names a fairlearn summary `<first cell>/<column header>`, whatever the first header says", () => {
    expect(read("credit-scoring-shap_fairlearn_fairness_metrics.csv")).toEqual([
      { name: "age_group/Demographic Parity Diff", value: 0.14723424412720976 },
      { name: "age_group/Demographic Parity Ratio", value: 0.7062462410860039 },
      { name: "age_group/Equalized Odds Diff", value: 0.12445777325550259 },
      { name: "age_group/Equalized Odds Ratio", value: 0.6442131047152481 },
      { name: "gender/Demographic Parity Diff", value: 0.10981767180925667 },
      { name: "gender/Demographic Parity Ratio", value: 0.7789384528514963 },
      { name: "gender/Equalized Odds Diff", value: 0.09270378020077819 },
      { name: "gender/Equalized Odds Ratio", value: 0.7993173847695391 },
    ]);
  });

  it("reads per-group counts, rates and signed disparities", () => {
    const byName = values(read("clinical-driftops_group_fairness_metrics.csv"));
    expect(byName.get("F/n")).toBe(161);
    expect(byName.get("F/positive_rate")).toBe(0.018633540372670808);
    expect(byName.get("F/disparity")).toBe(-0.020226563254272197);
    expect(byName.get("M/disparity")).toBe(0.014473229706390332);
  });

  it("reads CR-only line endings without a final newline, NA, empty cells, percentages and a / in a group", () => {
    const measurements = read("synthetic_group_rates_cr.csv");
    const byName = values(measurements);
    expect(byName.get("F/selection_rate")).toBe(0.3125);
    expect(byName.get("M/fpr")).toBeNull();
    expect(byName.get("Non-binary/other/tpr")).toBeNull();
    expect(byName.get("Non-binary/other/count")).toBe(8);
    expect(measurement(measurements, "Non-binary/other/selection_rate")).toEqual({
      name: "Non-binary/other/selection_rate",
      value: 12.5,
      scale: "percent",
    });
    expect(measurements).toHaveLength(12);
  });

  it("reads a semicolon-separated table and leaves out an unnamed empty column (a trailing delimiter)", () => {
    const text = "group;selection_rate;\nA;0.5;\nB;0.25;\n";
    expect(fairnessFormat.read(text, { origin: "rates.csv" })).toEqual([
      { name: "A/selection_rate", value: 0.5 },
      { name: "B/selection_rate", value: 0.25 },
    ]);
  });

  it.each<[string, ToolMeasurement["value"], ("percent" | undefined)?]>([
    ["0.5", 0.5],
    ["-1e-3", -0.001],
    ["161", 161],
    ["True", true],
    ["FALSE", false],
    ["true", true],
    ["", null],
    ["NA", null],
    ["N/A", null],
    ["nan", null],
    ["None", null],
    ["inf", Infinity],
    ["-inf", -Infinity],
    ["Infinity", Infinity],
    ["12.5%", 12.5, "percent"],
    ["High", "High"],
    ["binary 0/1", "binary 0/1"],
  ])("reads the cell %j as %s", (cell, value, scale) => {
    expect(cellValue(cell)).toEqual(scale ? { value, scale } : { value });
  });
});

describe("fairness detection", () => {
  it.each(fixtureNames)("claims %s", (name) => {
    expect(fairnessFormat.detect(name, fixture(name))).toBe(true);
  });

  it.each([
    ["a plain metrics file", "metrics.json", '{"accuracy": 0.9}'],
    ["JSON with overall but no by_group object", "metrics.json", '{"overall": {"a": 1}, "by_group": 3}'],
    ["a ROC curve", "roc.csv", "fpr,tpr,thresholds\n0.0,0.0,inf\n0.1,0.6,0.8\n"],
    ["a drift table", "drift.csv", "feature,psi,ks_stat\nage,0.1,0.2\n"],
    ["groups without fairness columns", "groups.csv", "group,n,accuracy\nF,10,0.9\n"],
    ["a header alone", "groups.csv", "group,selection_rate\n"],
    ["YAML", "fairness.yaml", "group: F\nselection_rate: 0.5\n"],
  ])("does not claim %s", (_what, fileName, text) => {
    expect(fairnessFormat.detect(fileName, text)).toBe(false);
  });

  it.each([
    "formats/lm-eval/lm-eval-v0.4_rwkv7-0.1B_lambada_results.json",
    "real/remla23-team18_classification_report.json",
    "real/clinical-driftops_drift_metrics.csv",
    "real/aequitas_sample1_cr-line-endings.csv",
    "real/aequitas_nyc_sqf_multi-model_crlf.csv",
  ])("does not claim another tool's file or a predictions file (%s)", (path) => {
    const text = readFileSync(new URL(`../../${path}`, FIXTURES), "utf8");
    expect(fairnessFormat.detect(path, text)).toBe(false);
  });
});

describe("fairness refusals", () => {
  it("refuses JSON that holds no MetricFrame", () => {
    const error = refusal('{"overall": {"accuracy": 0.9}}', "mf.json");
    expect(error.message).toBe("the file holds no fairlearn MetricFrame");
    expect(error.location).toEqual({ file: "mf.json", line: 1, column: 1 });
    expect(error.hint).toContain('"by_group"');
  });

  it("refuses invalid JSON at the place it breaks", () => {
    const error = refusal('{"overall": 0.5,\n "by_group": {"F": 0.4,}}', "mf.json");
    expect(error.message).toMatch(/^invalid JSON/);
    expect(error.location).toMatchObject({ file: "mf.json", line: 2 });
  });

  it("refuses a by_group metric that is a list, at its key", () => {
    const error = refusal(
      '{\n  "overall": {"acc": 0.9},\n  "by_group": {\n    "acc": [0.8, 0.9]\n  }\n}',
      "mf.json",
    );
    expect(error.message).toBe('`by_group` of "acc" in the MetricFrame is not an object of group values');
    expect(error.location).toEqual({ file: "mf.json", line: 4, column: 5, field: "/by_group/acc" });
  });

  it("refuses a group value nested one level too deep", () => {
    const text =
      '{"fairness": {"sex": {"overall": {"acc": 0.9}, "by_group": {"acc": {"F": {"mean": 0.8}}}}}}';
    const error = refusal(text, "mf.json");
    expect(error.message).toBe('`by_group` of "acc" for "F" in the MetricFrame is not one value');
    expect(error.location).toMatchObject({ field: "/fairness/sex/by_group/acc/F", line: 1, column: 69 });
  });

  it("refuses an overall that is a list", () => {
    const error = refusal('{"overall": [0.9], "by_group": {}}', "mf.json");
    expect(error.message).toBe("`overall` in the MetricFrame is not an object of metric values");
    expect(error.location).toMatchObject({ field: "/overall", line: 1, column: 2 });
  });

  it("refuses a MetricFrame without values", () => {
    const error = refusal('{"sex": {"overall": {}, "by_group": {}}}', "mf.json");
    expect(error.message).toBe("the MetricFrame holds no values");
    expect(error.location).toEqual({ file: "mf.json", line: 1, column: 2, field: "/sex" });
  });

  it("refuses a table of one column (a file that is not a table, or another delimiter)", () => {
    const error = refusal("group: F\nselection_rate: 0.5\n", "fairness.yaml");
    expect(error.message).toBe("the fairness table has no metric column");
    expect(error.location).toEqual({ file: "fairness.yaml", line: 1 });
  });

  it("refuses a row with more cells than the header, with its line", () => {
    const error = refusal("group,selection_rate\nF,0.5\nM,0.6,0.1\n");
    expect(error.message).toBe("a row has a different number of cells than the header (3 instead of 2)");
    expect(error.location).toMatchObject({ file: "fairness.csv", line: 3 });
  });

  it("refuses an Aequitas report with one group on two rows, naming the columns that differ", () => {
    const text =
      "model_id,score_threshold,attribute_name,attribute_value,tpr\r\n" +
      "1,binary 0/1,sex,F,0.5\r\n" +
      "2,binary 0/1,sex,F,0.6\r\n";
    const error = refusal(text);
    expect(error.message).toBe('the group "sex=F" has two rows (lines 2 and 3)');
    expect(error.location).toEqual({ file: "fairness.csv", line: 3 });
    expect(error.hint).toContain("the rows differ in model_id");
  });

  it("refuses a summary table with one group on two rows", () => {
    const error = refusal("group,selection_rate\rF,0.5\rM,0.6\rF,0.7");
    expect(error.message).toBe('the group "F" has two rows (lines 2 and 4)');
    expect(error.location).toEqual({ file: "fairness.csv", line: 4 });
    expect(error.hint).toContain("one row per group");
  });

  it("refuses a row without its group", () => {
    const error = refusal("group,selection_rate\nF,0.5\n,0.6\n");
    expect(error.message).toBe("a row has no group name in its group column");
    expect(error.location).toEqual({ file: "fairness.csv", line: 3 });
  });

  it("refuses an Aequitas row without an attribute name", () => {
    const error = refusal("attribute_name,attribute_value,tpr\nsex,F,0.5\n,M,0.6\n");
    expect(error.message).toBe("a row has no group name in its attribute_name column");
    expect(error.location).toEqual({ file: "fairness.csv", line: 3 });
  });

  it("refuses a header without rows", () => {
    const error = refusal("group,selection_rate\n");
    expect(error.message).toBe("the fairness table has a header but no rows");
    expect(error.location).toEqual({ file: "fairness.csv", line: 1 });
  });

  it("refuses an unnamed column that holds values", () => {
    const error = refusal("group,selection_rate,\nF,0.5,0.1\n");
    expect(error.message).toBe("column 3 of the header has no name but holds values");
    expect(error.location).toEqual({ file: "fairness.csv", line: 1 });
  });

  it("refuses two cells that would give one name", () => {
    const error = refusal("group,c,b/c\na/b,1,\na,,2\n");
    expect(error.message).toBe('two values in fairness.csv would both be named "a/b/c"');
    expect(error.location).toEqual({ file: "fairness.csv", line: 3, field: "b/c" });
    expect(error.hint).toContain("on line 2");
  });

  it.each([
    "",
    "\uFEFF",
    "[]",
    "null",
    "{",
    '{"overall": 1, "by_group": {"__proto__": {"constructor": 1}}}',
    '{"a": {"b": {"c": {"d": {"overall": 1, "by_group": {}}}}}}',
    '{"overall": {"a": 1}, "by_group": {"x": {"a": [1]}}}',
    "attribute_name,attribute_value\n",
    "a\n",
    '"unclosed,b\n1,2\n',
    "a,a\n1,2\n",
  ])("reads or refuses %j with an MlgateError, nothing else", (text) => {
    try {
      expect(Array.isArray(fairnessFormat.read(text, { origin: "x" }))).toBe(true);
    } catch (error) {
      expect(error).toBeInstanceOf(MlgateError);
    }
  });
});

const REAL = join(process.env["MLGATE_REAL_ARTIFACTS"] ?? "/work/shared/real-artifacts", "fairness");

// Only where the collection of real artifacts is present; elsewhere no test is defined.
if (existsSync(REAL)) {
  describe(`every real file of ${REAL}`, () => {
    it.each(readdirSync(REAL))("reads %s, or refuses it with a specific MlgateError", (name) => {
      const text = readFileSync(join(REAL, name), "utf8");
      expect(fairnessFormat.detect(name, text)).toBe(true);
      let measurements: ToolMeasurement[];
      try {
        measurements = fairnessFormat.read(text, { origin: name });
      } catch (error) {
        expect(error).toBeInstanceOf(MlgateError);
        expect(error).toMatchObject({ code: "source.parse", location: { file: name } });
        return;
      }
      expect(measurements.length).toBeGreaterThan(0);
      expect(new Set(measurements.map((m) => m.name)).size).toBe(measurements.length);
    });
  });
}
