// What tests read back from the simulator: plain copies of comments, check runs and issues, with
// GitHub's field names, so assertions read like the REST API.
import type { AccountType, Annotation, CheckRunRecord, CommentRecord, IssueRecord } from "./records.js";
import { issueHtmlUrl } from "./shapes-issues.js";
import { WEB } from "./shapes-repos.js";

export interface UserSnapshot {
  login: string;
  type: AccountType;
}

export interface CommentSnapshot {
  id: number;
  body: string;
  user: UserSnapshot;
  created_at: string;
  updated_at: string;
  html_url: string;
}

export interface CheckRunSnapshot {
  id: number;
  name: string;
  head_sha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** Every annotation sent, over the create and all updates. */
  annotations: Annotation[];
  html_url: string;
  details_url: string | null;
  external_id: string | null;
  app: { id: number; slug: string } | null;
}

export interface IssueSnapshot {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  state_reason: string | null;
  labels: string[];
  user: UserSnapshot;
  comments: number;
  html_url: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  locked: boolean;
  active_lock_reason: string | null;
  /** Every body the issue has had, oldest first, the current one last: its edit history on GitHub. */
  body_history: Array<string | null>;
}

export function commentSnapshot(comment: CommentRecord): CommentSnapshot {
  return {
    id: comment.id,
    body: comment.body,
    user: { login: comment.user.login, type: comment.user.type },
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    html_url: `${issueHtmlUrl(comment.issue)}#issuecomment-${comment.id}`,
  };
}

export function checkRunSnapshot(run: CheckRunRecord): CheckRunSnapshot {
  return {
    id: run.id,
    name: run.name,
    head_sha: run.headSha,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { ...run.output },
    annotations: run.annotations.map((annotation) => ({ ...annotation })),
    html_url: `${WEB}/${run.repo.fullName}/runs/${run.id}`,
    details_url: run.detailsUrl,
    external_id: run.externalId,
    app: run.app ? { ...run.app } : null,
  };
}

export function issueSnapshot(issue: IssueRecord): IssueSnapshot {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.stateReason,
    labels: [...issue.labels],
    user: { login: issue.user.login, type: issue.user.type },
    comments: issue.comments.length,
    html_url: issueHtmlUrl(issue),
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    locked: issue.locked,
    active_lock_reason: issue.lockReason,
    body_history: [...issue.bodyHistory],
  };
}
