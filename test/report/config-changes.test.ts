// The loosened-gates notice is size-aware: a hostile name or thousands of loosened gates never push the
// PR comment or the check run past GitHub's limits (which would make GitHub refuse both), and what is
// left says that the gates were loosened and counts what it leaves out.
import { describe, expect, it } from "vitest";
import { CHECK_FIELD_LIMIT } from "../../action/check-run.js";
import { COMMENT_BODY_LIMIT, markerOf } from "../../action/comment.js";
import { loosenedNotice } from "../../action/reads.js";
import { loosenedGates, type ConfigChange } from "../../src/config/diff.js";
import { loadConfig } from "../../src/config/load.js";
import type { Specification } from "../../src/config/model.js";
import { evaluate } from "../../src/evaluate/evaluate.js";
import { clipPair, configChangeLines, renderConfigChanges } from "../../src/report/config-changes.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { NOW } from "../support/judge.js";

function config(kpis: string, file = "mlgate.yml"): Specification {
  return loadConfig(`version: 1\nsources:\n  eval: { file: metrics.json }\nkpis:\n${kpis}`, file);
}

/** The comment and the check run's summary, rendered as the Action renders them for a pull request. */
function published(base: Specification, head: Specification): { comment: string; checkRun: string } {
  const preamble = loosenedNotice(base, head, "1a2b3c4");
  // No metric file exists: every gate is an error, so the report has as much to say as it can.
  const report = evaluate(head, new Map(), {
    now: NOW,
    tool: "mlgate test",
    run: { repository: "acme/models", sha: "abc123", ref: "refs/pull/7/merge" },
    release: false,
  });
  const runUrl = "https://github.com/acme/models/actions/runs/9001";
  return {
    comment: renderMarkdown(report, {
      maxLength: COMMENT_BODY_LIMIT - markerOf("default").length - 1,
      preamble,
      fullReportUrl: runUrl,
    }),
    checkRun: renderMarkdown(report, { maxLength: CHECK_FIELD_LIMIT, preamble, fullReportUrl: runUrl }),
  };
}

describe("the loosened-gates notice in a comment and a check run", () => {
  it("fits GitHub's limits with a 100,000-character gate name, and says the gate was loosened", () => {
    const name = `accuracy ${"@x".repeat(50_000)}`;
    // An explicit key: YAML allows implicit keys of at most 1024 characters.
    const kpi = (bound: number) =>
      `  ? ${JSON.stringify(name)}\n  : { source: eval, path: acc, gte: ${bound} }\n`;
    const base = config(kpi(0.9), "mlgate.yml@base");
    const head = config(kpi(0.5));
    const { comment, checkRun } = published(base, head);
    expect(comment.length).toBeLessThanOrEqual(65_536);
    expect(checkRun.length).toBeLessThanOrEqual(65_535);
    for (const body of [comment, checkRun]) {
      expect(body.split("\n")[0]).toBe("> [!WARNING]");
      expect(body).toContain("**This change loosens the release gates: 1 gate loosened**");
      expect(body).toContain("target ≥ 0.9 → ≥ 0.5");
      // The name is clipped with an ellipsis, its mentions still neutralised.
      expect(body).toMatch(/\*\*accuracy (&#64;&#8203;x)+(&#64;&#8203;)?…\*\*/);
      expect(body).toContain("mlgate: non-conformant");
    }
  });

  it("fits GitHub's limits with a 100,000-character dimension name and target", () => {
    const long = "d".repeat(100_000);
    const measurement = (target: string) =>
      `{ version: 1, sources: { eval: { file: m.json } }, conformity: { name: S, dimensions: [{ name: ${long}, requirements: [{ name: R, metrics: [{ name: M, measurements: [{ name: m, assessmentInterface: { source: eval, path: v }, comparisonStrategy: EqualTo, targetValue: ${JSON.stringify(target)} }] }] }] }] } }`;
    const base = loadConfig(measurement(`${long}a`), "mlgate.yml@base");
    const head = loadConfig(measurement(`${long}b`), "mlgate.yml");
    const { comment, checkRun } = published(base, head);
    for (const body of [comment, checkRun]) {
      expect(body.length).toBeLessThanOrEqual(65_535);
      expect(body).toContain("This change loosens the release gates: 1 gate loosened");
    }
  });

  it("fits GitHub's limits with thousands of loosened and removed gates, and counts what it leaves out", () => {
    // One gate loaded from a config, copied into thousands (loading thousands takes seconds).
    const copies = (bound: number, count: number): Specification => {
      const spec = config(`  gate: { source: eval, path: g, gte: ${bound} }\n`);
      const [gate] = spec.gates;
      if (!gate) throw new Error("no gate");
      // Mentions, escaped to 13 characters each: 50 listed names alone would pass the limit.
      const name = (i: number) => `gate_${i}_${"@".repeat(200)}`;
      const gates = Array.from({ length: count }, (_, i) => ({
        ...gate,
        id: `release-kpis/${name(i)}`,
        name: name(i),
      }));
      return { ...spec, gates };
    };
    const base = copies(0.9, 3000);
    const head = copies(0.5, 2000);
    const { comment, checkRun } = published(base, head);
    for (const [body, limit] of [
      [comment, 65_536],
      [checkRun, 65_535],
    ] as const) {
      expect(body.length).toBeLessThanOrEqual(limit);
      expect(body).toContain(
        "**This change loosens the release gates: 2000 gates loosened, 1000 gates removed**",
      );
      const listed = body.split("\n").filter((line) => line.startsWith("> - **gate\\_")).length;
      expect(listed).toBeGreaterThan(0);
      expect(body).toContain(`> - … and ${3000 - listed} more`);
    }
  });

  it("logs at most 50 gates, each clipped, and counts the rest", () => {
    const changes: ConfigChange[] = Array.from({ length: 70 }, (_, i) => ({
      kind: "loosened",
      gateId: `g${i}`,
      name: `g${i}${"x".repeat(100_000)}`,
      dimension: "Release KPIs",
      changes: [{ aspect: "target", before: "≥ 0.9", after: "≥ 0.5" }],
      declaredAt: "mlgate.yml:1:1",
    }));
    const lines = configChangeLines(changes);
    expect(lines).toHaveLength(51);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(400);
    expect(lines.at(-1)).toBe("… and 20 more loosened or removed gates");
  });
});

describe("renderConfigChanges", () => {
  const changes = loosenedGates(
    config("  a: { source: eval, path: a, gte: 0.9 }\n  b: { source: eval, path: b, gte: 0.9 }\n", "base"),
    config("  a: { source: eval, path: a, gte: 0.5 }\n"),
  );

  it.each([0, 10, 60, 150, 200, 300, 1000])("stays within a budget of %d characters", (budget) => {
    const text = renderConfigChanges(changes, "the base commit 1a2b3c4", budget);
    expect(text.length).toBeLessThanOrEqual(budget);
    if (budget >= 60) expect(text).toContain("This change loosens the release gates");
  });

  it("lists every gate when there is room", () => {
    const text = renderConfigChanges(changes, "the base commit 1a2b3c4", 10_000);
    expect(text).toContain("**a** (Release KPIs): target ≥ 0.9 → ≥ 0.5");
    expect(text).toContain("**b** (Release KPIs): removed \\(was ≥ 0.9, blocking\\)");
    expect(text).not.toContain("more");
  });

  it("clips two long values around the place where they differ, so they still read differently", () => {
    const before = `${"0".repeat(50_000)}1${"0".repeat(50_000)}`;
    const after = `${"0".repeat(50_000)}2${"0".repeat(50_000)}`;
    const [a, b] = clipPair(before, after, 100);
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThan(140);
    expect(a).toMatch(/^…0+1/);
    expect(b).toMatch(/^…0+2/);
    const [prefix, longer] = clipPair("x".repeat(5000), `${"x".repeat(5000)}y`, 100);
    expect(prefix).not.toBe(longer);
  });
});
