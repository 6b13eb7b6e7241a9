// The Evidently reader: legacy Reports and TestSuites (0.3–0.4) and 0.7 Reports become the measurements
// docs/formats/evidently.md names, from our fixtures, a real 0.7 report, and the unlicensed real files in
// /work/shared/real-artifacts/evidently when they are there to read.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../../src/errors.js";
import { evidentlyFormat } from "../../../src/sources/formats/evidently.js";
import { measurementTree, type ToolMeasurement } from "../../../src/sources/formats/tool.js";
import { thrownBy } from "../../support/thrown.js";

const FIXTURES = "fixtures/formats/evidently";
/** The unlicensed real files we read but may not copy; on machines without them no test is defined. */
const REAL = "/work/shared/real-artifacts/evidently";

const fixture = (name: string) => readFileSync(`${FIXTURES}/${name}`, "utf8");
const read = (text: string, origin = "report.json") => evidentlyFormat.read(text, { origin });
/** name → value, failing the test on a repeated name. */
const values = (measurements: ToolMeasurement[]) => measurementTree(measurements, "report.json");
const byName = (measurements: ToolMeasurement[], name: string) =>
  measurements.find((measurement) => measurement.name === name);

describe("an Evidently legacy Report", () => {
  const minified = read(fixture("synthetic_legacy-report_v0.3_drift_minified.json"));
  const indented = read(fixture("synthetic_legacy-report_as-dict_indented.json"));

  it("names every number and boolean of a result by metric and key path", () => {
    expect(values(minified)).toMatchObject({
      "metrics/DatasetDriftMetric/share_of_drifted_columns": 0.4,
      "metrics/DatasetDriftMetric/dataset_drift": false,
      "metrics/DataDriftTable/number_of_drifted_columns": 2,
      "metrics/DataDriftTable/drift_by_columns/age/drift_score": 2.704668436775831e-60,
      "metrics/DataDriftTable/drift_by_columns/age/drift_detected": true,
      "metrics/DataDriftTable/drift_by_columns/age/stattest_threshold": 0.05,
    });
  });

  it("reads Python's bare NaN as NaN", () => {
    expect(values(minified)["metrics/DataDriftTable/drift_by_columns/referrer/drift_score"]).toBeNaN();
  });

  it("lists no distribution, histogram or text", () => {
    for (const { name, value } of [...minified, ...indented]) {
      expect(name).not.toMatch(/small_distribution|plot_data|bins_for_hist|column_type|stattest_name/);
      expect(typeof value).not.toBe("string");
    }
    expect(minified).toHaveLength(24);
  });

  it("writes / and ~ inside a column name as ~1 and ~0", () => {
    expect(values(minified)).toMatchObject({
      "metrics/DataDriftTable/drift_by_columns/hours~1week/drift_score": 0.1377,
      "metrics/DataDriftTable/drift_by_columns/income~0band/drift_score": 0.0094,
    });
  });

  it("reads an as_dict() dump without version or timestamp, a column metric named with its column", () => {
    expect(values(indented)).toMatchObject({
      "metrics/ColumnDriftMetric(column_name=prediction)/drift_score": 0.17727435621157941,
      "metrics/ColumnDriftMetric(column_name=prediction)/drift_detected": true,
      "metrics/ColumnDriftMetric(column_name=target)/drift_detected": false,
      "metrics/ColumnSummaryMetric(column_name=total_items)/current_characteristics/max": 411,
      "metrics/ClassificationQualityByClass/current/metrics/1/recall": 0.7,
    });
  });

  it("keeps null values and the odd keys of missing-value counts", () => {
    expect(values(indented)).toMatchObject({
      "metrics/DatasetMissingValuesMetric/reference": null,
      "metrics/ColumnSummaryMetric(column_name=total_items)/reference_characteristics": null,
      "metrics/DatasetMissingValuesMetric/current/different_missing_values/": 0,
      "metrics/DatasetMissingValuesMetric/current/different_missing_values/-Infinity": 0,
      "metrics/DatasetMissingValuesMetric/current/different_missing_values/null": 12,
    });
  });

  it("numbers a metric that repeats with the same column, in file order", () => {
    expect(values(indented)).toMatchObject({
      "metrics/ColumnQuantileMetric(column_name=subtotal)/quantile": 0.5,
      "metrics/ColumnQuantileMetric(column_name=subtotal) #2/quantile": 0.9,
      "metrics/ColumnQuantileMetric(column_name=subtotal) #2/current/value": 5120,
    });
  });
});

describe("an Evidently legacy TestSuite", () => {
  const suite = read(fixture("synthetic_legacy-test-suite_v0.3.json"));

  it.each([
    ["tests/Number of Columns", "SUCCESS", "pass"],
    ["tests/Number of Rows", "WARNING", "warning"],
    ["tests/Number of Drifted Features", "FAIL", "fail"],
    ["tests/ROC AUC Score", "ERROR", "error"],
    ["tests/Test number of conflicts in target", "SKIPPED", "skipped"],
  ])("gives %s its status %s and the verdict %s", (name, status, verdict) => {
    expect(byName(suite, name)).toMatchObject({ value: status, verdict });
  });

  it("keeps the test's own description, escapes decoded", () => {
    expect(byName(suite, "tests/Number of Rows")?.description).toBe(
      "The number of rows is 5000. The test threshold is eq=5e+03 \u00b1 500.",
    );
  });

  it("names a test about one column or label by it: parameter, or the bold words of the description", () => {
    expect(values(suite)).toMatchObject({
      "tests/Drift per Column(column_name=age)": "FAIL",
      "tests/Drift per Column(column_name=education)": "SUCCESS",
      "tests/Share of Out-of-Range Values(column_name=age)": "FAIL",
      "tests/Share of Out-of-Range Values(column_name=hours~1week)": "SUCCESS",
      "tests/Mean Value Stability(column_name=age)": "SUCCESS",
      "tests/Precision Score by Class(label=1)": "SUCCESS",
    });
  });

  it("numbers a repeated test that names nothing to tell it apart", () => {
    expect(byName(suite, "tests/Test number of conflicts in target #2")).toMatchObject({
      value: "SKIPPED",
      verdict: "skipped",
    });
  });

  it("lists the numbers a test looked at, but not its condition", () => {
    expect(values(suite)).toMatchObject({
      "tests/Drift per Column(column_name=age)/score": 0.001,
      "tests/Drift per Column(column_name=age)/detected": true,
      "tests/Number of Drifted Features/features/education/score": 0.02,
      "tests/Share of Out-of-Range Values(column_name=age)/value": 0.0006,
      "tests/Share of Out-of-Range Values(column_name=age)/left": null,
      "tests/Number of Rows/value": 5000,
    });
    expect(suite.filter(({ name }) => name.includes("condition") || name.includes("Column Types/"))).toEqual(
      [],
    );
  });

  it("lists the summary", () => {
    expect(values(suite)).toMatchObject({
      "summary/all_passed": false,
      "summary/total_tests": 13,
      "summary/failed_tests": 3,
      "summary/by_status/SKIPPED": 2,
    });
  });

  it("reads a suite with no test", () => {
    const empty = '{"version": "0.4.1", "tests": [], "summary": {"all_passed": true, "total_tests": 0}}';
    expect(evidentlyFormat.detect("suite.json", empty)).toBe(true);
    expect(values(read(empty))).toEqual({ "summary/all_passed": true, "summary/total_tests": 0 });
  });
});

describe("an Evidently 0.7 Report", () => {
  it("reads a real report: single values and count/share by metric_id", () => {
    const real = read(fixture("toxic-tweettagger_data_drift_v0.7.json"));
    expect(real).toEqual([
      { name: "metrics/DriftedColumnsCount(drift_share=0.5)/count", value: 0 },
      { name: "metrics/DriftedColumnsCount(drift_share=0.5)/share", value: 0 },
      { name: "metrics/ValueDrift(column=num_words)", value: 0.005645616766074185 },
      { name: "metrics/ValueDrift(column=num_characters)", value: 0.006729013390054461 },
      { name: "metrics/ValueDrift(column=avg_word_len)", value: 0.0051522998337021324 },
      { name: "metrics/ValueDrift(column=Label)", value: 0.00025779935622355967 },
      { name: "metrics/ValueDrift(column=Content)", value: 0.4989729043760807 },
    ]);
  });

  const report = read(fixture("synthetic_report_v0.7_with-tests.json"));

  it("reads mean/std, by-label and by-label count values, NaN, and skips a metric with no result", () => {
    const named = values(report);
    expect(named).toMatchObject({
      "metrics/RowCount()": 5000,
      "metrics/MeanValue(column=age)/std": 13.7,
      "metrics/UniqueValueCount(column=education)/shares/HS-grad": 0.6,
      "metrics/PrecisionByLabel(probas_threshold=0.5)/1": 0.62,
      "metrics/MinValue(column=hours~1week)": 1,
      "metrics/ValueDrift(column=age)": 0.0012,
      "metrics/ValueDrift(column=age) #2": 0.0015,
    });
    expect(named["metrics/ValueDrift(column=referrer)"]).toBeNaN();
    expect(Object.keys(named).filter((name) => name.startsWith("metrics/"))).toHaveLength(15);
  });

  it("reads its tests with status, verdict and description", () => {
    expect(report.filter(({ name }) => name.startsWith("tests/"))).toEqual([
      {
        name: "tests/Value drift for age: Less 0.05",
        value: "SUCCESS",
        verdict: "pass",
        description: "Value drift for age: Actual value 0.0012 < 0.05",
      },
      {
        name: "tests/Row count: Equal 5500 \u00b1 500",
        value: "WARNING",
        verdict: "warning",
        description: "Row count: Actual value 5000.0 == 5500 \u00b1 500",
      },
      {
        name: "tests/Drifted columns count: Less or Equal 0",
        value: "FAIL",
        verdict: "fail",
        description: "Drifted columns count: Actual value 1.0 > 0",
      },
      {
        name: "tests/Drifted columns count: Less or Equal 0 #2",
        value: "FAIL",
        verdict: "fail",
        description: "Drifted columns share: Actual value 0.5 > 0",
      },
    ]);
  });
});

describe("quirks of files that passed through other hands", () => {
  it("reads a UTF-8 BOM and CRLF line endings; a percentage as a number on the percent scale, NA and N/A as null", () => {
    const text = fixture("synthetic_legacy-report_crlf_bom_text-values.json");
    expect(text.startsWith("\uFEFF{\r\n")).toBe(true);
    const measurements = read(text);
    const column = "metrics/ColumnSummaryMetric(column_name=monthly income, USD)/current_characteristics";
    expect(byName(measurements, `${column}/missing_percentage`)).toEqual({
      name: `${column}/missing_percentage`,
      value: 25.59,
      scale: "percent",
    });
    expect(byName(measurements, `${column}/unique_percentage`)).toMatchObject({
      value: 70.9,
      scale: "percent",
    });
    expect(values(measurements)).toMatchObject({
      [`${column}/std`]: null,
      [`${column}/p25`]: null,
      [`${column}/mean`]: 4210.5,
      "metrics/DatasetSummaryMetric/current/prediction": null,
      "metrics/DatasetSummaryMetric/current/nans_by_columns/monthly income, USD": 512,
      "metrics/DatasetSummaryMetric/current/nans_by_columns/tenure~1months": 0,
    });
    // Other text is a label, not a measurement: the target's column name, the column types.
    expect(measurements.some(({ name }) => name.endsWith("/target") || name.includes("columns_type"))).toBe(
      false,
    );
    expect(measurements.filter(({ scale }) => scale === "percent")).toHaveLength(3);
  });

  it("reads CR-only line endings and keeps commas and spaces of a 0.7 metric_id and test name as written", () => {
    const text = fixture("synthetic_report_v0.7_cr_commas.json");
    expect(text).not.toContain("\n");
    expect(read(text)).toEqual([
      { name: "metrics/DriftedColumnsCount(columns=age,plan name,drift_share=0.5)/count", value: 1 },
      { name: "metrics/DriftedColumnsCount(columns=age,plan name,drift_share=0.5)/share", value: 0.5 },
      { name: "metrics/ValueDrift(column=monthly income, USD,method=psi)", value: 0.2431 },
      { name: "metrics/ValueDrift(column=tenure~1months,method=psi)", value: 0.0518 },
      { name: "metrics/ShareOfMissingValues(column=monthly income, USD)", value: 25.59, scale: "percent" },
      { name: "metrics/MeanValue(column=plan name)", value: null },
      {
        name: "tests/Value drift for monthly income, USD: Less 0.1",
        value: "WARNING",
        verdict: "warning",
        description: "Value drift for monthly income, USD: Actual value 0.2431 >= 0.1",
      },
    ]);
  });

  it("reads every fixture the same with LF, CRLF or CR line endings", () => {
    for (const name of readdirSync(FIXTURES).filter((file) => file.endsWith(".json"))) {
      const lf = fixture(name).replace(/\r\n?/g, "\n");
      const expected = read(lf);
      expect(read(lf.replace(/\n/g, "\r\n"))).toEqual(expected);
      expect(read(lf.replace(/\n/g, "\r"))).toEqual(expected);
    }
  });
});

describe("the Evidently reader on any input", () => {
  const RUNS = Number(process.env.FC_RUNS ?? 200);
  const SEED = Number(process.env.FC_SEED ?? 20261123);
  const texts = readdirSync(FIXTURES)
    .filter((name) => name.endsWith(".json"))
    .map(fixture);
  /** Reads, or refuses with an MlgateError; anything else thrown fails the property. */
  const readsOrRefuses = (text: string) => {
    try {
      read(text);
    } catch (error) {
      if (!(error instanceof MlgateError)) throw error;
    }
    expect(typeof evidentlyFormat.detect("report.json", text)).toBe("boolean");
  };
  // Evidently-shaped values with anything in their places.
  const anything = fc.jsonValue({ maxDepth: 4 });
  const shaped = fc
    .record({
      metrics: fc.array(
        fc.oneof(
          fc.record({ metric: anything, result: anything }),
          fc.record({ id: fc.string(), metric_id: anything, value: anything }),
          anything,
        ),
        { maxLength: 4 },
      ),
      tests: fc.array(
        fc.oneof(
          fc.record({ name: anything, status: anything, description: anything, parameters: anything }),
          anything,
        ),
        { maxLength: 4 },
      ),
      summary: anything,
    })
    .map((value) => JSON.stringify(value));
  const damaged = fc
    .tuple(fc.constantFrom(...texts), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }))
    .map(([text, cut, at, insert]) => {
      const shortened = text.slice(0, cut % (text.length + 1));
      const position = at % (shortened.length + 1);
      return shortened.slice(0, position) + insert + shortened.slice(position);
    });

  it("throws only MlgateErrors on Evidently-shaped JSON with anything in its places", () => {
    fc.assert(fc.property(shaped, readsOrRefuses), { numRuns: RUNS, seed: SEED });
  });

  it("throws only MlgateErrors on fixtures cut short or spliced", () => {
    fc.assert(fc.property(damaged, readsOrRefuses), { numRuns: RUNS, seed: SEED });
  });
});

describe("detecting Evidently files", () => {
  const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith(".json"));

  it.each(fixtures)("claims %s", (name) => {
    expect(evidentlyFormat.detect(name, fixture(name))).toBe(true);
  });

  it.each([
    ["a plain metrics file", '{"accuracy": 0.93, "f1": 0.91}'],
    ["metrics that are a list of names", '{"metrics": [{"name": "acc", "value": 0.9}]}'],
    ["an empty Report", '{"metrics": [], "tests": []}'],
    [
      "tests without an Evidently status",
      '{"tests": [{"name": "a", "description": "b", "status": "passed"}]}',
    ],
    ["an Evidently report nested in another file", '{"run": {"metrics": [{"metric": "X", "result": {}}]}}'],
    ["a member with an object value first", '{"metadata": {}, "metrics": [{"metric": "X", "result": {}}]}'],
    ["YAML", "metrics:\n  - metric: DatasetDriftMetric\n    result: {}\n"],
    ["a JSON list", '[{"metric": "X", "result": {}}]'],
  ])("leaves %s to the plain formats", (_what, text) => {
    expect(evidentlyFormat.detect("file.json", text)).toBe(false);
  });

  it("decides from the first 64 KiB, whatever follows", () => {
    const opening = '{"metrics": [{"metric": "X", "result": {"v": [';
    expect(evidentlyFormat.detect("big.json", opening + "0.5, ".repeat(50_000) + "1]}}]}")).toBe(true);
    const late = `{"note": "${"x".repeat(70_000)}", ${opening.slice(1)}1]}}]}`;
    expect(evidentlyFormat.detect("late.json", late)).toBe(false);
  });
});

describe("refusing what is not an Evidently report", () => {
  it.each([
    ["a JSON list", "[1, 2]", "the top level is not an object", undefined],
    [
      "an object without metrics or tests",
      '{"accuracy": 0.9}',
      'neither a "metrics" nor a "tests" list',
      undefined,
    ],
    [
      "a metric entry that is not an object",
      '{"metrics": [{"metric": "A", "result": {}}, 3]}',
      "not an object",
      "metrics[1]",
    ],
    [
      "a metric entry without a name",
      '{"metrics": [{"result": {"a": 1}}]}',
      'neither a "metric" nor a "metric_id"',
      "metrics[0]",
    ],
    [
      "a test without a status",
      '{"tests": [{"name": "Rows", "description": "x"}]}',
      "a test has no status",
      "tests[0]",
    ],
    ["a test without a name", '{"tests": [{"status": "FAIL"}]}', "a test has no name", "tests[0]"],
    [
      "a test whose status is NaN",
      '{"tests": [{"name": "Rows", "status": NaN}]}',
      "a test has no status",
      "tests[0]",
    ],
  ])("refuses %s, saying where", (_what, text, message, field) => {
    const error = thrownBy(() => read(text, "drift.json"));
    expect(error.code).toBe("source.parse");
    expect(error.message).toContain("cannot read drift.json as an Evidently report");
    expect(error.message).toContain(message);
    expect(error.location).toEqual(
      field === undefined ? { file: "drift.json" } : { file: "drift.json", field },
    );
  });

  it("refuses broken JSON with the JSON reader's line and column", () => {
    const text = fixture("synthetic_legacy-report_as-dict_indented.json").slice(0, 500);
    const error = thrownBy(() => read(text, "drift.json"));
    expect(error.code).toBe("source.parse");
    expect(error.message).toBe("invalid JSON: the document ends early");
    expect(error.location?.line).toBeGreaterThan(1);
  });

  it("refuses a key written twice, as the JSON reader does", () => {
    const error = thrownBy(() => read('{"metrics": [{"metric": "A", "result": {"x": 1, "x": 2}}]}'));
    expect(error.message).toContain("a key appears twice");
  });

  it("refuses nesting far deeper than any report", () => {
    const deep =
      '{"metrics": [{"metric": "A", "result": ' + '{"a": '.repeat(100) + "1" + "}".repeat(100) + "}]}";
    expect(thrownBy(() => read(deep)).message).toContain("nests deeper than");
  });
});

describe("a large drift report", () => {
  it("reads 10,000 columns with their histograms into 60,000 unique names", () => {
    const columns = 10_000;
    const histogram = JSON.stringify({
      x: Array.from({ length: 21 }, (_, i) => i / 3),
      y: Array(20).fill(0.05),
    });
    const parts: string[] = [];
    for (let i = 0; i < columns; i++) {
      parts.push(
        `"feature_${i}": {"column_name": "feature_${i}", "column_type": "num", "stattest_name": "K-S p_value", ` +
          `"stattest_threshold": 0.05, "drift_score": ${i % 97 === 0 ? "NaN" : i / columns}, "drift_detected": ${i % 3 === 0}, ` +
          `"current": {"small_distribution": ${histogram}}, "reference": {"small_distribution": ${histogram}}}`,
      );
    }
    const missing = `{${Array.from({ length: columns }, (_, i) => `"feature_${i}": 0`).join(", ")}}`;
    const text =
      `{"version": "0.4.16", "timestamp": "2024-01-01", "metrics": [` +
      `{"metric": "DataDriftTable", "result": {"number_of_columns": ${columns}, "drift_by_columns": {${parts.join(", ")}}}}, ` +
      `{"metric": "DatasetMissingValuesMetric", "result": {"current": {"number_of_missing_values_by_column": ${missing}, ` +
      `"share_of_missing_values_by_column": ${missing}}, "reference": {"number_of_missing_values_by_column": ${missing}}}}]}`;
    const measurements = read(text);
    expect(measurements).toHaveLength(1 + 3 * columns + 3 * columns);
    const named = values(measurements);
    expect(named["metrics/DataDriftTable/drift_by_columns/feature_9999/drift_detected"]).toBe(true);
    expect(named["metrics/DataDriftTable/drift_by_columns/feature_97/drift_score"]).toBeNaN();
    expect(
      named["metrics/DatasetMissingValuesMetric/reference/number_of_missing_values_by_column/feature_5"],
    ).toBe(0);
  });
});

if (existsSync(REAL))
  describe("every real file of evidently", () => {
    const real = (name: string) => read(readFileSync(`${REAL}/${name}`, "utf8"), name);

    it.each(readdirSync(REAL))("detects and reads %s with unique names", (name) => {
      const text = readFileSync(`${REAL}/${name}`, "utf8");
      expect(evidentlyFormat.detect(name, text)).toBe(true);
      expect(Object.keys(values(read(text, name))).length).toBeGreaterThan(0);
    });

    it("reads the 0.3.3 drift report's dataset drift and per-column scores", () => {
      expect(values(real("drhazza_data_drift_report_v0.3.3.json"))).toMatchObject({
        "metrics/DatasetDriftMetric/share_of_drifted_columns": 0.4,
        "metrics/DataDriftTable/drift_by_columns/age/drift_score": 2.704668436775831e-60,
        "metrics/DataDriftTable/drift_by_columns/education/drift_detected": true,
      });
    });

    it("reads the 0.3.3 test suite's four failures, each out-of-range test named by its column", () => {
      const suite = real("drhazza_test_suite_v0.3.3.json");
      expect(suite.filter((m) => m.verdict === "fail").map((m) => m.name)).toEqual([
        "tests/Share of Out-of-Range Values(column_name=Population)",
        "tests/Share of Out-of-Range Values(column_name=AveOccup)",
        "tests/Share of Out-of-Range Values(column_name=HouseAge)",
        "tests/Share of Out-of-Range Values(column_name=Latitude)",
      ]);
      expect(values(suite)).toMatchObject({ "summary/failed_tests": 4, "summary/by_status/FAIL": 4 });
    });

    it("reads the minified 0.3.1 suite's failing Mean Value Stability test by column", () => {
      expect(
        byName(
          real("umangpurwar03_glass_test_suite_v0.3.1.json"),
          "tests/Mean Value Stability(column_name=RI)",
        ),
      ).toMatchObject({
        value: "FAIL",
        verdict: "fail",
        description: "The mean value of the column **RI** is 1.52. The expected range is from 1.52 to 1.52",
      });
    });

    it("reads the unversioned as_dict() dump's prediction drift", () => {
      expect(values(real("doordash-eta_evidently-report_07-28-2024.json"))).toMatchObject({
        "metrics/ColumnDriftMetric(column_name=prediction)/drift_score": 0.17727435621157941,
        "metrics/ColumnDriftMetric(column_name=prediction)/drift_detected": true,
        "metrics/DatasetDriftMetric/share_of_drifted_columns": 0.23076923076923078,
        "metrics/DatasetMissingValuesMetric/current/number_of_rows": 191407,
      });
    });
  });
