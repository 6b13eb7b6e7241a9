// DVC metrics files and DVCLive's output: a metrics file (JSON or YAML) read into one measurement per
// value, its keys joined with `/`; the histories DVCLive writes next to it (`plots/metrics/<name>.tsv`
// since DVCLive 1.0, `<dir>/<name>.tsv` beside `<dir>.json` before) attached to the metric of that name.
import { basename, dirname, extname, join } from "node:path";
import { MlgateError } from "../../errors.js";
import type { ContainedFs } from "../../files/contained-fs.js";
import { lineFeeds } from "./dvc-yaml.js";
import { isObject, jsonPointer, keyLocation } from "./json-tree.js";
import { parseJson } from "./json.js";
import { parseHistory } from "./dvc-history.js";
import {
  isMissingText,
  MeasurementNames,
  percentValue,
  type HistoryPoint,
  type Scalar,
  type ToolMeasurement,
} from "./tool.js";
import { insideCwd, isDirectory, isFile, readTreeFile, shownPath } from "./tree.js";
import { parseYaml } from "./yaml.js";

/** What was read: measurements named within their file, each file's content, and the parts refused. */
export interface LiveReading {
  measurements: ToolMeasurement[];
  /** Each file read, by its path relative to the working directory: the parsed metrics, or a history. */
  files: [string, unknown][];
  /** A metric whose history could not be read: its name within the file, and why. */
  broken: { name: string; error: MlgateError }[];
}

/** Nested objects deeper than this are refused: metrics files nest a few levels (split, class). */
const MAX_DEPTH = 64;
/** The extensions DVC reads a metrics directory's files by. */
export const METRICS_EXTENSIONS = new Set([".json", ".yaml", ".yml", ".toml"]);

/** A metrics file, with the histories of a DVCLive directory it lies in. */
export async function readMetricsFile(path: string, files: ContainedFs): Promise<LiveReading> {
  const shown = shownPath(path, files);
  const text = await readTreeFile(path, files);
  const parsed = parseMetrics(text, path, shown);
  const histories = await historiesBeside(path, files);
  return combine(flatten(parsed, shown, text), [[shown, parsed]], histories);
}

/** A DVCLive directory: `metrics.json` and `plots/metrics/`, or (DVCLive 0.x) `*.tsv` and `<dir>.json`. */
export async function readLiveDirectory(
  dir: string,
  files: ContainedFs,
  origin: string,
): Promise<LiveReading> {
  const summary = join(dir, "metrics.json");
  const plots = join(dir, "plots", "metrics");
  if ((await isFile(summary, files)) || (await isDirectory(plots, files))) {
    return readLive((await isFile(summary, files)) ? summary : undefined, plots, files);
  }
  if ((await tsvFiles(dir, false, files)).length > 0) {
    const legacy = `${dir}.json`;
    const inside = (await isFile(legacy, files))
      ? await insideCwd(dirname(dir), basename(legacy), files, origin)
      : undefined;
    return readLive(inside, dir, files);
  }
  throw new MlgateError("source.parse", `${origin} is neither a DVC pipeline nor a DVCLive directory`, {
    location: { file: origin },
    hint: "point the source at a dvc.yaml (or its directory), a DVCLive directory (metrics.json with plots/metrics/), or a metrics file",
  });
}

/** One history file: its metric (the column DVCLive named after it) with every logged value. */
export async function readHistoryFile(path: string, files: ContainedFs): Promise<LiveReading> {
  const shown = shownPath(path, files);
  const history = parseHistory(await readTreeFile(path, files), shown);
  const latest = history.points[history.points.length - 1] as HistoryPoint;
  return {
    measurements: [{ name: history.name, value: latest.value, history: history.points }],
    files: [[shown, history.points]],
    broken: [],
  };
}

async function readLive(
  summary: string | undefined,
  plots: string,
  files: ContainedFs,
): Promise<LiveReading> {
  const histories = await historiesBelow(plots, files, true);
  if (!summary) return combine([], [], histories);
  const shown = shownPath(summary, files);
  const text = await readTreeFile(summary, files);
  const parsed = parseMetrics(text, summary, shown);
  return combine(flatten(parsed, shown, text), [[shown, parsed]], histories);
}

interface Histories {
  found: Map<string, { shown: string; points: HistoryPoint[] }>;
  broken: Map<string, MlgateError>;
}

/** DVCLive ≥ 1 keeps histories in `plots/metrics/` beside metrics.json; 0.x in `<stem>/` beside `<stem>.json`. */
async function historiesBeside(path: string, files: ContainedFs): Promise<Histories> {
  const plots = join(dirname(path), "plots", "metrics");
  if (await isDirectory(plots, files)) return historiesBelow(plots, files, true);
  const legacy = join(dirname(path), basename(path, extname(path)));
  if (extname(path) && (await isDirectory(legacy, files))) return historiesBelow(legacy, files, false);
  return { found: new Map(), broken: new Map() };
}

/** Every `<name>.tsv` below `dir` (only directly in it for DVCLive 0.x), named by its path without `.tsv`. */
async function historiesBelow(dir: string, files: ContainedFs, recursive: boolean): Promise<Histories> {
  const histories: Histories = { found: new Map(), broken: new Map() };
  for (const name of await tsvFiles(dir, recursive, files)) {
    const metric = name.slice(0, -".tsv".length);
    try {
      const path = await insideCwd(dir, name, files, shownPath(dir, files));
      const shown = shownPath(path, files);
      histories.found.set(metric, {
        shown,
        points: parseHistory(await readTreeFile(path, files), shown).points,
      });
    } catch (error) {
      if (!(error instanceof MlgateError)) throw error;
      histories.broken.set(metric, error);
    }
  }
  return histories;
}

/**
 * Every `.tsv` that is not a directory: a link out of the root or a FIFO is listed too, so that reading it
 * refuses it by name instead of leaving it out unseen. Links to directories are never entered.
 */
async function tsvFiles(dir: string, recursive: boolean, files: ContainedFs): Promise<string[]> {
  const entries = await files.list(dir, { recursive }).catch(() => []);
  return entries
    .filter((entry) => entry.name.endsWith(".tsv") && entry.kind !== "directory")
    .map((entry) => entry.path);
}

/** Summary values with their histories; a metric only in a history gets its latest logged value. */
function combine(
  summary: readonly ToolMeasurement[],
  files: [string, unknown][],
  histories: Histories,
): LiveReading {
  const measurements: ToolMeasurement[] = [];
  const named = new Set<string>();
  for (const { name, value } of summary) {
    named.add(name);
    if (histories.broken.has(name)) continue;
    const history = histories.found.get(name);
    measurements.push(history ? { name, value, history: history.points } : { name, value });
  }
  for (const [name, history] of histories.found) {
    files.push([history.shown, history.points]);
    if (named.has(name)) continue;
    const latest = history.points[history.points.length - 1] as HistoryPoint;
    measurements.push({ name, value: latest.value, history: history.points });
  }
  const broken = [...histories.broken].map(([name, error]) => ({ name, error }));
  return { measurements, files, broken };
}

/** A metrics file's content by its extension; DVC reads other extensions as YAML, and so do we. */
export function parseMetrics(text: string, path: string, shown: string): unknown {
  const extension = extname(path).toLowerCase();
  if (extension === ".toml") {
    throw new MlgateError("source.parse", `${shown} is a TOML metrics file, which mlgate does not read`, {
      location: { file: shown },
      hint: "write the metrics as JSON or YAML (DVC reads all three), e.g. json.dump(metrics, f)",
    });
  }
  const looksJson =
    extension === ".json" || (extension !== ".yaml" && extension !== ".yml" && /^\s*[[{]/.test(text));
  const parsed = looksJson
    ? parseJson(text, { origin: shown })
    : parseYaml(lineFeeds(text), { origin: shown });
  if (!isObject(parsed) && !Array.isArray(parsed)) {
    throw new MlgateError(
      "source.parse",
      parsed === null || parsed === undefined
        ? `${shown} is empty`
        : `${shown} holds a single value, not named metrics`,
      {
        location: { file: shown, line: 1, column: 1 },
        hint: 'a metrics file maps names to values: {"accuracy": 0.93}; check that the step writing it finished',
      },
    );
  }
  return parsed;
}

/**
 * One value per leaf, its keys (and list indexes) joined with `/`, in the file's order. `source` is the
 * file's text, to say where a name given twice is written.
 */
export function flatten(parsed: unknown, shown: string, source: string): ToolMeasurement[] {
  const names = new MeasurementNames(shown, "a key");
  // Depth first with an explicit stack: deep nesting cannot overflow the call stack.
  const stack: { path: string[]; value: unknown }[] = children([], parsed).reverse();
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { path, value } = item;
    if (path.length > MAX_DEPTH) {
      throw new MlgateError("source.parse", `${shown} nests values more than ${MAX_DEPTH} levels deep`, {
        location: { file: shown, field: jsonPointer(path) },
        hint: 'write metrics a few levels deep: {"eval": {"acc": 0.9}}',
      });
    }
    if (Array.isArray(value) || isObject(value)) {
      stack.push(...children(path, value).reverse());
      continue;
    }
    names.add(path.join("/"), scalar(value), () => keyLocation(source, shown, path));
  }
  return names.measurements;
}

function children(path: readonly string[], value: unknown): { path: string[]; value: unknown }[] {
  if (Array.isArray(value))
    return value.map((item, index) => ({ path: [...path, String(index)], value: item }));
  if (isObject(value))
    return Object.entries(value).map(([key, item]) => ({ path: [...path, key], value: item }));
  return [];
}

/** As every reader: "NA", "N/A", "None" and "" are no value, "25.59%" is 25.59 on the percent scale. */
function scalar(value: unknown): Scalar {
  if (typeof value === "number" || typeof value === "boolean") return { value };
  if (typeof value === "bigint") return { value: Number(value) };
  if (typeof value !== "string") return { value: null };
  if (isMissingText(value)) return { value: null };
  const percent = percentValue(value);
  return percent === undefined ? { value } : { value: percent, scale: "percent" };
}
