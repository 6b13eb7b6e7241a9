// GitHub misbehaving under the App: a 502 after the write was stored, 5xx on reads and writes, a read-only
// installation, secondary rate limits, and a GitHub that hangs for one organisation while another pushes.
// The built App as a process, the GitHub simulator over HTTP with injected faults, signed real payloads.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";
import {
  APP_ID,
  APP_SLUG,
  eventually,
  filesOf,
  installationCreated,
  organisation,
  pullRequestEvent,
  pushed,
  startApp,
  type AppProcess,
} from "../support/app-process.js";

const ACME = { org: "acme", installationId: 7001 };
const GLOBEX = { org: "globex", installationId: 7002 };
const DVC_PIPELINE = "stages:\n  train:\n    cmd: python train.py\n    outs: [model.pkl]\n";
const SECONDARY_LIMIT = {
  message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
  documentation_url:
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
};

describe("the App when GitHub fails", { timeout: 90_000 }, () => {
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

  const reportOf = (org: string) =>
    sim.issues(`${org}/.github`).find((issue) => issue.body?.includes("Levels per repository"));
  const requests = (method: string, path: RegExp) =>
    sim.requests.filter((request) => request.method === method && path.test(request.path));
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** `at`'s organisation with a bare `recsys`, installed; returns recsys and the report issue. */
  async function installed(at: typeof ACME, options: { start?: boolean } = {}) {
    const listed = organisation(sim, at, {
      ".github": { "README.md": `# ${at.org}\n` },
      recsys: filesOf("fixtures/maturity/bare"),
    });
    if (options.start !== false) app = await startApp({ sim });
    const response = await app!.deliver(
      "installation",
      installationCreated(at.installationId, at.org, listed),
    );
    expect(response.status).toBe(200);
    const issue = await eventually(`${at.org}'s report`, () => reportOf(at.org));
    return { recsys: listed.find((each) => each.name === "recsys")!, issue };
  }

  /** A commit adding a DVC pipeline to `org/recsys` (raises levels), delivered as a push. */
  async function pushDvc(at: typeof ACME, recsys: { id: number }) {
    const after = sim.addCommit(`${at.org}/recsys`, {
      files: { ...filesOf("fixtures/maturity/bare"), "dvc.yaml": DVC_PIPELINE },
      message: "DVC pipeline",
      branch: "main",
    });
    const payload = pushed({ ...at, name: "recsys", id: recsys.id, before: "0".repeat(40), after });
    expect((await app!.deliver("push", payload)).status).toBe(200);
    return after;
  }

  it("a 502 after the report issue was stored leaves exactly one report issue", async () => {
    sim.fault({ method: "POST", path: /^\/repos\/acme\/\.github\/issues$/, status: 502, afterWrite: true });
    const { issue } = await installed(ACME);
    expect(requests("POST", /^\/repos\/acme\/\.github\/issues$/).map((request) => request.status)).toEqual([
      502,
    ]);
    await sleep(1500); // the sweep has run again meanwhile
    expect(sim.issues("acme/.github").map((each) => each.number)).toEqual([issue.number]);
  });

  it("a report issue stored, then no answer until the App's timeout, leaves exactly one report issue", async () => {
    sim.fault({ method: "POST", path: /^\/repos\/acme\/\.github\/issues$/, delayAfterWriteMs: 40_000 });
    const listed = organisation(sim, ACME, {
      ".github": { "README.md": "# acme\n" },
      recsys: filesOf("fixtures/maturity/bare"),
    });
    app = await startApp({ sim });
    const started = Date.now();
    await app.deliver("installation", installationCreated(ACME.installationId, "acme", listed));
    const issue = await eventually(
      "the report filled in",
      () => (reportOf("acme")?.body?.includes("[recsys](") ? reportOf("acme") : undefined),
      50_000,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(29_000);
    expect(sim.issues("acme/.github").map((each) => each.number)).toEqual([issue.number]);
  });

  it("a 502 after the check run was stored leaves exactly one check run", async () => {
    const { recsys } = await installed(ACME);
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
    sim.fault({ method: "POST", path: /^\/repos\/acme\/recsys\/check-runs$/, status: 502, afterWrite: true });
    const payload = pullRequestEvent({
      ...ACME,
      action: "opened",
      name: "recsys",
      id: recsys.id,
      number,
      headSha,
      headRef: "dvc",
      baseSha,
    });
    expect((await app!.deliver("pull_request", payload)).status).toBe(200);
    await eventually("the comment", () => sim.comments("acme/recsys", number)[0]);
    expect(requests("POST", /check-runs$/).map((request) => request.status)).toEqual([502]);
    expect(sim.checkRuns("acme/recsys").filter((run) => run.head_sha === headSha)).toHaveLength(1);
  });

  it("5xx on the scan's reads and on the report's edits: the report still ends complete, in one issue", async () => {
    const repositories = organisation(sim, ACME, {
      ".github": { "README.md": "# acme\n" },
      "churn-model": filesOf("fixtures/maturity/mature"),
      recsys: filesOf("fixtures/maturity/bare"),
    });
    // The scan's GraphQL read fails twice, and the first edit of the report four times (more than
    // Octokit's own three retries): the App's retries and its sweep still get there.
    sim.fault({ method: "POST", path: /\/graphql$/, status: 502, times: 2 });
    sim.fault({ method: "PATCH", path: /^\/repos\/acme\/\.github\/issues\/\d+$/, status: 500, times: 4 });
    app = await startApp({ sim });
    await app.deliver("installation", installationCreated(ACME.installationId, "acme", repositories));
    const issue = await eventually(
      "the complete report",
      () => {
        const body = reportOf("acme")?.body ?? "";
        return body.includes("[churn-model](") && body.includes("[recsys](") ? reportOf("acme") : undefined;
      },
      40_000,
    );
    expect(issue.body).toContain("Tracking 2 repositories of acme");
    expect(requests("PATCH", /\/issues\/\d+$/).filter((request) => request.status === 500)).toHaveLength(4);
    expect(sim.issues("acme/.github")).toHaveLength(1);
    expect(app.output()).toContain("org report could not be written");
  });

  it("on a read-only installation, fails without crashing and without a retry storm", async () => {
    sim.addOrganization("acme");
    sim.addInstallation({
      id: ACME.installationId,
      appId: APP_ID,
      appSlug: APP_SLUG,
      account: "acme",
      repositories: "all",
      permissions: "read",
    });
    for (const name of [".github", "recsys"]) {
      sim.addRepo({ owner: "acme", name });
      sim.addCommit(`acme/${name}`, { files: filesOf("fixtures/maturity/bare"), message: "initial" });
    }
    const repositories = [".github", "recsys"].map((name) => ({
      id: sim.repoId(`acme/${name}`),
      name,
      full_name: `acme/${name}`,
      private: false,
    }));
    app = await startApp({ sim });
    const response = await app.deliver(
      "installation",
      installationCreated(ACME.installationId, "acme", repositories),
    );
    expect(response.status).toBe(200);
    await eventually("a refused report issue", () => requests("POST", /\/issues$/)[0]);
    // The sweep runs every second; after a refusal the App waits 2 s, then 4 s, then 8 s…
    await sleep(8_000);
    const refused = requests("POST", /\/issues$/);
    expect(refused.every((request) => request.status === 403)).toBe(true);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeLessThanOrEqual(3);
    expect(sim.issues("acme/.github")).toHaveLength(0);
    expect(app.output()).toContain("org report could not be written");
    expect(app.child.exitCode).toBeNull();
  });

  it("waits out a secondary rate limit with retry-after: 1 on the report edit, then edits once", async () => {
    const { recsys, issue } = await installed(ACME);
    const edit = new RegExp(`^/repos/acme/\\.github/issues/${issue.number}$`);
    const before = requests("PATCH", edit).length;
    sim.fault({
      method: "PATCH",
      path: edit,
      status: 403,
      headers: { "retry-after": "1" },
      body: SECONDARY_LIMIT,
    });
    const after = await pushDvc(ACME, recsys);
    await eventually("the edited report", () =>
      reportOf("acme")?.body?.includes(after.slice(0, 7)) ? true : undefined,
    );
    const edits = requests("PATCH", edit).slice(before);
    expect(edits.map((request) => request.status)).toEqual([403, 200]);
    const [limited, done] = edits as [(typeof edits)[number], (typeof edits)[number]];
    expect(done.startedAt - (limited.startedAt + limited.durationMs)).toBeGreaterThanOrEqual(950);
    // The request itself waited and went through: the render never failed.
    expect(app!.output()).not.toContain("org report could not be written");
  });

  // Both refusals ask for an hour: one try, then nothing until then, while other organisations carry on.
  it.each([
    {
      title: "gives up on a secondary rate limit with a long retry-after, and other organisations carry on",
      headers: () => ({ "retry-after": "3600" }),
      body: SECONDARY_LIMIT,
    },
    {
      // What GitHub answers when an installation has spent its hourly requests: no retry-after, a reset time.
      title: "gives up on an exhausted primary rate limit until its reset, and other organisations carry on",
      headers: () => ({
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-used": "5000",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
        "x-ratelimit-resource": "core",
      }),
      body: {
        message: `API rate limit exceeded for installation ID ${ACME.installationId}.`,
        documentation_url:
          "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits",
      },
    },
  ])("$title", async ({ headers, body }) => {
    app = await startApp({ sim });
    const acme = await installed(ACME, { start: false });
    const globex = await installed(GLOBEX, { start: false });
    const edit = new RegExp(`^/repos/acme/\\.github/issues/${acme.issue.number}$`);
    const before = requests("PATCH", edit).length;
    sim.fault({ method: "PATCH", path: edit, status: 403, headers: headers(), body, times: 100 });
    await pushDvc(ACME, acme.recsys);
    const globexCommit = await pushDvc(GLOBEX, globex.recsys);
    await eventually("globex's edited report", () =>
      reportOf("globex")?.body?.includes(globexCommit.slice(0, 7)) ? true : undefined,
    );
    await sleep(5_000); // five sweeps
    // One try, no retry within the hour GitHub asked for.
    expect(
      requests("PATCH", edit)
        .slice(before)
        .map((request) => request.status),
    ).toEqual([403]);
    expect(app!.output()).toContain("org report could not be written");
    expect(app!.output()).toMatch(/"retryInMs":3[56]\d{5}/);
  });

  it("a GitHub that hangs on one organisation's report does not hold up another's push", async () => {
    app = await startApp({ sim });
    const acme = await installed(ACME, { start: false });
    const globex = await installed(GLOBEX, { start: false });
    let hanging = false;
    sim.fault({
      method: "PATCH",
      path: new RegExp(`^/repos/acme/\\.github/issues/${acme.issue.number}$`),
      delayMs: 10_000,
      onMatch: () => (hanging = true),
    });
    const acmeCommit = await pushDvc(ACME, acme.recsys);
    await eventually("acme's report edit to hang", () => hanging || undefined);
    const started = Date.now();
    const globexCommit = await pushDvc(GLOBEX, globex.recsys);
    await eventually(
      "globex's edited report",
      () => (reportOf("globex")?.body?.includes(globexCommit.slice(0, 7)) ? true : undefined),
      8_000,
    );
    // Well before acme's 10 s hang ends, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(7_000);
    // And acme's report gets its edit once GitHub answers.
    await eventually(
      "acme's edited report",
      () => (reportOf("acme")?.body?.includes(acmeCommit.slice(0, 7)) ? true : undefined),
      20_000,
    );
    expect(sim.issues("acme/.github")).toHaveLength(1);
  });

  it("gives up on a GitHub call that hangs after its timeout, and edits the report on a later try", async () => {
    const { recsys, issue } = await installed(ACME);
    const edit = new RegExp(`^/repos/acme/\\.github/issues/${issue.number}$`);
    // Hangs for longer than the test waits; never applied.
    sim.fault({ method: "PATCH", path: edit, delayMs: 120_000, status: 504 });
    const pushedAt = Date.now();
    const after = await pushDvc(ACME, recsys);
    await eventually(
      "the edited report",
      () => (reportOf("acme")?.body?.includes(after.slice(0, 7)) ? true : undefined),
      50_000,
    );
    // REQUEST_TIMEOUT_MS (30 s), then Octokit's own retry.
    expect(Date.now() - pushedAt).toBeGreaterThanOrEqual(29_000);
    expect(sim.issues("acme/.github")).toHaveLength(1);
  });
});
