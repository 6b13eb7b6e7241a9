// Deliveries GitHub (or an attacker holding a signed body) sends again or out of order: a pull_request
// redelivered after the first attempt failed past its check run, and an older push arriving after a newer
// one under a new delivery id (the signature covers the body, not X-GitHub-Delivery).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";
import { openDb } from "../../app/store/db.js";
import {
  eventually,
  filesOf,
  installationCreated,
  organisation,
  pullRequestEvent,
  pushed,
  startApp,
  type AppProcess,
} from "../support/app-process.js";
import { freshDataDir } from "../support/data-dir.js";

const AT = { org: "acme", installationId: 7001 };
const DVC_PIPELINE = "stages:\n  train:\n    cmd: python train.py\n    outs: [model.pkl]\n";

describe("replayed and reordered deliveries", { timeout: 60_000 }, () => {
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

  const reportOf = () =>
    sim.issues("acme/.github").find((issue) => issue.body?.includes("Levels per repository"));

  async function installed(dataDir?: string) {
    const listed = organisation(sim, AT, {
      ".github": { "README.md": "# acme\n" },
      recsys: filesOf("fixtures/maturity/bare"),
    });
    app = await startApp({ sim, ...(dataDir ? { dataDir } : {}) });
    await app.deliver("installation", installationCreated(AT.installationId, AT.org, listed));
    const issue = await eventually("the report", () => reportOf());
    return { recsys: listed.find((each) => each.name === "recsys")!, issue };
  }

  it("a pull_request redelivered after the first attempt failed past its check run adds no second check run", async () => {
    const { recsys } = await installed();
    const baseSha = sim.addCommit("acme/recsys", {
      files: filesOf("fixtures/maturity/bare"),
      message: "base",
      branch: "main",
    });
    const headSha = sim.addCommit("acme/recsys", {
      files: { ...filesOf("fixtures/maturity/bare"), "dvc.yaml": DVC_PIPELINE },
      message: "dvc",
      branch: "dvc",
      parents: [baseSha],
    });
    const number = sim.addPullRequest("acme/recsys", { headSha, headRef: "dvc", baseRef: "main", baseSha });
    const payload = pullRequestEvent({
      ...AT,
      action: "opened",
      name: "recsys",
      id: recsys.id,
      number,
      headSha,
      headRef: "dvc",
      baseSha,
    });
    // After the check run, reading the PR's comments fails: the handler throws and the delivery gets a 500.
    sim.fault({
      method: "GET",
      path: new RegExp(`^/repos/acme/recsys/issues/${number}/comments`),
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    const first = await app!.deliver("pull_request", payload, { deliveryId: "pr-delivery-1" });
    expect(first.status).toBeGreaterThanOrEqual(400);
    expect(sim.checkRuns("acme/recsys").filter((run) => run.head_sha === headSha)).toHaveLength(1);
    expect(sim.comments("acme/recsys", number)).toHaveLength(0);

    // GitHub's "Redeliver": same body, same delivery id.
    const again = await app!.deliver("pull_request", payload, { deliveryId: "pr-delivery-1" });
    expect(again.status).toBe(200);
    expect(sim.comments("acme/recsys", number)).toHaveLength(1);
    expect(sim.checkRuns("acme/recsys").filter((run) => run.head_sha === headSha)).toHaveLength(1);
  });

  it("an older push delivered after a newer one, under a new delivery id, changes no level backwards", async () => {
    const dataDir = await freshDataDir();
    const { recsys, issue } = await installed(dataDir);
    const bare = filesOf("fixtures/maturity/bare");
    // A: an unrelated change; B (after A): a DVC pipeline, raising levels.
    const a = sim.addCommit("acme/recsys", {
      files: { ...bare, "notes.md": "x" },
      message: "A",
      branch: "main",
    });
    const b = sim.addCommit("acme/recsys", {
      files: { ...bare, "notes.md": "x", "dvc.yaml": DVC_PIPELINE },
      message: "B",
      branch: "main",
    });
    const push = (before: string, after: string) =>
      pushed({ ...AT, name: "recsys", id: recsys.id, before, after });
    expect((await app!.deliver("push", push("0".repeat(40), b), { deliveryId: "push-b" })).status).toBe(200);
    await eventually("B in the report", () => (reportOf()?.body?.includes(b.slice(0, 7)) ? true : undefined));
    // A arrives late (or is replayed) with a fresh delivery id.
    expect((await app!.deliver("push", push("0".repeat(40), a), { deliveryId: "push-a" })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // debounce and a sweep
    const body = reportOf()?.body ?? "";
    expect(body).toMatch(/⬆️ Data version control \| 0 → 3/);
    expect(body).not.toContain("⬇️");
    expect(sim.issues("acme/.github").map((each) => each.number)).toEqual([issue.number]);
    expect(await app!.stop()).toBe(0);
    app = undefined;

    const db = await openDb({ dataDir });
    try {
      const latest = await db.query<{ commit: string }>(
        "select commit_sha as commit from snapshots where repository_id = $1 order by id desc limit 1",
        [recsys.id],
      );
      const backwards = await db.query<{ n: number }>(
        "select count(*)::int as n from level_changes where repository_id = $1 and to_level < from_level",
        [recsys.id],
      );
      const ofA = await db.query<{ n: number }>(
        "select count(*)::int as n from snapshots where commit_sha = $1",
        [a],
      );
      expect(latest).toEqual([{ commit: b }]);
      expect(backwards[0]?.n).toBe(0);
      expect(ofA[0]?.n).toBe(0);
    } finally {
      await db.close();
    }
  });

  it("the same push delivered again under a new delivery id records no second snapshot", async () => {
    const dataDir = await freshDataDir();
    const { recsys } = await installed(dataDir);
    const b = sim.addCommit("acme/recsys", {
      files: { ...filesOf("fixtures/maturity/bare"), "dvc.yaml": DVC_PIPELINE },
      message: "B",
      branch: "main",
    });
    const push = pushed({ ...AT, name: "recsys", id: recsys.id, before: "0".repeat(40), after: b });
    expect((await app!.deliver("push", push, { deliveryId: "push-1" })).status).toBe(200);
    expect((await app!.deliver("push", push, { deliveryId: "push-2" })).status).toBe(200);
    expect(await app!.stop()).toBe(0);
    app = undefined;
    const db = await openDb({ dataDir });
    try {
      // The stored snapshot comes back from jsonb with its keys in another order: still the same snapshot.
      const ofB = await db.query<{ n: number }>(
        "select count(*)::int as n from snapshots where commit_sha = $1",
        [b],
      );
      expect(ofB[0]?.n).toBe(1);
    } finally {
      await db.close();
    }
  });
});
