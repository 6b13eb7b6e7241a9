// The one place the Action talks to GitHub: an Octokit from @actions/github with retries for 5xx and
// waits for rate limits, and the few reads the Action makes (who am I, files at a commit, a merge-base).
import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
// The throttling plugin's own engine, to set how writes are paced.
import Bottleneck from "bottleneck/light.js";
import { FileTooLarge } from "../src/check.js";
import { MAX_FILE_BYTES } from "../src/sources/file.js";
import type { Secrets } from "../src/secrets.js";
import { guardRequests } from "../github/outgoing.js";

export type Client = ReturnType<typeof getOctokit>;

/** Every request and how it ended, for the log's debug lines and the request-count benchmark. */
export interface RequestLog {
  count: number;
}

/** How long one request to GitHub may take before it is given up (and, as a 5xx would be, retried). */
export const REQUEST_TIMEOUT_MS = 30_000;

export function createClient(
  token: string,
  apiUrl: string,
  log: (line: string) => void,
  secrets: Secrets,
  timeoutMs: number = REQUEST_TIMEOUT_MS,
): Client {
  const client = getOctokit(
    token,
    {
      baseUrl: apiUrl,
      // Without a timeout a hung connection waits for the job's own (6 hours). A timed-out request fails
      // like a 5xx: retried twice, then a warning; the verdict never depends on GitHub answering.
      request: { fetch: withTimeout(timeoutMs) },
      throttle: {
        // The plugin paces writes (GraphQL queries included) 1 s apart and notifying writes (comments)
        // 3 s apart, for clients that write in bulk. A run writes two to a dozen times (annotations are
        // capped at 10 requests), one after another, far under GitHub's secondary limit of 80 content
        // writes a minute: pacing would only add seconds to every CI run.
        write: new Bottleneck.Group({ id: "mlgate-write", maxConcurrent: 1, minTime: 0 }),
        notifications: new Bottleneck.Group({ id: "mlgate-notifications", maxConcurrent: 1, minTime: 0 }),
        // Primary and secondary rate limits: wait as GitHub says, twice at most, then give up loudly.
        onRateLimit: (
          retryAfter: number,
          options: { method: string; url: string },
          _o: unknown,
          count: number,
        ) => {
          // The hourly limit may be an hour away: wait a minute at most, else report it.
          log(`GitHub rate limit on ${options.method} ${options.url}; reset in ${retryAfter} s`);
          return count < 2 && retryAfter <= 60;
        },
        onSecondaryRateLimit: (
          retryAfter: number,
          options: { method: string; url: string },
          _o: unknown,
          count: number,
        ) => {
          log(`GitHub secondary rate limit on ${options.method} ${options.url}; retrying in ${retryAfter} s`);
          return count < 2 && retryAfter <= 60;
        },
      },
      retry: { retries: 2 },
    },
    retry,
    throttling,
  );
  // Every text sent is scrubbed of the run's secrets and cut to what GitHub accepts.
  guardRequests(client, secrets);
  return client;
}

/**
 * fetch, each call given up after `timeoutMs` (as well as on the caller's own signal, if any). An explicit
 * timer rather than AbortSignal.timeout, which on Node 20 can be collected before it fires; left running
 * (unreferenced) to the deadline, so a body that stalls after the headers is cut too.
 */
function withTimeout(timeoutMs: number): typeof fetch {
  return (url, init = {}) => {
    const controller = new AbortController();
    const timer = setTimeout(
      () =>
        controller.abort(new DOMException(`GitHub did not answer within ${timeoutMs} ms`, "TimeoutError")),
      timeoutMs,
    );
    timer.unref();
    const signal = init.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
    return fetch(url, { ...init, signal });
  };
}

/** The HTTP status of a failed request, when it was one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * 403 without a rate limit: the token may not write here (a fork's or Dependabot's PR, or a workflow
 * whose `permissions:` leave out `pull-requests: write` or `checks: write`).
 */
export function isReadOnly(error: unknown): boolean {
  if (statusOf(error) !== 403) return false;
  const message = (error as { message?: unknown }).message;
  return !(typeof message === "string" && /rate limit/i.test(message));
}

export interface RepoRef {
  owner: string;
  repo: string;
}

/** The merge-base of a PR: the commit its changes are measured from. */
export async function mergeBase(client: Client, at: RepoRef, base: string, head: string): Promise<string> {
  const { data } = await client.rest.repos.compareCommitsWithBasehead({
    ...at,
    basehead: `${base}...${head}`,
    per_page: 1,
  });
  return data.merge_base_commit.sha;
}

export interface FileAt {
  commit: string;
  path: string;
  /** A larger blob is not downloaded: it reads as FileTooLarge. The file source's cap when absent. */
  maxBytes?: number;
}

interface BlobResult {
  byteSize: number;
  text: string | null;
  isBinary: boolean | null;
  isTruncated: boolean;
}

/**
 * One GraphQL request: the token's own login (the author of our comments), any number of files at
 * commits (null when the commit does not hold one), and optionally the ancestry of a commit (itself
 * first, newest first). Paths and commits travel as variables, never inside the query text.
 */
export async function readIdentityAndFiles(
  client: Client,
  at: RepoRef,
  files: readonly FileAt[],
  options: { identity: boolean; history?: string | undefined },
): Promise<{ login: string | undefined; files: Map<string, CommittedFile>; ancestors: string[] }> {
  const result = new Map<string, CommittedFile>();
  const history = options.history;
  if (!options.identity && files.length === 0 && !history)
    return { login: undefined, files: result, ancestors: [] };
  const declarations = [...files.map((_, i) => `$e${i}: String!`), ...(history ? ["$history: String!"] : [])];
  const selections = files.map(
    (_, i) => `f${i}: object(expression: $e${i}) { ... on Blob { byteSize text isBinary isTruncated } }`,
  );
  if (history) {
    selections.push(
      "history: object(expression: $history) { ... on Commit { history(first: 100) { nodes { oid } } } }",
    );
  }
  // GraphQL refuses a declared variable that the query does not use.
  const repository = selections.length > 0;
  const declared = [...(repository ? ["$owner: String!", "$name: String!"] : []), ...declarations];
  const query = [
    `query mlgate${declared.length > 0 ? `(${declared.join(", ")})` : ""} {`,
    options.identity ? "  viewer { login }" : "",
    repository ? `  repository(owner: $owner, name: $name) { ${selections.join(" ")} }` : "",
    "}",
  ].join("\n");
  const variables: Record<string, string> = repository ? { owner: at.owner, name: at.repo } : {};
  files.forEach((file, i) => (variables[`e${i}`] = `${file.commit}:${file.path}`));
  if (history) variables.history = history;
  const data = await client.graphql<{
    viewer?: { login: string };
    repository?:
      | (Record<string, BlobResult | null> & { history?: { history?: { nodes: { oid: string }[] } } | null })
      | null;
  }>(query, variables);
  for (const [i, file] of files.entries()) {
    const blob = (data.repository?.[`f${i}`] as BlobResult | null | undefined) ?? null;
    result.set(key(file), await blobBytes(client, at, file, blob));
  }
  const ancestors = data.repository?.history?.history?.nodes.map((node) => node.oid) ?? [];
  return { login: data.viewer?.login, files: result, ancestors };
}

export function key(file: FileAt): string {
  return `${file.commit}:${file.path}`;
}

/** A file at a commit: its bytes, null when the commit does not hold it, or too large to be read. */
export type CommittedFile = Uint8Array | null | FileTooLarge;

/**
 * GraphQL gives text only up to a size: a longer file is read whole, raw, through the contents API (up to
 * 100 MB), unless its size says it is over the cap: then nothing of it is downloaded.
 */
async function blobBytes(
  client: Client,
  at: RepoRef,
  file: FileAt,
  blob: BlobResult | null,
): Promise<CommittedFile> {
  if (!blob) return null;
  const maxBytes = file.maxBytes ?? MAX_FILE_BYTES;
  if (blob.byteSize > maxBytes) return new FileTooLarge(blob.byteSize, maxBytes);
  if (blob.text !== null && !blob.isTruncated) return new TextEncoder().encode(blob.text);
  const { data } = await client.rest.repos.getContent({
    ...at,
    path: file.path,
    ref: file.commit,
    mediaType: { format: "raw" },
  });
  const raw: unknown = data;
  if (typeof raw === "string") return new TextEncoder().encode(raw);
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  return null;
}

/**
 * The open PR whose head is `sha`, for the publishing side of a fork workflow. The workflow_run payload
 * lists PRs only for branches of this repository; a fork's PR is found by the commit or by its head label.
 */
export async function findPullRequest(
  client: Client,
  at: RepoRef,
  run: {
    headSha: string;
    headLabel: string | undefined;
    pullRequests: ReadonlyArray<{ number: number; baseSha: string }>;
  },
): Promise<{ number: number; baseSha: string } | undefined> {
  if (run.pullRequests[0] !== undefined) return run.pullRequests[0];
  const { data: byCommit } = await client.rest.repos.listPullRequestsAssociatedWithCommit({
    ...at,
    commit_sha: run.headSha,
  });
  const found = byCommit.find((pr) => pr.state === "open" && pr.head.sha === run.headSha);
  if (found) return { number: found.number, baseSha: found.base.sha };
  if (!run.headLabel) return undefined;
  const { data: byHead } = await client.rest.pulls.list({ ...at, state: "open", head: run.headLabel });
  const pr = byHead.find((p) => p.head.sha === run.headSha);
  return pr ? { number: pr.number, baseSha: pr.base.sha } : undefined;
}
