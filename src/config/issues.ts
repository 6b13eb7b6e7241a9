// Turns zod issues into MlgateErrors a person can act on: where (file:line:column), what was expected,
// what was found, and the nearest valid word when something is misspelt.
import type * as z from "zod";
import { MlgateError, throwAll } from "../errors.js";
import { nearestWord } from "../sources/nearest.js";
import type { ConfigPositions, FieldPath } from "./positions.js";
import { ConfigSchema } from "./schema.js";
import { formatFieldPath } from "./positions.js";

type Issue = z.core.$ZodIssue;

/** Which schema the value was checked against, and the error code its problems carry. */
export interface SchemaContext {
  schema: z.ZodType;
  code: "config.schema" | "maturity.schema";
}

const GATES_CONFIG: SchemaContext = { schema: ConfigSchema, code: "config.schema" };

export function issueToError(
  issue: Issue,
  raw: unknown,
  positions: ConfigPositions,
  context: SchemaContext = GATES_CONFIG,
): MlgateError {
  const code = context.code;
  const path = issue.path as FieldPath;
  const field = formatFieldPath(path) || "the config";
  switch (issue.code) {
    case "unrecognized_keys": {
      const key = issue.keys[0] ?? "";
      const known = knownKeysAt(context.schema, raw, path);
      const near = nearestWord(key, known);
      return new MlgateError(code, `unknown key "${key}" in ${field || "the top level"}`, {
        location: positions.locate([...path, key], { key: true }),
        hint: near
          ? `did you mean "${near}"? Valid keys here: ${known.join(", ")}`
          : `valid keys here: ${known.join(", ")}`,
      });
    }
    case "invalid_value": {
      const found = valueAt(raw, path);
      const options = issue.values.map((value) => String(value));
      if (found === undefined) {
        return new MlgateError(code, `${field} is missing`, {
          location: positions.locate(path),
          hint: `add \`${String(path[path.length - 1] ?? "")}: ${options[0] ?? ""}\``,
        });
      }
      if (typeof found === "string" && options.includes(found)) {
        return new MlgateError(code, `${field} must be ${found} written without quotes`, {
          location: positions.locate(path),
        });
      }
      const near = typeof found === "string" ? nearestWord(found, options) : undefined;
      return new MlgateError(
        code,
        `${describe(found)} is not allowed here; expected one of: ${options.join(", ")}`,
        {
          location: positions.locate(path),
          ...(near ? { hint: `did you mean "${near}"?` } : {}),
        },
      );
    }
    case "invalid_type": {
      const found = valueAt(raw, path);
      if (found === undefined) {
        return new MlgateError(code, `${field} is missing; expected ${article(issue.expected)}`, {
          location: positions.locate(path),
          hint: `add \`${String(path[path.length - 1] ?? "")}:\` here`,
        });
      }
      return new MlgateError(code, `${field} must be ${article(issue.expected)}, found ${describe(found)}`, {
        location: positions.locate(path),
      });
    }
    case "invalid_union":
      return unionToError(issue, raw, positions, context);
    case "too_small":
      return new MlgateError(code, `${field} ${tooSmall(issue)}`, {
        location: positions.locate(path),
      });
    case "invalid_key":
      return new MlgateError(code, `${field}: the name is not allowed`, {
        location: positions.locate(path, { key: true }),
        hint:
          path[0] === "sources"
            ? "source names may use letters, digits, '_', '-' and '.'"
            : "names must not be empty",
      });
    default:
      return new MlgateError(code, `${field}: ${issue.message}`, {
        location: positions.locate(path),
      });
  }
}

/** Of a union's alternatives, report the one the author evidently meant: the one with the fewest problems. */
function unionToError(
  issue: z.core.$ZodIssueInvalidUnion,
  raw: unknown,
  positions: ConfigPositions,
  context: SchemaContext,
): MlgateError {
  const code = context.code;
  const path = issue.path as FieldPath;
  const found = valueAt(raw, path);
  const field = formatFieldPath(path);
  if (
    context.schema === ConfigSchema &&
    field.startsWith("sources") &&
    isPlainObject(found) &&
    !("file" in found || "command" in found || "url" in found)
  ) {
    return new MlgateError(code, `source ${field} needs one of \`file\`, \`command\` or \`url\``, {
      location: positions.locate(path),
      hint: "e.g. `{ file: reports/metrics.json }`",
    });
  }
  const branches = [...issue.errors].sort((a, b) => a.length - b.length);
  const best = branches[0]?.[0];
  if (!best || isPlainObject(found) === false) {
    return new MlgateError(code, `${field} is ${describe(found)}, which is not valid here`, {
      location: positions.locate(path),
    });
  }
  return issueToError({ ...best, path: [...path, ...best.path] } as Issue, raw, positions, context);
}

/** The keys the schema allows at `path`, found by walking the schema alongside the raw value. */
function knownKeysAt(root: z.ZodType, raw: unknown, path: FieldPath): string[] {
  let schema: ZodNode | undefined = root as unknown as ZodNode;
  let value: unknown = raw;
  for (const segment of [...path, undefined]) {
    schema = unwrap(schema, value);
    if (segment === undefined) break;
    const def: ZodDef | undefined = schema?._zod.def;
    if (def?.type === "object") schema = def.shape?.[String(segment)];
    else if (def?.type === "record") schema = def.valueType;
    else if (def?.type === "array") schema = def.element;
    else return [];
    value = valueAt(value, [segment]);
  }
  const def = schema?._zod.def;
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

interface ZodDef {
  type: string;
  shape?: Record<string, ZodNode>;
  valueType?: ZodNode;
  element?: ZodNode;
  innerType?: ZodNode;
  options?: ZodNode[];
}
interface ZodNode {
  _zod: { def: ZodDef };
}

/** Optional wrappers are transparent; of a union, the alternative sharing most keys with the value. */
function unwrap(schema: ZodNode | undefined, value: unknown): ZodNode | undefined {
  let node = schema;
  while (node?._zod.def.type === "optional" || node?._zod.def.type === "union") {
    const def: ZodDef = node._zod.def;
    if (def.type === "optional") {
      node = def.innerType;
      continue;
    }
    const keys = isPlainObject(value) ? Object.keys(value) : [];
    const score = (option: ZodNode) => keys.filter((key) => key in (option._zod.def.shape ?? {})).length;
    node = [...(def.options ?? [])].sort((a, b) => score(b) - score(a))[0];
  }
  return node;
}

export function valueAt(raw: unknown, path: FieldPath): unknown {
  let node: unknown = raw;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, segment)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

export function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

function article(expected: string): string {
  const words: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "a string",
    number: "a number",
    boolean: "true or false",
    record: "a mapping",
  };
  return words[expected] ?? expected;
}

function tooSmall(issue: z.core.$ZodIssueTooSmall): string {
  if (issue.origin === "array")
    return `needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? "y" : "ies"}`;
  if (issue.origin === "string") return "must not be empty";
  return `must be at least ${String(issue.minimum)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `value` checked against `context.schema`; every problem becomes an error at its file:line:column. */
export function validated<T>(
  value: unknown,
  positions: ConfigPositions,
  context: SchemaContext & { schema: z.ZodType<T> },
): T {
  const result = context.schema.safeParse(value);
  if (result.success) return result.data;
  throwAll(result.error.issues.map((issue) => issueToError(issue, value, positions, context)));
  throw new Error("unreachable: a failed parse has issues");
}
