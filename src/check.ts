// The one call every adapter makes: config text -> sources read once -> evaluation -> report.
// Everything from the outside world (files, env, fetch, clock) comes in as arguments.
import { loadConfig } from "./config/load.js";
import type { SourceSpec } from "./config/model.js";
import { MlgateError } from "./errors.js";
import { dueGates, evaluate, type EvaluateOptions } from "./evaluate/evaluate.js";
import { Report } from "./report/model.js";
import { readSources } from "./sources/read.js";
import type { SourceContext } from "./sources/types.js";

export interface CheckInput extends EvaluateOptions {
  configText: string;
  /** The config's path as the user gave it; used in messages and annotations. */
  configFile: string;
  sources: SourceContext;
}

export async function runCheck(input: CheckInput): Promise<Report> {
  const spec = loadConfig(input.configText, input.configFile);
  const needed = new Map<string, SourceSpec>();
  for (const gate of dueGates(spec, input)) {
    const source = spec.sources[gate.source];
    if (source) needed.set(source.name, source);
  }
  const documents = await readSources([...needed.values()], input.sources);
  // A program's own output (stderr) may print anything, confidential values included: keep it out of the
  // report for every source that a confidential gate reads.
  for (const gate of spec.gates) {
    const result = documents.get(gate.source);
    if (gate.confidential && result instanceof MlgateError)
      documents.set(gate.source, result.withoutDetail());
  }
  return evaluate(spec, documents, input);
}

/** A baseline is an earlier mlgate.report/v1; anything else is refused with the reason. */
export function parseBaselineReport(text: string, file: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new MlgateError("baseline.invalid", `the baseline is not JSON: ${(error as Error).message}`, {
      location: { file },
      hint: "pass a report written by `mlgate check --format json --output <file>`",
    });
  }
  const result = Report.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new MlgateError(
      "baseline.invalid",
      `the baseline is not an mlgate.report/v1: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? ""}`,
      {
        location: { file },
        hint: "pass a report written by `mlgate check --format json --output <file>`",
      },
    );
  }
  return result.data;
}
