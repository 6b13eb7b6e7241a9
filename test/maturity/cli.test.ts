// `mlgate maturity` as a user runs it on a repository.
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

describe("mlgate maturity", () => {
  it("prints the overall level, each area and the claims above the evidence", async () => {
    const result = await runCli(["maturity", "--cwd", "fixtures/maturity/mature"]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe(
      "IML4E MLOps Maturity Assessment Framework V2: overall level 2 (score 2.4)",
    );
    expect(result.stdout).toContain("People: level 2 (score 2.2)");
    expect(result.stdout).toMatch(
      /3 {2}Experiment tracking \(claimed 3, evidenced 2\) {2}! claim above evidence/,
    );
  });

  it("writes JSON with the report schema, and Markdown with an area table", async () => {
    const json = await runCli(["maturity", "--cwd", "fixtures/maturity/mature", "--format", "json"]);
    const parsed = JSON.parse(json.stdout) as {
      schema: string;
      overall: { level: number };
      topics: unknown[];
    };
    expect(parsed).toMatchObject({ schema: "mlgate.maturity/v1", overall: { level: 2 } });
    expect(parsed.topics).toHaveLength(32);
    const markdown = await runCli(["maturity", "--cwd", "fixtures/maturity/mature", "--format", "markdown"]);
    expect(markdown.stdout).toContain("| Data Gathering &amp; Preparation ");
  });

  it("exits 2 on a broken self-assessment, naming the line, and still shows the evidence", async () => {
    const result = await runCli(["maturity", "--cwd", "fixtures/maturity/broken"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(".github/mlops-maturity.yml:5:3");
    expect(result.stdout).toContain("Experiment tracking (claimed -, evidenced 2)");
  });

  it("lists the topic ids a self-assessment may use", async () => {
    const result = await runCli(["maturity", "--topics"]);
    expect(result.stdout).toMatch(/^ {4}data-version-control +Data version control$/m);
    expect(result.stdout).toContain("ml-cmm: ");
  });
});
