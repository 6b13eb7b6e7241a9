// Runs the built App (dist/app.js, what `npm run app` starts) as a real process against the GitHub
// simulator, configured only through the environment a deployment sets, and sends it signed webhooks.
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { freshDataDir } from "./data-dir.js";
import { deliverWebhook, examplePayload, type DeliveryResult } from "./webhooks.js";
import type { GitHubSimulator } from "./github-sim/index.js";

export const APP_ID = 4242;
export const APP_SLUG = "mlgate-test";
export const BOT = `${APP_SLUG}[bot]`;
export const SECRET = "webhook-secret-for-tests";

let key: string | undefined;
/** One RSA key per test process: the simulator checks a JWT's shape and `iss`, Probot needs a real key to sign. */
export function privateKey(): string {
  key ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
  return key;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface AppProcess {
  webhookUrl: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: no cleanup at all. */
  kill(): Promise<void>;
  deliver(
    event: string,
    payload: unknown,
    options?: { deliveryId?: string; signature?: string | null },
  ): Promise<DeliveryResult>;
}

export interface AppStartOptions {
  sim: GitHubSimulator;
  dataDir?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
}

/**
 * SIGTERM, and SIGKILL when it has not exited within `graceMs`: an App whose event loop is blocked cannot
 * act on SIGTERM, and a test must not wait for it forever.
 */
export async function stopOrKill(app: AppProcess, graceMs = 5_000): Promise<void> {
  const stopped = await Promise.race([
    app.stop().then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs)),
  ]);
  if (!stopped) await app.kill();
}

/** Starts `node dist/app.js` and waits until it listens; rejects with its output when it exits first. */
export async function startApp(options: AppStartOptions): Promise<AppProcess> {
  const port = await freePort();
  const api = new URL(options.sim.url);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    APP_ID: String(APP_ID),
    PRIVATE_KEY: privateKey(),
    WEBHOOK_SECRET: SECRET,
    PORT: String(port),
    HOST: "127.0.0.1",
    GHE_HOST: api.host,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    NODE_ENV: "production",
    MLGATE_REPORT_DEBOUNCE: "200ms",
    MLGATE_SWEEP_INTERVAL: "1s",
    MLGATE_RECONCILE_INTERVAL: "0",
    ...(options.databaseUrl
      ? { DATABASE_URL: options.databaseUrl }
      : { MLGATE_DATA_DIR: options.dataDir ?? (await freshDataDir()) }),
    ...options.env,
  };
  const child = spawn(process.execPath, ["dist/app.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the App did not start in 30 s:\n${output}`)), 30_000);
    const poll = setInterval(() => {
      if (output.includes("mlgate App listening")) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
    }, 25);
    void exited.then((code) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`the App exited with ${code}:\n${output}`));
    });
  });
  const webhookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;
  return {
    webhookUrl,
    child,
    output: () => output,
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
    deliver: (event, payload, extra = {}) =>
      deliverWebhook(webhookUrl, {
        event,
        payload: payload as Record<string, unknown>,
        secret: SECRET,
        deliveryId: extra.deliveryId ?? randomUUID(),
        ...(extra.signature !== undefined ? { signature: extra.signature } : {}),
      }),
  };
}

/** Polls `check` until it returns something other than undefined, or fails after `ms` with `what`. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface RepositoryPayload {
  id: number;
  name: string;
  full_name: string;
  private: boolean;
}

/** GitHub's installation.created payload (a real example), for our App on `org` with `repositories`. */
export function installationCreated(installationId: number, org: string, repositories: RepositoryPayload[]) {
  const payload = examplePayload("installation", "created") as {
    installation: Record<string, unknown> & { account: Record<string, unknown> };
    repositories: RepositoryPayload[];
    sender: Record<string, unknown>;
  };
  Object.assign(payload.installation, {
    id: installationId,
    app_id: APP_ID,
    app_slug: APP_SLUG,
    repository_selection: "all",
  });
  Object.assign(payload.installation.account, { login: org, type: "Organization" });
  payload.repositories = repositories;
  payload.sender.login = "octo-admin";
  return payload;
}

/** GitHub's push payload (a real example) for a push of `after` to the default branch `main` of `org/name`. */
export function pushed(options: {
  installationId: number;
  org: string;
  name: string;
  id: number;
  before: string;
  after: string;
  ref?: string;
}) {
  const payload = examplePayload("push") as Record<string, unknown> & {
    repository: Record<string, unknown> & { owner: Record<string, unknown> };
  };
  Object.assign(payload, {
    ref: options.ref ?? "refs/heads/main",
    before: options.before,
    after: options.after,
    installation: { id: options.installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" },
  });
  Object.assign(payload.repository, {
    id: options.id,
    name: options.name,
    full_name: `${options.org}/${options.name}`,
    default_branch: "main",
    master_branch: "main",
    archived: false,
    private: false,
  });
  Object.assign(payload.repository.owner, { login: options.org, name: options.org });
  return payload;
}

/** GitHub's workflow_run payload (a real example) for run `runId` of `org/name`, completed on main at `headSha`. */
export function workflowRunCompleted(options: {
  installationId: number;
  org: string;
  name: string;
  id: number;
  runId: number;
  headSha: string;
  conclusion: "success" | "failure";
}) {
  const payload = examplePayload("workflow_run", "completed") as Record<string, unknown> & {
    workflow_run: Record<string, unknown>;
    repository: Record<string, unknown> & { owner: Record<string, unknown> };
  };
  Object.assign(payload.workflow_run, {
    id: options.runId,
    head_sha: options.headSha,
    head_branch: "main",
    conclusion: options.conclusion,
    head_repository: { ...(payload.workflow_run.head_repository as object), id: options.id },
  });
  payload.repository = {
    ...payload.repository,
    id: options.id,
    name: options.name,
    full_name: `${options.org}/${options.name}`,
    default_branch: "main",
    owner: { ...payload.repository.owner, login: options.org },
  };
  payload.installation = { id: options.installationId };
  return payload;
}

/** GitHub's pull_request payload (a real example) for PR `number` of `org/name` from `headRef` into main. */
export function pullRequestEvent(options: {
  action: "opened" | "synchronize" | "reopened";
  installationId: number;
  org: string;
  name: string;
  id: number;
  number: number;
  headSha: string;
  headRef: string;
  baseSha: string;
}) {
  const payload = examplePayload("pull_request", "opened") as Record<string, unknown> & {
    pull_request: Record<string, unknown> & { head: Record<string, unknown>; base: Record<string, unknown> };
    repository: Record<string, unknown> & { owner: Record<string, unknown> };
  };
  const repository = {
    ...payload.repository,
    id: options.id,
    name: options.name,
    full_name: `${options.org}/${options.name}`,
    default_branch: "main",
    private: false,
    owner: { ...payload.repository.owner, login: options.org },
  };
  Object.assign(payload, {
    action: options.action,
    number: options.number,
    repository,
    installation: { id: options.installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" },
  });
  Object.assign(payload.pull_request, { number: options.number, state: "open" });
  Object.assign(payload.pull_request.head, { sha: options.headSha, ref: options.headRef, repo: repository });
  Object.assign(payload.pull_request.base, { sha: options.baseSha, ref: "main", repo: repository });
  return payload;
}

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

/** An organisation with the App installed on all its repositories, each with one commit on main; `secret-model` is private. */
export function organisation(
  sim: GitHubSimulator,
  at: { org: string; installationId: number },
  repositories: Record<string, Record<string, string>>,
) {
  const ORG = at.org;
  sim.addOrganization(ORG);
  sim.addInstallation({
    id: at.installationId,
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
