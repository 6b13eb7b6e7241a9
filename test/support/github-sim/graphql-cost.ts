// GitHub's price of a GraphQL query, worked out from the document before it runs
// (docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api): every connection (a
// field with `first` or `last`) is one request per item of its parent connections; the cost is the
// requests over 100, rounded, and at least 1; the node count multiplies page sizes down each path.
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

export interface QueryCost {
  cost: number;
  nodeCount: number;
  /** `rateLimit(dryRun: true)` was asked: GitHub prices the query without charging it. */
  dryRun: boolean;
}

/** GitHub limit: one query may ask for at most 500,000 nodes. */
export const NODE_LIMIT = 500_000;

function argumentValue(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const value = field.arguments?.find((argument) => argument.name.value === name)?.value;
  switch (value?.kind) {
    case undefined:
      return undefined;
    case Kind.INT:
      return Number(value.value);
    case Kind.BOOLEAN:
      return value.value;
    case Kind.VARIABLE:
      return variables[value.name.value];
    default:
      return undefined;
  }
}

function pageSize(field: FieldNode, variables: Record<string, unknown>): number | undefined {
  const sizes = ["first", "last"]
    .map((name) => argumentValue(field, name, variables))
    .filter((size): size is number => typeof size === "number");
  return sizes.length > 0 ? Math.max(...sizes) : undefined;
}

export function queryCost(
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): QueryCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const operation =
    operationName === undefined
      ? operations.length === 1
        ? operations[0]
        : undefined
      : operations.find((candidate) => candidate.name?.value === operationName);
  const total = { requests: 0, nodes: 0, dryRun: false };
  const walk = (set: SelectionSetNode, multiplier: number, spread: Set<string>): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, multiplier, spread);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        // Validation has already refused fragment cycles; the set only guards this walk.
        if (fragment && !spread.has(fragment.name.value)) {
          walk(fragment.selectionSet, multiplier, new Set([...spread, fragment.name.value]));
        }
      } else {
        if (selection.name.value === "rateLimit" && argumentValue(selection, "dryRun", variables) === true) {
          total.dryRun = true;
        }
        const size = pageSize(selection, variables);
        if (size !== undefined) {
          total.requests += multiplier;
          total.nodes += multiplier * size;
        }
        if (selection.selectionSet) walk(selection.selectionSet, multiplier * (size ?? 1), spread);
      }
    }
  };
  if (operation) walk(operation.selectionSet, 1, new Set());
  return {
    cost: Math.max(1, Math.round(total.requests / 100)),
    nodeCount: total.nodes,
    dryRun: total.dryRun,
  };
}
