// Reads what the evidence detectors look at (src/maturity/view.ts) for many repositories in one GraphQL
// request: identity, default branch head, a two-level tree listing, the workflows with their text, and the
// fixed set of files. 50 repositories per request keeps a 1,000-repository organisation at 20 requests.
import { withinScoringBudget } from "../../src/maturity/budget.js";
import { FILES_READ, MAX_FILE_BYTES, WORKFLOWS_DIR, type RepositoryView } from "../../src/maturity/view.js";

export const REPOSITORIES_PER_REQUEST = 50;

export interface GraphqlClient {
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface RepositoryRef {
  owner: string;
  name: string;
  /** A commit sha or branch to read at; the default branch when absent. */
  rev?: string;
}

export interface RepositoryRead {
  ref: RepositoryRef;
  /** Absent when the repository is gone or the installation cannot see it. */
  found?: {
    id: number;
    owner: string;
    name: string;
    private: boolean;
    archived: boolean;
    defaultBranch: string;
    /** The commit the files were read at; null for an empty repository. */
    commit: string | null;
    /** The default branch's head when read; a push of another commit has been overtaken by a later one. */
    head: string | null;
    view: RepositoryView;
  };
}

interface Blob {
  text?: string | null;
  byteSize?: number;
  isTruncated?: boolean;
}
interface TreeEntry {
  name: string;
  type: string;
  object?: (Blob & { entries?: TreeEntry[] | null }) | null;
}
interface RepositoryNode {
  databaseId: number;
  name: string;
  owner: { login: string };
  isPrivate: boolean;
  isArchived: boolean;
  defaultBranchRef: { name: string; target: { oid: string } | null } | null;
  commit: { oid: string } | null;
  tree: { entries?: TreeEntry[] | null } | null;
  workflows: { entries?: TreeEntry[] | null } | null;
  [file: `f${number}`]: Blob | null;
}

const BLOB = "... on Blob { text byteSize isTruncated }";

function repositoryFields(rev: string): string {
  const at = (path: string) => JSON.stringify(`${rev}:${path}`);
  const files = FILES_READ.map((path, index) => `f${index}: object(expression: ${at(path)}) { ${BLOB} }`);
  return [
    "databaseId name owner { login } isPrivate isArchived",
    "defaultBranchRef { name target { oid } }",
    `commit: object(expression: ${JSON.stringify(rev)}) { oid }`,
    `tree: object(expression: ${at("")}) { ... on Tree { entries { name type object { ... on Tree { entries { name type } } } } } }`,
    `workflows: object(expression: ${at(WORKFLOWS_DIR)}) { ... on Tree { entries { name type object { ${BLOB} } } } }`,
    ...files,
  ].join("\n");
}

/** The query for up to REPOSITORIES_PER_REQUEST repositories; exported for the benchmark's request count. */
export function repositoriesQuery(refs: readonly RepositoryRef[]): {
  query: string;
  variables: Record<string, string>;
} {
  const variables: Record<string, string> = {};
  const declarations: string[] = [];
  const fields = refs.map((ref, index) => {
    variables[`o${index}`] = ref.owner;
    variables[`n${index}`] = ref.name;
    declarations.push(`$o${index}: String!`, `$n${index}: String!`);
    return `r${index}: repository(owner: $o${index}, name: $n${index}) {\n${repositoryFields(ref.rev ?? "HEAD")}\n}`;
  });
  return { query: `query(${declarations.join(", ")}) {\n${fields.join("\n")}\n}`, variables };
}

/** Reads the repositories in batches of 50; repositories GitHub cannot resolve come back without `found`. */
export async function readRepositories(
  client: GraphqlClient,
  refs: readonly RepositoryRef[],
): Promise<RepositoryRead[]> {
  const reads: RepositoryRead[] = [];
  for (let start = 0; start < refs.length; start += REPOSITORIES_PER_REQUEST) {
    const batch = refs.slice(start, start + REPOSITORIES_PER_REQUEST);
    const { query, variables } = repositoriesQuery(batch);
    const data = await graphqlAllowingMissing(client, query, variables);
    batch.forEach((ref, index) => {
      const node = data[`r${index}`] as RepositoryNode | null | undefined;
      reads.push(node ? { ref, found: toRead(node) } : { ref });
    });
  }
  return reads;
}

/**
 * A repository deleted or hidden since it was listed makes GitHub answer with data *and* a NOT_FOUND
 * error; the rest of the batch is still good. Other errors are real and thrown.
 */
async function graphqlAllowingMissing(
  client: GraphqlClient,
  query: string,
  variables: Record<string, string>,
): Promise<Record<string, unknown>> {
  try {
    return await client.graphql<Record<string, unknown>>(query, variables);
  } catch (error) {
    const partial = error as { data?: Record<string, unknown>; errors?: { type?: string }[] };
    if (partial.data && (partial.errors ?? []).every((each) => each.type === "NOT_FOUND"))
      return partial.data;
    throw error;
  }
}

function toRead(node: RepositoryNode): NonNullable<RepositoryRead["found"]> {
  const entries = new Map<string, "file" | "dir">();
  const files = new Map<string, string>();
  for (const entry of node.tree?.entries ?? []) {
    entries.set(entry.name, entry.type === "tree" ? "dir" : "file");
    for (const child of entry.object?.entries ?? []) {
      entries.set(`${entry.name}/${child.name}`, child.type === "tree" ? "dir" : "file");
    }
  }
  for (const entry of node.workflows?.entries ?? []) {
    const path = `${WORKFLOWS_DIR}/${entry.name}`;
    entries.set(path, entry.type === "tree" ? "dir" : "file");
    const text = readable(entry.object);
    if (text !== undefined) files.set(path, text);
  }
  FILES_READ.forEach((path, index) => {
    const blob = node[`f${index}`];
    if (!blob) return;
    entries.set(path, "file");
    const text = readable(blob);
    if (text !== undefined) files.set(path, text);
  });
  return {
    id: node.databaseId,
    owner: node.owner.login,
    name: node.name,
    private: node.isPrivate,
    archived: node.isArchived,
    defaultBranch: node.defaultBranchRef?.name ?? "main",
    commit: node.commit?.oid ?? node.defaultBranchRef?.target?.oid ?? null,
    head: node.defaultBranchRef?.target?.oid ?? null,
    // The scoring budget applied here already (assessRepository applies it again, to the same effect):
    // text past it is dropped before it is held and copied to a scoring worker.
    view: withinScoringBudget({ entries, files }),
  };
}

/** The text of a blob the detectors may read: not binary, not truncated, not over the size limit. */
function readable(blob: Blob | null | undefined): string | undefined {
  if (!blob || typeof blob.text !== "string" || blob.isTruncated === true) return undefined;
  if ((blob.byteSize ?? 0) > MAX_FILE_BYTES) return undefined;
  return blob.text;
}
