import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../src/errors.js";
import { jsonFormat, parseJson } from "../../src/sources/formats/json.js";
import { thrownBy } from "../support/thrown.js";

const real = (name: string) => new URL(`../../fixtures/real/${name}`, import.meta.url);
const parse = (text: string) => parseJson(text, { origin: "metrics.json" });

const parseError = (text: string): MlgateError => thrownBy(() => parse(text));

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

  it("tells a string that ends in an escaped backslash from one that goes on past NaN", () => {
    expect(parse('{"a\\\\": NaN, "b": "x\\"NaN\\\\", "c": [Infinity, "-Infinity", -Infinity]}')).toEqual({
      "a\\": NaN,
      b: 'x"NaN\\',
      c: [Infinity, "-Infinity", -Infinity],
    });
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

  it("refuses a key written twice in one object, pointing at the second", () => {
    // An evaluation script that appended the test accuracy after writing the validation one.
    const text = [
      "{",
      '  "model": "distilbert-base-uncased",',
      '  "eval": {',
      '    "accuracy": 0.8812,',
      '    "f1": 0.8731,',
      '    "loss": NaN,',
      '    "accuracy": 0.9534',
      "  }",
      "}",
    ].join("\n");
    const error = parseError(text);
    expect(error.code).toBe("source.parse");
    expect(error.message).toBe("invalid JSON: a key appears twice in the same object");
    expect(error.location).toEqual({ file: "metrics.json", line: 7, column: 5 });
    expect(error.hint).toMatch(/^keep one of the two \(the first is on line 4, column 5\)/);
    expect(`${error.message} ${error.hint ?? ""}`).not.toMatch(/0\.8812|0\.9534/);
  });

  it.each([
    ["after Infinity and a string holding a quote", '{"a": Infinity, "b": "x\\"y", "a": 1}', 1, 30],
    ["written with an escape", '{"acc": 0.5, "\\u0061cc": 0.95}', 1, 14],
    ["in a nested object", '{"runs": [{"acc": 1}, {"acc": 2, "acc": 3}]}', 1, 34],
  ])("finds a repeated key %s", (_name, text, line, column) => {
    expect(parseError(text).location).toEqual({ file: "metrics.json", line, column });
  });

  it("allows the same key in different objects", () => {
    expect(parse('{"val": {"acc": 0.9}, "test": {"acc": 0.8}, "runs": [{"acc": 1}, {"acc": 2}]}')).toEqual({
      val: { acc: 0.9 },
      test: { acc: 0.8 },
      runs: [{ acc: 1 }, { acc: 2 }],
    });
  });

  it("still reads every real JSON fixture", async () => {
    const dir = new URL("../../fixtures/real/", import.meta.url);
    const names = (await readdir(dir)).filter((name) => name.endsWith(".json"));
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const name of names) {
      expect(parse(await readFile(new URL(name, dir), "utf8"))).toBeTypeOf("object");
    }
  });

  it("does not quote the offending character in its message", () => {
    const error = parseError('{"model": "resnet", "code": X7Q2}');
    expect(error.message).toBe("invalid JSON: expected a value");
    expect(error.location).toMatchObject({ line: 1, column: 29 });
  });

  it("reports deeply nested unclosed input as a parse error, not a crash", () => {
    expect(parseError("[".repeat(200_000)).code).toBe("source.parse");
  });
});
