// How values, targets and deltas read: short, but never misleading.
import { describe, expect, it } from "vitest";
import {
  displayMeasurement,
  formatDelta,
  formatNumber,
  formatTarget,
  formatValue,
} from "../../src/report/format-value.js";
import type { ReportMeasurement } from "../../src/report/model.js";
import { measurement } from "./sample-report.js";

type Target = ReportMeasurement["targetValue"];
type Value = ReportMeasurement["value"];

describe("formatNumber", () => {
  it.each([
    [0.7277021394831897, "0.7277"],
    [2.7e-60, "2.7e-60"],
    [1.5e-7, "1.5e-7"],
    [0.000123456, "0.0001235"],
    [0.9, "0.9"],
    [0.5, "0.5"],
    [-0.25, "-0.25"],
    [42, "42"],
    [-3, "-3"],
    [1_000_000, "1000000"],
    [123.456789, "123.4568"],
    [1.5, "1.5"],
    [-0, "0"],
  ])("shows %d as %s", (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });

  it.each([
    [0.89999, [0.9], "0.89999"],
    [0.9000001, [0.9], "0.9000001"],
    [0.9, [0.9], "0.9"],
    [0.89999, [0.5], "0.9"],
  ])(
    "shows %d next to %j as %s so that a failing value never reads like its target",
    (value, refs, expected) => {
      expect(formatNumber(value, refs)).toBe(expected);
    },
  );
});

describe("formatValue", () => {
  it.each<[Value, string]>([
    [null, "—"],
    [true, "true"],
    ["medium", "medium"],
    ["", '""'],
    [["cat", "dog"], "{cat, dog}"],
    [0.93120001, "0.9312"],
  ])("shows %j as %s", (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });
});

describe("formatTarget", () => {
  it.each<[string, Target, string]>([
    ["GreaterThanOrEqual", 0.9, "≥ 0.9"],
    ["GreaterThan", 0.9, "> 0.9"],
    ["LessThan", 120, "< 120"],
    ["LessThanOrEqual", 0.05, "≤ 0.05"],
    ["EqualTo", "high", "= high"],
    ["NotEqualTo", true, "≠ true"],
    ["InRange", { min: 0.1, max: 0.3 }, "in [0.1, 0.3]"],
    ["InRange", { min: 0.1, max: 0.3, minExclusive: true }, "in (0.1, 0.3]"],
    ["NotInRange", { max: 5, maxExclusive: true }, "not in (−∞, 5)"],
    ["InRange", { min: 0 }, "in [0, ∞)"],
    ["OneOf", ["a", "b"], "in {a, b}"],
    ["NotOneOf", ["a", "b"], "not in {a, b}"],
    ["Contains", "cat", "contains cat"],
    ["NotContains", "cat", "does not contain cat"],
    ["Matches", "^v\\d+$", "matches /^v\\d+$/"],
    ["SomeFutureStrategy", 3, "SomeFutureStrategy 3"],
  ])("shows %s %j as %s", (strategy, target, expected) => {
    expect(formatTarget(strategy, target)).toBe(expected);
  });
});

describe("formatDelta", () => {
  it.each([
    [0.012, "+0.012"],
    [-0.003, "−0.003"],
    [0.00123456, "+0.001235"],
    [-2, "−2"],
    [0, "±0"],
    [null, "—"],
  ])("shows %j as %s", (delta, expected) => {
    expect(formatDelta(delta)).toBe(expected);
  });
});

describe("displayMeasurement", () => {
  it("shows a redacted measurement as ••• even when the caller left its values in", () => {
    const secret = measurement({
      name: "dpd",
      value: 0.987654321,
      redacted: true,
      baseline: { value: 0.5, delta: 0.487654321, ref: "main" },
    });
    expect(displayMeasurement(secret)).toEqual({
      value: "•••",
      target: "≥ 0.9",
      delta: "•••",
      baseline: "•••",
    });
  });

  it("shows — for the delta of a measurement without a baseline", () => {
    expect(displayMeasurement(measurement({ name: "acc", value: 0.93 })).delta).toBe("—");
  });
});
