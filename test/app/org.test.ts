// The App end to end: the built App as a process, signed real webhook payloads over HTTP, the GitHub
// simulator as GitHub, PGlite in a temporary directory as its store.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";
import { examplePayload } from "../support/webhooks.js";
import {
  APP_ID,
  APP_SLUG,
  BOT,
  eventually,
  installationCreated,
  startApp,
  type AppProcess,
} from "../support/app-process.js";

const ORG = "acme";
const INSTALLATION = 7001;

/** A fixture folder as a commit's files. */
export function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path).split("\\").join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}

export function organisation(sim: GitHubSimulator, repositories: Record<string, Record<string, string>>) {
  sim.addOrganization(ORG);
  sim.addInstallation({
    id: INSTALLATION,
    appId: APP_ID,
    appSlug: APP_SLUG,
    account: ORG,
    repositories: "all",
  });
  for (const [name, files] of Object.entries(repositories)) {
    sim.addRepo({ owner: ORG, name, private: name === "secret-model" });
    sim.addCommit(`${ORG}/${name}`, { files, message: "initial", branch: "main" });
  }
  return Object.keys(repositories).map((name) => ({
    id: sim.repoId(`${ORG}/${name}`),
    name,
    full_name: `${ORG}/${name}`,
    private: name === "secret-model",
  }));
}

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
    void examplePayload;
  });
});
