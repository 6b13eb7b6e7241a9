// The bundled Action against the GitHub simulator, as a runner runs it: real pull_request payloads, the
// sticky comment, the check run, baselines, forks, faults. Every request it makes is checked against
// GitHub's OpenAPI description by the simulator; none may be invalid.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  eventPayload,
  pullRequestPayload,
  exampleWorkspace,
  filesOf,
  runActionStep,
  writeIn,
  type StepResult,
} from "../support/action-step.js";
import { zipSync } from "fflate";
import { runCli } from "../support/cli.js";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";

const WRITE = "ghs_workflowtokenwrite";
const READ = "ghs_workflowtokenread";
const BOT = "github-actions[bot]";

let sim: GitHubSimulator;
let counter = 0;

beforeAll(async () => {
  sim = await startGitHubSimulator();
  sim.addToken(WRITE, {
    login: BOT,
    type: "Bot",
    permissions: "write",
    appSlug: "github-actions",
    appId: 15368,
  });
  sim.addToken(READ, {
    login: BOT,
    type: "Bot",
    permissions: "read",
    appSlug: "github-actions",
    appId: 15368,
  });
});
afterAll(async () => sim.close());
afterEach(() => {
  expect(sim.invalidRequests).toEqual([]);
});

const example = readFileSync(resolve("fixtures/example/mlgate.yml"), "utf8");
const COMMITTED = [
  ".github/mlgate.yml",
  "reports/metrics.json",
  "reports/classification_report.json",
  "reports/fairness.csv",
];

interface Scenario {
  repo: string;
  workspace: string;
  number: number;
  baseSha: string;
  headSha: string;
  mergeBase: string;
  payload: Record<string, unknown>;
}

/**
 * A repository whose main branch moved on after the PR branched: main@A (merge-base) -> main@B (base),
 * and the PR's head H on top of A. The workspace is the checkout of the PR.
 */
function pullRequestScenario(
  options: {
    baseConfig?: string;
    headConfig?: string;
    baseMetrics?: string;
    committed?: readonly string[];
    /** The PR comes from this fork (owner/name). */
    fork?: string;
  } = {},
): Scenario {
  const committed = options.committed ?? COMMITTED;
  const repo = `acme/credit-model-${++counter}`;
  const [owner, name] = repo.split("/") as [string, string];
  sim.addRepo({ owner, name, defaultBranch: "main" });
  const base = exampleWorkspace(options.baseConfig ?? example);
  if (options.baseMetrics) writeIn(base, "reports/metrics.json", options.baseMetrics);
  const mergeBase = sim.addCommit(repo, { files: filesOf(base, committed), branch: "main", message: "A" });
  const baseSha = sim.addCommit(repo, {
    parents: [mergeBase],
    files: { ...filesOf(base, committed), "README.md": "later work on main\n" },
    branch: "main",
    message: "B",
  });
  const workspace = exampleWorkspace(options.headConfig ?? example);
  const headSha = sim.addCommit(repo, {
    parents: [mergeBase],
    files: filesOf(workspace, committed),
    branch: "improve-model",
    message: "H",
  });
  const number = sim.addPullRequest(repo, {
    headSha,
    headRef: "improve-model",
    baseRef: "main",
    baseSha,
    ...(options.fork ? { headRepo: options.fork } : {}),
  });
  const payload = pullRequestPayload(
    repo,
    number,
    { sha: headSha, ref: "improve-model" },
    { sha: baseSha, ref: "main" },
  );
  return { repo, workspace, number, baseSha, headSha, mergeBase, payload };
}

function step(
  s: Scenario,
  inputs: Record<string, string> = {},
  token = WRITE,
  actor = "octocat",
): Promise<StepResult> {
  return runActionStep({
    apiUrl: sim.url,
    token,
    workspace: s.workspace,
    event: { name: "pull_request", payload: s.payload },
    repository: s.repo,
    sha: "f".repeat(40), // the merge commit refs/pull/N/merge that actions/checkout checks out
    ref: `refs/pull/${s.number}/merge`,
    actor,
    inputs,
  });
}

/** A push to main: the commit before it holds the example with `beforeMetrics`, the pushed one the example. */
function pushScenario(beforeMetrics?: string) {
  const repo = `acme/credit-model-${++counter}`;
  const [owner, name] = repo.split("/") as [string, string];
  sim.addRepo({ owner, name, defaultBranch: "main" });
  const earlier = exampleWorkspace();
  if (beforeMetrics) writeIn(earlier, "reports/metrics.json", beforeMetrics);
  const before = sim.addCommit(repo, { files: filesOf(earlier, COMMITTED), branch: "main", message: "A" });
  const workspace = exampleWorkspace();
  const sha = sim.addCommit(repo, {
    parents: [before],
    files: filesOf(workspace, COMMITTED),
    branch: "main",
    message: "B",
  });
  const payload = eventPayload("push.json");
  payload.before = before;
  payload.after = sha;
  const push = (inputs: Record<string, string> = {}) =>
    runActionStep({
      apiUrl: sim.url,
      token: WRITE,
      workspace,
      event: { name: "push", payload },
      repository: repo,
      sha,
      inputs,
    });
  return { repo, workspace, before, sha, push };
}

interface WrittenReport {
  status: string;
  baseline: { ref: string } | null;
  measurements: Array<{ name: string; status: string; baseline: { value: unknown } | null }>;
}

function reportIn(workspace: string): WrittenReport {
  return JSON.parse(readFileSync(resolve(workspace, "mlgate-report.json"), "utf8")) as WrittenReport;
}

/** The example's report as a zipped artifact, with the accuracy it claims set to `accuracy`. */
async function reportArtifact(accuracy: number): Promise<Uint8Array> {
  const workspace = exampleWorkspace();
  const checked = await runCli(
    ["check", "--config", ".github/mlgate.yml", "--cwd", workspace, "--format", "json"],
    { cwd: workspace },
  );
  const report = JSON.parse(checked.stdout) as { measurements: Array<{ name: string; value: unknown }> };
  for (const m of report.measurements) if (m.name === "accuracy") m.value = accuracy;
  return zipSync({ "mlgate-report.json": new TextEncoder().encode(JSON.stringify(report)) });
}

function accuracyBaseline(workspace: string): unknown {
  return reportIn(workspace).measurements.find((m) => m.name === "accuracy")?.baseline?.value;
}

function writes(repo: string) {
  return sim.requests.filter(
    (r) => r.method !== "GET" && !r.path.startsWith("/graphql") && r.path.includes(repo),
  );
}

describe("the Action on a pull request", () => {
  it("creates one sticky comment and a check run, then updates the same comment on a rerun", async () => {
    const s = pullRequestScenario();
    const first = await step(s);
    expect(first.code).toBe(0);
    const [comment] = sim.comments(s.repo, s.number);
    expect(sim.comments(s.repo, s.number)).toHaveLength(1);
    expect(comment?.user.login).toBe(BOT);
    expect(comment?.body.split("\n")[0]).toBe("<!-- mlgate:report key=default -->");
    expect(comment?.body).toContain("### ⚠️ mlgate: conformant with warnings");
    expect(first.outputs["comment-url"]).toBe(comment?.html_url);
    const runs = sim.checkRuns(s.repo);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: "mlgate", head_sha: s.headSha, conclusion: "neutral" });
    expect(runs[0]?.output.summary).toContain("mlgate: conformant with warnings");
    expect(first.outputs["check-run-url"]).toBe(runs[0]?.html_url);

    sim.resetRequests();
    const rerun = await step(s);
    expect(rerun.code).toBe(0);
    expect(sim.comments(s.repo, s.number)).toHaveLength(1);
    expect(sim.comments(s.repo, s.number)[0]?.id).toBe(comment?.id);
    expect(rerun.outputs["comment-url"]).toBe(comment?.html_url);
    // Steady state with a baseline: compare, one GraphQL read, list comments, update, check run.
    expect(sim.requests.length).toBeLessThanOrEqual(6);
  });

  it("when GitHub refuses the full report, the comment and the check run say this run's verdict, not the last one's", async () => {
    const s = pullRequestScenario();
    expect((await step(s)).code).toBe(0);
    const [before] = sim.comments(s.repo, s.number);
    expect(before?.body).toContain("conformant with warnings");
    // The next push fails a gate, and GitHub refuses the full report once, as the comment and the check run.
    writeIn(
      s.workspace,
      "reports/metrics.json",
      readFileSync(resolve("fixtures/example/reports/metrics.json"), "utf8").replace("0.9312", "0.5"),
    );
    const refusal = { status: 422, body: { message: "Validation Failed", errors: [{ code: "custom" }] } };
    sim.fault({ method: "PATCH", path: `/repos/${s.repo}/issues/comments/${before?.id}`, ...refusal });
    sim.fault({ method: "POST", path: `/repos/${s.repo}/check-runs`, ...refusal });
    const rerun = await step(s);
    expect(rerun.code).toBe(1);
    const [after] = sim.comments(s.repo, s.number);
    expect(after?.id).toBe(before?.id);
    expect(after?.body).toContain("mlgate: non-conformant");
    expect(after?.body).toContain("GitHub refused this run's full report as a comment");
    expect(after?.body).not.toContain("conformant with warnings");
    const run = sim.checkRuns(s.repo).at(-1);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run?.output.summary).toContain("GitHub refused this run's full report as a check run");
    expect(rerun.log).toContain("GitHub refused the full report as the PR comment");
    // Without the check run's annotations, they go through workflow commands.
    expect(rerun.commands.some((line) => /^::error .*file=\.github\/mlgate\.yml/.test(line))).toBe(true);
  });

  it("needs at most 4 requests on a rerun without a baseline", async () => {
    const s = pullRequestScenario();
    await step(s, { baseline: "none" });
    sim.resetRequests();
    await step(s, { baseline: "none" });
    expect(sim.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toHaveLength(4);
  });

  it("keeps one comment and one check run per comment-key (a matrix of models), and off posts none", async () => {
    const s = pullRequestScenario();
    await step(s, { "comment-key": "model a" });
    await step(s, { "comment-key": "model-a" });
    await step(s, { "comment-key": "model a" });
    await step(s, { comment: "off", "check-run": "false" });
    const comments = sim.comments(s.repo, s.number);
    expect(comments.map((c) => c.body.split("\n")[0])).toEqual([
      "<!-- mlgate:report key=model%20a -->",
      "<!-- mlgate:report key=model-a -->",
    ]);
    expect(sim.checkRuns(s.repo).map((r) => r.name)).toEqual([
      "mlgate (model a)",
      "mlgate (model-a)",
      "mlgate (model a)",
    ]);
  });

  it("posts a new comment on every run with comment: new", async () => {
    const s = pullRequestScenario();
    await step(s, { comment: "new" });
    await step(s, { comment: "new" });
    expect(sim.comments(s.repo, s.number)).toHaveLength(2);
  });

  it("leaves a comment with a copied marker from someone else alone and writes its own", async () => {
    const s = pullRequestScenario();
    const spoof = sim.addComment(s.repo, s.number, {
      body: "<!-- mlgate:report key=default -->\n### ✅ mlgate: conformant — all good, merge away",
      login: "mallory",
      type: "User",
    });
    await step(s);
    const comments = sim.comments(s.repo, s.number);
    expect(comments).toHaveLength(2);
    expect(comments.find((c) => c.id === spoof.id)?.body).toContain("all good, merge away");
    expect(comments.find((c) => c.user.login === BOT)?.body).toContain("conformant with warnings");
  });

  it("fails the step and the check run when a blocking gate fails, with annotations on the config lines", async () => {
    const strict = example.replace("gte: 0.90, baseline", "gte: 0.99, baseline");
    const s = pullRequestScenario({ baseConfig: strict, headConfig: strict });
    const result = await step(s);
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe("non-conformant");
    const [run] = sim.checkRuns(s.repo);
    expect(run?.conclusion).toBe("failure");
    const line = strict.split("\n").findIndex((l) => l.startsWith("  accuracy:")) + 1;
    expect(run?.annotations).toEqual([
      expect.objectContaining({
        path: ".github/mlgate.yml",
        start_line: line,
        annotation_level: "failure",
        title: "mlgate: accuracy failed",
      }),
      expect.objectContaining({ annotation_level: "warning", title: "mlgate: p95_ms warning" }),
    ]);
    expect(result.commands.at(-1)).toMatch(/^::error::mlgate: non-conformant/);
  });

  it("opens the comment with every loosened and removed gate when the PR relaxes the config", async () => {
    const loose = example
      .replace("gte: 0.90, baseline: { maxDrop: 0.01 }", "gte: 0.80")
      .replace(/^ {2}roc_auc:.*\n/m, "");
    const s = pullRequestScenario({ headConfig: loose });
    await step(s);
    const body = sim.comments(s.repo, s.number)[0]?.body ?? "";
    const lines = body.split("\n");
    expect(lines[1]).toBe("> [!WARNING]");
    expect(lines[2]).toContain("This change loosens the release gates: 1 gate loosened, 1 gate removed");
    expect(lines[2]).toContain(s.baseSha.slice(0, 7));
    expect(body).toContain(
      "**accuracy** (Release KPIs): target ≥ 0.9 → ≥ 0.8; baseline rule maxDrop 0.01 → removed",
    );
    expect(body).toContain("**roc\\_auc** (Release KPIs): removed \\(was ≥ 0.95, blocking\\)");
    expect(sim.checkRuns(s.repo)[0]?.output.summary?.startsWith("> [!WARNING]")).toBe(true);
  });

  it("judges with the base commit's thresholds under config-ref: base", async () => {
    const strict = example.replace("gte: 0.90, baseline", "gte: 0.99, baseline");
    const loose = example.replace("gte: 0.90, baseline", "gte: 0.50, baseline");
    const s = pullRequestScenario({ baseConfig: strict, headConfig: loose });
    const head = await step(s);
    expect(head.code).toBe(0);
    const base = await step(s, { "config-ref": "base" });
    expect(base.code).toBe(1);
    expect(base.summary).toContain("got 0.9312, expected ≥ 0.99");
  });

  it("refuses config-ref: base when the base commit has no gates config", async () => {
    const s = pullRequestScenario();
    const bare = sim.addCommit(s.repo, {
      parents: [s.baseSha],
      files: { "README.md": "no config\n" },
      branch: "main",
    });
    const pr = s.payload.pull_request as Record<string, Record<string, unknown>>;
    pr.base = { ...pr.base, sha: bare };
    const result = await step(s, { "config-ref": "base" });
    expect(result.code).toBe(1);
    expect(result.log).toContain(
      "config-ref: base, but the gates config .github/mlgate.yml is not on the base commit",
    );
  });

  it("compares with the metric files committed at the merge-base", async () => {
    const before = JSON.stringify({
      model: { name: "credit-scorer", version: "2.3.0", stage: "candidate" },
      test: { accuracy: 0.95, roc_auc: 0.97 },
      latency: { p95_ms: 90 },
      data: { missing_share: 0.002 },
    });
    const s = pullRequestScenario({ baseMetrics: before });
    const result = await step(s);
    expect(result.code).toBe(1);
    const report = JSON.parse(readFileSync(resolve(s.workspace, "mlgate-report.json"), "utf8")) as {
      baseline: { ref: string };
      measurements: Array<{
        name: string;
        status: string;
        message: string;
        baseline: { value: unknown } | null;
      }>;
    };
    expect(report.baseline.ref).toBe(`${s.mergeBase.slice(0, 7)} (merge-base, committed metric files)`);
    const accuracy = report.measurements.find((m) => m.name === "accuracy");
    expect(accuracy).toMatchObject({ status: "fail", baseline: expect.objectContaining({ value: 0.95 }) });
    expect(accuracy?.message).toContain("dropped by 0.0188 from the baseline 0.95; at most 0.01 allowed");
  });

  it("reads a committed metric file too large for GraphQL's text through the contents API", async () => {
    // Over 1 MB: GraphQL cuts the text and the JSON contents API leaves the content out; raw has it all.
    const before = JSON.stringify({
      model: { stage: "candidate" },
      test: { accuracy: 0.9315, roc_auc: 0.97 },
      latency: { p95_ms: 90 },
      data: { missing_share: 0.002 },
      per_row_scores: Array.from({ length: 120_000 }, (_, i) => Number((i / 120_000).toFixed(6))),
    });
    expect(before.length).toBeGreaterThan(1024 * 1024);
    const s = pullRequestScenario({ baseMetrics: before });
    await step(s);
    const report = JSON.parse(readFileSync(resolve(s.workspace, "mlgate-report.json"), "utf8")) as {
      measurements: Array<{ name: string; baseline: { value: unknown; delta: unknown } | null }>;
    };
    expect(report.measurements.find((m) => m.name === "accuracy")?.baseline).toMatchObject({
      value: 0.9315,
      delta: -0.0003,
    });
    expect(
      sim.requests.some(
        (r) =>
          r.path.includes("/contents/reports%2Fmetrics.json") ||
          r.path.includes("/contents/reports/metrics.json"),
      ),
    ).toBe(true);
  });

  it("says there was no baseline when the metric files are not committed and no run left a report", async () => {
    const s = pullRequestScenario({ committed: [".github/mlgate.yml"] });
    const result = await step(s);
    expect(result.log).toContain("no baseline: no metric file of the config is committed at");
    expect(result.summary).toContain("**Baseline:** no baseline");
  });

  it("compares with the report artifact of the newest successful main run at the merge-base", async () => {
    const s = pullRequestScenario({ committed: [".github/mlgate.yml"] });
    // An earlier main run whose accuracy gate read another number: its value must become the baseline.
    const earlierRun = exampleWorkspace(example.replace("path: test.accuracy", "path: test.roc_auc"));
    const earlier = await runCli([
      "check",
      "--config",
      resolve(earlierRun, ".github/mlgate.yml"),
      "--cwd",
      earlierRun,
      "--format",
      "json",
    ]);
    const zip = zipSync({ "mlgate-report.json": new TextEncoder().encode(earlier.stdout) });
    const at = (headSha: string, conclusion: "success" | "failure") =>
      sim.addWorkflowRun(s.repo, {
        headSha,
        headBranch: "main",
        event: "push",
        status: "completed",
        conclusion,
        artifacts: [{ name: "mlgate-report", zip }],
      });
    at(s.mergeBase, "success");
    at(s.baseSha, "success"); // after the merge-base: not this PR's baseline
    at(s.mergeBase, "failure");
    const result = await step(s);
    const report = JSON.parse(readFileSync(resolve(s.workspace, "mlgate-report.json"), "utf8")) as {
      baseline: { ref: string };
      measurements: Array<{ name: string; baseline: { value: unknown } | null }>;
    };
    expect(report.baseline.ref).toMatch(
      new RegExp(`^${s.mergeBase.slice(0, 7)} \\(report of run #\\d+ on main\\)$`),
    );
    const roc = JSON.parse(earlier.stdout).measurements.find(
      (m: { name: string }) => m.name === "accuracy",
    ).value;
    expect(report.measurements.find((m) => m.name === "accuracy")?.baseline?.value).toBe(roc);
    expect(result.log).not.toContain("no baseline");
  });

  it("takes the artifact baseline only from a run of this workflow whose head is this repository", async () => {
    const s = pullRequestScenario({ committed: [".github/mlgate.yml"] });
    const name = s.repo.split("/")[1] ?? "";
    sim.addRepo({ owner: "mallory", name });
    const run = (accuracy: number, options: { name?: string; headRepo?: string; event?: string } = {}) =>
      reportArtifact(accuracy).then((zip) =>
        sim.addWorkflowRun(s.repo, {
          headSha: s.mergeBase,
          headBranch: "main",
          event: "push",
          status: "completed",
          conclusion: "success",
          artifacts: [{ name: "mlgate-report", zip }],
          ...options,
        }),
      );
    await run(0.91); // this workflow (ci.yml), on main: the baseline
    await run(0.92, { name: "Nightly" }); // another workflow of the repository, newer
    // A fork's pull request from its own branch `main` pointing at our merge-base, newest of all.
    await run(0.93, { headRepo: `mallory/${name}`, event: "pull_request" });
    const result = await step(s);
    expect(result.log).not.toContain("no baseline");
    expect(accuracyBaseline(s.workspace)).toBe(0.91);
  });

  it("gives comment keys that differ only in punctuation their own report artifacts", async () => {
    const s = pullRequestScenario({ committed: [".github/mlgate.yml"] });
    const hash = createHash("sha256").update("model a").digest("hex").slice(0, 8);
    sim.addWorkflowRun(s.repo, {
      headSha: s.mergeBase,
      headBranch: "main",
      event: "push",
      status: "completed",
      conclusion: "success",
      artifacts: [
        { name: "mlgate-report-model-a", zip: await reportArtifact(0.91) },
        { name: `mlgate-report-model-a-${hash}`, zip: await reportArtifact(0.92) },
      ],
    });
    await step(s, { "comment-key": "model-a" });
    expect(accuracyBaseline(s.workspace)).toBe(0.91);
    await step(s, { "comment-key": "model a" });
    expect(accuracyBaseline(s.workspace)).toBe(0.92);
  });
});

describe("read-only tokens", () => {
  it("on a fork PR: writes are refused, the verdict still decides the step, annotations and one notice", async () => {
    const strict = example.replace("gte: 0.90, baseline", "gte: 0.99, baseline");
    const s = pullRequestScenario({ headConfig: strict, baseConfig: strict });
    const pr = s.payload.pull_request as Record<string, Record<string, unknown> | undefined>;
    pr.head = { ...pr.head, repo: { ...(pr.head?.repo as object), full_name: "mallory/credit-model" } };
    sim.resetRequests();
    const result = await step(s, {}, READ, "mallory");
    expect(result.code).toBe(1);
    expect(writes(s.repo).map((r) => r.status)).toEqual([403, 403]);
    expect(sim.comments(s.repo, s.number)).toEqual([]);
    expect(sim.checkRuns(s.repo)).toEqual([]);
    const notices = result.commands.filter((c) => c.startsWith("::notice"));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("this pull request comes from a fork");
    expect(notices[0]).toContain("docs/forks.md");
    expect(
      result.commands.some((c) =>
        /^::error title=mlgate%3A accuracy failed,file=\.github\/mlgate\.yml,line=\d+/.test(c),
      ),
    ).toBe(true);
    expect(result.summary).toContain("mlgate: non-conformant");
  });

  it("on a Dependabot PR: read-only by default, and published when the workflow grants write", async () => {
    const s = pullRequestScenario();
    const readOnly = await step(s, {}, READ, "dependabot[bot]");
    expect(readOnly.code).toBe(0);
    expect(readOnly.log).toContain("Dependabot's pull requests get a read-only token");
    const granted = await step(s, {}, WRITE, "dependabot[bot]");
    expect(granted.code).toBe(0);
    expect(sim.comments(s.repo, s.number)).toHaveLength(1);
  });

  it("a 403 on write (permissions left out) is one notice naming the permissions, not a crash", async () => {
    const s = pullRequestScenario();
    const result = await step(s, {}, READ);
    expect(result.code).toBe(0);
    const notices = result.commands.filter((c) => c.startsWith("::notice"));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("did not publish the PR comment or the check run");
    expect(notices[0]).toContain("pull-requests: write");
    expect(result.outputs.status).toBe("conformant-with-warnings");
  });

  it("with an empty github-token: no request, the verdict everywhere else, and one notice saying no token was given", async () => {
    const s = pullRequestScenario();
    sim.resetRequests();
    const result = await step(s, {}, "");
    expect(result.code).toBe(0);
    expect(sim.requests).toEqual([]);
    const notices = result.commands.filter((c) => c.startsWith("::notice"));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(
      "did not publish the PR comment or the check run: no github-token was given",
    );
    expect(notices[0]).toContain("leave `github-token` out");
    expect(notices[0]).not.toContain("403");
    expect(result.summary).toContain("mlgate: conformant with warnings");
    expect(result.outputs).toMatchObject({
      status: "conformant-with-warnings",
      "report-path": "mlgate-report.json",
    });
    expect(reportIn(s.workspace).status).toBe("conformant-with-warnings");
  });
});

describe("GitHub faults", () => {
  it("a 502 after the comment was stored leaves exactly one comment", async () => {
    const s = pullRequestScenario();
    sim.fault({
      method: "POST",
      path: new RegExp(`/repos/${s.repo}/issues/\\d+/comments$`),
      status: 502,
      afterWrite: true,
    });
    const result = await step(s);
    expect(result.code).toBe(0);
    expect(sim.comments(s.repo, s.number)).toHaveLength(1);
  });

  it("retries a 500 on the check run and waits out a secondary rate limit", async () => {
    const s = pullRequestScenario();
    sim.fault({ method: "POST", path: new RegExp(`/repos/${s.repo}/check-runs$`), status: 500 });
    sim.fault({
      method: "GET",
      path: new RegExp(`/repos/${s.repo}/issues/\\d+/comments`),
      status: 403,
      headers: { "retry-after": "1" },
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      },
    });
    const result = await step(s);
    expect(result.code).toBe(0);
    expect(sim.checkRuns(s.repo)).toHaveLength(1);
    expect(sim.comments(s.repo, s.number)).toHaveLength(1);
    expect(result.log).toContain("secondary rate limit");
  });

  it("a check run that cannot be created is a warning; the annotations still reach the lines", async () => {
    const s = pullRequestScenario();
    sim.fault({ method: "POST", path: new RegExp(`/repos/${s.repo}/check-runs$`), status: 500, times: 5 });
    const result = await step(s);
    expect(result.code).toBe(0);
    expect(
      result.commands.some((c) => c.startsWith("::warning::mlgate could not publish the check run")),
    ).toBe(true);
    expect(
      result.commands.some((c) =>
        c.startsWith("::warning title=mlgate%3A p95_ms warning,file=.github/mlgate.yml"),
      ),
    ).toBe(true);
  });

  it("survives slow responses", async () => {
    const s = pullRequestScenario();
    sim.fault({ method: "GET", path: new RegExp(`/repos/${s.repo}/compare/`), status: 200, delayMs: 1500 });
    const result = await step(s);
    expect(result.code).toBe(0);
    expect(sim.comments(s.repo, s.number)).toHaveLength(1);
  });
});

describe("size limits", () => {
  it("shortens a huge report to fit a comment and a check run, keeping every failure, and batches annotations", async () => {
    const gates = Array.from({ length: 1500 }, (_, i) => {
      const name = `segment_${String(i).padStart(4, "0")}_accuracy_for_a_rather_long_customer_segment_name`;
      return `  ${name}: { source: eval, path: /segments/${i}, gte: ${i % 12 === 0 ? 0.99 : 0.5} }`;
    });
    const config = `version: 1\nsources:\n  eval: { file: reports/segments.json }\nkpis:\n${gates.join("\n")}\n`;
    const s = pullRequestScenario({ headConfig: config, baseConfig: config });
    writeIn(
      s.workspace,
      "reports/segments.json",
      JSON.stringify({ segments: gates.map((_, i) => 0.9 + i / 1e6) }),
    );
    const result = await step(s);
    expect(result.code).toBe(1);
    const body = sim.comments(s.repo, s.number)[0]?.body ?? "";
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain("Shortened to fit the comment limit");
    expect(body).toContain("[job summary](https://github.com/");
    const run = sim.checkRuns(s.repo)[0];
    expect(run?.output.summary?.length).toBeLessThanOrEqual(65_535);
    const failing = gates.filter((_, i) => i % 12 === 0).length;
    expect(run?.annotations).toHaveLength(failing);
    for (let i = 0; i < 1500; i += 12) expect(body).toContain(`segment\\_${String(i).padStart(4, "0")}`);
  });

  it("says in the log how many annotations did not fit on the check run", async () => {
    const gates = Array.from(
      { length: 520 },
      (_, i) => `  gate_${i}: { source: eval, path: /scores/${i}, gte: 0.99 }`,
    );
    const config = `version: 1\nsources:\n  eval: { file: reports/scores.json }\nkpis:\n${gates.join("\n")}\n`;
    const s = pullRequestScenario({ headConfig: config, baseConfig: config });
    writeIn(s.workspace, "reports/scores.json", JSON.stringify({ scores: gates.map(() => 0.9) }));
    const result = await step(s, { comment: "off" });
    expect(result.code).toBe(1);
    expect(sim.checkRuns(s.repo)[0]?.annotations).toHaveLength(500);
    expect(result.log).toContain(
      "mlgate: 20 more failing measurements and warnings are not annotated on the check run (at most 500)",
    );
  });
});

describe("other events", () => {
  it("on push, config-ref: base judges exactly as head: the files committed before the push are the baseline", async () => {
    const before = JSON.stringify({
      model: { name: "credit-scorer", version: "2.3.0", stage: "candidate" },
      test: { accuracy: 0.95, roc_auc: 0.97 },
      latency: { p95_ms: 90 },
      data: { missing_share: 0.002 },
    });
    const s = pushScenario(before);
    const judged = [];
    for (const configRef of ["head", "base"]) {
      const result = await s.push({ "config-ref": configRef });
      const report = reportIn(s.workspace);
      judged.push({
        code: result.code,
        status: report.status,
        baseline: report.baseline?.ref,
        measurements: report.measurements.map((m) => [m.name, m.status, m.baseline?.value]),
      });
    }
    expect(judged[0]?.baseline).toBe(`${s.before.slice(0, 7)} (before the push, committed metric files)`);
    expect(judged[0]?.measurements).toContainEqual(["accuracy", "fail", 0.95]);
    expect(judged[1]).toEqual(judged[0]);
  });

  it("on push, config-ref: base does not fail the step when GitHub cannot be read, as head does not", async () => {
    const s = pushScenario();
    sim.fault({
      method: "POST",
      path: /\/graphql$/,
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    const result = await s.push({ "config-ref": "base" });
    expect(result.code).toBe(0);
    expect(result.log).toContain("mlgate: could not read from GitHub (HTTP 403");
    expect(sim.checkRuns(s.repo)).toEqual([expect.objectContaining({ head_sha: s.sha })]);
  });

  it("on push: a check run on the pushed commit and the summary, no comment", async () => {
    const repo = `acme/credit-model-${++counter}`;
    const [owner, name] = repo.split("/") as [string, string];
    sim.addRepo({ owner, name, defaultBranch: "main" });
    const workspace = exampleWorkspace();
    const sha = sim.addCommit(repo, { files: filesOf(workspace, COMMITTED), branch: "main" });
    const payload = eventPayload("push.json");
    payload.before = "0000000000000000000000000000000000000000";
    payload.after = sha;
    const result = await runActionStep({
      apiUrl: sim.url,
      token: WRITE,
      workspace,
      event: { name: "push", payload },
      repository: repo,
      sha,
      inputs: {},
    });
    expect(result.code).toBe(0);
    expect(sim.checkRuns(repo)).toEqual([expect.objectContaining({ head_sha: sha, conclusion: "neutral" })]);
    expect(result.summary).toContain("mlgate: conformant with warnings");
    expect(result.outputs["comment-url"]).toBe("");
  });

  it("on workflow_dispatch: the check run on the commit, no comment", async () => {
    const repo = `acme/credit-model-${++counter}`;
    const [owner, name] = repo.split("/") as [string, string];
    sim.addRepo({ owner, name, defaultBranch: "main" });
    const workspace = exampleWorkspace();
    const sha = sim.addCommit(repo, { files: filesOf(workspace, COMMITTED), branch: "main" });
    const result = await runActionStep({
      apiUrl: sim.url,
      token: WRITE,
      workspace,
      event: { name: "workflow_dispatch", payload: eventPayload("workflow_dispatch.json") },
      repository: repo,
      sha,
    });
    expect(result.code).toBe(0);
    expect(sim.checkRuns(repo)).toEqual([expect.objectContaining({ head_sha: sha, conclusion: "neutral" })]);
    expect(sim.requests.filter((r) => r.path.includes(`${repo}/issues`))).toEqual([]);
  });
});

describe("mode: publish (the trusted half of the fork recipe)", () => {
  /** A fork PR, and the finished pull_request run that uploaded a report for its head. */
  async function forkRun(edit: (report: Record<string, unknown>) => void, headConfig = example) {
    const fork = `mallory/credit-model-fork-${counter}`;
    const s = pullRequestScenario({ fork, headConfig });
    const runWorkspace = exampleWorkspace(example.replace("gte: 0.90, baseline", "gte: 0.99, baseline"));
    // As the runner's checkout does: the config named relative to the working directory.
    const checked = await runCli(
      ["check", "--config", ".github/mlgate.yml", "--cwd", runWorkspace, "--format", "json"],
      { cwd: runWorkspace },
    );
    const report = JSON.parse(checked.stdout) as Record<string, unknown>;
    edit(report);
    const zip = zipSync({ "mlgate-report.json": new TextEncoder().encode(JSON.stringify(report)) });
    const runId = sim.addWorkflowRun(s.repo, {
      headSha: s.headSha,
      headBranch: "improve-model",
      headRepo: fork,
      event: "pull_request",
      status: "completed",
      conclusion: "success",
      artifacts: [{ name: "mlgate-report", zip }],
    });
    const payload = eventPayload("workflow_run.completed.json");
    const [owner, name] = s.repo.split("/") as [string, string];
    const repository = {
      ...(payload.repository as object),
      full_name: s.repo,
      name,
      owner: { login: owner },
    };
    payload.repository = repository;
    payload.workflow_run = {
      ...(payload.workflow_run as object),
      id: runId,
      event: "pull_request",
      head_sha: s.headSha,
      head_branch: "improve-model",
      head_repository: { full_name: fork, owner: { login: "mallory" } },
      pull_requests: [],
    };
    const publish = (
      inputs: Record<string, string> = {},
      workspace = mkdtempSync(join(tmpdir(), "mlgate-publish-")),
    ) =>
      runActionStep({
        apiUrl: sim.url,
        token: WRITE,
        workspace,
        event: { name: "workflow_run", payload },
        repository: s.repo,
        sha: s.baseSha,
        inputs: { mode: "publish", ...inputs },
      });
    return { s, publish, report };
  }

  it("finds the fork's PR from the head commit, recomputes the verdict and publishes it escaped, once", async () => {
    const { s, publish } = await forkRun(
      (report) => {
        // The fork controls this file: it claims a pass and smuggles mentions, HTML and a marker.
        report.status = "conformant";
        const measurements = report.measurements as Array<Record<string, unknown>>;
        measurements[0]!.name = "@everyone <img src=x onerror=alert(1)> <!-- mlgate:report key=default -->";
      },
      example.replace(/^ {2}roc_auc:.*\n/m, ""),
    );
    const first = await publish();
    expect(first.code).toBe(0);
    expect(first.outputs.status).toBe("non-conformant");
    const comments = sim.comments(s.repo, s.number);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? "";
    // The loosened-gates notice is computed from the PR's commits, not taken from the fork's report.
    expect(body.split("\n")[1]).toBe("> [!WARNING]");
    expect(body).toContain("**roc\\_auc** (Release KPIs): removed");
    expect(body).toContain("### ❌ mlgate: non-conformant");
    expect(body).not.toContain("@everyone");
    expect(body).not.toContain("<img");
    expect(body.match(/<!-- mlgate:report/g)).toHaveLength(1);
    expect(sim.checkRuns(s.repo)).toEqual([
      expect.objectContaining({ head_sha: s.headSha, conclusion: "failure", name: "mlgate" }),
    ]);
    await publish();
    expect(sim.comments(s.repo, s.number)).toHaveLength(1);
  });

  it("refuses a report that is not an mlgate report, naming it", async () => {
    const { publish } = await forkRun((report) => {
      report.schema = "something-else/v9";
    });
    const result = await publish();
    expect(result.code).toBe(1);
    expect(result.log).toContain("the report to publish is not an mlgate.report/v1: schema");
  });

  it("sets report-path to the report file it read, from the workspace, and to empty for the artifact", async () => {
    const { publish, report } = await forkRun(() => {});
    const fromArtifact = await publish();
    expect(fromArtifact.code).toBe(0);
    expect(fromArtifact.outputs["report-path"]).toBe("");
    const workspace = mkdtempSync(join(tmpdir(), "mlgate-publish-"));
    writeIn(workspace, "ml/mlgate-report.json", JSON.stringify(report));
    const fromFile = await publish({ "working-directory": "ml" }, workspace);
    expect(fromFile.code).toBe(0);
    expect(fromFile.outputs["report-path"]).toBe("ml/mlgate-report.json");
  });

  it("refuses a report file over 64 MiB without reading it", async () => {
    const { publish } = await forkRun(() => {});
    const workspace = mkdtempSync(join(tmpdir(), "mlgate-publish-"));
    writeIn(workspace, "mlgate-report.json", "{}");
    truncateSync(join(workspace, "mlgate-report.json"), 64 * 1024 * 1024 + 1); // sparse
    const result = await publish({}, workspace);
    expect(result.code).toBe(1);
    expect(result.log).toContain(
      "::error::mlgate: with.report-path: the report to publish mlgate-report.json is 67108865 bytes, more than the 64 MiB it may have",
    );
  });

  it("refuses a report-path that links out of the workspace, naming with.report-path, and publishes nothing from it", async () => {
    const { s, publish, report } = await forkRun(() => {});
    const outside = mkdtempSync(join(tmpdir(), "mlgate-outside-"));
    writeFileSync(
      join(outside, "report.json"),
      JSON.stringify(report).replace(/"name":"accuracy"/, '"name":"leak_8675309"'),
    );
    const workspace = mkdtempSync(join(tmpdir(), "mlgate-publish-"));
    symlinkSync(join(outside, "report.json"), join(workspace, "mlgate-report.json"));
    const result = await publish({}, workspace);
    expect(result.code).toBe(1);
    expect(result.log).toContain(
      `::error::mlgate: with.report-path: the report to publish mlgate-report.json leads through a symbolic link outside the working directory ${workspace}`,
    );
    expect(result.log).not.toContain("8675309");
    expect(sim.comments(s.repo, s.number)).toEqual([]);
    expect(sim.checkRuns(s.repo)).toEqual([]);
  });

  it("annotates the gates config under working-directory, where the loosened-gates lookup reads it", async () => {
    const { s, publish } = await forkRun(() => {});
    const result = await publish({ "working-directory": "ml" });
    expect(result.code).toBe(0);
    const annotations = sim.checkRuns(s.repo)[0]?.annotations ?? [];
    expect(annotations.length).toBeGreaterThan(0);
    expect(new Set(annotations.map((a) => a.path))).toEqual(new Set(["ml/.github/mlgate.yml"]));
  });

  it("names the head commit when the head commit's gates config does not load", async () => {
    const { s, publish } = await forkRun(() => {}, "version: 1\nkpis: [\n");
    const result = await publish();
    expect(result.code).toBe(0);
    const warning = result.commands.find((c) =>
      c.includes("does not load, so loosened gates are not listed"),
    );
    expect(warning).toContain(`the gates config on the head commit ${s.headSha.slice(0, 7)} does not load`);
    expect(result.log).not.toContain("on the base commit");
  });
});
