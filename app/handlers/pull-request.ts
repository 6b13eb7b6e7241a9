// A pull request that touches what maturity is judged on (the self-assessment, the gates config, workflows,
// the files detectors read, files added or removed near the root) gets a check run `mlgate maturity`
// previewing the level changes, and a sticky comment when a level changes. An invalid self-assessment
// fails the check with an annotation on its line.
import type { Context } from "probot";
import { ASSESSMENT_FILE } from "../../src/maturity/assessment.js";
import { direction, levelChanges, type LevelChange } from "../../src/maturity/diff.js";
import { levelName } from "../../src/maturity/framework.js";
import { renderMaturityMarkdown } from "../../src/maturity/render.js";
import { FILES_READ, isWorkflowFile } from "../../src/maturity/view.js";
import { formatError } from "../../src/errors.js";
import { escapeMarkdown } from "../../src/report/escape.js";
import { findOwnComment, markerOf, publishComment } from "../../action/comment.js";
import type { Client } from "../../action/github.js";
import { createCheckRunOnce } from "../github/check-run.js";
import { readRepositories } from "../github/repository-views.js";
import { counted } from "../report/render.js";
import type { ScoredRepository } from "../scoring/pool.js";
import { claimDelivery, seenDelivery, type Services } from "../services.js";
import { scoreInPool } from "../tracker.js";
import { ensureInstallation } from "./installation.js";

export const CHECK_NAME = "mlgate maturity";
export const COMMENT_KEY = "maturity";
const CHECK_TEXT_LIMIT = 65_000;

/** Whether a changed file can move a maturity level. */
export function affectsMaturity(file: {
  filename: string;
  status: string;
  previous_filename?: string;
}): boolean {
  const paths = [file.filename, file.previous_filename].filter((path): path is string => path !== undefined);
  return paths.some(
    (path) =>
      (FILES_READ as readonly string[]).includes(path) ||
      isWorkflowFile(path) ||
      path.endsWith(".dvc") ||
      // Detectors list the top two levels of the tree: adding or removing a file there can change evidence.
      (file.status !== "modified" && path.split("/").length <= 2),
  );
}

export async function onPullRequest(services: Services, context: Context<"pull_request">): Promise<void> {
  const { payload } = context;
  if (payload.action !== "opened" && payload.action !== "synchronize" && payload.action !== "reopened")
    return;
  const { pull_request: pr, repository, installation } = payload;
  if (!installation) return;
  if (await seenDelivery(services, context.id)) return;
  const owner = repository.owner.login;
  await ensureInstallation(services, installation.id, owner);
  const at = { owner, repo: repository.name };
  const files = (await context.octokit.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    ...at,
    pull_number: pr.number,
    per_page: 100,
  })) as { filename: string; status: string; previous_filename?: string }[];
  if (!files.some(affectsMaturity)) return;
  const org = await services.orgContext(installation.id);
  const [base, head] = await readRepositories(context.octokit, [
    { owner, name: repository.name, rev: pr.base.sha },
    { owner, name: repository.name, rev: pr.head.sha },
  ]);
  if (!base?.found || !head?.found) return;
  const before = await scoreInPool(services.tracker, installation.id, base.found, org.frameworks);
  const after = before && (await scoreInPool(services.tracker, installation.id, head.found, org.frameworks));
  // Past the time limit (logged): no check run; the next push to the pull request tries again.
  if (!before || !after) return;
  const changes = levelChanges(before.snapshot, after.snapshot);
  const summary = renderMaturityMarkdown(after.snapshot, after.framework, changes);
  const error = after.error;
  const location = error?.location;
  // Once per delivery: a redelivery after a failure further on finds this check run instead of adding one.
  await createCheckRunOnce(
    context.octokit,
    {
      ...at,
      name: CHECK_NAME,
      head_sha: pr.head.sha,
      status: "completed",
      conclusion: error
        ? "failure"
        : changes.some((change) => direction(change) === "down")
          ? "neutral"
          : "success",
      output: {
        title: titleOf(changes, after, error !== undefined),
        summary: summary.length > CHECK_TEXT_LIMIT ? `${summary.slice(0, CHECK_TEXT_LIMIT)}\n\n…` : summary,
        ...(error
          ? {
              text: `\`\`\`\n${formatError(error.withoutDetail()).replace(/`/g, "'")}\n\`\`\``,
              // GitHub takes at most 50 annotations per request; a self-assessment with more problems
              // shows the rest in the text above.
              annotations: error
                .all()
                .slice(0, 50)
                .map((each) => ({
                  path: ASSESSMENT_FILE,
                  start_line: each.location?.line ?? location?.line ?? 1,
                  end_line: each.location?.line ?? location?.line ?? 1,
                  annotation_level: "failure",
                  title: "Invalid self-assessment",
                  message: `${each.message}${each.hint ? `\n${each.hint}` : ""}`.slice(0, 64_000),
                })),
            }
          : {}),
      },
    },
    context.id,
  );
  // The comment appears when a level changes and is kept up to date afterwards; no change, no new comment.
  // The sticky comment is the Action's, with the App's own marker kind (Probot's Octokit has the same REST API).
  const client = context.octokit as unknown as Client;
  const self = await services.botLogin();
  const existing = await findOwnComment(client, at, pr.number, markerOf(COMMENT_KEY, "maturity"), self);
  if (changes.length > 0 || existing) {
    const body = changes.length
      ? `### MLOps maturity: this pull request changes ${counted(changes.length, "level", "levels")}\n\n${summary}`
      : `### MLOps maturity: no level changes anymore\n\nThe latest commit leaves every level as it is on \`${escapeMarkdown(pr.base.ref)}\`.`;
    await publishComment(client, at, pr.number, body, {
      mode: "update",
      key: COMMENT_KEY,
      self,
      kind: "maturity",
      // Should GitHub refuse the preview, the comment must not go on showing an earlier commit's levels.
      fallback: `### MLOps maturity: ${escapeMarkdown(titleOf(changes, after, error !== undefined))}\n\nGitHub refused the full preview for ${pr.head.sha.slice(0, 7)}; the \`${CHECK_NAME}\` check run of that commit has it.`,
    });
  }
  await claimDelivery(services, context.id, context.name);
}

function titleOf(changes: LevelChange[], after: ScoredRepository, invalid: boolean): string {
  if (invalid) return "The self-assessment is invalid; levels come from evidence only";
  const overall = changes.find((change) => change.scope === "overall");
  const name = (level: number | null) => (level === null ? "n/a" : levelName(after.framework, level));
  if (overall) return `Overall maturity ${name(overall.from)} → ${name(overall.to)}`;
  if (changes.length)
    return `${counted(changes.length, "level change", "level changes")}; overall stays ${name(after.snapshot.overall.level)}`;
  return `No level changes; overall ${name(after.snapshot.overall.level)}`;
}
