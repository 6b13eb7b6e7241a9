// The Action in steady state: a PR rerun against the GitHub simulator, counting GitHub API requests and
// timing the bundled action (action/dist/index.js) next to the CLI on the same checkout, interleaved.
//   npm run bundle && npm run build && node bench/action.mjs      (RUNS=21 for more runs)
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { join, resolve } from "node:path";
import { loadTestSupport } from "../scripts/test-support.mjs";

const RUNS = Number(process.env.RUNS ?? 10);

const { startGitHubSimulator, runActionStep, exampleWorkspace, filesOf, eventPayload, out } =
  await loadTestSupport();

const sim = await startGitHubSimulator();
sim.addToken("ghs_bench", {
  login: "github-actions[bot]",
  type: "Bot",
  permissions: "write",
  appSlug: "github-actions",
  appId: 15368,
});
const files = [
  ".github/mlgate.yml",
  "reports/metrics.json",
  "reports/classification_report.json",
  "reports/fairness.csv",
];

/** A PR on a repository whose main moved on after the branch point, as in test/action/github.test.ts. */
function scenario(name) {
  const repo = `acme/${name}`;
  sim.addRepo({ owner: "acme", name, defaultBranch: "main" });
  const workspace = exampleWorkspace();
  const mergeBase = sim.addCommit(repo, { files: filesOf(workspace, files), branch: "main" });
  const baseSha = sim.addCommit(repo, {
    parents: [mergeBase],
    files: { ...filesOf(workspace, files), "README.md": "x\n" },
    branch: "main",
  });
  const headSha = sim.addCommit(repo, {
    parents: [mergeBase],
    files: filesOf(workspace, files),
    branch: "pr",
  });
  const number = sim.addPullRequest(repo, { headSha, headRef: "pr", baseRef: "main", baseSha });
  const payload = eventPayload("pull_request.synchronize.json");
  const repository = { ...payload.repository, full_name: repo, name, owner: { login: "acme" } };
  Object.assign(payload, { number, repository });
  Object.assign(payload.pull_request, {
    number,
    head: { ...payload.pull_request.head, sha: headSha, ref: "pr", repo: repository },
    base: { ...payload.pull_request.base, sha: baseSha, ref: "main", repo: repository },
  });
  return { repo, workspace, payload, number };
}

function step(s, inputs, token = "ghs_bench") {
  return runActionStep({
    apiUrl: sim.url,
    token,
    workspace: s.workspace,
    event: { name: "pull_request", payload: s.payload },
    repository: s.repo,
    sha: "f".repeat(40),
    ref: `refs/pull/${s.number}/merge`,
    inputs: { "report-path": join(out, "report.json"), ...inputs },
  });
}

function cli(s) {
  const started = performance.now();
  try {
    execFileSync(
      process.execPath,
      [resolve("dist/mlgate.js"), "check", "--config", ".github/mlgate.yml", "--cwd", s.workspace],
      {
        cwd: s.workspace,
        stdio: "ignore",
      },
    );
  } catch {
    // conformant with warnings exits 0; anything else would show in the counts below
  }
  return performance.now() - started;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const rows = [];
for (const [label, inputs, token] of [
  ["no token: job summary only, no request", { baseline: "none", comment: "off", "check-run": "false" }, ""],
  ["baseline: none", { baseline: "none" }, "ghs_bench"],
  ["baseline: auto (committed files)", { baseline: "auto" }, "ghs_bench"],
]) {
  const s = scenario(label.replace(/\W+/g, "-"));
  await step(s, inputs, token); // the first run creates the comment; the reruns are the steady state
  const actionMs = [];
  const cliMs = [];
  const requests = [];
  for (let i = 0; i < RUNS; i++) {
    sim.resetRequests();
    const result = await step(s, inputs, token);
    if (
      result.code !== 0 ||
      (token && (!result.outputs["check-run-url"] || !result.outputs["comment-url"]))
    ) {
      throw new Error(`the action did not publish:\n${result.log}`);
    }
    actionMs.push(result.durationMs);
    requests.push(sim.requests.length);
    cliMs.push(cli(s));
  }
  const breakdown = sim.requests.map(
    (r) => `${r.method} ${r.path.split("?")[0].replace(/\/repos\/[^/]+\/[^/]+/, "")}`,
  );
  rows.push({
    label,
    requests: Math.max(...requests),
    action: median(actionMs),
    cli: median(cliMs),
    breakdown,
  });
}
await sim.close();

console.log(`node ${process.version}, ${RUNS} interleaved reruns each, medians\n`);
console.log("| run | API requests per rerun | action wall ms | CLI wall ms | action / CLI |");
console.log("|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.requests} | ${r.action.toFixed(0)} | ${r.cli.toFixed(0)} | ${(r.action / r.cli).toFixed(2)} |`,
  );
}
for (const r of rows) console.log(`\n${r.label}: ${r.breakdown.join(", ")}`);
