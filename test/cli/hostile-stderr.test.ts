// What reaches stderr and the report from the outside world stays inert, and never carries a
// confidential value: config keys in error messages, a failing command's own output.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, scriptProject } from "../support/cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "mlgate-hostile-"));

describe("untrusted text on stderr and in reports", () => {
  it("a config key cannot forge a workflow command or an ANSI sequence in the error message", async () => {
    const dir = tmp();
    const key = JSON.stringify("x\n::error file=src/a.ts,line=1::Injected\u001b[31mred");
    writeFileSync(
      join(dir, "g.yml"),
      `version: 1\nsources: { m: { file: m.json } }\nkpis:\n  ${key}: { source: m, path: a, gte: 0.9, treshold: 1 }\n`,
    );
    const run = await runCli(["check", "--config", join(dir, "g.yml")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("treshold");
    expect(run.stderr.split("\n").some((line) => line.trimStart().startsWith("::"))).toBe(false);
    expect(run.stderr).not.toContain("\u001b");
  });

  // A scorer that fails and prints a confidential figure and a forged workflow command on stderr.
  const leaky = `process.stderr.write("salary_gap=0.777123\\n::error::forged @octocat\\n"); process.exit(3)`;

  it.each(["text", "markdown", "json", "junit"])(
    "a failing command's stderr never reaches %s output when a confidential gate reads it",
    async (format) => {
      const project = scriptProject(leaky, [
        "gap: { source: scorer, path: gap, lt: 0.1, confidential: true }",
        "auc: { source: scorer, path: auc, gte: 0.9 }",
      ]);
      const run = await runCli([...project.check, "--format", format]);
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).not.toContain("0.777123");
      expect(run.stdout).toContain("exit");
    },
  );

  it("without a confidential gate, the command's stderr helps the user but stays inert", async () => {
    const project = scriptProject(leaky, ["auc: { source: scorer, path: auc, gte: 0.9 }"]);
    const run = await runCli(project.check);
    expect(run.stdout).toContain("salary_gap");
    expect(run.stdout.split("\n").some((line) => line.trimStart().startsWith("::"))).toBe(false);
  });
});
