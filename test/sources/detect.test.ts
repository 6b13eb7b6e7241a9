import { describe, expect, it } from "vitest";
import { MlgateError } from "../../src/errors.js";
import { detectFormatName } from "../../src/sources/formats/detect.js";
import { detectFormat, FORMAT_ADAPTERS, parseDocument } from "../../src/sources/formats/index.js";

/** How often `detect` looks at the file name: every property read of it, counted through a proxy. */
function looksAtName(
  detect: (fileName: string, text: string) => unknown,
  fileName: string,
  text: string,
): number {
  let looks = 0;
  const name = new Proxy(new String(fileName), {
    get(target, key) {
      looks++;
      const value: unknown = Reflect.get(target, key);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  detect(name as unknown as string, text);
  return looks;
}

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

  it.each([
    ["results.txt", "group,rate\nF,0.1\n"],
    ["out", "accuracy: 0.9\n"],
  ])("detects the format of %s in one look, not one per adapter", (fileName, text) => {
    expect(looksAtName(detectFormat, fileName, text)).toBe(looksAtName(detectFormatName, fileName, text));
    expect(detectFormat(fileName, text)).toBe(detectFormatName(fileName, text));
  });

  it.each(["json", "yaml", "csv"] as const)("calls an empty %s document an error", (format) => {
    expect(() => parseDocument(" \n", format, { origin: "out" })).toThrow(MlgateError);
  });
});
