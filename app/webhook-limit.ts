// A size cap on request bodies in front of Probot's webhook middleware, which buffers a whole body before it
// checks the signature: without a cap anyone who can reach the App could make it hold gigabytes.
// GitHub caps webhook payloads at 25 MB (docs.github.com/webhooks/webhook-events-and-payloads#payload-cap).
import type { IncomingMessage, Server, ServerResponse } from "node:http";

/** GitHub's payload cap is 25 MB; 25 MiB leaves a little headroom. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

type RequestListener = (request: IncomingMessage, response: ServerResponse) => unknown;

/**
 * Puts the cap in front of the server's request listeners (Probot's) for every POST, the only requests
 * whose body anything reads: a declared length over the cap is answered 413 before any of the body is read,
 * a body that streams past it is answered 413 and its connection closed soon after. A body within the cap is handed on
 * as `request.body` (a string), which Probot's and @octokit/webhooks' middleware take as the payload.
 * Call it before the server accepts connections (right after `listen`'s callback is fine).
 */
export function limitRequestBodies(server: Server, maxBytes: number): void {
  const listeners = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  const forward = (request: IncomingMessage, response: ServerResponse) => {
    for (const listener of listeners) void listener.call(server, request, response);
  };
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== "POST") {
      forward(request, response);
      return;
    }
    const declared = Number(request.headers["content-length"] ?? 0);
    if (declared > maxBytes) {
      refuse(request, response, maxBytes);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      request.off("data", onData);
      request.off("end", onEnd);
      request.pause();
      chunks.length = 0;
      refuse(request, response, maxBytes);
    };
    const onEnd = () => {
      // The same decoding @octokit/webhooks applies to a body it reads itself (UTF-8, not fatal).
      Object.assign(request, { body: new TextDecoder().decode(Buffer.concat(chunks)) });
      forward(request, response);
    };
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", () => request.socket.destroy());
  });
}

/** How long a refused connection still reads (and drops) what the client sends before it is closed. */
const LINGER_MS = 2_000;

/**
 * 413, then the connection closed LINGER_MS later. Closing a socket at once while the client is still
 * sending makes the kernel answer with a reset, which can wipe the 413 from the client's buffer before the
 * client reads it; so, like nginx's lingering close, what arrives meanwhile is read and dropped (no memory
 * held). No `connection: close` header either: Node would then close the socket as soon as the answer is out.
 */
function refuse(request: IncomingMessage, response: ServerResponse, maxBytes: number): void {
  response.once("finish", () => {
    request.resume();
    setTimeout(() => request.socket.destroy(), LINGER_MS).unref();
  });
  response
    .writeHead(413, { "content-type": "application/json" })
    .end(JSON.stringify({ error: `The request body is larger than ${maxBytes} bytes` }));
}
