import { describe, expect, it } from "vitest";
import { MlgateError } from "../../src/errors.js";
import { parseYaml, yamlFormat } from "../../src/sources/formats/yaml.js";
import { thrownBy } from "../support/thrown.js";

const parse = (text: string) => parseYaml(text, { origin: "metrics.yaml" });

const parseError = (text: string): MlgateError => thrownBy(() => parse(text));

describe("YAML metric files", () => {
  it("reads nested metrics with typed scalars", () => {
    const { data, textCells } = yamlFormat.parse(
      "test:\n  accuracy: 0.93\n  passed: true\n  model: resnet\n",
      {
        origin: "metrics.yaml",
      },
    );
    expect(textCells).toBe(false);
    expect(data).toEqual({ test: { accuracy: 0.93, passed: true, model: "resnet" } });
  });

  it("reads .nan and .inf as NaN and Infinity", () => {
    expect(parse("loss: .nan\nppl: .inf\nlow: -.inf\n")).toEqual({
      loss: NaN,
      ppl: Infinity,
      low: -Infinity,
    });
  });

  it("points at the line and column of a key written twice", () => {
    const error = parseError("accuracy: 0.9\nf1: 0.8\naccuracy: 0.7\n");
    expect(error.code).toBe("source.parse");
    expect(error.location).toEqual({ file: "metrics.yaml", line: 3, column: 1 });
    expect(error.hint).toMatch(/appears twice/);
  });

  it("points at the line of broken indentation without quoting the file", () => {
    const error = parseError("test:\n  accuracy: 0.9123\n f1: 0.8\n");
    expect(error.location).toMatchObject({ line: 3 });
    expect(error.message).not.toContain("0.9123");
  });

  it("refuses an alias bomb", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (const [from, to] of [
      ["a", "b"],
      ["b", "c"],
      ["c", "d"],
      ["d", "e"],
    ]) {
      lines.push(
        `${to}: &${to} [*${from}, *${from}, *${from}, *${from}, *${from}, *${from}, *${from}, *${from}, *${from}, *${from}]`,
      );
    }
    const error = parseError(lines.join("\n"));
    expect(error.code).toBe("source.parse");
    expect(error.message).toMatch(/alias count/);
  });

  it("refuses a document needing 60 alias expansions: our cap (50) is below the yaml package's (100)", () => {
    const text = ["base: &v 0.9", ...Array.from({ length: 60 }, (_, i) => `m${i}: *v`)].join("\n");
    const error = parseError(text);
    expect(error.code).toBe("source.parse");
    expect(error.message).toBe("invalid YAML: the alias count exceeds the limit of 50 expansions");
  });

  it.each([
    ["an invalid escape", 'token: "\\q7Zk"\n', "a double-quoted string contains an invalid escape sequence"],
    [
      "a reserved first character",
      "score: @0.97131\n",
      "a plain value starts with a reserved character; quote it",
    ],
    [
      "an alias without an anchor",
      "score: *best_0_97131\n",
      "an alias refers to no anchor defined before it",
    ],
  ])("describes %s in its own words, leaving the parser's to detail", (_name, text, words) => {
    const error = parseError(text);
    expect(error.message).toBe(`invalid YAML: ${words}`);
    expect(`${error.message} ${error.hint ?? ""}`).not.toMatch(/\\q|@|97131/);
    expect(error.detail).toMatch(/\\q|@|97131/);
  });

  it("refuses a file with several documents", () => {
    expect(parseError("a: 1\n---\nb: 2\n").location).toMatchObject({ line: 2 });
  });

  it("keeps a __proto__ key as data without touching any prototype", () => {
    const data = parse("__proto__:\n  polluted: true\n") as Record<string, unknown>;
    expect(Object.hasOwn(data, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
