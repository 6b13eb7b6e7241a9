// Fairness reports as named measurements: a fairlearn MetricFrame written as JSON (`overall/<metric>`,
// `by_group/<metric>/<group>`, `disparities/<name>`, after the keys leading to it when it sits under one
// key per sensitive feature), an Aequitas group/bias report CSV (`<attribute_name>=<attribute_value>/<column>`)
// and a per-group summary CSV (`<first cell>/<column header>`). Names are the file's own words, as written.
import { MlgateError, type Location } from "../../errors.js";
import { readCsvTable, type CsvTable } from "./csv.js";
import { detectDelimiter, detectFormatName } from "./detect.js";
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

/** How deep under the top level a MetricFrame is looked for: `{fairness: {<feature>: {overall, by_group}}}`. */
const FRAME_DEPTH = 3;

/** Header words only fairness tables use; a per-group table is claimed when a metric column has one. */
const FAIRNESS_COLUMN = /parity|disparit|odds|selection[\s_-]*rate|(?:^|[^a-z])(?:tpr|fpr)(?:[^a-z]|$)/i;

export const fairnessFormat: ToolFormat = {
  name: "fairness",
  title: "Fairness (fairlearn, Aequitas, per-group tables)",
  detect: (fileName, text) =>
    looksLikeJson(text) ? detectMetricFrame(fileName, text) : detectTable(fileName, text),
  read: (text, { origin }) =>
    looksLikeJson(text) ? readMetricFrames(text, origin) : readTable(text, origin),
};

function looksLikeJson(text: string): boolean {
  return /^\uFEFF?\s*[[{]/.test(text);
}

// ---- fairlearn MetricFrame (JSON) ----

interface FoundFrame {
  path: string[];
  frame: JsonObject;
}

function detectMetricFrame(fileName: string, text: string): boolean {
  if (!text.includes('"by_group"') || !text.includes('"overall"')) return false;
  try {
    return findMetricFrames(parseJson(text, { origin: fileName })).length > 0;
  } catch {
    return false;
  }
}

/** Objects with `overall` and a `by_group` object, at the top level or under up to FRAME_DEPTH keys. */
function findMetricFrames(root: unknown): FoundFrame[] {
  const found: FoundFrame[] = [];
  const visit = (value: unknown, path: string[]): void => {
    if (!isObject(value)) return;
    if (Object.hasOwn(value, "overall") && isObject(own(value, "by_group"))) {
      found.push({ path, frame: value });
      return;
    }
    if (path.length >= FRAME_DEPTH) return;
    for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
  };
  visit(root, []);
  return found;
}

function readMetricFrames(text: string, origin: string): ToolMeasurement[] {
  const root = parseJson(text, { origin });
  const source = text.replace(/^\uFEFF/, "");
  const names = new MeasurementNames(origin, "a group or metric");
  const frames = findMetricFrames(root);
  if (frames.length === 0) {
    throw new MlgateError("source.parse", "the file holds no fairlearn MetricFrame", {
      location: { file: origin, line: 1, column: 1 },
      hint: 'write each MetricFrame as {"overall": {...}, "by_group": {"<metric>": {"<group>": value}}}, at the top level or under up to three keys (one per sensitive feature)',
    });
  }
  for (const { path, frame } of frames) {
    const at = (keys: readonly string[]): Location => keyLocation(source, origin, [...path, ...keys]);
    const prefix = path.map((key) => `${key}/`).join("");
    for (const [key, value] of Object.entries(frame)) {
      if (key === "by_group") readByGroup(names, prefix, value, own(frame, "overall"), at);
      else readFlat(names, prefix, key, value, key === "overall" || key === "disparities", at);
    }
  }
  if (names.measurements.length === 0) {
    throw new MlgateError("source.parse", "the MetricFrame holds no values", {
      location: keyLocation(source, origin, frames[0]?.path ?? []),
      hint: "check that the metrics were computed before the MetricFrame was written: `overall` and `by_group` are empty",
    });
  }
  return names.measurements;
}

/**
 * `overall`, `disparities` and any other key of a MetricFrame: one value (a single metric) or an object
 * of values. A list or deeper object is refused under `overall` and `disparities`, and left out elsewhere.
 */
function readFlat(
  names: MeasurementNames,
  prefix: string,
  key: string,
  value: unknown,
  strict: boolean,
  at: (keys: readonly string[]) => Location,
): void {
  const single = jsonScalar(value);
  if (single !== undefined) return names.add(`${prefix}${key}`, single, () => at([key]));
  if (!isObject(value)) {
    if (strict) throw notAValue(`\`${key}\``, at([key]), "an object of metric values");
    return;
  }
  for (const [metric, inner] of Object.entries(value)) {
    const scalar = jsonScalar(inner);
    if (scalar !== undefined) names.add(`${prefix}${key}/${metric}`, scalar, () => at([key, metric]));
    else if (strict)
      throw notAValue(`\`${key}\` of ${JSON.stringify(metric)}`, at([key, metric]), "one value");
  }
}

/**
 * `by_group` as pandas' `to_dict()` writes it, `{metric: {group: value}}` (a single metric: `{group: value}`).
 * Written the other way round (`to_dict(orient="index")`, every inner key a metric of `overall`), it is
 * read transposed, so the names are the same whichever way the file was written.
 */
function readByGroup(
  names: MeasurementNames,
  prefix: string,
  byGroup: unknown,
  overall: unknown,
  at: (keys: readonly string[]) => Location,
): void {
  const table = isObject(byGroup) ? Object.entries(byGroup) : [];
  const cells: { metric: string; group: string; value: unknown; keys: string[] }[] = [];
  if (isGroupFirst(table, overall)) {
    for (const [group, metrics] of table) {
      for (const [metric, value] of objectEntries(metrics)) {
        cells.push({ metric, group, value, keys: ["by_group", group, metric] });
      }
    }
    cells.sort((a, b) => metricOrder(overall, a.metric) - metricOrder(overall, b.metric));
  } else {
    for (const [metric, groups] of table) {
      const single = jsonScalar(groups);
      if (single !== undefined) {
        names.add(`${prefix}by_group/${metric}`, single, () => at(["by_group", metric]));
      } else if (isObject(groups)) {
        for (const [group, value] of Object.entries(groups)) {
          cells.push({ metric, group, value, keys: ["by_group", metric, group] });
        }
      } else {
        throw notAValue(
          `\`by_group\` of ${JSON.stringify(metric)}`,
          at(["by_group", metric]),
          "an object of group values",
        );
      }
    }
  }
  for (const { metric, group, value, keys } of cells) {
    const scalar = jsonScalar(value);
    if (scalar === undefined) {
      throw notAValue(
        `\`by_group\` of ${JSON.stringify(metric)} for ${JSON.stringify(group)}`,
        at(keys),
        "one value",
      );
    }
    names.add(`${prefix}by_group/${metric}/${group}`, scalar, () => at(keys));
  }
}

/** Every key of `by_group` is a group (not a metric of `overall`) holding only metrics of `overall`. */
function isGroupFirst(table: readonly [string, unknown][], overall: unknown): boolean {
  if (!isObject(overall) || table.length === 0) return false;
  return table.every(
    ([key, inner]) =>
      !Object.hasOwn(overall, key) &&
      isObject(inner) &&
      Object.keys(inner).length > 0 &&
      Object.keys(inner).every((metric) => Object.hasOwn(overall, metric)),
  );
}

function metricOrder(overall: unknown, metric: string): number {
  return isObject(overall) ? Object.keys(overall).indexOf(metric) : 0;
}

function notAValue(what: string, location: Location, expected: string): MlgateError {
  return new MlgateError("source.parse", `${what} in the MetricFrame is not ${expected}`, {
    location,
    hint: 'a MetricFrame is written as {"overall": {"<metric>": value}, "by_group": {"<metric>": {"<group>": value}}}; write it with `metric_frame.by_group.to_dict()` and `metric_frame.overall.to_dict()`',
  });
}

// ---- Aequitas reports and per-group tables (CSV) ----

function detectTable(fileName: string, text: string): boolean {
  if (detectFormatName(fileName, text) !== "csv") return false;
  const [header, second] = text
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\r|\n/, 4)
    .filter((line) => line.trim() !== "");
  if (header === undefined || second === undefined) return false;
  const delimiter = detectDelimiter(text);
  const columns = splitLine(header, delimiter);
  if (isAequitas(columns)) return true;
  const [first, ...metrics] = columns;
  const firstCell = splitLine(second, delimiter)[0] ?? "";
  // The first column names groups (`F`, `age_group`): a ROC curve's `fpr,tpr,thresholds` is not claimed.
  return (
    first !== undefined &&
    !FAIRNESS_COLUMN.test(first) &&
    isLabel(firstCell) &&
    metrics.some((column) => FAIRNESS_COLUMN.test(column))
  );
}

/** A header line's cells, unquoted: good enough to look at column names, not to read a file. */
function splitLine(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));
}

function isAequitas(columns: readonly string[]): boolean {
  return columns.includes("attribute_name") && columns.includes("attribute_value");
}

function readTable(text: string, origin: string): ToolMeasurement[] {
  const table = readCsvTable(text, { origin });
  if (table.rows.length === 0) {
    throw new MlgateError("source.parse", "the fairness table has a header but no rows", {
      location: { file: origin, line: 1 },
      hint: "check that the step writing it evaluated at least one group",
    });
  }
  if (table.columns.length < (isAequitas(table.columns) ? 3 : 2)) {
    throw new MlgateError("source.parse", "the fairness table has no metric column", {
      location: { file: origin, line: 1 },
      hint: "a per-group table is the group's column and one column per metric, e.g. `group,selection_rate`; check the delimiter (`,`, `;` or tab)",
    });
  }
  return isAequitas(table.columns) ? readAequitas(table, origin) : readGroupTable(table, origin);
}

/** Aequitas: one row per attribute value; the rows of one attribute value must not repeat. */
function readAequitas(table: CsvTable, origin: string): ToolMeasurement[] {
  const names = new MeasurementNames(origin, "a group or metric");
  const columns = metricColumns(table, ["attribute_name", "attribute_value"], origin);
  const seen = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const attribute = cells["attribute_name"] ?? "";
    const value = cells["attribute_value"] ?? "";
    if (attribute.trim() === "") throw emptyLabel("attribute_name", origin, line);
    const group = `${attribute}=${value}`;
    const before = seen.get(group);
    if (before !== undefined) throw repeatedGroup(table, group, before, line, origin);
    seen.set(group, line);
    for (const column of columns) {
      names.add(`${group}/${column}`, cellValue(cells[column] ?? ""), () => ({
        file: origin,
        line,
        field: column,
      }));
    }
  }
  return names.measurements;
}

/** A summary table: the first column names the group (or attribute), every other column is a metric. */
function readGroupTable(table: CsvTable, origin: string): ToolMeasurement[] {
  const names = new MeasurementNames(origin, "a group or metric");
  const [first = ""] = table.columns;
  const columns = metricColumns(table, [first], origin);
  const seen = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const group = cells[first] ?? "";
    if (group.trim() === "") throw emptyLabel(first === "" ? "first" : first, origin, line);
    const before = seen.get(group);
    if (before !== undefined) throw repeatedGroup(table, group, before, line, origin);
    seen.set(group, line);
    for (const column of columns) {
      names.add(`${group}/${column}`, cellValue(cells[column] ?? ""), () => ({
        file: origin,
        line,
        field: column,
      }));
    }
  }
  return names.measurements;
}

/**
 * The columns read as metrics: all but the label columns. An unnamed column (a trailing delimiter) is
 * left out when it is empty in every row, and refused when it holds values no name could select.
 */
function metricColumns(table: CsvTable, labels: readonly string[], origin: string): string[] {
  return table.columns.filter((column, index) => {
    if (labels.includes(column)) return false;
    if (column.trim() !== "") return true;
    if (table.rows.every(({ cells }) => (cells[column] ?? "").trim() === "")) return false;
    throw new MlgateError("source.parse", `column ${index + 1} of the header has no name but holds values`, {
      location: { file: origin, line: 1 },
      hint: "name every column in the header: a measurement is named `<group>/<column header>`",
    });
  });
}

function emptyLabel(column: string, origin: string, line: number): MlgateError {
  return new MlgateError("source.parse", `a row has no group name in its ${column} column`, {
    location: { file: origin, line },
    hint: "every row needs the group it describes; a row without one could not be named",
  });
}

/** The same group on two rows: name the columns that tell them apart (an Aequitas model_id or threshold). */
function repeatedGroup(
  table: CsvTable,
  group: string,
  first: number,
  line: number,
  origin: string,
): MlgateError {
  const rowAt = (at: number) => table.rows.find((row) => row.line === at)?.cells;
  const [a, b] = [rowAt(first), rowAt(line)];
  const differing = ["model_id", "score_threshold", "k"].filter(
    (column) => table.columns.includes(column) && a?.[column] !== b?.[column],
  );
  return new MlgateError(
    "source.parse",
    `the group ${JSON.stringify(group)} has two rows (lines ${first} and ${line})`,
    {
      location: { file: origin, line },
      hint:
        differing.length > 0
          ? `the rows differ in ${differing.join(", ")}: write one model and threshold per file, so each group has one row`
          : "keep one row per group; a measurement is named by its group, so two rows would give two values one name",
    },
  );
}

// ---- values and names ----

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const INFINITY = /^([-+]?)(?:inf|infinity)$/i;
const BOOLEANS: Readonly<Record<string, boolean>> = {
  True: true,
  TRUE: true,
  true: true,
  False: false,
  FALSE: false,
  false: false,
};

/**
 * A CSV cell as a value: a number ("inf" is Infinity), "25%" on the percent scale, True/False (Python's
 * spelling) and true/false as booleans, null when empty or NA/N/A/NaN/None, otherwise the text as written.
 */
export function cellValue(cell: string): Scalar {
  const text = cell.trim();
  if (isMissingText(text)) return { value: null };
  if (NUMBER.test(text)) return { value: Number(text) };
  const infinity = INFINITY.exec(text);
  if (infinity) return { value: infinity[1] === "-" ? -Infinity : Infinity };
  const percent = percentValue(text);
  if (percent !== undefined) return { value: percent, scale: "percent" };
  const flag = Object.hasOwn(BOOLEANS, text) ? BOOLEANS[text] : undefined;
  return flag === undefined ? { value: cell } : { value: flag };
}

/** A JSON leaf as a value; undefined for lists and objects. Strings as cellValue reads missing and percent. */
function jsonScalar(value: unknown): Scalar | undefined {
  if (value === null || typeof value === "number" || typeof value === "boolean") return { value };
  if (typeof value !== "string") return undefined;
  if (isMissingText(value)) return { value: null };
  const percent = percentValue(value);
  return percent === undefined ? { value } : { value: percent, scale: "percent" };
}

/** A cell that names something: not a number, percentage, boolean or missing. */
function isLabel(cell: string): boolean {
  const { value } = cellValue(cell);
  return typeof value === "string";
}
