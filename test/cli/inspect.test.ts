// `mlgate inspect`: every measurement of a metric file, each as the path a gate selects it with.
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

describe("mlgate inspect", () => {
  it("lists a JSON file's values as JSON Pointers a gate can use", async () => {
    const result = await runCli(["inspect", "fixtures/example/reports/metrics.json"]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe(
      "fixtures/example/reports/metrics.json: JSON (detected), 10 measurements. Copy a line's path into a gate.",
    );
    expect(result.stdout).toMatch(/^ {2}path: \/test\/accuracy +0\.9312$/m);
  });

  it("lists a tool format's measurement names, quoted so they paste into YAML as they are", async () => {
    const result = await runCli(["inspect", "fixtures/example/reports/fairness.csv"]);
    expect(result.stdout.split("\n")[0]).toMatch(
      /^fixtures\/example\/reports\/fairness\.csv: Fairness .*\(detected\), 8 measurements/,
    );
    expect(result.stdout).toMatch(/^ {2}path: "sex\/Demographic Parity Diff" +0\.0412$/m);
  });

  it("reads a file as the format given, listing plain paths", async () => {
    const result = await runCli(["inspect", "fixtures/example/reports/fairness.csv", "--format", "csv"]);
    expect(result.stdout).toMatch(/^ {2}path: "\/sex\/Demographic Parity Diff" +"0\.0412"$/m);
  });

  it("reads an MLflow experiment directory as one run, with metric histories, and another run with --run", async () => {
    const experiment = "fixtures/formats/mlflow/packt-dl-at-scale-ch08/mlruns/1";
    const latest = await runCli(["inspect", experiment]);
    expect(latest.stdout.split("\n")[0]).toBe(
      `${experiment}: MLflow (detected), 20 measurements. Copy a line's path into a gate.`,
    );
    expect(latest.stdout).toMatch(/^ {2}path: run\/id +"dc5f670efa1a4eac95683633ffcfdd79"$/m);
    const chosen = await runCli(["inspect", experiment, "--run", "d01fc81e11e842f5b9556ae04136c0d3"]);
    expect(chosen.stdout).toMatch(
      /^ {2}path: metrics\/train_f1_step +1 {2}\(history: 3 values, steps 0–2: 0\.75, 0\.5, 1\)$/m,
    );
    // Long text is cut in the listing, and whole in JSON.
    expect(chosen.stdout).toMatch(
      /^ {2}path: tags\/mlflow\.log-model\.history +"\[\{.*"… \(\d+ characters\)$/m,
    );
    const json = await runCli([
      "inspect",
      experiment,
      "--run",
      "d01fc81e11e842f5b9556ae04136c0d3",
      "--output",
      "json",
    ]);
    const body = JSON.parse(json.stdout) as {
      format: string;
      measurements: { path: string; history?: unknown[] }[];
    };
    expect(body.format).toBe("mlflow");
    expect(body.measurements.find((row) => row.path === "metrics/val_f1")?.history).toHaveLength(3);
  });

  it("says which rows share a CSV key instead of listing the reader's internals", async () => {
    const result = await runCli(["inspect", "fixtures/real/aequitas_sample1_cr-line-endings.csv"]);
    expect(result.stdout).toMatch(/^ {2}path: \/1 +"20 rows \(lines 2, 3, .*share this key: add .* key:"$/m);
    expect(result.stdout).not.toContain("keyColumns");
  });

  it("writes JSON with non-finite numbers as text", async () => {
    const result = await runCli([
      "inspect",
      "fixtures/real/lm-eval-v0.4_gpt-4o-mini_NaN-Infinity_results.json",
      "--output",
      "json",
      "--format",
      "json",
    ]);
    const parsed = JSON.parse(result.stdout) as {
      format: string;
      measurements: { path: string; value: unknown }[];
    };
    expect(parsed.format).toBe("json");
    expect(parsed.measurements.some((row) => row.value === "Infinity")).toBe(true);
  });

  it("refuses a missing file with the file named, and a call without a file", async () => {
    const missing = await runCli(["inspect", "no/such.json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("metric file not found: no/such.json");
    const none = await runCli(["inspect"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("mlgate inspect needs a file");
  });
});
