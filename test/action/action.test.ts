// The bundled Action (action/dist/index.js) run as a runner runs it: a subprocess with INPUT_*,
// GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_WORKSPACE, judged by its exit code, outputs and summary.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseInputs } from "../../action/inputs.js";
import { Report } from "../../src/report/model.js";

interface StepRun {
  code: number | null;
  log: string;
  outputs: Record<string, string>;
  summary: string;
  dir: string;
}

function runStep(inputs: Record<string, string>, workspace = resolve(".")): StepRun {
  const dir = mkdtempSync(join(tmpdir(), "mlgate-step-"));
  writeFileSync(join(dir, "output"), "");
  writeFileSync(join(dir, "summary"), "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(dir, "output"),
    GITHUB_STEP_SUMMARY: join(dir, "summary"),
    GITHUB_REPOSITORY: "acme/credit-model",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawnSync(process.execPath, [resolve("action/dist/index.js")], { env, encoding: "utf8" });
  return {
    code: child.status,
    log: child.stdout + child.stderr,
    outputs: parseOutputs(readFileSync(join(dir, "output"), "utf8")),
    summary: readFileSync(join(dir, "summary"), "utf8"),
    dir,
  };
}

/** GITHUB_OUTPUT's `name<<delimiter` … `delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const block = /^(.+?)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(block)) outputs[match[1] ?? ""] = match[3] ?? "";
  return outputs;
}

const example = { config: "mlgate.yml", "working-directory": "fixtures/example" };

describe("the mlgate Action", () => {
  it("passes on the bundled example and publishes summary, outputs and report", () => {
    const reportPath = join(mkdtempSync(join(tmpdir(), "mlgate-report-")), "report.json");
    const step = runStep({ ...example, "report-path": reportPath });
    expect(step.code).toBe(0);
    expect(step.outputs).toMatchObject({
      status: "conformant-with-warnings",
      passed: "9",
      failed: "0",
      errors: "0",
      warnings: "1",
    });
    expect(step.summary.split("\n")[0]).toBe(
      "### ⚠️ mlgate: conformant with warnings — 10 gates: 9 passed, 1 warning",
    );
    expect(step.outputs["report-path"]).toBe(reportPath);
    const report = Report.parse(JSON.parse(readFileSync(reportPath, "utf8")));
    expect(report.run).toMatchObject({
      repository: "acme/credit-model",
      sha: "0123456789abcdef0123456789abcdef01234567",
    });
  });

  it("fails the step on warnings with fail-on: warning, and never with fail-on: never", () => {
    expect(runStep({ ...example, "fail-on": "warning", "report-path": join(tmpdir(), "w.json") }).code).toBe(
      1,
    );
    const hostile = {
      config: "mlgate.yml",
      "working-directory": "fixtures/hostile",
      "report-path": join(tmpdir(), "h.json"),
    };
    const never = runStep({ ...hostile, "fail-on": "never" });
    expect(never.code).toBe(0);
    expect(never.outputs.status).toBe("non-conformant");
  });

  it("fails the step when a blocking gate fails, and file text cannot forge a workflow command", () => {
    const step = runStep({
      config: "mlgate.yml",
      "working-directory": "fixtures/hostile",
      "report-path": join(tmpdir(), "h.json"),
    });
    expect(step.code).toBe(1);
    const lines = step.log.split("\n");
    // The runner hides `::add-mask::` lines and masks their value from then on.
    const masks = lines.filter((line) => line.startsWith("::add-mask::")).map((line) => line.slice(12));
    expect(masks).toContain("0.918273645");
    const shown = lines.filter((line) => !line.startsWith("::add-mask::"));
    const commands = shown.filter((line) => line.trimStart().startsWith("::"));
    // Only our own commands: annotations on the config's lines, one notice, and the failure.
    for (const command of commands) {
      expect(command).toMatch(
        /^::(error|warning|notice)( (title|file|line|col)=[^,:]*(,(title|file|line|col)=[^,:]*)*)?::/,
      );
    }
    expect(commands.at(-1)).toMatch(/^::error::mlgate: non-conformant/);
    expect(
      commands.filter((c) =>
        /^::error title=.*,file=fixtures\/hostile\/mlgate\.yml,line=\d+,col=\d+::/.test(c),
      ),
    ).toHaveLength(3);
    expect(shown.join("\n") + step.summary).not.toContain("0.918273645");
  });

  it("reports a config error with its position and fails the step", () => {
    const step = runStep({
      config: "fixtures/configs/invalid/04-unknown-source.yml",
      "report-path": join(tmpdir(), "e.json"),
    });
    expect(step.code).toBe(1);
    expect(step.log).toContain("::error::mlgate: fixtures/configs/invalid/04-unknown-source.yml:6:23");
  });

  it("refuses an invalid input, naming it and the allowed values", () => {
    const step = runStep({ ...example, "fail-on": "sometimes" });
    expect(step.code).toBe(1);
    expect(step.log).toContain(
      "input `fail-on` is not valid; expected one of: non-conformant, warning, never",
    );
  });

  it("compares with a baseline report given as input", () => {
    const dir = mkdtempSync(join(tmpdir(), "mlgate-base-"));
    runStep({ ...example, "report-path": join(dir, "base.json") });
    const step = runStep({
      ...example,
      baseline: join(dir, "base.json"),
      "report-path": join(dir, "next.json"),
    });
    expect(step.code).toBe(0);
    const report = Report.parse(JSON.parse(readFileSync(join(dir, "next.json"), "utf8")));
    expect(report.measurements.find((m) => m.name === "accuracy")?.baseline).toMatchObject({
      value: 0.9312,
      delta: 0,
    });
  });

  it("declares in action.yml every input the Action reads, with the same defaults", () => {
    const manifest = parse(readFileSync("action.yml", "utf8")) as {
      inputs: Record<string, { default?: string }>;
      outputs: Record<string, unknown>;
      runs: { using: string; main: string };
    };
    expect(manifest.runs).toEqual({ using: "node24", main: "action/dist/index.js" });
    const read: string[] = [];
    const defaults = parseInputs((name) => {
      read.push(name);
      return "";
    });
    expect(Object.keys(manifest.inputs).sort()).toEqual([...new Set(read)].sort());
    // Parsing action.yml's defaults gives what parsing no input at all gives (the token aside).
    const fromManifest = parseInputs((name) =>
      name === "github-token" ? "" : (manifest.inputs[name]?.default ?? ""),
    );
    expect(fromManifest).toEqual(defaults);
    const outputs = Object.keys(manifest.outputs).sort();
    expect(outputs).toEqual(
      [
        "status",
        "passed",
        "failed",
        "errors",
        "warnings",
        "report-path",
        "comment-url",
        "check-run-url",
      ].sort(),
    );
  });
});
