// In-memory GitHub: repositories with branches, issues and pull requests (one number sequence per
// repository, as on GitHub), comments, check runs, workflow runs with artifacts, users and tokens.
// The REST and GraphQL handlers and the test-facing API all read and change it through this class.
import { randomBytes } from "node:crypto";
import { type Commit, ObjectStore } from "./git.js";
import type {
  AccountType,
  ArtifactRecord,
  CommentRecord,
  Identity,
  Installation,
  IssueRecord,
  Permission,
  PullRecord,
  RepoRecord,
  UserRecord,
  WorkflowRunRecord,
} from "./records.js";

interface TokenRecord {
  identity: Identity;
  expiresAt: number | undefined;
}

// Real ids for the accounts every Actions scenario meets, so rendered output matches github.com.
const KNOWN_USER_IDS: Record<string, number> = { "github-actions[bot]": 41898282 };

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class SimState {
  readonly git = new ObjectStore();
  private readonly repos = new Map<string, RepoRecord>();
  private readonly users = new Map<string, UserRecord>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly installations = new Map<number, Installation>();
  private readonly artifacts = new Map<number, ArtifactRecord>();
  private lastId = 1000;
  private lastUserId = 100_000;

  constructor(readonly now: () => Date) {}

  timestamp(offsetMs = 0): string {
    return isoSeconds(new Date(this.now().getTime() + offsetMs));
  }

  nextId(): number {
    return ++this.lastId;
  }

  user(login: string, type: AccountType = "User"): UserRecord {
    const key = login.toLowerCase();
    let user = this.users.get(key);
    if (!user) {
      user = { login, id: KNOWN_USER_IDS[key] ?? ++this.lastUserId, type };
      this.users.set(key, user);
    }
    return user;
  }

  // --- tokens and installations

  addToken(token: string, identity: Identity, expiresAt?: number): void {
    this.tokens.set(token, { identity: { ...identity }, expiresAt });
  }

  identity(token: string): Identity | undefined {
    const record = this.tokens.get(token);
    if (!record || (record.expiresAt !== undefined && record.expiresAt <= this.now().getTime()))
      return undefined;
    return record.identity;
  }

  addInstallation(installation: Installation): void {
    this.installations.set(installation.id, { ...installation });
  }

  installation(id: number): Installation | undefined {
    return this.installations.get(id);
  }

  /** A new installation access token, valid for an hour as on GitHub. */
  createInstallationToken(
    installation: Installation,
    permissions: Permission,
  ): { token: string; expiresAt: Date } {
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    const expiresAt = new Date(this.now().getTime() + 60 * 60 * 1000);
    const login = `${installation.appSlug}[bot]`;
    this.user(login, "Bot");
    const identity: Identity = {
      login,
      type: "Bot",
      permissions,
      appSlug: installation.appSlug,
      appId: installation.appId,
    };
    this.addToken(token, identity, expiresAt.getTime());
    return { token, expiresAt };
  }

  // --- repositories and commits

  addRepo(options: {
    owner: string;
    name: string;
    private?: boolean;
    defaultBranch?: string;
    fork?: boolean;
  }): RepoRecord {
    const fullName = `${options.owner}/${options.name}`;
    if (this.repos.has(fullName.toLowerCase()))
      throw new Error(`GitHub simulator: ${fullName} already exists`);
    const repo: RepoRecord = {
      id: this.nextId(),
      owner: this.user(options.owner),
      name: options.name,
      fullName,
      private: options.private ?? false,
      fork: options.fork ?? false,
      defaultBranch: options.defaultBranch ?? "main",
      createdAt: this.timestamp(),
      branches: new Map(),
      issues: new Map(),
      checkRuns: [],
      workflowRuns: [],
    };
    this.repos.set(fullName.toLowerCase(), repo);
    return repo;
  }

  repo(fullName: string): RepoRecord | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  /** For the test-facing API: a repository that must exist. */
  requireRepo(fullName: string): RepoRecord {
    const repo = this.repo(fullName);
    if (!repo) throw new Error(`GitHub simulator: no repository ${fullName}; call addRepo first`);
    return repo;
  }

  addCommit(
    repo: RepoRecord,
    options: {
      sha?: string;
      parents?: string[];
      files: Record<string, string | Uint8Array>;
      branch?: string;
      message?: string;
    },
  ): Commit {
    // Like `git switch -c`: a new branch starts from the default branch.
    const tip =
      repo.branches.get(options.branch ?? repo.defaultBranch) ?? repo.branches.get(repo.defaultBranch);
    const commit = this.git.addCommit({
      sha: options.sha,
      parents: options.parents ?? (tip ? [tip] : []),
      files: options.files,
      message: options.message ?? "Simulated commit",
    });
    if (options.branch !== undefined) repo.branches.set(options.branch, commit.sha);
    return commit;
  }

  /** A revision as GitHub reads one: a sha (or 7+ digit prefix), a branch, refs/heads/<branch>, or HEAD. */
  resolveRev(repo: RepoRecord, rev: string): Commit | undefined {
    const branch = rev === "HEAD" ? repo.defaultBranch : rev.replace(/^(refs\/)?heads\//, "");
    const tip = repo.branches.get(branch);
    if (tip !== undefined) return this.git.commit(tip);
    return this.git.commit(rev) ?? this.git.commitByPrefix(rev);
  }

  // --- issues, pull requests and comments

  private nextNumber(repo: RepoRecord): number {
    return Math.max(0, ...repo.issues.keys()) + 1;
  }

  createIssue(
    repo: RepoRecord,
    fields: {
      number?: number;
      title: string;
      body: string | null;
      user: UserRecord;
      labels?: string[];
      pull?: PullRecord;
    },
  ): IssueRecord {
    const number = fields.number ?? this.nextNumber(repo);
    if (repo.issues.has(number))
      throw new Error(`GitHub simulator: ${repo.fullName}#${number} already exists`);
    const now = this.timestamp();
    const issue: IssueRecord = {
      id: this.nextId(),
      repo,
      number,
      title: fields.title,
      body: fields.body,
      state: "open",
      stateReason: null,
      user: fields.user,
      labels: fields.labels ?? [],
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      comments: [],
    };
    if (fields.pull) issue.pull = fields.pull;
    repo.issues.set(number, issue);
    return issue;
  }

  setIssueState(issue: IssueRecord, state: "open" | "closed", reason?: IssueRecord["stateReason"]): void {
    if (issue.state === state) return;
    issue.state = state;
    issue.closedAt = state === "closed" ? this.timestamp() : null;
    issue.stateReason = reason ?? (state === "closed" ? "completed" : "reopened");
  }

  addComment(issue: IssueRecord, body: string, user: UserRecord): CommentRecord {
    const now = this.timestamp();
    const comment: CommentRecord = { id: this.nextId(), issue, body, user, createdAt: now, updatedAt: now };
    issue.comments.push(comment);
    return comment;
  }

  comment(repo: RepoRecord, id: number): CommentRecord | undefined {
    for (const issue of repo.issues.values()) {
      const found = issue.comments.find((comment) => comment.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** Open pull requests of a repository whose head is this commit. */
  pullsWithHead(repo: RepoRecord, sha: string): IssueRecord[] {
    return [...repo.issues.values()].filter((issue) => issue.pull?.headSha === sha && issue.state === "open");
  }

  // --- workflow runs and artifacts

  addArtifact(
    run: WorkflowRunRecord,
    options: { name: string; zip: Uint8Array; expired?: boolean },
  ): ArtifactRecord {
    const artifact: ArtifactRecord = {
      id: this.nextId(),
      run,
      name: options.name,
      zip: Buffer.from(options.zip),
      expired: options.expired ?? false,
      createdAt: run.createdAt,
      // GitHub's default retention: 90 days.
      expiresAt: isoSeconds(new Date(Date.parse(run.createdAt) + 90 * 24 * 60 * 60 * 1000)),
    };
    run.artifacts.push(artifact);
    this.artifacts.set(artifact.id, artifact);
    return artifact;
  }

  artifact(id: number): ArtifactRecord | undefined {
    return this.artifacts.get(id);
  }
}
