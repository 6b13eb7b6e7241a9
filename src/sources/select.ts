// Picks the value a gate checks out of a parsed document: a JSON Pointer (`/macro avg/f1-score`) or a
// dotted path (`test.accuracy`). Only own keys count; a miss says which segment, where, and what exists.
import { MlgateError } from "../errors.js";
import { AmbiguousRows } from "./formats/csv.js";
import { nearestWord } from "./nearest.js";
import type { ToolMeasurement } from "./formats/tool.js";
import type { SourceDocument } from "./types.js";

const MAX_LISTED_KEYS = 10;

export interface ParsedPath {
  segments: string[];
  /** True for the JSON Pointer form; messages then show prefixes in that form too. */
  pointer: boolean;
}

/** Splits a path into keys: RFC 6901 when it starts with `/`, otherwise on dots. */
export function parsePath(path: string): ParsedPath {
  if (path === "") return { segments: [], pointer: true };
  if (path.startsWith("/")) {
    const segments = path.slice(1).split("/");
    if (segments.some((segment) => /~(?![01])/.test(segment))) {
      throw new MlgateError(
        "select.missing",
        `the path ${JSON.stringify(path)} is not a valid JSON Pointer`,
        {
          hint: 'in a JSON Pointer "~" must be written "~0" and "/" inside a key "~1"',
        },
      );
    }
    return { segments: segments.map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")), pointer: true };
  }
  const segments = path.split(".");
  if (segments.includes("")) {
    throw new MlgateError(
      "select.missing",
      `the path ${JSON.stringify(path)} has an empty key between dots`,
      {
        hint: 'for keys that are empty or contain dots, write a JSON Pointer such as "/macro avg/f1-score"',
      },
    );
  }
  return { segments, pointer: false };
}

/** The value at `path` in the document; the whole document when there is no path. */
export function selectValue(doc: SourceDocument, path: string | undefined): unknown {
  if (path === undefined) return doc.data;
  if (!doc.measurements) return selectPath(doc, path);
  const named = measurementIndex(doc).get(path);
  if (named) return named.value;
  const missing = doc.unavailable?.find((part) => under(path, part.prefix));
  if (missing) throw missing.error;
  try {
    return selectPath(doc, path);
  } catch (error) {
    // A JSON Pointer's own message says where it went wrong; anything else was meant as a name.
    if (error instanceof MlgateError && error.code === "select.missing" && !path.startsWith("/")) {
      throw unknownName(doc, path);
    }
    throw error;
  }
}

/** `metrics/loss` is under `metrics/loss` and `eval/metrics.json:` covers `eval/metrics.json:acc`, but `metrics/loss_ema` is not under `metrics/loss`. */
function under(path: string, prefix: string): boolean {
  if (path === prefix) return true;
  if (!path.startsWith(prefix)) return false;
  return /[:/]$/.test(prefix) || path[prefix.length] === "/";
}

const indexes = new WeakMap<SourceDocument, Map<string, ToolMeasurement>>();

/** The measurements by name, built once per document (a drift report may have tens of thousands). */
export function measurementIndex(doc: SourceDocument): Map<string, ToolMeasurement> {
  let index = indexes.get(doc);
  if (!index) {
    index = new Map((doc.measurements ?? []).map((measurement) => [measurement.name, measurement]));
    indexes.set(doc, index);
  }
  return index;
}

function selectPath(doc: SourceDocument, path: string): unknown {
  const parsed = parsePath(path);
  let value = doc.data;
  for (let i = 0; i < parsed.segments.length; i++) {
    value = step(value, parsed, i, doc.origin);
  }
  if (value instanceof AmbiguousRows) throw ambiguousError(value, doc.origin);
  return value;
}

function step(value: unknown, parsed: ParsedPath, i: number, origin: string): unknown {
  const segment = parsed.segments[i] ?? "";
  if (value instanceof AmbiguousRows) throw ambiguousError(value, origin);
  if (Array.isArray(value)) {
    const index = /^(?:0|[1-9]\d*)$/.test(segment) ? Number(segment) : -1;
    if (index >= 0 && index < value.length) return value[index] as unknown;
    throw new MlgateError(
      "select.missing",
      `no index ${JSON.stringify(segment)} ${where(parsed, i, origin)}`,
      {
        hint:
          value.length === 0
            ? "the list there is empty"
            : `the value there is a list of ${value.length}; use an index from 0 to ${value.length - 1}`,
      },
    );
  }
  if (typeof value === "object" && value !== null) {
    if (Object.hasOwn(value, segment)) return (value as Record<string, unknown>)[segment];
    throw new MlgateError("select.missing", `no key ${JSON.stringify(segment)} ${where(parsed, i, origin)}`, {
      hint: keysHint(Object.keys(value), parsed, i),
    });
  }
  const prefix = JSON.stringify(formatPrefix(parsed, i));
  throw new MlgateError(
    "select.missing",
    `no key ${JSON.stringify(segment)} ${where(parsed, i, origin)}: the value at ${prefix} is ${describeType(value)}, not an object`,
    { hint: `shorten the path to ${prefix} to read that value` },
  );
}

/** A tool format's file has no measurement of that name: the nearest names, and `mlgate inspect`. */
function unknownName(doc: SourceDocument, path: string): MlgateError {
  const names = (doc.measurements ?? []).map((measurement) => measurement.name);
  const near = nearestWord(path, names);
  return new MlgateError("select.missing", `${doc.origin} has no measurement named ${JSON.stringify(path)}`, {
    hint: `${near === undefined ? "" : `did you mean ${JSON.stringify(near)}? `}\`mlgate inspect ${doc.origin}\` lists the ${names.length} names it has`,
  });
}

function where(parsed: ParsedPath, i: number, origin: string): string {
  return i === 0
    ? `at the top level of ${origin}`
    : `under ${JSON.stringify(formatPrefix(parsed, i))} in ${origin}`;
}

function formatPrefix(parsed: ParsedPath, length: number): string {
  const segments = parsed.segments.slice(0, length);
  if (!parsed.pointer) return segments.join(".");
  return segments.map((s) => "/" + s.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

function keysHint(keys: readonly string[], parsed: ParsedPath, i: number): string {
  if (keys.length === 0) return "there are no keys at that level";
  const dotted = dottedKeyHint(keys, parsed, i);
  if (dotted) return dotted;
  const listed = keys.slice(0, MAX_LISTED_KEYS).map((k) => JSON.stringify(k));
  const more = keys.length > MAX_LISTED_KEYS ? ` and ${keys.length - MAX_LISTED_KEYS} more` : "";
  const near = nearestWord(parsed.segments[i] ?? "", keys);
  const suggestion = near === undefined ? "" : `did you mean ${JSON.stringify(near)}? `;
  return `${suggestion}keys there: ${listed.join(", ")}${more}`;
}

/** `macro avg.f1-score` style keys cannot be reached with dots; point at the pointer form instead. */
function dottedKeyHint(keys: readonly string[], parsed: ParsedPath, i: number): string | undefined {
  if (parsed.pointer) return undefined;
  for (let end = parsed.segments.length; end > i + 1; end--) {
    const joined = parsed.segments.slice(i, end).join(".");
    if (!keys.includes(joined)) continue;
    const pointer = formatPrefix(
      { segments: [...parsed.segments.slice(0, i), joined, ...parsed.segments.slice(end)], pointer: true },
      Infinity,
    );
    return `the key ${JSON.stringify(joined)} contains a dot; write the path as a JSON Pointer: ${JSON.stringify(pointer)}`;
  }
  return undefined;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "a boolean";
  return `a ${typeof value}`;
}

function ambiguousError(rows: AmbiguousRows, origin: string): MlgateError {
  const keys = rows.key.map((k) => JSON.stringify(k)).join(", ");
  const columns = rows.keyColumns.map((c) => JSON.stringify(c)).join(", ");
  const plural = rows.keyColumns.length > 1 ? "s" : "";
  const distinguishing = rows.distinguishingColumn();
  return new MlgateError(
    "select.ambiguous",
    `rows on lines ${listLines(rows.lines)} of ${origin} ${rows.lines.length === 2 ? "both" : "all"} have ${keys} in column${plural} ${columns}`,
    {
      hint:
        distinguishing === undefined
          ? "name more key columns with `key: [...]`, or remove the duplicate rows"
          : `name more key columns with \`key: [${[...rows.keyColumns, distinguishing].map(yamlWord).join(", ")}]\``,
    },
  );
}

function listLines(lines: readonly number[]): string {
  const shown = lines.slice(0, 5).map(String);
  if (lines.length > 5) return `${shown.join(", ")} and ${lines.length - 5} more`;
  return shown.length <= 1 ? shown.join("") : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1) ?? ""}`;
}

function yamlWord(word: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(word) ? word : JSON.stringify(word);
}
