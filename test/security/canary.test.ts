// Confidential canaries searched for in everything a user, a reviewer or GitHub gets: the CLI's stdout and
// stderr in every format and its report file; the bundled Action's log, outputs, job summary, report file,
// every request body it sent to GitHub (through a recording proxy), and the comment and check run GitHub
// stored. The canaries are the head value, a baseline value, their delta and a string; none may appear.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseBaselineReport } from "../../src/check.js";
import { formatNumber } from "../../src/report/format-value.js";
import { pullRequestPayload, filesOf, runActionStep } from "../support/action-step.js";
import { runCli } from "../support/cli.js";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";

const HEAD_VALUE = 0.918273645;
const BASE_VALUE = 0.736251948;
const HEAD_WORD = "zebracanary7731";
const BASE_WORD = "basecanary5519";
const STDERR_WORD = "stderrcanary4242";

/** Every text form of the canaries: in full, rounded as mlgate rounds, their digits, and the delta. */
const CANARY_FORMS = (() => {
  const delta = HEAD_VALUE - BASE_VALUE;
  const numbers = [HEAD_VALUE, BASE_VALUE, delta, -delta];
  const forms = numbers.flatMap((n) => [String(n), formatNumber(n), formatNumber(Math.abs(n))]);
  const digits = [String(HEAD_VALUE), String(BASE_VALUE)].map((n) => n.slice(2, 8)); // "918273", "736251"
  return [...new Set([...forms, ...digits, String(delta).slice(0, 7), HEAD_WORD, BASE_WORD, STDERR_WORD])];
})();

function expectNoCanary(where: string, text: string): void {
  const found = CANARY_FORMS.filter((form) => text.includes(form));
  expect(found, `${where} shows ${found.join(", ")}`).toEqual([]);
}

const CONFIG = `version: 1
sources:
  m: { file: reports/metrics.json }
  scorer: { command: [${JSON.stringify(process.execPath)}, -e, "console.error('${STDERR_WORD}'); process.exit(1)"] }
kpis:
  secret_fails: { source: m, path: /auc, gte: 0.95, confidential: true }
  secret_passes: { source: m, path: /auc, lt: 1, confidential: true }
  secret_wrong_type: { source: m, path: /auc, dataType: string, eq: "x", confidential: true }
  secret_word: { source: m, path: /codename, eq: public, confidential: true }
  secret_scorer: { source: scorer, path: /x, gte: 0.5, confidential: true }
  open_gate: { source: m, path: /open, gte: 0.5 }
`;

const metrics = (value: number, word: string) =>
  `${JSON.stringify({ auc: value, codename: word, open: 0.7 })}\n`;

function workspace(value: number, word: string): string {
  const dir = mkdtempSync(join(tmpdir(), "mlgate-canary-"));
  mkdirSync(join(dir, ".github"));
  mkdirSync(join(dir, "reports"));
  writeFileSync(join(dir, ".github/mlgate.yml"), CONFIG);
  writeFileSync(join(dir, "reports/metrics.json"), metrics(value, word));
  return dir;
}

describe("the CLI", () => {
  /** A baseline report from before the gates were confidential: it holds the base canaries in clear. */
  async function clearBaseline(): Promise<string> {
    const dir = workspace(BASE_VALUE, BASE_WORD);
    writeFileSync(join(dir, ".github/mlgate.yml"), CONFIG.replaceAll(", confidential: true", ""));
    const run = await runCli(
      ["check", "--config", ".github/mlgate.yml", "--format", "json", "--output", "base.json"],
      { cwd: dir },
    );
    const path = join(dir, "base.json");
    expect(run.code).toBe(1);
    expect(readFileSync(path, "utf8")).toContain(String(BASE_VALUE)); // the canary is really there
    return path;
  }

  it.each(["text", "markdown", "json", "junit"])(
    "no canary in %s output, stdout, stderr or the report file, with a baseline that holds them",
    async (format) => {
      const baseline = await clearBaseline();
      const dir = workspace(HEAD_VALUE, HEAD_WORD);
      const args = ["check", "--config", ".github/mlgate.yml", "--format", format, "--baseline", baseline];
      const shown = await runCli(args, { cwd: dir });
      expect(shown.code).toBe(1);
      expectNoCanary("stdout", shown.stdout);
      expectNoCanary("stderr", shown.stderr);
      const written = await runCli([...args, "--output", `report.${format}`], { cwd: dir });
      expectNoCanary("stdout (--output)", written.stdout);
      expectNoCanary("stderr (--output)", written.stderr);
      expectNoCanary("the report file", readFileSync(join(dir, `report.${format}`), "utf8"));
    },
  );
});

describe("the Action", () => {
  const TOKEN = "ghs_canarytokenwrite";
  let sim: GitHubSimulator;
  let proxy: Server;
  let proxyUrl: string;
  /** Method, path, headers and body of every request the Action sent to GitHub. */
  const sent: string[] = [];

  beforeAll(async () => {
    sim = await startGitHubSimulator();
    sim.addToken(TOKEN, {
      login: "github-actions[bot]",
      type: "Bot",
      permissions: "write",
      appSlug: "github-actions",
      appId: 15368,
    });
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        sent.push(
          `${req.method ?? ""} ${req.url ?? ""}\n${JSON.stringify(req.headers)}\n${body.toString("utf8")}`,
        );
        const upstream = request(
          new URL(req.url ?? "/", sim.url),
          { method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on("error", () => res.destroy());
        upstream.end(body);
      });
    });
    await new Promise<void>((done) => proxy.listen(0, "127.0.0.1", done));
    const address = proxy.address();
    if (address === null || typeof address === "string") throw new Error("the proxy has no port");
    proxyUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await new Promise((done) => proxy.close(done));
    await sim.close();
  });
  afterEach(() => {
    expect(sim.invalidRequests).toEqual([]);
  });

  it("on a pull request, no canary in the log, outputs, summary, report, requests, comment or check run", async () => {
    const repo = "acme/canary-model";
    sim.addRepo({ owner: "acme", name: "canary-model", defaultBranch: "main" });
    const committed = [".github/mlgate.yml", "reports/metrics.json"];
    // The merge-base holds the base canaries in its committed metric files: the `auto` baseline.
    const base = workspace(BASE_VALUE, BASE_WORD);
    const mergeBase = sim.addCommit(repo, { files: filesOf(base, committed), branch: "main", message: "A" });
    const head = workspace(HEAD_VALUE, HEAD_WORD);
    const headSha = sim.addCommit(repo, {
      parents: [mergeBase],
      files: filesOf(head, committed),
      branch: "canary",
      message: "H",
    });
    const number = sim.addPullRequest(repo, {
      headSha,
      headRef: "canary",
      baseRef: "main",
      baseSha: mergeBase,
    });
    const payload = pullRequestPayload(
      repo,
      number,
      { sha: headSha, ref: "canary" },
      { sha: mergeBase, ref: "main" },
    );

    const reportPath = join(head, "mlgate-report.json");
    const step = await runActionStep({
      apiUrl: proxyUrl,
      token: TOKEN,
      workspace: head,
      event: { name: "pull_request", payload },
      repository: repo,
      sha: "f".repeat(40),
      ref: `refs/pull/${number}/merge`,
      inputs: { config: ".github/mlgate.yml", "report-path": reportPath },
    });

    expect(step.code).toBe(1);
    const comments = sim.comments(repo, number);
    const checkRuns = sim.checkRuns(repo);
    // The run really published, compared with the baseline, and sent what we search.
    expect(comments).toHaveLength(1);
    expect(checkRuns).toHaveLength(1);
    expect(readFileSync(reportPath, "utf8")).toContain("merge-base");
    expect(sent.some((line) => line.startsWith("POST ") && line.includes("secret_fails"))).toBe(true);

    expectNoCanary("the log", step.log);
    expectNoCanary("the workflow commands", step.commands.join("\n"));
    expectNoCanary("the outputs", JSON.stringify(step.outputs));
    expectNoCanary("the job summary", step.summary);
    expectNoCanary("the report file (the artifact)", readFileSync(reportPath, "utf8"));
    expectNoCanary("the requests to GitHub", sent.join("\n"));
    expectNoCanary("the comment", JSON.stringify(comments));
    expectNoCanary("the check run", JSON.stringify(checkRuns));
    expectNoCanary("the issues", JSON.stringify(sim.issues(repo)));
    // The head canaries were read: the Action also masks them, in case anything printed them.
    expect(step.masks).toEqual(expect.arrayContaining([String(HEAD_VALUE), HEAD_WORD]));
    // Once each: a value read twice (the head and the baseline) is not masked twice.
    expect(step.masks).toEqual([...new Set(step.masks)]);
  });
});

describe("a report read back (a baseline, an artifact, a fork's upload)", () => {
  it("keeps nothing a measurement marked redacted carries: value, message or baseline", async () => {
    const run = await runCli([
      "check",
      "--config",
      "fixtures/hostile/mlgate.yml",
      "--cwd",
      "fixtures/hostile",
      "--format",
      "json",
    ]);
    const forged = JSON.parse(run.stdout) as { measurements: Record<string, unknown>[] };
    const redacted = forged.measurements.filter((m) => m.redacted === true);
    expect(redacted.length).toBeGreaterThan(0);
    for (const m of redacted) {
      m.value = 0.918273645;
      m.message = `${String(m.message)} (0.918273645)`;
      m.baseline = { value: 0.918273645, delta: 0, ref: "main" };
    }
    const read = parseBaselineReport(JSON.stringify(forged), "forged.json");
    expect(JSON.stringify(read)).not.toContain("918273645");
    expect(read.measurements.filter((m) => m.redacted).every((m) => m.value === null)).toBe(true);
  });
});
