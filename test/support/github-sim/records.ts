// The records the simulator keeps: what GitHub stores for accounts, repositories, issues and pull requests,
// comments, check runs, workflow runs and artifacts. Field names are the simulator's; JSON shapes live in
// shapes-*.ts.
export type Permission = "write" | "read";
export type AccountType = "User" | "Bot" | "Organization";

export type Visibility = "public" | "private" | "internal";

export interface Identity {
  login: string;
  type: "Bot" | "User";
  permissions: Permission;
  appSlug?: string;
  appId?: number;
  /** Set for an installation access token: it sees only the installation's repositories. */
  installationId?: number;
  /** Ids of the repositories an installation token was narrowed to when it was minted. */
  repositoryIds?: number[];
}

export interface Installation {
  id: number;
  appId: number;
  appSlug: string;
  permissions: Permission;
  /** The account (organization or user) it is installed on; undefined: every repository, as before accounts. */
  account: UserRecord | undefined;
  /** "all" of the account's repositories, or the selected ones by lower-case full name. */
  repositories: "all" | Set<string>;
  createdAt: string;
}

export interface UserRecord {
  login: string;
  id: number;
  type: AccountType;
}

export interface RepoRecord {
  id: number;
  owner: UserRecord;
  name: string;
  fullName: string;
  visibility: Visibility;
  archived: boolean;
  fork: boolean;
  defaultBranch: string;
  createdAt: string;
  /** The last push: repository creation, then every commit added to a branch. */
  pushedAt: string;
  branches: Map<string, string>;
  issues: Map<number, IssueRecord>;
  checkRuns: CheckRunRecord[];
  workflowRuns: WorkflowRunRecord[];
}

export interface PullRecord {
  /** A pull request has its own id, apart from the id of its issue. */
  id: number;
  headSha: string;
  headRef: string;
  headRepo: RepoRecord;
  baseRef: string;
  baseSha: string | undefined;
  draft: boolean;
}

export interface IssueRecord {
  id: number;
  repo: RepoRecord;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "duplicate" | "reopened" | null;
  user: UserRecord;
  labels: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Locked conversation (PUT .../lock), with its reason. */
  locked: boolean;
  lockReason: string | null;
  /**
   * Every body the issue has had, oldest first, the current one last: GitHub keeps an issue's edit history
   * (GraphQL `userContentEdits`, "edited" in the web UI) for anyone who can read the issue.
   */
  bodyHistory: Array<string | null>;
  comments: CommentRecord[];
  pull?: PullRecord;
}

export interface CommentRecord {
  id: number;
  issue: IssueRecord;
  body: string;
  user: UserRecord;
  createdAt: string;
  updatedAt: string;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRecord {
  id: number;
  repo: RepoRecord;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: Annotation[];
  detailsUrl: string | null;
  externalId: string | null;
  app: { id: number; slug: string } | null;
  checkSuiteId: number;
}

export type WorkflowRunStatus = "requested" | "queued" | "pending" | "waiting" | "in_progress" | "completed";
export type WorkflowRunConclusion =
  | "success"
  | "failure"
  | "neutral"
  | "cancelled"
  | "skipped"
  | "timed_out"
  | "action_required"
  | "stale"
  | "startup_failure";

export interface WorkflowRunRecord {
  id: number;
  repo: RepoRecord;
  /** The repository the commit comes from: a fork for a pull request from a fork. */
  headRepo: RepoRecord;
  name: string;
  headSha: string;
  headBranch: string;
  event: string;
  status: WorkflowRunStatus;
  conclusion: WorkflowRunConclusion | null;
  createdAt: string;
  runNumber: number;
  artifacts: ArtifactRecord[];
}

export interface ArtifactRecord {
  id: number;
  run: WorkflowRunRecord;
  name: string;
  zip: Buffer;
  expired: boolean;
  createdAt: string;
  expiresAt: string;
}
