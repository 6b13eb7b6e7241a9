// The org report when its repository turns public (issue #12, item 9). A report in a private repository names
// private repositories, and GitHub keeps every version of an issue in its edit history; so the App retires such an
// issue when its repository turns public (its body replaced by a notice that names no repository, closed, locked)
// and goes on in a new issue that never named one: on the `repository` `publicized` webhook, at the next render,
// or at the next sweep when the webhook never came. The built App against the GitHub simulator, which keeps edit
// histories as GitHub does.
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  startGitHubSimulator,
  type GitHubSimulator,
  type IssueSnapshot,
} from "../support/github-sim/index.js";
import {
  eventually,
  filesOf,
  installationCreated,
  organisation,
  pushed,
  startApp,
  type AppProcess,
} from "../support/app-process.js";
import { freshSchema } from "../support/postgres.js";
import { examplePayload } from "../support/webhooks.js";

const ORG = "acme";
const INSTALLATION = 7301;
const AT = { org: ORG, installationId: INSTALLATION };
const REPORT_REPO = `${ORG}/.github`;

describe("a report repository that turns public", { timeout: 120_000 }, () => {
  let sim: GitHubSimulator;
  let app: AppProcess | undefined;
  const cleanups: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    sim = await startGitHubSimulator();
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await sim.close();
    expect(sim.invalidRequests).toEqual([]);
  });

  const issues = () => sim.issues(REPORT_REPO);
  const isReport = (issue: IssueSnapshot) => /page=1 -->/.test(issue.body ?? "");
  const written = (issue: IssueSnapshot | undefined) =>
    issue?.body?.includes("Levels per repository") ? issue : undefined;

  /** acme with its report in a private `.github`, naming the private `secret-model` (and `privates` more). */
  async function installPrivateReport(
    options: {
      env?: Record<string, string>;
      databaseUrl?: string;
      extra?: Record<string, Record<string, string>>;
    } = {},
  ) {
    const listed = organisation(sim, AT, {
      ".github": { "README.md": "# acme\n" },
      "churn-model": filesOf("fixtures/maturity/mature"),
      "secret-model": filesOf("fixtures/maturity/mature"),
      ...options.extra,
    });
    sim.setVisibility(REPORT_REPO, "private");
    app = await startApp({
      sim,
      env: options.env ?? {},
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    });
    expect((await app.deliver("installation", installationCreated(INSTALLATION, ORG, listed))).status).toBe(
      200,
    );
    const report = await eventually("the report naming secret-model", () => {
      const main = written(issues().find(isReport));
      return main?.body?.includes("[secret-model](") ? main : undefined;
    });
    return { listed, report };
  }

  /** GitHub's `repository` `publicized` payload (a real example) for acme/.github. */
  function publicized(listed: { id: number; name: string }[]) {
    const payload = examplePayload("repository", "publicized");
    const repository = payload.repository as Record<string, unknown>;
    payload.repository = {
      ...repository,
      id: listed.find((entry) => entry.name === ".github")!.id,
      name: ".github",
      full_name: REPORT_REPO,
      private: false,
      visibility: "public",
      default_branch: "main",
      owner: { ...(repository.owner as object), login: ORG },
    };
    payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
    return payload;
  }

  /** The report's new first page, once it is written and is not `old`. */
  const newReport = (old: readonly number[]) =>
    eventually("a new report issue", () =>
      written(issues().find((issue) => isReport(issue) && !old.includes(issue.number))),
    );

  /** What the retired issues and the new report look like, and what the App logged. */
  function expectRetired(
    oldNumbers: readonly number[],
    fresh: IssueSnapshot,
    names: { shown: string; withheld: readonly string[] },
  ) {
    const retired = issues().filter((issue) => oldNumbers.includes(issue.number));
    expect(retired).toHaveLength(oldNumbers.length);
    for (const issue of retired) {
      expect(issue).toMatchObject({
        state: "closed",
        locked: true,
        active_lock_reason: "resolved",
        title: "MLOps maturity report (retired)",
      });
      // The notice names no repository at all, private or not.
      for (const name of [names.shown, ".github", ...names.withheld]) expect(issue.body).not.toContain(name);
      expect(issue.body).toContain("**A repository admin should delete this issue**");
    }
    // What an App cannot undo: GitHub keeps the old text in the issues' edit history.
    const history = retired.flatMap((issue) => issue.body_history).join("\n");
    for (const name of names.withheld) expect(history).toContain(name);
    expect(fresh.state).toBe("open");
    expect(fresh.locked).toBe(false);
    const current = issues().filter((each) => !oldNumbers.includes(each.number));
    expect(current.map((issue) => issue.body).join("\n")).toContain(`[${names.shown}](`);
    // No version of the new issues ever named a private repository.
    for (const issue of current) {
      const versions = issue.body_history.join("\n");
      for (const name of names.withheld) expect(versions).not.toContain(name);
    }
    expect(app!.output()).toContain("a repository admin should delete these issues");
  }

  it.each(
    [
      {
        how: "on the publicized webhook",
        // No sweep during the test: the webhook alone must do it.
        env: { MLGATE_SWEEP_INTERVAL: "1h" },
        after: async (listed: { id: number; name: string }[]) =>
          expect((await app!.deliver("repository", publicized(listed))).status).toBe(200),
      },
      {
        how: "at the next render when the webhook never came",
        env: { MLGATE_SWEEP_INTERVAL: "1h" },
        after: async (listed: { id: number; name: string }[]) => {
          const after = sim.addCommit(`${ORG}/churn-model`, {
            files: { ...filesOf("fixtures/maturity/mature"), "NOTES.md": "a change\n" },
            message: "notes",
            branch: "main",
          });
          const push = pushed({
            installationId: INSTALLATION,
            org: ORG,
            name: "churn-model",
            id: listed.find((entry) => entry.name === "churn-model")!.id,
            before: "0".repeat(40),
            after,
          });
          expect((await app!.deliver("push", push)).status).toBe(200);
        },
      },
      {
        how: "at the next sweep when the webhook never came",
        env: { MLGATE_SWEEP_INTERVAL: "1s", MLGATE_VISIBILITY_CHECK_INTERVAL: "1s" },
        after: async () => undefined,
      },
    ].map((row) => [row.how, row] as const),
  )(
    "retires the issue that named a private repository %s: a notice that names no repository, closed and locked; a new issue holds the report without private repositories",
    async (_how, { env, after }) => {
      const { listed, report } = await installPrivateReport({ env });
      expect(report.body).toContain("[secret-model](");
      sim.setVisibility(REPORT_REPO, "public");
      await after(listed);
      const fresh = await newReport([report.number]);
      expect(fresh.body).toContain("1 private repository is not shown");
      expectRetired([report.number], fresh, { shown: "churn-model", withheld: ["secret-model"] });
      // From now on the new issue is the report: a later render edits it, and retires nothing more.
      const count = issues().length;
      expect((await app!.deliver("repository", publicized(listed))).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(issues().length).toBe(count);
      expect(
        issues()
          .filter((issue) => issue.state === "open")
          .map((issue) => issue.number),
      ).toEqual([fresh.number]);
    },
  );

  it("retires every page of a report split over several issues", async () => {
    const extra: Record<string, Record<string, string>> = {};
    const evidence = filesOf("fixtures/maturity/evidence-only");
    const privateNames: string[] = [];
    for (let index = 0; index < 320; index++) {
      const name = `${index % 4 === 0 ? "private" : "model"}-${String(index).padStart(3, "0")}-with-a-long-descriptive-name`;
      extra[name] = evidence;
      if (name.startsWith("private-")) privateNames.push(name);
    }
    const listed = organisation(sim, AT, { ".github": { "README.md": "# acme\n" }, ...extra });
    for (const name of privateNames) sim.setVisibility(`${ORG}/${name}`, "private");
    sim.setVisibility(REPORT_REPO, "private");
    app = await startApp({ sim, env: { MLGATE_SWEEP_INTERVAL: "1h" } });
    await app.deliver("installation", installationCreated(INSTALLATION, ORG, listed));
    const pages = await eventually("the pages, written", () => {
      const all = issues();
      return all.length > 1 && all.every((issue) => !issue.body?.includes("is being written"))
        ? all
        : undefined;
    });
    expect(pages.map((page) => page.body).join("\n")).toContain(privateNames.at(-1));
    sim.setVisibility(REPORT_REPO, "public");
    await app.deliver("repository", publicized(listed));
    const old = pages.map((page) => page.number);
    const fresh = await newReport(old);
    await eventually(
      "the new pages, written",
      () => issues().every((issue) => !issue.body?.includes("is being written")) || undefined,
    );
    expect(fresh.body).toContain(`${privateNames.length} private repositories are not shown`);
    expectRetired(old, fresh, { shown: "model-001-with-a-long-descriptive-name", withheld: privateNames });
  });

  it("retires an old report left in a repository the report moved away from, when that repository turns public", async () => {
    const { listed, report } = await installPrivateReport({
      env: { MLGATE_SWEEP_INTERVAL: "1h" },
      extra: { handbook: { "README.md": "# handbook\n" } },
    });
    // The organisation moves the report to its public handbook; the old issue stays in the private .github.
    const after = sim.addCommit(REPORT_REPO, {
      files: {
        "README.md": "# acme\n",
        ".github/mlgate.yml": "maturity:\n  report:\n    repository: handbook\n",
      },
      message: "report in the handbook",
      branch: "main",
    });
    const push = pushed({
      installationId: INSTALLATION,
      org: ORG,
      name: ".github",
      id: listed.find((entry) => entry.name === ".github")!.id,
      before: "0".repeat(40),
      after,
    });
    expect((await app!.deliver("push", push)).status).toBe(200);
    const moved = await eventually("the report in the handbook", () =>
      written(sim.issues(`${ORG}/handbook`).find(isReport)),
    );
    expect(moved.body).not.toContain("secret-model");
    expect(issues().find((issue) => issue.number === report.number)).toMatchObject({ state: "open" });

    sim.setVisibility(REPORT_REPO, "public");
    // GitHub refuses the first try (issues turned off for a while, say): the report in the handbook does
    // not wait on it, and the next render tries again.
    sim.fault({ method: "PATCH", path: `/repos/${REPORT_REPO}/issues/${report.number}`, status: 403 });
    expect((await app!.deliver("repository", publicized(listed))).status).toBe(200);
    await eventually("the refused retirement logged", () =>
      app!.output().includes("could not retire an old org report issue") ? true : undefined,
    );
    expect(app!.output()).not.toContain("could not be written");
    expect((await app!.deliver("repository", publicized(listed))).status).toBe(200);
    const retired = await eventually("the old report retired", () => {
      const old = issues().find((issue) => issue.number === report.number);
      return old?.locked ? old : undefined;
    });
    expect(retired).toMatchObject({ state: "closed", title: "MLOps maturity report (retired)" });
    expect(retired.body).not.toContain("secret-model");
    // The report itself goes on where it is, untouched by the retirement.
    expect(sim.issues(`${ORG}/handbook`).map((issue) => [issue.number, issue.state, issue.locked])).toEqual([
      [moved.number, "open", false],
    ]);
  });

  it("retires a report written before the App recorded what it named, on the publicized webhook", async () => {
    const schema = freshSchema("visibility");
    await schema.create();
    cleanups.push(() => schema.drop());
    const { listed, report } = await installPrivateReport({
      databaseUrl: schema.url,
      env: { MLGATE_SWEEP_INTERVAL: "1h" },
    });
    // As the migration leaves the issues of a report written by an earlier version: what they named, unknown.
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      const { rowCount } = await client.query("update report_issues set named_private = null");
      expect(rowCount).toBe(1);
    } finally {
      await client.end();
    }
    sim.setVisibility(REPORT_REPO, "public");
    expect((await app!.deliver("repository", publicized(listed))).status).toBe(200);
    expectRetired([report.number], await newReport([report.number]), {
      shown: "churn-model",
      withheld: ["secret-model"],
    });
  });
});
