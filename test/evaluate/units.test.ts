// A value with a unit is never stripped or rescaled silently (`unit: percent`, docs/configuration.md):
// a percentage is an error for a gate without a unit, and a fraction for a gate with one; a number with
// a suffix, a thousands separator or a decimal comma is an error that says why.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { MlgateError } from "../../src/errors.js";
import { judge, NOW, singleGateConfig } from "../support/judge.js";

const atLeast = { dataType: "numeric", comparisonStrategy: "GreaterThanOrEqual", targetValue: 0.9 };
const percent = { ...atLeast, unit: "percent" };

describe("a percentage and a gate without a unit", () => {
  it.each([
    ["a CSV cell", "85%", true],
    ["a CSV cell with spaces", " 85.0 % ", true],
    ["a JSON string", "85.0%", false],
    ["a percentage above 100", "185%", true],
  ])("%s %j is an error naming the fix, never a pass of 85 ≥ 0.9", (_label, value, text) => {
    const result = judge(atLeast, value, { text });
    expect(result.status).toBe("error");
    expect(result.message).toMatch(/the value [\d.]+% is a percentage/);
    expect(result.message).toContain("add `unit: percent` to compare");
  });

  it("names no value when the gate is confidential", () => {
    const result = judge({ ...atLeast, confidential: true }, "73.25%", { text: true });
    expect(result.status).toBe("error");
    expect(result.message).not.toMatch(/73|0\.7325/);
    expect(result.message).toContain("add `unit: percent`");
  });
});

describe("unit: percent reads percentages as fractions", () => {
  it.each([
    ["85%", "fail", 0.85],
    ["90%", "pass", 0.9],
    ["92.5 %", "pass", 0.925],
    ["-5%", "fail", -0.05],
  ])("the cell %j is %s, compared as %d", (cell, status, fraction) => {
    const result = judge(percent, cell, { text: true });
    expect(result).toMatchObject({ status, value: fraction, unit: "percent" });
  });

  it("converts as the decimal reads: 0.7% is exactly 0.007 and 1.1% is not above 0.011", () => {
    // Dividing by 100 would give 0.006999999999999999 and 0.011000000000000001.
    expect(
      judge({ ...percent, comparisonStrategy: "EqualTo", targetValue: 0.007 }, "0.7%", { text: true }).status,
    ).toBe("pass");
    expect(
      judge({ ...percent, comparisonStrategy: "LessThanOrEqual", targetValue: 0.011 }, "1.1%", { text: true })
        .status,
    ).toBe("pass");
  });

  it("compares unmarked numbers as written", () => {
    expect(judge(percent, 0.95)).toMatchObject({ status: "pass", value: 0.95 });
    expect(judge(percent, "0.95", { text: true })).toMatchObject({ status: "pass", value: 0.95 });
    expect(judge(percent, 95).status).toBe("pass");
  });

  it("shows the fraction and the percentage in the message", () => {
    expect(judge(percent, "85%", { text: true }).message).toBe("got 0.85 (85%), expected ≥ 0.9");
  });

  it("tells the Action both forms of a confidential percentage to mask: the fraction and the percentage", () => {
    const spec = loadConfig(singleGateConfig({ ...percent, confidential: true }), "mlgate.yml");
    const told: unknown[] = [];
    const doc = {
      source: "s",
      origin: "m.csv",
      format: "csv" as const,
      data: { v: "73.25%" },
      textCells: true,
    };
    evaluate(spec, new Map([["s", doc]]), {
      now: NOW,
      tool: "mlgate test",
      run: { repository: null, sha: null, ref: null },
      release: false,
      onConfidential: (value) => told.push(value),
    });
    expect(told).toEqual([0.7325, 73.25]);
  });

  it("still refuses a percentage that is not a finite number", () => {
    expect(judge(percent, "1e400%", { text: true }).message).toContain("infinite");
  });

  it("is a configuration error on a gate that is not numeric, naming the line", () => {
    const config = singleGateConfig({
      dataType: "string",
      comparisonStrategy: "EqualTo",
      targetValue: "a",
      unit: "percent",
    });
    let error: unknown;
    try {
      loadConfig(config, "mlgate.yml");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MlgateError);
    expect(String((error as MlgateError).message)).toContain("unit applies only to numeric measurements");
    expect((error as MlgateError).location?.line).toBeGreaterThan(0);
  });

  it("is refused by the schema for anything but percent", () => {
    const config = singleGateConfig({ ...atLeast, unit: "per cent" });
    expect(() => loadConfig(config, "mlgate.yml")).toThrow(/"per cent" is not allowed/);
  });
});

describe("numbers with a unit, a separator or a decimal comma are errors that say why", () => {
  it.each([
    ["0.9 s", 'a number with a unit ("s")'],
    ["120ms", 'a number with a unit ("ms")'],
    ["0.9x", 'a number with a unit ("x")'],
    ["1,234", "neither thousands separators nor a decimal comma"],
    ["0,95", "neither thousands separators nor a decimal comma"],
    ["1.234,5", "neither thousands separators nor a decimal comma"],
    ["1 234", "neither thousands separators nor a decimal comma"],
    ["1'234", "neither thousands separators nor a decimal comma"],
  ])("the cell %j: %s", (cell, words) => {
    for (const gate of [atLeast, percent]) {
      const result = judge(gate, cell, { text: true });
      expect(result.status).toBe("error");
      expect(result.message).toContain(words);
    }
  });
});
