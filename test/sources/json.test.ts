import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../src/errors.js";
import { jsonFormat, parseJson } from "../../src/sources/formats/json.js";

const real = (name: string) => new URL(`../../fixtures/real/${name}`, import.meta.url);
const parse = (text: string) => parseJson(text, { origin: "metrics.json" });

function parseError(text: string): MlgateError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof MlgateError) return error;
    throw error;
  }
  throw new Error("expected a parse error");
}

describe("JSON metric files", () => {
  it("reads an sklearn classification report with its numbers as numbers", async () => {
    const text = await readFile(real("remla23-team18_classification_report.json"), "utf8");
    const { data, textCells } = jsonFormat.parse(text, { origin: "report.json" });
    expect(textCells).toBe(false);
    expect(data).toMatchObject({
      accuracy: 0.7277777777777777,
      "macro avg": { "f1-score": 0.7277021394831897, support: 180 },
      "0": { precision: 0.638095238095238 },
    });
  });

  it("reads Python's bare NaN and Infinity as the numbers NaN and Infinity", async () => {
    const text = await readFile(real("lm-eval-v0.4_gpt-4o-mini_NaN-Infinity_results.json"), "utf8");
    const data = parse(text) as { results: Record<string, Record<string, unknown>> };
    const polymer = data.results["polymer_tg_prediction"];
    expect(polymer?.["mae,none"]).toBe(Infinity);
    expect(polymer?.["mae_stderr,none"]).toBeNaN();
    expect(data.results["pxrd_lattice_prediction"]?.["mae,none"]).toBe(3.9685864222222222);
  });

  it("reads -Infinity and leaves the words NaN and Infinity inside strings alone", () => {
    expect(parse('{"low": -Infinity, "note": "NaN or Infinity?", "q\\"NaN": [NaN]}')).toEqual({
      low: -Infinity,
      note: "NaN or Infinity?",
      'q"NaN': [NaN],
    });
  });

  it("ignores a UTF-8 byte order mark", () => {
    expect(parse('\uFEFF{"accuracy": 0.9}')).toEqual({ accuracy: 0.9 });
  });

  it("keeps a __proto__ key as data without touching any prototype", () => {
    const data = parse('{"__proto__": {"polluted": true}, "constructor": 1}') as Record<string, unknown>;
    expect(Object.hasOwn(data, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(data["constructor"]).toBe(1);
  });

  it.each([
    ["an unexpected token", '{"a": 1,\n  "b": }', 2, 8],
    ["a missing comma", '{"a": 1\n "b": 2}', 2, 2],
    ["an error after a NaN on the same line", '{"a": NaN, "b": x}', 1, 17],
    ["an error on a line after Infinity", '{"a": Infinity,\n "b": nope}', 2, 7],
    ["a bad escape in a string", '{"a": "\\q"}', 1, 9],
    ["a leading zero", "[01]", 1, 3],
  ])("points at line and column for %s", (_name, text, line, column) => {
    const error = parseError(text);
    expect(error.code).toBe("source.parse");
    expect(error.location).toEqual({ file: "metrics.json", line, column });
  });

  it("says a truncated file ends early, pointing at its end", () => {
    const error = parseError('{\n  "accuracy": 0.9,\n  "f1": ');
    expect(error.location).toMatchObject({ line: 3, column: 9 });
    expect(error.hint).toMatch(/ends early/);
  });

  it("does not quote the document in its error message", () => {
    const error = parseError('{"secret_score": 0.123456789, oops}');
    expect(error.message).not.toContain("0.123456789");
    expect(error.message).toMatch(/^invalid JSON: /);
  });

  it("reports deeply nested unclosed input as a parse error, not a crash", () => {
    expect(parseError("[".repeat(200_000)).code).toBe("source.parse");
  });
});
