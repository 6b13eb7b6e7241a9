// `mlgate check` on a real (or, where no licence allows copying, a faithful synthetic) file of each tool
// format, with a config that names the format and one that lets mlgate detect it.
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
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
  {
    format: "dvc",
    file: "dvc/synthetic_dvclive-experiment/dvc.yaml",
    path: "dvclive/metrics.json:eval/acc",
    target: "gte: 0.9",
    status: "fail",
  },
  {
    format: "dvc",
    file: "dvc/synthetic_dvclive-experiment/dvclive",
    path: "train/loss",
    target: "lt: 0.3",
    status: "pass",
  },
  {
    format: "mlflow",
    file: "mlflow/packt-dl-at-scale-ch08/mlruns/1/d01fc81e11e842f5b9556ae04136c0d3",
    path: "metrics/val_f1",
    target: "gte: 0.6",
    status: "pass",
  },
  {
    format: "mlflow",
    file: "mlflow/synthetic_mlflow3/mlruns",
    path: "params/iterations",
    target: "gte: 500",
    status: "fail",
  },
];

function project(c: Case, named: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), "mlgate-format-"));
  // A config's `file:` is read only inside the working directory: the fixture is copied into it. A
  // dvc.yaml comes with the directory it declares files in, as the project's root (names are relative to it).
  const dvc = c.format === "dvc";
  const file = dvc ? basename(c.file) : c.file;
  cpSync(resolve("fixtures/formats", dvc ? dirname(c.file) : c.file), dvc ? dir : join(dir, file), {
    recursive: true,
  });
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

  it("dvc: a real dvc.yaml (remla23-team18) whose evaluate stage declares the real classification report it wrote", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlgate-format-"));
    copyFileSync("fixtures/formats/dvc/remla23-team18_dvc.yaml", join(dir, "dvc.yaml"));
    const config = [
      "version: 1",
      "sources:",
      "  pipeline: { file: dvc.yaml }",
      "kpis:",
      '  negative_recall: { source: pipeline, path: "classification_report.json:0/recall", gte: 0.85 }',
      '  macro_f1: { source: pipeline, path: "classification_report.json:macro avg/f1-score", gte: 0.8 }',
      "",
    ].join("\n");
    writeFileSync(join(dir, "mlgate.yml"), config);
    const check = () =>
      runCli(["check", "--config", join(dir, "mlgate.yml"), "--cwd", dir, "--format", "json"]);
    // Before the stage ran: the declared file is missing, and that is an error, never a pass.
    const before = JSON.parse((await check()).stdout) as {
      measurements: { status: string; message: string }[];
    };
    expect(before.measurements.map((m) => m.status)).toEqual(["error", "error"]);
    expect(before.measurements[0]?.message).toContain(
      "classification_report.json does not exist; dvc.yaml (line 22) declares it as a metrics file",
    );
    copyFileSync(
      "fixtures/formats/sklearn/remla23-team18_classification_report.json",
      join(dir, "classification_report.json"),
    );
    const report = JSON.parse(
      readFileSync("fixtures/formats/sklearn/remla23-team18_classification_report.json", "utf8"),
    ) as Record<string, Record<string, number>>;
    const result = await check();
    const after = JSON.parse(result.stdout) as { measurements: { status: string; value: unknown }[] };
    expect(after.measurements.map((m) => [m.status, m.value])).toEqual([
      [(report["0"]?.["recall"] ?? 0) >= 0.85 ? "pass" : "fail", report["0"]?.["recall"]],
      [(report["macro avg"]?.["f1-score"] ?? 0) >= 0.8 ? "pass" : "fail", report["macro avg"]?.["f1-score"]],
    ]);
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
