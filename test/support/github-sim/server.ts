// The HTTP side: every request is recorded, matched to an OpenAPI operation and validated, then faults,
// credentials, permissions and the handler decide the answer; success bodies are checked against the
// response schema so a simulator bug fails loudly (500, and `invalidResponses`).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { type Caller, identifyCaller, isWriteRequest, refusal } from "./auth.js";
import { type Fault, FaultList } from "./faults.js";
import { runGraphql } from "./graphql.js";
import { actionsHandlers, ARTIFACT_DOWNLOAD_PREFIX } from "./handlers-actions.js";
import { appHandlers } from "./handlers-apps.js";
import { checkHandlers } from "./handlers-checks.js";
import { issueHandlers } from "./handlers-issues.js";
import { rateLimitHandlers } from "./handlers-rate-limit.js";
import { repoHandlers } from "./handlers-repos.js";
import { type RateWindow, rateHeaders } from "./rate-limits.js";
import { errorBody, GitHubError, Params, type RestHandler, type RestResponse } from "./rest.js";
import type { Json, ShapeContext } from "./shapes-repos.js";
import type { MatchedOperation, OperationTable } from "./spec.js";
import type { SimState } from "./state.js";
import type { Validator } from "./validate.js";

export interface RecordedRequest {
  method: string;
  /** The path with its query string, as sent. */
  path: string;
  status: number;
  /** Epoch milliseconds when the request arrived. */
  startedAt: number;
  durationMs: number;
  token: string | null;
}

export interface InvalidRequest {
  kind: "unknownRequest" | "invalidRequest";
  method: string;
  path: string;
  errors: string[];
}

export interface InvalidResponse {
  method: string;
  path: string;
  operationId: string;
  errors: string[];
}

const HANDLERS: Record<string, RestHandler> = {
  ...issueHandlers,
  ...checkHandlers,
  ...repoHandlers,
  ...actionsHandlers,
  ...appHandlers,
  ...rateLimitHandlers,
};

const REST_DOCS = "https://docs.github.com/rest";

interface Incoming {
  method: string;
  url: URL;
  path: string;
  rawBody: Buffer;
  caller: Caller;
  accept: string;
}

interface RestRoute {
  kind: "rest";
  match: MatchedOperation;
  params: Record<string, unknown>;
  body: unknown;
  invalid: string[];
  badJson: boolean;
}

type Route =
  | RestRoute
  | { kind: "graphql" }
  | { kind: "download"; artifactId: number }
  | { kind: "unknown" }
  | { kind: "gone" };

// GitHub serves every /repos/{owner}/{repo}/... path under /repositories/{id}/... too: where it redirects
// a renamed repository's old name.
const BY_ID = /^\/repositories\/(\d+)(\/.*)?$/;

function json(status: number, body: unknown, headers: Record<string, string> = {}): RestResponse {
  return { status, body, headers };
}

function parseBody(raw: Buffer): { body: unknown; ok: boolean } {
  if (raw.length === 0) return { body: undefined, ok: true };
  try {
    return { body: JSON.parse(raw.toString("utf8")) as unknown, ok: true };
  } catch {
    return { body: undefined, ok: false };
  }
}

export class SimServer {
  readonly requests: RecordedRequest[] = [];
  readonly invalidRequests: InvalidRequest[] = [];
  readonly invalidResponses: InvalidResponse[] = [];
  readonly faults = new FaultList();
  private readonly server: Server;
  private ctx: ShapeContext | undefined;

  constructor(
    private readonly state: SimState,
    private readonly operations: OperationTable,
    private readonly validator: Validator,
  ) {
    // A client that hung up mid-answer is the only way `handle` fails; drop the socket.
    this.server = createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.ctx = { api: url, state: this.state };
    return url;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const started = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const ctx = this.context();
    const url = new URL(req.url ?? "/", ctx.api);
    // GitHub Enterprise Server's layout (what Probot uses with GHE_HOST): REST under /api/v3, GraphQL at
    // /api/graphql. Served the same as api.github.com's.
    if (url.pathname === "/api/graphql") url.pathname = "/graphql";
    else if (url.pathname.startsWith("/api/v3/")) url.pathname = url.pathname.slice("/api/v3".length);
    const incoming: Incoming = {
      method: (req.method ?? "GET").toUpperCase(),
      url,
      path: url.pathname + url.search,
      rawBody: Buffer.concat(chunks),
      caller: identifyCaller(this.state, req.headers.authorization),
      accept: req.headers.accept ?? "",
    };
    let response: RestResponse;
    try {
      response = await this.respond(incoming);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.invalidResponses.push({
        method: incoming.method,
        path: incoming.path,
        operationId: "",
        errors: [message],
      });
      response = json(500, { message: `GitHub simulator bug: ${message}` });
    }
    this.requests.push({
      method: incoming.method,
      path: incoming.path,
      status: response.status,
      startedAt,
      durationMs: performance.now() - started,
      token: incoming.caller.token,
    });
    this.write(res, response);
  }

  private context(): ShapeContext {
    if (!this.ctx) throw new Error("GitHub simulator: not listening");
    return this.ctx;
  }

  private async respond(incoming: Incoming): Promise<RestResponse> {
    const route = this.route(incoming);
    const fault = this.faults.take(incoming.method, incoming.url.pathname, incoming.path);
    fault?.onMatch?.();
    if (fault && fault.delayMs > 0) await delay(fault.delayMs);
    if (fault?.status !== undefined && !fault.afterWrite) return faultResponse(fault);
    const response = await this.dispatch(route, incoming);
    if (fault && fault.delayAfterWriteMs > 0) await delay(fault.delayAfterWriteMs);
    return fault?.status !== undefined ? faultResponse(fault) : response;
  }

  /** Which endpoint this is; REST requests are validated (and recorded when invalid) here, before any fault. */
  private route(incoming: Incoming): Route {
    const { method, url } = incoming;
    if (method === "POST" && url.pathname === "/graphql") return { kind: "graphql" };
    const download = new RegExp(`^${ARTIFACT_DOWNLOAD_PREFIX}(\\d+)\\.zip$`).exec(url.pathname);
    if (method === "GET" && download) return { kind: "download", artifactId: Number(download[1]) };
    const byId = BY_ID.exec(url.pathname);
    const repoById = byId ? this.state.repoById(Number(byId[1])) : undefined;
    if (byId && !repoById) return { kind: "gone" };
    const pathname = repoById
      ? `/repos/${encodeURIComponent(repoById.owner.login)}/${encodeURIComponent(repoById.name)}${byId?.[2] ?? ""}`
      : url.pathname;
    const match = this.operations.match(method, pathname);
    if (!match) {
      this.invalidRequests.push({
        kind: "unknownRequest",
        method,
        path: incoming.path,
        errors: [
          `no operation in openapi.json (${this.operations.sourceVersion}) for ${method} ${url.pathname}`,
        ],
      });
      return { kind: "unknown" };
    }
    const parsed = parseBody(incoming.rawBody);
    const params = this.validator.params(match.operation, match.pathParams, url.searchParams);
    const invalid = parsed.ok
      ? [...params.errors, ...this.validator.body(match.operation, parsed.body)]
      : ["body is not valid JSON"];
    if (invalid.length > 0) this.recordInvalid(incoming, invalid);
    return { kind: "rest", match, params: params.values, body: parsed.body, invalid, badJson: !parsed.ok };
  }

  private recordInvalid(incoming: Incoming, errors: string[]): void {
    this.invalidRequests.push({
      kind: "invalidRequest",
      method: incoming.method,
      path: incoming.path,
      errors,
    });
  }

  private async dispatch(route: Route, incoming: Incoming): Promise<RestResponse> {
    switch (route.kind) {
      case "unknown":
      case "gone":
        return json(404, errorBody("Not Found", REST_DOCS, 404));
      case "download": {
        const artifact = this.state.artifact(route.artifactId);
        if (!artifact) return json(404, errorBody("Not Found", REST_DOCS, 404));
        return { status: 200, raw: { bytes: artifact.zip, contentType: "application/zip" } };
      }
      case "graphql":
        return this.graphql(incoming);
      case "rest":
        return this.rest(route, incoming);
      default: {
        const never: never = route;
        return never;
      }
    }
  }

  private async graphql(incoming: Incoming): Promise<RestResponse> {
    const docs = "https://docs.github.com/graphql";
    if (incoming.caller.kind !== "token") {
      const refused = refusal(incoming.caller, "graphql", false, docs);
      return json(refused?.status ?? 401, refused?.body ?? errorBody("Bad credentials", docs, 401));
    }
    const parsed = parseBody(incoming.rawBody);
    if (!parsed.ok) {
      this.recordInvalid(incoming, ["body is not valid JSON"]);
      return json(400, errorBody("Problems parsing JSON", docs, 400));
    }
    const outcome = await runGraphql(this.context(), incoming.caller.identity, parsed.body);
    if (outcome.invalid.length > 0) this.recordInvalid(incoming, outcome.invalid);
    return json(200, outcome.body, rateHeaders("graphql", outcome.rate));
  }

  private rest(route: RestRoute, incoming: Incoming): RestResponse {
    const { operation } = route.match;
    const docs = operation.documentationUrl;
    const isWrite = isWriteRequest(incoming.method, incoming.url.pathname);
    const refused = refusal(incoming.caller, operation.operationId, isWrite, docs);
    if (refused) return json(refused.status, refused.body);
    const rate = this.spendCore(incoming.caller, operation.operationId);
    const withRate = (response: RestResponse): RestResponse =>
      rate ? { ...response, headers: { ...rateHeaders("core", rate), ...response.headers } } : response;
    if (route.badJson) return withRate(json(400, errorBody("Problems parsing JSON", docs, 400)));
    if (route.invalid.length > 0) {
      const errors = route.invalid.map((message) => ({ code: "invalid", message }));
      return withRate(json(422, errorBody("Validation Failed", docs, 422, { errors })));
    }
    const handler = HANDLERS[operation.operationId];
    if (!handler) throw new Error(`no handler for ${operation.operationId}`);
    let response: RestResponse;
    try {
      response = handler({
        operation,
        params: new Params(route.params, operation),
        body: route.body,
        caller: incoming.caller,
        url: incoming.url,
        accept: incoming.accept,
        ctx: this.context(),
      });
    } catch (error) {
      if (!(error instanceof GitHubError)) throw error;
      if (error.invalid.length > 0) this.recordInvalid(incoming, error.invalid);
      return withRate(json(error.status, error.body, error.headers));
    }
    if (!response.raw) {
      const errors = this.validator.response(operation, response.status, response.body);
      if (errors.length > 0) {
        this.invalidResponses.push({
          method: incoming.method,
          path: incoming.path,
          operationId: operation.operationId,
          errors,
        });
        return json(500, {
          message: "GitHub simulator bug: response does not match the OpenAPI schema",
          errors,
        });
      }
    }
    return withRate(response);
  }

  /** One request from the caller's REST window; GET /rate_limit is free, as on GitHub. Apps' JWTs are not counted. */
  private spendCore(caller: Caller, operationId: string): RateWindow | undefined {
    if (caller.kind !== "token") return undefined;
    const cost = operationId === "rate-limit/get" ? 0 : 1;
    return this.state.rateLimits.spend(this.state.rateAccount(caller.identity), "core", cost);
  }

  private write(res: ServerResponse, response: RestResponse): void {
    const headers: Record<string, string> = {
      "x-github-request-id": randomUUID().toUpperCase(),
      "x-github-api-version-selected": "2022-11-28",
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-used": "1",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-ratelimit-resource": "core",
    };
    let payload: Buffer;
    if (response.raw) {
      headers["content-type"] = response.raw.contentType;
      payload = response.raw.bytes;
    } else if (response.body === undefined) {
      payload = Buffer.alloc(0);
    } else {
      headers["content-type"] = "application/json; charset=utf-8";
      headers["x-github-media-type"] = "github.v3; format=json";
      payload = Buffer.from(JSON.stringify(response.body));
    }
    Object.assign(headers, lowerKeys(response.headers ?? {}));
    headers["content-length"] = String(payload.length);
    res.writeHead(response.status, headers);
    res.end(payload);
  }
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function faultResponse(fault: Fault): RestResponse {
  return json(fault.status ?? 500, fault.body as Json, fault.headers);
}
