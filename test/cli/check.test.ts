// `mlgate check` as a user runs it: the bundled example, every output format, baselines, exit codes.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Report } from "../../src/report/model.js";
import { runCli } from "../support/cli.js";

const example = ["check", "--config", "fixtures/example/mlgate.yml", "--cwd", "fixtures/example"];
const tmp = () => mkdtempSync(join(tmpdir(), "mlgate-"));

describe("the bundled example", () => {
  it("is conformant with one warning, and exits 0", async () => {
    const run = await runCli(example);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n")[0]).toContain("conformant with warnings");
  });

  it("writes an mlgate.report/v1 that the schema accepts, with the confidential value redacted", async () => {
    const out = join(tmp(), "report.json");
    const run = await runCli([...example, "--format", "json", "--output", out]);
    expect(run.code).toBe(0);
    const report = Report.parse(JSON.parse(readFileSync(out, "utf8")));
    expect(report.status).toBe("conformant-with-warnings");
    expect(report.summary).toMatchObject({ total: 10, pass: 9, fail: 0, error: 0, warnings: 1 });
    const dpd = report.measurements.find((m) => m.name === "DPD on the holdout set");
    expect(dpd).toMatchObject({
      status: "pass",
      value: null,
      redacted: true,
      id: "fairness/selection-rate-parity-across-sex/demographic-parity-difference/dpd-on-the-holdout-set",
    });
    expect(readFileSync(out, "utf8")).not.toContain("0.0412");
  });

  it("a second run against the first run's report shows deltas, and maxDrop blocks a regression that still meets the threshold", async () => {
    const dir = tmp();
    cpSync("fixtures/example", dir, { recursive: true });
    const gate = ["check", "--config", join(dir, "mlgate.yml"), "--cwd", dir];
    await runCli([...gate, "--format", "json", "--output", join(dir, "base.json")]);
    const metrics = join(dir, "reports/metrics.json");
    writeFileSync(metrics, readFileSync(metrics, "utf8").replace('"accuracy": 0.9312', '"accuracy": 0.9112'));
    const run = await runCli([...gate, "--format", "json", "--baseline", join(dir, "base.json")]);
    expect(run.code).toBe(1);
    const report = Report.parse(JSON.parse(run.stdout));
    expect(report.baseline?.ref).toBe(join(dir, "base.json"));
    const accuracy = report.measurements.find((m) => m.name === "accuracy");
    expect(accuracy).toMatchObject({
      status: "fail",
      value: 0.9112,
      baseline: { value: 0.9312, delta: expect.closeTo(-0.02, 9) },
    });
    expect(accuracy?.message).toContain("dropped by");
    expect(report.measurements.find((m) => m.name === "roc_auc")?.baseline).toMatchObject({
      value: 0.9655,
      delta: 0,
    });
  });
});

describe("exit codes", () => {
  it("1 when a blocking gate fails, and the failure is named", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "m.json"), JSON.stringify({ accuracy: 0.81 }));
    writeFileSync(
      join(dir, "g.yml"),
      "version: 1\nsources:\n  m: { file: m.json }\nkpis:\n  accuracy: { source: m, path: accuracy, gte: 0.9 }\n",
    );
    const run = await runCli(["check", "--config", join(dir, "g.yml"), "--cwd", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("got 0.81, expected ≥ 0.9");
  });

  it("1 when a metric file is missing: nothing unknown passes", async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, "g.yml"),
      "version: 1\nsources:\n  m: { file: reports/m.json }\nkpis:\n  accuracy: { source: m, path: accuracy, gte: 0.9 }\n",
    );
    const run = await runCli(["check", "--config", join(dir, "g.yml"), "--cwd", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("reports/m.json");
  });

  it("2 when the config does not exist, with a hint", async () => {
    const run = await runCli(["check", "--config", "nope.yml"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("nope.yml");
    expect(run.stderr).toContain("mlgate init");
  });

  it("2 for an unknown option, suggesting the nearest", async () => {
    const run = await runCli(["check", "--baselin", "x.json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--baseline");
  });

  it("2 for an unknown format or command", async () => {
    expect((await runCli([...example, "--format", "markdwn"])).stderr).toContain(
      "did you mean --format markdown",
    );
    expect((await runCli(["chek"])).stderr).toContain("mlgate check");
  });

  it("2 when the output cannot be written, naming the path", async () => {
    const run = await runCli([...example, "--output", tmp()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("it is a directory");
    expect(run.stderr).not.toContain("internal error");
  });

  it("2 for a baseline that is not a report", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "b.json"), JSON.stringify({ accuracy: 0.9 }));
    const run = await runCli([...example, "--baseline", join(dir, "b.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("not an mlgate.report/v1");
  });
});

describe("what must never show", () => {
  const hostile = ["check", "--config", "fixtures/hostile/mlgate.yml", "--cwd", "fixtures/hostile"];

  it.each(["text", "markdown", "json", "junit"])(
    "a confidential canary appears nowhere in %s output",
    async (format) => {
      const run = await runCli([...hostile, "--format", format]);
      expect(run.code).toBe(1);
      for (const shown of ["0.918273645", "0.9183", "0.918"]) {
        expect(run.stdout + run.stderr).not.toContain(shown);
      }
    },
  );

  it("hostile names stay inert in Markdown", async () => {
    const { stdout } = await runCli([...hostile, "--format", "markdown"]);
    expect(stdout).not.toMatch(/<img|<script|<!--/);
    expect(stdout).not.toMatch(/(^|[^&#\w])@(octocat|everyone)/);
    expect(stdout).not.toContain("](http://evil.example)");
  });

  it("hostile names cannot forge a workflow command in text output", async () => {
    const { stdout } = await runCli([...hostile, "--format", "text"]);
    expect(stdout.split("\n").some((line) => line.trimStart().startsWith("::"))).toBe(false);
  });
});
