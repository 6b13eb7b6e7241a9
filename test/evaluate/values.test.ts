// Nothing unknown ever passes (DESIGN §4): NaN, Infinity, null, "", hex, text where a number is due,
// a missing path and a wrong type are all `error`, with a message that says what was found.
import { describe, expect, it } from "vitest";
import { judge, reportFor, singleGateConfig } from "../support/judge.js";

const atLeast = { dataType: "numeric", comparisonStrategy: "GreaterThanOrEqual", targetValue: 0.5 };

describe("numeric values that are not numbers are errors", () => {
  it.each([
    ["NaN", Number.NaN, "NaN"],
    ["Infinity", Number.POSITIVE_INFINITY, "infinite"],
    ["-Infinity", Number.NEGATIVE_INFINITY, "negative infinite"],
    ["null", null, "null"],
    ["a JSON string holding a number", "0.9", "text, not a number"],
    ["true", true, "not a number"],
    ["a list", [0.9], "found a list"],
    ["a mapping", { mean: 0.9 }, 'found a mapping (keys "mean"'],
  ])("%s gives error", (_label, value, words) => {
    const result = judge(atLeast, value);
    expect(result.status).toBe("error");
    expect(result.message).toContain(words);
  });
});

describe("CSV cells are text read by the gate's data type", () => {
  it.each([
    ["0.9", "pass"],
    [" 0.9 ", "pass"],
    ["9e-1", "pass"],
    ["0.4", "fail"],
    ["-0", "fail"],
  ])("the cell %j is a number", (cell, expected) => {
    expect(judge(atLeast, cell, { text: true }).status).toBe(expected);
  });

  it.each([
    ["", "the cell is empty"],
    ["NaN", "the cell says NaN"],
    ["inf", "the cell says inf"],
    ["0x10", "is not a decimal number"],
    ["1e400", "infinite"],
    ["25.5%", "is a percentage"],
    ["N/A", "is not a decimal number"],
  ])("the cell %j is an error: %s", (cell, words) => {
    const result = judge(atLeast, cell, { text: true });
    expect(result.status).toBe("error");
    expect(result.message).toContain(words);
  });
});

describe("selecting the value", () => {
  it("a key containing spaces and dots is reached with a JSON Pointer", () => {
    const config = singleGateConfig({
      ...atLeast,
      assessmentInterface: { source: "s", path: "/macro avg/f1.score" },
    });
    const report = reportFor(config, { "macro avg": { "f1.score": 0.91 } });
    expect(report.measurements[0]?.status).toBe("pass");
    expect(report.measurements[0]?.value).toBe(0.91);
  });

  it("a missing path is an error that names the missing key and the nearest one", () => {
    const config = singleGateConfig({
      ...atLeast,
      assessmentInterface: { source: "s", path: "test.acuracy" },
    });
    const result = reportFor(config, { test: { accuracy: 0.9 } }).measurements[0];
    expect(result?.status).toBe("error");
    expect(result?.message).toContain("acuracy");
    expect(result?.message).toContain("accuracy");
  });

  it("a value inherited from the prototype is never found", () => {
    const config = singleGateConfig({
      dataType: "string",
      comparisonStrategy: "Contains",
      targetValue: "native",
      assessmentInterface: { source: "s", path: "/constructor" },
    });
    expect(reportFor(config, {}).measurements[0]?.status).toBe("error");
  });
});
