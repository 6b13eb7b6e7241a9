// `mlgate init` writes a starter config that a new user can run at once: it passes on today's files.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

function projectWithRealReports(): string {
  const dir = mkdtempSync(join(tmpdir(), "mlgate-init-"));
  mkdirSync(join(dir, "reports"));
  cpSync(
    "fixtures/real/remla23-team18_classification_report.json",
    join(dir, "reports/classification_report.json"),
  );
  cpSync(
    "fixtures/real/credit-scoring-shap_fairlearn_fairness_metrics.csv",
    join(dir, "reports/fairness_metrics.csv"),
  );
  cpSync("fixtures/example/reports/metrics.json", join(dir, "reports/metrics.json"));
  return dir;
}

describe("mlgate init", () => {
  it("finds the metric files and writes .github/mlgate.yml whose gates pass today", async () => {
    const dir = projectWithRealReports();
    const init = await runCli(["init", "--cwd", dir]);
    expect(init.code).toBe(0);
    const config = readFileSync(join(dir, ".github/mlgate.yml"), "utf8");
    expect(config).toContain('file: "reports/classification_report.json"');
    expect(config).toContain('path: "/macro avg/f1-score", gte: 0.72');
    expect(config).toContain('path: "/gender/Demographic Parity Diff", lte:');
    const check = await runCli(["check", "--cwd", dir]);
    expect(check.stderr).toBe("");
    expect(check.code).toBe(0);
    expect(check.stdout.split("\n")[0]).toContain("mlgate: conformant");
  });

  it("starts negative lower-is-better metrics above today's value, so the new config passes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlgate-init-"));
    writeFileSync(
      join(dir, "metrics.json"),
      JSON.stringify({ mean_difference: -0.05, log_loss: -0.3, accuracy: 0.9 }),
    );
    expect((await runCli(["init", "--cwd", dir])).code).toBe(0);
    const config = readFileSync(join(dir, ".github/mlgate.yml"), "utf8");
    expect(config).toContain("lte: -0.045");
    expect((await runCli(["check", "--cwd", dir])).code).toBe(0);
  });

  it("refuses a --cwd that does not exist instead of writing a template", async () => {
    const run = await runCli(["init", "--cwd", "/nonexistent/mlgate"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is not a directory");
  });

  it("never overwrites an existing config without --force", async () => {
    const dir = projectWithRealReports();
    await runCli(["init", "--cwd", dir]);
    const again = await runCli(["init", "--cwd", dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("--force");
    expect((await runCli(["init", "--cwd", dir, "--force"])).code).toBe(0);
  });

  it("prints the config with --output - and writes nothing", async () => {
    const dir = projectWithRealReports();
    const run = await runCli(["init", "--cwd", dir, "--output", "-"]);
    expect(run.stdout).toMatch(/^# mlgate gates config/);
    expect(existsSync(join(dir, ".github"))).toBe(false);
  });
});
