// Hostile HTTP clients for the App's front door: raw sockets that send a webhook request the way an attacker
// would (a huge declared or streamed body, a body or headers trickled a byte at a time) and report what the
// server answered, when, and how much they got to send. The App's memory is read from /proc (Linux).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect } from "node:net";

export interface HostileOptions {
  /** Content-Length to declare; chunked transfer encoding when absent. */
  declared?: number;
  /** Body bytes to offer in all (sending stops at the first byte of an answer). */
  offer: number;
  /** Bytes per write. */
  chunkBytes: number;
  /** Pause between writes; as fast as the socket takes them when absent. */
  everyMs?: number;
  /** Send the headers a line at a time, every `everyMs`, and never finish them. */
  trickleHeaders?: boolean;
  /** The request path; the webhook path of `url` when absent. */
  path?: string;
  /** Gives up (status 0) after this long; 15 s by default. */
  patienceMs?: number;
}

export interface HostileResult {
  /** The status the server answered with; 0 when it closed the connection without one. */
  status: number;
  /** The answer's headers, lower-cased. */
  headers: Record<string, string>;
  /** From connecting until the answer came or the server closed the connection. */
  ms: number;
  /** Body bytes written. */
  sent: number;
}

/** A webhook request with GitHub's headers and a wrong signature, sent as `options` say. */
export function hostileRequest(url: string, options: HostileOptions): Promise<HostileResult> {
  const target = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(Number(target.port), target.hostname);
    let sent = 0;
    let done = false;
    let answer = "";
    let pacer: NodeJS.Timeout | undefined;
    const finish = (status: number, headers: Record<string, string>) => {
      if (done) return;
      done = true;
      clearTimeout(pacer);
      clearTimeout(patience);
      socket.destroy();
      resolve({ status, headers, ms: performance.now() - started, sent });
    };
    const patience = setTimeout(() => finish(0, {}), options.patienceMs ?? 15_000);
    socket.on("data", (data: Buffer) => {
      answer += data.toString("latin1");
      const head = answer.indexOf("\r\n\r\n");
      if (head < 0 && answer.length < 8192) return;
      const [statusLine = "", ...lines] = answer.slice(0, head < 0 ? undefined : head).split("\r\n");
      const headers = Object.fromEntries(
        lines.map((line) => [
          line.slice(0, line.indexOf(":")).toLowerCase(),
          line.slice(line.indexOf(":") + 1).trim(),
        ]),
      );
      finish(Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers);
    });
    socket.on("error", () => finish(0, {}));
    socket.on("close", () => finish(0, {}));
    const head = [
      `POST ${options.path ?? target.pathname} HTTP/1.1`,
      `Host: ${target.host}`,
      "Content-Type: application/json",
      "User-Agent: GitHub-Hookshot/8d33975",
      "X-GitHub-Event: push",
      `X-GitHub-Delivery: ${randomUUID()}`,
      `X-Hub-Signature-256: sha256=${"0".repeat(64)}`,
      options.declared === undefined ? "Transfer-Encoding: chunked" : `Content-Length: ${options.declared}`,
    ];
    socket.once("connect", () => {
      if (options.trickleHeaders) {
        let line = 0;
        const next = () => {
          if (done) return;
          socket.write(`${head[line] ?? `X-Trickle-${line}: ${"a".repeat(8)}`}\r\n`);
          line++;
          pacer = setTimeout(next, options.everyMs ?? 100);
        };
        next();
        return;
      }
      socket.write(`${head.join("\r\n")}\r\n\r\n`);
      const chunk = Buffer.alloc(options.chunkBytes, 32);
      const frame = (data: Buffer) =>
        options.declared === undefined
          ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from("\r\n")])
          : data;
      const framed = frame(chunk);
      const pump = () => {
        while (!done && sent < options.offer) {
          sent += chunk.length;
          const more = socket.write(framed);
          if (options.everyMs !== undefined) {
            pacer = setTimeout(pump, options.everyMs);
            return;
          }
          if (!more) {
            socket.once("drain", pump);
            return;
          }
        }
        // A chunked body is finished; a declared one stays short of its length: the answer must not wait for it.
        if (!done && options.declared === undefined) socket.write("0\r\n\r\n");
      };
      pump();
    });
  });
}

/** The resident memory of process `pid` in bytes (VmRSS in /proc/<pid>/status). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}
