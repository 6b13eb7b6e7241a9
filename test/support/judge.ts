// Runs one gate end to end through the real config loader and evaluator, against an in-memory document
// (what a source adapter would hand over), so tests state the spec as value/target/expected tables.
import { stringify } from "yaml";
import { loadConfig } from "../../src/config/load.js";
import { evaluate, type EvaluateOptions } from "../../src/evaluate/evaluate.js";
import type { Report, ReportMeasurement } from "../../src/report/model.js";
import type { SourceDocument } from "../../src/sources/types.js";

export const NOW = new Date("2026-11-23T12:00:00Z");

export interface JudgeOptions {
  /** The value is a CSV cell (text) rather than a typed JSON/YAML value. */
  text?: boolean;
  baseline?: Report;
  now?: Date;
  release?: boolean;
}

/** A config with a single CABC measurement reading `/v` of source `s`. */
export function singleGateConfig(measurement: Record<string, unknown>): string {
  return stringify({
    version: 1,
    sources: { s: { file: "data.json" } },
    conformity: {
      name: "Spec",
      dimensions: [
        {
          name: "Dim",
          requirements: [
            {
              name: "Req",
              metrics: [
                {
                  name: "Met",
                  measurements: [
                    { name: "m", assessmentInterface: { source: "s", path: "/v" }, ...measurement },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  });
}

export function reportFor(config: string, data: unknown, options: JudgeOptions = {}): Report {
  const spec = loadConfig(config, "mlgate.yml");
  const doc: SourceDocument = {
    source: "s",
    origin: "data.json",
    format: options.text ? "csv" : "json",
    data,
    textCells: options.text === true,
  };
  const evaluateOptions: EvaluateOptions = {
    now: options.now ?? NOW,
    tool: "mlgate test",
    run: { repository: "acme/models", sha: "abc123", ref: "refs/heads/main" },
    release: options.release === true,
    ...(options.baseline ? { baseline: { report: options.baseline, ref: "baseline.json" } } : {}),
  };
  return evaluate(spec, new Map([["s", doc]]), evaluateOptions);
}

export function judge(
  measurement: Record<string, unknown>,
  value: unknown,
  options: JudgeOptions = {},
): ReportMeasurement {
  const report = reportFor(singleGateConfig(measurement), { v: value }, options);
  const only = report.measurements[0];
  if (!only) throw new Error("no measurement in report");
  return only;
}
