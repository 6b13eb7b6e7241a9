// The GitHub simulator itself, driven by real Octokit (as the Action and the App use it) and raw fetch:
// what a test author relies on when pointing code at it instead of api.github.com.
import { getOctokit } from "@actions/github";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startGitHubSimulator, type GitHubSimulator } from "./support/github-sim/index.js";

const WRITE = "ghs_simwrite";
const READ = "ghs_simread";
const USER = "ghp_simuser";
const BOT = "github-actions[bot]";

let sim: GitHubSimulator;
let repoCounter = 0;

beforeAll(async () => {
  sim = await startGitHubSimulator();
  const actions = { type: "Bot", appSlug: "github-actions", appId: 15368 } as const;
  sim.addToken(WRITE, { login: BOT, permissions: "write", ...actions });
  sim.addToken(READ, { login: BOT, permissions: "read", ...actions });
  sim.addToken(USER, { login: "octocat", type: "User", permissions: "write" });
});
afterAll(async () => sim.close());
afterEach(() => {
  expect(sim.invalidResponses).toEqual([]);
  expect(sim.invalidRequests).toEqual([]);
});

function octokit(token = WRITE) {
  return getOctokit(token, { baseUrl: sim.url });
}

/** A fresh repository with one commit on main and an open pull request #1 from `feature`. */
function repository(files: Record<string, string | Uint8Array> = { "README.md": "hello\n" }) {
  const owner = "acme";
  const repo = `sim-${++repoCounter}`;
  const fullName = `${owner}/${repo}`;
  sim.addRepo({ owner, name: repo });
  const main = sim.addCommit(fullName, { files, branch: "main", message: "Initial commit" });
  const head = sim.addCommit(fullName, { files: { ...files, "feature.txt": "new\n" }, branch: "feature" });
  const number = sim.addPullRequest(fullName, { headSha: head, headRef: "feature", baseRef: "main" });
  return { owner, repo, fullName, main, head, number };
}

interface Failure {
  status: number;
  message: string;
  data: Record<string, unknown>;
  headers: Record<string, string | undefined>;
}

/** The RequestError an Octokit call rejects with. */
async function failure(call: Promise<unknown>): Promise<Failure> {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error) || !("status" in error))
    throw new Error(`expected a RequestError, got ${String(error)}`);
  const response = (error as { response?: { data?: unknown; headers?: Record<string, string | undefined> } })
    .response;
  return {
    status: Number(error.status),
    message: error.message,
    data: (response?.data ?? {}) as Record<string, unknown>,
    headers: response?.headers ?? {},
  };
}

/** The invalid requests recorded since the last call, taken out so afterEach sees none. */
function takeInvalid() {
  return sim.invalidRequests.splice(0);
}

describe("issue comments", () => {
  it("pages through comments with a Link header that Octokit's paginate follows", async () => {
    const { owner, repo, fullName, number } = repository();
    for (let i = 1; i <= 5; i++) sim.addComment(fullName, number, { body: `comment ${i}`, login: "octocat" });
    const first = await octokit().rest.issues.listComments({
      owner,
      repo,
      issue_number: number,
      per_page: 2,
    });
    expect(first.data.map((c) => c.body)).toEqual(["comment 1", "comment 2"]);
    expect(first.headers.link).toContain('page=2>; rel="next"');
    expect(first.headers.link).toContain('page=3>; rel="last"');

    sim.resetRequests();
    const all = await octokit().paginate(octokit().rest.issues.listComments, {
      owner,
      repo,
      issue_number: number,
      per_page: 2,
    });
    expect(all.map((c) => c.body)).toEqual(["comment 1", "comment 2", "comment 3", "comment 4", "comment 5"]);
    expect(sim.requests.map((r) => new URL(r.path, sim.url).searchParams.get("page"))).toEqual([
      null,
      "2",
      "3",
    ]);
  });

  it("creates a comment as the token's bot and updates the same comment", async () => {
    const { owner, repo, fullName, number } = repository();
    const created = await octokit().rest.issues.createComment({
      owner,
      repo,
      issue_number: number,
      body: "first",
    });
    expect(created.status).toBe(201);
    expect(created.data.user).toMatchObject({ login: BOT, type: "Bot" });
    expect(created.data.html_url).toBe(
      `https://github.com/${fullName}/pull/${number}#issuecomment-${created.data.id}`,
    );

    const updated = await octokit().rest.issues.updateComment({
      owner,
      repo,
      comment_id: created.data.id,
      body: "second",
    });
    expect(updated.data.id).toBe(created.data.id);
    expect(sim.comments(fullName, number)).toEqual([
      expect.objectContaining({ id: created.data.id, body: "second", user: { login: BOT, type: "Bot" } }),
    ]);
  });

  it("accepts a 65,536-character body and rejects a longer one as GitHub does", async () => {
    const { owner, repo, fullName, number } = repository();
    await octokit().rest.issues.createComment({
      owner,
      repo,
      issue_number: number,
      body: "x".repeat(65_536),
    });
    const tooLong = await failure(
      octokit().rest.issues.createComment({ owner, repo, issue_number: number, body: "x".repeat(65_537) }),
    );
    expect(tooLong.status).toBe(422);
    expect(tooLong.message).toContain("Body is too long (maximum is 65536 characters)");
    expect(sim.comments(fullName, number)).toHaveLength(1);
    expect(takeInvalid()).toEqual([expect.objectContaining({ method: "POST", kind: "invalidRequest" })]);
  });

  it("gives a read-only token 403 on writes while reads and GraphQL still work", async () => {
    const { owner, repo, fullName, number } = repository();
    const refused = await failure(
      octokit(READ).rest.issues.createComment({ owner, repo, issue_number: number, body: "x" }),
    );
    expect(refused.status).toBe(403);
    expect(refused.data).toMatchObject({ message: "Resource not accessible by integration", status: "403" });
    expect(sim.comments(fullName, number)).toEqual([]);
    await expect(octokit(READ).rest.pulls.get({ owner, repo, pull_number: number })).resolves.toMatchObject({
      status: 200,
    });
    await expect(
      octokit(READ).graphql<{ viewer: { login: string } }>("{ viewer { login } }"),
    ).resolves.toEqual({
      viewer: { login: BOT },
    });
  });
});

describe("issues", () => {
  it("files an issue with labels, lists it by label and creator, and closes it", async () => {
    const { owner, repo, fullName, number } = repository();
    const filed = await octokit().rest.issues.create({
      owner,
      repo,
      title: "Gate failed on main",
      body: "details",
      labels: ["mlgate", { name: "regression" }],
    });
    expect(filed.data.number).toBe(number + 1);
    expect(filed.data.labels.map((label) => (typeof label === "string" ? label : label.name))).toEqual([
      "mlgate",
      "regression",
    ]);
    const byLabel = await octokit().rest.issues.listForRepo({
      owner,
      repo,
      labels: "mlgate,regression",
      creator: BOT,
    });
    expect(byLabel.data.map((issue) => issue.number)).toEqual([filed.data.number]);
    const withPulls = await octokit().rest.issues.listForRepo({ owner, repo });
    expect(withPulls.data.map((issue) => [issue.number, issue.pull_request !== undefined])).toEqual([
      [filed.data.number, false],
      [number, true],
    ]);

    await octokit().rest.issues.update({ owner, repo, issue_number: filed.data.number, state: "closed" });
    const open = await octokit().rest.issues.listForRepo({ owner, repo, labels: "mlgate" });
    expect(open.data).toEqual([]);
    expect(sim.issues(fullName)).toEqual([
      expect.objectContaining({ title: "Gate failed on main", state: "closed", state_reason: "completed" }),
    ]);
  });
});

describe("pull requests from forks", () => {
  it("shows the fork as the head repository, and leaves fork runs without pull requests as GitHub does", async () => {
    const { owner, repo, fullName, main } = repository();
    const forkHead = sim.addCommit(fullName, { parents: [main], files: { "README.md": "fork\n" } });
    const number = sim.addPullRequest(fullName, {
      headSha: forkHead,
      headRef: "main",
      baseRef: "main",
      headRepo: "contributor/fork",
      user: "contributor",
    });
    const pull = await octokit().rest.pulls.get({ owner, repo, pull_number: number });
    expect(pull.data.head).toMatchObject({
      label: "contributor:main",
      repo: { full_name: "contributor/fork", fork: true },
    });
    expect(pull.data.user.login).toBe("contributor");
    sim.addWorkflowRun(fullName, {
      headSha: forkHead,
      headBranch: "main",
      event: "pull_request",
      status: "completed",
      conclusion: "success",
      headRepo: "contributor/fork",
    });
    const [run] = (await octokit().rest.actions.listWorkflowRunsForRepo({ owner, repo, head_sha: forkHead }))
      .data.workflow_runs;
    expect(run?.pull_requests).toEqual([]);
    expect(run?.head_repository.full_name).toBe("contributor/fork");
    const associated = await octokit().rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: forkHead,
    });
    expect(associated.data.map((pr) => pr.number)).toEqual([number]);
  });
});

describe("request validation", () => {
  it("rejects and records a body that does not match GitHub's schema", async () => {
    const { owner, repo, number } = repository();
    const wrongType = await failure(
      octokit().rest.issues.createComment({
        owner,
        repo,
        issue_number: number,
        body: 42 as unknown as string,
      }),
    );
    expect(wrongType.status).toBe(422);
    expect(wrongType.data["message"]).toBe("Validation Failed");
    expect(takeInvalid()).toEqual([
      {
        kind: "invalidRequest",
        method: "POST",
        path: `/repos/${owner}/${repo}/issues/${number}/comments`,
        errors: ["body.body must be string"],
      },
    ]);
  });

  it("records a misspelt query parameter that GitHub would silently ignore", async () => {
    const { owner, repo, number } = repository();
    const misspelt = await failure(
      octokit().request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner,
        repo,
        issue_number: number,
        perpage: 100,
      }),
    );
    expect(misspelt.status).toBe(422);
    expect(takeInvalid()[0]?.errors).toEqual(["params must NOT have additional properties (perpage)"]);
  });

  it("answers malformed JSON, unknown routes and bad credentials like GitHub, recording the first two", async () => {
    const { owner, repo, number } = repository();
    const headers = { authorization: `Bearer ${WRITE}`, "content-type": "application/json" };
    const url = `${sim.url}/repos/${owner}/${repo}/issues/${number}/comments`;
    const malformed = await fetch(url, { method: "POST", headers, body: "{ not json" });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ message: "Problems parsing JSON" });

    const unknown = await fetch(`${sim.url}/repos/${owner}/${repo}/no-such-thing`, { headers });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest",
      status: "404",
    });
    expect(takeInvalid().map((r) => r.kind)).toEqual(["invalidRequest", "unknownRequest"]);

    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ message: "Bad credentials" });
    const wrongToken = await fetch(url, { headers: { authorization: "token ghs_unknown" } });
    expect(wrongToken.status).toBe(401);
  });
});

describe("check runs", () => {
  const annotation = (line: number) => ({
    path: "metrics.json",
    start_line: line,
    end_line: line,
    annotation_level: "warning" as const,
    message: `line ${line}`,
  });

  it("rejects more than 50 annotations in one request and keeps every annotation across updates", async () => {
    const { owner, repo, fullName, head } = repository();
    const tooMany = await failure(
      octokit().rest.checks.create({
        owner,
        repo,
        name: "mlgate",
        head_sha: head,
        output: {
          title: "t",
          summary: "s",
          annotations: Array.from({ length: 51 }, (_, i) => annotation(i + 1)),
        },
      }),
    );
    expect(tooMany.status).toBe(422);
    expect(takeInvalid()[0]?.errors).toEqual(["body.output.annotations must NOT have more than 50 items"]);

    const created = await octokit().rest.checks.create({
      owner,
      repo,
      name: "mlgate",
      head_sha: head,
      status: "in_progress",
      output: {
        title: "t",
        summary: "s",
        annotations: Array.from({ length: 50 }, (_, i) => annotation(i + 1)),
      },
    });
    expect(created.data.app).toMatchObject({ slug: "github-actions", id: 15368 });
    expect(created.data.html_url).toBe(`https://github.com/${fullName}/runs/${created.data.id}`);
    const updated = await octokit().rest.checks.update({
      owner,
      repo,
      check_run_id: created.data.id,
      conclusion: "failure",
      output: { title: "Done", summary: "2 failures", annotations: [annotation(51)] },
    });
    expect(updated.data).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(updated.data.output.annotations_count).toBe(51);
    const [run] = sim.checkRuns(fullName);
    expect(run?.annotations).toHaveLength(51);
    expect(run?.output).toEqual({ title: "Done", summary: "2 failures", text: null });
  });

  it("rejects a summary over 65,535 characters", async () => {
    const { owner, repo, fullName, head } = repository();
    const rejected = await failure(
      octokit().rest.checks.create({
        owner,
        repo,
        name: "mlgate",
        head_sha: head,
        output: { title: "t", summary: "s".repeat(65_536) },
      }),
    );
    expect(rejected.status).toBe(422);
    expect(takeInvalid()[0]?.errors).toEqual([
      "body.output.summary must NOT have more than 65535 characters",
    ]);
    expect(sim.checkRuns(fullName)).toEqual([]);
  });

  it("refuses a token that is not a GitHub App's, and lists the latest run per name for a branch", async () => {
    const { owner, repo, head } = repository();
    const personal = await failure(
      octokit(USER).rest.checks.create({ owner, repo, name: "mlgate", head_sha: head }),
    );
    expect(personal.status).toBe(403);
    await octokit().rest.checks.create({
      owner,
      repo,
      name: "mlgate",
      head_sha: head,
      conclusion: "failure",
    });
    const rerun = await octokit().rest.checks.create({
      owner,
      repo,
      name: "mlgate",
      head_sha: head,
      conclusion: "success",
    });
    const listed = await octokit().rest.checks.listForRef({ owner, repo, ref: "feature" });
    expect(listed.data.check_runs.map((run) => run.id)).toEqual([rerun.data.id]);
    const all = await octokit().rest.checks.listForRef({ owner, repo, ref: head, filter: "all" });
    expect(all.data.total_count).toBe(2);
  });
});

describe("the commit graph", () => {
  it("compares a branch that forked before main moved on: merge base, ahead/behind and changed files", async () => {
    const owner = "acme";
    const repo = `graph-${++repoCounter}`;
    const fullName = `${owner}/${repo}`;
    sim.addRepo({ owner, name: repo });
    const a = sim.addCommit(fullName, { files: { "a.txt": "1\n", "b.txt": "x\n" }, branch: "main" });
    sim.addCommit(fullName, { files: { "a.txt": "1\n", "b.txt": "x\n", "main.txt": "m\n" }, branch: "main" });
    sim.addCommit(fullName, {
      parents: [a],
      files: { "a.txt": "2\n", "b.txt": "x\n" },
      branch: "topic/model",
    });
    const d = sim.addCommit(fullName, { files: { "a.txt": "2\n", "new.txt": "n\n" }, branch: "topic/model" });

    const { data } = await octokit().rest.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead: "main...topic/model",
    });
    expect(data.merge_base_commit.sha).toBe(a);
    expect(data).toMatchObject({ status: "diverged", ahead_by: 2, behind_by: 1, total_commits: 2 });
    expect(data.commits.map((c) => c.sha).at(-1)).toBe(d);
    expect(data.files?.map((f) => [f.filename, f.status])).toEqual([
      ["a.txt", "modified"],
      ["b.txt", "removed"],
      ["new.txt", "added"],
    ]);
    const identical = await octokit().rest.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead: `${d}...${d}`,
    });
    expect(identical.data).toMatchObject({ status: "identical", ahead_by: 0, files: [] });
  });

  it("serves file contents as base64 at a ref, with git's blob sha, and 404 for a missing path", async () => {
    const { owner, repo, head } = repository({
      "config/mlgate.yml": "hello\n",
      "model.bin": new Uint8Array([0, 1, 2]),
    });
    const { data } = await octokit().rest.repos.getContent({
      owner,
      repo,
      path: "config/mlgate.yml",
      ref: "feature",
    });
    if (Array.isArray(data) || data.type !== "file") throw new Error("expected a file");
    expect(data.encoding).toBe("base64");
    expect(Buffer.from(data.content, "base64").toString("utf8")).toBe("hello\n");
    // `git hash-object` of "hello\n".
    expect(data.sha).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    expect(data.size).toBe(6);
    const binary = await octokit().rest.repos.getContent({ owner, repo, path: "model.bin", ref: head });
    expect(Buffer.from((binary.data as { content: string }).content, "base64")).toEqual(
      Buffer.from([0, 1, 2]),
    );
    const missing = await failure(
      octokit().rest.repos.getContent({ owner, repo, path: "nope.yml", ref: "main" }),
    );
    expect(missing.status).toBe(404);
    expect(missing.data).toMatchObject({ message: "Not Found" });
  });

  it("lists the open pull requests whose head is a commit", async () => {
    const { owner, repo, head, main, number } = repository();
    const forHead = await octokit().rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: head,
    });
    expect(forHead.data.map((pr) => pr.number)).toEqual([number]);
    expect(forHead.data[0]?.head).toMatchObject({ ref: "feature", sha: head });
    await octokit().rest.issues.update({ owner, repo, issue_number: number, labels: ["mlgate"] });
    const labelled = await octokit().rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: head,
    });
    expect(labelled.data[0]?.labels.map((label) => label.name)).toEqual(["mlgate"]);
    const forMain = await octokit().rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: main,
    });
    expect(forMain.data).toEqual([]);
    const pull = await octokit().rest.pulls.get({ owner, repo, pull_number: number });
    expect(pull.data).toMatchObject({ commits: 1, changed_files: 1, additions: 1, base: { sha: main } });
  });
});

describe("GraphQL", () => {
  it("answers the viewer and aliased blobs in one query, with null for a missing path", async () => {
    const { owner, repo, head } = repository({
      "config/a.yml": "a: 1\n",
      "data/b.bin": new Uint8Array([0, 255]),
    });
    const result = await octokit().graphql<{
      viewer: { login: string };
      repository: Record<string, unknown>;
    }>(
      `query($owner: String!, $name: String!) {
        viewer { login }
        repository(owner: $owner, name: $name) {
          nameWithOwner
          isPrivate
          defaultBranchRef { name target { oid } }
          a: object(expression: "main:config/a.yml") { ... on Blob { text byteSize isBinary isTruncated } }
          b: object(expression: "${head}:data/b.bin") { ... on Blob { text byteSize isBinary } }
          missing: object(expression: "main:nope.yml") { oid }
          dir: object(expression: "feature:config") { ... on Tree { entries { name path type mode } } }
        }
      }`,
      { owner, name: repo },
    );
    expect(result.viewer.login).toBe(BOT);
    expect(result.repository).toMatchObject({
      nameWithOwner: `${owner}/${repo}`,
      isPrivate: false,
      defaultBranchRef: { name: "main" },
      a: { text: "a: 1\n", byteSize: 5, isBinary: false, isTruncated: false },
      b: { text: null, byteSize: 2, isBinary: true },
      missing: null,
      dir: { entries: [{ name: "a.yml", path: "config/a.yml", type: "blob", mode: 33188 }] },
    });
  });

  it("walks a commit's history newest first, as git log does, and insists on `first` like GitHub", async () => {
    const { owner, repo, fullName, main } = repository();
    const second = sim.addCommit(fullName, { files: { "README.md": "v2\n" }, branch: "main" });
    const third = sim.addCommit(fullName, {
      files: { "README.md": "v2\n", "other.txt": "o\n" },
      branch: "main",
    });
    const query = `query($owner: String!, $name: String!, $rev: String!) {
      repository(owner: $owner, name: $name) {
        all: object(expression: $rev) { ... on Commit { history(first: 10) { nodes { oid } totalCount } } }
        readme: object(expression: $rev) { ... on Commit { history(first: 10, path: "README.md") { nodes { oid } } } }
      }
    }`;
    const result = await octokit().graphql<{
      repository: {
        all: { history: { nodes: { oid: string }[] } };
        readme: { history: { nodes: { oid: string }[] } };
      };
    }>(query, { owner, name: repo, rev: "main" });
    expect(result.repository.all.history.nodes.map((n) => n.oid)).toEqual([third, second, main]);
    expect(result.repository.readme.history.nodes.map((n) => n.oid)).toEqual([second, main]);

    const unbounded: unknown = await octokit()
      .graphql(
        `{ repository(owner: "${owner}", name: "${repo}") { object(expression: "main") { ... on Commit { history { totalCount } } } } }`,
      )
      .catch((e: unknown) => e);
    expect(unbounded).toMatchObject({ errors: [{ type: "MISSING_PAGINATION_BOUNDARIES" }] });
    expect(takeInvalid()).toHaveLength(1);
  });

  it("answers a query that does not validate with errors and status 200, and records it", async () => {
    const response = await fetch(`${sim.url}/graphql`, {
      method: "POST",
      headers: { authorization: `bearer ${WRITE}` },
      body: JSON.stringify({ query: "{ viewer { login email } }" }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: unknown; errors: Array<{ message: string }> };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]?.message).toContain('Cannot query field "email" on type "User"');
    expect(takeInvalid()).toEqual([expect.objectContaining({ method: "POST", path: "/graphql" })]);
  });

  it("reports a missing repository as GitHub's NOT_FOUND error, not as an invalid request", async () => {
    const error: unknown = await octokit()
      .graphql(`{ repository(owner: "acme", name: "missing") { nameWithOwner } }`)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      errors: [{ type: "NOT_FOUND", path: ["repository"] }],
      data: { repository: null },
    });
  });
});

describe("faults", () => {
  it("fires a fault the given number of times, then handles requests normally", async () => {
    const { owner, repo, fullName, number } = repository();
    sim.fault({ method: "POST", path: /\/comments$/, status: 502, times: 2 });
    const create = () =>
      octokit().rest.issues.createComment({ owner, repo, issue_number: number, body: "x" });
    sim.resetRequests();
    expect((await failure(create())).status).toBe(502);
    expect((await failure(create())).status).toBe(502);
    await create();
    expect(sim.requests.map((r) => r.status)).toEqual([502, 502, 201]);
    expect(sim.comments(fullName, number)).toHaveLength(1);
  });

  it("answers a secondary rate limit with the given headers and body", async () => {
    const { owner, repo, number } = repository();
    const message =
      "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";
    sim.fault({ method: "GET", status: 403, headers: { "retry-after": "1" }, body: { message } });
    const limited = await failure(octokit().rest.issues.listComments({ owner, repo, issue_number: number }));
    expect(limited.status).toBe(403);
    expect(limited.headers["retry-after"]).toBe("1");
    expect(limited.data).toEqual({ message });
  });

  it("with afterWrite, stores the comment and still answers 502", async () => {
    const { owner, repo, fullName, number } = repository();
    sim.fault({
      method: "POST",
      path: `/repos/${fullName}/issues/${number}/comments`,
      status: 502,
      afterWrite: true,
    });
    const answered = await failure(
      octokit().rest.issues.createComment({ owner, repo, issue_number: number, body: "once" }),
    );
    expect(answered.status).toBe(502);
    expect(sim.comments(fullName, number).map((c) => c.body)).toEqual(["once"]);
  });

  it("with delayMs only, answers slowly but normally", async () => {
    const { owner, repo, number } = repository();
    sim.fault({ method: "GET", path: /\/pulls\/\d+$/, delayMs: 300 });
    sim.resetRequests();
    const pull = await octokit().rest.pulls.get({ owner, repo, pull_number: number });
    expect(pull.data.number).toBe(number);
    expect(sim.requests[0]?.durationMs).toBeGreaterThanOrEqual(290);
  });
});

describe("Actions runs and artifacts", () => {
  it("filters workflow runs and downloads an artifact's zip through the redirect", async () => {
    const { owner, repo, fullName, head } = repository();
    const zip = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);
    const base = { headSha: head, headBranch: "feature", event: "pull_request", name: "CI" };
    sim.addWorkflowRun(fullName, { ...base, status: "completed", conclusion: "failure" });
    const runId = sim.addWorkflowRun(fullName, {
      ...base,
      status: "completed",
      conclusion: "success",
      artifacts: [
        { name: "mlgate-report", zip },
        { name: "old", zip, expired: true },
      ],
    });
    sim.addWorkflowRun(fullName, { ...base, headBranch: "main", status: "in_progress", conclusion: null });

    const runs = await octokit().rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      branch: "feature",
      status: "success",
    });
    expect(runs.data.workflow_runs.map((run) => run.id)).toEqual([runId]);
    const artifacts = await octokit().rest.actions.listWorkflowRunArtifacts({
      owner,
      repo,
      run_id: runId,
      name: "mlgate-report",
    });
    const [artifact] = artifacts.data.artifacts;
    if (!artifact) throw new Error("expected the artifact");
    const download = await octokit().rest.actions.downloadArtifact({
      owner,
      repo,
      artifact_id: artifact.id,
      archive_format: "zip",
    });
    expect(Buffer.from(download.data as ArrayBuffer)).toEqual(Buffer.from(zip));

    const [expired] = (await octokit().rest.actions.listArtifactsForRepo({ owner, repo, name: "old" })).data
      .artifacts;
    const gone = await failure(
      octokit().rest.actions.downloadArtifact({
        owner,
        repo,
        artifact_id: expired?.id ?? 0,
        archive_format: "zip",
      }),
    );
    expect(gone.status).toBe(410);
  });
});

describe("GitHub App installations", () => {
  function jwt(appId: number): string {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    return `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 60, exp: now + 600, iss: appId })}.signature`;
  }

  it("mints an installation token with an App JWT, which then works as the App's bot", async () => {
    const { owner, repo, fullName, number } = repository();
    sim.addInstallation({ id: 77, appId: 4242, appSlug: "mlgate" });
    const minted = await octokit(jwt(4242)).rest.apps.createInstallationAccessToken({ installation_id: 77 });
    expect(minted.status).toBe(201);
    const lifetime = Date.parse(minted.data.expires_at) - Date.now();
    expect(lifetime).toBeGreaterThan(59 * 60 * 1000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60 * 1000);

    const app = octokit(minted.data.token);
    const comment = await app.rest.issues.createComment({
      owner,
      repo,
      issue_number: number,
      body: "from the app",
    });
    expect(comment.data.user).toMatchObject({ login: "mlgate[bot]", type: "Bot" });
    expect(sim.requests.at(-1)?.token).toBe(minted.data.token);
    expect(sim.comments(fullName, number)[0]?.user).toEqual({ login: "mlgate[bot]", type: "Bot" });

    const wrongApp = await failure(
      octokit(jwt(1)).rest.apps.createInstallationAccessToken({ installation_id: 77 }),
    );
    expect(wrongApp.status).toBe(404);
    const notAJwt = await failure(
      octokit(WRITE).rest.apps.createInstallationAccessToken({ installation_id: 77 }),
    );
    expect(notAJwt.status).toBe(401);
  });
});
