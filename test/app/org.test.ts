// The App end to end: the built App as a process, signed real webhook payloads over HTTP, the GitHub
// simulator as GitHub, PGlite in a temporary directory as its store.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";
import { openDb } from "../../app/store/db.js";
import {
  BOT,
  eventually,
  filesOf,
  installationCreated,
  pushed,
  startApp,
  type AppProcess,
} from "../support/app-process.js";
import { organisation as organisationOf } from "../support/app-process.js";
import { freshDataDir } from "../support/data-dir.js";

const ORG = "acme";
const INSTALLATION = 7001;
const organisation = (sim: GitHubSimulator, repositories: Record<string, Record<string, string>>) =>
  organisationOf(sim, { org: ORG, installationId: INSTALLATION }, repositories);

describe("the App on an organisation", { timeout: 60_000 }, () => {
  let sim: GitHubSimulator;
  let app: AppProcess | undefined;

  beforeEach(async () => {
    sim = await startGitHubSimulator();
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await sim.close();
  });

  it("installed on an organisation with three repositories, keeps one report issue with their levels", async () => {
    const repositories = organisation(sim, {
      ".github": { "README.md": "# acme\n" },
      "churn-model": filesOf("fixtures/maturity/mature"),
      "fraud-model": filesOf("fixtures/maturity/evidence-only"),
      recsys: filesOf("fixtures/maturity/bare"),
    });
    app = await startApp({ sim });
    const response = await app.deliver("installation", installationCreated(INSTALLATION, ORG, repositories));
    expect(response.status).toBe(200);
    const issue = await eventually(
      "the report issue",
      () => sim.issues(`${ORG}/.github`).find((each) => each.body?.includes("Levels per repository")),
      15_000,
    ).catch((error: unknown) => {
      console.log(
        sim
          .issues(`${ORG}/.github`)
          .map((i) => i.body)
          .join("\n=====\n"),
        app?.output(),
        sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`).join("\n"),
        JSON.stringify(sim.invalidRequests, null, 1).slice(0, 3000),
      );
      throw error;
    });
    expect(issue.title).toBe("MLOps maturity report");
    expect(issue.user.login).toBe(BOT);
    expect(issue.body).toContain("Tracking 3 repositories of acme");
    expect(issue.body).toMatch(/\[churn-model\]\([^)]*\/acme\/churn-model\) \| \*\*2\*\* \(2\.4\)/);
    expect(issue.body).toContain("```mermaid");
    expect(sim.issues(`${ORG}/.github`)).toHaveLength(1);
    // GraphQL reads of repository files: one request for all four repositories.
    const graphql = sim.requests.filter((request) => request.path.endsWith("graphql"));
    expect(graphql.length).toBeLessThanOrEqual(3);
    expect(sim.invalidRequests).toEqual([]);
  });

  const DVC_PIPELINE = "stages:\n  train:\n    cmd: python train.py\n    outs: [model.pkl]\n";
  const reportOf = (number?: number) =>
    sim
      .issues(`${ORG}/.github`)
      .find(
        (each) =>
          (number === undefined || each.number === number) && each.body?.includes("Levels per repository"),
      );

  /** The org with one bare repository, installed and reported; returns the repository and the report issue. */
  async function installedBare(dataDir?: string) {
    const repositories = organisation(sim, {
      ".github": { "README.md": "# acme\n" },
      recsys: filesOf("fixtures/maturity/bare"),
    });
    app = await startApp({ sim, ...(dataDir ? { dataDir } : {}) });
    await app.deliver("installation", installationCreated(INSTALLATION, ORG, repositories));
    const issue = await eventually("the report issue", () => reportOf());
    return {
      recsys: repositories.find((each) => each.name === "recsys") as (typeof repositories)[number],
      issue,
    };
  }

  function pushDvcPipeline(recsys: { id: number }, before: string) {
    const files = { ...filesOf("fixtures/maturity/bare"), "dvc.yaml": DVC_PIPELINE };
    const after = sim.addCommit(`${ORG}/recsys`, { files, message: "DVC pipeline", branch: "main" });
    return {
      after,
      payload: pushed({
        installationId: INSTALLATION,
        org: ORG,
        name: "recsys",
        id: recsys.id,
        before,
        after,
      }),
    };
  }

  it("records a push that raises a level with its commit, and edits the same report issue", async () => {
    const { recsys, issue } = await installedBare();
    const { after, payload } = pushDvcPipeline(recsys, "0".repeat(40));
    const response = await app!.deliver("push", payload);
    expect(response.status).toBe(200);
    const edited = await eventually("the report to show the change", () => {
      const current = reportOf(issue.number);
      return current?.body?.includes(after.slice(0, 7)) ? current : undefined;
    });
    expect(edited.body).toMatch(/⬆️ Data Gathering &amp; Preparation \| 0 → 1 \| \[`[0-9a-f]{7}`\]/);
    expect(edited.body).toMatch(/⬆️ Data version control \| 0 → 3/);
    expect(sim.issues(`${ORG}/.github`).map((each) => each.number)).toEqual([issue.number]);
  });

  it("changes nothing on a redelivery, refuses a bad signature, and keeps the history across a restart", async () => {
    const dataDir = await freshDataDir();
    const { recsys, issue } = await installedBare(dataDir);
    const { after, payload } = pushDvcPipeline(recsys, "0".repeat(40));
    expect((await app!.deliver("push", payload, { deliveryId: "delivery-1" })).status).toBe(200);
    await eventually(
      "the change in the report",
      () => reportOf(issue.number)?.body?.includes(after.slice(0, 7)) || undefined,
    );
    const requests = sim.requests.length;
    expect((await app!.deliver("push", payload, { deliveryId: "delivery-1" })).status).toBe(200);
    const forged = await app!.deliver("push", payload, {
      deliveryId: "delivery-2",
      signature: `sha256=${"0".repeat(64)}`,
    });
    expect(forged.status).toBe(400);
    // Neither the redelivery nor the forged delivery made the App read or write anything at GitHub.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(sim.requests.length).toBe(requests);
    expect(await app!.stop()).toBe(0);
    app = undefined;

    const db = await openDb({ dataDir });
    const snapshots = await db.query<{ n: number }>(
      "select count(*)::int as n from snapshots where commit_sha = $1",
      [after],
    );
    const changes = await db.query<{ n: number }>(
      "select count(*)::int as n from level_changes where commit_sha = $1",
      [after],
    );
    const deliveries = await db.query<{ id: string }>("select id from deliveries where event = 'push'");
    await db.close();
    expect(snapshots[0]?.n).toBe(1);
    expect(changes[0]?.n).toBeGreaterThanOrEqual(2);
    expect(deliveries.map((row) => row.id)).toEqual(["delivery-1"]);

    // A restart on the same data directory: the history is there and the same issue is edited.
    app = await startApp({ sim, dataDir });
    const next = sim.addCommit(`${ORG}/recsys`, {
      files: {
        ...filesOf("fixtures/maturity/bare"),
        "dvc.yaml": DVC_PIPELINE,
        "MODEL_CARD.md": "# Model card\n",
      },
      message: "model card",
      branch: "main",
    });
    await app.deliver(
      "push",
      pushed({
        installationId: INSTALLATION,
        org: ORG,
        name: "recsys",
        id: recsys.id,
        before: after,
        after: next,
      }),
    );
    const edited = await eventually("the second change", () =>
      reportOf(issue.number)?.body?.includes(next.slice(0, 7)) ? reportOf(issue.number) : undefined,
    );
    expect(edited.body).toContain(after.slice(0, 7));
    expect(sim.issues(`${ORG}/.github`)).toHaveLength(1);
  });

  it("handles an event from an installation it never saw (down at install time), and scans that organisation", async () => {
    const repositories = organisation(sim, {
      ".github": { "README.md": "# acme\n" },
      recsys: filesOf("fixtures/maturity/bare"),
      "churn-model": filesOf("fixtures/maturity/mature"),
    });
    app = await startApp({ sim });
    const recsys = repositories.find((each) => each.name === "recsys")!;
    const after = sim.addCommit(`${ORG}/recsys`, {
      files: { ...filesOf("fixtures/maturity/bare"), "dvc.yaml": DVC_PIPELINE },
      message: "DVC pipeline",
      branch: "main",
    });
    const response = await app.deliver(
      "push",
      pushed({
        installationId: INSTALLATION,
        org: ORG,
        name: "recsys",
        id: recsys.id,
        before: "0".repeat(40),
        after,
      }),
    );
    expect(response.status).toBe(200);
    const issue = await eventually("the report with both repositories", () =>
      reportOf()?.body?.includes("[churn-model](") && reportOf()?.body?.includes("[recsys](")
        ? reportOf()
        : undefined,
    );
    expect(issue.body).toContain("Tracking 2 repositories of acme");
    expect(app.output()).toContain("an installation the store did not know");
  });

  it("catches a lost push at the periodic reconcile", async () => {
    const repositories = organisation(sim, {
      ".github": { "README.md": "# acme\n" },
      recsys: filesOf("fixtures/maturity/bare"),
    });
    app = await startApp({ sim, env: { MLGATE_RECONCILE_INTERVAL: "2s" } });
    await app.deliver("installation", installationCreated(INSTALLATION, ORG, repositories));
    const issue = await eventually("the report issue", () => reportOf());
    // A push whose webhook never arrives.
    const after = sim.addCommit(`${ORG}/recsys`, {
      files: { ...filesOf("fixtures/maturity/bare"), "dvc.yaml": DVC_PIPELINE },
      message: "DVC pipeline",
      branch: "main",
    });
    const edited = await eventually("the reconciled report", () =>
      reportOf(issue.number)?.body?.includes(after.slice(0, 7)) ? reportOf(issue.number) : undefined,
    );
    expect(edited.body).toMatch(/⬆️ Data version control \| 0 → 3/);
    expect(sim.issues(`${ORG}/.github`)).toHaveLength(1);
  });
});
