// The Great Expectations reader against GE's own validation results (0.10, 0.13 and a 0.11 validation
// operator run) and our GE 1.x files: the names a gate writes, their values and GE's verdicts, refusals.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../../src/errors.js";
import { greatExpectationsFormat } from "../../../src/sources/formats/great-expectations.js";
import { measurementTree, type ToolMeasurement } from "../../../src/sources/formats/tool.js";
import { thrownBy } from "../../support/thrown.js";

const FIXTURES = new URL("../../../fixtures/formats/great-expectations/", import.meta.url);
const REAL = "/work/shared/real-artifacts/great_expectations";

const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), "utf8");
const realFixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/real/${name}`, import.meta.url), "utf8");
const read = (text: string, origin = "validation.json") => greatExpectationsFormat.read(text, { origin });
const refusal = (text: string) => thrownBy(() => read(text));

/** The measurements of a fixture by name; building the tree proves every name is unique. */
function measurementsOf(name: string): Map<string, ToolMeasurement> {
  const measurements = read(fixture(name), name);
  measurementTree(measurements, name);
  return new Map(measurements.map((measurement) => [measurement.name, measurement]));
}

const TITANIC = "ge-0.13.25_titanic_suite_validation_result.json";
const DIABETIC = "ge-0.10.5_diabetic_data_warning_validation.json";
const OPERATOR = "ge_ValidationOperatorResult_multiple_validation_results.json";
const GX1_SUITE = "synthetic_gx1_suite_validation_result_crlf.json";
const GX1_CHECKPOINT = "synthetic_gx1_checkpoint_describe_minified.json";

describe("a suite validation result (GE 0.13, a profiled titanic suite)", () => {
  const m = measurementsOf(TITANIC);

  it("reads the suite's success with GE's verdict, and says how many expectations succeeded", () => {
    expect(m.get("success")).toEqual({
      name: "success",
      value: false,
      verdict: "fail",
      description: 'the suite "default": 30 of 32 expectations succeeded',
    });
  });

  it.each([
    ["statistics/evaluated_expectations", 32],
    ["statistics/successful_expectations", 30],
    ["statistics/unsuccessful_expectations", 2],
    ["statistics/success_percent", 93.75],
  ])("reads %s as %s", (name, value) => {
    expect(m.get(name)?.value).toBe(value);
  });

  it.each([
    ["expectations/expect_table_row_count_to_be_between", true, "pass"],
    ["expectations/expect_table_columns_to_match_ordered_list", true, "pass"],
    ["expectations/expect_column_values_to_be_unique(column=Unnamed: 0)", true, "pass"],
    ["expectations/expect_column_values_to_be_unique(column=Name)", false, "fail"],
    ["expectations/expect_column_values_to_be_unique(column=Age)", false, "fail"],
    ["expectations/expect_column_kl_divergence_to_be_less_than(column=PClass)", true, "pass"],
  ])("names an expectation by its type and column: %s is %s (%s)", (name, value, verdict) => {
    expect(m.get(name)).toMatchObject({ value, verdict });
  });

  it("describes an expectation by its type and kwargs, as GE users write it", () => {
    expect(m.get("expectations/expect_column_values_to_be_unique(column=Name)")?.description).toBe(
      'expect_column_values_to_be_unique(column="Name")',
    );
    expect(m.get("expectations/expect_column_values_to_not_be_null(column=Age)")?.description).toBe(
      'expect_column_values_to_not_be_null(column="Age", mostly=0.476)',
    );
    expect(m.get("expectations/expect_table_row_count_to_be_between")?.description).toBe(
      "expect_table_row_count_to_be_between(min_value=1181, max_value=1444)",
    );
  });

  it.each([
    ["expectations/expect_table_row_count_to_be_between/observed_value", 1313],
    ["expectations/expect_column_values_to_be_unique(column=Name)/unexpected_count", 6],
    ["expectations/expect_column_values_to_be_unique(column=Name)/unexpected_percent", 0.456968773800457],
    ["expectations/expect_column_values_to_be_unique(column=Age)/missing_percent", 42.421934501142424],
    ["expectations/expect_column_mean_to_be_between(column=Age)/observed_value", 30.397989417989418],
    ["expectations/expect_column_min_to_be_between(column=Age)/observed_value", 0.17],
    ["expectations/expect_column_min_to_be_between(column=Unnamed: 0)/missing_count", null],
  ])("reads the result field %s as %s", (name, value) => {
    expect(m.get(name)?.value).toBe(value);
  });

  it("leaves out lists and objects of a result (an observed column list, quantiles, partial lists)", () => {
    expect(m.has("expectations/expect_table_columns_to_match_ordered_list/observed_value")).toBe(false);
    expect(m.has("expectations/expect_column_quantile_values_to_be_between(column=Age)/observed_value")).toBe(
      false,
    );
    expect(m.has("expectations/expect_column_values_to_be_unique(column=Name)/partial_unexpected_list")).toBe(
      false,
    );
    expect(m.has("expectations/expect_column_quantile_values_to_be_between(column=Age)/details")).toBe(false);
  });

  it("has one verdict per expectation GE evaluated, and the suite's own", () => {
    const verdicts = [...m.values()].filter((measurement) => measurement.verdict !== undefined);
    expect(verdicts).toHaveLength(1 + 32);
  });
});

describe("a stored validation result with an empty results list (GE 0.10.5, run_id a string)", () => {
  it("reads the suite's success and statistics, and nothing else", () => {
    expect(read(fixture(DIABETIC))).toEqual([
      {
        name: "success",
        value: true,
        verdict: "pass",
        description: 'the suite "diabetic_data.warning": 12 of 12 expectations succeeded',
      },
      { name: "statistics/evaluated_expectations", value: 12 },
      { name: "statistics/successful_expectations", value: 12 },
      { name: "statistics/unsuccessful_expectations", value: 0 },
      { name: "statistics/success_percent", value: 100 },
    ]);
  });
});

describe("a validation operator run (GE 0.11, run_results keyed by ValidationResultIdentifier)", () => {
  const m = measurementsOf(OPERATOR);
  const first = "validations/basic.warning/";
  const second = "validations/basic.warning #2/";

  it("reads the run's success with its verdict, and how many validations succeeded", () => {
    expect(m.get("success")).toMatchObject({
      value: false,
      verdict: "fail",
      description: 'validation operator "action_list_operator": 0 of 2 validations succeeded',
    });
  });

  it("prefixes each validation with its suite name, numbering the suite validated a second time", () => {
    expect(m.get(`${first}success`)).toMatchObject({ value: false, verdict: "fail" });
    expect(m.get(`${second}success`)).toMatchObject({ value: false, verdict: "fail" });
    expect(m.get(`${first}statistics/success_percent`)?.value).toBe(81.81818181818183);
    expect(m.get(`${second}statistics/unsuccessful_expectations`)?.value).toBe(2);
    expect(m.has("validations/basic.warning #3/success")).toBe(false);
  });

  it("keeps a column name with a leading space and quotes exactly as GE wrote it", () => {
    const median = `${first}expectations/expect_column_median_to_be_between(column= "Payroll (millions)")`;
    expect(m.get(median)).toMatchObject({
      value: false,
      verdict: "fail",
      description:
        'expect_column_median_to_be_between(column=" \\"Payroll (millions)\\"", max_value=86000.75, min_value=84000.75)',
    });
    expect(m.get(`${median}/observed_value`)?.value).toBe(85.75);
  });

  it("reads a failing table expectation of the second validation", () => {
    const rows = `${second}expectations/expect_table_row_count_to_be_between`;
    expect(m.get(rows)).toMatchObject({ value: false, verdict: "fail" });
    expect(m.get(`${rows}/observed_value`)?.value).toBe(30);
  });
});

describe("a GE 1.x suite validation result (ours: CRLF line endings, `type`, `suite_name`)", () => {
  const m = measurementsOf(GX1_SUITE);

  it("reads the suite across CRLF line endings, naming the suite from `suite_name`", () => {
    expect(m.get("success")).toMatchObject({
      value: false,
      verdict: "fail",
      description: 'the suite "loans.applications": 4 of 8 expectations succeeded',
    });
    expect(m.get("statistics/success_percent")?.value).toBe(50);
  });

  it("numbers the same expectation on the same column in file order; the descriptions tell them apart", () => {
    const regex = "expectations/expect_column_values_to_match_regex(column=postcode)";
    expect(m.get(regex)).toMatchObject({
      value: true,
      verdict: "pass",
      description: 'expect_column_values_to_match_regex(column="postcode", regex="^[A-Z]{2}\\\\d")',
    });
    expect(m.get(`${regex} #2`)).toMatchObject({
      value: false,
      verdict: "fail",
      description:
        'expect_column_values_to_match_regex(column="postcode", regex="\\\\d[A-Z]{2}$", mostly=0.99)',
    });
    expect(m.get(`${regex} #2/unexpected_percent`)?.value).toBe(2.5);
  });

  it("keeps commas, slashes and spaces of a column name in the name", () => {
    const mean = "expectations/expect_column_mean_to_be_between(column=income, net / month)";
    expect(m.get(mean)).toMatchObject({ value: false, verdict: "fail" });
    expect(m.get(`${mean}/missing_percent`)?.value).toBe(100);
  });

  it("keeps bare NaN and Infinity as the numbers they name (the evaluator reports them)", () => {
    expect(
      m.get("expectations/expect_column_mean_to_be_between(column=income, net / month)/observed_value")
        ?.value,
    ).toBeNaN();
    expect(
      m.get("expectations/expect_column_max_to_be_between(column=loan amount)/observed_value")?.value,
    ).toBe(Infinity);
  });

  it("names a column pair expectation by both columns and its row condition", () => {
    const pair =
      'expectations/expect_column_pair_values_a_to_be_greater_than_b(column_A=approved_at, column_B=applied_at, row_condition=status=="approved")';
    expect(m.get(pair)).toMatchObject({ value: true, verdict: "pass" });
    expect(m.get(`${pair}/missing_count`)?.value).toBe(12);
  });

  it("reads a text observed value as text", () => {
    expect(m.get("expectations/expect_column_values_to_be_of_type(column=age)/observed_value")?.value).toBe(
      "int64",
    );
  });

  it("gives an expectation that raised an exception the verdict error and the message's first line", () => {
    const raised = m.get("expectations/expect_column_values_to_be_in_set(column=score)");
    expect(raised).toMatchObject({
      value: false,
      verdict: "error",
      description:
        'expect_column_values_to_be_in_set(column="score", value_set=["A", "B", "C"]) raised an exception: Error: The column "score" in BatchData does not exist.',
    });
    expect(raised?.description).not.toMatch(/Traceback/);
  });

  it("leaves batch_id out of descriptions, and a null threshold in", () => {
    expect(m.get("expectations/expect_table_row_count_to_be_between")?.description).toBe(
      "expect_table_row_count_to_be_between(min_value=100, max_value=null)",
    );
  });
});

describe("a GE 1.x checkpoint's describe() (ours: minified, one line)", () => {
  const m = measurementsOf(GX1_CHECKPOINT);

  it("reads the checkpoint's success and statistics", () => {
    expect(m.get("success")).toMatchObject({
      value: false,
      verdict: "fail",
      description: "the checkpoint: 1 of 2 validations succeeded",
    });
    expect(m.get("statistics/evaluated_validations")?.value).toBe(2);
    expect(m.get("statistics/success_percent")?.value).toBe(50);
  });

  it("numbers the validations from 1, since describe() does not name their suites", () => {
    expect(m.get("validations/1/success")).toMatchObject({ value: true, verdict: "pass" });
    expect(m.get("validations/2/success")).toMatchObject({ value: false, verdict: "fail" });
    const between = "validations/2/expectations/expect_column_values_to_be_between(column=passenger_count)";
    expect(m.get(between)).toMatchObject({ value: false, verdict: "fail" });
    expect(m.get(`${between}/unexpected_percent`)?.value).toBe(0.33);
    expect(
      m.get("validations/2/expectations/expect_column_values_to_not_be_null(column=tip_amount)"),
    ).toMatchObject({
      value: false,
      verdict: "error",
    });
  });
});

/** A minimal 0.x suite result around the given expectation results. */
function suite(results: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    success: false,
    results,
    statistics: { evaluated_expectations: results.length },
    ...extra,
  });
}

function expectation(type: string, kwargs: Record<string, unknown>, result: unknown = {}, success = true) {
  return { success, expectation_config: { expectation_type: type, kwargs }, result };
}

describe("quirks", () => {
  it('reads "25.59%" as 25.59 on the percent scale, and "NA", "N/A" and null as null', () => {
    const text = suite([
      expectation(
        "expect_column_values_to_not_be_null",
        { column: "x" },
        {
          unexpected_percent: "25.59%",
          missing_percent: "N/A",
          missing_count: "NA",
          element_count: null,
        },
      ),
    ]);
    const m = new Map(read(text).map((measurement) => [measurement.name, measurement]));
    const name = "expectations/expect_column_values_to_not_be_null(column=x)";
    expect(m.get(`${name}/unexpected_percent`)).toEqual({
      name: `${name}/unexpected_percent`,
      value: 25.59,
      scale: "percent",
    });
    expect(m.get(`${name}/missing_percent`)?.value).toBeNull();
    expect(m.get(`${name}/missing_count`)?.value).toBeNull();
    expect(m.get(`${name}/element_count`)?.value).toBeNull();
  });

  it("gives a failed warning-level suite of a WarningAndFailure operator the verdict warning", () => {
    const text = JSON.stringify({
      success: true,
      run_results: {
        "ValidationResultIdentifier::orders/warning/run/20200101T000000.000000Z/abc": {
          validation_result: {
            success: false,
            results: [],
            statistics: {},
            meta: { expectation_suite_name: "orders.warning" },
          },
          expectation_suite_severity_level: "warning",
        },
      },
    });
    const [, validation] = read(text);
    expect(validation).toMatchObject({
      name: "validations/orders.warning/success",
      value: false,
      verdict: "warning",
    });
  });

  it("reads a 1.x run result written without the validation_result wrapper, and a suite named only by its identifier", () => {
    const text = JSON.stringify({
      success: true,
      run_results: {
        "ValidationResultIdentifier::sales/daily/run/20250101T000000.000000Z/b1": {
          success: true,
          results: [],
          suite_name: "sales",
        },
        "ValidationResultIdentifier::sales/daily/run/20250101T000000.000000Z/b2": {
          success: true,
          statistics: {},
        },
      },
    });
    expect(read(text).map((measurement) => measurement.name)).toEqual([
      "success",
      "validations/sales/success",
      "validations/sales.daily/success",
    ]);
  });

  it("keeps every name unique even when a type mimics a numbered name", () => {
    const text = suite([
      expectation("t", { column: "a" }),
      expectation("t", { column: "a" }),
      expectation("t(column=a) #2", {}),
    ]);
    const measurements = read(text);
    expect(() => measurementTree(measurements, "validation.json")).not.toThrow();
    expect(measurements.map((measurement) => measurement.name)).toEqual([
      "success",
      "statistics/evaluated_expectations",
      "expectations/t(column=a)",
      "expectations/t(column=a) #2",
      "expectations/t(column=a) #2 #2",
    ]);
  });

  it("reads a file that starts with a byte order mark", () => {
    expect(read(`\uFEFF${fixture(DIABETIC)}`)).toHaveLength(5);
  });
});

describe("refusals", () => {
  it("says a truncated file ends early, with line and column", () => {
    const text = fixture(TITANIC);
    const error = refusal(text.slice(0, text.length / 2));
    expect(error.code).toBe("source.parse");
    expect(error.message).toMatch(/^invalid JSON/);
    expect(error.location).toMatchObject({
      file: "validation.json",
      line: expect.any(Number),
      column: expect.any(Number),
    });
    expect(error.hint).toMatch(/ends early/);
  });

  it("refuses a top level that is not an object", () => {
    const error = refusal("[]");
    expect(error.message).toBe(
      "validation.json is not a Great Expectations validation result: the top level is not an object",
    );
    expect(error.location).toEqual({ file: "validation.json" });
    expect(error.hint).toMatch(/format: json/);
  });

  it("refuses an Expectation Suite, pointing at the validation result to read instead", () => {
    const error = refusal(
      JSON.stringify({
        expectation_suite_name: "orders",
        expectations: [{ expectation_type: "expect_column_to_exist", kwargs: { column: "id" } }],
      }),
    );
    expect(error.message).toMatch(
      /it is an Expectation Suite \(the expectations themselves\), not the result of validating one$/,
    );
    expect(error.hint).toMatch(/uncommitted\/validations/);
  });

  it.each([
    ["a plain metrics file", { accuracy: 0.9 }, undefined, /neither a "results" list nor "statistics"/],
    [
      "results that are not a list",
      { success: true, statistics: {}, results: {} },
      "results",
      /"results" is not a list/,
    ],
    [
      "statistics that are not an object",
      { success: true, results: [], statistics: [1] },
      "statistics",
      /"statistics" is not an object/,
    ],
    [
      "a success that is text",
      { success: "true", results: [] },
      "success",
      /"success" is neither true nor false/,
    ],
    [
      "an expectation result that is not an object",
      { success: true, results: [[]] },
      "results[0]",
      /not an object/,
    ],
    [
      "an expectation result without a type",
      { success: true, results: [{ success: true, expectation_config: { kwargs: {} } }] },
      "results[0]",
      /names no expectation type/,
    ],
    [
      "kwargs that are not an object",
      { success: true, results: [{ success: true, expectation_config: { type: "t", kwargs: [] } }] },
      "results[0].expectation_config.kwargs",
      /"kwargs" is not an object/,
    ],
    [
      "kwargs that are not an object in describe() output",
      { success: true, statistics: {}, expectations: [{ expectation_type: "t", success: true, kwargs: 1 }] },
      "expectations[0].kwargs",
      /"kwargs" is not an object/,
    ],
    [
      "an expectation's success that is a number",
      { success: true, results: [{ success: 1, expectation_config: { type: "t", kwargs: {} } }] },
      "results[0].success",
      /"success" is neither true nor false/,
    ],
    [
      "a result that is a list",
      { success: true, results: [{ success: true, expectation_config: { type: "t" }, result: [] }] },
      "results[0].result",
      /"result" is not an object/,
    ],
    [
      "run_results that are a list",
      { success: true, run_results: [] },
      "run_results",
      /"run_results" is not an object/,
    ],
    [
      "a run result without its validation result",
      { success: true, run_results: { "ValidationResultIdentifier::a/b/c/d": { actions_results: {} } } },
      'run_results["ValidationResultIdentifier::a/b/c/d"]',
      /no "validation_result" object/,
    ],
    [
      "a broken expectation inside a run result",
      { run_results: { k: { validation_result: { success: true, results: [{ expectation_config: 3 }] } } } },
      'run_results["k"].validation_result.results[0].expectation_config',
      /"expectation_config" is not an object/,
    ],
    [
      "validation_results that are not a list",
      { success: true, validation_results: {} },
      "validation_results",
      /is not a list/,
    ],
  ])("refuses %s, naming the field", (_what, document, field, message) => {
    const error = refusal(JSON.stringify(document));
    expect(error).toBeInstanceOf(MlgateError);
    expect(error.code).toBe("source.parse");
    expect(error.message).toMatch(/^validation\.json is not a Great Expectations validation result: /);
    expect(error.message).toMatch(message);
    expect(error.location).toEqual(
      field === undefined ? { file: "validation.json" } : { file: "validation.json", field },
    );
  });
});

describe("detection", () => {
  const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith(".json"));

  it.each(fixtures)("claims %s", (name) => {
    expect(greatExpectationsFormat.detect(name, fixture(name))).toBe(true);
  });

  it("claims a result that starts with a byte order mark", () => {
    expect(greatExpectationsFormat.detect("r.json", `\uFEFF${fixture(DIABETIC)}`)).toBe(true);
  });

  it.each([
    ["a plain metrics file", '{"accuracy": 0.9}'],
    ["an sklearn classification report", realFixture("remla23-team18_classification_report.json")],
    ["an lm-evaluation-harness result", realFixture("lm-eval-v0.4_gpt-4o-mini_NaN-Infinity_results.json")],
    ["an Aequitas CSV", realFixture("aequitas_bias_report_output_test_1.csv")],
    [
      "an Expectation Suite (expectations, not their results)",
      '{"expectation_suite_name": "orders", "expectations": [{"expectation_type": "expect_column_to_exist", "kwargs": {"column": "id"}}]}',
    ],
    [
      "an Evidently test suite",
      '{"tests": [{"name": "Share of Drifted Columns", "description": "d", "status": "FAIL", "group": "data_drift", "parameters": {}}], "summary": {"all_passed": false, "total_tests": 1}}',
    ],
    [
      "GE's keys quoted inside a string",
      '{"log": "{\\"statistics\\": {\\"evaluated_expectations\\": 3}, \\"expectation_config\\": {}}"}',
    ],
    ["a results list without an expectation_config", '{"results": [{"success": true, "name": "x"}]}'],
    ["a YAML file with GE's words", "statistics:\n  evaluated_expectations: 3\n"],
  ])("does not claim %s", (_what, text) => {
    expect(greatExpectationsFormat.detect("metrics.json", text)).toBe(false);
  });
});

// On our machines only: the collected real files, read or refused with our own error.
if (existsSync(REAL)) {
  describe("every real file of great_expectations", () => {
    it.each(readdirSync(REAL))("reads %s or refuses it with a source.parse error", (name) => {
      const text = readFileSync(join(REAL, name), "utf8");
      try {
        const measurements = read(text, name);
        expect(measurements.length).toBeGreaterThan(0);
        expect(() => measurementTree(measurements, name)).not.toThrow();
        expect(greatExpectationsFormat.detect(name, text)).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(MlgateError);
        expect((error as MlgateError).code).toBe("source.parse");
      }
    });
  });
}
