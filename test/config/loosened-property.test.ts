// The loosened-gates notice against brute force: for generated pairs of gates (the base commit's and the
// pull request's), every sample value is judged by the real loader and evaluator under both, and whenever
// one passes the new gate but failed the old one, or a failure stops blocking, the gate must be listed —
// with a before and an after that read differently. Samples: every target, bound and list member, each
// moved by its tolerances, the doubles next to all of those, the points between, and text around them.
// Seed and run count: test/support/fast-check-setup.ts (FC_SEED, FC_RUNS).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loosenedGates } from "../../src/config/diff.js";
import { loadConfig } from "../../src/config/load.js";
import type { Gate, Specification } from "../../src/config/model.js";
import { MlgateError } from "../../src/errors.js";
import { evaluateGate, rollUp, type EvaluateOptions } from "../../src/evaluate/evaluate.js";
import type { SourceDocument } from "../../src/sources/types.js";
import { NOW, singleGateConfig } from "../support/judge.js";

type Measurement = Record<string, unknown>;

// ---- Doubles ----

const view = new DataView(new ArrayBuffer(8));
/** The double `steps` places away (independent of the code under test). */
function nextDouble(x: number, steps: number): number {
  if (steps === 0 || !Number.isFinite(x)) return x;
  view.setFloat64(0, x === 0 ? 0 : x);
  let bits = view.getBigInt64(0);
  const up = steps > 0;
  for (let i = 0; i < Math.abs(steps); i++) {
    if (x === 0 && bits === 0n) {
      bits = up ? 1n : -9223372036854775807n; // the smallest subnormal, positive or negative
    } else if (bits >= 0n) bits += up ? 1n : -1n;
    else bits += up ? -1n : 1n;
    if (bits === -9223372036854775808n) bits = 0n; // -0 → 0
  }
  view.setBigInt64(0, bits);
  return view.getFloat64(0);
}

// ---- Gates ----------------------------------------------------------------------------------------------

/** Numbers that sit close together, so that pairs often differ by a rounding, plus any double nearby. */
const NUMBERS = [0, 0.9, 0.90001, 0.9000000000000001, 1, 1.1, 2, -1, 0.1, 0.3, 100, 1e-17];
const number = fc.oneof(
  fc.constantFrom(...NUMBERS),
  fc.double({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -3, max: 3 }),
);
const tolerance = fc.oneof(
  fc.constant(undefined),
  fc.record({ absolute: fc.constantFrom(0, 0.05, 0.1, 1e-17, 0.2) }),
  fc.record({ relative: fc.constantFrom(0, 0.05, 0.1, 0.5) }),
  fc.record({ absolute: fc.constantFrom(0.05, 0.1), relative: fc.constantFrom(0.05, 0.1) }),
);
const severity = fc.constantFrom("blocking", "warning");

function range<T>(bound: fc.Arbitrary<T>, order: (a: T, b: T) => number): fc.Arbitrary<Measurement> {
  return fc
    .record({
      min: fc.option(bound, { nil: undefined }),
      max: fc.option(bound, { nil: undefined }),
      minExclusive: fc.option(fc.boolean(), { nil: undefined }),
      maxExclusive: fc.option(fc.boolean(), { nil: undefined }),
    })
    .filter((r) => r.min !== undefined || r.max !== undefined)
    .map((r) =>
      r.min !== undefined && r.max !== undefined && order(r.min, r.max) > 0
        ? { ...r, min: r.max, max: r.min }
        : r,
    );
}

const numericGate: fc.Arbitrary<Measurement> = fc
  .tuple(
    fc.oneof(
      fc.record({
        comparisonStrategy: fc.constantFrom(
          "LessThan",
          "LessThanOrEqual",
          "GreaterThan",
          "GreaterThanOrEqual",
        ),
        targetValue: number,
      }),
      fc.record({
        comparisonStrategy: fc.constantFrom("EqualTo", "NotEqualTo"),
        targetValue: number,
        tolerance,
      }),
      fc.record({
        comparisonStrategy: fc.constantFrom("OneOf", "NotOneOf"),
        targetValue: fc.array(number, { minLength: 1, maxLength: 3 }),
      }),
      fc.record({
        comparisonStrategy: fc.constantFrom("InRange", "NotInRange"),
        targetValue: range(number, (a, b) => a - b),
      }),
    ),
    fc.constantFrom(undefined, "percent"),
  )
  .map(([gate, unit]) => ({ ...gate, dataType: "numeric", ...(unit ? { unit } : {}) }));

const WORDS = ["low", "medium", "high", "critical"];
const ordinalGate: fc.Arbitrary<Measurement> = fc.shuffledSubarray(WORDS, { minLength: 2 }).chain((scale) => {
  const word = fc.constantFrom(...scale);
  const rank = (w: string) => scale.indexOf(w);
  return fc
    .oneof(
      fc.record({
        comparisonStrategy: fc.constantFrom(
          "LessThan",
          "LessThanOrEqual",
          "GreaterThan",
          "GreaterThanOrEqual",
          "EqualTo",
          "NotEqualTo",
        ),
        targetValue: word,
      }),
      fc.record({
        comparisonStrategy: fc.constantFrom("OneOf", "NotOneOf"),
        targetValue: fc.uniqueArray(word, { minLength: 1 }),
      }),
      fc.record({
        comparisonStrategy: fc.constantFrom("InRange", "NotInRange"),
        targetValue: range(word, (a, b) => rank(a) - rank(b)),
      }),
    )
    .map((gate) => ({ ...gate, dataType: "ordinal", scale }));
});

const booleanGate: fc.Arbitrary<Measurement> = fc
  .oneof(
    fc.record({ comparisonStrategy: fc.constantFrom("EqualTo", "NotEqualTo"), targetValue: fc.boolean() }),
    fc.record({
      comparisonStrategy: fc.constantFrom("OneOf", "NotOneOf"),
      targetValue: fc.uniqueArray(fc.boolean(), { minLength: 1 }),
    }),
  )
  .map((gate) => ({ ...gate, dataType: "boolean" }));

/** Strings whose rendered lists collide ("a, b" against "a", "b"), prefixes, padding and the empty string. */
const TEXTS = ["a", "b", "a, b", "ab", "", " a", "A"];
const text = fc.constantFrom(...TEXTS);
const stringGate: fc.Arbitrary<Measurement> = fc
  .oneof(
    fc.record({
      comparisonStrategy: fc.constantFrom("EqualTo", "NotEqualTo", "Contains", "NotContains"),
      targetValue: text,
    }),
    fc.record({
      comparisonStrategy: fc.constantFrom("OneOf", "NotOneOf"),
      targetValue: fc.uniqueArray(text, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      comparisonStrategy: fc.constant("Matches"),
      targetValue: fc.constantFrom("^a", "b$", "a|b", "^$", "."),
    }),
  )
  .map((gate) => ({ ...gate, dataType: "string" }));

const GATES = { numeric: numericGate, ordinal: ordinalGate, boolean: booleanGate, string: stringGate };

/** A number moved a little: to the next doubles, by a rounding the notice once hid, or to a pool value. */
function nudged(n: number): fc.Arbitrary<number> {
  return fc.constantFrom(
    nextDouble(n, 1),
    nextDouble(n, -1),
    n + 0.00001,
    n - 0.00001,
    Number(n.toPrecision(4)),
    Number(n.toPrecision(1)),
    n + 0.05,
    n - 0.05,
    n * 2,
    -n,
  );
}

type Edit = (gate: Measurement) => fc.Arbitrary<Measurement>;

const FAMILIES: readonly (readonly string[])[] = [
  ["GreaterThan", "GreaterThanOrEqual", "InRange"],
  ["LessThan", "LessThanOrEqual", "NotInRange"],
  ["EqualTo", "NotEqualTo", "OneOf"],
  ["OneOf", "NotOneOf", "EqualTo"],
  ["InRange", "NotInRange", "GreaterThanOrEqual"],
  ["Contains", "NotContains", "Matches", "EqualTo"],
];

/** Small edits a pull request makes to one gate: each changes one thing. */
const EDITS: readonly Edit[] = [
  // A target or bound moved a little, or a list member changed.
  (gate) => {
    const target = gate.targetValue;
    if (typeof target === "number") return nudged(target).map((t) => ({ ...gate, targetValue: t }));
    if (Array.isArray(target)) {
      return fc
        .oneof(
          fc.constant([...target, ...target.slice(0, 1)].slice(1)),
          fc.constant(target.slice(1).length ? target.slice(1) : target),
          fc.constant([...target, typeof target[0] === "string" ? "a, b" : 0.9]),
          // ["a, b"] against ["a", "b"]: lists that render alike when joined.
          fc.constant(
            typeof target[0] === "string" ? [target.filter((t) => typeof t === "string").join(", ")] : target,
          ),
          fc.constant(
            typeof target[0] === "string" ? String(target[0]).split(", ") : target.map((t) => -Number(t)),
          ),
          typeof target[0] === "number"
            ? nudged(target[0]).map((t) => [t, ...target.slice(1)])
            : fc.constant(target),
        )
        .map((t) => ({ ...gate, targetValue: t.length ? t : target }));
    }
    if (typeof target === "object" && target !== null) {
      const r = target as Record<string, unknown>;
      return fc
        .oneof(
          fc.constant({ ...r, minExclusive: !r.minExclusive }),
          fc.constant({ ...r, maxExclusive: !r.maxExclusive }),
          fc.constant({ ...r, min: undefined, max: r.max ?? r.min }),
          fc.constant({ ...r, max: undefined, min: r.min ?? r.max }),
          typeof r.min === "number" ? nudged(r.min).map((min) => ({ ...r, min })) : fc.constant(r),
          typeof r.max === "number" ? nudged(r.max).map((max) => ({ ...r, max })) : fc.constant(r),
        )
        .map((t) => ({ ...gate, targetValue: t }));
    }
    return fc.constant(gate);
  },
  // The tolerance switched between absolute and relative, grown, shrunk, added or dropped.
  (gate) => {
    const t = (gate.tolerance ?? {}) as { absolute?: number; relative?: number };
    const amount = t.absolute ?? t.relative ?? 0.05;
    return fc
      .constantFrom(
        { absolute: amount },
        { relative: amount },
        { absolute: amount / 2 },
        { absolute: amount * 2 },
        { relative: amount / 2 },
        { relative: amount * 2 },
        { absolute: t.relative ?? 0.05, relative: t.absolute ?? 0.05 },
        undefined,
      )
      .map((tolerance) => ({ ...gate, tolerance }));
  },
  // The comparison swapped for a neighbour (> for ≥, ≠ for =, not in for in).
  (gate) => {
    const family = FAMILIES.find((f) => f.includes(String(gate.comparisonStrategy))) ?? [];
    return family.length
      ? fc.constantFrom(...family).map((comparisonStrategy) => ({ ...gate, comparisonStrategy }))
      : fc.constant(gate);
  },
  // An equality with a tolerance rewritten as the range it seems to be, and back.
  (gate) => {
    const { comparisonStrategy: strategy, targetValue: target } = gate;
    const t = (gate.tolerance ?? {}) as { absolute?: number; relative?: number };
    if (strategy === "EqualTo" && typeof target === "number") {
      const allowed = Math.max(t.absolute ?? 0, (t.relative ?? 0) * Math.abs(target));
      return fc.constant({
        ...gate,
        comparisonStrategy: "InRange",
        targetValue: { min: target - allowed, max: target + allowed },
        tolerance: undefined,
      });
    }
    const range = target as { min?: unknown; max?: unknown } | undefined;
    if (strategy === "InRange" && typeof range?.min === "number" && typeof range.max === "number") {
      const [min, max] = [range.min, range.max];
      return fc.constantFrom("absolute", "relative").map((kind) => {
        const middle = (min + max) / 2;
        const half = (max - min) / 2;
        const amount = kind === "absolute" ? half : middle === 0 ? 0 : half / Math.abs(middle);
        return { ...gate, comparisonStrategy: "EqualTo", targetValue: middle, tolerance: { [kind]: amount } };
      });
    }
    return fc.constant(gate);
  },
  (gate) => fc.constantFrom(undefined, "percent").map((unit) => ({ ...gate, unit })),
  (gate) => severity.map((s) => ({ ...gate, severity: s })),
  // An ordinal scale grown, shrunk or reordered.
  (gate) =>
    Array.isArray(gate.scale)
      ? fc
          .oneof(
            fc.shuffledSubarray(WORDS, { minLength: 2 }),
            fc.constant([...(gate.scale as string[])].reverse()),
          )
          .map((scale) => ({ ...gate, scale }))
      : fc.constant(gate),
];

/** Two independent gates, or a gate and the same gate after one or two small edits. */
function pairOf(gate: fc.Arbitrary<Measurement>): fc.Arbitrary<[Measurement, Measurement]> {
  const withSeverity = fc.tuple(gate, severity).map(([g, s]) => ({ ...g, severity: s }));
  const edit = (g: Measurement) => fc.constantFrom(...EDITS).chain((e) => e(g));
  return fc.oneof(
    { weight: 1, arbitrary: fc.tuple(withSeverity, withSeverity) },
    { weight: 4, arbitrary: withSeverity.chain((old) => fc.tuple(fc.constant(old), edit(old))) },
    { weight: 2, arbitrary: withSeverity.chain((old) => fc.tuple(fc.constant(old), edit(old).chain(edit))) },
  );
}

// ---- Judging ----------------------------------------------------------------------------------------------

function specOf(measurement: Measurement): Specification | undefined {
  try {
    return loadConfig(singleGateConfig(measurement), "mlgate.yml");
  } catch (error) {
    if (error instanceof MlgateError) return undefined; // not a valid gate: the generator may make those
    throw error;
  }
}

const OPTIONS: EvaluateOptions = {
  now: NOW,
  tool: "mlgate test",
  run: { repository: "acme/models", sha: "abc123", ref: "refs/heads/main" },
  release: false,
};

interface Sample {
  value: unknown;
  /** A CSV cell rather than a typed JSON value. */
  text: boolean;
}

function verdict(gate: Gate, sample: Sample): { pass: boolean; blocks: boolean } {
  const doc: SourceDocument = {
    source: "s",
    origin: "data",
    format: sample.text ? "csv" : "json",
    data: { v: sample.value },
    textCells: sample.text,
  };
  const measurement = evaluateGate(gate, doc, undefined, OPTIONS);
  return { pass: measurement.status === "pass", blocks: rollUp([measurement]).status === "non-conformant" };
}

// ---- Samples ----------------------------------------------------------------------------------------------

function numbersIn(measurement: Measurement): number[] {
  const found: number[] = [];
  const walk = (value: unknown) => {
    if (typeof value === "number") found.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === "object" && value !== null) Object.values(value).forEach(walk);
  };
  walk(measurement.targetValue);
  const t = measurement.tolerance as { absolute?: number; relative?: number } | undefined;
  const moved = found.flatMap((n) =>
    [t?.absolute ?? 0, (t?.relative ?? 0) * Math.abs(n)].flatMap((d) => [n + d, n - d]),
  );
  return [...found, ...moved];
}

function numericSamples(old: Measurement, gate: Measurement): Sample[] {
  const points = [...numbersIn(old), ...numbersIn(gate), 0, 1, -1, 1e300, -1e300];
  const near = points.flatMap((p) => [-3, -2, -1, 0, 1, 2, 3].map((k) => nextDouble(p, k)));
  const sorted = [...new Set(near)].filter(Number.isFinite).sort((a, b) => a - b);
  const between = sorted.slice(1).map((p, i) => ((sorted[i] ?? p) + p) / 2);
  const values = [...sorted, ...between];
  return values.flatMap((v) => [
    { value: v, text: false },
    { value: String(v), text: true },
    // The same number written as a percentage: only a gate with `unit: percent` reads it.
    { value: `${v * 100}%`, text: true },
    { value: `${v}%`, text: true },
  ]);
}

function wordSamples(old: Measurement, gate: Measurement): Sample[] {
  const words = [
    ...WORDS,
    "unknown",
    ...((old.scale as string[]) ?? []),
    ...((gate.scale as string[]) ?? []),
  ];
  return [...new Set(words)].flatMap((w) => [
    { value: w, text: false },
    { value: ` ${w} `, text: true },
  ]);
}

function booleanSamples(): Sample[] {
  return [true, false, "true", "FALSE", "yes"].flatMap((v) => [
    { value: v, text: false },
    { value: String(v), text: true },
  ]);
}

function stringSamples(old: Measurement, gate: Measurement): Sample[] {
  const strings = (m: Measurement) =>
    [m.targetValue].flat().filter((v): v is string => typeof v === "string");
  const seeds = [...TEXTS, ...strings(old), ...strings(gate), "x", "ba", "a, b, c"];
  const texts = [...new Set(seeds.flatMap((s) => [s, `${s}x`, `x${s}`, s.slice(0, 1), s.slice(1)]))];
  return [
    ...texts.flatMap((s) => [
      { value: s, text: false },
      { value: s, text: true },
    ]),
    // Lists, which Contains and NotContains judge by their members.
    ...texts.map((s) => ({ value: [s], text: false })),
    ...texts.map((s) => ({ value: [s, "x"], text: false })),
    { value: [], text: false },
    { value: 1, text: false },
  ];
}

function samplesFor(old: Measurement, gate: Measurement): Sample[] {
  const types = new Set([old.dataType, gate.dataType]);
  return [
    ...(types.has("numeric") ? numericSamples(old, gate) : []),
    ...(types.has("ordinal") ? wordSamples(old, gate) : []),
    ...(types.has("boolean") ? booleanSamples() : []),
    ...(types.has("string") ? stringSamples(old, gate) : []),
  ];
}

// ---- The property -----------------------------------------------------------------------------------------

function checkPair([oldRaw, newRaw]: [Measurement, Measurement]): void {
  const before = specOf(oldRaw);
  const after = specOf(newRaw);
  fc.pre(before !== undefined && after !== undefined);
  const [old, gate] = [before.gates[0] as Gate, after.gates[0] as Gate];
  const listed = loosenedGates(before, after);
  // A listed change shows what it was and what it is, and the two never read alike.
  for (const change of listed.flatMap((c) => c.changes)) {
    if (change.before !== undefined && change.after !== undefined)
      expect(change.before).not.toBe(change.after);
  }
  if (listed.some((c) => c.gateId === gate.id)) return;
  for (const sample of samplesFor(oldRaw, newRaw)) {
    const [was, now] = [verdict(old, sample), verdict(gate, sample)];
    const looser = (now.pass && !was.pass) || (was.blocks && !now.blocks);
    if (looser) {
      expect.fail(
        `not listed, yet ${JSON.stringify(sample)} ${now.pass ? "passes" : "no longer blocks"}: ${JSON.stringify(oldRaw)} → ${JSON.stringify(newRaw)}`,
      );
    }
  }
}

describe("the loosened-gates notice lists every gate that lets a failing value pass or stop blocking", () => {
  it.each(Object.keys(GATES) as (keyof typeof GATES)[])("%s gates, judged by brute force", (type) => {
    fc.assert(fc.property(pairOf(GATES[type]), checkPair));
  });

  it("gates whose data type changed, judged by brute force", () => {
    const any = fc.oneof(...Object.values(GATES));
    fc.assert(fc.property(pairOf(any), checkPair));
  });

  it("lists nothing for a gate that did not change", () => {
    const any = fc.oneof(...Object.values(GATES));
    fc.assert(
      fc.property(any, severity, (gate, s) => {
        const spec = specOf({ ...gate, severity: s });
        fc.pre(spec !== undefined);
        expect(loosenedGates(spec, spec)).toEqual([]);
      }),
    );
  });
});
