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

  it("keeps every body an issue had in its edit history, and locks it (204), again too", async () => {
    const { owner, repo, fullName } = repository();
    const filed = await octokit().rest.issues.create({ owner, repo, title: "Report", body: "first" });
    const issue_number = filed.data.number;
    await octokit().rest.issues.update({ owner, repo, issue_number, body: "second" });
    await octokit().rest.issues.update({ owner, repo, issue_number, body: "second", state: "closed" });
    const locked = await octokit().rest.issues.lock({ owner, repo, issue_number, lock_reason: "resolved" });
    expect(locked.status).toBe(204);
    expect((await octokit().rest.issues.lock({ owner, repo, issue_number })).status).toBe(204);
    const { data } = await octokit().rest.issues.listForRepo({ owner, repo, state: "closed" });
    expect(data).toEqual([expect.objectContaining({ locked: true, active_lock_reason: "resolved" })]);
    expect(sim.issues(fullName)).toEqual([
      expect.objectContaining({
        body: "second",
        body_history: ["first", "second"],
        locked: true,
        active_lock_reason: "resolved",
      }),
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

/** An App's JWT: the simulator checks its shape, `iss` and `exp`, not its signature. */
function appJwt(appId: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 60, exp: now + 600, iss: appId })}.signature`;
}

let installationCounter = 500;

/** An organization with repositories (one commit each) and the App installed on it; returns a minted token. */
async function installedOrg(options: {
  repos: string[];
  selected?: string[];
  files?: (name: string) => Record<string, string>;
}) {
  const org = `org-${++installationCounter}`;
  const appId = 9000 + installationCounter;
  for (const name of options.repos) {
    sim.addRepo({ owner: org, name });
    const files = options.files?.(name) ?? { "README.md": `# ${name}\n` };
    sim.addCommit(`${org}/${name}`, { files, branch: "main" });
  }
  const id = installationCounter;
  sim.addInstallation({
    id,
    appId,
    appSlug: "mlgate-app",
    account: org,
    repositories: options.selected?.map((name) => `${org}/${name}`) ?? "all",
  });
  const minted = await octokit(appJwt(appId)).rest.apps.createInstallationAccessToken({
    installation_id: id,
  });
  return { org, appId, id, token: minted.data.token };
}

describe("installation scope", () => {
  it("lets an installation token see only its account's selected repositories, like GitHub", async () => {
    const { org, id, token } = await installedOrg({ repos: ["a", "b", "c"], selected: ["a", "b"] });
    const outsider = repository();
    const app = octokit(token);
    await expect(
      app.rest.repos.getContent({ owner: org, repo: "a", path: "README.md" }),
    ).resolves.toMatchObject({
      status: 200,
    });
    expect(
      (await failure(app.rest.repos.getContent({ owner: org, repo: "c", path: "README.md" }))).status,
    ).toBe(404);
    const foreign = await failure(
      app.rest.pulls.get({ owner: outsider.owner, repo: outsider.repo, pull_number: 1 }),
    );
    expect(foreign).toMatchObject({ status: 404, data: { message: "Not Found" } });

    const query = `{ a: repository(owner: "${org}", name: "a") { name } c: repository(owner: "${org}", name: "c") { name } }`;
    const hidden: unknown = await app.graphql(query).catch((e: unknown) => e);
    expect(hidden).toMatchObject({
      data: { a: { name: "a" }, c: null },
      errors: [
        {
          type: "NOT_FOUND",
          path: ["c"],
          message: `Could not resolve to a Repository with the name '${org}/c'.`,
        },
      ],
    });

    // Repositories added to the installation are visible to tokens already minted.
    sim.setInstallationRepositories(id, "all");
    await expect(app.graphql(query)).resolves.toEqual({ a: { name: "a" }, c: { name: "c" } });
    sim.removeInstallation(id);
    expect(
      (await failure(app.rest.repos.getContent({ owner: org, repo: "a", path: "README.md" }))).status,
    ).toBe(401);
  });

  it("narrows a token to the repositories asked for when it is minted", async () => {
    const { org, appId, id } = await installedOrg({ repos: ["a", "b"] });
    const minted = await octokit(appJwt(appId)).rest.apps.createInstallationAccessToken({
      installation_id: id,
      repositories: ["b"],
    });
    expect(minted.data.repository_selection).toBe("selected");
    expect(minted.data.repositories?.map((repo) => repo.full_name)).toEqual([`${org}/b`]);
    const narrowed = octokit(minted.data.token);
    expect(
      (await failure(narrowed.rest.repos.getContent({ owner: org, repo: "a", path: "README.md" }))).status,
    ).toBe(404);
    const outside = await failure(
      octokit(appJwt(appId)).rest.apps.createInstallationAccessToken({
        installation_id: id,
        repositories: ["not-there"],
      }),
    );
    expect(outside.status).toBe(422);
  });

  it("lists the installation's repositories page by page with total_count and a Link header", async () => {
    const names = ["r1", "r2", "r3", "r4", "r5"];
    const { org, token } = await installedOrg({ repos: names });
    const app = octokit(token);
    const first = await app.rest.apps.listReposAccessibleToInstallation({ per_page: 2 });
    expect(first.data).toMatchObject({ total_count: 5, repository_selection: "all" });
    expect(first.data.repositories.map((repo) => repo.name)).toEqual(["r1", "r2"]);
    expect(first.headers.link).toContain('page=2>; rel="next"');
    expect(first.headers.link).toContain('page=3>; rel="last"');
    const all = await app.paginate(app.rest.apps.listReposAccessibleToInstallation, { per_page: 2 });
    expect(all.map((repo) => repo.full_name)).toEqual(names.map((name) => `${org}/${name}`));
    expect(all[0]).toMatchObject({ archived: false, visibility: "public", owner: { type: "Organization" } });

    const personal = await failure(octokit(USER).rest.apps.listReposAccessibleToInstallation());
    expect(personal).toMatchObject({
      status: 403,
      data: {
        message:
          "You must authenticate with an installation access token in order to list repositories for an installation.",
      },
    });
  });

  it("answers the App's JWT endpoints: the App, and its installation on a repository and an organization", async () => {
    const { org, appId, id } = await installedOrg({ repos: ["a"], selected: ["a"] });
    sim.addRepo({ owner: org, name: "not-selected" });
    const asApp = octokit(appJwt(appId));
    const app = await asApp.rest.apps.getAuthenticated();
    expect(app.data).toMatchObject({ id: appId, slug: "mlgate-app", installations_count: 1 });
    const onRepo = await asApp.rest.apps.getRepoInstallation({ owner: org, repo: "a" });
    expect(onRepo.data).toMatchObject({
      id,
      app_id: appId,
      target_type: "Organization",
      repository_selection: "selected",
      account: { login: org },
    });
    const onOrg = await asApp.rest.apps.getOrgInstallation({ org });
    expect(onOrg.data.id).toBe(id);
    expect(
      (await failure(asApp.rest.apps.getRepoInstallation({ owner: org, repo: "not-selected" }))).status,
    ).toBe(404);
    const unknownApp = await failure(octokit(appJwt(1)).rest.apps.getAuthenticated());
    expect(unknownApp).toMatchObject({ status: 404, data: { message: "Integration not found" } });
    expect((await failure(octokit(WRITE).rest.apps.getOrgInstallation({ org }))).status).toBe(401);
  });
});

describe("repository lifecycle", () => {
  it("shows archived, visibility and pushed_at, and refuses writes to an archived repository", async () => {
    const { owner, repo, fullName, number } = repository();
    sim.addRepo({
      owner,
      name: `${repo}-internal`,
      visibility: "internal",
      pushedAt: "2024-05-01T10:00:00Z",
    });
    sim.archiveRepo(fullName);
    const write = await failure(
      octokit().rest.issues.createComment({ owner, repo, issue_number: number, body: "x" }),
    );
    expect(write).toMatchObject({
      status: 403,
      data: { message: "Repository was archived so is read-only." },
    });
    await expect(octokit().rest.pulls.get({ owner, repo, pull_number: number })).resolves.toMatchObject({
      status: 200,
    });
    const result = await octokit().graphql<Record<string, unknown>>(
      `{ archived: repository(owner: "${owner}", name: "${repo}") { isArchived visibility isPrivate }
         internal: repository(owner: "${owner}", name: "${repo}-internal") { isArchived visibility isPrivate pushedAt } }`,
    );
    expect(result).toEqual({
      archived: { isArchived: true, visibility: "PUBLIC", isPrivate: false },
      internal: {
        isArchived: false,
        visibility: "INTERNAL",
        isPrivate: true,
        pushedAt: "2024-05-01T10:00:00Z",
      },
    });
  });

  it("redirects REST requests for a renamed repository's old name, and GraphQL follows renames unless told not to", async () => {
    const { owner, repo, fullName, number } = repository();
    sim.renameRepo(fullName, `${repo}-renamed`);
    sim.resetRequests();
    const pull = await octokit().rest.pulls.get({ owner, repo, pull_number: number });
    expect(pull.data.base.repo.full_name).toBe(`${owner}/${repo}-renamed`);
    const comment = await octokit().rest.issues.createComment({
      owner,
      repo,
      issue_number: number,
      body: "moved",
    });
    expect(comment.status).toBe(201);
    expect(sim.requests.map((r) => [r.method, r.status])).toEqual([
      ["GET", 301],
      ["GET", 200],
      ["POST", 307],
      ["POST", 201],
    ]);
    expect(sim.requests[1]?.path).toMatch(/^\/repositories\/\d+\/pulls\/1$/);

    const followed = await octokit().graphql<{ repository: { name: string } }>(
      `{ repository(owner: "${owner}", name: "${repo}") { name } }`,
    );
    expect(followed.repository.name).toBe(`${repo}-renamed`);
    const strict: unknown = await octokit()
      .graphql(`{ repository(owner: "${owner}", name: "${repo}", followRenames: false) { name } }`)
      .catch((e: unknown) => e);
    expect(strict).toMatchObject({ errors: [{ type: "NOT_FOUND" }] });

    sim.deleteRepo(`${owner}/${repo}-renamed`);
    expect((await failure(octokit().rest.pulls.get({ owner, repo, pull_number: number }))).status).toBe(404);
  });
});

describe("pull request files and git trees", () => {
  it("lists a pull request's files against the merge base, with renames, page by page", async () => {
    const owner = "acme";
    const repo = `files-${++repoCounter}`;
    const fullName = `${owner}/${repo}`;
    sim.addRepo({ owner, name: repo });
    const base = { "keep.txt": "k\n", "edit.txt": "1\n", "gone.txt": "g\n", "old/name.yml": "same\n" };
    const root = sim.addCommit(fullName, { files: base, branch: "main" });
    const head = sim.addCommit(fullName, {
      parents: [root],
      branch: "topic",
      files: { "keep.txt": "k\n", "edit.txt": "2\n", "new/name.yml": "same\n", "added.txt": "a\n" },
    });
    // main moves on after the branch point; its change is not the pull request's.
    sim.addCommit(fullName, { files: { ...base, "main-only.txt": "m\n" }, branch: "main" });
    const number = sim.addPullRequest(fullName, { headSha: head, headRef: "topic", baseRef: "main" });

    const files = await octokit().paginate(octokit().rest.pulls.listFiles, {
      owner,
      repo,
      pull_number: number,
      per_page: 2,
    });
    expect(files.map((f) => [f.filename, f.status, f.previous_filename])).toEqual([
      ["added.txt", "added", undefined],
      ["edit.txt", "modified", undefined],
      ["gone.txt", "removed", undefined],
      ["new/name.yml", "renamed", "old/name.yml"],
    ]);
    expect(files[1]).toMatchObject({ additions: 1, deletions: 1, changes: 2 });
  });

  it("returns a tree recursively with paths relative to it, for any value of `recursive`", async () => {
    const { owner, repo } = repository({ "a.txt": "a\n", "src/b.ts": "b\n", "src/lib/c.ts": "c\n" });
    const flat = await octokit().rest.git.getTree({ owner, repo, tree_sha: "main" });
    expect(flat.data.tree.map((entry) => [entry.path, entry.type, entry.mode])).toEqual([
      ["a.txt", "blob", "100644"],
      ["src", "tree", "040000"],
    ]);
    const src = flat.data.tree[1]?.sha ?? "";
    for (const recursive of ["1", "0"]) {
      const deep = await octokit().rest.git.getTree({ owner, repo, tree_sha: src, recursive });
      expect(deep.data.tree.map((entry) => entry.path)).toEqual(["b.ts", "lib", "lib/c.ts"]);
      expect(deep.data.truncated).toBe(false);
    }
  });
});

describe("GraphQL at organization scale", () => {
  const treeQuery = (org: string, names: string[]) => `{
    ${names
      .map(
        (name, i) => `r${i}: repository(owner: "${org}", name: "${name}") {
          defaultBranchRef { target { ... on Commit { oid tree { entries { name type path
            object { ... on Blob { text byteSize isTruncated } ... on Tree { entries { name type path object { ... on Blob { text } } } } } } } } } }
          m: object(expression: "HEAD:.github/mlops-maturity.yml") { ... on Blob { text } }
        }`,
      )
      .join("\n")}
  }`;

  it("reads files of many repositories in one query: HEAD, branch and sha expressions, null for a missing path", async () => {
    const { org, token } = await installedOrg({
      repos: ["one", "two"],
      files: (name) =>
        name === "one"
          ? { ".github/mlops-maturity.yml": "level: 2\n", "src/model.py": "print(1)\n" }
          : { "README.md": "two\n" },
    });
    const app = octokit(token);
    type Repo = {
      defaultBranchRef: { target: { oid: string; tree: { entries: Array<Record<string, unknown>> } } };
      m: { text: string } | null;
    };
    const result = await app.graphql<Record<string, Repo>>(treeQuery(org, ["one", "two"]));
    expect(result["r0"]?.m).toEqual({ text: "level: 2\n" });
    expect(result["r1"]?.m).toBeNull();
    expect(result["r0"]?.defaultBranchRef.target.tree.entries).toEqual([
      {
        name: ".github",
        type: "tree",
        path: ".github",
        object: {
          entries: [expect.objectContaining({ name: "mlops-maturity.yml", object: { text: "level: 2\n" } })],
        },
      },
      {
        name: "src",
        type: "tree",
        path: "src",
        object: { entries: [expect.objectContaining({ path: "src/model.py" })] },
      },
    ]);
    const sha = result["r0"]?.defaultBranchRef.target.oid ?? "";
    const expressions = await app.graphql<{ repository: Record<string, unknown> }>(
      `{ repository(owner: "${org}", name: "one") {
          head: object(expression: "HEAD:.github/mlops-maturity.yml") { ... on Blob { text } }
          branch: object(expression: "main:.github/mlops-maturity.yml") { ... on Blob { text } }
          sha: object(expression: "${sha}:.github/mlops-maturity.yml") { ... on Blob { text } }
          missing: object(expression: "HEAD:no/such/file.yml") { ... on Blob { text } }
          noBranch: object(expression: "nope:.github/mlops-maturity.yml") { ... on Blob { text } }
      } }`,
    );
    expect(expressions.repository).toEqual({
      head: { text: "level: 2\n" },
      branch: { text: "level: 2\n" },
      sha: { text: "level: 2\n" },
      missing: null,
      noBranch: null,
    });
  });

  it("charges each query at least one point from the caller's window, connections by page, dryRun nothing", async () => {
    const { org, token } = await installedOrg({ repos: ["a"] });
    const app = octokit(token);
    type Rate = {
      rateLimit: { cost: number; remaining: number; used: number; limit: number; nodeCount: number };
    };
    const first = await app.graphql<Rate>("{ rateLimit { cost remaining used limit nodeCount } }");
    expect(first.rateLimit).toMatchObject({ cost: 1, limit: 5000, remaining: 4999, used: 1, nodeCount: 0 });
    const connections = await app.graphql<Rate>(
      `{ rateLimit { cost remaining nodeCount }
         organization(login: "${org}") { repositories(first: 100) { nodes { object(expression: "HEAD") {
           ... on Commit { history(first: 100) { totalCount } } } } } } }`,
    );
    // 1 request for the repositories + 100 for their histories = 101 requests, 1 point; 100 + 100 × 100 nodes.
    expect(connections.rateLimit).toEqual({ cost: 1, remaining: 4998, nodeCount: 10_100 });
    const dry = await app.graphql<Rate>("{ rateLimit(dryRun: true) { cost remaining } }");
    expect(dry.rateLimit).toEqual({ cost: 1, remaining: 4998 });
    expect(sim.rateLimit(token).graphql).toMatchObject({ used: 2, remaining: 4998 });
    // Another token has its own window.
    const other = await octokit(WRITE).graphql<Rate>("{ rateLimit { remaining limit } }");
    expect(other.rateLimit.limit).toBe(1000);
  });

  it("counts REST requests in the core window; GET /rate_limit is free", async () => {
    const { org, token } = await installedOrg({ repos: ["a"] });
    const app = octokit(token);
    const read = await app.rest.repos.getContent({ owner: org, repo: "a", path: "README.md" });
    expect(read.headers["x-ratelimit-remaining"]).toBe("4999");
    expect(read.headers["x-ratelimit-resource"]).toBe("core");
    const limits = await app.rest.rateLimit.get();
    expect(limits.data.resources.core).toMatchObject({ limit: 5000, used: 1, remaining: 4999 });
    expect(limits.data.rate.used).toBe(1);
  });

  it("pages through an organization's visible repositories and filters archived ones", async () => {
    const { org, token } = await installedOrg({ repos: ["z", "y", "x", "w"], selected: ["z", "y", "x"] });
    sim.archiveRepo(`${org}/y`);
    const app = octokit(token);
    type Page = {
      organization: {
        repositories: {
          totalCount: number;
          nodes: { name: string }[];
          pageInfo: { endCursor: string; hasNextPage: boolean };
        };
      };
    };
    const query = `query($org: String!, $after: String) { organization(login: $org) {
      repositories(first: 2, after: $after, orderBy: { field: NAME, direction: ASC }) {
        totalCount nodes { name } pageInfo { endCursor hasNextPage } } } }`;
    const page1 = await app.graphql<Page>(query, { org });
    expect(page1.organization.repositories).toMatchObject({
      totalCount: 3,
      nodes: [{ name: "x" }, { name: "y" }],
    });
    const page2 = await app.graphql<Page>(query, {
      org,
      after: page1.organization.repositories.pageInfo.endCursor,
    });
    expect(page2.organization.repositories).toMatchObject({
      nodes: [{ name: "z" }],
      pageInfo: { hasNextPage: false },
    });
    const active = await app.graphql<Page>(
      `{ organization(login: "${org}") { repositories(first: 10, isArchived: false) { totalCount nodes { name } } } }`,
    );
    expect(active.organization.repositories.nodes.map((n) => n.name)).toEqual(["z", "x"]);
    const missing: unknown = await app
      .graphql(`{ organization(login: "no-such-org") { login } }`)
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({
      errors: [
        {
          type: "NOT_FOUND",
          message: "Could not resolve to an Organization with the login of 'no-such-org'.",
        },
      ],
    });
  });

  it("answers an organization of 1,000 repositories of ~10 files in 20 queries of 50 repositories", async () => {
    const big = await startGitHubSimulator();
    try {
      const org = "thousand";
      const names = Array.from({ length: 1000 }, (_, i) => `repo-${String(i).padStart(4, "0")}`);
      names.forEach((name, i) => {
        big.addRepo({ owner: org, name });
        const files: Record<string, string> = {
          "README.md": `# ${name}\n`,
          "src/train.py": `seed = ${i}\n`,
          "src/eval.py": `print(${i})\n`,
          "data/schema.json": `{"repo": ${i}}\n`,
          "metrics/latest.json": `{"accuracy": 0.${i}}\n`,
          "docs/model-card.md": `card ${i}\n`,
          "tests/test_model.py": "def test(): pass\n",
          ".github/workflows/ci.yml": "on: push\n",
          "requirements.txt": "numpy\n",
        };
        if (i % 3 === 0) files[".github/mlops-maturity.yml"] = `level: ${i % 5}\n`;
        big.addCommit(`${org}/${name}`, { files, branch: "main" });
      });
      big.addInstallation({ id: 1, appId: 77, appSlug: "mlgate-app", account: org });
      const minted = await getOctokit(appJwt(77), {
        baseUrl: big.url,
      }).rest.apps.createInstallationAccessToken({
        installation_id: 1,
      });
      const app = getOctokit(minted.data.token, { baseUrl: big.url });
      big.resetRequests();
      let withConfig = 0;
      for (let start = 0; start < names.length; start += 50) {
        const batch = names.slice(start, start + 50);
        const result = await app.graphql<
          Record<string, { m: { text: string } | null; defaultBranchRef: unknown }>
        >(treeQuery(org, batch));
        expect(Object.keys(result)).toHaveLength(50);
        expect(Object.values(result).every((repo) => repo.defaultBranchRef !== null)).toBe(true);
        withConfig += Object.values(result).filter((repo) => repo.m !== null).length;
      }
      expect(withConfig).toBe(334);
      expect(big.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(
        Array.from({ length: 20 }, () => "POST /graphql 200"),
      );
      expect(big.rateLimit(minted.data.token).graphql).toMatchObject({ used: 20, limit: 12_500 });
      expect(big.invalidRequests).toEqual([]);
    } finally {
      await big.close();
    }
  });
});
