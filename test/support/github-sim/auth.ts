// Who is calling: a known token (personal, GITHUB_TOKEN or installation token) or a GitHub App's JWT,
// and whether that caller may use an operation at all.
import { GitHubError, errorBody, type RestRequest } from "./rest.js";
import type { Identity } from "./records.js";
import type { SimState } from "./state.js";

export type Caller =
  | { kind: "token"; token: string; identity: Identity }
  | { kind: "app"; token: string; appId: number }
  | { kind: "none"; token: string | null; reason: string };

const BAD_CREDENTIALS = "Bad credentials";

export function tokenFrom(header: string | undefined): string | null {
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}

// The simulator does not check a JWT's signature (it has no App private key): only its shape, `iss`
// (the App id) and `exp`, so a test can sign with any key.
function readJwt(token: string, nowMs: number): { appId: number } | { expired: true } | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  let payload: { iss?: unknown; exp?: unknown };
  try {
    payload = JSON.parse(Buffer.from(parts[1] ?? "", "base64url").toString("utf8")) as typeof payload;
  } catch {
    return undefined;
  }
  if (typeof payload.exp === "number" && payload.exp * 1000 <= nowMs) return { expired: true };
  const iss =
    typeof payload.iss === "string" && /^\d+$/.test(payload.iss) ? Number(payload.iss) : payload.iss;
  return typeof iss === "number" ? { appId: iss } : undefined;
}

const EXPIRED_JWT =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.";

export function identifyCaller(state: SimState, authorization: string | undefined): Caller {
  const token = tokenFrom(authorization);
  if (token === null) return { kind: "none", token, reason: BAD_CREDENTIALS };
  const identity = state.credentials.identity(token);
  if (identity) return { kind: "token", token, identity };
  const jwt = readJwt(token, state.now().getTime());
  if (jwt && "appId" in jwt) return { kind: "app", token, appId: jwt.appId };
  return { kind: "none", token, reason: jwt ? EXPIRED_JWT : BAD_CREDENTIALS };
}

// The operations only an App's JWT may call; every other one wants a token.
const JWT_OPERATIONS = new Set([
  "apps/create-installation-access-token",
  "apps/get-authenticated",
  "apps/get-org-installation",
  "apps/get-repo-installation",
]);

/** Why this caller may not use this operation, if it may not: 401 for credentials, 403 for permissions. */
export function refusal(
  caller: Caller,
  operationId: string,
  isWrite: boolean,
  docs: string,
): GitHubError | undefined {
  const appEndpoint = JWT_OPERATIONS.has(operationId);
  if (appEndpoint && caller.kind !== "app") {
    return new GitHubError(401, errorBody("A JSON web token could not be decoded", docs, 401));
  }
  if (!appEndpoint && caller.kind !== "token") {
    return new GitHubError(
      401,
      errorBody(caller.kind === "none" ? caller.reason : BAD_CREDENTIALS, docs, 401),
    );
  }
  if (caller.kind === "token" && isWrite && caller.identity.permissions === "read") {
    return new GitHubError(403, errorBody("Resource not accessible by integration", docs, 403));
  }
  return undefined;
}

/** The identity of a token caller; handlers for token endpoints only run for those. */
export function identityOf(request: RestRequest): Identity {
  if (request.caller.kind !== "token")
    throw new Error("GitHub simulator: a token endpoint ran without a token");
  return request.caller.identity;
}

export function isWriteRequest(method: string, pathname: string): boolean {
  // GraphQL queries are reads, though they are POSTed.
  return method !== "GET" && method !== "HEAD" && pathname !== "/graphql";
}
