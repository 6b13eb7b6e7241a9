// `mode: publish`, the trusted half of the fork recipe (docs/forks.md): a `workflow_run` workflow hands
// over the report a fork's run uploaded. The report is untrusted data: it is validated, its verdict is
// recomputed from its measurements, everything in it is escaped by the renderers, and the PR and commit
// come from the event GitHub sent, never from the report.
import { readFile } from "node:fs/promises";
import { posix, resolve } from "node:path";
import * as core from "@actions/core";
import { parseBaselineReport } from "../src/check.js";
import { MlgateError } from "../src/errors.js";
import { rollUp } from "../src/evaluate/evaluate.js";
import type { Report } from "../src/report/model.js";
import { renderMarkdown } from "../src/report/markdown.js";
import type { RunContext } from "./context.js";
import { artifactName, downloadRunReport } from "./artifact.js";
import { findPullRequest, key, readIdentityAndFiles, type Client, type RepoRef } from "./github.js";
import { loadConfigAt, loosenedNotice, short } from "./reads.js";
import type { ActionInputs } from "./inputs.js";
import { publishVerdict, setOutputs } from "./publish.js";

export async function runPublishMode(inputs: ActionInputs, ctx: RunContext, client: Client | undefined) {
  const run = ctx.workflowRun;
  if (!run) {
    throw new MlgateError(
      "usage",
      `mode: publish runs on a workflow_run event; this is ${ctx.eventName || "no event"}`,
      {
        location: { field: "with.mode" },
        hint: "see docs/forks.md for the workflow that publishes a fork's report",
      },
    );
  }
  if (!client) {
    throw new MlgateError("usage", "mode: publish needs a token that may write comments and check runs", {
      location: { field: "with.github-token" },
      hint: "give the workflow `permissions: pull-requests: write, checks: write`",
    });
  }
  const cwd = resolve(ctx.workspace, inputs.workingDirectory);
  const at = { owner: ctx.owner, repo: ctx.repo };
  const report = recomputed(await readReport(client, at, run.id, resolve(cwd, inputs.reportPath), inputs));
  const pr = run.event.startsWith("pull_request") ? await findPullRequest(client, at, run) : undefined;
  const pullRequest = pr?.number;
  if (run.event.startsWith("pull_request") && pullRequest === undefined) {
    core.notice(
      `mlgate: no open pull request has ${run.headSha} as its head any more; publishing the check run only`,
    );
  }
  // The gates config on the PR's base and head commits, read here, not taken from the fork's run: the
  // loosened-gates notice matters most exactly when the PR comes from someone else.
  const configPath = posix.normalize(`${inputs.workingDirectory}/${inputs.config}`).replace(/^\.\//, "");
  const configs =
    pr && !configPath.startsWith("..")
      ? [
          { commit: pr.baseSha, path: configPath },
          { commit: run.headSha, path: configPath },
        ]
      : [];
  const { login, files } = await readIdentityAndFiles(client, at, configs, {
    identity: pullRequest !== undefined && inputs.comment !== "off",
  });
  const [baseBytes, headBytes] = configs.map((file) => files.get(key(file)) ?? null);
  const baseLabel = pr ? short(pr.baseSha) : "";
  const base = baseBytes ? loadConfigAt(baseBytes, `${inputs.config}@${baseLabel}`, false) : undefined;
  const head = headBytes
    ? loadConfigAt(headBytes, `${inputs.config}@${short(run.headSha)}`, false)
    : undefined;
  const preamble = base && head ? loosenedNotice(base, head, baseLabel) : "";
  await core.summary.addRaw(renderMarkdown(report, { maxLength: 250_000, preamble })).write();
  const published = await publishVerdict(
    // The report's paths name files in the run that wrote it; only plain relative ones are annotated.
    {
      report,
      preamble,
      repoPath: (file) => (/^(?!\/)(?!.*\.\.)[\w./-]+$/.test(file) ? file : undefined),
    },
    { client, at, pullRequest, sha: run.headSha, self: login },
    inputs,
    ctx,
  );
  setOutputs(report, inputs.reportPath, published);
}

/**
 * The report at `report-path` when a step downloaded it there; otherwise the report artifact the
 * triggering run uploaded, fetched from GitHub.
 */
async function readReport(
  client: Client,
  at: RepoRef,
  runId: number,
  path: string,
  inputs: ActionInputs,
): Promise<Report> {
  const local = await readFile(path, "utf8").catch(() => undefined);
  if (local !== undefined) return parseBaselineReport(local, inputs.reportPath, "the report to publish");
  const name = artifactName(inputs.commentKey);
  const text = await downloadRunReport(client, at, runId, name);
  if (text === undefined) {
    throw new MlgateError("baseline.invalid", `the triggering run ${runId} uploaded no artifact ${name}`, {
      location: { field: "with.report-path" },
      hint: "run mlgate (mode: check) in the triggering workflow, with the same comment-key",
    });
  }
  return parseBaselineReport(text, `${name} of run ${runId}`, "the report to publish");
}

/** The verdict is ours to compute: a report's own `status` and counts are not believed. */
function recomputed(report: Report): Report {
  return { ...report, ...rollUp(report.measurements) };
}
