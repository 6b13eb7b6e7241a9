// See what the Action posts on a pull request, without a GitHub account: starts the GitHub simulator on
// 127.0.0.1, makes a repository with a PR from the bundled example, runs action/dist/index.js as a runner
// would (twice: the rerun edits the same comment), and prints the comment and the check run.
//   npm run try-action              the demo
//   npm run try-action -- --serve   keep the simulator running and print the environment to run the
//                                   Action by hand (node action/dist/index.js) against it
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadTestSupport } from "./test-support.mjs";

const { startGitHubSimulator, runActionStep, exampleWorkspace, filesOf, eventPayload, out } =
  await loadTestSupport();

const TOKEN = "ghs_try_mlgate";
const sim = await startGitHubSimulator();
sim.addToken(TOKEN, {
  login: "github-actions[bot]",
  type: "Bot",
  permissions: "write",
  appSlug: "github-actions",
  appId: 15368,
});
sim.addRepo({ owner: "acme", name: "credit-model", defaultBranch: "main" });
const repo = "acme/credit-model";
const files = [
  ".github/mlgate.yml",
  "reports/metrics.json",
  "reports/classification_report.json",
  "reports/fairness.csv",
];

// main holds the metrics of the model in production; the PR retrains it.
const main = exampleWorkspace();
writeFileSync(
  join(main, "reports/metrics.json"),
  JSON.stringify({
    model: { name: "credit-scorer", version: "2.3.0", stage: "production" },
    test: { accuracy: 0.9355, roc_auc: 0.962 },
    latency: { p95_ms: 118 },
    data: { missing_share: 0.004 },
  }),
);
const base = sim.addCommit(repo, { files: filesOf(main, files), branch: "main", message: "Model 2.3.0" });
const workspace = exampleWorkspace();
const head = sim.addCommit(repo, {
  parents: [base],
  files: filesOf(workspace, files),
  branch: "retrain",
  message: "Retrain",
});
const number = sim.addPullRequest(repo, {
  headSha: head,
  headRef: "retrain",
  baseRef: "main",
  baseSha: base,
});
const payload = eventPayload("pull_request.synchronize.json");
const repository = { ...payload.repository, full_name: repo, name: "credit-model", owner: { login: "acme" } };
Object.assign(payload, { number, repository });
Object.assign(payload.pull_request, {
  number,
  head: { ...payload.pull_request.head, sha: head, ref: "retrain", repo: repository },
  base: { ...payload.pull_request.base, sha: base, ref: "main", repo: repository },
});
const eventFile = join(out, "pull_request.json");
writeFileSync(eventFile, JSON.stringify(payload));

if (process.argv.includes("--serve")) {
  console.log(`GitHub simulator on ${sim.url} with ${repo} PR #${number}. Run the Action by hand:\n`);
  const env = {
    GITHUB_API_URL: sim.url,
    GITHUB_REPOSITORY: repo,
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_SHA: head,
    GITHUB_REF: `refs/pull/${number}/merge`,
    GITHUB_RUN_ID: "1",
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: join(out, "summary.md"),
    GITHUB_OUTPUT: join(out, "output.txt"),
    "INPUT_GITHUB-TOKEN": TOKEN,
  };
  writeFileSync(env.GITHUB_STEP_SUMMARY, "");
  writeFileSync(env.GITHUB_OUTPUT, "");
  console.log(
    `  env ${Object.entries(env)
      .map(([k, v]) => `'${k}=${v}'`)
      .join(" \\\n      ")} \\\n    node action/dist/index.js\n`,
  );
  console.log(`The workspace (edit its .github/mlgate.yml or reports/ and rerun): ${workspace}`);
  console.log(
    `See what GitHub holds: curl -s -H 'Authorization: token ${TOKEN}' ${sim.url}/repos/${repo}/issues/${number}/comments`,
  );
  console.log("Ctrl-C stops the simulator.");
} else {
  const run = () =>
    runActionStep({
      apiUrl: sim.url,
      token: TOKEN,
      workspace,
      event: { name: "pull_request", payload },
      repository: repo,
      sha: head,
      ref: `refs/pull/${number}/merge`,
    });
  const first = await run();
  sim.resetRequests();
  const second = await run();
  const [comment] = sim.comments(repo, number);
  const [check] = sim.checkRuns(repo);
  if (!check)
    console.log(
      first.log
        .split("\n")
        .filter((l) => l.includes("mlgate"))
        .join("\n"),
    );
  const rule = "─".repeat(100);
  console.log(
    `${rule}\nThe PR comment (${sim.comments(repo, number).length} on the PR, by ${comment.user.login}):\n${rule}`,
  );
  console.log(comment.body);
  console.log(`${rule}\nThe check run "${check.name}": ${check.conclusion} — ${check.output.title}`);
  for (const a of check.annotations) {
    console.log(`  ${a.annotation_level} at ${a.path}:${a.start_line}: ${a.title} — ${a.message}`);
  }
  console.log(`${rule}\nStep exit codes: ${first.code}, then ${second.code} on the rerun.`);
  console.log(`The rerun made ${sim.requests.length} GitHub API requests:`);
  for (const r of sim.requests)
    console.log(`  ${r.status} ${r.method} ${decodeURIComponent(r.path.split("?")[0])}`);
  console.log(`Requests GitHub's OpenAPI description would refuse: ${sim.invalidRequests.length}`);
  await sim.close();
}
