// The simulator's git object store: blobs, trees and commits hashed as git hashes them, so shas look and
// behave like GitHub's; shared by every repository, as a fork network shares objects on GitHub.
// Also ancestry, merge bases and file-level diffs for the compare endpoint.
import { createHash } from "node:crypto";

export interface Blob {
  sha: string;
  content: Buffer;
}

export interface TreeEntry {
  name: string;
  path: string;
  type: "blob" | "tree";
  sha: string;
  size: number;
}

export interface Tree {
  sha: string;
  path: string;
  entries: TreeEntry[];
}

export interface Commit {
  sha: string;
  parents: string[];
  tree: string;
  message: string;
  date: string;
  seq: number;
  files: ReadonlyMap<string, Blob>;
  /** Every directory of the snapshot by path; the root is "". */
  trees: ReadonlyMap<string, Tree>;
}

export type GitObject =
  { type: "blob"; blob: Blob } | { type: "tree"; tree: Tree } | { type: "commit"; commit: Commit };

export interface FileChange {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  /** For a rename: the name before. */
  previousFilename?: string;
  sha: string;
  additions: number;
  deletions: number;
}

export const AUTHOR = { name: "Simulated Author", email: "author@example.com" };
// Commit dates are a logical clock (one minute per commit from this instant) so generated shas are stable.
const EPOCH_SECONDS = Date.UTC(2026, 0, 1) / 1000;
export const BLOB_MODE = 0o100644;
export const TREE_MODE = 0o40000;

function gitHash(type: string, body: Buffer): string {
  return createHash("sha1").update(`${type} ${body.length}\0`).update(body).digest("hex");
}

export function isBinary(content: Buffer): boolean {
  // git's heuristic: a NUL byte in the first 8,000 bytes.
  return content.subarray(0, 8000).includes(0);
}

function normalizePath(path: string): string {
  const segments = path.split("/").filter((segment) => segment !== "");
  if (segments.length === 0 || segments.some((segment) => segment === "." || segment === "..")) {
    throw new Error(`GitHub simulator: invalid file path ${JSON.stringify(path)}`);
  }
  return segments.join("/");
}

function parentDir(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

// git sorts tree entries by name, comparing a subtree's name as if it ended with "/".
function gitOrder(a: TreeEntry, b: TreeEntry): number {
  const key = (entry: TreeEntry): Buffer =>
    Buffer.from(entry.type === "tree" ? `${entry.name}/` : entry.name);
  return Buffer.compare(key(a), key(b));
}

function hashTree(entries: TreeEntry[]): string {
  const parts = entries.map((entry) =>
    Buffer.concat([
      Buffer.from(`${(entry.type === "tree" ? TREE_MODE : BLOB_MODE).toString(8)} ${entry.name}\0`),
      Buffer.from(entry.sha, "hex"),
    ]),
  );
  return gitHash("tree", Buffer.concat(parts));
}

function lines(content: Buffer): string[] {
  const text = content.toString("utf8");
  if (text === "") return [];
  return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
}

// Line counts as a multiset difference: close to git's for the small files tests use, moves aside.
function lineCounts(before: Buffer | undefined, after: Buffer | undefined): [number, number] {
  if ((before && isBinary(before)) || (after && isBinary(after))) return [0, 0];
  const remaining = new Map<string, number>();
  for (const line of before ? lines(before) : []) remaining.set(line, (remaining.get(line) ?? 0) + 1);
  let additions = 0;
  for (const line of after ? lines(after) : []) {
    const left = remaining.get(line) ?? 0;
    if (left > 0) remaining.set(line, left - 1);
    else additions++;
  }
  const deletions = [...remaining.values()].reduce((sum, count) => sum + count, 0);
  return [additions, deletions];
}

export class ObjectStore {
  private readonly objects = new Map<string, GitObject>();
  private commitCount = 0;

  get(sha: string): GitObject | undefined {
    return this.objects.get(sha);
  }

  commit(sha: string): Commit | undefined {
    const object = this.objects.get(sha);
    return object?.type === "commit" ? object.commit : undefined;
  }

  /** A commit by a unique abbreviation of at least 7 hex digits, as GitHub accepts. */
  commitByPrefix(prefix: string): Commit | undefined {
    if (!/^[0-9a-f]{7,40}$/.test(prefix)) return undefined;
    const found = [...this.objects.values()].filter(
      (object) => object.type === "commit" && object.commit.sha.startsWith(prefix),
    );
    return found.length === 1 && found[0]?.type === "commit" ? found[0].commit : undefined;
  }

  addBlob(content: Buffer): Blob {
    const blob = { sha: gitHash("blob", content), content };
    this.objects.set(blob.sha, { type: "blob", blob });
    return blob;
  }

  addCommit(input: {
    sha?: string | undefined;
    parents: string[];
    files: Record<string, string | Uint8Array>;
    message: string;
  }): Commit {
    for (const parent of input.parents) {
      if (!this.commit(parent)) throw new Error(`GitHub simulator: unknown parent commit ${parent}`);
    }
    if (input.sha !== undefined && !/^[0-9a-f]{40}$/.test(input.sha)) {
      throw new Error(`GitHub simulator: a commit sha is 40 lowercase hex digits, got ${input.sha}`);
    }
    if (input.sha !== undefined && this.objects.has(input.sha)) {
      throw new Error(`GitHub simulator: commit ${input.sha} already exists`);
    }
    const files = new Map<string, Blob>();
    for (const [path, content] of Object.entries(input.files)) {
      files.set(normalizePath(path), this.addBlob(Buffer.from(content)));
    }
    const trees = this.addTrees(files);
    const seq = ++this.commitCount;
    const seconds = EPOCH_SECONDS + seq * 60;
    const tree = trees.get("")?.sha ?? hashTree([]);
    const person = `${AUTHOR.name} <${AUTHOR.email}> ${seconds} +0000`;
    const text = [
      `tree ${tree}`,
      ...input.parents.map((parent) => `parent ${parent}`),
      `author ${person}`,
      `committer ${person}`,
      "",
      `${input.message}\n`,
    ].join("\n");
    const sha = input.sha ?? gitHash("commit", Buffer.from(text));
    const date = new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
    const commit: Commit = {
      sha,
      parents: [...input.parents],
      tree,
      message: input.message,
      date,
      seq,
      files,
      trees,
    };
    this.objects.set(sha, { type: "commit", commit });
    return commit;
  }

  private addTrees(files: ReadonlyMap<string, Blob>): Map<string, Tree> {
    const children = new Map<string, TreeEntry[]>([["", []]]);
    const ensureDir = (dir: string): TreeEntry[] => {
      let entries = children.get(dir);
      if (!entries) {
        entries = [];
        children.set(dir, entries);
        ensureDir(parentDir(dir));
      }
      return entries;
    };
    for (const [path, blob] of files) {
      const name = baseName(path);
      ensureDir(parentDir(path)).push({ name, path, type: "blob", sha: blob.sha, size: blob.content.length });
    }
    const clash = [...files.keys()].find((path) => children.has(path));
    if (clash !== undefined) throw new Error(`GitHub simulator: ${clash} is both a file and a directory`);
    const trees = new Map<string, Tree>();
    // Deepest directories first, so every subtree is hashed before its parent lists it.
    const depth = (dir: string): number => (dir === "" ? 0 : dir.split("/").length);
    const dirs = [...children.keys()].sort((a, b) => depth(b) - depth(a));
    for (const dir of dirs) {
      const entries = (children.get(dir) ?? []).sort(gitOrder);
      const tree: Tree = { sha: hashTree(entries), path: dir, entries };
      trees.set(dir, tree);
      this.objects.set(tree.sha, { type: "tree", tree });
      if (dir !== "") {
        children
          .get(parentDir(dir))
          ?.push({ name: baseName(dir), path: dir, type: "tree", sha: tree.sha, size: 0 });
      }
    }
    return trees;
  }

  /** The commit and everything reachable from it. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.commit(next)?.parents ?? []));
    }
    return seen;
  }

  /** git merge-base: the common ancestor not reachable from another common ancestor (newest on a tie). */
  mergeBase(a: string, b: string): Commit | undefined {
    const ofA = this.ancestors(a);
    const common = [...this.ancestors(b)].filter((sha) => ofA.has(sha));
    const dominated = new Set<string>();
    for (const sha of common) {
      for (const ancestor of this.ancestors(sha)) if (ancestor !== sha) dominated.add(ancestor);
    }
    return common
      .filter((sha) => !dominated.has(sha))
      .map((sha) => this.commit(sha))
      .filter((commit): commit is Commit => commit !== undefined)
      .sort((x, y) => y.seq - x.seq)[0];
  }

  /**
   * Files that differ between two snapshots, sorted by name. A file removed under one name and added with
   * the same content under another is one rename, as git's exact rename detection finds (similar content
   * is left as a removal and an addition).
   */
  diff(from: Commit, to: Commit): FileChange[] {
    const changes = this.fileChanges(from, to);
    const removedBySha = new Map<string, FileChange>();
    for (const change of changes) {
      if (change.status === "removed" && !removedBySha.has(change.sha)) removedBySha.set(change.sha, change);
    }
    const renamed = new Set<FileChange>();
    const result: FileChange[] = [];
    for (const change of changes) {
      const source = change.status === "added" ? removedBySha.get(change.sha) : undefined;
      if (source && !renamed.has(source)) {
        renamed.add(source);
        result.push({
          ...change,
          status: "renamed",
          previousFilename: source.filename,
          additions: 0,
          deletions: 0,
        });
      } else {
        result.push(change);
      }
    }
    return result.filter((change) => !renamed.has(change));
  }

  private fileChanges(from: Commit, to: Commit): FileChange[] {
    const names = [...new Set([...from.files.keys(), ...to.files.keys()])].sort();
    const changes: FileChange[] = [];
    for (const filename of names) {
      const before = from.files.get(filename);
      const after = to.files.get(filename);
      if (before?.sha === after?.sha) continue;
      const [additions, deletions] = lineCounts(before?.content, after?.content);
      const status = !before ? "added" : !after ? "removed" : "modified";
      const sha = (after ?? before)?.sha ?? "";
      changes.push({ filename, status, sha, additions, deletions });
    }
    return changes;
  }
}
