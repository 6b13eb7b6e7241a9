// GitHub's JSON for accounts, apps, repositories, commits, file contents and diff entries: every
// field the OpenAPI schema requires, with URLs in GitHub's patterns (API URLs point at the simulator).
import { createHash } from "node:crypto";
import { AUTHOR, type Blob, type Commit, type FileChange } from "./git.js";
import type { RepoRecord, UserRecord } from "./records.js";
import type { SimState } from "./state.js";

export type Json = Record<string, unknown>;

export const WEB = "https://github.com";

export interface ShapeContext {
  /** The simulator's base URL, standing in for https://api.github.com. */
  api: string;
  state: SimState;
}

export function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_kwDO${Buffer.from(String(id)).toString("base64url")}`;
}

/** A stable number for things GitHub numbers but tests never name (labels, workflows, check suites). */
export function stableId(text: string): number {
  return Number.parseInt(createHash("sha1").update(text).digest("hex").slice(0, 7), 16);
}

export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

export function repoApi(ctx: ShapeContext, repo: RepoRecord): string {
  return `${ctx.api}/repos/${repo.fullName}`;
}

export function userJson(ctx: ShapeContext, user: UserRecord): Json {
  const base = `${ctx.api}/users/${encodeURIComponent(user.login)}`;
  const html =
    user.type === "Bot" ? `${WEB}/apps/${user.login.replace(/\[bot\]$/, "")}` : `${WEB}/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === "Bot" ? "BOT" : user.type === "Organization" ? "O" : "U", user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: "",
    url: base,
    html_url: html,
    followers_url: `${base}/followers`,
    following_url: `${base}/following{/other_user}`,
    gists_url: `${base}/gists{/gist_id}`,
    starred_url: `${base}/starred{/owner}{/repo}`,
    subscriptions_url: `${base}/subscriptions`,
    organizations_url: `${base}/orgs`,
    repos_url: `${base}/repos`,
    events_url: `${base}/events{/privacy}`,
    received_events_url: `${base}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

export function appJson(ctx: ShapeContext, app: { id: number; slug: string }): Json {
  const isActions = app.slug === "github-actions";
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("A", app.id),
    owner: userJson(ctx, ctx.state.user(isActions ? "github" : app.slug, "Organization")),
    name: isActions ? "GitHub Actions" : app.slug,
    description: null,
    external_url: `${WEB}/apps/${app.slug}`,
    html_url: `${WEB}/apps/${app.slug}`,
    created_at: "2018-07-30T09:30:17Z",
    updated_at: "2024-04-10T20:33:16Z",
    permissions: {
      checks: "write",
      contents: "read",
      issues: "write",
      metadata: "read",
      pull_requests: "write",
    },
    events: [],
  };
}

export function repositoryJson(ctx: ShapeContext, repo: RepoRecord): Json {
  const base = repoApi(ctx, repo);
  const html = `${WEB}/${repo.fullName}`;
  const openIssues = [...repo.issues.values()].filter((issue) => issue.state === "open").length;
  return {
    id: repo.id,
    node_id: nodeId("R", repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.visibility !== "public",
    owner: userJson(ctx, repo.owner),
    html_url: html,
    description: null,
    fork: repo.fork,
    url: base,
    archive_url: `${base}/{archive_format}{/ref}`,
    assignees_url: `${base}/assignees{/user}`,
    blobs_url: `${base}/git/blobs{/sha}`,
    branches_url: `${base}/branches{/branch}`,
    collaborators_url: `${base}/collaborators{/collaborator}`,
    comments_url: `${base}/comments{/number}`,
    commits_url: `${base}/commits{/sha}`,
    compare_url: `${base}/compare/{base}...{head}`,
    contents_url: `${base}/contents/{+path}`,
    contributors_url: `${base}/contributors`,
    deployments_url: `${base}/deployments`,
    downloads_url: `${base}/downloads`,
    events_url: `${base}/events`,
    forks_url: `${base}/forks`,
    git_commits_url: `${base}/git/commits{/sha}`,
    git_refs_url: `${base}/git/refs{/sha}`,
    git_tags_url: `${base}/git/tags{/sha}`,
    git_url: `git://github.com/${repo.fullName}.git`,
    hooks_url: `${base}/hooks`,
    issue_comment_url: `${base}/issues/comments{/number}`,
    issue_events_url: `${base}/issues/events{/number}`,
    issues_url: `${base}/issues{/number}`,
    keys_url: `${base}/keys{/key_id}`,
    labels_url: `${base}/labels{/name}`,
    languages_url: `${base}/languages`,
    merges_url: `${base}/merges`,
    milestones_url: `${base}/milestones{/number}`,
    notifications_url: `${base}/notifications{?since,all,participating}`,
    pulls_url: `${base}/pulls{/number}`,
    releases_url: `${base}/releases{/id}`,
    ssh_url: `git@github.com:${repo.fullName}.git`,
    stargazers_url: `${base}/stargazers`,
    statuses_url: `${base}/statuses/{sha}`,
    subscribers_url: `${base}/subscribers`,
    subscription_url: `${base}/subscription`,
    tags_url: `${base}/tags`,
    teams_url: `${base}/teams`,
    trees_url: `${base}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    svn_url: html,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: repo.archived,
    disabled: false,
    visibility: repo.visibility,
    license: null,
    allow_forking: true,
    web_commit_signoff_required: false,
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.pushedAt,
  };
}

export function commitJson(ctx: ShapeContext, repo: RepoRecord, commit: Commit): Json {
  const base = repoApi(ctx, repo);
  const person = { ...AUTHOR, date: commit.date };
  return {
    sha: commit.sha,
    node_id: nodeId("C", commit.sha),
    url: `${base}/commits/${commit.sha}`,
    html_url: `${WEB}/${repo.fullName}/commit/${commit.sha}`,
    comments_url: `${base}/commits/${commit.sha}/comments`,
    commit: {
      url: `${base}/git/commits/${commit.sha}`,
      author: person,
      committer: person,
      message: commit.message,
      tree: { sha: commit.tree, url: `${base}/git/trees/${commit.tree}` },
      comment_count: 0,
      verification: {
        verified: false,
        reason: "unsigned",
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    // The simulated author has no GitHub account, as for a commit made with an unknown email.
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${base}/commits/${sha}`,
      html_url: `${WEB}/${repo.fullName}/commit/${sha}`,
    })),
  };
}

export function diffEntryJson(ctx: ShapeContext, repo: RepoRecord, head: Commit, change: FileChange): Json {
  const path = encodePath(change.filename);
  return {
    sha: change.sha,
    filename: change.filename,
    status: change.status,
    ...(change.previousFilename === undefined ? {} : { previous_filename: change.previousFilename }),
    additions: change.additions,
    deletions: change.deletions,
    changes: change.additions + change.deletions,
    blob_url: `${WEB}/${repo.fullName}/blob/${head.sha}/${path}`,
    raw_url: `${WEB}/${repo.fullName}/raw/${head.sha}/${path}`,
    contents_url: `${repoApi(ctx, repo)}/contents/${path}?ref=${head.sha}`,
  };
}

function contentLinks(
  ctx: ShapeContext,
  repo: RepoRecord,
  entry: { path: string; sha: string },
  ref: string,
  kind: string,
) {
  const base = repoApi(ctx, repo);
  const path = encodePath(entry.path);
  const url = `${base}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const git = `${base}/git/${kind === "dir" ? "trees" : "blobs"}/${entry.sha}`;
  const html = `${WEB}/${repo.fullName}/${kind === "dir" ? "tree" : "blob"}/${encodeURIComponent(ref)}/${path}`;
  return { url, git_url: git, html_url: html, _links: { self: url, git, html } };
}

// GitHub's contents API returns no content for files over 1 MB (encoding "none").
const CONTENT_LIMIT = 1024 * 1024;

export function fileContentJson(
  ctx: ShapeContext,
  repo: RepoRecord,
  path: string,
  blob: Blob,
  ref: string,
): Json {
  const inline = blob.content.length <= CONTENT_LIMIT;
  return {
    type: "file",
    encoding: inline ? "base64" : "none",
    size: blob.content.length,
    name: path.slice(path.lastIndexOf("/") + 1),
    path,
    // Like GitHub, base64 wrapped at 60 characters with a trailing newline.
    content: inline
      ? (blob.content.toString("base64").match(/.{1,60}/g) ?? []).map((line) => `${line}\n`).join("")
      : "",
    sha: blob.sha,
    ...contentLinks(ctx, repo, { path, sha: blob.sha }, ref, "file"),
    download_url: `https://raw.githubusercontent.com/${repo.fullName}/${encodeURIComponent(ref)}/${encodePath(path)}`,
  };
}

export function directoryEntryJson(
  ctx: ShapeContext,
  repo: RepoRecord,
  entry: { name: string; path: string; type: "blob" | "tree"; sha: string; size: number },
  ref: string,
): Json {
  const kind = entry.type === "tree" ? "dir" : "file";
  const download =
    kind === "file"
      ? `https://raw.githubusercontent.com/${repo.fullName}/${encodeURIComponent(ref)}/${encodePath(entry.path)}`
      : null;
  return {
    type: kind,
    size: entry.size,
    name: entry.name,
    path: entry.path,
    sha: entry.sha,
    ...contentLinks(ctx, repo, entry, ref, kind),
    download_url: download,
  };
}
