// GitHub's JSON for issues, pull requests (full, simple and minimal) and issue comments.
import {
  type Json,
  nodeId,
  repoApi,
  repositoryJson,
  type ShapeContext,
  stableId,
  userJson,
  WEB,
} from "./shapes-repos.js";
import type { CommentRecord, IssueRecord, PullRecord, RepoRecord, UserRecord } from "./records.js";

export function authorAssociation(repo: RepoRecord, user: UserRecord): string {
  return user.login.toLowerCase() === repo.owner.login.toLowerCase() ? "OWNER" : "NONE";
}

export function issueHtmlUrl(issue: IssueRecord): string {
  return `${WEB}/${issue.repo.fullName}/${issue.pull ? "pull" : "issues"}/${issue.number}`;
}

// "Pull Request Simple" declares a label's description as a non-null string, the other shapes as nullable.
function labelJson(ctx: ShapeContext, repo: RepoRecord, name: string, description: string | null): Json {
  const id = stableId(`${repo.fullName} label ${name}`);
  return {
    id,
    node_id: nodeId("LA", id),
    url: `${repoApi(ctx, repo)}/labels/${encodeURIComponent(name)}`,
    name,
    color: "ededed",
    default: false,
    description,
  };
}

export function issueJson(ctx: ShapeContext, issue: IssueRecord): Json {
  const base = `${repoApi(ctx, issue.repo)}/issues/${issue.number}`;
  const html = issueHtmlUrl(issue);
  const json: Json = {
    id: issue.id,
    node_id: nodeId("I", issue.id),
    url: base,
    repository_url: repoApi(ctx, issue.repo),
    labels_url: `${base}/labels{/name}`,
    comments_url: `${base}/comments`,
    events_url: `${base}/events`,
    html_url: html,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: userJson(ctx, issue.user),
    labels: issue.labels.map((name) => labelJson(ctx, issue.repo, name, null)),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: issue.locked,
    active_lock_reason: issue.lockReason,
    comments: issue.comments.length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: authorAssociation(issue.repo, issue.user),
  };
  if (issue.pull) {
    json["pull_request"] = {
      url: `${repoApi(ctx, issue.repo)}/pulls/${issue.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: null,
    };
  }
  return json;
}

export function commentJson(ctx: ShapeContext, comment: CommentRecord): Json {
  const issue = comment.issue;
  return {
    id: comment.id,
    node_id: nodeId("IC", comment.id),
    url: `${repoApi(ctx, issue.repo)}/issues/comments/${comment.id}`,
    html_url: `${issueHtmlUrl(issue)}#issuecomment-${comment.id}`,
    issue_url: `${repoApi(ctx, issue.repo)}/issues/${issue.number}`,
    body: comment.body,
    user: userJson(ctx, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: authorAssociation(issue.repo, comment.user),
    performed_via_github_app: null,
  };
}

function branchJson(ctx: ShapeContext, repo: RepoRecord, ref: string, sha: string): Json {
  return {
    label: `${repo.owner.login}:${ref}`,
    ref,
    sha,
    user: userJson(ctx, repo.owner),
    repo: repositoryJson(ctx, repo),
  };
}

/** The base sha: as given, else the base branch's tip now. */
function baseSha(ctx: ShapeContext, issue: IssueRecord, pull: PullRecord): string {
  return pull.baseSha ?? ctx.state.resolveRev(issue.repo, pull.baseRef)?.sha ?? "";
}

function pullOf(issue: IssueRecord): PullRecord {
  if (!issue.pull)
    throw new Error(`GitHub simulator: ${issue.repo.fullName}#${issue.number} is not a pull request`);
  return issue.pull;
}

/** "Pull Request Simple", as listed for a commit. */
export function pullSimpleJson(
  ctx: ShapeContext,
  issue: IssueRecord,
  labelDescription: string | null = "",
): Json {
  const pull = pullOf(issue);
  const repo = issue.repo;
  const url = `${repoApi(ctx, repo)}/pulls/${issue.number}`;
  const issueUrl = `${repoApi(ctx, repo)}/issues/${issue.number}`;
  const html = issueHtmlUrl(issue);
  const statuses = `${repoApi(ctx, repo)}/statuses/${pull.headSha}`;
  const href = (value: string): Json => ({ href: value });
  return {
    url,
    id: pull.id,
    node_id: nodeId("PR", pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueUrl,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${repoApi(ctx, repo)}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: statuses,
    number: issue.number,
    state: issue.state,
    locked: issue.locked,
    title: issue.title,
    user: userJson(ctx, issue.user),
    body: issue.body,
    labels: issue.labels.map((name) => labelJson(ctx, repo, name, labelDescription)),
    milestone: null,
    active_lock_reason: issue.lockReason,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branchJson(ctx, pull.headRepo, pull.headRef, pull.headSha),
    base: branchJson(ctx, repo, pull.baseRef, baseSha(ctx, issue, pull)),
    _links: {
      self: href(url),
      html: href(html),
      issue: href(issueUrl),
      comments: href(`${issueUrl}/comments`),
      review_comments: href(`${url}/comments`),
      review_comment: href(`${repoApi(ctx, repo)}/pulls/comments{/number}`),
      commits: href(`${url}/commits`),
      statuses: href(statuses),
    },
    author_association: authorAssociation(repo, issue.user),
    auto_merge: null,
    draft: pull.draft,
  };
}

/** The full "Pull Request", with the counts GitHub computes from the commit graph. */
export function pullJson(ctx: ShapeContext, issue: IssueRecord): Json {
  const pull = pullOf(issue);
  const git = ctx.state.git;
  const base = baseSha(ctx, issue, pull);
  const head = git.commit(pull.headSha);
  const mergeBase = git.mergeBase(base, pull.headSha);
  const changes = head && mergeBase ? git.diff(mergeBase, head) : [];
  const baseAncestors = git.ancestors(base);
  const commits = [...git.ancestors(pull.headSha)].filter((sha) => !baseAncestors.has(sha)).length;
  return {
    ...pullSimpleJson(ctx, issue, null),
    merged: false,
    mergeable: issue.state === "open" ? true : null,
    rebaseable: issue.state === "open" ? true : null,
    mergeable_state: issue.state === "open" ? "clean" : "unknown",
    merged_by: null,
    comments: issue.comments.length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits,
    additions: changes.reduce((sum, change) => sum + change.additions, 0),
    deletions: changes.reduce((sum, change) => sum + change.deletions, 0),
    changed_files: changes.length,
  };
}

/** "Pull Request Minimal", as embedded in check runs and workflow runs. */
export function pullMinimalJson(ctx: ShapeContext, issue: IssueRecord): Json {
  const pull = pullOf(issue);
  const side = (repo: RepoRecord, ref: string, sha: string): Json => ({
    ref,
    sha,
    repo: { id: repo.id, url: repoApi(ctx, repo), name: repo.name },
  });
  return {
    id: pull.id,
    number: issue.number,
    url: `${repoApi(ctx, issue.repo)}/pulls/${issue.number}`,
    head: side(pull.headRepo, pull.headRef, pull.headSha),
    base: side(issue.repo, pull.baseRef, baseSha(ctx, issue, pull)),
  };
}
