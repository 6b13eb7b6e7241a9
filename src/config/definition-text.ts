// A gate's definition in words that never hide a difference, for the loosened-gates notice: numbers in
// full (0.90001 is not 0.9), text always quoted (["a, b"] is not ["a", "b"]), every tolerance spelt out.
// Two definitions that differ never read alike; the report's rounded display is for values, not this.
import type { Gate, Range, Scalar, SourceSpec, Tolerance } from "./model.js";

/** How each comparison strategy reads in a target: the notice's and the report's one vocabulary. */
export const STRATEGY_SYMBOLS: Readonly<Record<Gate["strategy"], string>> = {
  LessThan: "<",
  LessThanOrEqual: "≤",
  GreaterThan: ">",
  GreaterThanOrEqual: "≥",
  EqualTo: "=",
  NotEqualTo: "≠",
  Contains: "contains",
  NotContains: "does not contain",
  OneOf: "in",
  NotOneOf: "not in",
  InRange: "in",
  NotInRange: "not in",
  Matches: "matches",
};

/** `≥ 0.90001`, `in ["a, b"]`, `not in [0.1, 0.3)`, `= 2 (± 0.05 or ± 5% of 2, the larger)`. */
export function exactTarget(gate: Pick<Gate, "strategy" | "target" | "tolerance">): string {
  const symbol = STRATEGY_SYMBOLS[gate.strategy];
  const target = gate.target;
  const shown = Array.isArray(target)
    ? exactList(target)
    : typeof target === "object"
      ? exactRange(target)
      : exactScalar(target);
  const tolerance = gate.tolerance ? exactTolerance(gate.tolerance, target) : "";
  return `${symbol} ${shown}${tolerance}`;
}

/** A number as JavaScript reads it back (shortest round trip), text as a JSON string, a boolean bare. */
function exactScalar(value: Scalar): string {
  if (typeof value === "number") return Object.is(value, -0) ? "0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

export function exactList(values: readonly Scalar[]): string {
  return `[${values.map(exactScalar).join(", ")}]`;
}

function exactRange(range: Range): string {
  const low = range.min === undefined ? "(−∞" : `${range.minExclusive ? "(" : "["}${exactScalar(range.min)}`;
  const high = range.max === undefined ? "∞)" : `${exactScalar(range.max)}${range.maxExclusive ? ")" : "]"}`;
  return `${low}, ${high}`;
}

/** The tolerance as written: an absolute one, a relative one (a share of the target), or both. */
function exactTolerance(tolerance: Tolerance, target: Gate["target"]): string {
  const of = typeof target === "number" ? exactScalar(target) : "the target";
  const parts = [
    tolerance.absolute ? `± ${exactScalar(tolerance.absolute)}` : "",
    tolerance.relative ? `± ${percentText(tolerance.relative)}% of ${of}` : "",
  ].filter((part) => part !== "");
  if (parts.length === 0) return " (no tolerance)";
  return ` (${parts.join(" or ")}${parts.length > 1 ? ", the larger" : ""})`;
}

/**
 * A fraction as a percentage, by moving the decimal point in its text (0.05 → "5", 0.0123 → "1.23"):
 * never rounded, so two fractions never read as the same percentage.
 */
function percentText(fraction: number): string {
  const [mantissa = "0", exponent = "0"] = fraction.toExponential().split("e");
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  const point = 1 + Number(exponent) + 2;
  if (point < -20 || point > 21)
    return `${sign}${digits[0] ?? "0"}${digits.length > 1 ? `.${digits.slice(1)}` : ""}e${point - 1}`;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** What a source is, field by field (the name aside), each value exact: for comparing two definitions. */
export function sourceFields(source: SourceSpec): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [key, value] of Object.entries(source)) {
    if (key === "name" || value === undefined) continue;
    fields.set(key, exactJson(value));
  }
  return fields;
}

/** JSON with object keys in order, so equal definitions read equal whatever order they were written in. */
export function exactJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(exactJson).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}: ${exactJson(item)}`).join(", ")}}`;
  }
  if (typeof value === "number") return exactScalar(value);
  return JSON.stringify(value) ?? String(value);
}
