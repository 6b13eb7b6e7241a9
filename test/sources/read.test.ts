import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { SourceSpec } from "../../src/config/model.js";
import { MlgateError } from "../../src/errors.js";
import { ContainedFs } from "../../src/files/contained-fs.js";
import { readSource, readSources } from "../../src/sources/read.js";
import type { SourceContext, SourceDocument } from "../../src/sources/types.js";

const cwd = fileURLToPath(new URL("../../fixtures/real/", import.meta.url));
const ctx: SourceContext = { cwd, env: {}, fetch: globalThis.fetch };

const report: SourceSpec = {
  kind: "file",
  name: "report",
  file: "remla23-team18_classification_report.json",
};
const missing: SourceSpec = { kind: "file", name: "eval", file: "reports/metrics.json" };
const scorer: SourceSpec = {
  kind: "command",
  name: "scorer",
  command: [process.execPath, "-e", 'console.log("{\\"auc\\": 0.8}")'],
  timeoutMs: 10_000,
  maxBytes: 1 << 20,
};

describe("reading all sources of a run", () => {
  it("reads every source and turns an unreadable one into its error, so the others still count", async () => {
    const results = await readSources([report, missing, scorer], ctx);
    expect([...results.keys()]).toEqual(["report", "eval", "scorer"]);
    expect((results.get("report") as SourceDocument).format).toBe("sklearn");
    expect((results.get("scorer") as SourceDocument).data).toEqual({ auc: 0.8 });
    const error = results.get("eval");
    expect(error).toBeInstanceOf(MlgateError);
    expect((error as MlgateError).code).toBe("source.not-found");
  });

  it("reads a source named twice only once", async () => {
    let calls = 0;
    const counting: SourceContext = {
      ...ctx,
      fetch: async () => {
        calls++;
        return new Response('{"ok": true}', { status: 200 });
      },
    };
    const http: SourceSpec = {
      kind: "http",
      name: "tracker",
      url: "https://mlflow.example/x",
      headers: {},
      timeoutMs: 1000,
      maxBytes: 1000,
    };
    const results = await readSources([http, http], counting);
    expect(results.size).toBe(1);
    expect(calls).toBe(1);
  });

  it("lets a bug surface instead of disguising it as a source error", async () => {
    const broken: SourceContext = {
      ...ctx,
      fetch: () => Promise.reject(new RangeError("bug in our code")),
    };
    const http: SourceSpec = {
      kind: "http",
      name: "tracker",
      url: "https://mlflow.example/x",
      headers: {},
      timeoutMs: 1000,
      maxBytes: 1000,
    };
    await expect(readSources([report, http], broken)).rejects.toThrow(RangeError);
  });

  it("dispatches a single source by kind", async () => {
    expect((await readSource(report, ctx, await ContainedFs.open(cwd))).origin).toBe(
      "remla23-team18_classification_report.json",
    );
  });
});
