import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../../src/errors.js";
import { junitFormat } from "../../../src/sources/formats/junit.js";
import { measurementTree, type ToolMeasurement } from "../../../src/sources/formats/tool.js";
import { thrownBy } from "../../support/thrown.js";

const FIXTURES = new URL("../../../fixtures/formats/junit/", import.meta.url);
const REAL = "/work/shared/real-artifacts/junit";
const fixtureNames = readdirSync(FIXTURES).filter((name) => name !== "PROVENANCE.md");
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");
const read = (name: string): ToolMeasurement[] => junitFormat.read(fixture(name), { origin: name });
const readText = (text: string): ToolMeasurement[] => junitFormat.read(text, { origin: "junit.xml" });
const refusal = (text: string): MlgateError => thrownBy(() => readText(text));

function byName(measurements: readonly ToolMeasurement[]): Map<string, ToolMeasurement> {
  return new Map(measurements.map((measurement) => [measurement.name, measurement]));
}

/** The totals as one object, for comparing them at once. */
function totals(
  measurements: readonly ToolMeasurement[],
): Record<string, ToolMeasurement["value"] | undefined> {
  const named = byName(measurements);
  const names = ["tests", "failures", "errors", "skipped", "passed", "time"];
  return Object.fromEntries(names.map((name) => [name, named.get(name)?.value]));
}

const suite = (cases: string, attributes = "") =>
  `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest"${attributes}>${cases}</testsuite></testsuites>`;

describe("JUnit XML reports", () => {
  it("reads a passing pytest run written on one line without a final newline", () => {
    expect(fixture("synthetic_passing_junit.xml")).not.toMatch(/[\r\n]/);
    expect(read("synthetic_passing_junit.xml")).toEqual([
      { name: "tests", value: 3 },
      { name: "failures", value: 0 },
      { name: "errors", value: 0 },
      { name: "skipped", value: 0 },
      { name: "passed", value: 3 },
      { name: "time", value: 24.518 },
      {
        name: "testcases/tests.model.test_churn_model.TestChurnModel.test_fit_and_predict_end_to_end",
        value: "passed",
        verdict: "pass",
      },
      {
        name: "testcases/tests.model.test_churn_model.TestChurnModel.test_preprocess_for_training_adds_tenure_buckets",
        value: "passed",
        verdict: "pass",
      },
      {
        name: "testcases/tests.model.test_churn_model.TestChurnModel.test_preprocess_without_target_keeps_feature_columns",
        value: "passed",
        verdict: "pass",
      },
    ]);
  });

  it("gives failing, erroring and skipped tests the tool's verdict and message, entities decoded", () => {
    const measurements = read("synthetic_failures_junit.xml");
    const named = byName(measurements);
    const test = (name: string) => named.get(`testcases/tests.test_quality.TestQuality.${name}`);
    expect(test("test_accuracy_above_threshold")).toEqual({
      name: "testcases/tests.test_quality.TestQuality.test_accuracy_above_threshold",
      value: "failed",
      verdict: "fail",
      description: "AssertionError: accuracy 0.81 < 0.85\nassert 0.81 >= 0.85",
    });
    expect(test("test_model_loads")).toMatchObject({
      value: "error",
      verdict: "error",
      description: `failed on setup with "FileNotFoundError: [Errno 2] No such file or directory: 'models/churn.pkl'"`,
    });
    expect(test("test_gpu_inference_latency")).toMatchObject({
      value: "skipped",
      verdict: "skipped",
      description: "no GPU available",
    });
    expect(test("test_drift_on_2023_data")).toMatchObject({
      value: "skipped",
      description: "known drift on 2023 data",
    });
    expect(test("test_fairness_gap")).toEqual({
      name: "testcases/tests.test_quality.TestQuality.test_fairness_gap",
      value: "passed",
      verdict: "pass",
    });
  });

  it("merges pytest's teardown error after a failure, written as a second <testcase>, into one test: the error", () => {
    const measurements = read("synthetic_failures_junit.xml");
    const calibration = measurements.filter((m) => m.name.endsWith(".test_calibration"));
    expect(calibration).toHaveLength(1);
    expect(calibration[0]).toMatchObject({ value: "error", verdict: "error" });
    expect(calibration[0]?.description).toMatch(/^failed on teardown with "PermissionError/);
  });

  it("merges one <testcase> per rerun attempt into one test with the worst outcome, counted once", () => {
    const measurements = read("synthetic_reruns_junit.xml");
    expect(measurements.filter((m) => m.name.startsWith("testcases/"))).toEqual([
      {
        name: "testcases/tests.test_serving.test_always_fails",
        value: "failed",
        verdict: "fail",
        description: "assert 503 == 200",
      },
      { name: "testcases/tests.test_serving.test_eventually_passes", value: "passed", verdict: "pass" },
      { name: "testcases/tests.test_serving.test_health", value: "passed", verdict: "pass" },
    ]);
    expect(totals(measurements)).toEqual({
      tests: 3,
      failures: 1,
      errors: 0,
      skipped: 0,
      passed: 2,
      time: 1.204,
    });
  });

  it("keeps the message of the last record among those with the worst outcome", () => {
    const text = suite(
      '<testcase name="t"><failure message="first attempt"/></testcase><testcase name="t"><failure message="last attempt"/></testcase><testcase name="t"/>',
    );
    expect(readText(text).at(-1)).toEqual({
      name: "testcases/t",
      value: "failed",
      verdict: "fail",
      description: "last attempt",
    });
  });

  it("describes a failure without a message by its traceback, cut to 500 characters", () => {
    const recall = byName(read("synthetic_failures_junit.xml")).get(
      "testcases/tests.test_quality.TestQuality.test_recall_per_segment",
    );
    const description = recall?.description ?? "";
    expect(Array.from(description)).toHaveLength(500);
    expect(description.endsWith("…")).toBe(true);
    expect(description).toMatch(
      /^self = <tests\.test_quality\.TestQuality testMethod=test_recall_per_segment>\n/,
    );
    expect(description).toContain('assert recall >= 0.7, f"{segment}: {recall}"');
  });

  it("counts the tests, not the suite's attributes", () => {
    // pytest declared tests="7" failures="3" errors="2": the test that failed and then errored in teardown
    // is one of its failures and one of its errors; here it is one test, an error.
    expect(totals(read("synthetic_failures_junit.xml"))).toEqual({
      tests: 7,
      failures: 2,
      errors: 2,
      skipped: 2,
      passed: 1,
      time: 3.417,
    });
  });

  it("keeps parametrised names as written: brackets, commas, slashes, pytest's literal \\u escapes, decoded references", () => {
    const names = read("synthetic_parametrized_junit.xml").map((m) => m.name);
    const prefix = "testcases/tests.test_model_variations.";
    expect(names).toContain(
      `${prefix}test_synonyms_typos_noise_still_work[CHEST discomfort\\u2026 esp. on stairs!!! \\U0001f616]`,
    );
    expect(names).toContain(`${prefix}test_synonyms_typos_noise_still_work[dizzy & short of breath … 😖]`);
    expect(names).toContain(`${prefix}test_date_format_variations[01/02/2025]`);
    expect(names).toContain(`${prefix}test_date_format_variations[Feb 1, 2025]`);
    expect(names).toContain(`${prefix}test_quoted_input[say "hi" <b>]`);
    expect(names).toContain("testcases/tests.test_model_integration.test_happy_path_schema");
    expect(totals(read("synthetic_parametrized_junit.xml"))).toMatchObject({
      tests: 8,
      passed: 8,
      time: 2.121,
    });
  });

  it("names a test case without a name by its position, and counts it although the suite says tests=0", () => {
    expect(read("synthetic_empty-run_junit.xml")).toEqual([
      { name: "tests", value: 1 },
      { name: "failures", value: 0 },
      { name: "errors", value: 0 },
      { name: "skipped", value: 0 },
      { name: "passed", value: 1 },
      { name: "time", value: 42.118 },
      { name: "testcases/(testcase 1)", value: "passed", verdict: "pass" },
    ]);
  });

  it("reads a Surefire-style report: <testsuite> root, CRLF, comments, CDATA, thousands in time, flaky passes", () => {
    const text = fixture("synthetic_surefire_junit.xml");
    expect(text).toContain("\r\n");
    const measurements = read("synthetic_surefire_junit.xml");
    expect(totals(measurements)).toEqual({
      tests: 4,
      failures: 0,
      errors: 1,
      skipped: 1,
      passed: 2,
      time: 1234.567,
    });
    const named = byName(measurements);
    const test = (name: string) => named.get(`testcases/com.acme.scoring.ScoringModelIT.${name}`);
    expect(test("latencyBudget")).toMatchObject({ value: "passed", verdict: "pass" });
    expect(test("latencyBudget")?.description).toBeUndefined();
    expect(test("gpuWarmup")).toEqual({
      name: "testcases/com.acme.scoring.ScoringModelIT.gpuWarmup",
      value: "skipped",
      verdict: "skipped",
    });
    expect(test("loadsOnnxModel")).toMatchObject({
      value: "error",
      description: "model file not found: target/model.onnx",
    });
  });

  it("describes a failure from CDATA text when there is no message, line ends normalised", () => {
    const [, , , , , , testCase] = readText(
      suite(
        '<testcase classname="c" name="t"><failure><![CDATA[boom\r\n  at <here> & there]]></failure></testcase>',
      ),
    );
    expect(testCase).toEqual({
      name: "testcases/c.t",
      value: "failed",
      verdict: "fail",
      description: "boom\n  at <here> & there",
    });
  });

  it("falls back to the type of a result with neither message nor text", () => {
    const [, , , , , , testCase] = readText(
      suite('<testcase name="t"><error type="TimeoutError"/></testcase>'),
    );
    expect(testCase).toEqual({
      name: "testcases/t",
      value: "error",
      verdict: "error",
      description: "TimeoutError",
    });
  });

  it("takes the counts a suite declares when it lists no test cases, and sums nested suites", () => {
    const text =
      '<testsuites><testsuite name="a" tests="5" failures="1" errors="0" skipped="2" time="1.5"/>' +
      '<testsuite name="b"><testsuite name="b1" time="0.25"><testcase name="x" time="0.25"/></testsuite></testsuite></testsuites>';
    expect(totals(readText(text))).toEqual({
      tests: 6,
      failures: 1,
      errors: 0,
      skipped: 2,
      passed: 3,
      time: 1.75,
    });
  });

  it("reports time as missing when no element states one", () => {
    expect(totals(readText('<testsuite><testcase name="x"/></testsuite>')).time).toBeNull();
  });

  it("reads an empty report as zero tests", () => {
    expect(totals(readText("<testsuites/>"))).toEqual({
      tests: 0,
      failures: 0,
      errors: 0,
      skipped: 0,
      passed: 0,
      time: null,
    });
  });

  it("decodes the five entities and decimal and hexadecimal references in attributes", () => {
    const [, , , , , , testCase] = readText(
      suite('<testcase classname="a&amp;b" name="&lt;&gt;&quot;&apos;&#65;&#x42;&#x1F600;&#10;end"/>'),
    );
    expect(testCase?.name).toBe("testcases/a&b.<>\"'AB😀\nend");
  });

  it("reads attribute line breaks as spaces, as XML prescribes", () => {
    const [, , , , , , testCase] = readText(suite('<testcase name="two\r\nlines\tand a tab"/>'));
    expect(testCase?.name).toBe("testcases/two lines and a tab");
  });

  it("gives every fixture unique names", () => {
    for (const name of fixtureNames) expect(() => measurementTree(read(name), name)).not.toThrow();
  });
});

describe("detecting a JUnit report", () => {
  it.each(fixtureNames)("claims %s", (name) => {
    expect(junitFormat.detect(name, fixture(name))).toBe(true);
  });

  it.each([
    ["a bare root element", "<testsuite/>"],
    [
      "a BOM, comments and a processing instruction first",
      '\uFEFF<?xml version="1.0"?>\n<!-- a - comment -->\n<?pi x?>\n<testsuites>',
    ],
  ])("claims %s", (_what, text) => {
    expect(junitFormat.detect("report", text)).toBe(true);
  });

  it.each([
    ["a plain metrics file", '{"accuracy": 0.9}'],
    ["another XML document", '<?xml version="1.0"?><project><testsuite/></project>'],
    ["an element whose name only starts like testsuite", "<testsuitesx/>"],
    ["YAML mentioning a testsuite", "testsuite: <testsuite/>\n"],
    [
      "a W&B summary",
      readFileSync(
        new URL("../../../fixtures/formats/wandb/stanford-alpaca-fork_wandb-summary.json", import.meta.url),
        "utf8",
      ),
    ],
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
  ])("does not claim %s", (_what, text) => {
    expect(junitFormat.detect("report.xml", text)).toBe(false);
  });
});

describe("refusing malformed XML and what is not a JUnit report", () => {
  it.each([
    [
      "an end tag that closes the wrong element",
      "<testsuites>\n  <testsuite>\n  </testsuites>",
      3,
      3,
      /^invalid XML: expected <\/testsuite> to close the element opened on line 2$/,
    ],
    [
      "a document cut short",
      '<testsuites>\n<testsuite name="a">\n<testcase name="t">',
      3,
      20,
      /ends before <testcase> \(line 3\) is closed/,
    ],
    [
      "a start tag cut short",
      '<testsuites><testcase name="t"',
      1,
      31,
      /start tag <testcase> is never closed/,
    ],
    ["an attribute value cut short", '<testsuites name="t', 1, 20, /attribute value is never closed/],
    [
      "a DOCTYPE",
      '<?xml version="1.0"?>\n<!DOCTYPE testsuites [<!ENTITY a "aaaa">]>\n<testsuites/>',
      2,
      1,
      /document type declaration/,
    ],
    [
      "an unknown entity",
      '<testsuites>\n<testcase name="a&nbsp;b"/></testsuites>',
      2,
      18,
      /unknown entity or character reference/,
    ],
    [
      "a lone ampersand in text",
      "<testsuites>fish & chips</testsuites>",
      1,
      18,
      /unknown entity or character reference/,
    ],
    [
      "a reference to a character XML forbids",
      '<testsuites name="&#0;"/>',
      1,
      19,
      /unknown entity or character reference/,
    ],
    [
      "a reference beyond Unicode",
      '<testsuites name="&#x110000;"/>',
      1,
      19,
      /unknown entity or character reference/,
    ],
    [
      "an attribute written twice",
      '<testsuites>\n<testcase name="a" time="1" name="b"/></testsuites>',
      2,
      29,
      /attribute name appears twice on <testcase>/,
    ],
    ["< in an attribute value", '<testsuites name="a<b"/>', 1, 20, /attribute value contains "<"/],
    ["an unquoted attribute value", "<testsuites name=a/>", 1, 18, /expected a quoted attribute value/],
    ["attributes without whitespace between them", '<testsuites a="1"b="2"/>', 1, 18, /expected whitespace/],
    ["text after the root element", "<testsuites/>\nextra", 2, 1, /more content after the root element/],
    ["a second root element", "<testsuites/><testsuites/>", 1, 14, /more content after the root element/],
    ["a control character", "<testsuites>\n\u0001</testsuites>", 2, 1, /character XML does not allow/],
    ["-- inside a comment", "<testsuites><!-- a -- b --></testsuites>", 1, 20, /comment contains "--"/],
    ["a comment never closed", "<testsuites><!-- a", 1, 19, /comment is never closed/],
    ["a CDATA section never closed", "<testsuites><![CDATA[x", 1, 23, /CDATA section is never closed/],
    ["]]> in text", "<testsuites>a]]>b</testsuites>", 1, 14, /text contains "]]>"/],
    [
      "an XML declaration that is not first",
      '\n<?xml version="1.0"?><testsuites/>',
      2,
      1,
      /XML declaration is allowed only at the very start/,
    ],
    [
      "a malformed XML declaration",
      '<?xml version="2.0"?><testsuites/>',
      1,
      1,
      /XML declaration is malformed/,
    ],
    ["no root element", '<?xml version="1.0"?>\n<!-- nothing -->\n', 3, 1, /has no root element/],
    ["text before the root element", "junit<testsuites/>", 1, 1, /expected the root element/],
    ["an element without a name", "<testsuites>< testcase/></testsuites>", 1, 14, /expected an element name/],
  ])("refuses %s at its line and column", (_what, text, line, column, message) => {
    const error = refusal(text);
    expect(error.code).toBe("source.parse");
    expect(error.message).toMatch(message);
    expect(error.location).toEqual({ file: "junit.xml", line, column });
    expect(error.hint).toBeTruthy();
  });

  it("counts columns after a CR-only or CRLF line end alike", () => {
    expect(refusal("<testsuites>\r<a></b></testsuites>").location).toEqual({
      file: "junit.xml",
      line: 2,
      column: 4,
    });
    expect(refusal("<testsuites>\r\n<a></b></testsuites>").location).toEqual({
      file: "junit.xml",
      line: 2,
      column: 4,
    });
  });

  it("refuses a DOCTYPE even when it declares no entity, expanding nothing", () => {
    const billion = `<!DOCTYPE t [${Array.from({ length: 10 }, (_, i) => `<!ENTITY e${i} "${`&e${i - 1};`.repeat(10)}">`).join("")}]><testsuites name="&e9;"/>`;
    expect(refusal(billion).message).toMatch(/document type declaration/);
  });

  it("refuses elements nested more than 256 deep, and deep input without overflowing", () => {
    expect(refusal(`<testsuites>${"<testsuite>".repeat(300)}`).message).toMatch(
      /nested more than 256 levels deep/,
    );
    expect(refusal(`<testsuites>${"<x>".repeat(200_000)}`).code).toBe("source.parse");
  });

  it("refuses another XML document, naming its root", () => {
    const error = refusal('<?xml version="1.0"?>\n<project name="x"/>');
    expect(error.message).toBe(
      "expected a JUnit report: the root element is <project>, not <testsuites> or <testsuite>",
    );
    expect(error.location).toEqual({ file: "junit.xml", line: 2, column: 1 });
    expect(error.hint).toMatch(/--junitxml/);
  });

  it("refuses a time that is not a number of seconds, at the attribute", () => {
    const error = refusal('<testsuites>\n  <testsuite name="a" time="1.5s"/>\n</testsuites>');
    expect(error.message).toBe("the time attribute is not a number of seconds");
    expect(error.location).toEqual({ file: "junit.xml", line: 2, column: 23 });
  });

  it.each(["1,234", "0,25", "1.234,5"])(
    "refuses a time of %j: a comma may be a thousands separator or a decimal comma, so it is not guessed",
    (time) => {
      const error = refusal(`<testsuites>\n  <testsuite name="a" time="${time}"/>\n</testsuites>`);
      expect(error.message).toBe("the time attribute is not a number of seconds");
      expect(error.hint).toContain("does not guess");
    },
  );

  it("refuses a count that is not a whole number in a suite that lists no test cases", () => {
    const error = refusal('<testsuite tests="3" failures="one"/>');
    expect(error.message).toBe("the failures attribute is not a count");
    expect(error.location).toEqual({ file: "junit.xml", line: 1, column: 22 });
  });

  it("refuses declared counts that add up to more than the tests", () => {
    const error = refusal('<testsuites>\n<testsuite tests="2" failures="2" skipped="1"/></testsuites>');
    expect(error.message).toBe("<testsuite> declares more failures, errors and skipped tests than tests");
    expect(error.location).toEqual({ file: "junit.xml", line: 2, column: 1 });
  });

  it("throws nothing but MlgateError on every fixture cut short at any point", () => {
    for (const name of fixtureNames) {
      const text = fixture(name);
      for (let end = 0; end < text.length; end++) {
        try {
          junitFormat.read(text.slice(0, end), { origin: name });
        } catch (error) {
          expect(error).toBeInstanceOf(MlgateError);
        }
      }
    }
  });
});

if (existsSync(REAL)) {
  describe("every real file of junit", () => {
    it.each(readdirSync(REAL))("%s is read, or refused with a located source.parse error", (name) => {
      const text = readFileSync(join(REAL, name), "utf8");
      let measurements: ToolMeasurement[] | undefined;
      try {
        measurements = junitFormat.read(text, { origin: name });
      } catch (error) {
        if (!(error instanceof MlgateError)) throw error;
        expect(error.code).toBe("source.parse");
        expect(error.location?.file).toBe(name);
        expect(error.location?.line).toBeGreaterThan(0);
        return;
      }
      const named = byName(measurements);
      const tests = named.get("tests")?.value;
      expect(typeof tests).toBe("number");
      expect(measurements.filter((m) => m.name.startsWith("testcases/"))).toHaveLength(tests as number);
      expect(() => measurementTree(measurements, name)).not.toThrow();
      expect(junitFormat.detect(name, text)).toBe(true);
    });
  });
}
