// GitHub's GraphQL endpoint over the simulator's state: the viewer, the rate limit, an organization's
// repositories, and a repository's metadata, default branch and git objects. `object(expression:
// "<rev>:<path>")` under aliases is how callers read many files (of many repositories) in one request.
// Each query is priced as GitHub prices it and charged to the caller's window. Like GitHub, errors come
// back with status 200.
import { execute, GraphQLError, parse, validate } from "graphql";
import { NODE_LIMIT, queryCost } from "./graphql-cost.js";
import { findOrganization, findRepository } from "./graphql-organization.js";
import { githubSchema } from "./graphql-schema.js";
import type { RateWindow } from "./rate-limits.js";
import type { Identity } from "./records.js";
import { type Json, nodeId, type ShapeContext } from "./shapes-repos.js";

export interface GraphqlOutcome {
  body: Json;
  /** Why the request itself is wrong (syntax, schema, variables, pagination); empty for a valid query. */
  invalid: string[];
  /** The caller's GraphQL window after this request. */
  rate: RateWindow;
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
  rate: RateWindow,
  messages: string[],
  errors: Json[] = messages.map((message) => ({ message })),
): GraphqlOutcome {
  return { body: { errors }, invalid: messages, rate };
}

export async function runGraphql(
  ctx: ShapeContext,
  viewer: Identity,
  request: unknown,
): Promise<GraphqlOutcome> {
  const account = ctx.state.rateAccount(viewer);
  // A request that never runs is not charged.
  const unspent = (): RateWindow => ctx.state.rateLimits.spend(account, "graphql", 0);
  const { query, variables, operationName } = (request ?? {}) as Record<string, unknown>;
  if (typeof query !== "string")
    return rejected(unspent(), ["A query attribute must be specified and must be a string."]);
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== "object" || Array.isArray(variables))
  ) {
    return rejected(unspent(), ["Variables are invalid JSON."]);
  }
  let document;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return rejected(unspent(), [error.message], [errorJson(error)]);
    throw error;
  }
  const validationErrors = validate(githubSchema(), document);
  if (validationErrors.length > 0) {
    return rejected(
      unspent(),
      validationErrors.map((error) => error.message),
      validationErrors.map(errorJson),
    );
  }
  const variableValues = (variables ?? {}) as Record<string, unknown>;
  const name = typeof operationName === "string" ? operationName : undefined;
  const price = queryCost(document, name, variableValues);
  if (price.nodeCount > NODE_LIMIT) {
    const message = `This query requests up to ${price.nodeCount.toLocaleString("en-US")} possible nodes which exceeds the maximum limit of ${NODE_LIMIT.toLocaleString("en-US")}.`;
    return rejected(unspent(), [message], [{ type: "MAX_NODE_LIMIT_EXCEEDED", message }]);
  }
  const rate = ctx.state.rateLimits.spend(account, "graphql", price.dryRun ? 0 : price.cost);
  const viewerUser = ctx.state.user(viewer.login, viewer.type);
  const rootValue = {
    viewer: () => ({ id: nodeId("U", viewerUser.id), login: viewerUser.login, databaseId: viewerUser.id }),
    repository: (args: { owner: string; name: string; followRenames?: boolean | null }) =>
      findRepository(ctx, viewer, args),
    organization: ({ login }: { login: string }) => findOrganization(ctx, viewer, login),
    rateLimit: () => ({
      cost: price.cost,
      limit: rate.limit,
      nodeCount: price.nodeCount,
      remaining: rate.remaining,
      resetAt: new Date(rate.resetAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
      used: rate.used,
    }),
  };
  const result = await execute({
    schema: githubSchema(),
    document,
    rootValue,
    variableValues,
    operationName: name,
  });
  const errors = result.errors ?? [];
  // Anything but missing data (bad variables, pagination without `first`) is the caller's mistake.
  const invalid = errors
    .filter((error) => error.extensions["type"] !== "NOT_FOUND")
    .map((error) => error.message);
  const body: Json =
    errors.length > 0 ? { data: result.data ?? null, errors: errors.map(errorJson) } : { data: result.data };
  return { body, invalid, rate };
}
