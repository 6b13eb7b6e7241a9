// How values, targets and deltas read to a human: short numbers that keep their meaning, strategies as
// symbols, ranges and lists in set notation. A redacted measurement shows `•••` whatever it carries.
import { STRATEGY_SYMBOLS } from "../config/definition-text.js";
import type { ReportMeasurement } from "./model.js";

type Value = NonNullable<ReportMeasurement["value"]>;
type Scalar = Extract<Value, number | string | boolean>;
type Target = ReportMeasurement["targetValue"];

export const REDACTED = "•••";
export const NONE = "—";
const MINUS = "−";
const SIGNIFICANT = 4;

/**
 * A number with up to 4 significant decimals (0.7277021394831897 → 0.7277, 2.7e-60 stays scientific,
 * integers as is). Shows more digits when rounding would make it read like one of `references`
 * (a value of 0.89999 against a target of 0.9 must not read as 0.9).
 */
export function formatNumber(n: number, references: readonly number[] = []): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return Object.is(n, -0) ? "0" : String(n);
  const shown = references.filter((r) => r !== n).map((r) => formatNumber(r));
  for (let digits = SIGNIFICANT; digits <= 17; digits++) {
    const text = roundNumber(n, digits);
    if (!shown.includes(text)) return text;
  }
  return String(n);
}

/**
 * The number with its decimal point moved by `places` (85 and -2 give 0.85), as the decimal reads:
 * 85.3 becomes exactly the double nearest to 0.853, which 85.3 / 100 is not.
 */
export function shiftDecimal(n: number, places: number): number {
  const [mantissa, exponent] = n.toExponential().split("e");
  return Number(`${mantissa ?? "0"}e${Number(exponent ?? 0) + places}`);
}

function roundNumber(n: number, digits: number): string {
  // At or above 1, the decimals are what matter; below 1, the significant digits.
  const text = Math.abs(n) >= 1 ? n.toFixed(digits) : n.toPrecision(digits);
  return withoutTrailingZeros(text);
}

/** "0.7200" → "0.72", "3.000" → "3", "1.500e-7" → "1.5e-7"; the exponent is kept as it is. */
function withoutTrailingZeros(text: string): string {
  const exponentAt = text.indexOf("e");
  const mantissa = exponentAt < 0 ? text : text.slice(0, exponentAt);
  const exponent = exponentAt < 0 ? "" : text.slice(exponentAt);
  if (!mantissa.includes(".")) return text;
  let end = mantissa.length;
  while (mantissa[end - 1] === "0") end--;
  if (mantissa[end - 1] === ".") end--;
  return mantissa.slice(0, end) + exponent;
}

export function formatScalar(value: Scalar, references: readonly number[] = []): string {
  if (typeof value === "number") return formatNumber(value, references);
  if (typeof value === "string") return value === "" ? '""' : value;
  return String(value);
}

/** A measured value; `—` when there is none. */
export function formatValue(value: Value | null, references: readonly number[] = []): string {
  if (value === null) return NONE;
  if (Array.isArray(value)) return formatList(value);
  return formatScalar(value, references);
}

function formatList(values: readonly Scalar[]): string {
  return `{${values.map((v) => formatScalar(v)).join(", ")}}`;
}

/** The target as the rule reads: `≥ 0.9`, `in (0.1, 0.3]`, `not in {a, b}`, `matches /^v\d+$/`. */
export function formatTarget(strategy: string, target: Target): string {
  const symbol = (STRATEGY_SYMBOLS as Readonly<Record<string, string>>)[strategy] ?? strategy;
  if (Array.isArray(target)) return `${symbol} ${formatList(target)}`;
  if (typeof target === "object") return `${symbol} ${formatRange(target)}`;
  if (strategy === "Matches" && typeof target === "string") return `${symbol} /${target}/`;
  return `${symbol} ${formatScalar(target)}`;
}

function formatRange(range: Extract<Target, { min?: unknown }>): string {
  const low =
    range.min === undefined ? `(${MINUS}∞` : `${range.minExclusive ? "(" : "["}${formatScalar(range.min)}`;
  const high = range.max === undefined ? "∞)" : `${formatScalar(range.max)}${range.maxExclusive ? ")" : "]"}`;
  return `${low}, ${high}`;
}

/** A change against the baseline with its sign (`+0.012`, `−0.003`); `—` when there is none. */
export function formatDelta(delta: number | null): string {
  if (delta === null) return NONE;
  if (delta === 0) return "±0";
  return `${delta > 0 ? "+" : MINUS}${formatNumber(Math.abs(delta))}`;
}

/** The numbers a value is compared with, so that it never reads like one of them when it differs. */
export function targetNumbers(target: Target): number[] {
  const candidates = Array.isArray(target)
    ? target
    : typeof target === "object"
      ? [target.min, target.max]
      : [target];
  return candidates.filter((c): c is number => typeof c === "number");
}

export interface DisplayedMeasurement {
  value: string;
  target: string;
  /** `—` when the measurement has no baseline. */
  delta: string;
  baseline: string;
}

/** What every renderer shows for a measurement. The `redacted` flag decides, not the fields. */
export function displayMeasurement(m: ReportMeasurement): DisplayedMeasurement {
  const target = formatTarget(m.comparisonStrategy, m.targetValue);
  if (m.redacted) {
    const hidden = m.baseline === null ? NONE : REDACTED;
    return { value: REDACTED, target, delta: hidden, baseline: hidden };
  }
  return {
    value: withPercent(formatValue(m.value, targetNumbers(m.targetValue)), m.value, m),
    target,
    delta: m.baseline === null ? NONE : formatDelta(m.baseline.delta),
    baseline: m.baseline === null ? NONE : withPercent(formatValue(m.baseline.value), m.baseline.value, m),
  };
}

/** A fraction read from a percentage (`unit: percent`) also reads as the percentage: `0.85 (85%)`. */
function withPercent(shown: string, value: Value | null, m: ReportMeasurement): string {
  if (m.unit !== "percent" || typeof value !== "number") return shown;
  return `${shown} (${formatNumber(shiftDecimal(value, 2))}%)`;
}
