// REST handlers for Actions workflow runs and artifacts, and the artifact download: a 302 to a URL on
// the simulator that serves the stored zip without authentication, as GitHub's signed URLs do.
import {
  GitHubError,
  errorBody,
  notFound,
  paginate,
  repoOf,
  type RestHandler,
  type RestRequest,
} from "./rest.js";
import { artifactJson, workflowRunJson } from "./shapes-actions.js";
import type { ArtifactRecord, WorkflowRunRecord } from "./records.js";

export const ARTIFACT_DOWNLOAD_PREFIX = "/_simulator/artifact-downloads/";

function newestFirst<T extends { id: number; createdAt: string }>(a: T, b: T): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id - a.id;
}

const listRuns: RestHandler = (request) => {
  const repo = repoOf(request);
  const branch = request.params.optionalString("branch");
  const event = request.params.optionalString("event");
  const headSha = request.params.optionalString("head_sha");
  // GitHub's `status` filter matches a run's status or its conclusion.
  const status = request.params.optionalString("status");
  const runs = repo.workflowRuns
    .filter(
      (run) =>
        (branch === undefined || run.headBranch === branch) &&
        (event === undefined || run.event === event) &&
        (headSha === undefined || run.headSha === headSha) &&
        (status === undefined || run.status === status || run.conclusion === status),
    )
    .sort(newestFirst);
  const { page, headers } = paginate(request, runs);
  const withoutPulls = request.params.boolean("exclude_pull_requests");
  const body = page.map((run) => ({
    ...workflowRunJson(request.ctx, run),
    ...(withoutPulls ? { pull_requests: [] } : {}),
  }));
  return { status: 200, body: { total_count: runs.length, workflow_runs: body }, headers };
};

function artifactList(request: RestRequest, artifacts: ArtifactRecord[]) {
  const name = request.params.optionalString("name");
  const matching = artifacts.filter((artifact) => name === undefined || artifact.name === name);
  const { page, headers } = paginate(request, matching);
  return {
    status: 200,
    body: {
      total_count: matching.length,
      artifacts: page.map((artifact) => artifactJson(request.ctx, artifact)),
    },
    headers,
  };
}

const listRunArtifacts: RestHandler = (request) => {
  const run: WorkflowRunRecord | undefined = repoOf(request).workflowRuns.find(
    (candidate) => candidate.id === request.params.integer("run_id"),
  );
  if (!run) throw notFound(request);
  const artifacts = [...run.artifacts].sort((a, b) => a.id - b.id);
  if (request.params.string("direction") === "desc") artifacts.reverse();
  return artifactList(request, artifacts);
};

const listRepoArtifacts: RestHandler = (request) => {
  const artifacts = repoOf(request).workflowRuns.flatMap((run) => run.artifacts);
  return artifactList(
    request,
    artifacts.sort((a, b) => b.id - a.id),
  );
};

const downloadArtifact: RestHandler = (request) => {
  const repo = repoOf(request);
  const artifact = request.ctx.state.artifact(request.params.integer("artifact_id"));
  if (!artifact || artifact.run.repo !== repo || request.params.string("archive_format") !== "zip") {
    throw notFound(request);
  }
  if (artifact.expired) {
    throw new GitHubError(410, errorBody("Artifact has expired", request.operation.documentationUrl, 410));
  }
  return {
    status: 302,
    headers: { location: `${request.ctx.api}${ARTIFACT_DOWNLOAD_PREFIX}${artifact.id}.zip` },
  };
};

export const actionsHandlers: Record<string, RestHandler> = {
  "actions/list-workflow-runs-for-repo": listRuns,
  "actions/list-workflow-run-artifacts": listRunArtifacts,
  "actions/list-artifacts-for-repo": listRepoArtifacts,
  "actions/download-artifact": downloadArtifact,
};
