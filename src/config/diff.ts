// What a change to the gates config gave up: every gate removed and every gate whose demand became looser,
// judged gate by gate (matched by id) between the config on the base commit and the one under review.
// A change we cannot prove to be as strict or stricter is listed: a reviewer reads one line too many
// rather than missing a lowered bar.
import { describeTarget } from "../evaluate/describe.js";
import { formatLocation } from "../errors.js";
import type { BaselineRules, Frequency, Gate, Range, Scalar, Specification, Target } from "./model.js";

export interface ConfigChange {
  kind: "removed" | "loosened";
  gateId: string;
  /** The gate's name and dimension as the reviewer knows them. */
  name: string;
  dimension: string;
  /** One phrase per loosened aspect: "target ≥ 0.9 → ≥ 0.85", "severity blocking → warning". */
  changes: string[];
  /** `file:line:column` of the gate in the config under review, or on the base commit when removed. */
  declaredAt: string;
}

export function loosenedGates(before: Specification, after: Specification): ConfigChange[] {
  const now = new Map(after.gates.map((gate) => [gate.id, gate]));
  const result: ConfigChange[] = [];
  for (const old of before.gates) {
    const gate = now.get(old.id);
    if (!gate) {
      result.push({
        kind: "removed",
        gateId: old.id,
        name: old.name,
        dimension: old.dimension,
        changes: [`removed (was ${describeTarget(old)}, ${old.severity})`],
        declaredAt: formatLocation(old.location),
      });
      continue;
    }
    const changes = loosenings(old, gate);
    if (changes.length > 0) {
      result.push({
        kind: "loosened",
        gateId: gate.id,
        name: gate.name,
        dimension: gate.dimension,
        changes,
        declaredAt: formatLocation(gate.location),
      });
    }
  }
  return result;
}

function loosenings(old: Gate, gate: Gate): string[] {
  const changes: string[] = [];
  if (old.severity === "blocking" && gate.severity === "warning") changes.push("severity blocking → warning");
  if (old.source !== gate.source || (old.path ?? "") !== (gate.path ?? "")) {
    changes.push(`now reads ${where(gate)} (was ${where(old)})`);
  }
  if (old.dataType !== gate.dataType) changes.push(`data type ${old.dataType} → ${gate.dataType}`);
  if (!sameList(old.scale, gate.scale)) changes.push("ordinal scale changed");
  const target = describeTarget(gate);
  const oldTarget = describeTarget(old);
  if (target !== oldTarget && !targetNotLooser(old, gate)) changes.push(`target ${oldTarget} → ${target}`);
  changes.push(...baselineLoosenings(old.baseline, gate.baseline));
  if (frequencyRank(gate.frequency) > frequencyRank(old.frequency)) {
    changes.push(`assessed ${frequencyText(gate.frequency)} (was ${frequencyText(old.frequency)})`);
  }
  return changes;
}

function where(gate: Gate): string {
  return gate.path ? `${gate.source} ${gate.path}` : gate.source;
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return (a ?? []).join("\u0000") === (b ?? []).join("\u0000");
}

/** True only when every value that passes the new gate also passed the old one. */
function targetNotLooser(old: Gate, gate: Gate): boolean {
  if (old.strategy !== gate.strategy && !sameFamily(old, gate)) return false;
  if (toleranceOf(gate) > toleranceOf(old)) return false;
  const rank = (value: Scalar): number | undefined => {
    if (typeof value === "number") return value;
    if (typeof value === "string" && gate.scale && sameList(old.scale, gate.scale)) {
      const index = gate.scale.indexOf(value);
      return index < 0 ? undefined : index;
    }
    return undefined;
  };
  switch (gate.strategy) {
    case "GreaterThan":
    case "GreaterThanOrEqual":
    case "LessThan":
    case "LessThanOrEqual":
      return boundNotLooser(old, gate, rank);
    case "InRange":
    case "NotInRange":
      return rangeNotLooser(old.target, gate.target, gate.strategy === "InRange", rank);
    case "OneOf":
    case "NotOneOf": {
      const before = new Set(scalars(old.target).map(String));
      const afterValues = scalars(gate.target).map(String);
      return gate.strategy === "OneOf"
        ? afterValues.every((v) => before.has(v))
        : [...before].every((v) => afterValues.includes(v));
    }
    default:
      return sameTarget(old.target, gate.target);
  }
}

/** `> t` and `≥ t` bound the same side; so do `< t` and `≤ t`. */
function sameFamily(old: Gate, gate: Gate): boolean {
  const lower = ["GreaterThan", "GreaterThanOrEqual"];
  const upper = ["LessThan", "LessThanOrEqual"];
  return (
    (lower.includes(old.strategy) && lower.includes(gate.strategy)) ||
    (upper.includes(old.strategy) && upper.includes(gate.strategy))
  );
}

function boundNotLooser(old: Gate, gate: Gate, rank: (v: Scalar) => number | undefined): boolean {
  const before = typeof old.target === "object" ? undefined : rank(old.target);
  const after = typeof gate.target === "object" ? undefined : rank(gate.target);
  if (before === undefined || after === undefined) return false;
  const inclusive = (s: string) => s.endsWith("OrEqual");
  const lowerBound = gate.strategy.startsWith("Greater");
  if (after === before) return !(inclusive(gate.strategy) && !inclusive(old.strategy));
  return lowerBound ? after > before : after < before;
}

function rangeNotLooser(
  oldTarget: Target,
  newTarget: Target,
  inside: boolean,
  rank: (v: Scalar) => number | undefined,
): boolean {
  if (!isRange(oldTarget) || !isRange(newTarget)) return false;
  const low = (r: Range) => (r.min === undefined ? -Infinity : rank(r.min));
  const high = (r: Range) => (r.max === undefined ? Infinity : rank(r.max));
  const [oldLow, newLow, oldHigh, newHigh] = [
    low(oldTarget),
    low(newTarget),
    high(oldTarget),
    high(newTarget),
  ];
  if (oldLow === undefined || newLow === undefined || oldHigh === undefined || newHigh === undefined) {
    return false;
  }
  // InRange: the new range must lie within the old one. NotInRange: the new forbidden range must cover it.
  const [outer, inner] = inside ? [oldTarget, newTarget] : [newTarget, oldTarget];
  const [outerLow, innerLow, outerHigh, innerHigh] = inside
    ? [oldLow, newLow, oldHigh, newHigh]
    : [newLow, oldLow, newHigh, oldHigh];
  const lowOk = innerLow > outerLow || (innerLow === outerLow && (!outer.minExclusive || inner.minExclusive));
  const highOk =
    innerHigh < outerHigh || (innerHigh === outerHigh && (!outer.maxExclusive || inner.maxExclusive));
  return lowOk && highOk;
}

function isRange(target: Target): target is Range {
  return typeof target === "object" && !Array.isArray(target);
}

function scalars(target: Target): Scalar[] {
  return Array.isArray(target) ? target : isRange(target) ? [] : [target];
}

function sameTarget(a: Target, b: Target): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function toleranceOf(gate: Gate): number {
  return (gate.tolerance?.absolute ?? 0) + (gate.tolerance?.relative ?? 0);
}

const BASELINE_RULES: ReadonlyArray<[keyof BaselineRules, "higher-is-looser" | "lower-is-looser"]> = [
  ["maxDrop", "higher-is-looser"],
  ["maxRise", "higher-is-looser"],
  ["maxDropPct", "higher-is-looser"],
  ["maxRisePct", "higher-is-looser"],
  ["minGain", "lower-is-looser"],
];

function baselineLoosenings(old: BaselineRules | undefined, rules: BaselineRules | undefined): string[] {
  const changes: string[] = [];
  for (const [key, direction] of BASELINE_RULES) {
    const before = old?.[key];
    if (before === undefined) continue;
    const after = rules?.[key];
    if (after === undefined) changes.push(`baseline rule ${key} ${before} removed`);
    else if (direction === "higher-is-looser" ? after > before : after < before) {
      changes.push(`baseline rule ${key} ${before} → ${after}`);
    }
  }
  return changes;
}

/** Larger is less often: every change, then intervals by length, then once per release. */
function frequencyRank(frequency: Frequency): number {
  switch (frequency.kind) {
    case "per-change":
      return 0;
    case "interval":
      return 1 + frequency.months * 31 * 24 * 3600 * 1000 + frequency.milliseconds;
    case "per-release":
      return Number.MAX_SAFE_INTEGER;
    default: {
      const never: never = frequency;
      return never;
    }
  }
}

function frequencyText(frequency: Frequency): string {
  return frequency.kind === "interval" ? frequency.text : frequency.kind;
}
