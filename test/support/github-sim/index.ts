// The GitHub API simulator for end-to-end tests: a stateful HTTP server on 127.0.0.1 that validates every
// request against GitHub's OpenAPI description, can inject faults, and lets tests arrange and inspect state.
import type { FaultOptions } from "./faults.js";
import type {
  Annotation,
  Identity,
  Permission,
  UserRecord,
  Visibility,
  WorkflowRunConclusion,
  WorkflowRunRecord,
  WorkflowRunStatus,
} from "./records.js";
import { SimServer, type InvalidRequest, type InvalidResponse, type RecordedRequest } from "./server.js";
import {
  type CheckRunSnapshot,
  checkRunSnapshot,
  type CommentSnapshot,
  commentSnapshot,
  type IssueSnapshot,
  issueSnapshot,
} from "./snapshots.js";
import { githubSchema } from "./graphql-schema.js";
import { OperationTable } from "./spec.js";
import { isoSeconds, SimState } from "./state.js";
import { Validator } from "./validate.js";

export type {
  Annotation,
  CheckRunSnapshot,
  CommentSnapshot,
  FaultOptions,
  InvalidRequest,
  InvalidResponse,
  IssueSnapshot,
  Permission,
  RecordedRequest,
  Visibility,
  WorkflowRunConclusion,
  WorkflowRunStatus,
};
export type { UserSnapshot } from "./snapshots.js";

export interface GitHubSimulatorOptions {
  /** The clock for timestamps GitHub would set (comments, check runs, token expiry); the real one by default. */
  now?: () => Date;
}

export interface RepoOptions {
  owner: string;
  name: string;
  /** Shorthand for visibility "private". */
  private?: boolean;
  /** "public" unless `private` says otherwise. */
  visibility?: Visibility;
  archived?: boolean;
  /** The last push; the repository's creation when absent, and every commit added to a branch moves it. */
  pushedAt?: string | Date;
  /** "main" when absent. */
  defaultBranch?: string;
}

export interface CommitOptions {
  /** 40 hex digits; computed as git would when absent. */
  sha?: string;
  /**
   * When absent: the tip of `branch`, or of the default branch when `branch` is new or not given (as
   * `git switch -c` starts from the current branch); no parents for the first commit of the repository.
   */
  parents?: string[];
  /** The full snapshot of files at this commit. */
  files: Record<string, string | Uint8Array>;
  /** Moves (or creates) this branch to the new commit. */
  branch?: string;
  message?: string;
}

export interface PullRequestOptions {
  number?: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  /** The tip of `baseRef` at request time when absent. */
  baseSha?: string;
  /** "owner/name" of a fork; created as a fork when it does not exist. */
  headRepo?: string;
  /** The author's login; the head repository's owner when absent. */
  user?: string;
  state?: "open" | "closed";
  title?: string;
  body?: string;
  draft?: boolean;
}

export interface IssueOptions {
  title: string;
  body?: string;
  login: string;
  type?: "User" | "Bot";
  labels?: string[];
  state?: "open" | "closed";
}

export interface CommentOptions {
  body: string;
  login: string;
  type?: "User" | "Bot";
}

export interface WorkflowRunOptions {
  id?: number;
  headSha: string;
  headBranch: string;
  event: string;
  status: WorkflowRunStatus;
  conclusion: WorkflowRunConclusion | null;
  createdAt?: string | Date;
  name?: string;
  /** "owner/name" the commit comes from, for a run of a pull request from a fork. */
  headRepo?: string;
  artifacts?: Array<{ name: string; zip: Uint8Array; expired?: boolean }>;
}

export interface TokenOptions {
  login: string;
  type: "Bot" | "User";
  permissions: Permission;
  appSlug?: string;
  appId?: number;
}

export interface InstallationOptions {
  id: number;
  appId: number;
  appSlug: string;
  /** "write" when absent. */
  permissions?: Permission;
  /**
   * The login of the organization (or user) the App is installed on: its tokens then see only that
   * account's repositories. When absent, the tokens see every repository (as before accounts existed).
   */
  account?: string;
  /** "Organization" when absent; the account takes this type. */
  accountType?: "Organization" | "User";
  /** "all" when absent, or the selected repositories as "owner/name". */
  repositories?: "all" | string[];
}

export interface RateLimitSnapshot {
  limit: number;
  used: number;
  remaining: number;
  /** Epoch seconds, as in `x-ratelimit-reset`. */
  reset: number;
}

let shared: { operations: OperationTable; validator: Validator } | undefined;

function selection(repositories: "all" | string[]): "all" | Set<string> {
  if (repositories === "all") return "all";
  for (const name of repositories) {
    if (!/^[^/]+\/[^/]+$/.test(name)) throw new Error(`GitHub simulator: "${name}" is not "owner/name"`);
  }
  return new Set(repositories.map((name) => name.toLowerCase()));
}

export class GitHubSimulator {
  private constructor(
    /** "http://127.0.0.1:PORT": the GITHUB_API_URL; GraphQL is at `${url}/graphql`. */
    readonly url: string,
    private readonly state: SimState,
    private readonly server: SimServer,
  ) {}

  static async start(options: GitHubSimulatorOptions = {}): Promise<GitHubSimulator> {
    const state = new SimState(options.now ?? (() => new Date()));
    // Compiled schemas are kept for the whole test process: compiling the larger ones takes ~100 ms each.
    shared ??= { operations: OperationTable.load(), validator: new Validator() };
    // Built here rather than on the first query, which an App's benchmark times.
    githubSchema();
    const server = new SimServer(state, shared.operations, shared.validator);
    const url = await server.listen();
    return new GitHubSimulator(url, state, server);
  }

  /** Every request so far, faulted ones included. */
  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  /**
   * Requests GitHub would reject or that no operation in openapi.json describes. Tests assert it is empty
   * after each scenario; a test that sends one on purpose takes it out with `splice`.
   */
  get invalidRequests(): InvalidRequest[] {
    return this.server.invalidRequests;
  }

  /** Simulator bugs: success responses that did not match the response schema (they were answered with 500). */
  get invalidResponses(): InvalidResponse[] {
    return this.server.invalidResponses;
  }

  resetRequests(): void {
    this.server.requests.length = 0;
  }

  fault(options: FaultOptions): void {
    this.server.faults.add(options);
  }

  addToken(token: string, options: TokenOptions): void {
    const identity: Identity = { login: options.login, type: options.type, permissions: options.permissions };
    if (options.appSlug !== undefined) identity.appSlug = options.appSlug;
    if (options.appId !== undefined) identity.appId = options.appId;
    this.state.user(options.login, options.type);
    this.state.credentials.addToken(token, identity);
  }

  /**
   * An App installation; POST /app/installations/{id}/access_tokens with a JWT whose `iss` is `appId` mints
   * tokens. With an `account`, those tokens see only its repositories (all, or the selected ones): anything
   * else answers 404 in REST and NOT_FOUND in GraphQL, as on GitHub.
   */
  addInstallation(options: InstallationOptions): void {
    const account =
      options.account === undefined
        ? undefined
        : this.account(options.account, options.accountType ?? "Organization");
    this.state.credentials.addInstallation({
      id: options.id,
      appId: options.appId,
      appSlug: options.appSlug,
      permissions: options.permissions ?? "write",
      account,
      repositories: selection(options.repositories ?? "all"),
      createdAt: this.state.timestamp(),
    });
  }

  /** Changes which repositories an installation covers (the App's "installation_repositories" event). */
  setInstallationRepositories(id: number, repositories: "all" | string[]): void {
    const installation = this.state.credentials.installation(id);
    if (!installation) throw new Error(`GitHub simulator: no installation ${id}`);
    installation.repositories = selection(repositories);
  }

  /** Uninstalls the App from the account: the installation's tokens answer 401 from then on. */
  removeInstallation(id: number): void {
    if (!this.state.credentials.removeInstallation(id))
      throw new Error(`GitHub simulator: no installation ${id}`);
  }

  /** Makes an account an organization (GraphQL `organization(login)`, GET /orgs/{org}/installation). */
  addOrganization(login: string): void {
    this.account(login, "Organization");
  }

  private account(login: string, type: "Organization" | "User"): UserRecord {
    const account = this.state.user(login, type);
    account.type = type;
    return account;
  }

  addRepo(options: RepoOptions): void {
    const { pushedAt, ...rest } = options;
    this.state.addRepo({
      ...rest,
      ...(pushedAt === undefined
        ? {}
        : { pushedAt: isoSeconds(typeof pushedAt === "string" ? new Date(pushedAt) : pushedAt) }),
    });
  }

  /** The repository's id, as its REST and webhook representations carry it. */
  repoId(repo: string): number {
    return this.state.requireRepo(repo).id;
  }

  /**
   * Changes a repository's visibility, as its admin would in Settings (GraphQL `isPrivate`, REST `private` and
   * `visibility` follow). GitHub then sends the `repository` event `publicized` or `privatized`: a test that
   * wants it delivers it itself.
   */
  setVisibility(repo: string, visibility: Visibility): void {
    this.state.requireRepo(repo).visibility = visibility;
  }

  /** Archives (or unarchives) a repository: writes then answer 403 "Repository was archived so is read-only." */
  archiveRepo(repo: string, archived = true): void {
    this.state.requireRepo(repo).archived = archived;
  }

  /**
   * Renames a repository within its owner. As on GitHub, REST requests to the old name are redirected
   * (301 for GET, 307 for other methods) to /repositories/{id}/..., which Octokit's fetch follows, and
   * GraphQL `repository(owner, name)` resolves the old name unless `followRenames: false` — until a new
   * repository takes the old name.
   */
  renameRepo(repo: string, newName: string): void {
    this.state.renameRepo(this.state.requireRepo(repo), newName);
  }

  /** Deletes a repository: 404 in REST and NOT_FOUND in GraphQL from then on; installations drop it. */
  deleteRepo(repo: string): void {
    this.state.deleteRepo(this.state.requireRepo(repo));
  }

  /** A token's REST (`core`) and GraphQL windows as the simulator counts them; an installation's tokens share one. */
  rateLimit(token: string): { core: RateLimitSnapshot; graphql: RateLimitSnapshot } {
    const identity = this.state.credentials.identity(token);
    if (!identity) throw new Error("GitHub simulator: unknown or expired token");
    const account = this.state.rateAccount(identity);
    const read = (resource: "core" | "graphql"): RateLimitSnapshot => {
      const window = this.state.rateLimits.spend(account, resource, 0);
      return {
        limit: window.limit,
        used: window.used,
        remaining: window.remaining,
        reset: Math.floor(window.resetAt / 1000),
      };
    };
    return { core: read("core"), graphql: read("graphql") };
  }

  /** Adds a commit (a full snapshot of files) and returns its sha. */
  addCommit(repo: string, options: CommitOptions): string {
    return this.state.addCommit(this.state.requireRepo(repo), options).sha;
  }

  addPullRequest(repo: string, options: PullRequestOptions): number {
    const base = this.state.requireRepo(repo);
    const [forkOwner = "", forkName = ""] = options.headRepo?.split("/") ?? [];
    const headRepo =
      options.headRepo === undefined
        ? base
        : (this.state.repo(options.headRepo) ??
          this.state.addRepo({
            owner: forkOwner,
            name: forkName,
            fork: true,
            defaultBranch: base.defaultBranch,
          }));
    if (!this.state.git.commit(options.headSha)) {
      throw new Error(`GitHub simulator: no commit ${options.headSha}; call addCommit first`);
    }
    if (!headRepo.branches.has(options.headRef)) headRepo.branches.set(options.headRef, options.headSha);
    if (!base.branches.has(options.baseRef)) {
      if (options.baseSha === undefined)
        throw new Error(`GitHub simulator: ${repo} has no branch ${options.baseRef}`);
      base.branches.set(options.baseRef, options.baseSha);
    }
    const issue = this.state.createIssue(base, {
      ...(options.number !== undefined ? { number: options.number } : {}),
      title: options.title ?? `Changes from ${options.headRef}`,
      body: options.body ?? null,
      user: this.state.user(options.user ?? headRepo.owner.login),
      pull: {
        id: this.state.nextId(),
        headSha: options.headSha,
        headRef: options.headRef,
        headRepo,
        baseRef: options.baseRef,
        baseSha: options.baseSha,
        draft: options.draft ?? false,
      },
    });
    if (options.state === "closed") this.state.setIssueState(issue, "closed");
    return issue.number;
  }

  addIssue(repo: string, options: IssueOptions): number {
    const issue = this.state.createIssue(this.state.requireRepo(repo), {
      title: options.title,
      body: options.body ?? null,
      user: this.state.user(options.login, options.type ?? "User"),
      labels: options.labels ?? [],
    });
    if (options.state === "closed") this.state.setIssueState(issue, "closed");
    return issue.number;
  }

  addComment(repo: string, issueNumber: number, options: CommentOptions): CommentSnapshot {
    const issue = this.state.requireRepo(repo).issues.get(issueNumber);
    if (!issue) throw new Error(`GitHub simulator: no issue or pull request ${repo}#${issueNumber}`);
    const user = this.state.user(options.login, options.type ?? "User");
    return commentSnapshot(this.state.addComment(issue, options.body, user));
  }

  addWorkflowRun(repo: string, options: WorkflowRunOptions): number {
    const record = this.state.requireRepo(repo);
    const id = options.id ?? this.state.nextId();
    if (record.workflowRuns.some((run) => run.id === id))
      throw new Error(`GitHub simulator: run ${id} already exists`);
    const createdAt = options.createdAt;
    const run: WorkflowRunRecord = {
      id,
      repo: record,
      headRepo: options.headRepo === undefined ? record : this.state.requireRepo(options.headRepo),
      name: options.name ?? "CI",
      headSha: options.headSha,
      headBranch: options.headBranch,
      event: options.event,
      status: options.status,
      conclusion: options.conclusion,
      createdAt:
        createdAt === undefined
          ? this.state.timestamp()
          : isoSeconds(typeof createdAt === "string" ? new Date(createdAt) : createdAt),
      runNumber: record.workflowRuns.length + 1,
      artifacts: [],
    };
    record.workflowRuns.push(run);
    for (const artifact of options.artifacts ?? []) this.state.addArtifact(run, artifact);
    return id;
  }

  comments(repo: string, issueNumber: number): CommentSnapshot[] {
    return (this.state.requireRepo(repo).issues.get(issueNumber)?.comments ?? []).map(commentSnapshot);
  }

  checkRuns(repo: string): CheckRunSnapshot[] {
    return this.state.requireRepo(repo).checkRuns.map(checkRunSnapshot);
  }

  /** Issues only; pull requests, which share the numbering, are left out. */
  issues(repo: string): IssueSnapshot[] {
    return [...this.state.requireRepo(repo).issues.values()]
      .filter((issue) => !issue.pull)
      .map(issueSnapshot);
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

export function startGitHubSimulator(options: GitHubSimulatorOptions = {}): Promise<GitHubSimulator> {
  return GitHubSimulator.start(options);
}
