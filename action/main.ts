// The Action adapter: inputs -> core -> job summary, outputs, report file, exit code. Every path out of
// run() decides the step's result; nothing deeper reads inputs or the environment.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import * as core from "@actions/core";
import { checkFiles } from "../src/check.js";
import { VERSION } from "../src/cli/version.js";
import { formatError, MlgateError } from "../src/errors.js";
import type { Report } from "../src/report/model.js";
import { renderReport } from "../src/report/index.js";
import { parseInputs, type ActionInputs } from "./inputs.js";

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = parseInputs((name) => core.getInput(name));
    const cwd = resolve(env.GITHUB_WORKSPACE ?? process.cwd(), inputs.workingDirectory);
    const report = await checkFiles({
      config: { path: resolve(cwd, inputs.config), shown: inputs.config },
      ...(inputs.baseline === "none"
        ? {}
        : { baseline: { path: resolve(cwd, inputs.baseline), shown: inputs.baseline } }),
      sources: { cwd, env, fetch: globalThis.fetch },
      now: new Date(),
      tool: `mlgate ${VERSION}`,
      release: inputs.release,
    });
    await publish(report, inputs, resolve(cwd, inputs.reportPath));
    const failure = failureOf(report, inputs);
    if (failure) core.setFailed(failure);
  } catch (error) {
    if (error instanceof MlgateError) {
      core.setFailed(`mlgate: ${formatError(error)}`);
    } else {
      const detail = error instanceof Error ? error.message : String(error);
      core.setFailed(
        `mlgate: internal error: ${detail.split("\n")[0] ?? ""} (a bug in mlgate, not in your config)`,
      );
      if (error instanceof Error && error.stack) core.debug(error.stack);
    }
  }
}

/** Writes what reviewers read: the log (escaped text), the job summary, the report file and the outputs. */
async function publish(report: Report, inputs: ActionInputs, reportFile: string): Promise<void> {
  core.info(renderReport(report, "text"));
  await core.summary.addRaw(renderReport(report, "markdown")).write();
  await mkdir(dirname(reportFile), { recursive: true });
  await writeFile(reportFile, renderReport(report, "json"));
  core.setOutput("status", report.status);
  core.setOutput("passed", report.summary.pass);
  core.setOutput("failed", report.summary.fail);
  core.setOutput("errors", report.summary.error);
  core.setOutput("warnings", report.summary.warnings);
  core.setOutput("report-path", inputs.reportPath);
}

function failureOf(report: Report, inputs: ActionInputs): string | undefined {
  const failing =
    inputs.failOn === "never"
      ? false
      : inputs.failOn === "warning"
        ? report.status !== "conformant"
        : report.status === "non-conformant";
  return failing ? `mlgate: ${report.status} (fail-on: ${inputs.failOn}); see the job summary` : undefined;
}
