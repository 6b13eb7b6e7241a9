// Where a verdict lands, in both modes: the sticky PR comment, the check run, and when the token may not
// write (a fork's or Dependabot's PR) annotations through workflow commands plus one notice saying how
// to publish. Publishing problems never change the verdict: they are reported, and the step goes on.
import { isAbsolute, relative, resolve, sep } from "node:path";
import { annotationsOf, type Annotation } from "../src/report/annotations.js";
import { renderMarkdown, type Preamble } from "../src/report/markdown.js";
import type { Report } from "../src/report/model.js";
import { CONFORMITY_LABELS, countOutcomes, describeCounts } from "../src/report/verdict.js";
import { CHECK_FIELD_LIMIT, MAX_ANNOTATIONS, publishCheckRun } from "./check-run.js";
import { COMMENT_BODY_LIMIT, markerOf, publishComment, refusedContent } from "./comment.js";
import type { RunContext } from "./context.js";
import { isReadOnly, statusOf, type Client, type RepoRef } from "./github.js";
import { escapeText } from "../src/report/escape.js";
import type { ActionInputs } from "./inputs.js";
import { log, setOutput } from "./runner.js";

export const FORKS_GUIDE = "https://github.com/mlgate/mlgate/blob/main/docs/forks.md";

export interface Verdict {
  report: Report;
  /** Markdown of our own that opens the comment, the check run and the summary (loosened gates). */
  preamble: Preamble;
  /** Maps a config path as the report names it to a path from the repository root; undefined: no annotation. */
  repoPath: (file: string) => string | undefined;
}

export interface Target {
  client: Client | undefined;
  at: RepoRef;
  /** The PR to comment on, if any. */
  pullRequest: number | undefined;
  /** The commit the check run belongs to. */
  sha: string;
  /** The token's own login, the author of our comments; undefined when it could not be read. */
  self: string | undefined;
}

export interface Published {
  commentUrl: string;
  checkRunUrl: string;
}

export async function publishVerdict(
  verdict: Verdict,
  target: Target,
  inputs: ActionInputs,
  ctx: RunContext,
): Promise<Published> {
  const published: Published = { commentUrl: "", checkRunUrl: "" };
  const annotations = annotationsOf(verdict.report).flatMap((a) => {
    const path = verdict.repoPath(a.file);
    return path === undefined ? [] : [{ ...a, path }];
  });
  const wantsComment = target.pullRequest !== undefined && inputs.comment !== "off";
  const wanted = [...(wantsComment ? ["PR comment"] : []), ...(inputs.checkRun ? ["check run"] : [])];
  const client = target.client;
  if (!client) {
    annotateThroughCommands(annotations);
    if (wanted.length > 0) noticeNoToken(wanted, ctx);
    return published;
  }
  // What the token was refused, each on its own: `pull-requests: write` and `checks: write` are separate.
  const refused: string[] = [];
  const note = (what: string, error: unknown) => {
    if (isReadOnly(error)) refused.push(what);
    else log.warning(`mlgate could not publish the ${what}: ${describe(error)}`);
  };
  if (wantsComment && target.pullRequest !== undefined) {
    try {
      published.commentUrl = await postComment(
        client,
        { ...target, pullRequest: target.pullRequest },
        verdict,
        {
          inputs,
          ctx,
        },
      );
    } catch (error) {
      note("PR comment", error);
    }
  }
  let annotated = false;
  if (inputs.checkRun) {
    try {
      published.checkRunUrl = await createCheckRun(client, target, verdict, annotations, { inputs, ctx });
      annotated = true;
    } catch (error) {
      note("check run", error);
    }
  }
  // Without a check run of our own the runner's workflow commands still put the annotations on the lines.
  if (!annotated) annotateThroughCommands(annotations);
  if (refused.length > 0) noticeReadOnly(refused, ctx);
  return published;
}

/** The sticky (or a new) comment; "" when the token's login, needed to find ours, could not be read. */
async function postComment(
  client: Client,
  target: Target & { pullRequest: number },
  { report, preamble }: Verdict,
  { inputs, ctx }: { inputs: ActionInputs; ctx: RunContext },
): Promise<string> {
  if (inputs.comment === "update" && !target.self) {
    log.warning(
      "mlgate did not post the PR comment: the token's own login could not be read, so an earlier comment of ours could not be told from others' and a second one might be posted",
    );
    return "";
  }
  const body = renderMarkdown(report, {
    maxLength: COMMENT_BODY_LIMIT - markerOf(inputs.commentKey).length - 1,
    preamble,
    fullReportUrl: ctx.runUrl,
  });
  const result = await publishComment(client, target.at, target.pullRequest, body, {
    mode: inputs.comment === "new" ? "new" : "update",
    key: inputs.commentKey,
    self: target.self,
    fallback: refusedFallback(report, target.sha, ctx, "comment"),
  });
  if (result.refused) warnRefused("PR comment", result.refused);
  log.info(`mlgate: ${result.action} the PR comment ${result.url}`);
  return result.url;
}

async function createCheckRun(
  client: Client,
  target: Target,
  { report, preamble }: Verdict,
  annotations: readonly (Annotation & { path: string })[],
  { inputs, ctx }: { inputs: ActionInputs; ctx: RunContext },
): Promise<string> {
  const counts = describeCounts(countOutcomes(report.measurements));
  const input = {
    name: inputs.checkName,
    headSha: target.sha,
    conclusion: conclusionOf(report, inputs),
    title: `${CONFORMITY_LABELS[report.status]} — ${counts}`,
    summary: renderMarkdown(report, { maxLength: CHECK_FIELD_LIMIT, preamble, fullReportUrl: ctx.runUrl }),
    annotations,
    detailsUrl: ctx.runUrl,
    externalId: `mlgate:${inputs.commentKey}`,
  };
  const { url, omitted } = await publishCheckRun(client, target.at, input).catch((error: unknown) => {
    if (!refusedContent(error)) throw error;
    warnRefused("check run", describe(error));
    // The verdict still reaches the required check; the annotations then go through workflow commands.
    const summary = refusedFallback(report, target.sha, ctx, "check run");
    return publishCheckRun(client, target.at, { ...input, summary, annotations: [] }).then((result) => {
      annotateThroughCommands(annotations);
      return result;
    });
  });
  log.info(`mlgate: created the check run ${url}`);
  if (omitted > 0) {
    log.info(
      `mlgate: ${omitted} more failing measurements and warnings are not annotated on the check run (at most ${MAX_ANNOTATIONS}); see the job summary`,
    );
  }
  return url;
}

/**
 * What a comment or check run says when GitHub refused the full report: the verdict of this commit, never
 * an earlier run's, and where the whole report is.
 */
function refusedFallback(report: Report, sha: string, ctx: RunContext, what: string): string {
  const counts = describeCounts(countOutcomes(report.measurements));
  const where = ctx.runUrl ? `the job summary of [this run](${ctx.runUrl})` : "this run's job summary";
  return [
    `### mlgate: ${CONFORMITY_LABELS[report.status]}`,
    "",
    `**${CONFORMITY_LABELS[report.status]}** on ${sha.slice(0, 7)} — ${counts}.`,
    "",
    `GitHub refused this run's full report as a ${what}; read it in ${where}.`,
  ].join("\n");
}

function warnRefused(what: string, reason: string): void {
  log.warning(
    `mlgate: GitHub refused the full report as the ${what} (${escapeText(reason)}); it now holds the verdict and a link to the job summary`,
  );
}

/** One notice for everything GitHub refused with a 403, with the likeliest reason. */
function noticeReadOnly(refused: readonly string[], ctx: RunContext): void {
  const why = ctx.pullRequest?.fromFork
    ? "this pull request comes from a fork, and GitHub gives its workflow a read-only token"
    : ctx.actor === "dependabot[bot]"
      ? "Dependabot's pull requests get a read-only token unless the workflow's permissions grant more"
      : "the token may not write here (HTTP 403): grant `pull-requests: write` and `checks: write` in the workflow's permissions";
  log.notice(
    `mlgate did not publish the ${refused.join(" or the ")}: ${why}. The verdict is in the job summary, ` +
      `the annotations and this step's result. To publish it from a trusted workflow: ${FORKS_GUIDE}`,
    { title: "mlgate: read-only token" },
  );
}

/** Nothing was asked of GitHub: say so, and how to pass a token, rather than blame a 403 never received. */
function noticeNoToken(wanted: readonly string[], ctx: RunContext): void {
  const forks = ctx.pullRequest?.fromFork ? ` For pull requests from forks: ${FORKS_GUIDE}` : "";
  log.notice(
    `mlgate did not publish the ${wanted.join(" or the ")}: no github-token was given (the input is empty), ` +
      "so nothing was read from or sent to GitHub. The verdict is in the job summary, the annotations and " +
      "this step's result. To publish it, leave `github-token` out (it defaults to `${{ github.token }}`) " +
      "or set it to a token, with `pull-requests: write` and `checks: write` in the workflow's permissions; " +
      `a secret that is not set, or not passed to this run, is empty.${forks}`,
    { title: "mlgate: no github-token" },
  );
}

/** GitHub shows 10 error and 10 warning annotations of a step: those, then a count of the rest. */
const COMMAND_ANNOTATIONS_SHOWN = 10;

function annotateThroughCommands(annotations: readonly (Annotation & { path: string })[]): void {
  for (const level of ["failure", "warning"] as const) {
    const all = annotations.filter((a) => a.level === level);
    for (const a of all.slice(0, COMMAND_ANNOTATIONS_SHOWN)) annotate(a);
    const rest = all.length - COMMAND_ANNOTATIONS_SHOWN;
    if (rest > 0) {
      const what = level === "failure" ? "failing measurements" : "warnings";
      log.info(
        `mlgate: ${rest} more ${what} are not annotated here (GitHub shows 10 per step); see the job summary`,
      );
    }
  }
}

/** success when conformant; failure when this step fails; neutral for what passes with reservations. */
export function conclusionOf(
  report: Report,
  inputs: Pick<ActionInputs, "failOn">,
): "success" | "failure" | "neutral" {
  if (stepFails(report, inputs)) return "failure";
  return report.status === "conformant" ? "success" : "neutral";
}

export function stepFails(report: Report, inputs: Pick<ActionInputs, "failOn">): boolean {
  if (inputs.failOn === "never") return false;
  if (inputs.failOn === "warning") return report.status !== "conformant";
  return report.status === "non-conformant";
}

function annotate(a: Annotation & { path: string }): void {
  const properties = { title: a.title, file: a.path, startLine: a.line, startColumn: a.column };
  if (a.level === "failure") log.error(a.message, properties);
  else log.warning(a.message, properties);
}

/** A path from the repository root for a file under the workspace, or undefined outside it. */
export function repoPathIn(workspace: string, cwd: string): (file: string) => string | undefined {
  return (file) => {
    const path = relative(workspace, resolve(cwd, file));
    if (path === "" || path.startsWith("..") || resolve(workspace, path) !== resolve(cwd, file))
      return undefined;
    return path.split(sep).join("/");
  };
}

/** A path as later steps use it: from the workspace (where upload-artifact resolves), else absolute. */
export function shownPath(workspace: string, file: string): string {
  const path = relative(workspace, file);
  return path && !path.startsWith("..") && !isAbsolute(path) ? path : file;
}

function describe(error: unknown): string {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return escapeText(`${status === undefined ? "" : `HTTP ${status}: `}${message.split("\n")[0] ?? ""}`);
}

export function setOutputs(report: Report, reportPath: string, published: Published): void {
  setOutput("status", report.status);
  setOutput("passed", report.summary.pass);
  setOutput("failed", report.summary.fail);
  setOutput("errors", report.summary.error);
  setOutput("warnings", report.summary.warnings);
  setOutput("report-path", reportPath);
  setOutput("comment-url", published.commentUrl);
  setOutput("check-run-url", published.checkRunUrl);
}
