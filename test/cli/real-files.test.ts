// `mlgate check` over metric files written by real public projects (fixtures/real, with provenance):
// each value in the report is the one in the file, and the verdicts follow from them.
import { describe, expect, it } from "vitest";
import { Report } from "../../src/report/model.js";
import { runCli } from "../support/cli.js";

describe("gates over real metric files", () => {
  it("reads each file's value and judges it; the Infinity from lm-eval is an error", async () => {
    const run = await runCli([
      "check",
      "--config",
      "fixtures/configs/real/mlgate.yml",
      "--cwd",
      "fixtures/real",
      "--format",
      "json",
    ]);
    expect(run.code).toBe(1);
    const report = Report.parse(JSON.parse(run.stdout));
    const byName = Object.fromEntries(
      report.measurements.map((m) => [m.name, { status: m.status, value: m.value }]),
    );
    expect(byName).toEqual({
      macro_f1: { status: "pass", value: 0.7277021394831897 },
      accuracy: { status: "fail", value: 0.7277777777777777 },
      dpd_gender: { status: "fail", value: 0.10981767180925667 },
      eo_ratio_age: { status: "pass", value: 0.6442131047152481 },
      high_statistical_parity: { status: "pass", value: true },
      low_fdr_parity: { status: "fail", value: false },
      psi_age: { status: "pass", value: 0.08099459564503683 },
      no_drift_lactate: { status: "pass", value: false },
      female_disparity: { status: "pass", value: -0.020226563254272197 },
      mae: { status: "error", value: null },
    });
    expect(report.measurements.find((m) => m.name === "mae")?.message).toContain("infinite");
    expect(report.summary).toEqual({ total: 10, pass: 6, fail: 3, error: 1, skipped: 0, warnings: 0 });
  });
});
