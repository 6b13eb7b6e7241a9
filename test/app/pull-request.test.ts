// Pull requests that touch maturity evidence: the `mlgate maturity` check run previews level changes,
// a sticky comment appears when a level changes, and an invalid self-assessment fails the check on its line.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";
import {
  BOT,
  eventually,
  filesOf,
  installationCreated,
  organisation,
  pullRequestEvent,
  startApp,
  type AppProcess,
} from "../support/app-process.js";

const ORG = "acme";
const INSTALLATION = 7001;
const DVC_PIPELINE = "stages:\n  train:\n    cmd: python train.py\n    outs: [model.pkl]\n";

describe("a pull request on a tracked repository", { timeout: 60_000 }, () => {
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

  async function openPullRequest(files: Record<string, string>, headRef: string) {
    const [, recsys] = organisation(
      sim,
      { org: ORG, installationId: INSTALLATION },
      {
        ".github": { "README.md": "# acme\n" },
        recsys: filesOf("fixtures/maturity/bare"),
      },
    );
    app = await startApp({ sim });
    await app.deliver("installation", installationCreated(INSTALLATION, ORG, [recsys!]));
    await eventually("the report issue", () => sim.issues(`${ORG}/.github`)[0]);
    const baseSha = sim.addCommit(`${ORG}/recsys`, {
      files: filesOf("fixtures/maturity/bare"),
      message: "base",
      branch: "main",
    });
    const headSha = sim.addCommit(`${ORG}/recsys`, {
      files,
      message: "change",
      branch: headRef,
      parents: [baseSha],
    });
    const number = sim.addPullRequest(`${ORG}/recsys`, { headSha, headRef, baseRef: "main", baseSha });
    const event = {
      installationId: INSTALLATION,
      org: ORG,
      name: "recsys",
      id: recsys!.id,
      number,
      headRef,
      baseSha,
    };
    const response = await app.deliver(
      "pull_request",
      pullRequestEvent({ ...event, action: "opened", headSha }),
    );
    expect(response.status).toBe(200);
    return { event, number, headSha, baseSha };
  }

  it("previews a raised level in a check run and a sticky comment, updated on the next push", async () => {
    const bare = filesOf("fixtures/maturity/bare");
    const { event, number, headSha } = await openPullRequest({ ...bare, "dvc.yaml": DVC_PIPELINE }, "dvc");
    const check = await eventually("the check run", () =>
      sim.checkRuns(`${ORG}/recsys`).find((run) => run.head_sha === headSha),
    );
    expect(check).toMatchObject({ name: "mlgate maturity", conclusion: "success" });
    expect(check.output.title).toMatch(/level changes; overall stays Level 0/);
    expect(check.output.summary).toMatch(/⬆️ Data version control +\| topic +\| 0 +\| 3/);
    const comments = await eventually("the comment", () => {
      const found = sim.comments(`${ORG}/recsys`, number);
      return found.length ? found : undefined;
    });
    expect(comments).toHaveLength(1);
    expect(comments[0]?.user.login).toBe(BOT);
    expect(comments[0]?.body).toMatch(
      /^<!-- mlgate:maturity key=maturity -->\n### MLOps maturity: this pull request changes/,
    );

    // The next push reverts the change: the comment says so, in place.
    const next = sim.addCommit(`${ORG}/recsys`, {
      files: { ...bare, "notes.md": "x" },
      message: "revert",
      branch: "dvc",
      parents: [headSha],
    });
    await app!.deliver("pull_request", pullRequestEvent({ ...event, action: "synchronize", headSha: next }));
    await eventually(
      "the updated comment",
      () => sim.comments(`${ORG}/recsys`, number)[0]?.body?.includes("no level changes anymore") || undefined,
    );
    expect(sim.comments(`${ORG}/recsys`, number)).toHaveLength(1);
    expect(sim.checkRuns(`${ORG}/recsys`).find((run) => run.head_sha === next)?.conclusion).toBe("success");
  });

  it("fails the check on the line of an invalid self-assessment, and still shows the evidence", async () => {
    const broken = {
      ...filesOf("fixtures/maturity/bare"),
      ".github/mlops-maturity.yml":
        "framework: iml4e-v2\nassessedAt: 2026-10-15\ntopics:\n  experiment-traking: 2\n",
    };
    const { headSha, number } = await openPullRequest(broken, "assess");
    const check = await eventually("the check run", () =>
      sim.checkRuns(`${ORG}/recsys`).find((run) => run.head_sha === headSha),
    );
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toBe("The self-assessment is invalid; levels come from evidence only");
    expect(check.annotations).toEqual([
      expect.objectContaining({
        path: ".github/mlops-maturity.yml",
        start_line: 4,
        annotation_level: "failure",
        message: expect.stringContaining('"experiment-traking" is not a topic of iml4e-v2'),
      }),
    ]);
    expect(check.output.summary).toContain("The self-assessment was not used");
    expect(check.output.summary).toContain("| People ");
    // The file's mere presence evidences documentation (level 1), so the comment appears, carrying the problem.
    const [comment] = await eventually("the comment", () => {
      const found = sim.comments(`${ORG}/recsys`, number);
      return found.length ? found : undefined;
    });
    expect(comment?.body).toContain("> The self-assessment was not used:");
    expect(comment?.body).toContain(".github/mlops-maturity.yml:4:3");
  });

  it("leaves a pull request that touches no maturity evidence alone", async () => {
    const { headSha } = await openPullRequest(
      { ...filesOf("fixtures/maturity/bare"), "train.py": "print('v2')\n" },
      "code",
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sim.checkRuns(`${ORG}/recsys`).filter((run) => run.head_sha === headSha)).toEqual([]);
  });
});
