// Words for a gate's comparison in messages: "≥ 0.9", "in [0.1, 0.3]", "one of {a, b}".
import type { Gate, Range, Scalar, Strategy } from "../config/model.js";

export const STRATEGY_SYMBOLS: Record<Strategy, string> = {
  LessThan: "<",
  LessThanOrEqual: "≤",
  GreaterThan: ">",
  GreaterThanOrEqual: "≥",
  EqualTo: "=",
  NotEqualTo: "≠",
  Contains: "contains",
  NotContains: "does not contain",
  OneOf: "one of",
  NotOneOf: "none of",
  InRange: "in",
  NotInRange: "not in",
  Matches: "matches",
};

export function describeTarget(gate: Pick<Gate, "strategy" | "target" | "tolerance">): string {
  const symbol = STRATEGY_SYMBOLS[gate.strategy];
  const { target } = gate;
  let text: string;
  if (Array.isArray(target)) text = `{${target.map(showScalar).join(", ")}}`;
  else if (typeof target === "object") text = showRange(target);
  else text = showScalar(target);
  const tolerance = gate.tolerance
    ? ` ± ${Math.max(gate.tolerance.absolute, 0)}${gate.tolerance.relative ? ` (or ${gate.tolerance.relative * 100}%)` : ""}`
    : "";
  return `${symbol} ${text}${tolerance}`;
}

export function showScalar(value: Scalar): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function showRange(range: Range): string {
  const low = range.min === undefined ? "-∞" : showScalar(range.min);
  const high = range.max === undefined ? "∞" : showScalar(range.max);
  return `${range.minExclusive || range.min === undefined ? "(" : "["}${low}, ${high}${range.maxExclusive || range.max === undefined ? ")" : "]"}`;
}
