// Which values a gate lets pass, worked out exactly where that can be done, so that a changed gate can be
// proven to let pass no value the old one failed (src/config/diff.ts). Numbers: the set of doubles the
// evaluator's own comparisons accept, as runs of consecutive doubles; ordinal and boolean values: every
// value there is; strings: finite sets and their complements. Whatever cannot be proven is not.
import { allowedDeviation, meetsTarget, withinTolerance } from "../evaluate/strategies.js";
import { exactJson } from "./definition-text.js";
import type { Gate, Range, Scalar } from "./model.js";

/**
 * True only when every value that passes `gate` also passed `old`, both reading the same value: the
 * data type, the unit, the strategy, the target, the tolerance and the scale all taken into account.
 */
export function acceptsNoMore(old: Gate, gate: Gate): boolean {
  if (old.dataType !== gate.dataType) return false;
  if (exactJson(judged(old)) === exactJson(judged(gate))) return true;
  switch (gate.dataType) {
    case "numeric": {
      // `unit: percent` reads "85%", which a gate without a unit refuses: a new unit lets more values through.
      if (gate.unit === "percent" && old.unit !== "percent") return false;
      const [before, after] = [numericRegion(old), numericRegion(gate)];
      return before !== undefined && after !== undefined && isSubset(after, before);
    }
    case "ordinal":
      // A value is typed as a word of the gate's own scale, or refused: the new scale lists every candidate.
      // Each word costs a look through the scales and lists: a huge scale is not proven, but listed.
      if (ordinalCost(old) + ordinalCost(gate) > MAX_ORDINAL_COST) return false;
      return (gate.scale ?? []).every(
        (word) => !meetsTarget(gate, word) || (old.scale?.includes(word) === true && meetsTarget(old, word)),
      );
    case "boolean":
      return [true, false].every((value) => !meetsTarget(gate, value) || meetsTarget(old, value));
    case "string":
      return stringsNoMore(old, gate);
    default: {
      const never: never = gate.dataType;
      return never;
    }
  }
}

/** Everything that decides which values pass, apart from the data type. */
function judged(gate: Gate): unknown[] {
  return [gate.unit ?? null, gate.scale ?? null, gate.strategy, gate.target, gate.tolerance ?? null];
}

/** Words judged one by one, each looked up in scales and lists: beyond this many steps, not proven. */
const MAX_ORDINAL_COST = 4_000_000;

function ordinalCost(gate: Gate): number {
  const scale = gate.scale?.length ?? 0;
  const list = Array.isArray(gate.target) ? gate.target.length : 1;
  return scale * (scale + list);
}

// ---- Strings ------------------------------------------------------------------------------------------

function stringsNoMore(old: Gate, gate: Gate): boolean {
  // EqualTo and OneOf pass a finite set of strings (never a list): each must have passed before.
  const accepted = finiteStrings(gate);
  if (accepted) {
    // Against another finite set, membership is what the evaluator's equality decides (`===` on text).
    const acceptedBefore = finiteStrings(old);
    if (acceptedBefore) return isWithin(accepted, acceptedBefore);
    return accepted.every((text) => meetsTarget(old, text));
  }
  // NotEqualTo and NotOneOf pass every string but a few: the old gate must have refused no others.
  const refused = refusedStrings(gate);
  if (refused) {
    const refusedBefore = refusedStrings(old);
    return refusedBefore !== undefined && isWithin(refusedBefore, refused);
  }
  // Contains, NotContains and Matches (which may also judge lists): only the same comparison is proven.
  return old.strategy === gate.strategy && old.target === gate.target;
}

function isWithin(items: readonly string[], set: readonly string[]): boolean {
  const members = new Set(set);
  return items.every((item) => members.has(item));
}

function finiteStrings(gate: Gate): string[] | undefined {
  if (gate.strategy === "EqualTo") return [String(gate.target as Scalar)];
  if (gate.strategy === "OneOf") return (gate.target as Scalar[]).map(String);
  return undefined;
}

function refusedStrings(gate: Gate): string[] | undefined {
  if (gate.strategy === "NotEqualTo") return [String(gate.target as Scalar)];
  if (gate.strategy === "NotOneOf") return (gate.target as Scalar[]).map(String);
  return undefined;
}

// ---- Numbers ------------------------------------------------------------------------------------------
// Finite doubles in order are numbered by their bits (−MAX_VALUE … −0 = 0 … MAX_VALUE), so "the next
// double" is +1 and a region is a list of inclusive [first, last] runs. NaN and ±Infinity never pass.

type Run = readonly [bigint, bigint];

const BITS = new DataView(new ArrayBuffer(8));

/** The position of a finite double among all of them; −0 and 0 share one, as comparisons treat them. */
function ordinalOf(x: number): bigint {
  if (x === 0) return 0n;
  BITS.setFloat64(0, Math.abs(x));
  const magnitude = BITS.getBigUint64(0);
  return x < 0 ? -magnitude : magnitude;
}

function numberAt(ordinal: bigint): number {
  BITS.setBigUint64(0, ordinal < 0n ? -ordinal : ordinal);
  const magnitude = BITS.getFloat64(0);
  return ordinal < 0n ? -magnitude : magnitude;
}

const HIGHEST = ordinalOf(Number.MAX_VALUE);
const LOWEST = -HIGHEST;

/** The doubles the gate lets pass; undefined for a strategy that does not judge numbers. */
function numericRegion(gate: Gate): Run[] | undefined {
  const at = (value: Scalar) => ordinalOf(Number(value));
  const target = gate.target;
  switch (gate.strategy) {
    case "GreaterThan":
      return runs([[at(target as Scalar) + 1n, HIGHEST]]);
    case "GreaterThanOrEqual":
      return runs([[at(target as Scalar), HIGHEST]]);
    case "LessThan":
      return runs([[LOWEST, at(target as Scalar) - 1n]]);
    case "LessThanOrEqual":
      return runs([[LOWEST, at(target as Scalar)]]);
    case "EqualTo":
      return [equalTo(gate, Number(target))];
    case "NotEqualTo":
      return complement([equalTo(gate, Number(target))]);
    case "OneOf":
      return runs((target as Scalar[]).map((item) => equalTo(gate, Number(item))));
    case "NotOneOf":
      return complement(runs((target as Scalar[]).map((item) => equalTo(gate, Number(item)))));
    case "InRange":
      return runs([rangeRun(target as Range, at)]);
    case "NotInRange":
      return complement(runs([rangeRun(target as Range, at)]));
    case "Contains":
    case "NotContains":
    case "Matches":
      return undefined;
    default: {
      const never: never = gate.strategy;
      return never;
    }
  }
}

function rangeRun(range: Range, at: (value: Scalar) => bigint): Run {
  const first = range.min === undefined ? LOWEST : at(range.min) + (range.minExclusive ? 1n : 0n);
  const last = range.max === undefined ? HIGHEST : at(range.max) - (range.maxExclusive ? 1n : 0n);
  return [first, last];
}

/**
 * The doubles equal to `target` as the evaluator compares them (`|value − target| ≤ allowed`, rounded as
 * it runs): a run around the target, whose ends are found by bisection, since the rounded difference
 * grows with the value on either side.
 */
function equalTo(gate: Gate, target: number): Run {
  const allowed = allowedDeviation(gate.tolerance, target);
  const equal = (ordinal: bigint) => withinTolerance(numberAt(ordinal), target, allowed);
  const centre = ordinalOf(target);
  // A difference of two finite doubles rounds to 0 only when they are equal.
  if (allowed === 0) return [centre, centre];
  // The lowest ordinal in [LOWEST, centre] that is equal; the highest in [centre, HIGHEST].
  let [low, high] = [LOWEST, centre];
  while (low < high) {
    const middle = low + (high - low) / 2n;
    if (equal(middle)) high = middle;
    else low = middle + 1n;
  }
  const first = low;
  [low, high] = [centre, HIGHEST];
  while (low < high) {
    const middle = high - (high - low) / 2n;
    if (equal(middle)) low = middle;
    else high = middle - 1n;
  }
  return [first, low];
}

/** Sorted, merged (touching runs joined), empty runs dropped. */
function runs(list: readonly Run[]): Run[] {
  const sorted = list.filter(([first, last]) => first <= last).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const merged: [bigint, bigint][] = [];
  for (const [first, last] of sorted) {
    const previous = merged.at(-1);
    if (previous && first <= previous[1] + 1n) previous[1] = last > previous[1] ? last : previous[1];
    else merged.push([first, last]);
  }
  return merged;
}

function complement(region: readonly Run[]): Run[] {
  const gaps: Run[] = [];
  let next = LOWEST;
  for (const [first, last] of region) {
    if (first > next) gaps.push([next, first - 1n]);
    next = last + 1n;
  }
  if (next <= HIGHEST) gaps.push([next, HIGHEST]);
  return gaps;
}

/**
 * Every run of `inner` lies within one run of `outer` (both sorted and merged, so a run cannot span two):
 * one pass over both, so long `in:` lists cost no more than their length.
 */
function isSubset(inner: readonly Run[], outer: readonly Run[]): boolean {
  let o = 0;
  for (const [first, last] of inner) {
    while (o < outer.length && (outer[o] as Run)[1] < first) o++;
    const run = outer[o];
    if (!run || run[0] > first || run[1] < last) return false;
  }
  return true;
}
