// Every comparison strategy for every data type it applies to (DESIGN §3), as value/target/verdict rows.
import { describe, expect, it } from "vitest";
import { judge } from "../support/judge.js";

const scale = ["low", "medium", "high"];

describe("numeric gates", () => {
  it.each([
    ["LessThan", 0.1, 0.05, "pass"],
    ["LessThan", 0.1, 0.1, "fail"],
    ["LessThanOrEqual", 0.1, 0.1, "pass"],
    ["LessThanOrEqual", 0.1, 0.1001, "fail"],
    ["GreaterThan", 0.9, 0.9001, "pass"],
    ["GreaterThan", 0.9, 0.9, "fail"],
    ["GreaterThanOrEqual", 0.9, 0.9, "pass"],
    ["GreaterThanOrEqual", 0.9, 0.8999, "fail"],
    ["EqualTo", 1, 1, "pass"],
    ["EqualTo", 1, 1.0001, "fail"],
    ["NotEqualTo", 0, 0.5, "pass"],
    ["NotEqualTo", 0, 0, "fail"],
    ["OneOf", [1, 2, 3], 2, "pass"],
    ["OneOf", [1, 2, 3], 4, "fail"],
    ["NotOneOf", [1, 2, 3], 4, "pass"],
    ["NotOneOf", [1, 2, 3], 3, "fail"],
    ["InRange", { min: 0.8, max: 1.25 }, 0.8, "pass"],
    ["InRange", { min: 0.8, max: 1.25 }, 1.25, "pass"],
    ["InRange", { min: 0.8, max: 1.25 }, 0.79, "fail"],
    ["InRange", { min: 0.8, max: 1.25, minExclusive: true }, 0.8, "fail"],
    ["InRange", { max: 0.2 }, -5, "pass"],
    ["NotInRange", { min: 0.4, max: 0.6 }, 0.7, "pass"],
    ["NotInRange", { min: 0.4, max: 0.6 }, 0.5, "fail"],
  ])("%s %j with value %j: %s", (strategy, target, value, expected) => {
    expect(
      judge({ dataType: "numeric", comparisonStrategy: strategy, targetValue: target }, value).status,
    ).toBe(expected);
  });

  it("EqualTo honours an absolute or relative tolerance", () => {
    const gate = { dataType: "numeric", comparisonStrategy: "EqualTo", targetValue: 100 };
    expect(judge({ ...gate, tolerance: { absolute: 0.5 } }, 100.4).status).toBe("pass");
    expect(judge({ ...gate, tolerance: { absolute: 0.5 } }, 100.6).status).toBe("fail");
    expect(judge({ ...gate, tolerance: { relative: 0.01 } }, 99.1).status).toBe("pass");
    expect(judge({ ...gate, tolerance: { relative: 0.01 } }, 98.9).status).toBe("fail");
  });
});

describe("ordinal gates compare by position on the scale", () => {
  it.each([
    ["LessThan", "medium", "low", "pass"],
    ["LessThan", "medium", "medium", "fail"],
    ["LessThanOrEqual", "medium", "medium", "pass"],
    ["LessThanOrEqual", "medium", "high", "fail"],
    ["GreaterThan", "low", "medium", "pass"],
    ["GreaterThan", "medium", "low", "fail"],
    ["GreaterThanOrEqual", "medium", "high", "pass"],
    ["GreaterThanOrEqual", "high", "medium", "fail"],
    ["EqualTo", "low", "low", "pass"],
    ["EqualTo", "low", "high", "fail"],
    ["NotEqualTo", "low", "high", "pass"],
    ["NotEqualTo", "low", "low", "fail"],
    ["OneOf", ["low", "medium"], "medium", "pass"],
    ["OneOf", ["low", "medium"], "high", "fail"],
    ["NotOneOf", ["high"], "low", "pass"],
    ["NotOneOf", ["high"], "high", "fail"],
    ["InRange", { min: "low", max: "medium" }, "medium", "pass"],
    ["InRange", { min: "low", max: "medium" }, "high", "fail"],
    ["NotInRange", { min: "medium", max: "high" }, "low", "pass"],
    ["NotInRange", { min: "medium", max: "high" }, "high", "fail"],
  ])("%s %j with value %j: %s", (strategy, target, value, expected) => {
    expect(
      judge({ dataType: "ordinal", scale, comparisonStrategy: strategy, targetValue: target }, value).status,
    ).toBe(expected);
  });

  it("a word that is not on the scale is an error, never a pass", () => {
    const result = judge(
      { dataType: "ordinal", scale, comparisonStrategy: "LessThan", targetValue: "high" },
      "severe",
    );
    expect(result.status).toBe("error");
    expect(result.message).toContain("not on the scale [low, medium, high]");
  });
});

describe("boolean gates", () => {
  it.each([
    ["EqualTo", true, true, "pass"],
    ["EqualTo", true, false, "fail"],
    ["NotEqualTo", true, false, "pass"],
    ["NotEqualTo", false, false, "fail"],
    ["OneOf", [true], true, "pass"],
    ["OneOf", [true], false, "fail"],
    ["NotOneOf", [false], true, "pass"],
    ["NotOneOf", [false], false, "fail"],
  ])("%s %j with value %j: %s", (strategy, target, value, expected) => {
    expect(
      judge({ dataType: "boolean", comparisonStrategy: strategy, targetValue: target }, value).status,
    ).toBe(expected);
  });

  it("reads True/False cells of a CSV (as pandas writes them) but not 1/0 or yes", () => {
    const gate = { dataType: "boolean", comparisonStrategy: "EqualTo", targetValue: false };
    expect(judge(gate, "False", { text: true }).status).toBe("pass");
    expect(judge(gate, "TRUE", { text: true }).status).toBe("fail");
    expect(judge(gate, "0", { text: true }).status).toBe("error");
    expect(judge(gate, "no", { text: true }).status).toBe("error");
    expect(judge(gate, "false").status).toBe("error");
  });
});

describe("string gates", () => {
  it("a CSV cell is read without its padding, and an empty cell is an error, not a string", () => {
    const notFailed = { dataType: "string", comparisonStrategy: "NotEqualTo", targetValue: "failed" };
    expect(judge(notFailed, " failed", { text: true }).status).toBe("fail");
    const empty = judge(notFailed, "", { text: true });
    expect(empty.status).toBe("error");
    expect(empty.message).toContain("the cell is empty");
    expect(
      judge({ dataType: "string", comparisonStrategy: "NotContains", targetValue: "x" }, "  ", { text: true })
        .status,
    ).toBe("error");
  });

  it.each([
    ["EqualTo", "production", "production", "pass"],
    ["EqualTo", "production", "Production", "fail"],
    ["NotEqualTo", "deprecated", "candidate", "pass"],
    ["NotEqualTo", "deprecated", "deprecated", "fail"],
    ["OneOf", ["candidate", "production"], "candidate", "pass"],
    ["OneOf", ["candidate", "production"], "archived", "fail"],
    ["NotOneOf", ["archived"], "candidate", "pass"],
    ["NotOneOf", ["archived"], "archived", "fail"],
    ["Contains", "scorer", "credit-scorer", "pass"],
    ["Contains", "scorer", "credit-model", "fail"],
    ["Contains", "pii-check", ["schema-check", "pii-check"], "pass"],
    ["Contains", "pii-check", ["schema-check"], "fail"],
    ["NotContains", "TODO", "final model", "pass"],
    ["NotContains", "TODO", "TODO: retrain", "fail"],
    ["Matches", "^credit-[a-z]+$", "credit-scorer", "pass"],
    ["Matches", "^credit-[a-z]+$", "credit-2", "fail"],
  ])("%s %j with value %j: %s", (strategy, target, value, expected) => {
    expect(
      judge({ dataType: "string", comparisonStrategy: strategy, targetValue: target }, value).status,
    ).toBe(expected);
  });

  it("Matches runs in linear time: a catastrophic pattern for backtracking engines returns at once", () => {
    const started = performance.now();
    const result = judge(
      { dataType: "string", comparisonStrategy: "Matches", targetValue: "^(a+)+$" },
      `${"a".repeat(5000)}!`,
    );
    expect(result.status).toBe("fail");
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
