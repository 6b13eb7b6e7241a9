// Baseline rules and frequencies, judged against the report of an earlier run (DESIGN §3, CABC §5.4.3).
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { NOW, reportFor } from "../support/judge.js";

function config(kpi: Record<string, unknown>): string {
  return stringify({
    version: 1,
    sources: { s: { file: "m.json" } },
    kpis: { acc: { source: "s", path: "acc", ...kpi } },
  });
}

/** Run once with `before` to get a real baseline report, then again with `after` against it. */
function rerun(
  kpi: Record<string, unknown>,
  before: unknown,
  after: unknown,
  options: { now?: Date; release?: boolean } = {},
) {
  const baseline = reportFor(config(kpi), { acc: before }, { now: new Date(NOW.getTime() - 3_600_000) });
  return reportFor(config(kpi), { acc: after }, { baseline, ...options }).measurements[0];
}

describe("baseline rules", () => {
  it.each([
    [{ gte: 0.9, baseline: { maxDrop: 0.01 } }, 0.93, 0.921, "pass"],
    [{ gte: 0.9, baseline: { maxDrop: 0.01 } }, 0.93, 0.92, "pass"],
    [{ gte: 0.9, baseline: { maxDrop: 0.01 } }, 0.93, 0.915, "fail"],
    [{ lt: 200, baseline: { maxRise: 10 } }, 100, 109, "pass"],
    [{ lt: 200, baseline: { maxRise: 10 } }, 100, 111, "fail"],
    [{ gte: 0.5, baseline: { maxDropPct: 5 } }, 0.8, 0.77, "pass"],
    [{ gte: 0.5, baseline: { maxDropPct: 5 } }, 0.8, 0.75, "fail"],
    [{ lt: 500, baseline: { maxRisePct: 10 } }, 100, 110, "pass"],
    [{ lt: 500, baseline: { maxRisePct: 10 } }, 100, 110.5, "fail"],
    [{ gte: 0.5, baseline: { minGain: 0.01 } }, 0.8, 0.81, "pass"],
    [{ gte: 0.5, baseline: { minGain: 0.01 } }, 0.8, 0.805, "fail"],
    [{ lte: 1, baseline: { minGain: 0.05 } }, 0.5, 0.44, "pass"],
    [{ lte: 1, baseline: { minGain: 0.05 } }, 0.5, 0.47, "fail"],
  ])("%j: %j then %j is %s", (kpi, before, after, expected) => {
    expect(rerun(kpi, before, after)?.status).toBe(expected);
  });

  it("the report carries the baseline value and the delta", () => {
    const result = rerun({ gte: 0.9, baseline: { maxDrop: 0.01 } }, 0.93, 0.915);
    expect(result?.baseline).toEqual({
      value: 0.93,
      delta: expect.closeTo(-0.015, 10),
      ref: "baseline.json",
    });
    expect(result?.message).toContain("dropped by");
  });

  it("without a baseline report the threshold still decides and the message says so", () => {
    const result = reportFor(config({ gte: 0.9, baseline: { maxDrop: 0.01 } }), { acc: 0.95 })
      .measurements[0];
    expect(result?.status).toBe("pass");
    expect(result?.message).toContain("no baseline");
  });
});

describe("frequencies", () => {
  it("a daily measurement assessed an hour ago is skipped, with the reason", () => {
    const result = rerun({ gte: 0.9, frequency: "daily" }, 0.95, 0.5);
    expect(result?.status).toBe("skipped");
    expect(result?.message).toContain("assessed daily");
    expect(result?.message).toContain("next due 2026-11-24T11:00:00.000Z");
  });

  it("a daily measurement is due again a day later", () => {
    const result = rerun({ gte: 0.9, frequency: "daily" }, 0.95, 0.5, {
      now: new Date(NOW.getTime() + 86_400_000),
    });
    expect(result?.status).toBe("fail");
  });

  it("an ISO-8601 duration and monthly work like daily", () => {
    expect(rerun({ gte: 0.9, frequency: "PT30M" }, 0.95, 0.5)?.status).toBe("fail");
    expect(rerun({ gte: 0.9, frequency: "monthly" }, 0.95, 0.5)?.status).toBe("skipped");
  });

  it("a measurement never assessed before is due", () => {
    expect(reportFor(config({ gte: 0.9, frequency: "weekly" }), { acc: 0.5 }).measurements[0]?.status).toBe(
      "fail",
    );
  });

  it("per-release measurements that passed are assessed again only on a release run", () => {
    expect(rerun({ gte: 0.9, frequency: "per-release" }, 0.95, 0.5)?.status).toBe("skipped");
    expect(rerun({ gte: 0.9, frequency: "per-release" }, 0.95, 0.5, { release: true })?.status).toBe("fail");
  });

  it("a per-release measurement never assessed is due on any run: nothing unknown passes", () => {
    expect(
      reportFor(config({ gte: 0.9, frequency: "per-release" }), { acc: 0.5 }).measurements[0]?.status,
    ).toBe("fail");
  });

  it.each([
    ["failed", 0.5],
    ["errored", Number.NaN],
  ])("a weekly measurement that %s last time is assessed again at once, not skipped", (_label, before) => {
    expect(rerun({ gte: 0.9, frequency: "weekly" }, before, 0.95)?.status).toBe("pass");
  });

  it("a changed threshold is assessed at once even when the gate is not due", () => {
    const earlier = { now: new Date(NOW.getTime() - 3_600_000) };
    const baseline = reportFor(config({ gte: 0.9, frequency: "weekly" }), { acc: 0.95 }, earlier);
    const result = reportFor(config({ gte: 0.97, frequency: "weekly" }), { acc: 0.95 }, { baseline });
    expect(result.measurements[0]?.status).toBe("fail");
  });

  it("a skipped run carries the value forward, so a later baseline rule still sees the drop", () => {
    const kpi = { gte: 0.5, frequency: "per-release", baseline: { maxDrop: 0.01 } };
    const first = reportFor(
      config(kpi),
      { acc: 0.91 },
      { release: true, now: new Date(NOW.getTime() - 7_200_000) },
    );
    const skipped = reportFor(
      config(kpi),
      { acc: 0.2 },
      { baseline: first, now: new Date(NOW.getTime() - 3_600_000) },
    );
    expect(skipped.measurements[0]).toMatchObject({ status: "skipped", value: 0.91, lastStatus: "pass" });
    const release = reportFor(config(kpi), { acc: 0.55 }, { baseline: skipped, release: true })
      .measurements[0];
    expect(release?.status).toBe("fail");
    expect(release?.message).toContain("dropped by");
  });

  it("monthly from the 31st of January is due on the last day of February", () => {
    const monthly = config({ gte: 0.9, frequency: "monthly" });
    const baseline = reportFor(monthly, { acc: 0.95 }, { now: new Date("2026-01-31T10:00:00Z") });
    const feb27 = reportFor(monthly, { acc: 0.5 }, { baseline, now: new Date("2026-02-27T10:00:00Z") });
    expect(feb27.measurements[0]?.message).toContain("next due 2026-02-28T10:00:00.000Z");
    const feb28 = reportFor(monthly, { acc: 0.5 }, { baseline, now: new Date("2026-02-28T10:00:00Z") });
    expect(feb28.measurements[0]?.status).toBe("fail");
  });

  it("a skipped measurement keeps its last assessment time, so the next run knows when it is due", () => {
    const result = rerun({ gte: 0.9, frequency: "daily" }, 0.95, 0.5);
    expect(result?.assessedAt).toBe("2026-11-23T11:00:00.000Z");
  });
});
