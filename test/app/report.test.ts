// The org report as an organisation sees it: gate verdicts from completed mlgate runs, private repositories
// withheld from a public report, linked pages instead of truncation, repositories renamed, archived and
// deleted, and two instances on one PostgreSQL writing one edit.
import { readFileSync } from "node:fs";
import { zipSync } from "fflate";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";
import {
  eventually,
  filesOf,
  installationCreated,
  organisation,
  pushed,
  startApp,
  type AppProcess,
  workflowRunCompleted,
} from "../support/app-process.js";
import { freshSchema } from "../support/postgres.js";
import { examplePayload } from "../support/webhooks.js";

const ORG = "acme";
const INSTALLATION = 7001;
const AT = { org: ORG, installationId: INSTALLATION };
/** A real example's repository object, made into `acme/<name>`. */
function repositoryOf(payload: Record<string, unknown>, id: number, name: string): Record<string, unknown> {
  const repository = payload.repository as Record<string, unknown>;
  return {
    ...repository,
    id,
    name,
    full_name: `${ORG}/${name}`,
    default_branch: "main",
    owner: { ...(repository.owner as object), login: ORG },
  };
}
const DVC_PIPELINE = "stages:\n  train:\n    cmd: python train.py\n    outs: [model.pkl]\n";

describe("the org report", { timeout: 120_000 }, () => {
  let sim: GitHubSimulator;
  const apps: AppProcess[] = [];

  beforeEach(async () => {
    sim = await startGitHubSimulator();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await sim.close();
  });

  const reportIssues = () => sim.issues(`${ORG}/.github`);
  const mainReport = () => reportIssues().find((issue) => issue.body?.includes("page=1 -->"));

  async function install(
    repositories: Record<string, Record<string, string>>,
    options: { databaseUrl?: string; env?: Record<string, string> } = {},
  ) {
    const listed = organisation(sim, AT, { ".github": { "README.md": "# acme\n" }, ...repositories });
    const app = await startApp({ sim, ...options });
    apps.push(app);
    await app.deliver("installation", installationCreated(INSTALLATION, ORG, listed));
    await eventually("the report", () =>
      mainReport()?.body?.includes("Levels per repository") ? mainReport() : undefined,
    );
    return { app, listed };
  }

  it("shows the verdict of a completed mlgate run, recomputed from its report artifact", async () => {
    const { app, listed } = await install({ "churn-model": filesOf("fixtures/maturity/mature") });
    const report = await runCli([
      "check",
      "--config",
      "fixtures/example/mlgate.yml",
      "--cwd",
      "fixtures/example",
      "--format",
      "json",
    ]);
    // The artifact claims "conformant" though a blocking gate failed: the App recomputes the verdict.
    const claimed = JSON.parse(report.stdout) as {
      status: string;
      measurements: { severity: string; status: string }[];
    };
    const blocking = claimed.measurements.find((measurement) => measurement.severity === "blocking");
    if (blocking) blocking.status = "fail";
    claimed.status = "conformant";
    const zip = zipSync({ "mlgate-report.json": new TextEncoder().encode(JSON.stringify(claimed)) });
    const headSha = sim.addCommit(`${ORG}/churn-model`, {
      files: filesOf("fixtures/maturity/mature"),
      message: "retrain",
      branch: "main",
    });
    const runId = sim.addWorkflowRun(`${ORG}/churn-model`, {
      headSha,
      headBranch: "main",
      event: "push",
      status: "completed",
      conclusion: "failure",
      artifacts: [{ name: "mlgate-report", zip }],
    });
    const churn = listed.find((repository) => repository.name === "churn-model")!;
    const payload = workflowRunCompleted({
      installationId: INSTALLATION,
      org: ORG,
      name: "churn-model",
      id: churn.id,
      runId,
      headSha,
      conclusion: "failure",
    });
    expect((await app.deliver("workflow_run", payload)).status).toBe(200);
    const body = await eventually("the gate verdict in the report", () => {
      const text = mainReport()?.body ?? "";
      return text.includes("non-conformant") ? text : undefined;
    });
    expect(body).toMatch(/\[churn-model\]\([^)]+\) \| ❌ non-conformant \| \[`[0-9a-f]{7}`\]/);
  });

  it("withholds private repositories from a report in a public repository", async () => {
    await install({
      "churn-model": filesOf("fixtures/maturity/mature"),
      "secret-model": filesOf("fixtures/maturity/mature"),
    });
    const body = mainReport()?.body ?? "";
    expect(body).toContain("1 private repository is not shown");
    expect(body).not.toContain("secret-model");
    expect(body).toContain("churn-model");
  });

  it("splits a report over 60,000 characters into linked pages, never truncating", async () => {
    const repositories: Record<string, Record<string, string>> = {};
    const evidence = filesOf("fixtures/maturity/evidence-only");
    for (let index = 0; index < 320; index++)
      repositories[`model-${String(index).padStart(3, "0")}-with-a-long-descriptive-name`] = evidence;
    await install(repositories);
    const pages = await eventually("the pages, written", () => {
      const issues = reportIssues();
      return issues.length > 1 && issues.every((issue) => !issue.body?.includes("is being written"))
        ? issues
        : undefined;
    });
    const main = mainReport()!;
    for (const page of pages) expect(page.body?.length ?? 0).toBeLessThanOrEqual(65_536);
    const others = pages.filter((page) => page.number !== main.number);
    expect(main.body).toContain(
      `This report has ${pages.length} pages: this issue, ${others.map((page, index) => `#${page.number} (page ${index + 2})`).join(", ")}`,
    );
    for (const page of others) expect(page.body).toContain(`of #${main.number}.`);
    // Every repository appears in a levels table on some page.
    const all = pages.map((page) => page.body).join("\n");
    for (const name of Object.keys(repositories)) expect(all).toContain(`[${name}](`);
  });

  it("follows repositories renamed, archived and deleted", async () => {
    const { app, listed } = await install({
      "churn-model": filesOf("fixtures/maturity/mature"),
      "fraud-model": filesOf("fixtures/maturity/evidence-only"),
      recsys: filesOf("fixtures/maturity/bare"),
    });
    const id = (name: string) => listed.find((repository) => repository.name === name)!.id;
    const event = (action: string, name: string, extra: Record<string, unknown> = {}) => {
      const payload = examplePayload("repository", "renamed");
      payload.action = action;
      payload.repository = { ...repositoryOf(payload, id(name), name), ...extra };
      payload.installation = { id: INSTALLATION };
      return payload;
    };
    await app.deliver(
      "repository",
      event("renamed", "churn-model", { name: "churn-classifier", full_name: `${ORG}/churn-classifier` }),
    );
    await app.deliver("repository", event("archived", "fraud-model", { archived: true }));
    await app.deliver("repository", event("deleted", "recsys"));
    const body = await eventually("the report without them", () => {
      const text = mainReport()?.body ?? "";
      return text.includes("[churn-classifier](") && !text.includes("fraud-model") && !text.includes("recsys")
        ? text
        : undefined;
    });
    expect(body).toContain("Tracking 1 repository of acme");
  });

  it("with two instances on one PostgreSQL, two changes at once give one report edit", async () => {
    const schema = freshSchema("app_test");
    await schema.create();
    try {
      // The scale-out configuration docs/app.md gives: shared PostgreSQL, and Redis for GitHub's rate limits.
      const env = { MLGATE_REPORT_DEBOUNCE: "1500ms", REDIS_URL: "redis://127.0.0.1:6379" };
      const { listed } = await install(
        { "fraud-model": filesOf("fixtures/maturity/bare"), recsys: filesOf("fixtures/maturity/bare") },
        { databaseUrl: schema.url, env },
      );
      const second = await startApp({ sim, databaseUrl: schema.url, env });
      apps.push(second);
      const first = apps[0]!;
      const report = mainReport()!;
      const edits = () =>
        sim.requests.filter(
          (request) => request.method === "PATCH" && request.path.endsWith(`/issues/${report.number}`),
        ).length;
      const before = edits();
      const shas = ["fraud-model", "recsys"].map((name) =>
        sim.addCommit(`${ORG}/${name}`, {
          files: { ...filesOf("fixtures/maturity/bare"), "dvc.yaml": DVC_PIPELINE },
          message: "dvc",
          branch: "main",
        }),
      );
      const [fraud, recsys] = ["fraud-model", "recsys"].map((name) =>
        listed.find((repository) => repository.name === name)!,
      );
      await Promise.all([
        first.deliver(
          "push",
          pushed({
            installationId: INSTALLATION,
            org: ORG,
            name: "fraud-model",
            id: fraud!.id,
            before: "0".repeat(40),
            after: shas[0]!,
          }),
        ),
        second.deliver(
          "push",
          pushed({
            installationId: INSTALLATION,
            org: ORG,
            name: "recsys",
            id: recsys!.id,
            before: "0".repeat(40),
            after: shas[1]!,
          }),
        ),
      ]);
      await eventually("both changes in the report", () => {
        const text = mainReport()?.body ?? "";
        return shas.every((sha) => text.includes(sha.slice(0, 7))) ? text : undefined;
      });
      // Both instances' debounce timers have fired by now (and the sweep ran): still one edit.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(edits() - before).toBe(1);
      expect(reportIssues()).toHaveLength(1);
    } finally {
      for (const app of apps.splice(0)) await app.stop();
      await schema.drop();
    }
  });

  it("takes title, targets and framework files from the organisation's settings, with _extends", async () => {
    const framework = readFileSync("fixtures/maturity/frameworks/acme-ladder.yml", "utf8");
    const settings = [
      "_extends: policies",
      "maturity:",
      "  report: { title: ACME MLOps maturity }",
      "  frameworks: [.github/acme-ladder.yml]",
    ].join("\n");
    const policy = ["maturity:", "  targets: { data: 2, overall: 1 }", "  staleAfter: 30d"].join("\n");
    const listed = organisation(sim, AT, {
      ".github": { ".github/mlgate.yml": settings, ".github/acme-ladder.yml": framework },
      policies: { ".github/mlgate.yml": policy },
      "churn-model": filesOf("fixtures/maturity/mature"),
      "laddered-model": {
        ...filesOf("fixtures/maturity/mature"),
        ".github/mlops-maturity.yml":
          "framework: acme-ladder\nassessedAt: 2026-11-01\ntopics:\n  gated-releases: 1\n",
      },
    });
    const app = await startApp({ sim });
    apps.push(app);
    await app.deliver("installation", installationCreated(INSTALLATION, ORG, listed));
    const issue = await eventually("the report", () =>
      reportIssues().find((each) => each.body?.includes("Levels per repository")),
    );
    expect(issue.title).toBe("ACME MLOps maturity");
    // From the policies repository, through _extends: churn-model's data area (2) meets 2; its assessment is stale.
    expect(issue.body).toContain("## Below target");
    expect(issue.body).toMatch(/\n\d+ repositor(y|ies) below the organisation's targets\./);
    // Targets for some areas only: no target line with zeros drawn for the others.
    expect(issue.body).not.toContain("    line [");
    expect(issue.body).toMatch(/Self-assessments .* older than 30 days/);
    expect(issue.body).toMatch(/\[churn-model\]\([^)]+\) \| assessed 2026-10-15 \| \d+ days/);
    // The organisation's own framework: the PR-gated repository is evidenced at Run (3) though it claims 1.
    expect(issue.body).toContain("## Levels per repository (ACME ladder)");
    expect(issue.body).toMatch(/\[laddered-model\]\([^)]+\) \| \*\*3\*\* \(3\.0\) \| 3/);
  });
});
