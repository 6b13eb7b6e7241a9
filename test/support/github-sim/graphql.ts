// GitHub's GraphQL endpoint over the simulator's state: the viewer, and a repository's metadata, default
// branch and git objects. `object(expression: "<rev>:<path>")` under aliases is how callers read many
// files in one request. Like GitHub, errors come back with status 200.
import { execute, GraphQLError, parse, validate } from "graphql";
import { repositoryNode } from "./graphql-nodes.js";
import { githubSchema } from "./graphql-schema.js";
import type { Identity } from "./records.js";
import { type Json, nodeId, type ShapeContext } from "./shapes-repos.js";

export interface GraphqlOutcome {
  body: Json;
  /** Why the request itself is wrong (syntax, schema, variables, pagination); empty for a valid query. */
  invalid: string[];
}

// GitHub's error shape: `type` (NOT_FOUND, ...) at the top level, not under `extensions`.
function errorJson(error: GraphQLError): Json {
  const type = error.extensions["type"];
  return {
    ...(typeof type === "string" ? { type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: error.message,
  };
}

function rejected(
  messages: string[],
  errors: Json[] = messages.map((message) => ({ message })),
): GraphqlOutcome {
  return { body: { errors }, invalid: messages };
}

export async function runGraphql(
  ctx: ShapeContext,
  viewer: Identity,
  request: unknown,
): Promise<GraphqlOutcome> {
  const { query, variables, operationName } = (request ?? {}) as Record<string, unknown>;
  if (typeof query !== "string")
    return rejected(["A query attribute must be specified and must be a string."]);
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== "object" || Array.isArray(variables))
  ) {
    return rejected(["Variables are invalid JSON."]);
  }
  let document;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return rejected([error.message], [errorJson(error)]);
    throw error;
  }
  const validationErrors = validate(githubSchema(), document);
  if (validationErrors.length > 0) {
    return rejected(
      validationErrors.map((error) => error.message),
      validationErrors.map(errorJson),
    );
  }
  const viewerUser = ctx.state.user(viewer.login, viewer.type);
  const rootValue = {
    viewer: () => ({ id: nodeId("U", viewerUser.id), login: viewerUser.login, databaseId: viewerUser.id }),
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = ctx.state.repo(`${owner}/${name}`);
      if (repo) return repositoryNode(ctx, repo);
      throw new GraphQLError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, {
        extensions: { type: "NOT_FOUND" },
      });
    },
  };
  const result = await execute({
    schema: githubSchema(),
    document,
    rootValue,
    variableValues: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: typeof operationName === "string" ? operationName : undefined,
  });
  const errors = result.errors ?? [];
  // Anything but missing data (bad variables, pagination without `first`) is the caller's mistake.
  const invalid = errors
    .filter((error) => error.extensions["type"] !== "NOT_FOUND")
    .map((error) => error.message);
  const body: Json =
    errors.length > 0 ? { data: result.data ?? null, errors: errors.map(errorJson) } : { data: result.data };
  return { body, invalid };
}
