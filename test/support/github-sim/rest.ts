// What a REST handler receives and returns, GitHub's error bodies, and pagination with a Link header.
import type { Caller } from "./auth.js";
import type { Json, ShapeContext } from "./shapes-repos.js";
import type { OperationSpec } from "./spec.js";
import type { RepoRecord } from "./records.js";

export interface RestRequest {
  operation: OperationSpec;
  params: Params;
  /** The JSON body, already validated against the operation's schema. */
  body: unknown;
  caller: Caller;
  url: URL;
  accept: string;
  ctx: ShapeContext;
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (raw file contents, a zip). */
  raw?: { bytes: Buffer; contentType: string };
}

export type RestHandler = (request: RestRequest) => RestResponse;

/** A GitHub error response; `invalid` marks a request the caller should not have sent. */
export class GitHubError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
    readonly invalid: string[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body["message"]));
  }
}

export function errorBody(message: string, documentationUrl: string, status: number, extra: Json = {}): Json {
  return { message, ...extra, documentation_url: documentationUrl, status: String(status) };
}

export function notFound(request: RestRequest, message = "Not Found"): GitHubError {
  return new GitHubError(404, errorBody(message, request.operation.documentationUrl, 404));
}

/** GitHub's 422 `Validation Failed` with one error per field. */
export function validationFailed(
  request: RestRequest,
  errors: Array<{ resource: string; field: string; code: string; message?: string }>,
): GitHubError {
  return new GitHubError(
    422,
    errorBody("Validation Failed", request.operation.documentationUrl, 422, { errors }),
    errors.map((error) => `body.${error.field} ${error.message ?? error.code}`),
  );
}

/** A 422 with GitHub's plain-message form (check runs answer this way). */
export function unprocessable(request: RestRequest, message: string): GitHubError {
  return new GitHubError(422, errorBody(message, request.operation.documentationUrl, 422), [message]);
}

/** Path and query values after ajv coerced them; an absent optional value falls back to its schema default. */
export class Params {
  constructor(
    private readonly values: Record<string, unknown>,
    private readonly operation: OperationSpec,
  ) {}

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  private value(name: string): unknown {
    if (this.values[name] !== undefined) return this.values[name];
    return this.operation.parameters.find((p) => p.name === name)?.schema["default"];
  }

  string(name: string): string {
    const value = this.value(name);
    if (typeof value !== "string") throw new Error(`GitHub simulator: parameter ${name} is not a string`);
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.value(name) === undefined ? undefined : this.string(name);
  }

  integer(name: string): number {
    const value = this.value(name);
    if (typeof value !== "number") throw new Error(`GitHub simulator: parameter ${name} is not a number`);
    return value;
  }

  optionalInteger(name: string): number | undefined {
    return this.value(name) === undefined ? undefined : this.integer(name);
  }

  boolean(name: string): boolean {
    const value = this.value(name);
    if (typeof value !== "boolean") throw new Error(`GitHub simulator: parameter ${name} is not a boolean`);
    return value;
  }
}

/**
 * The repository of a `/repos/{owner}/{repo}/...` request, as the caller may see it: 404 for one that does
 * not exist or is outside an installation token's reach, a redirect for a former name, and 403 for a write
 * to an archived repository.
 */
export function repoOf(request: RestRequest): RepoRecord {
  const state = request.ctx.state;
  const fullName = `${request.params.string("owner")}/${request.params.string("repo")}`;
  const caller = request.caller;
  const visible = (repo: RepoRecord): boolean =>
    caller.kind !== "token" || state.canSee(caller.identity, repo);
  const repo = state.repo(fullName);
  if (repo && visible(repo)) {
    if (repo.archived && request.operation.method !== "GET") {
      throw new GitHubError(
        403,
        errorBody("Repository was archived so is read-only.", request.operation.documentationUrl, 403),
      );
    }
    return repo;
  }
  const moved = repo ? undefined : state.renamedFrom(fullName);
  if (moved && visible(moved)) throw movedTo(request, moved);
  throw notFound(request);
}

/**
 * GitHub's answer for a renamed repository's old name: 301 for GET, 307 for other methods (so clients
 * repeat the write), to the same path under /repositories/{id}.
 */
function movedTo(request: RestRequest, repo: RepoRecord): GitHubError {
  const prefix = /^\/repos\/[^/]+\/[^/]+/.exec(request.url.pathname)?.[0] ?? "";
  const location = `${request.ctx.api}/repositories/${repo.id}${request.url.pathname.slice(prefix.length)}${request.url.search}`;
  const permanent = request.operation.method === "GET";
  const body = {
    message: permanent ? "Moved Permanently" : "Temporary Redirect",
    url: location,
    documentation_url:
      "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects",
  };
  return new GitHubError(permanent ? 301 : 307, body, [], { location });
}

// GitHub's maximum page size.
const MAX_PER_PAGE = 100;

/** One page of `items` and the Link header (first, prev, next, last) Octokit's paginate follows. */
export function paginate<T>(
  request: RestRequest,
  items: T[],
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.max(1, Math.min(MAX_PER_PAGE, request.params.integer("per_page")));
  const page = Math.max(1, request.params.integer("page"));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (target: number, rel: string): string => {
    const url = new URL(request.url.pathname + request.url.search, request.ctx.api);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(target));
    return `<${url.href}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(", ") } : {},
  };
}
