// No input makes a format reader throw anything but our own error: generated JSON, text, and real
// fixture files cut short or with bytes flipped. Fixed seed in CI; FC_RUNS raises the count for a longer run.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../../src/errors.js";
import { TOOL_FORMATS } from "../../../src/sources/formats/tools.js";

const RUNS = Number(process.env.FC_RUNS ?? 200);
const SEED = Number(process.env.FC_SEED ?? 20261123);

function fixtureTexts(): string[] {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!name.endsWith("PROVENANCE.md") && statSync(path).size < 512 * 1024)
        texts.push(readFileSync(path, "utf8"));
    }
  };
  walk("fixtures/formats");
  return texts;
}

/** Calls `read` and fails the property on anything thrown that is not an MlgateError. */
function readsOrRefuses(read: (text: string) => unknown, text: string): boolean {
  try {
    read(text);
  } catch (error) {
    if (!(error instanceof MlgateError)) throw error;
  }
  return true;
}

const texts = fixtureTexts();
// Valid JSON of every shape, and near-miss structures that look like the tools' files.
const json = fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value));
const damaged = fc
  .tuple(fc.constantFrom(...(texts.length ? texts : ["{}"])), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }))
  .map(([text, cut, at, insert]) => {
    const shortened = text.slice(0, cut % (text.length + 1));
    const position = at % (shortened.length + 1);
    return shortened.slice(0, position) + insert + shortened.slice(position);
  });

describe.each(TOOL_FORMATS.map((format) => [format.name, format] as const))(
  "the %s reader",
  (_name, format) => {
    const read = (text: string) => format.read(text, { origin: "generated" });

    it("throws only MlgateErrors on any JSON value", () => {
      fc.assert(
        fc.property(json, (text) => readsOrRefuses(read, text)),
        { numRuns: RUNS, seed: SEED },
      );
    });

    it("throws only MlgateErrors on real files cut short or spliced", () => {
      fc.assert(
        fc.property(damaged, (text) => readsOrRefuses(read, text)),
        { numRuns: RUNS, seed: SEED },
      );
    });

    it("throws only MlgateErrors on arbitrary text, and detect never throws", () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 300 }), (text) => {
          expect(typeof format.detect("file", text)).toBe("boolean");
          return readsOrRefuses(read, text);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });
  },
);
