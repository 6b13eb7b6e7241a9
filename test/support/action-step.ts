// Runs the bundled Action (action/dist/index.js) the way a runner does: a subprocess with the event
// payload in GITHUB_EVENT_PATH, INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_API_URL
// pointing at the GitHub simulator. Asynchronous, so the simulator in this process keeps answering.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export interface StepResult {
  code: number;
  /** What the log shows: stdout and stderr, without the `::add-mask::` lines the runner hides. */
  log: string;
  masks: string[];
  outputs: Record<string, string>;
  summary: string;
  /** Workflow commands the step printed (`::error file=…::…`), in order. */
  commands: string[];
  durationMs: number;
}

export interface StepOptions {
  apiUrl: string;
  token: string;
  workspace: string;
  event: { name: string; payload: unknown };
  repository: string;
  sha: string;
  ref?: string;
  actor?: string;
  inputs?: Record<string, string>;
  node?: string;
  /** GITHUB_WORKFLOW_REF's file; `.github/workflows/ci.yml` (the simulator's path for a run named CI). */
  workflowFile?: string;
  /** More of the step's environment, as a runner or the workflow's `env:` sets it. */
  env?: Record<string, string>;
}

export async function runActionStep(options: StepOptions): Promise<StepResult> {
  const dir = mkdtempSync(join(tmpdir(), "mlgate-runner-"));
  const files = {
    output: join(dir, "output"),
    summary: join(dir, "summary"),
    event: join(dir, "event.json"),
  };
  writeFileSync(files.output, "");
  writeFileSync(files.summary, "");
  writeFileSync(files.event, JSON.stringify(options.event.payload));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
    GITHUB_REPOSITORY: options.repository,
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_SHA: options.sha,
    GITHUB_REF: options.ref ?? "refs/heads/main",
    GITHUB_WORKFLOW_REF: `${options.repository}/${options.workflowFile ?? ".github/workflows/ci.yml"}@${options.ref ?? "refs/heads/main"}`,
    GITHUB_RUN_ID: "9001",
    GITHUB_ACTOR: options.actor ?? "octocat",
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
    "INPUT_GITHUB-TOKEN": options.token,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs ?? {}))
    env[`INPUT_${name.toUpperCase()}`] = value;
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (done) => {
      execFile(
        options.node ?? process.execPath,
        [resolve("action/dist/index.js")],
        { env, cwd: options.workspace, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
        (error, out, err) => done({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err }),
      );
    },
  );
  const durationMs = performance.now() - started;
  const lines = `${stdout}${stderr}`.split("\n");
  const masks = lines.filter((line) => line.startsWith("::add-mask::")).map((line) => line.slice(12));
  const shown = lines.filter((line) => !line.startsWith("::add-mask::"));
  return {
    code,
    log: shown.join("\n"),
    masks,
    outputs: parseOutputs(readFileSync(files.output, "utf8")),
    summary: readFileSync(files.summary, "utf8"),
    commands: shown.filter((line) => line.startsWith("::")),
    durationMs,
  };
}

/** GITHUB_OUTPUT's `name<<delimiter` … `delimiter` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const block = /^(.+?)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(block)) outputs[match[1] ?? ""] = match[3] ?? "";
  return outputs;
}

/** A checkout of the bundled example: `.github/mlgate.yml` and its metric files under `reports/`. */
export function exampleWorkspace(config?: string): string {
  const workspace = mkdtempSync(join(tmpdir(), "mlgate-ws-"));
  cpSync(resolve("fixtures/example/reports"), join(workspace, "reports"), { recursive: true });
  mkdirSync(join(workspace, ".github"));
  writeFileSync(
    join(workspace, ".github/mlgate.yml"),
    config ?? readFileSync(resolve("fixtures/example/mlgate.yml"), "utf8"),
  );
  return workspace;
}

/** The files of a workspace as a commit would hold them. */
export function filesOf(workspace: string, paths: readonly string[]): Record<string, string> {
  return Object.fromEntries(paths.map((path) => [path, readFileSync(join(workspace, path), "utf8")]));
}

export function writeIn(workspace: string, path: string, text: string): void {
  mkdirSync(dirname(join(workspace, path)), { recursive: true });
  writeFileSync(join(workspace, path), text);
}

/** A real webhook payload from fixtures/github/events with only the named fields changed. */
export function eventPayload(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve("fixtures/github/events", file), "utf8")) as Record<string, unknown>;
}

/**
 * The real `pull_request.synchronize` payload, for pull request `number` of `repo` (owner/name) whose
 * head and base are at the given commits and branches.
 */
export function pullRequestPayload(
  repo: string,
  number: number,
  head: { sha: string; ref: string },
  base: { sha: string; ref: string },
): Record<string, unknown> {
  const [owner, name] = repo.split("/") as [string, string];
  const payload = eventPayload("pull_request.synchronize.json");
  const pr = payload.pull_request as Record<string, Record<string, unknown>>;
  const repository = { ...(payload.repository as object), full_name: repo, name, owner: { login: owner } };
  payload.number = number;
  payload.repository = repository;
  pr.number = number as never;
  pr.head = { ...pr.head, sha: head.sha, ref: head.ref, repo: repository };
  pr.base = { ...pr.base, sha: base.sha, ref: base.ref, repo: repository };
  return payload;
}
