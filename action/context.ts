// What the runner tells the step about this run: the event, the repository, the commit, the PR. Read once
// from the environment and the event payload (through a schema: the payload is data from outside).
// The payload file is the runner's own (written outside the checkout before the step starts), not
// something a pull request can plant: it is read directly, not through a ContainedFs.
import { readFile } from "node:fs/promises";
import * as z from "zod";
import { MlgateError } from "../src/errors.js";

const Repo = z.object({ full_name: z.string(), private: z.boolean().optional() });
const PullRequestPayload = z.object({
  number: z.number().int().positive(),
  html_url: z.string().optional(),
  head: z.object({ sha: z.string(), ref: z.string(), repo: Repo.nullable() }),
  base: z.object({ sha: z.string(), ref: z.string(), repo: Repo }),
  user: z.object({ login: z.string() }).optional(),
});
const WorkflowRunPayload = z.object({
  id: z.number(),
  event: z.string(),
  head_sha: z.string(),
  head_branch: z.string().nullable(),
  head_repository: z.object({ full_name: z.string(), owner: z.object({ login: z.string() }) }).nullable(),
  pull_requests: z.array(
    z.object({
      number: z.number(),
      head: z.object({ sha: z.string() }),
      base: z.object({ sha: z.string() }),
    }),
  ),
});
const Payload = z.object({
  pull_request: PullRequestPayload.optional(),
  workflow_run: WorkflowRunPayload.optional(),
  before: z.string().optional(),
  repository: z.object({ full_name: z.string(), default_branch: z.string().optional() }).optional(),
  sender: z.object({ login: z.string() }).optional(),
});

export interface PullRequest {
  number: number;
  headSha: string;
  baseSha: string;
  baseRef: string;
  /** The head branch lives in another repository: the workflow token is read-only there. */
  fromFork: boolean;
}

/** The run a `workflow_run` event reports on: what the publishing side trusts (it comes from GitHub). */
export interface WorkflowRun {
  id: number;
  event: string;
  headSha: string;
  headBranch: string | undefined;
  /** `owner:branch` of the head, as the pulls API's `head` filter wants it. */
  headLabel: string | undefined;
  pullRequests: Array<{ number: number; baseSha: string }>;
}

export interface RunContext {
  eventName: string;
  owner: string;
  repo: string;
  /** The commit the check run belongs to: the PR's head for pull requests, else GITHUB_SHA. */
  sha: string;
  ref: string;
  runId: string;
  /** `https://github.com/owner/repo/actions/runs/ID`: where the job summary is read. */
  runUrl: string | undefined;
  apiUrl: string;
  workspace: string;
  actor: string;
  pullRequest: PullRequest | undefined;
  workflowRun: WorkflowRun | undefined;
  /** For a push: the commit the branch pointed at before it (absent for a new branch). */
  before: string | undefined;
  /** `.github/workflows/ci.yml`: this run's workflow file, from GITHUB_WORKFLOW_REF (runner 2.300 on). */
  workflowPath: string | undefined;
}

export async function readRunContext(env: NodeJS.ProcessEnv): Promise<RunContext> {
  const repository = required(env, "GITHUB_REPOSITORY");
  const [owner, repo, ...rest] = repository.split("/");
  if (!owner || !repo || rest.length > 0) {
    throw new MlgateError("usage", `GITHUB_REPOSITORY is "${repository}", expected "owner/name"`, {
      location: { field: "GITHUB_REPOSITORY" },
      hint: "run mlgate as a step of a GitHub Actions workflow, or use the CLI",
    });
  }
  const eventName = env.GITHUB_EVENT_NAME ?? "";
  const payload = await readPayload(env.GITHUB_EVENT_PATH);
  const pr = payload.pull_request;
  const serverUrl = env.GITHUB_SERVER_URL ?? "https://github.com";
  const runId = env.GITHUB_RUN_ID ?? "";
  const apiUrl = withoutTrailingSlashes(env.GITHUB_API_URL ?? "https://api.github.com");
  return {
    eventName,
    owner,
    repo,
    sha: pr?.head.sha ?? required(env, "GITHUB_SHA"),
    ref: env.GITHUB_REF ?? "",
    runId,
    runUrl: runId ? `${withoutTrailingSlashes(serverUrl)}/${owner}/${repo}/actions/runs/${runId}` : undefined,
    apiUrl,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    actor: env.GITHUB_ACTOR ?? payload.sender?.login ?? "",
    pullRequest: pr
      ? {
          number: pr.number,
          headSha: pr.head.sha,
          baseSha: pr.base.sha,
          baseRef: pr.base.ref,
          fromFork: pr.head.repo === null || pr.head.repo.full_name !== pr.base.repo.full_name,
        }
      : undefined,
    workflowRun: workflowRunOf(payload.workflow_run),
    before: payload.before && !/^0+$/.test(payload.before) ? payload.before : undefined,
    workflowPath: workflowPathOf(env.GITHUB_WORKFLOW_REF, repository),
  };
}

/**
 * `owner/repo/.github/workflows/ci.yml@refs/heads/main` -> `.github/workflows/ci.yml`, the form the runs
 * API gives as a run's `path`. In a reusable workflow the variable names the caller's file, as `path` does.
 */
function workflowPathOf(ref: string | undefined, repository: string): string | undefined {
  if (!ref || !ref.toLowerCase().startsWith(`${repository.toLowerCase()}/`)) return undefined;
  return /^(.+?\.ya?ml)@/.exec(ref.slice(repository.length + 1))?.[1];
}

function workflowRunOf(run: z.infer<typeof WorkflowRunPayload> | undefined): WorkflowRun | undefined {
  if (!run) return undefined;
  const owner = run.head_repository?.owner.login;
  return {
    id: run.id,
    event: run.event,
    headSha: run.head_sha,
    headBranch: run.head_branch ?? undefined,
    headLabel: owner && run.head_branch ? `${owner}:${run.head_branch}` : undefined,
    // Only the PRs whose head is still this commit: a later push makes this run's report stale.
    pullRequests: run.pull_requests
      .filter((pr) => pr.head.sha === run.head_sha)
      .map((pr) => ({ number: pr.number, baseSha: pr.base.sha })),
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) {
    throw new MlgateError("usage", `the environment variable ${name} is not set`, {
      location: { field: name },
      hint: "run mlgate as a step of a GitHub Actions workflow, or use the CLI (`npx mlgate check`) elsewhere",
    });
  }
  return value;
}

async function readPayload(path: string | undefined): Promise<z.infer<typeof Payload>> {
  if (!path) return {};
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new MlgateError(
      "usage",
      `the event payload ${path} could not be read: ${(error as Error).message}`,
      {
        location: { file: path },
        hint: "GITHUB_EVENT_PATH must name the JSON payload the runner wrote",
      },
    );
  }
  const result = Payload.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new MlgateError(
      "usage",
      `the event payload does not look like GitHub's: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? ""}`,
      { location: { file: path } },
    );
  }
  return result.data;
}

/** `https://ghe.example/api/v3/` → `https://ghe.example/api/v3`; a loop, where `/\/+$/` rescans every run. */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === "/") end--;
  return url.slice(0, end);
}
