// The App's front door: what anyone who can reach its URL can make it hold, and for how long, before GitHub's
// signature vouches for a request. Probot's middleware buffers a whole body before it checks the signature, and
// Node's own request timeouts are checked only every 30 s; so every connection and every webhook body goes
// through here first: one memory budget for all of them (app/intake/budget.ts), a body cap, a time limit on
// headers and on bodies, and the signature checked as the bytes arrive, so a forged body is never decoded.
import { maxHeaderSize, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { UnverifiedBudget, type BudgetHolder } from "./budget.js";
import { DeliveryBody } from "./delivery-body.js";
import { RefusalLog, type IntakeLog } from "./refusal-log.js";

export interface IntakeLimits {
  /** One body; more is answered 413. GitHub caps payloads at 25 MB. */
  maxBodyBytes: number;
  /** Everything unverified together: every open connection's share and every body being read. */
  budgetBytes: number;
  /** Headers must arrive within this of a connection opening (or of its previous answer); a body within this of its headers. */
  timeoutMs: number;
}

/** GitHub's payload cap is 25 MB (docs.github.com/webhooks/webhook-events-and-payloads#payload-cap); 25 MiB leaves a little headroom. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
export const DEFAULT_WEBHOOK_BUDGET_BYTES = 64 * 1024 * 1024;
/** Room for one body at GitHub's cap next to the connections that send it. */
export const MIN_WEBHOOK_BUDGET_BYTES = 32 * 1024 * 1024;

/** A connection's share: its headers may take Node's header limit (16 KiB by default), and Node's objects some more. */
const CONNECTION_BYTES = maxHeaderSize + 4 * 1024;
/** A holder waiting longer than this is dropped first when the budget is full; GitHub sends a body in milliseconds. */
const GRACE_MS = 1_000;
/** How long a refused connection still reads (and drops) what the client sends before it is closed. */
const LINGER_MS = 2_000;
/** What a 503 asks the client to wait, in seconds: a full budget empties within the grace period. */
const RETRY_AFTER_S = 2;

type RequestListener = (request: IncomingMessage, response: ServerResponse) => unknown;
type Phase = "waiting" | "body" | "handling" | "answering" | "closing";

/** An open connection, as the budget sees it. */
class Connection implements BudgetHolder {
  phase: Phase = "waiting";
  timer: NodeJS.Timeout | undefined;
  /** Requests received and not yet answered (more than one only when a client pipelines). */
  pending = 0;
  /** Refuses the body being read, while one is. */
  abandon: (() => void) | undefined;

  constructor(readonly socket: Socket) {}

  get evictable(): boolean {
    // A delivery whose signature was right is GitHub's: dropping it would lose an event.
    return this.phase !== "handling";
  }

  evict(): void {
    const abandon = this.abandon;
    this.abandon = undefined;
    if (abandon) abandon();
    else this.socket.destroy();
  }
}

/**
 * Puts the intake in front of the server's request listeners (Probot's). Call it before the server accepts
 * connections (right after `listen`'s callback is fine). Every request reaches Probot with `request.body` set, so
 * Probot never reads a stream itself: a webhook body that was read within the limits and whose
 * `X-Hub-Signature-256` is right, or "" for everything else (which Probot then answers as before: 404, 400, …).
 */
export function guardWebhookIntake(
  server: Server,
  options: { webhookPath: string; secret: string; limits: IntakeLimits; log: IntakeLog },
): UnverifiedBudget {
  // An idle keep-alive connection is Node's to close, after the time it advertises (Keep-Alive: timeout=5):
  // closing it sooner would make clients reuse a socket that is already gone.
  const intake = new WebhookIntake({ ...options, keepAliveMs: server.keepAliveTimeout });
  const listeners = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  const forward = (request: IncomingMessage, response: ServerResponse) => {
    for (const listener of listeners) void listener.call(server, request, response);
  };
  server.on("connection", (socket: Socket) => intake.connected(socket));
  server.on("request", (request: IncomingMessage, response: ServerResponse) =>
    intake.received(request, response, forward),
  );
  // Node's own limits as a backstop (checked every 30 s, so the intake's timers act first).
  server.headersTimeout = options.limits.timeoutMs;
  server.requestTimeout = 2 * options.limits.timeoutMs;
  return intake.budget;
}

class WebhookIntake {
  readonly budget: UnverifiedBudget;
  private readonly connections = new WeakMap<Socket, Connection>();
  private readonly path: string;
  private readonly refusals: RefusalLog;

  constructor(
    private readonly options: {
      webhookPath: string;
      secret: string;
      limits: IntakeLimits;
      log: IntakeLog;
      keepAliveMs: number;
    },
  ) {
    this.budget = new UnverifiedBudget(options.limits.budgetBytes, GRACE_MS);
    this.path = withoutTrailingSlashes(options.webhookPath);
    this.refusals = new RefusalLog(options.log, this.budget);
  }

  connected(socket: Socket): void {
    const connection = new Connection(socket);
    if (!this.budget.reserve(connection, CONNECTION_BYTES)) {
      // Not even room for the headers: hang up at once, as Node does past its maxConnections.
      this.refusals.count("connection");
      socket.destroy();
      return;
    }
    this.connections.set(socket, connection);
    socket.once("close", () => {
      clearTimeout(connection.timer);
      connection.phase = "closing";
      this.budget.remove(connection);
    });
    this.wait(connection, 0);
  }

  received(
    request: IncomingMessage,
    response: ServerResponse,
    forward: (request: IncomingMessage, response: ServerResponse) => void,
  ): void {
    const connection = this.connections.get(request.socket);
    if (!connection || connection.phase === "closing") {
      request.socket.destroy();
      return;
    }
    clearTimeout(connection.timer);
    connection.pending++;
    response.once("close", () => {
      connection.pending--;
      if (connection.pending === 0 && connection.phase !== "closing" && !connection.socket.destroyed)
        this.wait(connection, this.options.keepAliveMs);
    });
    if (this.isDelivery(request)) this.readDelivery(connection, request, response, forward);
    else this.passThrough(connection, request, response, forward);
  }

  /** Between requests: the next one's headers must come within the time limit (after `idleMs` of keep-alive). */
  private wait(connection: Connection, idleMs: number): void {
    connection.phase = "waiting";
    this.budget.restart(connection);
    this.startTimer(
      connection,
      () => {
        this.refusals.count("headers");
        connection.socket.destroy();
      },
      idleMs,
    );
  }

  /**
   * Not a webhook delivery (another path, another method, no SHA-256 signature): its body is never buffered,
   * only dropped as it arrives, within the time limit.
   */
  private passThrough(
    connection: Connection,
    request: IncomingMessage,
    response: ServerResponse,
    forward: (request: IncomingMessage, response: ServerResponse) => void,
  ): void {
    connection.phase = "answering";
    const timer = setTimeout(() => {
      this.refusals.count("body");
      request.socket.destroy();
    }, this.options.limits.timeoutMs).unref();
    request.once("end", () => clearTimeout(timer));
    request.once("close", () => clearTimeout(timer));
    request.resume();
    Object.assign(request, { body: "" });
    forward(request, response);
  }

  private readDelivery(
    connection: Connection,
    request: IncomingMessage,
    response: ServerResponse,
    forward: (request: IncomingMessage, response: ServerResponse) => void,
  ): void {
    const { maxBodyBytes, timeoutMs } = this.options.limits;
    const tooLarge = `The request body is larger than ${maxBodyBytes} bytes`;
    if (Number(request.headers["content-length"] ?? 0) > maxBodyBytes) {
      this.refuse(connection, request, response, 413, tooLarge);
      return;
    }
    connection.phase = "body";
    this.budget.restart(connection);
    const body = new DeliveryBody(this.budget, connection, this.options.secret, maxBodyBytes);
    const stop = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      clearTimeout(connection.timer);
      connection.abandon = undefined;
    };
    const fail = (status: 408 | 413 | 503, message: string, headers: Record<string, string> = {}) => {
      stop();
      body.drop();
      this.refuse(connection, request, response, status, message, headers);
    };
    const busy = () =>
      fail(503, "Too many unverified webhook bytes in flight; try again shortly", {
        "retry-after": String(RETRY_AFTER_S),
      });
    const onData = (chunk: Buffer) => {
      const taken = body.take(chunk);
      if (taken === "too large") fail(413, tooLarge);
      else if (taken === "no room") busy();
    };
    const onEnd = () => {
      stop();
      const text = body.verified(request.headers["x-hub-signature-256"]);
      if (text === undefined) {
        this.refusals.count(400);
        this.answer(response, 400, "signature does not match event payload and secret");
        return;
      }
      // GitHub's: never dropped for room, and counted until it is answered.
      connection.phase = "handling";
      response.once("close", () => body.drop());
      Object.assign(request, { body: text });
      forward(request, response);
    };
    connection.abandon = busy;
    this.startTimer(connection, () => fail(408, `The request body did not arrive within ${timeoutMs} ms`));
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", () => {
      stop();
      body.drop();
      request.socket.destroy();
    });
  }

  /**
   * An answer, then the connection closed LINGER_MS later. Closing a socket at once while the client is still
   * sending makes the kernel answer with a reset, which can wipe the answer from the client's buffer before the
   * client reads it; so, like nginx's lingering close, what arrives meanwhile is read and dropped (no memory
   * held). No `connection: close` header either: Node would then close the socket as soon as the answer is out.
   * A lingering connection is the first to go when the budget needs room.
   */
  private refuse(
    connection: Connection,
    request: IncomingMessage,
    response: ServerResponse,
    status: 408 | 413 | 503,
    message: string,
    headers: Record<string, string> = {},
  ): void {
    this.refusals.count(status);
    connection.phase = "closing";
    clearTimeout(connection.timer);
    request.pause();
    response.once("finish", () => {
      request.resume();
      setTimeout(() => request.socket.destroy(), LINGER_MS).unref();
    });
    if (response.headersSent) request.socket.destroy();
    else this.answer(response, status, message, headers);
  }

  private answer(response: ServerResponse, status: number, message: string, headers = {}): void {
    response
      .writeHead(status, { "content-type": "application/json", ...headers })
      .end(JSON.stringify({ error: message }));
  }

  private startTimer(connection: Connection, onTimeout: () => void, extraMs = 0): void {
    clearTimeout(connection.timer);
    connection.timer = setTimeout(onTimeout, this.options.limits.timeoutMs + extraMs).unref();
  }

  /** What Probot's webhook middleware would read: a POST to the webhook path that carries a SHA-256 signature. */
  private isDelivery(request: IncomingMessage): boolean {
    if (request.method !== "POST" || typeof request.headers["x-hub-signature-256"] !== "string") return false;
    try {
      // @octokit/webhooks compares the path the same way: trailing slashes dropped, query string ignored.
      return new URL(withoutTrailingSlashes(request.url ?? ""), "http://localhost").pathname === this.path;
    } catch {
      return false;
    }
  }
}

function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end--;
  return end === 0 ? "/" : path.slice(0, end);
}
