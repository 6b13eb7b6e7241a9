// Weights & Biases run summaries (`wandb-summary.json`: the last value of every key a run logged) read
// into one measurement per key, named as logged: `train/loss`, `F1 Score`, `_step`, `_runtime`. Nested
// objects are joined with "." as the W&B runs table shows them (`_wandb.runtime`, `eval.acc`), list items
// by index (`sizes.0`). A logged table (`{"_type": "table-file", …}`) becomes `<key>/nrows` and
// `<key>/ncols`; histograms, images and other media hold no number to gate on and are left out.
import { MlgateError } from "../../errors.js";
import { parseJson } from "./json.js";
import { parseQuietly, jsonPointer } from "./json-tree.js";
import { isMissingText, percentValue, type ToolFormat, type ToolMeasurement } from "./tool.js";

/** Nested objects deeper than this are refused: a summary is flat but for `_wandb` and logged dicts. */
const MAX_DEPTH = 64;

export const wandbFormat: ToolFormat = {
  name: "wandb",
  title: "Weights & Biases",
  detect: (fileName, text) => {
    if (baseName(fileName) === "wandb-summary.json") return true;
    // Cheap text checks first; the JSON is parsed only when W&B's own keys appear in it.
    if (!/^\uFEFF?\s*\{/.test(text)) return false;
    const hasWandb = /"_wandb"\s*:\s*\{/.test(text);
    if (!hasWandb && !(/"_step"\s*:/.test(text) && /"_runtime"\s*:/.test(text))) return false;
    const summary = parseQuietly(text);
    if (!isRecord(summary)) return false;
    return (
      isRecord(summary["_wandb"]) ||
      (typeof summary["_step"] === "number" && typeof summary["_runtime"] === "number")
    );
  },
  read: (text, { origin }) => readSummary(text, origin),
};

function readSummary(text: string, origin: string): ToolMeasurement[] {
  const summary = parseJson(text, { origin });
  if (!isRecord(summary)) {
    throw new MlgateError("source.parse", "expected a W&B run summary: a JSON object keyed by metric", {
      location: { file: origin, line: 1, column: 1 },
      hint: "format: wandb reads the wandb-summary.json of a run (wandb/latest-run/files/wandb-summary.json)",
    });
  }
  const measurements: ToolMeasurement[] = [];
  const paths = new Map<string, readonly string[]>();
  const add = (name: string, path: readonly string[], measurement: Omit<ToolMeasurement, "name">) => {
    const first = paths.get(name);
    if (first !== undefined) {
      throw new MlgateError(
        "source.parse",
        `two keys of the summary are both named ${JSON.stringify(name)}`,
        {
          location: { file: origin, field: jsonPointer(path) },
          hint: `${jsonPointer(first)} and ${jsonPointer(path)} give the same name (nested keys are joined with "."); log one of them under another key`,
        },
      );
    }
    paths.set(name, path);
    measurements.push({ name, ...measurement });
  };
  // Depth first with an explicit stack, in the file's order: deep nesting cannot overflow the call stack.
  const stack: { name: string; path: string[]; value: unknown }[] = Object.entries(summary)
    .map(([key, value]) => ({ name: key, path: [key], value }))
    .reverse();
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { name, path, value } = item;
    if (path.length > MAX_DEPTH) {
      throw new MlgateError("source.parse", `the summary nests objects more than ${MAX_DEPTH} levels deep`, {
        location: { file: origin, field: jsonPointer(path) },
        hint: "log flat keys (wandb.log({'eval/acc': acc})); W&B summaries nest only logged dicts",
      });
    }
    const media = isRecord(value) ? value["_type"] : undefined;
    if (isRecord(value) && typeof media === "string") {
      for (const [suffix, measurement] of mediaMeasurements(media, value)) {
        add(`${name}/${suffix}`, [...path, suffix], measurement);
      }
      continue;
    }
    if (Array.isArray(value) || isRecord(value)) {
      const children = Object.entries(value).map(([key, child]) => ({
        name: `${name}.${key}`,
        path: [...path, key],
        value: child,
      }));
      stack.push(...children.reverse());
      continue;
    }
    add(name, path, scalar(value));
  }
  return measurements;
}

/** A logged table's row and column counts; nothing for histograms, images and other media. */
function mediaMeasurements(
  type: string,
  media: Record<string, unknown>,
): [string, Omit<ToolMeasurement, "name">][] {
  if (type !== "table-file") return [];
  const counts: [string, Omit<ToolMeasurement, "name">][] = [];
  for (const key of ["nrows", "ncols"] as const) {
    const count = media[key];
    if (typeof count === "number") counts.push([key, { value: count }]);
  }
  return counts;
}

/** A summary value: numbers (NaN and Infinity kept), booleans, null, text read for "25%" or "N/A". */
function scalar(value: unknown): Omit<ToolMeasurement, "name"> {
  if (typeof value === "string") {
    const percent = percentValue(value);
    if (percent !== undefined) return { value: percent, scale: "percent" };
    return { value: isMissingText(value) ? null : value };
  }
  if (typeof value === "number" || typeof value === "boolean") return { value };
  return { value: null };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf("/"), fileName.lastIndexOf("\\")) + 1);
}
