// The subset of GitHub's GraphQL schema the simulator serves, with GitHub's type, field and argument names
// (https://docs.github.com/graphql/reference), so a query that works here has the shape GitHub accepts.
import { buildSchema, type GraphQLSchema } from "graphql";

const SDL = `
  scalar GitObjectID
  scalar DateTime
  scalar URI

  type Query {
    viewer: User!
    repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
    organization(login: String!): Organization
    rateLimit(dryRun: Boolean = false): RateLimit
  }

  type RateLimit { cost: Int! limit: Int! nodeCount: Int! remaining: Int! resetAt: DateTime! used: Int! }

  interface RepositoryOwner { id: ID! login: String! }
  type User implements RepositoryOwner { id: ID! login: String! databaseId: Int }

  type Organization implements RepositoryOwner {
    id: ID!
    login: String!
    databaseId: Int
    name: String
    repository(name: String!, followRenames: Boolean = true): Repository
    repositories(
      first: Int
      after: String
      orderBy: RepositoryOrder
      privacy: RepositoryPrivacy
      visibility: RepositoryVisibility
      isArchived: Boolean
      isFork: Boolean
    ): RepositoryConnection!
  }

  enum RepositoryVisibility { INTERNAL PRIVATE PUBLIC }
  enum RepositoryPrivacy { PRIVATE PUBLIC }
  enum RepositoryOrderField { CREATED_AT NAME PUSHED_AT STARGAZERS UPDATED_AT }
  enum OrderDirection { ASC DESC }
  input RepositoryOrder { field: RepositoryOrderField! direction: OrderDirection! }
  type RepositoryEdge { cursor: String! node: Repository }
  type RepositoryConnection { nodes: [Repository] edges: [RepositoryEdge] pageInfo: PageInfo! totalCount: Int! }

  type Repository {
    id: ID!
    databaseId: Int
    name: String!
    nameWithOwner: String!
    owner: RepositoryOwner!
    isPrivate: Boolean!
    visibility: RepositoryVisibility!
    isArchived: Boolean!
    isFork: Boolean!
    createdAt: DateTime!
    pushedAt: DateTime
    url: URI!
    defaultBranchRef: Ref
    ref(qualifiedName: String!): Ref
    object(expression: String, oid: GitObjectID): GitObject
  }

  type Ref { id: ID! name: String! prefix: String! target: GitObject }

  interface GitObject { id: ID! oid: GitObjectID! abbreviatedOid: String! }

  type Blob implements GitObject {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
    byteSize: Int!
    isBinary: Boolean
    isTruncated: Boolean!
    text: String
  }

  type Tree implements GitObject { id: ID! oid: GitObjectID! abbreviatedOid: String! entries: [TreeEntry!] }

  type TreeEntry {
    name: String!
    path: String
    type: String!
    mode: Int!
    oid: GitObjectID!
    size: Int!
    extension: String
    object: GitObject
  }

  type Commit implements GitObject {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
    message: String!
    messageHeadline: String!
    committedDate: DateTime!
    url: URI!
    tree: Tree!
    parents(first: Int, after: String): CommitConnection!
    history(first: Int, after: String, path: String): CommitHistoryConnection!
  }

  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
  type CommitEdge { cursor: String! node: Commit }
  type CommitConnection { nodes: [Commit] edges: [CommitEdge] pageInfo: PageInfo! totalCount: Int! }
  type CommitHistoryConnection { nodes: [Commit] edges: [CommitEdge] pageInfo: PageInfo! totalCount: Int! }
`;

let schema: GraphQLSchema | undefined;

/** Built on first use. */
export function githubSchema(): GraphQLSchema {
  schema ??= buildSchema(SDL);
  return schema;
}
