// The comparison strategies of CABC §5.4.2.3 and DESIGN §3: value vs target, for a typed value.
// Ordinal values compare by their position on the scale; Matches runs a linear-time engine (re2js).
import { RE2JS } from "re2js";
import type { Gate, Range, Scalar, Tolerance } from "../config/model.js";
import type { TypedValue } from "./values.js";

export function meetsTarget(gate: Gate, value: TypedValue): boolean {
  const { strategy, target } = gate;
  const rank = (item: Scalar | TypedValue): number =>
    gate.dataType === "ordinal" ? (gate.scale ?? []).indexOf(String(item)) : Number(item);
  switch (strategy) {
    case "LessThan":
      return rank(value) < rank(target as Scalar);
    case "LessThanOrEqual":
      return rank(value) <= rank(target as Scalar);
    case "GreaterThan":
      return rank(value) > rank(target as Scalar);
    case "GreaterThanOrEqual":
      return rank(value) >= rank(target as Scalar);
    case "EqualTo":
      return equals(gate, value, target as Scalar);
    case "NotEqualTo":
      return !equals(gate, value, target as Scalar);
    case "OneOf":
      return (target as Scalar[]).some((item) => equals(gate, value, item));
    case "NotOneOf":
      return !(target as Scalar[]).some((item) => equals(gate, value, item));
    case "InRange":
      return inRange(rank(value), target as Range, rank);
    case "NotInRange":
      return !inRange(rank(value), target as Range, rank);
    case "Contains":
      return contains(value, target as string);
    case "NotContains":
      return !contains(value, target as string);
    case "Matches":
      return typeof value === "string" && RE2JS.compile(target as string).test(value);
    default: {
      const never: never = strategy;
      return never;
    }
  }
}

function equals(gate: Gate, value: TypedValue, target: Scalar): boolean {
  if (gate.dataType === "numeric" && typeof value === "number" && typeof target === "number") {
    return withinTolerance(value, target, allowedDeviation(gate.tolerance, target));
  }
  return value === target;
}

/** How far a number may be from `target` and still equal it: the larger of the two tolerances. */
export function allowedDeviation(tolerance: Tolerance | undefined, target: number): number {
  return Math.max(tolerance?.absolute ?? 0, (tolerance?.relative ?? 0) * Math.abs(target));
}

/**
 * Numeric equality as the evaluator decides it, in floating point. The loosened-gates check
 * (src/config/acceptance.ts) works out its bounds with this same function.
 */
export function withinTolerance(value: number, target: number, allowed: number): boolean {
  return Math.abs(value - target) <= allowed;
}

function inRange(value: number, range: Range, rank: (item: Scalar) => number): boolean {
  if (range.min !== undefined) {
    const min = rank(range.min);
    if (range.minExclusive ? value <= min : value < min) return false;
  }
  if (range.max !== undefined) {
    const max = rank(range.max);
    if (range.maxExclusive ? value >= max : value > max) return false;
  }
  return true;
}

function contains(value: TypedValue, target: string): boolean {
  if (Array.isArray(value)) return value.includes(target);
  return typeof value === "string" && value.includes(target);
}
