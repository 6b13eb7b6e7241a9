// In-memory GitHub: repositories with branches, issues and pull requests (one number sequence per
// repository, as on GitHub), comments, check runs, workflow runs with artifacts, users, credentials and
// rate limits.
// The REST and GraphQL handlers and the test-facing API all read and change it through this class.
import { Credentials, installationCovers } from "./credentials.js";
import { type Commit, ObjectStore } from "./git.js";
import { type RateAccount, rateAccount, RateLimits } from "./rate-limits.js";
import type {
  AccountType,
  ArtifactRecord,
  CommentRecord,
  Identity,
  Installation,
  IssueRecord,
  PullRecord,
  RepoRecord,
  UserRecord,
  Visibility,
  WorkflowRunRecord,
} from "./records.js";

// Real ids for the accounts every Actions scenario meets, so rendered output matches github.com.
const KNOWN_USER_IDS: Record<string, number> = { "github-actions[bot]": 41898282 };

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export interface NewRepo {
  owner: string;
  name: string;
  private?: boolean;
  visibility?: Visibility;
  archived?: boolean;
  pushedAt?: string;
  defaultBranch?: string;
  fork?: boolean;
}

export class SimState {
  readonly git = new ObjectStore();
  readonly rateLimits: RateLimits;
  readonly credentials: Credentials;
  private readonly repos = new Map<string, RepoRecord>();
  private readonly reposById = new Map<number, RepoRecord>();
  /** Old full names (lower case) of renamed repositories; GitHub redirects them until the name is reused. */
  private readonly formerNames = new Map<string, RepoRecord>();
  private readonly users = new Map<string, UserRecord>();
  private readonly artifacts = new Map<number, ArtifactRecord>();
  private lastId = 1000;
  private lastUserId = 100_000;

  constructor(readonly now: () => Date) {
    this.rateLimits = new RateLimits(now);
    this.credentials = new Credentials(now);
  }

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

  /** An account that exists, without creating it. */
  account(login: string): UserRecord | undefined {
    return this.users.get(login.toLowerCase());
  }

  // --- credentials and rate limits

  /** Whether a caller may see a repository: installation tokens see only their installation's. */
  canSee(identity: Identity, repo: RepoRecord): boolean {
    return this.credentials.canSee(identity, repo);
  }

  /** Every repository a caller may see, oldest first. */
  visibleRepos(identity: Identity): RepoRecord[] {
    return [...this.repos.values()].filter((repo) => this.canSee(identity, repo)).sort((a, b) => a.id - b.id);
  }

  /** All repositories an installation covers, oldest first. */
  installationRepos(installation: Installation): RepoRecord[] {
    return [...this.repos.values()]
      .filter((repo) => installationCovers(installation, repo))
      .sort((a, b) => a.id - b.id);
  }

  /** The rate-limit window a caller spends from. */
  rateAccount(identity: Identity): RateAccount {
    return rateAccount(identity, () => {
      const id = identity.installationId;
      const installation = id === undefined ? undefined : this.credentials.installation(id);
      return installation ? this.installationRepos(installation).length : 0;
    });
  }

  // --- repositories and commits

  addRepo(options: NewRepo): RepoRecord {
    const fullName = `${options.owner}/${options.name}`;
    if (this.repos.has(fullName.toLowerCase()))
      throw new Error(`GitHub simulator: ${fullName} already exists`);
    const createdAt = this.timestamp();
    const repo: RepoRecord = {
      id: this.nextId(),
      owner: this.user(options.owner),
      name: options.name,
      fullName,
      visibility: options.visibility ?? (options.private ? "private" : "public"),
      archived: options.archived ?? false,
      fork: options.fork ?? false,
      defaultBranch: options.defaultBranch ?? "main",
      createdAt,
      pushedAt: options.pushedAt ?? createdAt,
      branches: new Map(),
      issues: new Map(),
      checkRuns: [],
      workflowRuns: [],
    };
    this.repos.set(fullName.toLowerCase(), repo);
    this.reposById.set(repo.id, repo);
    // A new repository takes its name back from a renamed one.
    this.formerNames.delete(fullName.toLowerCase());
    return repo;
  }

  /** A repository by its current full name (any case). */
  repo(fullName: string): RepoRecord | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  repoById(id: number): RepoRecord | undefined {
    return this.reposById.get(id);
  }

  /** The repository a former full name now redirects to, when `fullName` names no repository itself. */
  renamedFrom(fullName: string): RepoRecord | undefined {
    return this.repo(fullName) ? undefined : this.formerNames.get(fullName.toLowerCase());
  }

  renameRepo(repo: RepoRecord, newName: string): void {
    const oldKey = repo.fullName.toLowerCase();
    const fullName = `${repo.owner.login}/${newName}`;
    const taken = this.repo(fullName);
    if (taken && taken !== repo) throw new Error(`GitHub simulator: ${fullName} already exists`);
    this.repos.delete(oldKey);
    repo.name = newName;
    repo.fullName = fullName;
    this.repos.set(fullName.toLowerCase(), repo);
    this.formerNames.delete(fullName.toLowerCase());
    if (oldKey !== fullName.toLowerCase()) this.formerNames.set(oldKey, repo);
    this.credentials.repoRenamed(oldKey, fullName);
  }

  deleteRepo(repo: RepoRecord): void {
    const key = repo.fullName.toLowerCase();
    this.repos.delete(key);
    this.reposById.delete(repo.id);
    for (const [name, target] of this.formerNames) if (target === repo) this.formerNames.delete(name);
    this.credentials.repoDeleted(key);
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
    if (options.branch !== undefined) {
      repo.branches.set(options.branch, commit.sha);
      repo.pushedAt = this.timestamp();
    }
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
      locked: false,
      lockReason: null,
      bodyHistory: [fields.body],
      comments: [],
    };
    if (fields.pull) issue.pull = fields.pull;
    repo.issues.set(number, issue);
    return issue;
  }

  /** A new body; the previous one stays in the issue's edit history, as on GitHub. */
  setIssueBody(issue: IssueRecord, body: string | null): void {
    if (body === issue.body) return;
    issue.body = body;
    issue.bodyHistory.push(body);
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
