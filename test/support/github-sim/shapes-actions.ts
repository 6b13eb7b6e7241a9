// GitHub's JSON for check runs, workflow runs and artifacts.
import { createHash } from "node:crypto";
import { AUTHOR } from "./git.js";
import { pullMinimalJson } from "./shapes-issues.js";
import {
  appJson,
  type Json,
  nodeId,
  repoApi,
  repositoryJson,
  type ShapeContext,
  stableId,
  WEB,
} from "./shapes-repos.js";
import type { ArtifactRecord, CheckRunRecord, RepoRecord, WorkflowRunRecord } from "./records.js";

// GitHub lists, in check runs and workflow runs, the open pull requests of the same repository whose
// head is the run's commit; pull requests from forks are left out.
function samePullsJson(ctx: ShapeContext, repo: RepoRecord, sha: string): Json[] {
  return ctx.state
    .pullsWithHead(repo, sha)
    .filter((issue) => issue.pull?.headRepo === repo)
    .map((issue) => pullMinimalJson(ctx, issue));
}

export function checkRunJson(ctx: ShapeContext, run: CheckRunRecord): Json {
  const url = `${repoApi(ctx, run.repo)}/check-runs/${run.id}`;
  return {
    id: run.id,
    node_id: nodeId("CR", run.id),
    head_sha: run.headSha,
    external_id: run.externalId,
    url,
    html_url: `${WEB}/${run.repo.fullName}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.checkSuiteId },
    app: run.app ? appJson(ctx, run.app) : null,
    pull_requests: samePullsJson(ctx, run.repo, run.headSha),
  };
}

export function workflowRunJson(ctx: ShapeContext, run: WorkflowRunRecord): Json {
  const base = repoApi(ctx, run.repo);
  const url = `${base}/actions/runs/${run.id}`;
  const workflowFile = `${run.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.yml`;
  const workflowId = stableId(`${run.repo.fullName} workflow ${run.name}`);
  const checkSuiteId = stableId(`${run.repo.fullName} suite ${run.id}`);
  const commit = ctx.state.git.commit(run.headSha);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId("WFR", run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: `.github/workflows/${workflowFile}`,
    display_title: commit?.message.split("\n")[0] ?? run.name,
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: workflowId,
    check_suite_id: checkSuiteId,
    check_suite_node_id: nodeId("CS", checkSuiteId),
    url,
    html_url: `${WEB}/${run.repo.fullName}/actions/runs/${run.id}`,
    pull_requests: run.headRepo === run.repo ? samePullsJson(ctx, run.repo, run.headSha) : [],
    created_at: run.createdAt,
    updated_at: run.createdAt,
    run_attempt: 1,
    referenced_workflows: [],
    run_started_at: run.createdAt,
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${base}/check-suites/${checkSuiteId}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${base}/actions/workflows/${workflowId}`,
    head_commit: commit
      ? {
          id: commit.sha,
          tree_id: commit.tree,
          message: commit.message,
          timestamp: commit.date,
          author: { ...AUTHOR },
          committer: { ...AUTHOR },
        }
      : null,
    repository: repositoryJson(ctx, run.repo),
    head_repository: repositoryJson(ctx, run.headRepo),
    head_repository_id: run.headRepo.id,
  };
}

export function artifactJson(ctx: ShapeContext, artifact: ArtifactRecord): Json {
  const url = `${repoApi(ctx, artifact.run.repo)}/actions/artifacts/${artifact.id}`;
  return {
    id: artifact.id,
    node_id: nodeId("MDg", artifact.id),
    name: artifact.name,
    size_in_bytes: artifact.zip.length,
    url,
    archive_download_url: `${url}/zip`,
    expired: artifact.expired,
    digest: `sha256:${createHash("sha256").update(artifact.zip).digest("hex")}`,
    created_at: artifact.createdAt,
    updated_at: artifact.createdAt,
    expires_at: artifact.expiresAt,
    workflow_run: {
      id: artifact.run.id,
      repository_id: artifact.run.repo.id,
      head_repository_id: artifact.run.headRepo.id,
      head_branch: artifact.run.headBranch,
      head_sha: artifact.run.headSha,
    },
  };
}
