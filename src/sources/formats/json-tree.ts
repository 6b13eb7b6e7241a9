// What the JSON-based tool readers share: guarded access to an untrusted parsed tree, a quiet parse for
// detection, and the place of a key in the text (the parser keeps no positions) for error messages.
import { MlgateError, type Location } from "../../errors.js";
import { parseJson } from "./json.js";
import { lineColumnAt } from "./position.js";

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function own(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** The entries of an object, none for anything else. */
export function objectEntries(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value) : [];
}

/** The parsed JSON, or undefined when the text is not JSON: detection never refuses. */
export function parseQuietly(text: string): unknown {
  try {
    return parseJson(text, { origin: "" });
  } catch (error) {
    if (error instanceof MlgateError) return undefined;
    throw error;
  }
}

/** RFC 6901, as a gate's `path:` would address the same value: `["macro avg", "a/b"]` is `/macro avg/a~1b`. */
export function jsonPointer(path: readonly string[]): string {
  return path.map((part) => `/${part.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/**
 * Where the key at `path` is written: the file, the path as a JSON Pointer, and its line and column when
 * the key is found by looking for each key in turn after the one before it.
 */
export function keyLocation(source: string, origin: string, path: readonly string[]): Location {
  if (path.length === 0) return { file: origin, line: 1, column: 1 };
  const field = jsonPointer(path);
  let from = 0;
  let found = -1;
  for (const key of path) {
    found = keyOffset(source, JSON.stringify(key), from);
    if (found < 0) return { file: origin, field };
    from = found + 1;
  }
  return { file: origin, ...lineColumnAt(source, found), field };
}

/** The offset of `"key"` written as an object key (followed by a colon) at or after `from`, or -1. */
function keyOffset(source: string, quoted: string, from: number): number {
  for (let i = source.indexOf(quoted, from); i >= 0; i = source.indexOf(quoted, i + 1)) {
    if (/^\s*:/.test(source.slice(i + quoted.length, i + quoted.length + 64))) return i;
  }
  return -1;
}
