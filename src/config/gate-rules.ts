// Which comparison strategies fit which data types, and what shape each target must have (DESIGN §3).
// Checked once at load time so the evaluator can trust every gate it is given.
import { RE2JS } from "re2js";
import type { DataType, Scalar, Strategy, Target } from "./model.js";

const ORDERED: readonly Strategy[] = ["LessThan", "LessThanOrEqual", "GreaterThan", "GreaterThanOrEqual"];
const RANGES: readonly Strategy[] = ["InRange", "NotInRange"];
const LISTS: readonly Strategy[] = ["OneOf", "NotOneOf"];
const TEXT: readonly Strategy[] = ["Contains", "NotContains", "Matches"];

export const STRATEGIES_BY_TYPE: Record<DataType, readonly Strategy[]> = {
  numeric: [...ORDERED, "EqualTo", "NotEqualTo", ...LISTS, ...RANGES],
  ordinal: [...ORDERED, "EqualTo", "NotEqualTo", ...LISTS, ...RANGES],
  boolean: ["EqualTo", "NotEqualTo", ...LISTS],
  string: ["EqualTo", "NotEqualTo", ...LISTS, ...TEXT],
};

/** Which way is better for a strategy: needed by `minGain`. */
export function betterDirection(strategy: Strategy): "higher" | "lower" | undefined {
  if (strategy === "GreaterThan" || strategy === "GreaterThanOrEqual") return "higher";
  if (strategy === "LessThan" || strategy === "LessThanOrEqual") return "lower";
  return undefined;
}

/** The data type a gate has when the config does not say: from its scale, strategy and target. */
export function inferDataType(
  strategy: Strategy,
  target: unknown,
  scale: string[] | undefined,
): DataType | undefined {
  if (scale) return "ordinal";
  if (ORDERED.includes(strategy) || RANGES.includes(strategy)) return "numeric";
  if (TEXT.includes(strategy)) return "string";
  const sample = Array.isArray(target) ? target[0] : target;
  if (typeof sample === "number") return "numeric";
  if (typeof sample === "boolean") return "boolean";
  if (typeof sample === "string") return "string";
  return undefined;
}

/** Returns a problem with the target (as a sentence), or undefined when it fits strategy and type. */
export function checkTarget(
  strategy: Strategy,
  dataType: DataType,
  target: Target,
  scale?: string[],
): string | undefined {
  if (RANGES.includes(strategy)) {
    if (typeof target !== "object" || target === null || Array.isArray(target)) {
      return `${strategy} needs targetValue: { min, max }`;
    }
    if (target.min === undefined && target.max === undefined) return `${strategy} needs a min, a max or both`;
    for (const bound of [target.min, target.max]) {
      if (bound !== undefined) {
        const problem = checkScalar(bound, dataType, scale);
        if (problem) return problem;
      }
    }
    if (
      target.min !== undefined &&
      target.max !== undefined &&
      position(target.min, scale) > position(target.max, scale)
    ) {
      return `the range's min is above its max`;
    }
    return undefined;
  }
  if (LISTS.includes(strategy)) {
    if (!Array.isArray(target)) return `${strategy} needs a list as targetValue, e.g. [a, b]`;
    for (const item of target) {
      const problem = checkScalar(item, dataType, scale);
      if (problem) return problem;
    }
    return undefined;
  }
  if (Array.isArray(target) || (typeof target === "object" && target !== null)) {
    return `${strategy} needs a single value as targetValue, not a ${Array.isArray(target) ? "list" : "mapping"}`;
  }
  if (strategy === "Matches") {
    if (typeof target !== "string") return "Matches needs a regular expression (a string)";
    try {
      RE2JS.compile(target);
    } catch (error) {
      return `the regular expression does not compile: ${(error as Error).message}`;
    }
    return undefined;
  }
  return checkScalar(target, dataType, scale);
}

function checkScalar(value: Scalar, dataType: DataType, scale?: string[]): string | undefined {
  switch (dataType) {
    case "numeric":
      return typeof value === "number" && Number.isFinite(value)
        ? undefined
        : `the target ${JSON.stringify(value)} is not a number`;
    case "ordinal":
      return typeof value === "string" && scale?.includes(value)
        ? undefined
        : `the target ${JSON.stringify(value)} is not on the scale [${(scale ?? []).join(", ")}]`;
    case "boolean":
      return typeof value === "boolean"
        ? undefined
        : `the target ${JSON.stringify(value)} is not true or false`;
    case "string":
      return typeof value === "string"
        ? undefined
        : `the target ${JSON.stringify(value)} is not a string; quote it`;
    default: {
      const never: never = dataType;
      return never;
    }
  }
}

function position(value: Scalar, scale?: string[]): number {
  return scale ? scale.indexOf(String(value)) : Number(value);
}
