// REST handlers over the commit graph: compare (merge base, ahead/behind, changed files), file contents,
// pull requests and the pull requests of a commit.
import type { Commit } from "./git.js";
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
  const sideRepo = colon < 0 ? repo : request.ctx.state.repo(`${side.slice(0, colon)}/${repo.name}`);
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
  "repos/list-pull-requests-associated-with-commit": pullsForCommit,
};
