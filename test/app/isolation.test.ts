// One App, two organisations (issue #6, threat "one organisation seeing another's data"): acme and globex
// install the same App process; each one's report, each one's GitHub requests and each one's stored rows
// name only its own repositories. Canary repository names make any leak visible.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDb } from "../../app/store/db.js";
import { freshDataDir } from "../support/data-dir.js";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";
import {
  eventually,
  filesOf,
  installationCreated,
  organisation,
  pushed,
  startApp,
  type AppProcess,
} from "../support/app-process.js";

const ACME = { org: "acme", installationId: 7001, canaries: ["acme-canary-falcon", "acme-canary-heron"] };
const GLOBEX = {
  org: "globex",
  installationId: 7002,
  canaries: ["globex-canary-otter", "globex-canary-lynx"],
};
const DVC = {
  ...filesOf("fixtures/maturity/bare"),
  "dvc.yaml": "stages:\n  train:\n    cmd: python train.py\n",
};

describe("two organisations on one App", { timeout: 120_000 }, () => {
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
  const issueText = (org: string) =>
    sim
      .issues(`${org}/.github`)
      .map((issue) => `${issue.title}\n${issue.body ?? ""}`)
      .join("\n");

  /** Asks the simulator which account a token's installation belongs to, as GitHub would answer the App. */
  async function accountOf(token: string): Promise<string> {
    const response = await fetch(`${sim.url}/installation/repositories`, {
      headers: { authorization: `token ${token}`, accept: "application/vnd.github+json" },
    });
    const { repositories } = (await response.json()) as { repositories: { owner: { login: string } }[] };
    const owners = new Set(repositories.map((repository) => repository.owner.login.toLowerCase()));
    expect(owners.size).toBe(1);
    return [...owners][0]!;
  }

  it("keeps each organisation's report, GitHub requests and stored rows to its own repositories", async () => {
    const settings = (org: string) => ({ ".github": { "README.md": `# ${org}\n` } });
    const orgs = [ACME, GLOBEX].map((at) => ({
      ...at,
      listed: organisation(sim, at, {
        ...settings(at.org),
        [at.canaries[0]!]: filesOf("fixtures/maturity/bare"),
        [at.canaries[1]!]: filesOf("fixtures/maturity/mature"),
      }),
    }));
    const dataDir = await freshDataDir();
    app = await startApp({ sim, dataDir });
    for (const at of orgs) {
      const response = await app.deliver(
        "installation",
        installationCreated(at.installationId, at.org, at.listed),
      );
      expect(response.status).toBe(200);
    }
    const pushes = new Map<string, string>();
    for (const at of orgs) {
      await eventually(`${at.org}'s report`, () => reportOf(at.org));
      const name = at.canaries[0]!;
      const after = sim.addCommit(`${at.org}/${name}`, { files: DVC, message: "dvc", branch: "main" });
      const id = at.listed.find((repository) => repository.name === name)!.id;
      const payload = pushed({
        installationId: at.installationId,
        org: at.org,
        name,
        id,
        before: "0".repeat(40),
        after,
      });
      expect((await app.deliver("push", payload)).status).toBe(200);
      pushes.set(at.org, after);
    }
    for (const at of orgs) {
      const after = pushes.get(at.org)!;
      await eventually(
        `${at.org}'s push in its report`,
        () => reportOf(at.org)?.body?.includes(after.slice(0, 7)) || undefined,
      );
    }

    // The reports: each names its own canaries and nothing of the other organisation.
    for (const [own, other] of [
      [ACME, GLOBEX],
      [GLOBEX, ACME],
    ] as const) {
      const text = issueText(own.org);
      for (const canary of own.canaries) expect(text).toContain(`[${canary}](`);
      for (const canary of other.canaries) expect(text).not.toContain(canary);
      expect(text).not.toContain(other.org);
      expect(text).not.toContain(pushes.get(other.org)!.slice(0, 7));
    }

    // GitHub requests: every request made with an installation's token names only its account's repositories.
    const requests = [...sim.requests];
    const tokens = [
      ...new Set(requests.map((request) => request.token).filter((token) => token?.startsWith("ghs_"))),
    ];
    const accounts = new Map<string, string>();
    for (const token of tokens) accounts.set(token!, await accountOf(token!));
    expect(new Set(accounts.values())).toEqual(new Set(["acme", "globex"]));
    const crossing = requests.filter((request) => {
      const account = request.token ? accounts.get(request.token) : undefined;
      if (!account) return false;
      const owner = /^\/repos\/([^/]+)\//.exec(request.path)?.[1]?.toLowerCase();
      return (
        (owner !== undefined && owner !== account) ||
        request.path.includes(account === "acme" ? "globex" : "acme")
      );
    });
    expect(crossing).toEqual([]);
    for (const account of ["acme", "globex"]) {
      const own = requests.filter((request) => request.token && accounts.get(request.token) === account);
      expect(own.some((request) => request.path.startsWith(`/repos/${account}/`))).toBe(true);
    }
    expect(sim.invalidRequests).toEqual([]);

    // The store: rows queried per installation are that installation's own.
    expect(await app.stop()).toBe(0);
    app = undefined;
    const db = await openDb({ dataDir });
    try {
      for (const at of orgs) {
        const repositories = await db.query<{ owner: string; name: string }>(
          "select owner, name from repositories where installation_id = $1 order by name",
          [at.installationId],
        );
        expect(repositories.map((row) => row.name)).toEqual([".github", ...at.canaries].sort());
        expect(new Set(repositories.map((row) => row.owner))).toEqual(new Set([at.org]));
        const snapshots = await db.query<{ owner: string; name: string; data: unknown }>(
          `select r.owner, r.name, s.data from snapshots s join repositories r on r.id = s.repository_id
           where r.installation_id = $1`,
          [at.installationId],
        );
        expect(snapshots.length).toBeGreaterThan(0);
        const other = at === orgs[0] ? GLOBEX : ACME;
        for (const row of snapshots) {
          expect(row.owner).toBe(at.org);
          expect(JSON.stringify(row.data)).not.toContain(other.org);
        }
        const changes = await db.query<{ owner: string }>(
          `select r.owner from level_changes c join repositories r on r.id = c.repository_id
           where r.installation_id = $1`,
          [at.installationId],
        );
        expect(changes.length).toBeGreaterThan(0);
        expect(new Set(changes.map((row) => row.owner))).toEqual(new Set([at.org]));
        const report = await db.query<{ repo_owner: string; last_levels: unknown }>(
          "select repo_owner, last_levels from org_reports where installation_id = $1",
          [at.installationId],
        );
        expect(report.map((row) => row.repo_owner)).toEqual([at.org]);
        expect(JSON.stringify(report[0]?.last_levels ?? null)).not.toContain(other.org);
      }
    } finally {
      await db.close();
    }
  });

  it("does not let acme's settings extend globex's: the other organisation's settings stay unread", async () => {
    organisation(sim, GLOBEX, {
      ".github": { ".github/mlgate.yml": "maturity:\n  report: { title: Globex secret roadmap }\n" },
      [GLOBEX.canaries[0]!]: filesOf("fixtures/maturity/bare"),
    });
    const listed = organisation(sim, ACME, {
      ".github": { ".github/mlgate.yml": "_extends: globex/.github\nmaturity:\n  staleAfter: 30d\n" },
      [ACME.canaries[0]!]: filesOf("fixtures/maturity/bare"),
    });
    app = await startApp({ sim });
    expect(
      (await app.deliver("installation", installationCreated(ACME.installationId, ACME.org, listed))).status,
    ).toBe(200);
    // acme's report is still written (an unreadable `_extends` is not fatal), and globex's settings never reach it.
    await eventually("acme's report", () => reportOf(ACME.org), 15_000);
    expect(issueText(ACME.org)).not.toContain("Globex secret roadmap");
    const settingsReads = sim.requests.filter((request) => request.path.startsWith("/repos/globex/"));
    expect(settingsReads.every((request) => request.status === 404)).toBe(true);
    expect(sim.issues("globex/.github")).toEqual([]);
  });
});
