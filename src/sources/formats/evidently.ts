// Evidently's JSON output read into named measurements: the legacy Report (0.3–0.4 `.json()`/`.as_dict()`,
// `metrics: [{metric, result}]`), the legacy TestSuite (`tests: [{name, status, ...}]`, `summary`) and the
// 0.7 Report (`metrics: [{id, metric_id, value}]`, `tests`). Names (docs/formats/evidently.md):
//   metrics/<metric>[(column_name=<c>)]/<key>/...  every number, boolean, null of a legacy result
//   metrics/<metric_id>[/<key>/...]                 a 0.7 value (`count`, `share`, `mean`, a label, ...)
//   tests/<name>[(column_name=<c>,label=<l>)]      the status, with the verdict and the description
//   tests/<name>/<key>/...                          the numbers in a legacy test's parameters
//   summary/<key>/...                               the legacy TestSuite's summary
// A metric or test name already taken gets ` #2`, ` #3`; `/` and `~` in a key are `~1` and `~0`. Arrays and
// other text are not listed; "25.59%" is 25.59 on the percent scale, "NA"/"N/A" is null.
// One parse, one walk: a 10,000-column drift report is read without copying its tree.
import { MlgateError } from "../../errors.js";
import { parseJson } from "./json.js";
import { parsePruned } from "./json-pruned.js";
import { scanJson } from "./json-scan.js";
import {
  isMissingText,
  percentValue,
  type ToolFormat,
  type ToolMeasurement,
  type ToolVerdict,
} from "./tool.js";
import { isObject } from "./json-tree.js";

export const evidentlyFormat: ToolFormat = {
  name: "evidently",
  title: "Evidently",
  detect: (_fileName, text) => looksLikeEvidently(text),
  read: (text, { origin }) => readEvidently(text, origin),
};

function readEvidently(text: string, origin: string): ToolMeasurement[] {
  const source = text.replace(/^\uFEFF/, "");
  // The JSON reader's checks and its positioned errors (a repeated key, a truncated file).
  if (scanJson(source) !== undefined) parseJson(text, { origin });
  // The tree without what no measurement comes from: arrays inside entries, plot data.
  const data = parsePruned(source, { arrayDepth: 1, skipKeys: PLOT_KEYS });
  return evidentlyMeasurements(data, origin);
}

// ---- detection: the opening of the file, anchored at the top-level object --------------------------

const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
/** Top-level members with a scalar value that may come first (`"version": "0.3.3", "timestamp": ...`). */
const SCALAR_MEMBERS = String.raw`(?:${STRING}\s*:\s*(?:${STRING}|[-+\w.]+)\s*,\s*)*`;
const OPENING = String.raw`^\uFEFF?\s*\{\s*${SCALAR_MEMBERS}`;
const SHAPES = [
  // Legacy Report: the first metric entry is {"metric": "<Name>", "result": ...}.
  String.raw`"metrics"\s*:\s*\[\s*\{\s*"metric"\s*:\s*${STRING}\s*,\s*"result"\s*:`,
  // Legacy TestSuite: the first test is {"name", "description", "status": <an Evidently status>}.
  String.raw`"tests"\s*:\s*\[\s*\{\s*"name"\s*:\s*${STRING}\s*,\s*"description"\s*:\s*${STRING}\s*,\s*"status"\s*:\s*"(?:SUCCESS|FAIL|WARNING|ERROR|SKIPPED)"`,
  // Legacy TestSuite with no test: its summary names all_passed.
  String.raw`"tests"\s*:\s*\[\s*\]\s*,\s*"summary"\s*:\s*\{\s*"all_passed"\s*:`,
  // 0.7 Report: the first metric entry is {"id", "metric_id", "value"}.
  String.raw`"metrics"\s*:\s*\[\s*\{\s*"id"\s*:\s*${STRING}\s*,\s*"metric_id"\s*:\s*${STRING}\s*,\s*"value"\s*:`,
].map((shape) => new RegExp(OPENING + shape));
/** The shapes are decided within the opening; a 50 MB report is never searched whole. */
const DETECT_WINDOW = 64 * 1024;

function looksLikeEvidently(text: string): boolean {
  const opening = text.slice(0, DETECT_WINDOW);
  return SHAPES.some((shape) => shape.test(opening));
}

// ---- reading -----------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const VERDICTS: Readonly<Record<string, ToolVerdict>> = {
  SUCCESS: "pass",
  FAIL: "fail",
  WARNING: "warning",
  ERROR: "error",
  SKIPPED: "skipped",
};

/**
 * Plot data holds no single number a gate reads, and can dwarf the rest of a report; arrays (distributions,
 * histograms, label lists, confusion matrices) are skipped wherever they are.
 */
const PLOT_KEYS = new Set(["small_distribution", "plot_data", "rate_plots_data", "bins_for_hist"]);
/** Evidently results are a few levels deep; anything far deeper is not a report. */
const MAX_DEPTH = 64;

/** The measurements of a parsed Evidently document (a caller that parsed the file itself passes the tree). */
export function evidentlyMeasurements(data: unknown, origin: string): ToolMeasurement[] {
  if (!isObject(data)) throw refused(origin, "the top level is not an object", undefined);
  const { metrics, tests, summary } = data;
  if (!Array.isArray(metrics) && !Array.isArray(tests)) {
    throw refused(origin, 'it has neither a "metrics" nor a "tests" list', undefined);
  }
  const reader = new Reader(origin);
  if (Array.isArray(metrics)) metrics.forEach((entry, i) => reader.metric(entry, i));
  if (Array.isArray(tests)) tests.forEach((entry, i) => reader.test(entry, i));
  if (isObject(summary)) reader.leaves(summary, "summary", `summary`, 1);
  return reader.out;
}

class Reader {
  readonly out: ToolMeasurement[] = [];
  /** Entry names already given (`metrics/<key>`, `tests/<key>`), so a repeated one gets ` #2`, ` #3`. */
  private readonly taken = new Set<string>();

  constructor(private readonly origin: string) {}

  metric(entry: unknown, i: number): void {
    const field = `metrics[${i}]`;
    if (!isObject(entry)) throw refused(this.origin, "a metric entry is not an object", field);
    const { metric, metric_id: metricId } = entry;
    if (typeof metric === "string") {
      // Legacy: {metric: "ColumnDriftMetric", result: {column_name: "x", ...}}.
      const result = entry.result;
      const column = isObject(result) ? columnName(result.column_name) : undefined;
      const key = column === undefined ? metric : `${metric}(column_name=${column})`;
      this.value(result, this.entryName("metrics", key), `${field}.result`);
      return;
    }
    if (typeof metricId === "string") {
      // 0.7: {id, metric_id: "ValueDrift(column=x)", value: 0.04 | {count, share} | {label: value}}.
      this.value(entry.value, this.entryName("metrics", metricId), `${field}.value`);
      return;
    }
    // 0.7 writes {} for a metric that has no result.
    if (Object.keys(entry).length === 0) return;
    throw refused(this.origin, 'a metric entry has neither a "metric" nor a "metric_id" name', field);
  }

  test(entry: unknown, i: number): void {
    const field = `tests[${i}]`;
    if (!isObject(entry)) throw refused(this.origin, "a test entry is not an object", field);
    const { name, status, description, parameters } = entry;
    if (typeof name !== "string") throw refused(this.origin, "a test has no name", field);
    if (typeof status !== "string") throw refused(this.origin, "a test has no status", field);
    const text = typeof description === "string" ? description : undefined;
    const subject = testSubject(isObject(parameters) ? parameters : {}, text);
    const testName = this.entryName("tests", subject ? `${name}(${subject})` : name);
    const measurement: ToolMeasurement = { name: testName, value: status };
    const verdict = VERDICTS[status];
    if (verdict) measurement.verdict = verdict;
    if (text !== undefined) measurement.description = text;
    this.out.push(measurement);
    // The numbers the test looked at (`value`, `score`, per-feature drift), not the condition it applied.
    if (isObject(parameters)) this.leaves(parameters, testName, `${field}.parameters`, 1, "condition");
  }

  /** The leaves under `node` (see `leafMeasurement`), named by their key path; arrays are skipped. */
  leaves(node: Json, prefix: string, field: string, depth: number, skip?: string): void {
    if (depth > MAX_DEPTH) throw refused(this.origin, `it nests deeper than ${MAX_DEPTH} levels`, field);
    for (const key in node) {
      if (key === skip || PLOT_KEYS.has(key) || !Object.hasOwn(node, key)) continue;
      const value = node[key];
      if (isObject(value)) {
        this.leaves(value, `${prefix}/${segment(key)}`, field, depth + 1);
      } else {
        const measurement = leafMeasurement(`${prefix}/${segment(key)}`, value);
        if (measurement) this.out.push(measurement);
      }
    }
  }

  /** A metric's result or value: one measurement when it is a single value, its leaves when an object. */
  private value(value: unknown, name: string, field: string): void {
    if (isObject(value)) {
      this.leaves(value, name, field, 1);
      return;
    }
    const measurement = leafMeasurement(name, value);
    if (measurement) this.out.push(measurement);
  }

  /** `<kind>/<key>`, numbered when an earlier entry has the same key. */
  private entryName(kind: "metrics" | "tests", key: string): string {
    const base = `${kind}/${segment(key)}`;
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base} #${n}`;
    this.taken.add(name);
    return name;
  }
}

/**
 * A leaf as a measurement: numbers (NaN and ±Infinity too), booleans and null as they are; text written as
 * a percentage on the percent scale, and Python's words for no value as null. Other text (`column_type`,
 * `stattest_name`) is a label, not a measurement.
 */
function leafMeasurement(name: string, value: unknown): ToolMeasurement | undefined {
  if (typeof value === "number" || typeof value === "boolean" || value === null) return { name, value };
  if (typeof value !== "string") return undefined;
  const percent = percentValue(value);
  if (percent !== undefined) return { name, value: percent, scale: "percent" };
  return isMissingText(value) ? { name, value: null } : undefined;
}

/**
 * What a test is about, `column_name=x` and/or `label=y`: from its parameters, else from the words Evidently
 * sets in bold ("in the column **x**": 0.3's out-of-range tests have no column parameter).
 */
function testSubject(parameters: Json, description = ""): string {
  const column =
    columnName(parameters.column_name) ?? /\b(?:column|feature) \*\*(.+?)\*\*/.exec(description)?.[1];
  const { label } = parameters;
  const labelText =
    typeof label === "string" || typeof label === "number" || typeof label === "boolean"
      ? String(label)
      : /\blabel \*\*(.+?)\*\*/.exec(description)?.[1];
  const parts = [
    column === undefined ? [] : [`column_name=${column}`],
    labelText === undefined ? [] : [`label=${labelText}`],
  ];
  return parts.flat().join(",");
}

/** A column name: a string, or the `{name, display_name, ...}` object some versions write. */
function columnName(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return isObject(value) && typeof value.name === "string" ? value.name : undefined;
}

/** One segment of a name; `~` and `/` inside a key are written `~0` and `~1` (as in a JSON Pointer). */
function segment(key: string): string {
  if (!key.includes("~") && !key.includes("/")) return key;
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function refused(origin: string, why: string, field: string | undefined): MlgateError {
  return new MlgateError("source.parse", `cannot read ${origin} as an Evidently report: ${why}`, {
    location: field === undefined ? { file: origin } : { file: origin, field },
    hint: "mlgate reads the JSON of an Evidently Report or TestSuite (`.json()`, `.as_dict()`, `save_json`); read other files with `format: json`",
  });
}
