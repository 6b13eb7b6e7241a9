// Baseline rules (DESIGN §3): how far a value may move from the same measurement in a baseline report.
// maxDrop/maxRise are absolute, the *Pct ones relative to the baseline; minGain follows the strategy's
// better direction.
import type { BaselineRules, Strategy } from "../config/model.js";
import { betterDirection } from "../config/gate-rules.js";

/** Float noise such as 0.91 - 0.01 = 0.9000000000000001 must not decide a gate. */
const EPSILON = 1e-12;

/** Sentences describing each broken rule; empty when all hold. Never called for confidential gates. */
export function brokenBaselineRules(
  rules: BaselineRules,
  strategy: Strategy,
  current: number,
  previous: number,
): string[] {
  const delta = current - previous;
  const broken: string[] = [];
  const pct =
    previous === 0 ? (delta === 0 ? 0 : Infinity * Math.sign(delta)) : (delta / Math.abs(previous)) * 100;
  if (rules.maxDrop !== undefined && -delta > rules.maxDrop + EPSILON) {
    broken.push(
      `dropped by ${exact(-delta)} from the baseline ${previous}; at most ${rules.maxDrop} allowed`,
    );
  }
  if (rules.maxRise !== undefined && delta > rules.maxRise + EPSILON) {
    broken.push(`rose by ${exact(delta)} from the baseline ${previous}; at most ${rules.maxRise} allowed`);
  }
  if (rules.maxDropPct !== undefined && -pct > rules.maxDropPct + EPSILON) {
    broken.push(`dropped by ${formatPct(-pct)} from the baseline; at most ${rules.maxDropPct}% allowed`);
  }
  if (rules.maxRisePct !== undefined && pct > rules.maxRisePct + EPSILON) {
    broken.push(`rose by ${formatPct(pct)} from the baseline; at most ${rules.maxRisePct}% allowed`);
  }
  if (rules.minGain !== undefined) {
    const gain = betterDirection(strategy) === "lower" ? -delta : delta;
    if (gain < rules.minGain - EPSILON) {
      broken.push(
        `improved by ${exact(gain)} on the baseline ${previous}; at least ${rules.minGain} required`,
      );
    }
  }
  return broken;
}

/** A computed difference without float noise: 0.93 - 0.91 reads 0.02, not 0.020000000000000018. */
function exact(value: number): string {
  return String(Number(value.toPrecision(12)));
}

function formatPct(value: number): string {
  return Number.isFinite(value)
    ? `${Number(value.toPrecision(4))}%`
    : "an unbounded percentage (baseline was 0)";
}
