// lm-evaluation-harness results files (`lm_eval --output_path`, v0.3 and v0.4) as named measurements.
// A name is the harness's own keys joined by "/", written as they are: `results/<task>/<metric>` (v0.3),
// `results/<task>/<metric>,<filter>` and `groups/<group>/<metric>,<filter>` (v0.4), plus
// `higher_is_better/<task>/<metric>`, `n-shot/<task>` and `n-samples/<task>/<original|effective>`.
// Aliases (" - humanities") are display text and never names; the task key is.
import { MlgateError, type Location } from "../../errors.js";
import { parseJson } from "./json.js";
import { isObject, keyLocation, objectEntries, own, type JsonObject } from "./json-tree.js";
import {
  isMissingText,
  MeasurementNames,
  percentValue,
  type Scalar,
  type ToolFormat,
  type ToolMeasurement,
} from "./tool.js";

/** Top-level keys only the harness writes next to `results`; one of them must be there to claim a file. */
const HARNESS_KEYS = ['"versions"', '"n-shot"', '"group_subtasks"', '"configs"', '"higher_is_better"'];

export const lmEvalFormat: ToolFormat = {
  name: "lm-eval",
  title: "lm-evaluation-harness",
  detect: (fileName, text) => {
    // Cheap text checks first: most files are refused without being parsed.
    if (!/^\uFEFF?\s*\{/.test(text) || !text.includes('"results"')) return false;
    if (!HARNESS_KEYS.some((key) => text.includes(key))) return false;
    const root = parsedOrUndefined(text, fileName);
    return root !== undefined && isHarnessResults(root);
  },
  read: (text, { origin }) => readLmEval(text, origin),
};

function parsedOrUndefined(text: string, origin: string): unknown {
  try {
    return parseJson(text, { origin });
  } catch {
    return undefined;
  }
}

/**
 * `results` holding at least one task object, next to what only the harness writes: v0.4's `n-shot`,
 * `group_subtasks`, `configs` or `higher_is_better`, or v0.3's `versions` with `config`.
 */
function isHarnessResults(root: unknown): boolean {
  if (!isObject(root)) return false;
  const results = own(root, "results");
  if (!isObject(results) || !Object.values(results).some(isObject)) return false;
  return (
    ["n-shot", "group_subtasks", "configs", "higher_is_better"].some((key) => isObject(own(root, key))) ||
    (isObject(own(root, "versions")) && isObject(own(root, "config")))
  );
}

function readLmEval(text: string, origin: string): ToolMeasurement[] {
  const root = parseJson(text, { origin });
  const source = text.replace(/^\uFEFF/, "");
  const at = (path: readonly string[]): Location => keyLocation(source, origin, path);
  if (!isObject(root)) {
    throw new MlgateError("source.parse", "an lm-evaluation-harness results file is a JSON object", {
      location: { file: origin, line: 1, column: 1 },
      hint: "point the source at the results_<date>.json that `lm_eval --output_path` writes, not a samples file",
    });
  }
  const results = own(root, "results");
  if (!isObject(results)) {
    throw new MlgateError("source.parse", "the file has no `results` object of tasks", {
      location: Object.hasOwn(root, "results") ? at(["results"]) : { file: origin, line: 1, column: 1 },
      hint: 'an lm-evaluation-harness results file has `"results": {"<task>": {"<metric>": value}}`',
    });
  }
  const names = new MeasurementNames(origin, "a task or metric");
  readTaskTable(names, "results", results, at);
  if (names.measurements.length === 0) {
    throw new MlgateError("source.parse", "the `results` object holds no task results", {
      location: at(["results"]),
      hint: "check that the evaluation ran its tasks; a run that evaluated nothing writes an empty `results`",
    });
  }
  const groups = own(root, "groups");
  if (groups !== undefined && groups !== null) {
    if (!isObject(groups)) {
      throw new MlgateError("source.parse", "`groups` is not an object of groups", {
        location: at(["groups"]),
        hint: 'the harness writes `"groups": {"<group>": {"<metric>,<filter>": value}}`',
      });
    }
    readTaskTable(names, "groups", groups, at);
  }
  readOptionalSections(names, root, at);
  return names.measurements;
}

/** `results` or `groups`: one object per task, every key but `alias` a metric with one value. */
function readTaskTable(
  names: MeasurementNames,
  section: string,
  tasks: JsonObject,
  at: (path: readonly string[]) => Location,
): void {
  for (const [task, metrics] of Object.entries(tasks)) {
    if (!isObject(metrics)) {
      throw new MlgateError(
        "source.parse",
        `the ${section} of ${JSON.stringify(task)} are not an object of metrics`,
        {
          location: at([section, task]),
          hint: `the harness writes \`"${section}": {"<task>": {"<metric>": value}}\`; check that the file was not edited by hand`,
        },
      );
    }
    for (const [metric, value] of Object.entries(metrics)) {
      if (metric === "alias") continue;
      const scalar = jsonScalar(value);
      if (scalar === undefined) {
        throw new MlgateError(
          "source.parse",
          `the ${section} of ${JSON.stringify(task)} hold a list or an object as ${JSON.stringify(metric)}`,
          {
            location: at([section, task, metric]),
            hint: 'every metric of a task is one number (or a string such as "N/A"); check that the file was not edited by hand',
          },
        );
      }
      names.add(`${section}/${task}/${metric}`, scalar, () => at([section, task, metric]));
    }
  }
}

/**
 * What the harness reports about the run rather than measures: read where it has the expected shape and
 * left out where it does not, so that a new harness version never refuses a file over them.
 */
function readOptionalSections(
  names: MeasurementNames,
  root: JsonObject,
  at: (path: readonly string[]) => Location,
): void {
  for (const [task, metrics] of objectEntries(own(root, "higher_is_better"))) {
    for (const [metric, higher] of objectEntries(metrics)) {
      if (typeof higher === "boolean") {
        names.add(`higher_is_better/${task}/${metric}`, { value: higher }, () =>
          at(["higher_is_better", task, metric]),
        );
      }
    }
  }
  for (const [task, shots] of objectEntries(own(root, "n-shot"))) {
    if (typeof shots === "number") names.add(`n-shot/${task}`, { value: shots }, () => at(["n-shot", task]));
  }
  for (const [task, counts] of objectEntries(own(root, "n-samples"))) {
    for (const [kind, count] of objectEntries(counts)) {
      if (typeof count === "number") {
        names.add(`n-samples/${task}/${kind}`, { value: count }, () => at(["n-samples", task, kind]));
      }
    }
  }
}

/** A JSON leaf as a measurement value: "N/A" and other missing spellings are null, "25%" is 25 percent. */
function jsonScalar(value: unknown): Scalar | undefined {
  if (value === null || typeof value === "number" || typeof value === "boolean") return { value };
  if (typeof value !== "string") return undefined;
  if (isMissingText(value)) return { value: null };
  const percent = percentValue(value);
  return percent === undefined ? { value } : { value: percent, scale: "percent" };
}
