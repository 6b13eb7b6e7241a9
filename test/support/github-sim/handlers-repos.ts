// REST handlers over the commit graph: compare (merge base, ahead/behind, changed files), file contents,
// git trees, pull requests with their changed files, and the pull requests of a commit.
import { BLOB_MODE, type Commit, type Tree, TREE_MODE } from "./git.js";
import { notFound, paginate, repoOf, type RestHandler, type RestRequest, unprocessable } from "./rest.js";
import { pullJson, pullSimpleJson } from "./shapes-issues.js";
import {
  commitJson,
  diffEntryJson,
  directoryEntryJson,
  fileContentJson,
  repoApi,
  WEB,
} from "./shapes-repos.js";
import type { RepoRecord } from "./records.js";

// GitHub's compare lists at most 250 commits unless the caller pages.
const COMPARE_COMMIT_LIMIT = 250;

/** One side of `base...head`: a revision, or `owner:revision` for the same-named repository of a fork. */
function compareSide(
  request: RestRequest,
  repo: RepoRecord,
  side: string,
): { repo: RepoRecord; commit: Commit } {
  const colon = side.indexOf(":");
  const fork = colon < 0 ? repo : request.ctx.state.repo(`${side.slice(0, colon)}/${repo.name}`);
  // An installation token cannot compare against a fork outside its installation.
  const sideRepo =
    fork && (request.caller.kind !== "token" || request.ctx.state.canSee(request.caller.identity, fork))
      ? fork
      : undefined;
  const commit = sideRepo && request.ctx.state.resolveRev(sideRepo, side.slice(colon + 1));
  if (!sideRepo || !commit) throw notFound(request);
  return { repo: sideRepo, commit };
}

const compare: RestHandler = (request) => {
  const repo = repoOf(request);
  const basehead = request.params.string("basehead");
  const dots = basehead.indexOf("...");
  if (dots < 0) throw notFound(request);
  const [baseText, headText] = [basehead.slice(0, dots), basehead.slice(dots + 3)];
  const base = compareSide(request, repo, baseText);
  const head = compareSide(request, repo, headText);
  const git = request.ctx.state.git;
  const mergeBase = git.mergeBase(base.commit.sha, head.commit.sha);
  if (!mergeBase) throw notFound(request, `No common ancestor between ${baseText} and ${headText}.`);
  const ofBase = git.ancestors(base.commit.sha);
  const ofHead = git.ancestors(head.commit.sha);
  const ahead = [...ofHead]
    .filter((sha) => !ofBase.has(sha))
    .map((sha) => git.commit(sha))
    .filter((commit): commit is Commit => commit !== undefined)
    .sort((a, b) => a.seq - b.seq);
  const behindBy = [...ofBase].filter((sha) => !ofHead.has(sha)).length;
  const paged = request.params.has("page") || request.params.has("per_page");
  const { page, headers } = paged
    ? paginate(request, ahead)
    : { page: ahead.slice(0, COMPARE_COMMIT_LIMIT), headers: {} };
  const status =
    ahead.length === 0 && behindBy === 0
      ? "identical"
      : behindBy === 0
        ? "ahead"
        : ahead.length === 0
          ? "behind"
          : "diverged";
  const html = `${WEB}/${repo.fullName}/compare/${basehead.split("...").map(encodeURIComponent).join("...")}`;
  const permalink = `${WEB}/${repo.fullName}/compare/${base.repo.owner.login}:${base.commit.sha}...${head.repo.owner.login}:${head.commit.sha}`;
  return {
    status: 200,
    headers,
    body: {
      url: `${repoApi(request.ctx, repo)}/compare/${encodeURIComponent(basehead)}`,
      html_url: html,
      permalink_url: permalink,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      base_commit: commitJson(request.ctx, repo, base.commit),
      merge_base_commit: commitJson(request.ctx, repo, mergeBase),
      status,
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      commits: page.map((commit) => commitJson(request.ctx, repo, commit)),
      files: git
        .diff(mergeBase, head.commit)
        .map((change) => diffEntryJson(request.ctx, repo, head.commit, change)),
    },
  };
};

const getContent: RestHandler = (request) => {
  const repo = repoOf(request);
  const ref = request.params.optionalString("ref") ?? repo.defaultBranch;
  const commit = request.ctx.state.resolveRev(repo, ref);
  if (!commit) throw notFound(request, `No commit found for the ref ${ref}`);
  const path = request.params.string("path").replace(/^\/+|\/+$/g, "");
  const blob = commit.files.get(path);
  if (blob && /\.raw\b/.test(request.accept)) {
    return { status: 200, raw: { bytes: blob.content, contentType: "text/plain; charset=utf-8" } };
  }
  if (blob) return { status: 200, body: fileContentJson(request.ctx, repo, path, blob, ref) };
  const tree = commit.trees.get(path);
  if (!tree) throw notFound(request);
  return {
    status: 200,
    body: tree.entries.map((entry) => directoryEntryJson(request.ctx, repo, entry, ref)),
  };
};

const getPull: RestHandler = (request) => {
  const issue = repoOf(request).issues.get(request.params.integer("pull_number"));
  if (!issue?.pull) throw notFound(request);
  return { status: 200, body: pullJson(request.ctx, issue) };
};

// GitHub limit: a pull request's file list stops at 3,000 files.
const PULL_FILES_LIMIT = 3000;

/** The files a pull request changes: from the merge base of its base and head to its head, as GitHub diffs. */
const listPullFiles: RestHandler = (request) => {
  const repo = repoOf(request);
  const issue = repo.issues.get(request.params.integer("pull_number"));
  if (!issue?.pull) throw notFound(request);
  const git = request.ctx.state.git;
  const head = git.commit(issue.pull.headSha);
  if (!head) throw notFound(request);
  const baseSha = issue.pull.baseSha ?? request.ctx.state.resolveRev(repo, issue.pull.baseRef)?.sha;
  const mergeBase = baseSha === undefined ? undefined : git.mergeBase(baseSha, head.sha);
  const changes = mergeBase ? git.diff(mergeBase, head).slice(0, PULL_FILES_LIMIT) : [];
  const { page, headers } = paginate(request, changes);
  return { status: 200, headers, body: page.map((change) => diffEntryJson(request.ctx, repo, head, change)) };
};

// GitHub limit: a recursive tree lists at most 100,000 entries, then says `truncated`.
const TREE_ENTRY_LIMIT = 100_000;

/** `tree_sha` is a tree's sha, or a commit, branch or tag whose root tree is meant. */
function treeOf(request: RestRequest, repo: RepoRecord, rev: string): Tree | undefined {
  const object = request.ctx.state.git.get(rev);
  if (object?.type === "tree") return object.tree;
  const commit = object?.type === "commit" ? object.commit : request.ctx.state.resolveRev(repo, rev);
  return commit?.trees.get("");
}

const getTree: RestHandler = (request) => {
  const repo = repoOf(request);
  const tree = treeOf(request, repo, request.params.string("tree_sha"));
  if (!tree) throw notFound(request);
  const base = repoApi(request.ctx, repo);
  // Any value of `recursive`, "0" and "false" included, lists the whole tree (GitHub's documented rule).
  const recursive = request.params.has("recursive");
  const prefix = tree.path === "" ? 0 : tree.path.length + 1;
  const entries: Array<Record<string, unknown>> = [];
  const visit = (current: Tree): void => {
    for (const entry of current.entries) {
      const isTree = entry.type === "tree";
      entries.push({
        path: entry.path.slice(prefix),
        mode: (isTree ? TREE_MODE : BLOB_MODE).toString(8).padStart(6, "0"),
        type: entry.type,
        sha: entry.sha,
        ...(isTree ? {} : { size: entry.size }),
        url: `${base}/git/${isTree ? "trees" : "blobs"}/${entry.sha}`,
      });
      const subtree = isTree && recursive ? request.ctx.state.git.get(entry.sha) : undefined;
      if (subtree?.type === "tree") visit(subtree.tree);
    }
  };
  visit(tree);
  return {
    status: 200,
    body: {
      sha: tree.sha,
      url: `${base}/git/trees/${tree.sha}`,
      tree: entries.slice(0, TREE_ENTRY_LIMIT),
      truncated: entries.length > TREE_ENTRY_LIMIT,
    },
  };
};

const pullsForCommit: RestHandler = (request) => {
  const repo = repoOf(request);
  const sha = request.params.string("commit_sha");
  const commit = request.ctx.state.resolveRev(repo, sha);
  if (!commit) throw unprocessable(request, `No commit found for SHA: ${sha}`);
  const { page, headers } = paginate(request, request.ctx.state.pullsWithHead(repo, commit.sha));
  return { status: 200, body: page.map((issue) => pullSimpleJson(request.ctx, issue)), headers };
};

export const repoHandlers: Record<string, RestHandler> = {
  "repos/compare-commits-with-basehead": compare,
  "repos/get-content": getContent,
  "pulls/get": getPull,
  "pulls/list-files": listPullFiles,
  "git/get-tree": getTree,
  "repos/list-pull-requests-associated-with-commit": pullsForCommit,
};
