// One organisation's hostile repository against everyone else's (issue #12): a push of large files written
// to stall the maturity detectors, while another organisation pushes. Scoring runs in worker threads, under
// a time limit, outside the database transaction. The built App as a process, the GitHub simulator over
// HTTP, signed real webhook payloads, PGlite in a temporary directory.
import { randomUUID } from "node:crypto";
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
  stopOrKill,
} from "../support/app-process.js";

const ACME = { org: "acme", installationId: 7001 };
const GLOBEX = { org: "globex", installationId: 7002 };
const BARE = filesOf("fixtures/maturity/bare");
const DVC = { ...BARE, "dvc.yaml": "stages:\n  train:\n    cmd: python train.py\n" };
/** Just under the App's per-file limit (512 KiB), so every file is read and scored. */
const LARGE = 500 * 1024;

/**
 * Files written against the detectors' old regular expressions: workflows that go on in blank lines (from
 * each line start `^\s*tags\s*:` ran over every blank line after it) and a README of `---` lines (from
 * each, `^---\r?\n[\s\S]*?^model[-_]index:` scanned to the end). Minutes each, with those expressions.
 */
const HOSTILE = {
  ...DVC, // a pipeline too, so that the push changes levels and shows in the report
  "README.md": "---\n".repeat(LARGE / 4),
  ".github/workflows/ci.yml": `on: [push]\njobs: {}\n`.padEnd(LARGE, "\n"),
  ".github/workflows/nightly.yml": `on: [schedule]\njobs: {}\n`.padEnd(LARGE, "\n"),
  ".github/workflows/lint.yml": `on: [pull_request]\njobs: {}\n`.padEnd(LARGE, "\n"),
};

describe("scoring a hostile repository", { timeout: 120_000 }, () => {
  let sim: GitHubSimulator;
  let app: AppProcess | undefined;

  beforeEach(async () => {
    sim = await startGitHubSimulator();
  });
  afterEach(async () => {
    const running = app;
    app = undefined;
    if (running) await stopOrKill(running);
    await sim.close();
  });

  const reportOf = (org: string) =>
    sim.issues(`${org}/.github`).find((issue) => issue.body?.includes("Levels per repository"));
  const graphqlReads = () => sim.requests.filter((request) => request.path.endsWith("/graphql")).length;

  /** Both organisations with a bare `recsys`, installed; returns each one's recsys. */
  async function installBoth() {
    const recsys: Record<string, { id: number }> = {};
    for (const at of [ACME, GLOBEX]) {
      const listed = organisation(sim, at, { ".github": { "README.md": `# ${at.org}\n` }, recsys: BARE });
      const response = await app!.deliver(
        "installation",
        installationCreated(at.installationId, at.org, listed),
      );
      expect(response.status).toBe(200);
      await eventually(`${at.org}'s report`, () => reportOf(at.org), 30_000);
      recsys[at.org] = listed.find((each) => each.name === "recsys")!;
    }
    return recsys;
  }

  /** Commits `files` to `org/recsys` and delivers the push; resolves with the answer and how long it took. */
  function push(at: typeof ACME, id: number, files: Record<string, string>) {
    const after = sim.addCommit(`${at.org}/recsys`, { files, message: "change", branch: "main" });
    const payload = pushed({ ...at, name: "recsys", id, before: "0".repeat(40), after });
    const sent = Date.now();
    const answered = app!
      .deliver("push", payload, { deliveryId: randomUUID() })
      .then((response) => ({ status: response.status, ms: Date.now() - sent }));
    return { after, answered };
  }

  const inReport = (org: string, commit: string) => () =>
    reportOf(org)?.body?.includes(commit.slice(0, 7)) || undefined;

  it("answers and records another organisation's push in time while one scores large hostile files", async () => {
    // A limit far above what the hostile files take now, so this test is about who waits for whom.
    app = await startApp({ sim, env: { MLGATE_SCORING_TIME_LIMIT: "60s" } });
    const recsys = await installBoth();
    const reads = graphqlReads();
    const acme = push(ACME, recsys.acme!.id, HOSTILE);
    let acmeAnswered = false;
    void acme.answered.then(() => (acmeAnswered = true));
    // Acme's files are read; its scoring has begun.
    await eventually("acme's read", () => (graphqlReads() > reads ? true : undefined), 30_000);
    const globex = push(GLOBEX, recsys.globex!.id, DVC);
    const answer = await globex.answered;
    expect(answer.status).toBe(200);
    // GitHub waits 10 s; a loaded CI machine needs room, and acme's files take longer than this to score.
    expect(answer.ms).toBeLessThan(3_000);
    expect(acmeAnswered).toBe(false);
    await eventually("globex's push in its report", inReport("globex", globex.after), 10_000);
    // And acme's push is scored and recorded too: linear detectors take seconds on 2 MiB, not minutes.
    // 202 when it took longer than @octokit/webhooks waits (9 s) before answering and finishing the work.
    expect([200, 202]).toContain((await acme.answered).status);
    await eventually("acme's push in its report", inReport("acme", acme.after), 30_000);
  });

  it("records nothing for a repository whose scoring runs past the time limit, names it in the log, and carries on", async () => {
    const dataDir = await freshDataDir();
    // 1.5 MiB of YAML takes seconds to parse; a bare repository with a pipeline, milliseconds.
    app = await startApp({ sim, dataDir, env: { MLGATE_SCORING_TIME_LIMIT: "500ms" } });
    const recsys = await installBoth();
    const acme = push(ACME, recsys.acme!.id, HOSTILE);
    expect((await acme.answered).status).toBe(200);
    await eventually(
      "the warning naming acme/recsys",
      () =>
        app!
          .output()
          .split("\n")
          .some((line) => line.includes("ran past its time limit") && line.includes('"acme/recsys"')) ||
        undefined,
      10_000,
    );
    // The App carries on: the same acme's next push and another organisation's are recorded.
    const globex = push(GLOBEX, recsys.globex!.id, DVC);
    expect((await globex.answered).status).toBe(200);
    await eventually("globex's push in its report", inReport("globex", globex.after), 10_000);
    const next = push(ACME, recsys.acme!.id, DVC);
    expect((await next.answered).status).toBe(200);
    await eventually("acme's next push in its report", inReport("acme", next.after), 10_000);
    await app.stop();
    app = undefined;
    const db = await openDb({ dataDir });
    try {
      const commits = await db.query<{ commit_sha: string }>(
        "select s.commit_sha from snapshots s join repositories r on r.id = s.repository_id where r.owner = 'acme' and r.name = 'recsys'",
      );
      expect(commits.map((row) => row.commit_sha)).toContain(next.after);
      expect(commits.map((row) => row.commit_sha)).not.toContain(acme.after);
    } finally {
      await db.close();
    }
  });
});
