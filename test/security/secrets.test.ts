// Secrets the process knows never leave it in anything mlgate writes (docs/security.md S4, S7). A command
// source runs with the job's privileges and can read its parent's environment through /proc; what it then
// prints, on stdout or stderr, in clear, escaped or base64-encoded, must not reach the log, the outputs,
// the job summary, the report file, the PR comment, the check run or its annotations.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../action/github.js";
import { learnAppSecrets, MlgateOctokit } from "../../app/github/octokit.js";
import { GITHUB_LIMITS } from "../../github/outgoing.js";
import { escapeMarkdown } from "../../src/report/escape.js";
import { MIN_SECRET_LENGTH, Secrets, secretsInEnvironment } from "../../src/secrets.js";
import {
  pullRequestPayload,
  exampleWorkspace,
  filesOf,
  runActionStep,
  writeIn,
} from "../support/action-step.js";
import { runCli } from "../support/cli.js";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";

// Not shaped like a GitHub token (too short after its prefix): only knowing the value can scrub it.
const TOKEN = "ghs_secretsCanaryWriteToken";
const RUNTIME = "eyJhbGciOiJSUzI1NiJ9.runtimeCanary.c2lnbmF0dXJl";
const OIDC = "oidc-request-canary-5150";
const HF = "hf_workflowSecretCanary0042";
/** Shaped like a personal access token, known to nobody: scrubbed for its shape. */
const SHAPED = `ghp_${"Zq3".repeat(12)}`;
const BOT = "github-actions[bot]";

const base64 = (text: string) => Buffer.from(text).toString("base64");

/** Every form of the secrets a leak could take; none may appear anywhere. */
const FORMS = [TOKEN, RUNTIME, OIDC, HF, SHAPED, base64(`x-access-token:${TOKEN}`), base64(TOKEN)];

function expectNoSecret(where: string, text: string): void {
  const found = FORMS.filter((form) => text.includes(form));
  // A secret cut in two at a buffer's edge still shows most of itself: no 12 characters of one either.
  const parts = [TOKEN, RUNTIME, HF].flatMap((secret) =>
    Array.from({ length: secret.length - 11 }, (_, at) => secret.slice(at, at + 12)).filter((part) =>
      text.includes(part),
    ),
  );
  expect([...found, ...parts], `${where} shows a secret`).toEqual([]);
}

/**
 * A command that steals what it can from its parent's environment (/proc/<ppid>/environ), notes which
 * names it found in `stolen.json` (names only), and prints the values every way a leak could go.
 */
const THIEF = `
const fs = require("fs");
const env = Object.fromEntries(fs.readFileSync("/proc/" + process.ppid + "/environ", "utf8").split("\\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
const names = ["INPUT_GITHUB-TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "HF_TOKEN"];
fs.writeFileSync("stolen.json", JSON.stringify(names.filter((n) => env[n])));
const token = env["INPUT_GITHUB-TOKEN"];
const all = names.map((n) => env[n]).join(" ");
const b64 = (t) => Buffer.from(t).toString("base64");
if (process.argv[1] === "fail") {
  // Flood stderr with the token so that the last 2 KiB (the tail mlgate keeps) start inside a copy of it,
  // five characters in, then end on every secret: nothing may show, whole or cut.
  const end = "\\n" + all + " " + b64("x-access-token:" + token) + "\\n";
  const pad = (((2048 - end.length - (token.length - 5)) % token.length) + token.length) % token.length;
  process.stderr.write(token.repeat(500) + "y".repeat(pad) + end);
  process.exit(3);
}
console.log(JSON.stringify({
  token, runtime: env.ACTIONS_RUNTIME_TOKEN, oidc: env.ACTIONS_ID_TOKEN_REQUEST_TOKEN, hf: env.HF_TOKEN,
  encoded: b64("x-access-token:" + token), plain64: b64(token), shaped: "${SHAPED}",
  sentence: "the token is " + token + ", keep it", [token]: 1,
}));
`;

const CONFIG = `version: 1
sources:
  thief: { command: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(THIEF)}] }
  failing: { command: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(THIEF)}, fail] }
  m: { file: reports/metrics.json }
kpis:
  token: { source: thief, path: token, eq: nothing }
  runtime: { source: thief, path: runtime, eq: nothing }
  oidc: { source: thief, path: oidc, eq: nothing }
  hf: { source: thief, path: hf, eq: nothing }
  encoded: { source: thief, path: encoded, eq: nothing }
  plain64: { source: thief, path: plain64, eq: nothing }
  shaped: { source: thief, path: shaped, eq: nothing }
  sentence: { source: thief, path: sentence, eq: nothing }
  nearest_key: { source: thief, path: tokn, eq: nothing }
  matched: { source: thief, path: token, matches: "^ghs_" }
  failing: { source: failing, path: x, gte: 0 }
  accuracy: { source: m, path: test.accuracy, gte: 0.5 }
`;

describe("secrets in text", () => {
  const secrets = new Secrets([
    TOKEN,
    "short",
    `-----BEGIN KEY-----\n${"A1b2C3d4".repeat(8)}\n-----END KEY-----`,
  ]);

  // Each text, and the part of it that would still show the secret (its middle, for the encoded forms).
  it.each([
    ["as is", `token=${TOKEN}`, TOKEN],
    ["escaped for Markdown", escapeMarkdown(`token ${TOKEN}`), escapeMarkdown(TOKEN)],
    ["in a JSON string", JSON.stringify({ t: `a\n${TOKEN}` }), TOKEN],
    ["URL-encoded", `?t=${encodeURIComponent(TOKEN)}`, encodeURIComponent(TOKEN)],
    ["base64-encoded", base64(TOKEN), base64(TOKEN).slice(0, -4)],
    [
      "as actions/checkout's basic credentials",
      `AUTHORIZATION: basic ${base64(`x-access-token:${TOKEN}`)}`,
      base64(`x-access-token:${TOKEN}`).slice(0, -4),
    ],
    ["base64-encoded one byte in", base64(`a${TOKEN}b`), base64(`a${TOKEN}b`).slice(4, -4)],
    ["base64-encoded two bytes in", base64(`ab${TOKEN}`), base64(`ab${TOKEN}`).slice(4, -4)],
  ])("a known secret %s is scrubbed", (_how, text, leak) => {
    const scrubbed = secrets.scrub(text);
    expect(scrubbed).toContain("***");
    expect(scrubbed).not.toContain(leak);
  });

  it("scrubs a known secret whole even when part of it is shaped like a GitHub token", () => {
    const secret = `pw:${SHAPED}-tail-of-the-secret`;
    expect(new Secrets([secret]).scrub(`x ${secret} y`)).toBe("x *** y");
  });

  it("scrubs anything shaped like a GitHub token, and each line of a multi-line secret", () => {
    const text = `${SHAPED} github_pat_${"x".repeat(40)} ${"A1b2C3d4".repeat(8)}`;
    expect(secrets.scrub(text)).toBe("*** *** ***");
  });

  it(`leaves values shorter than ${MIN_SECRET_LENGTH} characters alone: they would scrub ordinary words`, () => {
    expect(secrets.scrub("a short answer")).toBe("a short answer");
  });

  it("finds the runner's credentials and credential-named variables, not ordinary ones", () => {
    const found = secretsInEnvironment({
      "INPUT_GITHUB-TOKEN": TOKEN,
      ACTIONS_RUNTIME_TOKEN: RUNTIME,
      HF_TOKEN: HF,
      DATABASE_URL: "postgres://app:pa55word-canary@db/prod",
      GIT_AUTHOR_EMAIL: "octocat@example.com",
      GITHUB_REPOSITORY: "acme/model",
    });
    expect(found).toEqual(expect.arrayContaining([TOKEN, RUNTIME, HF, "pa55word-canary"]));
    expect(found).not.toContain("octocat@example.com");
    expect(found).not.toContain("acme/model");
  });
});

describe("the Action, whose command source reads the runner's credentials from its parent", () => {
  let sim: GitHubSimulator;
  beforeAll(async () => {
    sim = await startGitHubSimulator();
    sim.addToken(TOKEN, {
      login: BOT,
      type: "Bot",
      permissions: "write",
      appSlug: "github-actions",
      appId: 15368,
    });
  });
  afterAll(async () => sim.close());
  afterEach(() => expect(sim.invalidRequests).toEqual([]));

  /** A pull request whose head checkout is `workspace`, run as `event` (pull_request or pull_request_target). */
  async function runOnPullRequest(
    workspace: string,
    name: string,
    event: string,
    inputs: Record<string, string>,
  ) {
    const repo = `acme/${name}`;
    sim.addRepo({ owner: "acme", name, defaultBranch: "main" });
    const committed = [".github/mlgate.yml", "reports/metrics.json"];
    const mergeBase = sim.addCommit(repo, {
      files: filesOf(workspace, committed),
      branch: "main",
      message: "A",
    });
    const headSha = sim.addCommit(repo, {
      parents: [mergeBase],
      files: filesOf(workspace, committed),
      branch: "thief",
      message: "H",
    });
    const number = sim.addPullRequest(repo, {
      headSha,
      headRef: "thief",
      baseRef: "main",
      baseSha: mergeBase,
    });
    const payload = pullRequestPayload(
      repo,
      number,
      { sha: headSha, ref: "thief" },
      { sha: mergeBase, ref: "main" },
    );
    const step = await runActionStep({
      apiUrl: sim.url,
      token: TOKEN,
      workspace,
      event: { name: event, payload },
      repository: repo,
      sha: headSha,
      ref: `refs/pull/${number}/merge`,
      inputs: { config: ".github/mlgate.yml", ...inputs },
      env: {
        ACTIONS_RUNTIME_TOKEN: RUNTIME,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: OIDC,
        HF_TOKEN: HF,
        TOKENIZERS_PARALLELISM: "false",
      },
    });
    return { step, repo, number };
  }

  it("shows none of them in the log, outputs, summary, report file, comment, check run or annotations", async () => {
    const workspace = exampleWorkspace(CONFIG);
    const { step, repo, number } = await runOnPullRequest(workspace, "stolen", "pull_request", {});
    // The thief really read every secret from the Action's process, and the gates really ran on them.
    expect(JSON.parse(readFileSync(join(workspace, "stolen.json"), "utf8"))).toEqual([
      "INPUT_GITHUB-TOKEN",
      "ACTIONS_RUNTIME_TOKEN",
      "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
      "HF_TOKEN",
    ]);
    const report = readFileSync(join(workspace, "mlgate-report.json"), "utf8");
    const statuses = Object.fromEntries(
      (JSON.parse(report) as { measurements: { name: string; status: string }[] }).measurements.map((m) => [
        m.name,
        m.status,
      ]),
    );
    expect(statuses).toMatchObject({ token: "fail", matched: "pass", failing: "error", accuracy: "pass" });
    expect(report).toContain("***");
    const comments = sim.comments(repo, number);
    const checkRuns = sim.checkRuns(repo);
    expect(comments).toHaveLength(1);
    expect(checkRuns).toHaveLength(1);
    expect(checkRuns[0]?.annotations.length).toBeGreaterThan(0);
    expectNoSecret("the log", step.log);
    expectNoSecret("the outputs", JSON.stringify(step.outputs));
    expectNoSecret("the job summary", step.summary);
    expectNoSecret("the report file (the artifact)", report);
    expectNoSecret("the comment", JSON.stringify(comments));
    expectNoSecret("the check run and its annotations", JSON.stringify(checkRuns));
    // The failing command's stderr was kept, scrubbed: the reader still sees what it said around them.
    expect(report).toContain("exited with code 3");
    expect(step.masks).toEqual(expect.arrayContaining([TOKEN, RUNTIME, HF]));
    // A credential-like name with an ordinary value is not masked: the runner would hide every "false".
    expect(step.masks).not.toContain("false");
  });

  it("does not run a command source on pull_request_target unless allow-commands: true", async () => {
    const refused = exampleWorkspace(CONFIG);
    const first = await runOnPullRequest(refused, "target-refused", "pull_request_target", {});
    expect(existsSync(join(refused, "stolen.json"))).toBe(false);
    const report = JSON.parse(readFileSync(join(refused, "mlgate-report.json"), "utf8")) as {
      status: string;
      measurements: { name: string; status: string; message: string }[];
    };
    const token = report.measurements.find((m) => m.name === "token");
    expect(token?.status).toBe("error");
    expect(token?.message).toContain("commands are not allowed in this run");
    expect(report.status).toBe("non-conformant");
    expect(first.step.code).toBe(1);

    const allowed = exampleWorkspace(CONFIG);
    const second = await runOnPullRequest(allowed, "target-allowed", "pull_request_target", {
      "allow-commands": "true",
    });
    expect(existsSync(join(allowed, "stolen.json"))).toBe(true);
    expectNoSecret("the comment", JSON.stringify(sim.comments(second.repo, second.number)));
  });
});

describe("the CLI", () => {
  it("scrubs the credentials of its environment from what a command prints, and --no-commands runs none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlgate-cli-secrets-"));
    const script = `console.log(JSON.stringify({ t: process.env.CI_JOB_TOKEN, accuracy: 0.9 })); console.error(process.env.CI_JOB_TOKEN); process.exit(process.argv[1] === "fail" ? 1 : 0)`;
    writeIn(
      dir,
      "mlgate.yml",
      [
        "version: 1",
        "sources:",
        `  s: { command: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(script)}] }`,
        `  f: { command: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(script)}, fail] }`,
        "kpis:",
        "  leak: { source: s, path: t, eq: nothing }",
        "  failing: { source: f, path: t, eq: nothing }",
        "",
      ].join("\n"),
    );
    const env = { CI_JOB_TOKEN: "glcbt-cliSecretCanary77", PATH: process.env.PATH ?? "" };
    for (const format of ["text", "markdown", "json"]) {
      const run = await runCli(["check", "--config", "mlgate.yml", "--format", format], { cwd: dir, env });
      expect(run.code).toBe(1);
      expect(run.stdout.replaceAll("\\*", "*")).toContain("***");
      expect(`${run.stdout}${run.stderr}`).not.toContain("cliSecretCanary");
    }
    const refused = await runCli(["check", "--config", "mlgate.yml", "--no-commands", "--format", "json"], {
      cwd: dir,
      env,
    });
    expect(refused.stdout).toContain("commands are not allowed in this run");
  });
});

describe("every request to GitHub (the Action's and the App's Octokit)", () => {
  let sim: GitHubSimulator;
  beforeAll(async () => {
    sim = await startGitHubSimulator();
    sim.addToken(TOKEN, {
      login: BOT,
      type: "Bot",
      permissions: "write",
      appSlug: "github-actions",
      appId: 15368,
    });
    sim.addRepo({ owner: "acme", name: "guarded", defaultBranch: "main" });
  });
  afterAll(async () => sim.close());
  afterEach(() => expect(sim.invalidRequests).toEqual([]));

  it.each([
    ["the Action's", () => createClient(TOKEN, sim.url, () => undefined, new Secrets([HF]))],
    [
      "the App's",
      () => {
        learnAppSecrets({ WEBHOOK_SECRET: HF });
        return new MlgateOctokit({ auth: { token: TOKEN }, baseUrl: sim.url, throttle: { enabled: false } });
      },
    ],
  ])(
    "through %s client is scrubbed of the process's secrets and cut to GitHub's limits",
    async (_who, client) => {
      const number = sim.addIssue("acme/guarded", { title: "PR", login: "octocat" });
      await client().request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner: "acme",
        repo: "guarded",
        issue_number: number,
        body: `${HF} ${SHAPED} ${"x".repeat(100_000)}`,
      });
      const [comment] = sim.comments("acme/guarded", number);
      expect(comment?.body.startsWith("*** *** xxx")).toBe(true);
      expect(comment?.body.length).toBeLessThanOrEqual(GITHUB_LIMITS.body);
      expect(comment?.body).toContain("cut to fit GitHub's size limit");
    },
  );
});
