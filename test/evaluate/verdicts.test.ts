// The roll-up (DESIGN §4): worst status wins; a blocking failure or error makes the run non-conformant,
// a warning does not; skipped measurements never count as passes or failures.
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { reportFor } from "../support/judge.js";

function kpis(entries: Record<string, Record<string, unknown>>): string {
  return stringify({ version: 1, sources: { s: { file: "m.json" } }, kpis: entries });
}

describe("conformity of a run", () => {
  it("all gates pass: conformant", () => {
    const report = reportFor(kpis({ acc: { source: "s", path: "acc", gte: 0.9 } }), { acc: 0.95 });
    expect(report.status).toBe("conformant");
    expect(report.summary).toEqual({ total: 1, pass: 1, fail: 0, error: 0, skipped: 0, warnings: 0 });
  });

  it("only a warning gate fails: conformant with warnings", () => {
    const config = kpis({
      acc: { source: "s", path: "acc", gte: 0.9 },
      p95: { source: "s", path: "p95", lt: 120, severity: "warning" },
    });
    const report = reportFor(config, { acc: 0.95, p95: 130 });
    expect(report.status).toBe("conformant-with-warnings");
    expect(report.summary.warnings).toBe(1);
  });

  it("a blocking gate fails: non-conformant", () => {
    const report = reportFor(kpis({ acc: { source: "s", path: "acc", gte: 0.9 } }), { acc: 0.85 });
    expect(report.status).toBe("non-conformant");
    expect(report.measurements[0]?.message).toBe("got 0.85, expected ≥ 0.9");
  });

  it("a blocking gate that cannot be read: non-conformant, not a pass", () => {
    const report = reportFor(kpis({ acc: { source: "s", path: "missing", gte: 0.9 } }), { acc: 0.95 });
    expect(report.status).toBe("non-conformant");
    expect(report.summary.error).toBe(1);
  });

  it("requirements and dimensions take the worst status of their measurements", () => {
    const config = kpis({ a: { source: "s", path: "a", gte: 0.9 }, b: { source: "s", path: "b", gte: 0.9 } });
    const report = reportFor(config, { a: 0.95, b: "x" });
    expect(report.dimensions).toEqual([
      expect.objectContaining({ name: "Release KPIs", status: "error", conformity: "non-conformant" }),
    ]);
    expect(report.requirements.map((r) => r.status)).toEqual(["pass", "error"]);
  });
});

describe("confidential measurements", () => {
  const config = kpis({ dpd: { source: "s", path: "dpd", lt: 0.1, confidential: true } });

  it("record pass or fail but never the value", () => {
    const report = reportFor(config, { dpd: 0.0731 });
    expect(report.measurements[0]).toMatchObject({ status: "pass", value: null, redacted: true });
    expect(JSON.stringify(report)).not.toContain("0.0731");
  });

  it("keep the value out of failure and error messages too", () => {
    expect(JSON.stringify(reportFor(config, { dpd: 0.1731 }))).not.toContain("0.1731");
    expect(JSON.stringify(reportFor(config, { dpd: "0.1731-secret" }))).not.toContain("0.1731");
  });
});
