import { createServer, type IncomingHttpHeaders, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { SourceSpec } from "../../src/config/model.js";
import { MlgateError } from "../../src/errors.js";
import { readHttpSource } from "../../src/sources/http.js";
import type { SourceContext } from "../../src/sources/types.js";

type HttpSpec = Extract<SourceSpec, { kind: "http" }>;

interface TestServer {
  url: string;
  requests: { path: string; headers: IncomingHttpHeaders }[];
}

const servers: Server[] = [];

async function serve(handler: RequestListener): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? "", headers: req.headers });
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const SECRET = "s3cr3t-token-value";
const ctx: SourceContext = { cwd: "/", env: { TOKEN: SECRET, RUN_ID: "run-42" }, fetch: globalThis.fetch };

function spec(url: string, extra: Partial<HttpSpec> = {}): HttpSpec {
  return {
    kind: "http",
    name: "tracker",
    url,
    headers: { Authorization: "Bearer ${{ env.TOKEN }}" },
    timeoutMs: 5000,
    maxBytes: 1 << 20,
    ...extra,
  };
}

async function httpError(source: HttpSpec): Promise<MlgateError> {
  const error: unknown = await readHttpSource(source, ctx).catch((e: unknown) => e);
  if (!(error instanceof MlgateError)) throw new Error(`expected an MlgateError, got ${String(error)}`);
  // Whatever went wrong, an error never carries the query string, a header value or an env value.
  const text = JSON.stringify(
    error.all().map((e) => ({ message: e.message, hint: e.hint, detail: e.detail, location: e.location })),
  );
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain("run-42");
  expect(text).not.toContain("?");
  return error;
}

const json =
  (body: unknown): RequestListener =>
  (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

describe("http sources", () => {
  it("reads a JSON body, with env values interpolated into the URL and headers", async () => {
    const server = await serve(json({ metrics: { accuracy: 0.92 } }));
    const doc = await readHttpSource(spec(`${server.url}/api/runs?run_id=\${{ env.RUN_ID }}`), ctx);
    expect(doc).toMatchObject({ source: "tracker", format: "json", data: { metrics: { accuracy: 0.92 } } });
    expect(doc.origin).toBe(`${server.url}/api/runs`);
    expect(server.requests[0]?.path).toBe("/api/runs?run_id=run-42");
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it("reports a server error with its status, without the query or the token", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(500);
      res.end(`internal error for ${SECRET}`);
    });
    const error = await httpError(
      spec(`${server.url}/api/runs?token=\${{ env.TOKEN }}&run_id=\${{ env.RUN_ID }}`),
    );
    expect(error.code).toBe("source.http");
    expect(error.message).toBe(`GET ${server.url}/api/runs answered HTTP 500 Internal Server Error`);
  });

  it("names the URL as configured, never with the env values interpolated into its path", async () => {
    const server = await serve((req, res) => {
      if (req.url?.startsWith("/ok/")) json({ accuracy: 0.91 })(req, res);
      else {
        res.writeHead(500);
        res.end(`no metrics for ${SECRET}`);
      }
    });
    const failing = `${server.url}/api/\${{ env.TOKEN }}/metrics`;
    const error = await httpError(spec(`${failing}?token=\${{ env.TOKEN }}`));
    expect(error.message).toBe(`GET ${failing} answered HTTP 500 Internal Server Error`);
    expect(server.requests[0]?.path).toBe(`/api/${SECRET}/metrics?token=${SECRET}`);

    const doc = await readHttpSource(spec(`${server.url}/ok/\${{ env.TOKEN }}?run=\${{ env.RUN_ID }}`), ctx);
    expect(doc.data).toEqual({ accuracy: 0.91 });
    expect(doc.origin).toBe(`${server.url}/ok/\${{ env.TOKEN }}`);
  });

  it("names the configured URL when a refused connection had a token in its path", async () => {
    const server = await serve(json({}));
    const url = server.url;
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const error = await httpError(spec(`${url}/api/\${{ env.TOKEN }}/metrics?q=\${{ env.TOKEN }}`));
    expect(error.message).toBe(`GET ${url}/api/\${{ env.TOKEN }}/metrics failed (ECONNREFUSED)`);
  });

  it("shows neither the server's reason phrase nor where it redirected to", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/start") {
        res.writeHead(302, { location: `/moved/${SECRET}` });
        res.end();
      } else {
        res.writeHead(503, `Down for ${SECRET}`);
        res.end();
      }
    });
    const error = await httpError(spec(`${server.url}/start`));
    expect(error.message).toBe(
      `GET ${server.url}/start answered HTTP 503 Service Unavailable after 1 redirect`,
    );
    expect(server.requests.map((r) => r.path)).toEqual(["/start", `/moved/${SECRET}`]);
  });

  it("gives up on a slow response after the timeout", async () => {
    const server = await serve((_req, res) => {
      setTimeout(() => json({ late: true })(_req, res), 3000);
    });
    const error = await httpError(spec(`${server.url}/slow?run_id=\${{ env.RUN_ID }}`, { timeoutMs: 300 }));
    expect(error.code).toBe("source.timeout");
    expect(error.message).toBe(`GET ${server.url}/slow did not finish within 0.3 s`);
  });

  it("gives up on a body that stalls after the headers", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"accuracy": ');
    });
    expect((await httpError(spec(`${server.url}/stall`, { timeoutMs: 300 }))).code).toBe("source.timeout");
  });

  it("refuses a body larger than maxBytes, declared or streamed", async () => {
    // Declares a large body and never sends it: only the up-front check can answer in time.
    const declared = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "10000000" });
      res.write("{");
    });
    expect((await httpError(spec(`${declared.url}/big`, { maxBytes: 1000, timeoutMs: 3000 }))).code).toBe(
      "source.too-large",
    );
    const streamed = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      for (let i = 0; i < 20; i++) res.write("x".repeat(1000));
      res.end();
    });
    const error = await httpError(spec(`${streamed.url}/stream`, { maxBytes: 5000 }));
    expect(error.code).toBe("source.too-large");
    expect(error.message).toBe(`the response from ${streamed.url}/stream is larger than 5000 bytes`);
  });

  it("does not forward configured headers when a redirect leaves the origin", async () => {
    const other = await serve(json({ accuracy: 0.9 }));
    const first = await serve((_req, res) => {
      res.writeHead(302, { location: `${other.url}/elsewhere` });
      res.end();
    });
    const doc = await readHttpSource(
      spec(`${first.url}/start`, {
        headers: { Authorization: "Bearer ${{ env.TOKEN }}", "X-Api-Key": "${{ env.TOKEN }}" },
      }),
      ctx,
    );
    expect(doc.data).toEqual({ accuracy: 0.9 });
    expect(first.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(other.requests[0]?.path).toBe("/elsewhere");
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
    expect(other.requests[0]?.headers["x-api-key"]).toBeUndefined();
  });

  it("keeps the headers on a redirect within the same origin", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/old") {
        res.writeHead(301, { location: "/new" });
        res.end();
      } else json({ accuracy: 0.95 })(req, res);
    });
    const doc = await readHttpSource(spec(`${server.url}/old`), ctx);
    expect(doc.data).toEqual({ accuracy: 0.95 });
    expect(server.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ["/old", `Bearer ${SECRET}`],
      ["/new", `Bearer ${SECRET}`],
    ]);
  });

  it("stops after five redirects", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(307, { location: "/again?token=" + SECRET });
      res.end();
    });
    const error = await httpError(spec(`${server.url}/loop`));
    expect(error.message).toBe(`${server.url}/loop redirected more than 5 times`);
    expect(server.requests).toHaveLength(6);
  });

  it("reports invalid JSON with the URL but not its query", async () => {
    const server = await serve((_req, res) => res.end("<html>login</html>"));
    const error = await httpError(spec(`${server.url}/page?run_id=\${{ env.RUN_ID }}`));
    expect(error.code).toBe("source.parse");
    expect(error.location).toMatchObject({ file: `${server.url}/page`, line: 1, column: 1 });
  });

  it("reports a refused connection without the token", async () => {
    const server = await serve(json({}));
    const url = server.url;
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const error = await httpError(spec(`${url}/gone?token=\${{ env.TOKEN }}`));
    expect(error.code).toBe("source.http");
    expect(error.message).toBe(`GET ${url}/gone failed (ECONNREFUSED)`);
  });

  it("names an unset variable in the URL before sending anything", async () => {
    const error = await httpError(spec("https://mlflow.example/runs?run_id=${{ env.NO_SUCH_RUN }}"));
    expect(error.code).toBe("source.env");
    expect(error.message).toContain("NO_SUCH_RUN");
  });
});
