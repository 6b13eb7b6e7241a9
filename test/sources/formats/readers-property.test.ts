// No input makes a format reader throw anything but our own error: generated JSON, text, and real
// fixture files cut short or with bytes flipped. Fixed seed in CI; FC_RUNS raises the count for a longer run.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../../src/errors.js";
import { ContainedFs } from "../../../src/files/contained-fs.js";
import { mlflowFormat, parseMetricFile } from "../../../src/sources/formats/mlflow.js";
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
/** One of `samples`, cut short at a random place and with a few random characters spliced in. */
function damage(samples: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...(samples.length ? samples : ["{}"])),
      fc.nat(),
      fc.nat(),
      fc.string({ maxLength: 8 }),
    )
    .map(([text, cut, at, insert]) => {
      const shortened = text.slice(0, cut % (text.length + 1));
      const position = at % (shortened.length + 1);
      return shortened.slice(0, position) + insert + shortened.slice(position);
    });
}
const damaged = damage(texts);

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

describe("the mlflow reader", () => {
  const runDir = "fixtures/formats/mlflow/packt-dl-at-scale-ch08/mlruns/1/d01fc81e11e842f5b9556ae04136c0d3";
  const metricTexts = readdirSync(join(runDir, "metrics")).map((name) =>
    readFileSync(join(runDir, "metrics", name), "utf8"),
  );
  const metricLike = damage(metricTexts);

  it("throws only MlgateErrors on any metric file text", () => {
    fc.assert(
      fc.property(fc.oneof(metricLike, fc.string({ maxLength: 200 })), (text) =>
        readsOrRefuses((t) => parseMetricFile(t, "generated"), text),
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("throws only MlgateErrors on a run whose meta.yaml, metric and param files hold anything", async () => {
    const meta = readFileSync(join(runDir, "meta.yaml"), "utf8");
    const damagedMeta = fc
      .tuple(fc.nat(), fc.string({ maxLength: 12 }))
      .map(
        ([at, insert]) => meta.slice(0, at % (meta.length + 1)) + insert + meta.slice(at % (meta.length + 1)),
      );
    const root = mkdtempSync(join(tmpdir(), "mlgate-mlflow-property-"));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(damagedMeta, fc.string({ maxLength: 200 })),
        metricLike,
        fc.string({ maxLength: 50 }),
        async (metaText, metricText, param) => {
          const dir = mkdtempSync(join(root, "run-"));
          mkdirSync(join(dir, "metrics"));
          mkdirSync(join(dir, "params"));
          writeFileSync(join(dir, "meta.yaml"), metaText);
          writeFileSync(join(dir, "metrics", "loss"), metricText);
          writeFileSync(join(dir, "params", "lr"), param);
          try {
            await mlflowFormat.read(dir, { origin: "generated", files: await ContainedFs.open(root) });
          } catch (error) {
            if (!(error instanceof MlgateError)) throw error;
          }
          return true;
        },
      ),
      { numRuns: Math.min(RUNS, 100), seed: SEED },
    );
  });
});
