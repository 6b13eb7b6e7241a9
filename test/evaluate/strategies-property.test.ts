// The comparison strategies as properties (DESIGN §3, §4), through the real config loader and evaluator:
// each strategy and its complement disagree on every finite value, and no number that is not finite ever
// passes. Seed and run count: test/support/fast-check-setup.ts (FC_SEED, FC_RUNS).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STRATEGIES_BY_TYPE } from "../../src/config/gate-rules.js";
import { judge } from "../support/judge.js";

type Verdict = "pass" | "fail" | "error" | "skipped";

/** Finite doubles, with the edges a comparison gets wrong: ±0, the smallest and the largest numbers. */
const finite = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 0.1, 1),
  fc.integer({ min: -1000, max: 1000 }),
);
/** A value and a target, equal often enough that the boundary of every comparison is exercised. */
const valueAndTarget = fc.oneof(
  fc.tuple(finite, finite),
  finite.map((t) => [t, t] as [number, number]),
  finite
    .map((t) => [t + Number.EPSILON * Math.abs(t), t] as [number, number])
    .filter(([v]) => Number.isFinite(v)),
);

function verdicts(
  pair: readonly [string, string],
  gate: Record<string, unknown>,
  value: unknown,
): [Verdict, Verdict] {
  const [one, other] = pair.map(
    (strategy) => judge({ ...gate, comparisonStrategy: strategy }, value).status as Verdict,
  );
  return [one as Verdict, other as Verdict];
}

/** Exactly one of a strategy and its complement passes, and neither is an error. */
function expectComplementary([one, other]: [Verdict, Verdict]): void {
  expect([one, other].sort()).toEqual(["fail", "pass"]);
}

describe("a strategy and its complement: exactly one passes, for every finite value and target", () => {
  it.each([
    ["GreaterThan", "LessThanOrEqual"],
    ["LessThan", "GreaterThanOrEqual"],
  ] as const)("%s / %s on numbers", (...pair) => {
    fc.assert(
      fc.property(valueAndTarget, ([value, target]) => {
        expectComplementary(verdicts(pair, { dataType: "numeric", targetValue: target }, value));
      }),
    );
  });

  it.each([
    ["GreaterThan", "LessThanOrEqual"],
    ["LessThan", "GreaterThanOrEqual"],
  ] as const)("%s / %s on an ordinal scale", (...pair) => {
    const scale = ["none", "low", "medium", "high", "critical"];
    const word = fc.constantFrom(...scale);
    fc.assert(
      fc.property(word, word, (value, target) => {
        expectComplementary(verdicts(pair, { dataType: "ordinal", scale, targetValue: target }, value));
      }),
    );
  });

  it("EqualTo / NotEqualTo on numbers, with and without a tolerance", () => {
    const tolerance = fc.option(
      fc.oneof(
        fc.record({ absolute: fc.double({ min: 0, max: 1e6, noNaN: true }) }),
        fc.record({ relative: fc.double({ min: 0, max: 1, noNaN: true }) }),
      ),
      { nil: undefined },
    );
    fc.assert(
      fc.property(valueAndTarget, tolerance, ([value, target], tol) => {
        const gate = { dataType: "numeric", targetValue: target, ...(tol ? { tolerance: tol } : {}) };
        expectComplementary(verdicts(["EqualTo", "NotEqualTo"], gate, value));
      }),
    );
  });

  it("EqualTo / NotEqualTo on strings and booleans", () => {
    const text = fc.string({ minLength: 0, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(text, text),
          text.map((t) => [t, t] as [string, string]),
        ),
        ([v, t]) => {
          expectComplementary(verdicts(["EqualTo", "NotEqualTo"], { dataType: "string", targetValue: t }, v));
        },
      ),
    );
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), (v, t) => {
        expectComplementary(verdicts(["EqualTo", "NotEqualTo"], { dataType: "boolean", targetValue: t }, v));
      }),
    );
  });

  it("OneOf / NotOneOf on numbers and strings", () => {
    fc.assert(
      fc.property(finite, fc.array(finite, { minLength: 1, maxLength: 5 }), fc.boolean(), (v, list, has) => {
        const targetValue = has ? [...list, v] : list;
        expectComplementary(verdicts(["OneOf", "NotOneOf"], { dataType: "numeric", targetValue }, v));
      }),
    );
    const text = fc.string({ maxLength: 6 });
    fc.assert(
      fc.property(text, fc.array(text, { minLength: 1, maxLength: 5 }), fc.boolean(), (v, list, has) => {
        const targetValue = has ? [v, ...list] : list;
        expectComplementary(verdicts(["OneOf", "NotOneOf"], { dataType: "string", targetValue }, v));
      }),
    );
  });

  it("InRange / NotInRange on numbers, open or closed at either end", () => {
    const range = fc
      .record(
        {
          min: finite,
          max: finite,
          minExclusive: fc.boolean(),
          maxExclusive: fc.boolean(),
        },
        { requiredKeys: [] },
      )
      .filter((r) => r.min !== undefined || r.max !== undefined)
      .map((r) =>
        r.min !== undefined && r.max !== undefined && r.min > r.max ? { ...r, min: r.max, max: r.min } : r,
      );
    const near = (r: { min?: number; max?: number }) =>
      fc.oneof(finite, ...[r.min, r.max].filter((b) => b !== undefined).map((b) => fc.constant(b)));
    fc.assert(
      fc.property(
        range.chain((r) => fc.tuple(fc.constant(r), near(r))),
        ([targetValue, value]) => {
          expectComplementary(
            verdicts(["InRange", "NotInRange"], { dataType: "numeric", targetValue }, value),
          );
        },
      ),
    );
  });

  it("Contains / NotContains on a string or a list of strings", () => {
    const text = fc.string({ maxLength: 10 });
    const value = fc.oneof(text, fc.array(fc.string({ maxLength: 4 }), { maxLength: 5 }));
    fc.assert(
      fc.property(value, fc.string({ minLength: 1, maxLength: 3 }), fc.boolean(), (v, target, inside) => {
        const shown = inside ? (Array.isArray(v) ? [...v, target] : `${v}${target}${v}`) : v;
        expectComplementary(
          verdicts(["Contains", "NotContains"], { dataType: "string", targetValue: target }, shown),
        );
      }),
    );
  });
});

describe("a number that is not finite is an error for every numeric strategy, never a pass", () => {
  const targetFor = (strategy: string, t: number): unknown =>
    strategy === "InRange" || strategy === "NotInRange"
      ? { min: Math.min(t, 0), max: Math.max(t, 0) }
      : strategy === "OneOf" || strategy === "NotOneOf"
        ? [t]
        : t;

  it.each(STRATEGIES_BY_TYPE.numeric)("%s", (strategy) => {
    const nonFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    const cell = fc.constantFrom("NaN", "nan", "inf", "-Infinity", "+inf", "1e400", "-1e999");
    const gate = (t: number) => ({
      dataType: "numeric",
      comparisonStrategy: strategy,
      targetValue: targetFor(strategy, t),
    });
    fc.assert(
      fc.property(nonFinite, finite, (value, t) => {
        expect(judge(gate(t), value).status).toBe("error");
      }),
    );
    fc.assert(
      fc.property(cell, finite, (value, t) => {
        expect(judge(gate(t), value, { text: true }).status).toBe("error");
      }),
    );
  });
});
