import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../src/errors.js";
import { parseCsv } from "../../src/sources/formats/csv.js";
import { parseJson } from "../../src/sources/formats/json.js";
import { parsePath, selectValue } from "../../src/sources/select.js";
import type { SourceDocument } from "../../src/sources/types.js";

function doc(data: unknown, origin = "reports/metrics.json"): SourceDocument {
  return { source: "eval", origin, format: "json", data, textCells: false };
}

const metrics = doc({
  test: { accuracy: 0.93, f1: 0.9, latency: { p95_ms: 80 } },
  "a/b": { "m~n": 1 },
  "": { "": "empty keys" },
  "v1.2": { score: 0.5 },
  runs: [{ acc: 0.8 }, { acc: 0.85 }],
});

function selectError(document: SourceDocument, path: string): MlgateError {
  try {
    selectValue(document, path);
  } catch (error) {
    if (error instanceof MlgateError) return error;
    throw error;
  }
  throw new Error(`expected ${path} to fail`);
}

describe("selecting a value by path", () => {
  it.each([
    ["test.accuracy", 0.93],
    ["/test/accuracy", 0.93],
    ["test.latency.p95_ms", 80],
    ["/a~1b/m~0n", 1],
    ["//", "empty keys"],
    ["/v1.2/score", 0.5],
    ["runs.1.acc", 0.85],
    ["/runs/0/acc", 0.8],
  ])("reads %s", (path, expected) => {
    expect(selectValue(metrics, path)).toBe(expected);
  });

  it("returns the whole document when there is no path", () => {
    expect(selectValue(metrics, undefined)).toBe(metrics.data);
    expect(selectValue(metrics, "")).toBe(metrics.data);
  });

  it("reads the macro F1 of a real sklearn report by JSON Pointer", async () => {
    const text = await readFile(
      new URL("../../fixtures/real/remla23-team18_classification_report.json", import.meta.url),
      "utf8",
    );
    const report = doc(parseJson(text, { origin: "classification_report.json" }));
    expect(selectValue(report, "/macro avg/f1-score")).toBe(0.7277021394831897);
    expect(selectValue(report, "/1/recall")).toBe(0.6274509803921569);
  });

  it("says which key is missing under which prefix, and suggests the nearest one", () => {
    const error = selectError(metrics, "/test/acuracy");
    expect(error.code).toBe("select.missing");
    expect(error.message).toBe('no key "acuracy" under "/test" in reports/metrics.json');
    expect(error.hint).toBe('did you mean "accuracy"? keys there: "accuracy", "f1", "latency"');
  });

  it("shows prefixes of dotted paths in dotted form", () => {
    expect(selectError(metrics, "test.latency.p99_ms").message).toBe(
      'no key "p99_ms" under "test.latency" in reports/metrics.json',
    );
    expect(selectError(metrics, "tset.accuracy").message).toBe(
      'no key "tset" at the top level of reports/metrics.json',
    );
  });

  it("suggests nothing when no key is close", () => {
    expect(selectError(metrics, "/test/throughput").hint).toBe('keys there: "accuracy", "f1", "latency"');
  });

  it("lists at most ten keys", () => {
    const wide = doc(Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`metric_${i}`, i])));
    expect(selectError(wide, "/nothing").hint).toMatch(/"metric_9" and 4 more$/);
  });

  it("points at the pointer form when a key contains a dot", () => {
    expect(selectError(metrics, "v1.2.score").hint).toBe(
      'the key "v1.2" contains a dot; write the path as a JSON Pointer: "/v1.2/score"',
    );
  });

  it.each(["toString", "__proto__", "constructor", "hasOwnProperty"])(
    "never finds the inherited %s",
    (key) => {
      expect(selectError(metrics, `/test/${key}`).code).toBe("select.missing");
    },
  );

  it("explains that a number has no keys", () => {
    const error = selectError(metrics, "/test/accuracy/value");
    expect(error.code).toBe("select.missing");
    expect(error.message).toBe(
      'no key "value" under "/test/accuracy" in reports/metrics.json: the value at "/test/accuracy" is a number, not an object',
    );
  });

  it.each(["/runs/2/acc", "/runs/01/acc", "/runs/-/acc", "runs.first"])(
    "rejects %s as a list index",
    (path) => {
      const error = selectError(metrics, path);
      expect(error.code).toBe("select.missing");
      expect(error.hint).toBe("the value there is a list of 2; use an index from 0 to 1");
    },
  );

  it("rejects invalid pointer escapes and empty dotted keys", () => {
    expect(() => parsePath("/a~2b")).toThrow(/not a valid JSON Pointer/);
    expect(() => parsePath("test..accuracy")).toThrow(/empty key/);
  });

  it("refuses to pick between CSV rows that share a key, and names the column that tells them apart", async () => {
    const text = await readFile(
      new URL("../../fixtures/real/aequitas_bias_report_output_test_1.csv", import.meta.url),
      "utf8",
    );
    const bias = doc(parseCsv(text, { origin: "bias.csv" }), "bias.csv");
    for (const path of ["/class/tpr", "/class"]) {
      const error = selectError(bias, path);
      expect(error.code).toBe("select.ambiguous");
      expect(error.message).toBe(
        'rows on lines 2 and 3 of bias.csv both have "class" in column "attribute_name"',
      );
      expect(error.hint).toBe("name more key columns with `key: [attribute_name, attribute_value]`");
    }
  });

  it("says so when duplicate rows cannot be told apart by any single column", () => {
    const data = parseCsv("group,rate\nF,0.1\nF,0.1\nF,0.1\n", { origin: "f.csv" });
    const error = selectError(doc(data, "f.csv"), "/F/rate");
    expect(error.message).toBe('rows on lines 2, 3 and 4 of f.csv all have "F" in column "group"');
    expect(error.hint).toMatch(/remove the duplicate rows/);
  });
});
