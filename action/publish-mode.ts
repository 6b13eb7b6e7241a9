// `mode: publish`, the trusted half of the fork recipe (docs/forks.md): a `workflow_run` workflow hands
// over the report a fork's run uploaded. The report is untrusted data: it is validated, its verdict is
// recomputed from its measurements, everything in it is escaped by the renderers, and the PR and commit
// come from the event GitHub sent, never from the report.
import { posix } from "node:path";
import {
  FileTooLarge,
  MAX_CONFIG_BYTES,
  MAX_REPORT_BYTES,
  parseBaselineReport,
  readTextUpTo,
  tooLargeError,
} from "../src/check.js";
import { MlgateError } from "../src/errors.js";
import { ContainmentError, describeRefusal, type ContainedFs } from "../src/files/contained-fs.js";
import { rollUp } from "../src/evaluate/evaluate.js";
import type { Report } from "../src/report/model.js";
import { renderMarkdown, type Preamble } from "../src/report/markdown.js";
import type { RunContext } from "./context.js";
import { artifactName, downloadRunReport } from "./artifact.js";
import { findPullRequest, key, readIdentityAndFiles, type Client, type RepoRef } from "./github.js";
import { inputFile, workingDirectoryOf } from "./input-files.js";
import { loadConfigAt, loosenedNotice, short } from "./reads.js";
import type { ActionInputs } from "./inputs.js";
import { publishVerdict, setOutputs, shownPath } from "./publish.js";
import { log, writeSummary } from "./runner.js";

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
  const cwd = await workingDirectoryOf(inputs.workingDirectory, ctx.workspace);
  const at = { owner: ctx.owner, repo: ctx.repo };
  const read = await readReport(
    client,
    at,
    run.id,
    await inputFile(inputs.reportPath, cwd, ctx.workspace),
    inputs,
  );
  const report = recomputed(read.report);
  const pr = run.event.startsWith("pull_request") ? await findPullRequest(client, at, run) : undefined;
  const pullRequest = pr?.number;
  if (run.event.startsWith("pull_request") && pullRequest === undefined) {
    log.notice(
      `mlgate: no open pull request has ${run.headSha} as its head any more; publishing the check run only`,
    );
  }
  const inRepository = repoPathUnder(inputs.workingDirectory);
  const { login, preamble } = await readGatesAndLogin(client, at, {
    configPath: inRepository(inputs.config),
    config: inputs.config,
    commits: pr ? { base: pr.baseSha, head: run.headSha } : undefined,
    identity: pullRequest !== undefined && inputs.comment !== "off",
  });
  await writeSummary(renderMarkdown(report, { maxLength: 250_000, preamble }));
  const published = await publishVerdict(
    // The report's paths name files under the working directory of the run that wrote it; only plain
    // relative ones are annotated, at the same place in the repository as the loosened-gates lookup reads.
    {
      report,
      preamble,
      repoPath: (file) => (/^(?!\/)(?!.*\.\.)[\w./-]+$/.test(file) ? inRepository(file) : undefined),
    },
    { client, at, pullRequest, sha: run.headSha, self: login },
    inputs,
    ctx,
  );
  // The report read from disk, as check mode names it; none when it came from the artifact (kept in memory).
  setOutputs(report, read.file === undefined ? "" : shownPath(ctx.workspace, read.file), published);
}

/**
 * The token's login and the loosened-gates notice, from the gates config on the PR's base and head commits,
 * read here, not taken from the fork's run: the notice matters most exactly when the PR comes from someone
 * else. One GraphQL request.
 */
async function readGatesAndLogin(
  client: Client,
  at: RepoRef,
  wanted: {
    configPath: string | undefined;
    config: string;
    commits: { base: string; head: string } | undefined;
    identity: boolean;
  },
): Promise<{ login: string | undefined; preamble: Preamble }> {
  const { configPath, commits } = wanted;
  const configs =
    commits && configPath !== undefined
      ? [commits.base, commits.head].map((commit) => ({
          commit,
          path: configPath,
          maxBytes: MAX_CONFIG_BYTES,
        }))
      : [];
  const { login, files } = await readIdentityAndFiles(client, at, configs, { identity: wanted.identity });
  const [base, head] = configs.map(({ commit, path }, i) => {
    const bytes = files.get(key({ commit, path }));
    const label = short(commit);
    return bytes instanceof Uint8Array
      ? loadConfigAt(bytes, {
          file: `${wanted.config}@${label}`,
          commit: `the ${i === 0 ? "base" : "head"} commit ${label}`,
          decides: false,
        })
      : undefined;
  });
  const preamble = base && head && commits ? loosenedNotice(base, head, short(commits.base)) : "";
  return { login, preamble };
}

/** `working-directory` joined with a path under it: the path from the repository root, if it stays inside. */
function repoPathUnder(workingDirectory: string): (file: string) => string | undefined {
  return (file) => {
    const path = posix.normalize(`${workingDirectory}/${file}`).replace(/^\.\//, "");
    return path.startsWith("../") || path === ".." || path.startsWith("/") ? undefined : path;
  };
}

/**
 * The report at `report-path` when a step downloaded it there (`file`); otherwise the report artifact the
 * triggering run uploaded, fetched from GitHub and never written to disk (`file` undefined).
 */
async function readReport(
  client: Client,
  at: RepoRef,
  runId: number,
  file: { files: ContainedFs; path: string },
  inputs: ActionInputs,
): Promise<{ report: Report; file?: string }> {
  const local = await readTextUpTo(file, MAX_REPORT_BYTES).catch((error: unknown) => {
    if (error instanceof ContainmentError) {
      if (error.refusal.reason === "not-found") return undefined;
      // Not taken for absent: a link out of the checkout, or a FIFO, there is refused loudly.
      throw new MlgateError(
        "baseline.invalid",
        `the report to publish ${inputs.reportPath} ${describeRefusal(error.refusal, error.label)}`,
        {
          location: { field: "with.report-path" },
          hint: "download the report the check job wrote (mlgate-report.json) to report-path, or leave nothing there to use the artifact",
        },
      );
    }
    if (!(error instanceof FileTooLarge)) throw error;
    throw tooLargeError(
      error,
      "baseline.invalid",
      `the report to publish ${inputs.reportPath}`,
      { field: "with.report-path" },
      "download the report the check job wrote (mlgate-report.json), not another file",
    );
  });
  if (local !== undefined) {
    return {
      report: parseBaselineReport(local, inputs.reportPath, "the report to publish"),
      file: file.path,
    };
  }
  const name = artifactName(inputs.commentKey);
  const text = await downloadRunReport(client, at, runId, name);
  if (text === undefined) {
    throw new MlgateError("baseline.invalid", `the triggering run ${runId} uploaded no artifact ${name}`, {
      location: { field: "with.report-path" },
      hint: "run mlgate (mode: check) in the triggering workflow, with the same comment-key",
    });
  }
  return { report: parseBaselineReport(text, `${name} of run ${runId}`, "the report to publish") };
}

/** The verdict is ours to compute: a report's own `status` and counts are not believed. */
function recomputed(report: Report): Report {
  return { ...report, ...rollUp(report.measurements) };
}
