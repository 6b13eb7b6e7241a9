// Hostile inputs to the sources and the files mlgate check reads (issue #6): byte order marks and every
// line-ending style, oversized configs and baselines refused before they are read, `mlgate inspect` still
// reading wherever the user points it, HTTP redirects and compression that must not get around the
// source's rules, and a command flooding stderr.
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Agent, fetch as undiciFetch } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import type { SourceSpec } from "../../src/config/model.js";
import { MlgateError } from "../../src/errors.js";
import { annotationsOf } from "../../src/report/annotations.js";
import type { Report } from "../../src/report/model.js";
import { readCommandSource } from "../../src/sources/command.js";
import { parseDocument } from "../../src/sources/formats/index.js";
import { readHttpSource } from "../../src/sources/http.js";
import type { SourceContext } from "../../src/sources/types.js";
import { runCli } from "../support/cli.js";

const project = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), "mlgate-hostile-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

const CONFIG_LINES = [
  "version: 1",
  "sources:",
  "  eval: { file: metrics.json }",
  "kpis:",
  "  accuracy: { source: eval, path: accuracy, gte: 0.95 }",
  "  recall: { source: eval, path: recall, gte: 0.5 }",
  "",
];

async function checkJson(config: string): Promise<{ code: number; report: Report; stderr: string }> {
  const dir = project({ "mlgate.yml": config, "metrics.json": '{"accuracy": 0.9, "recall": 0.8}' });
  const run = await runCli(["check", "--config", "mlgate.yml", "--format", "json"], { cwd: dir });
  return { code: run.code, report: JSON.parse(run.stdout || "null") as Report, stderr: run.stderr };
}

describe("byte order marks and line endings", () => {
  it.each([
    ["LF", "\n", ""],
    ["CRLF", "\r\n", ""],
    ["CR only", "\r", ""],
    ["a byte order mark and LF", "\n", "\uFEFF"],
    ["a byte order mark and CRLF", "\r\n", "\uFEFF"],
  ])(
    "a gates config with %s is read, and its gates and annotations point at the lines they are on",
    async (_name, eol, bom) => {
      const { code, report } = await checkJson(bom + CONFIG_LINES.join(eol));
      expect(code).toBe(1);
      expect(report.measurements.map((m) => [m.name, m.status, m.declaredAt])).toEqual([
        ["accuracy", "fail", "mlgate.yml:5:3"],
        ["recall", "pass", "mlgate.yml:6:3"],
      ]);
      expect(annotationsOf(report).map((a) => [a.file, a.line, a.column])).toEqual([["mlgate.yml", 5, 3]]);
    },
  );

  it.each([
    ["CRLF", "\r\n"],
    ["CR only", "\r"],
    ["a byte order mark", "\n"],
  ])("an error in a gates config with %s names the right line and column", async (name, eol) => {
    const lines = [...CONFIG_LINES];
    lines[5] = "  recall: { source: nowhere, path: recall, gte: 0.5 }";
    const { code, stderr } = await checkJson(
      (name === "a byte order mark" ? "\uFEFF" : "") + lines.join(eol),
    );
    expect(code).toBe(2);
    expect(stderr).toContain("mlgate.yml:6:");
    expect(stderr).toContain("nowhere");
  });

  it("reads a command's stdout that starts with a byte order mark", async () => {
    const doc = await readCommandSource(
      {
        kind: "command",
        name: "scorer",
        command: [process.execPath, "-e", 'process.stdout.write("\\uFEFF{\\"accuracy\\": 0.93}")'],
        timeoutMs: 30_000,
        maxBytes: 1 << 20,
      },
      { cwd: tmpdir(), env: { PATH: process.env.PATH ?? "" }, fetch: globalThis.fetch },
    );
    expect(doc.format).toBe("json");
    expect(doc.data).toEqual({ accuracy: 0.93 });
  });

  it("refuses a CSV that mixes CRLF, LF and CR line endings rather than misreading its rows", () => {
    const text = "group,rate\r\nF,0.12\nM,0.2\rX,0.3\n";
    const error: unknown = (() => {
      try {
        return parseDocument(text, "csv", { origin: "fairness.csv" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MlgateError);
    expect((error as MlgateError).code).toBe("source.parse");
    expect((error as MlgateError).location?.file).toBe("fairness.csv");
  });
});

describe("files mlgate check reads are size-checked before they are read", () => {
  it("refuses a 4 GiB gates config without reading it", async () => {
    const dir = project({ "mlgate.yml": CONFIG_LINES.join("\n") });
    truncateSync(join(dir, "mlgate.yml"), 4 * 1024 ** 3); // sparse: no disk used
    const started = performance.now();
    const run = await runCli(["check", "--config", "mlgate.yml"], { cwd: dir });
    // A CLI start on a loaded machine, not a read of 4 GiB.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "mlgate.yml: the gates config mlgate.yml is 4096 MiB, more than the 1 MiB it may have",
    );
    expect(run.stderr).toContain("hint: point --config at the gates config itself");
  });

  it("refuses a baseline report over 64 MiB without reading it", async () => {
    const dir = project({
      "mlgate.yml": CONFIG_LINES.join("\n"),
      "metrics.json": '{"accuracy": 0.99, "recall": 0.8}',
      "baseline.json": "{}",
    });
    truncateSync(join(dir, "baseline.json"), 64 * 1024 ** 2 + 1);
    const run = await runCli(["check", "--config", "mlgate.yml", "--baseline", "baseline.json"], {
      cwd: dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "baseline.json: the baseline report baseline.json is 67108865 bytes, more than the 64 MiB it may have",
    );
  });
});

describe("mlgate inspect", () => {
  it("reads a file the user names outside the working directory (only a config's file: is kept inside)", async () => {
    const outside = project({ "metrics.json": '{"accuracy": 0.93}' });
    const cwd = project({});
    const run = await runCli(["inspect", join(outside, "metrics.json")], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("0.93");
  });
});

type HttpSpec = Extract<SourceSpec, { kind: "http" }>;
const SECRET = "s3cr3t-token-value";
const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function httpSpec(url: string, extra: Partial<HttpSpec> = {}): HttpSpec {
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

const TLS = {
  cert: readFileSync("fixtures/hostile/tls/cert.pem"),
  key: readFileSync("fixtures/hostile/tls/key.pem"),
};

/**
 * An HTTPS and a plain HTTP server on 127.0.0.1 (as https://host and http://host are, on ports 443 and
 * 80): a redirect from one to the other keeps the host and changes the scheme.
 */
async function schemeServers(
  handler: (secure: boolean, res: import("node:http").ServerResponse) => void,
): Promise<{ https: number; http: number; seen: Array<{ secure: boolean; headers: IncomingHttpHeaders }> }> {
  const seen: Array<{ secure: boolean; headers: IncomingHttpHeaders }> = [];
  const plain: Server = createHttpServer((req, res) => {
    seen.push({ secure: false, headers: req.headers });
    handler(false, res);
  });
  const secure = createHttpsServer(TLS, (req, res) => {
    seen.push({ secure: true, headers: req.headers });
    handler(true, res);
  });
  await new Promise<void>((done) => plain.listen(0, "127.0.0.1", done));
  await new Promise<void>((done) => secure.listen(0, "127.0.0.1", done));
  closers.push(() => {
    plain.closeAllConnections();
    secure.closeAllConnections();
    plain.close();
    secure.close();
  });
  return {
    https: (secure.address() as AddressInfo).port,
    http: (plain.address() as AddressInfo).port,
    seen,
  };
}

/** The real fetch (undici, as Node's own), trusting the test certificate. */
function trustingFetch(): typeof globalThis.fetch {
  const dispatcher = new Agent({ connect: { ca: TLS.cert } });
  closers.push(() => void dispatcher.close());
  return ((url: string | URL, init?: RequestInit) =>
    undiciFetch(url, { ...(init as object), dispatcher })) as unknown as typeof globalThis.fetch;
}

const httpCtx = (fetch: typeof globalThis.fetch): SourceContext => ({
  cwd: tmpdir(),
  env: { TOKEN: SECRET },
  fetch,
});

async function httpError(source: HttpSpec, fetch = globalThis.fetch): Promise<MlgateError> {
  const error: unknown = await readHttpSource(source, httpCtx(fetch)).catch((e: unknown) => e);
  if (!(error instanceof MlgateError)) throw new Error(`expected an MlgateError, got ${String(error)}`);
  expect(JSON.stringify([error.message, error.hint, error.detail])).not.toContain(SECRET);
  return error;
}

describe("url: sources", () => {
  it("drop the configured headers when a redirect goes from https to http on the same host", async () => {
    const servers = await schemeServers((secure, res) => {
      if (secure) res.writeHead(302, { location: `http://127.0.0.1:${servers.http}/metrics` }).end();
      else res.writeHead(200, { "content-type": "application/json" }).end('{"accuracy": 0.9}');
    });
    const doc = await readHttpSource(
      httpSpec(`https://127.0.0.1:${servers.https}/start`),
      httpCtx(trustingFetch()),
    );
    expect(doc.data).toEqual({ accuracy: 0.9 });
    expect(servers.seen.map((s) => [s.secure, s.headers.authorization ?? null])).toEqual([
      [true, `Bearer ${SECRET}`],
      [false, null],
    ]);
  });

  it.each([
    ["file:", "file:///etc/passwd"],
    ["data:", 'data:application/json,{"accuracy":1}'],
  ])("refuse a redirect to a %s URL", async (_scheme, location) => {
    const server = createHttpServer((_req, res) => res.writeHead(302, { location }).end());
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    closers.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const port = (server.address() as AddressInfo).port;
    const error = await httpError(httpSpec(`http://127.0.0.1:${port}/start`));
    expect(error.code).toBe("source.http");
    expect(error.message).toBe(`http://127.0.0.1:${port}/start answered HTTP 302 without a usable Location`);
    expect(error.message).not.toContain(location);
  });

  it("count the decoded bytes of a compressed body against maxBytes (a gzip bomb is refused)", async () => {
    // 4 MiB of JSON (a value padded with spaces) compresses to a few KiB: under maxBytes on the wire.
    const body = gzipSync(Buffer.from(`{"accuracy": 0.9${" ".repeat(4 * 1024 * 1024)}}`));
    expect(body.length).toBeLessThan(64 * 1024);
    const server = createHttpServer((_req, res) =>
      res
        .writeHead(200, {
          "content-type": "application/json",
          "content-encoding": "gzip",
          "content-length": String(body.length),
        })
        .end(body),
    );
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    closers.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const port = (server.address() as AddressInfo).port;
    const error = await httpError(httpSpec(`http://127.0.0.1:${port}/m`, { maxBytes: 1 << 20 }));
    expect(error.code).toBe("source.too-large");
    expect(error.message).toBe(`the response from http://127.0.0.1:${port}/m is larger than 1048576 bytes`);
  });
});

describe("command: sources", () => {
  it("keep only a tail of a 300 MB stderr flood, in bounded memory and time", async () => {
    // 300 MB to stderr in 1 MiB writes, then a last line, then exit 3. Keeping it all would hold 300 MB;
    // a tail holds 2 KiB, plus the 1 MiB chunks V8 has not collected yet (seen: up to 75 MiB under Node 24).
    const script =
      'const mb = Buffer.alloc(1 << 20, 120); let n = 0; const write = () => { while (n < 300) { n++; if (!process.stderr.write(mb)) return process.stderr.once("drain", write); } process.stderr.write("\\nthe last line\\n", () => process.exit(3)); }; write();';
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const error: unknown = await readCommandSource(
      {
        kind: "command",
        name: "noisy",
        command: [process.execPath, "-e", script],
        timeoutMs: 60_000,
        maxBytes: 1 << 20,
      },
      { cwd: tmpdir(), env: { PATH: process.env.PATH ?? "" }, fetch: globalThis.fetch },
    ).catch((e: unknown) => e);
    clearInterval(sampler);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(peak - before).toBeLessThan(160 * 1024 * 1024);
    expect(error).toBeInstanceOf(MlgateError);
    const failure = error as MlgateError;
    expect(failure.message).toContain("exited with code 3");
    expect(failure.detail?.length).toBeLessThanOrEqual(2048);
    expect(failure.detail).toMatch(/the last line$/);
  }, 60_000);
});
