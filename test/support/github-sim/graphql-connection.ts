// GitHub's GraphQL connections: `first` (required, at most 100) and `after`, with nodes, edges, pageInfo
// and totalCount. Cursors are opaque to callers; here they encode the item's index.
import { GraphQLError } from "graphql";
import type { Json } from "./shapes-repos.js";

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

// GitHub's connection rules: `first` is required and at most 100.
const PAGE_LIMIT = 100;

export function connection<T>(
  field: string,
  items: T[],
  args: PageArgs,
  toNode: (item: T) => Json | null,
): Json {
  const first = args.first;
  if (first === undefined || first === null) {
    throw new GraphQLError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
      { extensions: { type: "MISSING_PAGINATION_BOUNDARIES" } },
    );
  }
  if (first > PAGE_LIMIT || first < 0) {
    throw new GraphQLError(
      `Requesting ${first} records on the \`${field}\` connection exceeds the \`first\` limit of ${PAGE_LIMIT} records.`,
      { extensions: { type: "EXCESSIVE_PAGINATION" } },
    );
  }
  const start = args.after ? Number(Buffer.from(args.after, "base64url").toString("utf8")) + 1 : 0;
  const cursor = (index: number): string => Buffer.from(String(index)).toString("base64url");
  const page = items.slice(start, start + first);
  const nodes = page.map(toNode);
  return {
    totalCount: items.length,
    nodes,
    edges: nodes.map((node, i) => ({ cursor: cursor(start + i), node })),
    pageInfo: {
      hasNextPage: start + page.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length > 0 ? cursor(start) : null,
      endCursor: page.length > 0 ? cursor(start + page.length - 1) : null,
    },
  };
}
