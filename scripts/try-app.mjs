// See the mlgate App work without a GitHub account: starts the GitHub simulator on 127.0.0.1 with an
// organisation `acme` of four repositories (from fixtures/maturity), starts the built App (dist/app.js,
// what `npm run app` runs) against it, and delivers signed webhooks as GitHub would: the installation
// (the App scans and writes the report issue), a push that raises a level (the same issue is edited),
// and a pull request that breaks a self-assessment (the `mlgate maturity` check run fails).
//   npm run try-app              the demo
//   npm run try-app -- --serve   keep the simulator running, print the environment to run `npm run app`
//                                by hand against it, and deliver the same webhooks from this terminal
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { randomUUID } from "node:crypto";
import { loadTestSupport } from "./test-support.mjs";

const {
  startGitHubSimulator,
  startApp,
  filesOf: filesIn,
  installationCreated,
  examplePayload,
  deliverWebhook,
  eventually,
  freePort,
  privateKey,
  APP_ID,
  APP_SLUG,
  SECRET,
} = await loadTestSupport();

const ORG = "acme";
const INSTALLATION = 7001;
const SETTINGS_REPO = `${ORG}/.github`;
/** Repository name → fixture folder under fixtures/maturity. */
const FIXTURES = {
  "churn-model": "mature",
  "fraud-model": "evidence-only",
  recsys: "bare",
  "ranking-model": "broken",
};
// The organisation's settings: the `maturity:` section of .github/mlgate.yml in its `.github` repository.
const SETTINGS = `maturity:
  targets:
    overall: 2
    model-release: 2
  staleAfter: 180d
`;
// Raises recsys's data version control, pipeline and model versioning levels: a DVC pipeline.
const DVC_PIPELINE = `stages:
  train:
    cmd: python train.py
    deps: [train.py, data/clicks.csv]
    outs: [model.pkl]
`;
const RULE = "─".repeat(100);

/** The organisation, its settings repository and one repository per fixture; returns main's commits. */
function arrangeOrganisation(sim) {
  sim.addOrganization(ORG);
  sim.addInstallation({
    id: INSTALLATION,
    appId: APP_ID,
    appSlug: APP_SLUG,
    account: ORG,
    repositories: "all",
  });
  sim.addRepo({ owner: ORG, name: ".github" });
  sim.addCommit(SETTINGS_REPO, {
    files: { "README.md": "# acme\n", ".github/mlgate.yml": SETTINGS },
    message: "Organisation settings",
    branch: "main",
  });
  const heads = {};
  for (const [name, fixture] of Object.entries(FIXTURES)) {
    sim.addRepo({ owner: ORG, name });
    heads[name] = sim.addCommit(`${ORG}/${name}`, {
      files: filesIn(join("fixtures/maturity", fixture)),
      message: "Initial commit",
      branch: "main",
    });
  }
  return heads;
}

function repositoryPayload(sim, name) {
  const fullName = `${ORG}/${name}`;
  return {
    id: sim.repoId(fullName),
    node_id: `R_${name}`,
    name,
    full_name: fullName,
    private: false,
    archived: false,
    default_branch: "main",
    owner: { login: ORG, name: ORG, type: "Organization" },
  };
}

function installationPayload(sim) {
  return installationCreated(
    INSTALLATION,
    ORG,
    [".github", ...Object.keys(FIXTURES)].map((name) => {
      const { id, full_name, private: isPrivate } = repositoryPayload(sim, name);
      return { id, node_id: `R_${name}`, name, full_name, private: isPrivate };
    }),
  );
}

/** recsys gets a DVC pipeline on main; the push event GitHub would send for it. */
function pushDvcPipeline(sim, heads) {
  const repo = `${ORG}/recsys`;
  const before = heads.recsys;
  const after = sim.addCommit(repo, {
    files: { ...filesIn("fixtures/maturity/bare"), "dvc.yaml": DVC_PIPELINE },
    parents: [before],
    message: "Train through a DVC pipeline",
    branch: "main",
  });
  heads.recsys = after;
  const payload = examplePayload("push");
  Object.assign(payload, {
    ref: "refs/heads/main",
    before,
    after,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    commits: [],
    head_commit: null,
    repository: repositoryPayload(sim, "recsys"),
    installation: { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNzAwMQ==" },
  });
  return { payload, after };
}

/** A pull request on churn-model whose self-assessment has a misspelt topic and a level out of range. */
function openBreakingPullRequest(sim, heads) {
  const repo = `${ORG}/churn-model`;
  const files = filesIn("fixtures/maturity/mature");
  const assessment = files[".github/mlops-maturity.yml"]
    .replace("  experiment-tracking:\n", "  experiment-traking:\n")
    .replace("  model-evaluation: 3\n", "  model-evaluation: 5\n");
  const head = sim.addCommit(repo, {
    files: { ...files, ".github/mlops-maturity.yml": assessment },
    parents: [heads["churn-model"]],
    message: "Reassess maturity",
    branch: "reassess",
  });
  const number = sim.addPullRequest(repo, {
    headSha: head,
    headRef: "reassess",
    baseRef: "main",
    baseSha: heads["churn-model"],
    title: "Reassess maturity",
  });
  const repository = repositoryPayload(sim, "churn-model");
  const payload = examplePayload("pull_request", "opened");
  Object.assign(payload, {
    number,
    repository,
    installation: { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNzAwMQ==" },
  });
  Object.assign(payload.pull_request, {
    number,
    title: "Reassess maturity",
    head: { ...payload.pull_request.head, sha: head, ref: "reassess", repo: repository },
    base: { ...payload.pull_request.base, sha: heads["churn-model"], ref: "main", repo: repository },
  });
  return { payload, number, head };
}

/** One `## …` section of a Markdown body, up to the next one. */
function section(body, heading) {
  const start = body.indexOf(`## ${heading}`);
  if (start < 0) return undefined;
  const next = body.indexOf("\n## ", start + 3);
  return body.slice(start, next < 0 ? undefined : next).trim();
}

function reportIssues(sim) {
  return sim.issues(SETTINGS_REPO).filter((issue) => issue.body?.includes("mlgate:maturity-report"));
}

function printRequests(sim, what) {
  const counts = new Map();
  for (const request of sim.requests) {
    const path = decodeURIComponent(request.path.split("?")[0]).replace(/^\/api\/v3/, "");
    const key = `${request.status} ${request.method} ${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  console.log(`${what}: ${sim.requests.length} GitHub API request(s)`);
  for (const [key, count] of counts) console.log(`  ${String(count).padStart(3)} × ${key}`);
}

if (process.argv.includes("--serve")) await serve();
else await demo();

async function demo() {
  const sim = await startGitHubSimulator();
  // PGlite's data directory, removed at the end.
  const dataDir = mkdtempSync(join(tmpdir(), "mlgate-try-app-data-"));
  const cleanUp = () => rmSync(dataDir, { recursive: true, force: true });
  let app;
  let current = "starting";
  const fail = async (error) => {
    console.error(`\n✖ try-app failed while ${current}: ${error instanceof Error ? error.message : error}`);
    if (app) console.error(`\nThe App's output (last 4,000 characters):\n${app.output().slice(-4000)}`);
    const invalid = sim.invalidRequests;
    if (invalid.length)
      console.error(`\nRequests GitHub would refuse:\n${JSON.stringify(invalid, null, 1).slice(0, 3000)}`);
    await app?.stop().catch(() => undefined);
    await sim.close().catch(() => undefined);
    cleanUp();
    process.exit(1);
  };
  try {
    const heads = arrangeOrganisation(sim);
    current = "starting the App (node dist/app.js with PGlite in a temporary directory)";
    app = await startApp({ sim, dataDir });
    console.log(
      `GitHub simulator on ${sim.url}: organisation ${ORG}, repositories ${Object.entries(FIXTURES)
        .map(([name, fixture]) => `${name} (fixtures/maturity/${fixture})`)
        .join(", ")} and .github (settings).`,
    );
    console.log(`The App listens on ${app.webhookUrl}.\n`);

    // 1. Installation: the App lists the repositories, reads them, and writes the report issue.
    current = "delivering installation.created";
    let response = await app.deliver("installation", installationPayload(sim));
    if (response.status !== 200) throw new Error(`the App answered ${response.status}: ${response.body}`);
    current = "waiting for the report issue in acme/.github";
    const first = await eventually(
      "the report issue",
      () => reportIssues(sim).find((issue) => issue.body.includes("Levels per repository")),
      60_000,
    );
    console.log(
      `${RULE}\n1. installation.created → the report issue ${SETTINGS_REPO}#${first.number} "${first.title}" by ${first.user.login}:\n${RULE}`,
    );
    console.log(first.body);
    console.log(RULE);
    printRequests(sim, "The installation took");
    sim.resetRequests();

    // 2. A push to recsys's default branch adds a DVC pipeline: levels go up, the same issue is edited.
    current = "delivering the push to acme/recsys";
    const push = pushDvcPipeline(sim, heads);
    response = await app.deliver("push", push.payload);
    if (response.status !== 200) throw new Error(`the App answered ${response.status}: ${response.body}`);
    current = "waiting for the report issue to show recsys's level changes";
    const second = await eventually(
      "the edited report issue",
      () =>
        reportIssues(sim).find(
          (issue) =>
            issue.body !== first.body && section(issue.body, "Recent level changes")?.includes("recsys"),
        ),
      30_000,
    );
    const issues = reportIssues(sim);
    console.log(
      `\n${RULE}\n2. push to acme/recsys main (${push.after.slice(0, 7)}, adds dvc.yaml with a stage) → ${
        second.number === first.number && issues.length === 1
          ? `the same issue #${second.number} edited in place (still ${issues.length} report issue)`
          : `UNEXPECTED: issue #${second.number}, first was #${first.number}; ${issues.length} report issues`
      }:\n${RULE}`,
    );
    if (second.number !== first.number || issues.length !== 1)
      throw new Error("the push made the App write a second report issue instead of editing the first");
    console.log(section(second.body, "Recent level changes"));
    console.log("");
    console.log(section(second.body, "Levels per repository"));
    console.log(RULE);
    printRequests(sim, "The push took");
    sim.resetRequests();

    // 3. A pull request breaks churn-model's self-assessment: the check run fails with annotations.
    current = "delivering pull_request.opened on acme/churn-model";
    const pr = openBreakingPullRequest(sim, heads);
    response = await app.deliver("pull_request", pr.payload);
    if (response.status !== 200) throw new Error(`the App answered ${response.status}: ${response.body}`);
    current = "waiting for the `mlgate maturity` check run";
    const check = await eventually(
      "the check run",
      () => sim.checkRuns(`${ORG}/churn-model`).find((run) => run.name === "mlgate maturity"),
      30_000,
    );
    console.log(
      `\n${RULE}\n3. pull_request.opened acme/churn-model#${pr.number} (misspelt topic, level 5 of 0–4) → check run "${check.name}" on ${check.head_sha.slice(0, 7)}: ${check.conclusion} — ${check.output.title}\n${RULE}`,
    );
    for (const annotation of check.annotations) {
      console.log(
        `  ${annotation.annotation_level} at ${annotation.path}:${annotation.start_line}: ${annotation.title} — ${annotation.message.replace(/\n/g, " / ")}`,
      );
    }
    const comments = sim.comments(`${ORG}/churn-model`, pr.number);
    if (comments.length) {
      const [comment] = comments;
      console.log(
        `\nThe sticky comment (${comments.length} on the PR, by ${comment.user.login}), its first lines:\n${comment.body
          .split("\n")
          .slice(0, 14)
          .join("\n")}\n  …`,
      );
    } else {
      console.log("\nNo PR comment: no level changes.");
    }
    console.log(RULE);
    printRequests(sim, "The pull request took");
    console.log(`Requests GitHub's OpenAPI description would refuse, in all: ${sim.invalidRequests.length}`);
    const problems = app
      .output()
      .split("\n")
      .filter((line) => /^(WARN|ERROR|FATAL) \(|"level":(40|50|60)/.test(line));
    console.log(
      `Warnings and errors the App logged: ${problems.length}${problems.length ? `\n  ${problems.join("\n  ")}` : ""}`,
    );
    current = "stopping the App";
    const code = await app.stop();
    app = undefined;
    await sim.close();
    cleanUp();
    if (code !== 0) throw new Error(`the App exited with ${code} on SIGTERM`);
  } catch (error) {
    await fail(error);
  }
}

async function serve() {
  const sim = await startGitHubSimulator();
  const heads = arrangeOrganisation(sim);
  const dir = mkdtempSync(join(tmpdir(), "mlgate-try-app-"));
  const keyPath = join(dir, "private-key.pem");
  writeFileSync(keyPath, privateKey());
  chmodSync(keyPath, 0o600);
  const dataDir = join(dir, "data");
  mkdirSync(dataDir);
  const port = await freePort();
  const webhookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;
  const env = {
    APP_ID: String(APP_ID),
    PRIVATE_KEY_PATH: keyPath,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: new URL(sim.url).host,
    GHE_PROTOCOL: "http",
    PORT: String(port),
    MLGATE_DATA_DIR: dataDir,
    MLGATE_REPORT_DEBOUNCE: "1s",
  };
  console.log(
    `GitHub simulator on ${sim.url}: organisation ${ORG} with ${Object.keys(FIXTURES).join(", ")} and .github.`,
  );
  console.log(`\nIn another terminal, in this directory, start the App against it:\n`);
  console.log(
    `  env ${Object.entries(env)
      .map(([key, value]) => `'${key}=${value}'`)
      .join(" \\\n      ")} \\\n    npm run app\n`,
  );
  console.log(
    `When it says "mlgate App listening", deliver webhooks from here (signed with WEBHOOK_SECRET, to ${webhookUrl}):`,
  );
  console.log(`  installation   installation.created: the App scans acme and writes the report issue`);
  console.log(`  push           a commit adding a DVC pipeline to acme/recsys, and its push event`);
  console.log(
    `  pr             a pull request breaking acme/churn-model's self-assessment, and pull_request.opened`,
  );
  console.log(
    `  report         print the report issue, the check runs and the PR comments as the simulator holds them`,
  );
  console.log(`  requests       print the GitHub API requests since the last time, and forget them`);
  console.log(`  quit           stop the simulator (Ctrl-C works too)\n`);

  const deliver = async (event, payload) => {
    try {
      const result = await deliverWebhook(webhookUrl, {
        event,
        payload,
        secret: SECRET,
        deliveryId: randomUUID(),
      });
      console.log(
        `delivered ${event}: the App answered ${result.status} ${result.body.trim().slice(0, 200)}`,
      );
    } catch (error) {
      console.log(
        `could not deliver ${event} to ${webhookUrl}: ${error.cause?.code ?? error.message}. Is the App running?`,
      );
    }
  };
  let pushed = false;
  let prNumber;
  const commands = {
    installation: () => deliver("installation", installationPayload(sim)),
    push: async () => {
      if (pushed) return console.log("recsys has its DVC pipeline already; deliver `pr` next.");
      pushed = true;
      const { payload, after } = pushDvcPipeline(sim, heads);
      console.log(`acme/recsys main is now ${after.slice(0, 7)} (adds dvc.yaml).`);
      await deliver("push", payload);
    },
    pr: async () => {
      if (prNumber !== undefined) return console.log(`acme/churn-model#${prNumber} is open already.`);
      const { payload, number } = openBreakingPullRequest(sim, heads);
      prNumber = number;
      console.log(`acme/churn-model#${number} opened.`);
      await deliver("pull_request", payload);
    },
    report: () => {
      const issues = reportIssues(sim);
      if (issues.length === 0)
        console.log("No report issue yet (deliver `installation`, then wait a few seconds).");
      for (const issue of issues)
        console.log(
          `${RULE}\n${SETTINGS_REPO}#${issue.number} "${issue.title}" (updated ${issue.updated_at}):\n${RULE}\n${issue.body}\n${RULE}`,
        );
      for (const run of sim.checkRuns(`${ORG}/churn-model`)) {
        console.log(
          `check run "${run.name}" on acme/churn-model ${run.head_sha.slice(0, 7)}: ${run.conclusion} — ${run.output.title}`,
        );
        for (const a of run.annotations)
          console.log(
            `  ${a.annotation_level} at ${a.path}:${a.start_line}: ${a.message.replace(/\n/g, " / ")}`,
          );
      }
      if (prNumber !== undefined) {
        for (const comment of sim.comments(`${ORG}/churn-model`, prNumber)) {
          console.log(
            `comment by ${comment.user.login} on acme/churn-model#${prNumber} (updated ${comment.updated_at}):\n${comment.body}`,
          );
        }
      }
    },
    requests: () => {
      printRequests(sim, "Since the last time");
      sim.resetRequests();
    },
  };
  const stop = async () => {
    await sim.close();
    console.log(`Simulator stopped. The App's key and data are in ${dir}.`);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "try-app> " });
  rl.on("SIGINT", () => void stop());
  rl.prompt();
  // One command at a time, in the order typed (or piped in).
  let queue = Promise.resolve();
  const run = async (word) => {
    if (word === "quit" || word === "exit") return stop();
    const command = commands[word];
    if (command) await command();
    else if (word) console.log(`unknown: ${word}; one of ${Object.keys(commands).join(", ")}, quit`);
    rl.prompt();
  };
  rl.on("line", (line) => (queue = queue.then(() => run(line.trim()))));
  // Without a terminal (stdin at its end) the simulator keeps running until Ctrl-C.
  rl.on(
    "close",
    () =>
      (queue = queue.then(() => console.log("\nNo more input; the simulator keeps running until Ctrl-C."))),
  );
}
