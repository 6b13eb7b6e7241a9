// A PR that lowers a bar must say so: which config changes count as loosened, and which do not.
import { describe, expect, it } from "vitest";
import { loosenedGates } from "../../src/config/diff.js";
import { loadConfig } from "../../src/config/load.js";
import { renderConfigChanges } from "../../src/report/config-changes.js";

const header = `version: 1
name: Credit model
sources:
  eval: { file: metrics.json }
`;

function spec(kpis: string, file = "mlgate.yml") {
  return loadConfig(`${header}kpis:\n${kpis}`, file);
}

function changes(before: string, after: string) {
  return loosenedGates(spec(before, "mlgate.yml@base"), spec(after));
}

describe("loosened gates", () => {
  it("finds nothing when the config is unchanged or only stricter", () => {
    const base = "  accuracy: { source: eval, path: acc, gte: 0.9, baseline: { maxDrop: 0.02 } }\n";
    expect(changes(base, base)).toEqual([]);
    const stricter = "  accuracy: { source: eval, path: acc, gt: 0.92, baseline: { maxDrop: 0.01 } }\n";
    expect(changes(base, stricter)).toEqual([]);
  });

  it("lists a lowered lower bound and a raised upper bound with before and after", () => {
    const found = changes(
      "  accuracy: { source: eval, path: acc, gte: 0.9 }\n  p95_ms: { source: eval, path: p95, lt: 120 }\n",
      "  accuracy: { source: eval, path: acc, gte: 0.85 }\n  p95_ms: { source: eval, path: p95, lt: 150 }\n",
    );
    expect(found.map((c) => [c.name, c.kind, c.changes])).toEqual([
      ["accuracy", "loosened", ["target ≥ 0.9 → ≥ 0.85"]],
      ["p95_ms", "loosened", ["target < 120 → < 150"]],
    ]);
    expect(found[0]?.declaredAt).toBe("mlgate.yml:6:3 (kpis.accuracy)");
  });

  it("counts > becoming ≥ at the same bound as looser, and the reverse as stricter", () => {
    expect(
      changes("  a: { source: eval, path: a, gt: 0.9 }\n", "  a: { source: eval, path: a, gte: 0.9 }\n"),
    ).toHaveLength(1);
    expect(
      changes("  a: { source: eval, path: a, gte: 0.9 }\n", "  a: { source: eval, path: a, gt: 0.9 }\n"),
    ).toEqual([]);
  });

  it("lists removed gates with the threshold they had, located on the base commit", () => {
    const found = changes(
      "  accuracy: { source: eval, path: acc, gte: 0.9 }\n  auc: { source: eval, path: auc, gte: 0.95 }\n",
      "  accuracy: { source: eval, path: acc, gte: 0.9 }\n",
    );
    expect(found).toEqual([
      expect.objectContaining({
        kind: "removed",
        name: "auc",
        changes: ["removed (was ≥ 0.95, blocking)"],
        declaredAt: "mlgate.yml@base:7:3 (kpis.auc)",
      }),
    ]);
  });

  it("lists a blocking gate turned into a warning, and a warning made blocking is not listed", () => {
    const blocking = "  a: { source: eval, path: a, gte: 0.9 }\n";
    const warning = "  a: { source: eval, path: a, gte: 0.9, severity: warning }\n";
    expect(changes(blocking, warning)[0]?.changes).toEqual(["severity blocking → warning"]);
    expect(changes(warning, blocking)).toEqual([]);
  });

  it("lists a widened range and a larger allowed set, not a narrower one", () => {
    const narrow = "  r: { source: eval, path: r, range: { min: 0.1, max: 0.3 } }\n";
    const wide = "  r: { source: eval, path: r, range: { min: 0.05, max: 0.3 } }\n";
    expect(changes(narrow, wide)).toHaveLength(1);
    expect(changes(wide, narrow)).toEqual([]);
    const two = "  s: { source: eval, path: s, in: [candidate, production] }\n";
    const three = "  s: { source: eval, path: s, in: [candidate, production, experimental] }\n";
    expect(changes(two, three)[0]?.changes[0]).toContain("experimental");
    expect(changes(three, two)).toEqual([]);
  });

  it("lists baseline rules that were relaxed or dropped, and a less frequent assessment", () => {
    const found = changes(
      "  a: { source: eval, path: a, gte: 0.9, baseline: { maxDrop: 0.01, minGain: 0 } }\n",
      "  a: { source: eval, path: a, gte: 0.9, baseline: { maxDrop: 0.05 }, frequency: weekly }\n",
    );
    expect(found[0]?.changes).toEqual([
      "baseline rule maxDrop 0.01 → 0.05",
      "baseline rule minGain 0 removed",
      "assessed weekly (was per-change)",
    ]);
  });

  it("lists a gate that now reads another value: the bar may have moved with it", () => {
    const found = changes(
      "  a: { source: eval, path: test.acc, gte: 0.9 }\n",
      "  a: { source: eval, path: train.acc, gte: 0.9 }\n",
    );
    expect(found[0]?.changes).toEqual(["now reads eval train.acc (was eval test.acc)"]);
  });

  it("lists a changed target it cannot order (a new expected string)", () => {
    const found = changes(
      "  v: { source: eval, path: v, eq: v2 }\n",
      "  v: { source: eval, path: v, eq: v1 }\n",
    );
    expect(found[0]?.changes).toEqual(["target = v2 → = v1"]);
  });
});

describe("the loosened-gates notice", () => {
  it("is a GitHub warning alert that names each gate, escaped", () => {
    const found = changes(
      '  "@team <b>acc</b>": { source: eval, path: a, gte: 0.9 }\n  b: { source: eval, path: b, gte: 1 }\n',
      '  "@team <b>acc</b>": { source: eval, path: a, gte: 0.5 }\n',
    );
    const text = renderConfigChanges(found, "the base commit abc1234");
    expect(text.split("\n")[0]).toBe("> [!WARNING]");
    expect(text).toContain("**This change loosens the release gates: 1 gate loosened, 1 gate removed**");
    expect(text).toContain("the base commit abc1234");
    expect(text).not.toContain("@team");
    expect(text).not.toContain("<b>");
    expect(text).toContain("&#64;&#8203;team");
  });

  it("is empty when nothing was loosened, and counts what it does not list", () => {
    expect(renderConfigChanges([], "x")).toBe("");
    const many = Array.from({ length: 60 }, (_, i) => `  g${i}: { source: eval, path: g, gte: 0.9 }\n`).join(
      "",
    );
    const text = renderConfigChanges(changes(many, "  g0: { source: eval, path: g, gte: 0.9 }\n"), "x");
    expect(text).toContain("59 gates removed");
    expect(text).toContain("> - … and 9 more");
  });
});
