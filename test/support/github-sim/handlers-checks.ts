// REST handlers for check runs: create, update (annotations accumulate over both) and list for a ref.
import { identityOf } from "./auth.js";
import {
  GitHubError,
  errorBody,
  notFound,
  paginate,
  repoOf,
  type RestHandler,
  type RestRequest,
  unprocessable,
} from "./rest.js";
import { checkRunJson } from "./shapes-actions.js";
import { stableId } from "./shapes-repos.js";
import type { Annotation, CheckRunRecord } from "./records.js";

interface CheckRunFields {
  name?: string;
  head_sha?: string;
  details_url?: string;
  external_id?: string;
  status?: CheckRunRecord["status"];
  conclusion?: string;
  started_at?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: Annotation[] };
}

function appOf(request: RestRequest): { id: number; slug: string } {
  const { appId, appSlug } = identityOf(request);
  // The Checks API answers only GitHub Apps (an installation token or the Actions GITHUB_TOKEN).
  if (appId === undefined || appSlug === undefined) {
    throw new GitHubError(
      403,
      errorBody("You must authenticate via a GitHub App.", request.operation.documentationUrl, 403),
    );
  }
  return { id: appId, slug: appSlug };
}

/** Status, conclusion and timestamps after a create or update, as GitHub settles them. */
function applyFields(request: RestRequest, run: CheckRunRecord, fields: CheckRunFields): void {
  const now = request.ctx.state.timestamp();
  if (fields.name !== undefined) run.name = fields.name;
  if (fields.details_url !== undefined) run.detailsUrl = fields.details_url;
  if (fields.external_id !== undefined) run.externalId = fields.external_id;
  if (fields.started_at !== undefined) run.startedAt = fields.started_at;
  if (fields.status !== undefined) run.status = fields.status;
  // Providing a conclusion sets the status to completed.
  if (fields.conclusion !== undefined) {
    run.conclusion = fields.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed" && run.conclusion === null) {
    throw unprocessable(request, "Invalid request.\n\nconclusion is required when status is completed.");
  }
  if (run.status === "completed") run.completedAt = fields.completed_at ?? run.completedAt ?? now;
  if (fields.output) {
    run.output = {
      title: fields.output.title ?? run.output.title,
      summary: fields.output.summary ?? run.output.summary,
      text: fields.output.text ?? run.output.text,
    };
    run.annotations.push(...(fields.output.annotations ?? []));
  }
}

const createCheckRun: RestHandler = (request) => {
  const repo = repoOf(request);
  const app = appOf(request);
  const fields = request.body as CheckRunFields & { name: string; head_sha: string };
  if (!request.ctx.state.git.commit(fields.head_sha)) {
    throw unprocessable(request, `No commit found for SHA: ${fields.head_sha}`);
  }
  const run: CheckRunRecord = {
    id: request.ctx.state.nextId(),
    repo,
    name: fields.name,
    headSha: fields.head_sha,
    status: "queued",
    conclusion: null,
    startedAt: request.ctx.state.timestamp(),
    completedAt: null,
    output: { title: null, summary: null, text: null },
    annotations: [],
    detailsUrl: null,
    externalId: "",
    app,
    checkSuiteId: stableId(`${repo.fullName} suite ${app.id} ${fields.head_sha}`),
  };
  applyFields(request, run, fields);
  repo.checkRuns.push(run);
  return { status: 201, body: checkRunJson(request.ctx, run) };
};

const updateCheckRun: RestHandler = (request) => {
  const repo = repoOf(request);
  const run = repo.checkRuns.find((candidate) => candidate.id === request.params.integer("check_run_id"));
  if (!run) throw notFound(request);
  appOf(request);
  // Settle the update on a copy, so a rejected request leaves the check run as it was.
  const updated: CheckRunRecord = { ...run, output: { ...run.output }, annotations: [...run.annotations] };
  applyFields(request, updated, request.body as CheckRunFields);
  Object.assign(run, updated);
  return { status: 200, body: checkRunJson(request.ctx, run) };
};

const listForRef: RestHandler = (request) => {
  const repo = repoOf(request);
  const commit = request.ctx.state.resolveRev(repo, request.params.string("ref"));
  if (!commit) throw notFound(request, `No commit found for SHA: ${request.params.string("ref")}`);
  const name = request.params.optionalString("check_name");
  const status = request.params.optionalString("status");
  const appId = request.params.optionalInteger("app_id");
  let runs = repo.checkRuns
    .filter((run) => run.headSha === commit.sha)
    .filter((run) => name === undefined || run.name === name)
    .filter((run) => status === undefined || run.status === status)
    .filter((run) => appId === undefined || run.app?.id === appId)
    .sort((a, b) => b.id - a.id);
  if (request.params.string("filter") === "latest") {
    // The most recent run for each name and app.
    const seen = new Set<string>();
    runs = runs.filter((run) => {
      const key = `${run.app?.id ?? 0} ${run.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  const { page, headers } = paginate(request, runs);
  return {
    status: 200,
    body: { total_count: runs.length, check_runs: page.map((run) => checkRunJson(request.ctx, run)) },
    headers,
  };
};

export const checkHandlers: Record<string, RestHandler> = {
  "checks/create": createCheckRun,
  "checks/update": updateCheckRun,
  "checks/list-for-ref": listForRef,
};
