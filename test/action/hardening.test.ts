// The bundled Action against hostile configs and a misbehaving GitHub (issue #6): commands do not get the
// Action's credentials, `file:` sources stay in the checkout, oversized files are refused before they are
// read, check runs and their annotations are written once despite 502s after the write, and a hung GitHub
// ends the step with a warning instead of waiting for the job's timeout.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  eventPayload,
  exampleWorkspace,
  filesOf,
  runActionStep,
  type StepResult,
} from "../support/action-step.js";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";

const WRITE = "ghs_hardeningtokenwrite";
const BOT = "github-actions[bot]";
const COMMITTED = [".github/mlgate.yml", "reports/metrics.json"];

let sim: GitHubSimulator;
let counter = 0;

beforeAll(async () => {
  sim = await startGitHubSimulator();
  sim.addToken(WRITE, {
    login: BOT,
    type: "Bot",
    permissions: "write",
    appSlug: "github-actions",
    appId: 15368,
  });
});
afterAll(async () => sim.close());
afterEach(() => {
  expect(sim.invalidRequests).toEqual([]);
});

/**
 * A push to main whose checkout is `workspace`; the commit before it holds `before` (the same files when
 * absent). `env` is what the runner adds to the step's environment, passed through a wrapper around node.
 */
function pushScenario(workspace: string, options: { before?: Record<string, string | Uint8Array> } = {}) {
  const repo = `acme/hardened-${++counter}`;
  const [owner, name] = repo.split("/") as [string, string];
  sim.addRepo({ owner, name, defaultBranch: "main" });
  const before = sim.addCommit(repo, {
    files: options.before ?? filesOf(workspace, COMMITTED),
    branch: "main",
    message: "A",
  });
  const sha = sim.addCommit(repo, {
    parents: [before],
    files: filesOf(workspace, COMMITTED),
    branch: "main",
    message: "B",
  });
  const payload = eventPayload("push.json");
  payload.before = before;
  payload.after = sha;
  const push = (inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<StepResult> =>
    runActionStep({
      apiUrl: sim.url,
      token: WRITE,
      workspace,
      event: { name: "push", payload },
      repository: repo,
      sha,
      inputs,
      node: nodeWith(env),
    });
  return { repo, sha, push };
}

/**
 * A real runner sets more variables than runActionStep does: a node that starts the Action with them set.
 * (A node wrapper, not a shell one: a shell drops `INPUT_GITHUB-TOKEN`, whose name it cannot hold.)
 */
function nodeWith(env: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "mlgate-node-"));
  const script = join(dir, "node.mjs");
  writeFileSync(
    script,
    [
      `#!${process.execPath}`,
      'import { pathToFileURL } from "node:url";',
      `Object.assign(process.env, ${JSON.stringify(env)});`,
      "await import(pathToFileURL(process.argv[2]).href);",
      "",
    ].join("\n"),
  );
  chmodSync(script, 0o755);
  return script;
}

function reportIn(workspace: string): {
  status: string;
  measurements: Array<{
    name: string;
    status: string;
    value: unknown;
    message: string;
    baseline: { value: unknown } | null;
  }>;
} {
  return JSON.parse(readFileSync(resolve(workspace, "mlgate-report.json"), "utf8")) as ReturnType<
    typeof reportIn
  >;
}

/** Everything the step showed or sent: log, summary, outputs, the report file, check runs and their annotations. */
function everythingShown(workspace: string, repo: string, step: StepResult): string {
  return JSON.stringify([
    step.log,
    step.summary,
    step.outputs,
    readFileSync(resolve(workspace, "mlgate-report.json"), "utf8"),
    sim.checkRuns(repo),
  ]);
}

describe("command sources", () => {
  it("do not see the Action's token, its inputs or the runner's credentials; the rest of the environment stays", async () => {
    const hidden = [
      "INPUT_GITHUB-TOKEN",
      "INPUT_FAIL-ON",
      "ACTIONS_RUNTIME_TOKEN",
      "ACTIONS_RUNTIME_URL",
      "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
      "ACTIONS_ID_TOKEN_REQUEST_URL",
      "ACTIONS_CACHE_URL",
    ];
    const script = `const hidden = ${JSON.stringify(hidden)}; const seen = hidden.filter((n) => process.env[n] !== undefined); console.log(JSON.stringify({ seen: seen.join(",") || "none", kept: process.env.MLGATE_KEPT ?? "missing" }))`;
    const workspace = exampleWorkspace(
      [
        "version: 1",
        "sources:",
        `  env: { command: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(script)}] }`,
        "kpis:",
        "  seen: { source: env, path: seen, eq: none }",
        "  kept: { source: env, path: kept, eq: yes }",
        "",
      ].join("\n"),
    );
    const { push } = pushScenario(workspace);
    const step = await push(
      { "fail-on": "non-conformant" },
      {
        ACTIONS_RUNTIME_TOKEN: "runtime-canary",
        ACTIONS_RUNTIME_URL: "http://127.0.0.1:9/runtime/",
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "oidc-canary",
        ACTIONS_ID_TOKEN_REQUEST_URL: "http://127.0.0.1:9/oidc",
        ACTIONS_CACHE_URL: "http://127.0.0.1:9/cache/",
        MLGATE_KEPT: "yes",
      },
    );
    const values = Object.fromEntries(reportIn(workspace).measurements.map((m) => [m.name, m.value]));
    expect(values).toEqual({ seen: "none", kept: "yes" });
    expect(step.code).toBe(0);
  });
});

describe("file sources in the Action", () => {
  it("are not read outside the checkout, by path or through a link, and nothing of the target shows", async () => {
    const outside = mkdtempSync(join(tmpdir(), "mlgate-outside-"));
    const canary = "0.8675309";
    writeFileSync(join(outside, "secret.json"), `{"test": {"accuracy": ${canary}}}`);
    const workspace = exampleWorkspace(
      [
        "version: 1",
        "sources:",
        `  up: { file: ../${basename(outside)}/secret.json }`,
        `  absolute: { file: ${JSON.stringify(join(outside, "secret.json"))} }`,
        "  linked: { file: reports/linked.json }",
        "  ours: { file: reports/metrics.json }",
        "kpis:",
        "  up: { source: up, path: test.accuracy, gte: 0 }",
        "  absolute: { source: absolute, path: test.accuracy, gte: 0 }",
        "  linked: { source: linked, path: test.accuracy, gte: 0 }",
        "  ours: { source: ours, path: test.accuracy, gte: 0.9 }",
        "",
      ].join("\n"),
    );
    symlinkSync(join(outside, "secret.json"), join(workspace, "reports/linked.json"));
    const { repo, push } = pushScenario(workspace);
    const step = await push();
    const report = reportIn(workspace);
    const byName = Object.fromEntries(report.measurements.map((m) => [m.name, m]));
    expect(byName.ours?.status).toBe("pass");
    for (const name of ["up", "absolute", "linked"]) {
      expect(byName[name]?.status).toBe("error");
      expect(byName[name]?.message).toContain(`source "${name}"`);
      expect(byName[name]?.message).toContain("outside the working directory");
    }
    expect(everythingShown(workspace, repo, step)).not.toContain(canary);
    expect(step.code).not.toBe(0);
  });
});

describe("files the Action reads and writes in the checkout", () => {
  const canary = "8675309";

  it.each(["a link out of the checkout", "a FIFO"])(
    "a gates config committed as %s is refused, naming with.config, and none of its values reach the log",
    async (plant) => {
      const workspace = exampleWorkspace();
      const { repo, push } = pushScenario(workspace);
      const outside = mkdtempSync(join(tmpdir(), "mlgate-outside-"));
      const config = readFileSync(join(workspace, ".github/mlgate.yml"), "utf8");
      writeFileSync(join(outside, "mlgate.yml"), config.replace("accuracy:", `leak_${canary}:`));
      rmSync(join(workspace, ".github/mlgate.yml"));
      if (plant === "a FIFO") execFileSync("mkfifo", [join(workspace, ".github/mlgate.yml")]);
      else symlinkSync(join(outside, "mlgate.yml"), join(workspace, ".github/mlgate.yml"));
      const step = await push();
      expect(step.code).toBe(1);
      expect(step.log).toContain(
        plant === "a FIFO"
          ? "::error::mlgate: with.config: the gates config .github/mlgate.yml is a FIFO (named pipe), not a regular file"
          : `::error::mlgate: with.config: the gates config .github/mlgate.yml leads through a symbolic link outside the working directory ${workspace}`,
      );
      expect(JSON.stringify([step.log, step.summary, step.outputs, sim.checkRuns(repo)])).not.toContain(
        canary,
      );
      expect(step.log).not.toContain(outside);
    },
  );

  it("a baseline path that links out of the checkout is refused, naming with.baseline", async () => {
    const workspace = exampleWorkspace();
    const { push } = pushScenario(workspace);
    const outside = mkdtempSync(join(tmpdir(), "mlgate-outside-"));
    writeFileSync(join(outside, "report.json"), `{"schema": "mlgate.report/v1", "leak": ${canary}}`);
    symlinkSync(join(outside, "report.json"), join(workspace, "baseline.json"));
    const step = await push({ baseline: "baseline.json" });
    expect(step.code).toBe(1);
    expect(step.log).toContain(
      "::error::mlgate: with.baseline: the baseline report baseline.json leads through a symbolic link outside",
    );
    expect(step.log).not.toContain(canary);
  });

  it("a report-path committed as a link is replaced by the report; the file it led to is untouched", async () => {
    const workspace = exampleWorkspace();
    const { push } = pushScenario(workspace);
    const outside = mkdtempSync(join(tmpdir(), "mlgate-outside-"));
    writeFileSync(join(outside, "victim"), "untouched");
    symlinkSync(join(outside, "victim"), join(workspace, "mlgate-report.json"));
    const step = await push();
    expect(step.code).toBe(0);
    expect(readFileSync(join(outside, "victim"), "utf8")).toBe("untouched");
    expect(lstatSync(join(workspace, "mlgate-report.json")).isFile()).toBe(true);
    expect(reportIn(workspace).status).toBe("conformant-with-warnings");
  });

  it("a report-path in a directory that links out is refused, naming with.report-path; nothing is written there, and the verdict is still published", async () => {
    const workspace = exampleWorkspace();
    const { repo, sha, push } = pushScenario(workspace);
    const outside = mkdtempSync(join(tmpdir(), "mlgate-outside-"));
    symlinkSync(outside, join(workspace, "out"));
    const step = await push({ "report-path": "out/mlgate-report.json" });
    expect(step.code).toBe(1);
    expect(step.log).toContain(
      `::error::mlgate: with.report-path: cannot write out/mlgate-report.json: it leads through a symbolic link outside the working directory ${workspace}`,
    );
    expect(readdirSync(outside)).toEqual([]);
    // The refusal fails the step only after the check run says this commit's verdict.
    expect(sim.checkRuns(repo)).toMatchObject([
      { head_sha: sha, output: { title: expect.stringContaining("conformant with warnings") } },
    ]);
  });

  it("a working-directory committed as a link out of the checkout is refused, naming with.working-directory; nothing there is read", async () => {
    const workspace = exampleWorkspace();
    const { repo, push } = pushScenario(workspace);
    // The pull request's `ml` leads to a place on the runner holding a config and metrics of its own.
    const outside = mkdtempSync(join(tmpdir(), "mlgate-outside-"));
    writeFileSync(join(outside, "mlgate.yml"), readFileSync(join(workspace, ".github/mlgate.yml"), "utf8"));
    cpSync(join(workspace, "reports"), join(outside, "reports"), { recursive: true });
    writeFileSync(join(outside, "reports/metrics.json"), '{"test": {"accuracy": 0.8675309}}');
    symlinkSync(outside, join(workspace, "ml"));
    const step = await push({ "working-directory": "ml", config: "mlgate.yml" });
    expect(step.code).toBe(1);
    expect(step.log).toContain(
      `::error::mlgate: with.working-directory: working-directory ml leads through a symbolic link outside the workspace ${workspace}`,
    );
    expect(step.log).not.toContain("8675309");
    expect(sim.checkRuns(repo)).toEqual([]);
  });

  it("an absolute report-path outside the workspace, the workflow's own choice, is written there", async () => {
    const workspace = exampleWorkspace();
    const { push } = pushScenario(workspace);
    const elsewhere = join(mkdtempSync(join(tmpdir(), "mlgate-runner-temp-")), "reports");
    mkdirSync(elsewhere);
    const step = await push({ "report-path": join(elsewhere, "mlgate-report.json") });
    expect(step.code).toBe(0);
    expect(existsSync(join(elsewhere, "mlgate-report.json"))).toBe(true);
    expect(step.outputs["report-path"]).toBe(join(elsewhere, "mlgate-report.json"));
  });
});

describe("sizes are checked before reading", () => {
  it("refuses a gates config over 1 MiB without reading it", async () => {
    const workspace = exampleWorkspace();
    const { push } = pushScenario(workspace);
    truncateSync(join(workspace, ".github/mlgate.yml"), 1024 * 1024 + 1);
    const step = await push();
    expect(step.code).toBe(1);
    expect(step.log).toContain(
      "::error::mlgate: with.config: the gates config .github/mlgate.yml is 1048577 bytes, more than the 1 MiB it may have",
    );
  });

  it("does not download a committed metric file over the file source's cap, and takes no baseline value from it", async () => {
    const workspace = exampleWorkspace();
    // 256 MiB + 1 of valid JSON: the metrics, then spaces.
    const big = Buffer.alloc(256 * 1024 * 1024 + 1, 0x20);
    big.write(readFileSync(join(workspace, "reports/metrics.json"), "utf8"));
    const { repo, push } = pushScenario(workspace, {
      before: { ...filesOf(workspace, COMMITTED), "reports/metrics.json": big },
    });
    const step = await push();
    expect(step.code).toBe(0);
    const contents = sim.requests.filter((r) => r.path.includes(`/repos/${repo}/contents/`));
    expect(contents).toEqual([]);
    const accuracy = reportIn(workspace).measurements.find((m) => m.name === "accuracy");
    expect(accuracy?.baseline?.value ?? null).toBeNull();
  }, 60_000);
});

describe("check runs", () => {
  it("a 502 after GitHub stored the check run leaves exactly one check run", async () => {
    const workspace = exampleWorkspace();
    const { repo, sha, push } = pushScenario(workspace);
    sim.fault({
      method: "POST",
      path: new RegExp(`/repos/${repo}/check-runs$`),
      status: 502,
      afterWrite: true,
    });
    const step = await push();
    expect(step.code).toBe(0);
    const runs = sim.checkRuns(repo).filter((run) => run.head_sha === sha);
    expect(runs).toHaveLength(1);
    expect(step.log).not.toContain("could not publish the check run");
    expect(step.outputs["check-run-url"]).toContain(String(runs[0]?.id));
  });

  it("a 502 after an annotation update was stored does not add its annotations twice", async () => {
    const failing = Array.from(
      { length: 120 },
      (_, i) => `  k${i}: { source: eval, path: test.accuracy, gte: 2 }`,
    );
    const workspace = exampleWorkspace(
      ["version: 1", "sources:", "  eval: { file: reports/metrics.json }", "kpis:", ...failing, ""].join(
        "\n",
      ),
    );
    const { repo, push } = pushScenario(workspace);
    sim.fault({
      method: "PATCH",
      path: new RegExp(`/repos/${repo}/check-runs/\\d+$`),
      status: 502,
      afterWrite: true,
    });
    const step = await push({ baseline: "none" });
    expect(step.code).toBe(1);
    const [run, ...more] = sim.checkRuns(repo);
    expect(more).toEqual([]);
    expect(run?.annotations).toHaveLength(120);
    expect(new Set(run?.annotations.map((a) => a.start_line)).size).toBe(120);
  });
});

describe("a GitHub that hangs", () => {
  it("ends the step with a warning within seconds, the verdict unchanged", async () => {
    const workspace = exampleWorkspace();
    const { repo, push } = pushScenario(workspace);
    const env = { MLGATE_GITHUB_TIMEOUT_MS: "500" };
    const calm = await push({}, env);
    const verdict = reportIn(workspace).status;
    // Each request is given up after 0.5 s and retried twice (after 1 s and 4 s): about 12 s in all. Without
    // a timeout the step would wait 45 s for each of them.
    sim.fault({ path: /\/graphql$/, delayMs: 45_000, times: 3 });
    sim.fault({ method: "POST", path: new RegExp(`/repos/${repo}/check-runs$`), delayMs: 45_000, times: 3 });
    const step = await push({}, env);
    expect(step.durationMs).toBeLessThan(30_000);
    expect(step.log).toContain("::warning::mlgate: could not read from GitHub");
    expect(step.log).toContain("::warning::mlgate could not publish the check run");
    expect(reportIn(workspace).status).toBe(verdict);
    expect(step.code).toBe(calm.code);
  }, 120_000);
});
