// The pruned JSON reader builds what JSON.parse builds, less the arrays and keys it is told to skip.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePruned } from "../../../src/sources/formats/json-pruned.js";

const RUNS = Number(process.env.FC_RUNS ?? 300);
const SEED = Number(process.env.FC_SEED ?? 20261123);
const everything = { arrayDepth: Infinity, skipKeys: new Set<string>() };

describe("parsePruned", () => {
  it("builds what JSON.parse builds when nothing is pruned, however the JSON is spaced", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.constantFrom(undefined, 1, 4, "\t", "\r\n "),
        (value, space) => {
          const text =
            space === "\r\n "
              ? JSON.stringify(value, null, 2).replace(/\n/g, space)
              : JSON.stringify(value, null, space);
          expect(parsePruned(text, everything)).toStrictEqual(JSON.parse(text));
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("reads Python's bare NaN, Infinity and -Infinity as numbers, and leaves them alone in strings", () => {
    expect(
      parsePruned('{"a": NaN, "b": [Infinity, -Infinity, -1.5e-3], "c": "NaN", "d\\"": "x\\\\"}', everything),
    ).toStrictEqual({
      a: NaN,
      b: [Infinity, -Infinity, -0.0015],
      c: "NaN",
      'd"': "x\\",
    });
  });

  it("keeps __proto__ as an own key, as JSON.parse does", () => {
    const value = parsePruned('{"__proto__": {"polluted": 1}}', everything) as Record<string, unknown>;
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("reads arrays below the given depth as empty, and leaves skipped keys out at any depth", () => {
    const text = JSON.stringify({
      list: [{ keep: 1, plot: { x: [1, 2] }, inner: [1, [2, "]"]], text: "[{" }],
      plot: [1, 2, 3],
      last: { plot: 0 },
    });
    expect(parsePruned(text, { arrayDepth: 1, skipKeys: new Set(["plot"]) })).toStrictEqual({
      list: [{ keep: 1, inner: [], text: "[{" }],
      last: {},
    });
  });

  it("equals JSON.parse, pruned, on generated documents", () => {
    const prune = (value: unknown, depth: number): unknown => {
      if (Array.isArray(value)) return depth > 1 ? [] : value.map((item) => prune(item, depth + 1));
      if (typeof value !== "object" || value === null) return value;
      return Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => key !== "skip")
          .map(([key, item]) => [key, prune(item, depth + 1)]),
      );
    };
    const key = fc.constantFrom("skip", "a", "b", "c", "d");
    const document = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.string(),
          fc.boolean(),
          fc.constant(null),
        ),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(key, tie("value"), { maxKeys: 5 }),
      ),
    })).value;
    fc.assert(
      fc.property(document, (value) => {
        const text = JSON.stringify(value);
        expect(parsePruned(text, { arrayDepth: 1, skipKeys: new Set(["skip"]) })).toStrictEqual(
          prune(JSON.parse(text), 0),
        );
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("reads nesting far deeper than a stack allows", () => {
    const depth = 200_000;
    const text = '{"a": '.repeat(depth) + "1" + "}".repeat(depth);
    let value = parsePruned(text, everything);
    for (let i = 0; i < depth; i++) value = (value as { a: unknown }).a;
    expect(value).toBe(1);
  });
});
