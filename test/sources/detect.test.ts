import { describe, expect, it } from "vitest";
import { MlgateError } from "../../src/errors.js";
import { detectFormat, FORMAT_ADAPTERS, parseDocument } from "../../src/sources/formats/index.js";

describe("format detection", () => {
  it.each([
    ["reports/metrics.json", "a: 1", "json"],
    ["metrics.YAML", "{}", "yaml"],
    ["params.yml", "", "yaml"],
    ["fairness.csv", "{", "csv"],
    ["history.tsv", "step\tacc\n1\t0.9\n", "csv"],
  ] as const)("trusts the extension of %s over its content", (fileName, text, format) => {
    expect(detectFormat(fileName, text)).toBe(format);
  });

  it.each([
    ['  \n {"accuracy": 0.9}', "json"],
    ["\uFEFF[1, 2]", "json"],
    ["group,rate\nF,0.1\nM,0.2\n", "csv"],
    ["group;rate\r\nF;0,1\r\n", "csv"],
    ["accuracy: 0.9\nf1: 0.8\n", "yaml"],
    ["labels: [cat, dog]\nacc: 0.9\n", "yaml"],
    ["a,b,c\n", "yaml"],
  ] as const)("sniffs content without a known extension: %j is %s", (text, format) => {
    expect(detectFormat("", text)).toBe(format);
    expect(detectFormat("results.txt", text)).toBe(format);
  });

  it("has exactly one adapter that claims each detected format", () => {
    for (const text of ['{"a": 1}', "a,b\n1,2\n", "a: 1\n"]) {
      expect(FORMAT_ADAPTERS.filter((adapter) => adapter.detect("out.txt", text))).toHaveLength(1);
    }
  });

  it.each(["json", "yaml", "csv"] as const)("calls an empty %s document an error", (format) => {
    expect(() => parseDocument(" \n", format, { origin: "out" })).toThrow(MlgateError);
  });
});
