// Each source is read once per run however many gates use it, and not at all when no gate using it is due.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, scriptProject } from "../support/cli.js";

// A scorer that records each run in runs.log, then prints its metrics as JSON.
const scorer = `require("node:fs").appendFileSync("runs.log", "run\\n"); console.log(JSON.stringify({ auc: 0.91, f1: 0.88, loss: 0.2 }))`;

describe("reading sources", () => {
  it("runs a command source used by three gates exactly once", async () => {
    const { dir, check } = scriptProject(scorer, [
      "auc: { source: scorer, path: auc, gte: 0.9 }",
      "f1: { source: scorer, path: f1, gte: 0.85 }",
      "loss: { source: scorer, path: loss, lt: 0.3 }",
    ]);
    const run = await runCli(check, {
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(run.stdout.split("\n")[0]).toContain("3 passed");
    expect(readFileSync(join(dir, "runs.log"), "utf8")).toBe("run\n");
  });

  it("does not run a source whose only gate passed before and is not due", async () => {
    const { dir, check: gate } = scriptProject(scorer, [
      "auc: { source: scorer, path: auc, gte: 0.9, frequency: per-release }",
    ]);
    await runCli([...gate, "--release", "--format", "json", "--output", join(dir, "release.json")]);
    expect(readFileSync(join(dir, "runs.log"), "utf8")).toBe("run\n");
    const run = await runCli([...gate, "--baseline", join(dir, "release.json")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("skipped");
    expect(readFileSync(join(dir, "runs.log"), "utf8")).toBe("run\n");
  });
});
