// The objects GraphQL resolves: repositories, refs and git objects from the simulator's state. Fields that
// take arguments or lead elsewhere are functions, so graphql-js only computes what a query selects.
import { connection, type PageArgs } from "./graphql-connection.js";
import { BLOB_MODE, type Blob, type Commit, isBinary, TREE_MODE, type Tree } from "./git.js";
import type { RepoRecord, UserRecord } from "./records.js";
import { type Json, nodeId, type ShapeContext, WEB } from "./shapes-repos.js";

function objectFields(oid: string): Json {
  return { id: nodeId("GO", oid), oid, abbreviatedOid: oid.slice(0, 7) };
}

/** GitHub cuts `Blob.text` of large files; callers must notice `isTruncated` and read them elsewhere. */
export const BLOB_TEXT_LIMIT = 512 * 1024;

function blobNode(blob: Blob): Json {
  const binary = isBinary(blob.content);
  const truncated = !binary && blob.content.length > BLOB_TEXT_LIMIT;
  return {
    __typename: "Blob",
    ...objectFields(blob.sha),
    byteSize: blob.content.length,
    isBinary: binary,
    isTruncated: truncated,
    text: binary ? null : blob.content.subarray(0, truncated ? BLOB_TEXT_LIMIT : undefined).toString("utf8"),
  };
}

function treeNode(ctx: ShapeContext, repo: RepoRecord, tree: Tree): Json {
  return {
    __typename: "Tree",
    ...objectFields(tree.sha),
    entries: tree.entries.map((entry) => ({
      name: entry.name,
      path: entry.path,
      type: entry.type,
      mode: entry.type === "tree" ? TREE_MODE : BLOB_MODE,
      oid: entry.sha,
      size: entry.size,
      extension:
        entry.type === "blob" && entry.name.includes(".")
          ? entry.name.slice(entry.name.lastIndexOf("."))
          : null,
      object: () => gitObjectNode(ctx, repo, entry.sha),
    })),
  };
}

/** Whether a commit changed `path` (a file or a directory) against its first parent. */
function touches(ctx: ShapeContext, commit: Commit, path: string): boolean {
  const at = (c: Commit | undefined): string | undefined =>
    c?.files.get(path)?.sha ?? c?.trees.get(path)?.sha;
  const parent = commit.parents[0] === undefined ? undefined : ctx.state.git.commit(commit.parents[0]);
  return at(commit) !== at(parent);
}

function commitNode(ctx: ShapeContext, repo: RepoRecord, commit: Commit): Json {
  return {
    __typename: "Commit",
    ...objectFields(commit.sha),
    message: commit.message,
    messageHeadline: commit.message.split("\n")[0] ?? "",
    committedDate: commit.date,
    url: `${WEB}/${repo.fullName}/commit/${commit.sha}`,
    tree: () => gitObjectNode(ctx, repo, commit.tree),
    parents: (args: PageArgs) =>
      connection("parents", commit.parents, args, (sha) => gitObjectNode(ctx, repo, sha)),
    // As `git log`: this commit and its ancestors, newest first (commit dates follow creation order).
    history: (args: PageArgs & { path?: string | null }) => {
      const ancestors = [...ctx.state.git.ancestors(commit.sha)]
        .map((sha) => ctx.state.git.commit(sha))
        .filter((c): c is Commit => c !== undefined)
        .filter((c) => !args.path || touches(ctx, c, args.path.replace(/^\/+|\/+$/g, "")))
        .sort((a, b) => b.seq - a.seq);
      return connection("history", ancestors, args, (c) => commitNode(ctx, repo, c));
    },
  };
}

function gitObjectNode(ctx: ShapeContext, repo: RepoRecord, oid: string): Json | null {
  const object = ctx.state.git.get(oid);
  if (!object) return null;
  switch (object.type) {
    case "blob":
      return blobNode(object.blob);
    case "tree":
      return treeNode(ctx, repo, object.tree);
    case "commit":
      return commitNode(ctx, repo, object.commit);
    default: {
      const never: never = object;
      return never;
    }
  }
}

/** `object(expression:)`: "<rev>" is a commit, "<rev>:" its root tree, "<rev>:<path>" a blob or tree; else null. */
function objectAt(ctx: ShapeContext, repo: RepoRecord, expression: string): Json | null {
  const colon = expression.indexOf(":");
  const commit = ctx.state.resolveRev(repo, colon < 0 ? expression : expression.slice(0, colon));
  if (!commit) return null;
  if (colon < 0) return commitNode(ctx, repo, commit);
  const path = expression.slice(colon + 1).replace(/^\/+|\/+$/g, "");
  const blob = commit.files.get(path);
  if (blob) return blobNode(blob);
  const tree = commit.trees.get(path);
  return tree ? treeNode(ctx, repo, tree) : null;
}

function refNode(ctx: ShapeContext, repo: RepoRecord, branch: string): Json | null {
  const sha = repo.branches.get(branch);
  if (sha === undefined) return null;
  return {
    id: nodeId("REF", `${repo.id}:${branch}`),
    name: branch,
    prefix: "refs/heads/",
    target: () => gitObjectNode(ctx, repo, sha),
  };
}

export function ownerNode(owner: UserRecord): Json {
  const organization = owner.type === "Organization";
  return {
    __typename: organization ? "Organization" : "User",
    id: nodeId(organization ? "O" : "U", owner.id),
    login: owner.login,
    databaseId: owner.id,
  };
}

export function repositoryNode(ctx: ShapeContext, repo: RepoRecord): Json {
  return {
    id: nodeId("R", repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: repo.fullName,
    owner: ownerNode(repo.owner),
    isPrivate: repo.visibility !== "public",
    visibility: repo.visibility.toUpperCase(),
    isArchived: repo.archived,
    isFork: repo.fork,
    createdAt: repo.createdAt,
    pushedAt: repo.pushedAt,
    url: `${WEB}/${repo.fullName}`,
    defaultBranchRef: () => refNode(ctx, repo, repo.defaultBranch),
    ref: ({ qualifiedName }: { qualifiedName: string }) =>
      refNode(ctx, repo, qualifiedName.replace(/^refs\/heads\//, "")),
    object: ({ expression, oid }: { expression?: string | null; oid?: string | null }) =>
      oid ? gitObjectNode(ctx, repo, oid) : expression ? objectAt(ctx, repo, expression) : null,
  };
}
