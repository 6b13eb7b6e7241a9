// GraphQL's way into repositories: `repository(owner, name)` (following renames unless told not to) and
// `organization(login) { repositories }`, both limited to what the viewer may see, with GitHub's
// NOT_FOUND errors for the rest.
import { GraphQLError } from "graphql";
import { connection, type PageArgs } from "./graphql-connection.js";
import { repositoryNode } from "./graphql-nodes.js";
import type { Identity, RepoRecord } from "./records.js";
import { type Json, nodeId, type ShapeContext } from "./shapes-repos.js";

function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type: "NOT_FOUND" } });
}

/** A repository the viewer may see, by its name or (following renames) a former one; else NOT_FOUND. */
export function findRepository(
  ctx: ShapeContext,
  viewer: Identity,
  args: { owner: string; name: string; followRenames?: boolean | null },
): Json {
  const fullName = `${args.owner}/${args.name}`;
  const repo =
    ctx.state.repo(fullName) ?? (args.followRenames === false ? undefined : ctx.state.renamedFrom(fullName));
  if (!repo || !ctx.state.canSee(viewer, repo)) {
    throw notFound(`Could not resolve to a Repository with the name '${fullName}'.`);
  }
  return repositoryNode(ctx, repo);
}

interface RepositoriesArgs extends PageArgs {
  orderBy?: { field: string; direction: "ASC" | "DESC" } | null;
  privacy?: "PUBLIC" | "PRIVATE" | null;
  visibility?: "PUBLIC" | "PRIVATE" | "INTERNAL" | null;
  isArchived?: boolean | null;
  isFork?: boolean | null;
}

const ORDER_KEYS: Record<string, (repo: RepoRecord) => string | number> = {
  CREATED_AT: (repo) => repo.id,
  UPDATED_AT: (repo) => repo.pushedAt,
  PUSHED_AT: (repo) => repo.pushedAt,
  NAME: (repo) => repo.name.toLowerCase(),
  STARGAZERS: () => 0,
};

function listRepositories(ctx: ShapeContext, viewer: Identity, login: string, args: RepositoriesArgs): Json {
  const owner = login.toLowerCase();
  const repos = ctx.state
    .visibleRepos(viewer)
    .filter(
      (repo) =>
        repo.owner.login.toLowerCase() === owner &&
        (args.privacy == null || (repo.visibility === "public") === (args.privacy === "PUBLIC")) &&
        (args.visibility == null || repo.visibility === args.visibility.toLowerCase()) &&
        (args.isArchived == null || repo.archived === args.isArchived) &&
        (args.isFork == null || repo.fork === args.isFork),
    );
  // Without orderBy: creation order, oldest first.
  const key = ORDER_KEYS[args.orderBy?.field ?? "CREATED_AT"] ?? ORDER_KEYS["CREATED_AT"];
  const sign = args.orderBy?.direction === "DESC" ? -1 : 1;
  if (key) repos.sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : sign * (a.id - b.id)));
  return connection("repositories", repos, args, (repo) => repositoryNode(ctx, repo));
}

export function findOrganization(ctx: ShapeContext, viewer: Identity, login: string): Json {
  const org = ctx.state.account(login);
  if (!org || org.type !== "Organization") {
    throw notFound(`Could not resolve to an Organization with the login of '${login}'.`);
  }
  return {
    __typename: "Organization",
    id: nodeId("O", org.id),
    login: org.login,
    databaseId: org.id,
    name: org.login,
    repository: (args: { name: string; followRenames?: boolean | null }) =>
      findRepository(ctx, viewer, { ...args, owner: org.login }),
    repositories: (args: RepositoriesArgs) => listRepositories(ctx, viewer, org.login, args),
  };
}
