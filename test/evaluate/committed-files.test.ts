// baseline: auto judges the same gates on the metric files a commit holds: those values are what a PR is
// compared with, and they can never make a gate look recently assessed.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkCommittedFiles, fileSources, runCheck } from "../../src/check.js";
import { loadConfig } from "../../src/config/load.js";

const configText = `version: 1
name: Credit model
sources:
  eval: { file: metrics.json }
  scorer: { command: [node, -e, "console.log(1)"] }
kpis:
  accuracy: { source: eval, path: test.accuracy, gte: 0.9, baseline: { maxDrop: 0.01 }, frequency: weekly }
  calibration: { source: scorer, lte: 2 }
`;
const options = { now: new Date("2026-11-23T10:00:00Z"), tool: "mlgate test", release: false };
const run = { repository: "acme/credit", sha: "b".repeat(40), ref: "refs/pull/7/merge" };

describe("the committed-files baseline", () => {
  const spec = loadConfig(configText, ".github/mlgate.yml");

  it("names the file sources, the only ones a commit holds", () => {
    expect(fileSources(spec)).toEqual([{ source: "eval", file: "metrics.json" }]);
  });

  it("reads values from the committed bytes; commands have none; nothing counts as assessed", () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ test: { accuracy: 0.93 } }));
    const report = checkCommittedFiles(spec, new Map([["metrics.json", bytes]]), "a1b2c3d", {
      ...options,
      run,
    });
    const [accuracy, calibration] = report.measurements;
    expect(accuracy).toMatchObject({ value: 0.93, status: "pass", lastStatus: null, assessedAt: null });
    expect(calibration).toMatchObject({ value: null, status: "error" });
    expect(calibration?.message).toContain("has no value at commit a1b2c3d");
  });

  it("is the baseline a PR's drop is measured against, and the weekly gate is still assessed", async () => {
    const base = new TextEncoder().encode(JSON.stringify({ test: { accuracy: 0.95 } }));
    const baseline = checkCommittedFiles(spec, new Map([["metrics.json", base]]), "a1b2c3d", {
      ...options,
      run,
    });
    const dir = new URL("../../fixtures/example/reports/", import.meta.url).pathname;
    const report = await runCheck({
      configText,
      configFile: ".github/mlgate.yml",
      sources: { cwd: dir, env: process.env, fetch: globalThis.fetch },
      ...options,
      run,
      baseline: { report: baseline, ref: "a1b2c3d (merge-base, committed metric files)" },
    });
    const accuracy = report.measurements[0];
    const current = (JSON.parse(readFileSync(`${dir}metrics.json`, "utf8")) as { test: { accuracy: number } })
      .test.accuracy;
    expect(accuracy?.status).not.toBe("skipped");
    expect(accuracy?.baseline).toEqual({
      value: 0.95,
      delta: Number((current - 0.95).toPrecision(12)),
      ref: "a1b2c3d (merge-base, committed metric files)",
    });
    expect(accuracy?.status).toBe(current < 0.94 ? "fail" : "pass");
  });

  it("says so when a file is not committed, and keeps a broken file's error", () => {
    const report = checkCommittedFiles(
      spec,
      new Map([["metrics.json", new TextEncoder().encode("{ broken")]]),
      "a1b2c3d",
      { ...options, run },
    );
    expect(report.measurements[0]?.status).toBe("error");
    expect(report.measurements[0]?.message).toContain("metrics.json@a1b2c3d");
    const missing = checkCommittedFiles(spec, new Map([["metrics.json", null]]), "a1b2c3d", {
      ...options,
      run,
    });
    expect(missing.measurements[0]?.message).toContain("metrics.json is not committed at a1b2c3d");
  });
});
