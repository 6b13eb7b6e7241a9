// `mlgate check` on a real (or, where no licence allows copying, a faithful synthetic) file of each tool
// format, with a config that names the format and one that lets mlgate detect it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.js";

interface Case {
  format: string;
  file: string;
  path: string;
  /** The gate, in the KPI shorthand (`gte: 0.7`, `eq: SUCCESS`). */
  target: string;
  status: "pass" | "fail";
  /** Words the message must contain (the tool's own description on a failure). */
  says?: string;
}

const CASES: Case[] = [
  {
    format: "evidently",
    file: "evidently/toxic-tweettagger_data_drift_v0.7.json",
    path: "metrics/DriftedColumnsCount(drift_share=0.5)/share",
    target: "lt: 0.3",
    status: "pass",
  },
  {
    format: "evidently",
    file: "evidently/synthetic_legacy-test-suite_v0.3.json",
    path: "tests/Drift per Column(column_name=age)",
    target: "eq: SUCCESS",
    status: "fail",
    says: "The drift score for the feature **age** is 0.001",
  },
  {
    format: "great-expectations",
    file: "great-expectations/ge-0.13.25_titanic_suite_validation_result.json",
    path: "expectations/expect_column_values_to_be_unique(column=Name)",
    target: "eq: true",
    status: "fail",
    says: 'expect_column_values_to_be_unique(column="Name")',
  },
  {
    format: "great-expectations",
    file: "great-expectations/ge-0.13.25_titanic_suite_validation_result.json",
    path: "statistics/success_percent",
    target: "gte: 90",
    status: "pass",
  },
  {
    format: "huggingface",
    file: "huggingface/whisper-ja-5k_eval_results.json",
    path: "eval_loss",
    target: "lt: 0.5",
    status: "pass",
  },
  {
    format: "sklearn",
    file: "sklearn/remla23-team18_classification_report.json",
    path: "0/recall",
    target: "gte: 0.85",
    status: "pass",
  },
  {
    format: "wandb",
    file: "wandb/stanford-alpaca-fork_wandb-summary.json",
    path: "train/loss",
    target: "lt: 0.3",
    status: "fail",
  },
  {
    format: "junit",
    file: "junit/synthetic_failures_junit.xml",
    path: "testcases/tests.test_quality.TestQuality.test_accuracy_above_threshold",
    target: "eq: passed",
    status: "fail",
    says: "accuracy 0.81 < 0.85",
  },
  {
    format: "junit",
    file: "junit/synthetic_failures_junit.xml",
    path: "failures",
    target: "eq: 0",
    status: "fail",
  },
  {
    format: "lm-eval",
    file: "lm-eval/lm-eval-v0.3_llama-7B_common_sense_reasoning_0-shot.json",
    path: "results/piqa/acc",
    target: "gte: 0.75",
    status: "pass",
  },
  {
    format: "fairness",
    file: "fairness/credit-scoring-shap_fairlearn_fairness_metrics.csv",
    path: "age_group/Demographic Parity Diff",
    target: "lt: 0.1",
    status: "fail",
  },
];

function project(c: Case, named: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), "mlgate-format-"));
  const file = resolve("fixtures/formats", c.file);
  writeFileSync(
    join(dir, "mlgate.yml"),
    [
      "version: 1",
      "sources:",
      `  tool: { file: ${JSON.stringify(file)}${named ? `, format: ${c.format}` : ""} }`,
      "kpis:",
      `  gate: { source: tool, path: ${JSON.stringify(c.path)}, ${c.target} }`,
      "",
    ].join("\n"),
  );
  return dir;
}

describe("mlgate check on each tool format", () => {
  it.each(CASES.map((c) => [`${c.format}: ${c.path} ${c.target}`, c] as const))("%s", async (_title, c) => {
    for (const named of [true, false]) {
      const dir = project(c, named);
      const result = await runCli([
        "check",
        "--config",
        join(dir, "mlgate.yml"),
        "--cwd",
        dir,
        "--format",
        "json",
      ]);
      const report = JSON.parse(result.stdout) as { measurements: { status: string; message: string }[] };
      const [gate] = report.measurements;
      expect(gate?.status, `${named ? "named" : "detected"}: ${gate?.message}`).toBe(c.status);
      if (c.says) expect(gate?.message).toContain(c.says);
      expect(result.code).toBe(c.status === "pass" ? 0 : 1);
    }
  });

  it("names the nearest measurement when a path is misspelt, and points at mlgate inspect", async () => {
    const dir = project(
      {
        format: "sklearn",
        file: "sklearn/remla23-team18_classification_report.json",
        path: "0/recal",
        target: "gte: 0.8",
        status: "fail",
      },
      true,
    );
    const result = await runCli([
      "check",
      "--config",
      join(dir, "mlgate.yml"),
      "--cwd",
      dir,
      "--format",
      "json",
    ]);
    const report = JSON.parse(result.stdout) as { measurements: { status: string; message: string }[] };
    expect(report.measurements[0]?.status).toBe("error");
    expect(report.measurements[0]?.message).toMatch(
      /has no measurement named "0\/recal".*did you mean "0\/recall"\?.*mlgate inspect/,
    );
  });
});
