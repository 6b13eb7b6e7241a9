// Reads a selected value as the gate's data type (DESIGN §3). Nothing is coerced silently: a number
// written as text is read only from CSV cells; "", NaN, Infinity, null and wrong types are problems.
import type { DataType } from "../config/model.js";

export type TypedValue = number | string | boolean | string[];
export type Typed = { ok: true; value: TypedValue } | { ok: false; problem: string };

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export interface TypingOptions {
  dataType: DataType;
  scale?: string[] | undefined;
  /** The value is untyped text (a CSV cell). */
  text: boolean;
  /** Lists of strings are allowed (Contains / NotContains). */
  allowList: boolean;
  /** Describe found values in messages; false for confidential gates. */
  reveal: boolean;
}

export function typeValue(raw: unknown, options: TypingOptions): Typed {
  const found = () => describeFound(raw, options.reveal);
  if (raw === null || raw === undefined)
    return { ok: false, problem: "the value is null (no value was recorded)" };
  switch (options.dataType) {
    case "numeric":
      return typeNumber(raw, options, found);
    case "ordinal": {
      const word =
        typeof raw === "string"
          ? options.text
            ? raw.trim()
            : raw
          : typeof raw === "number"
            ? String(raw)
            : undefined;
      if (word !== undefined && options.scale?.includes(word)) return { ok: true, value: word };
      return { ok: false, problem: `${found()} is not on the scale [${(options.scale ?? []).join(", ")}]` };
    }
    case "boolean": {
      if (typeof raw === "boolean") return { ok: true, value: raw };
      if (options.text && typeof raw === "string" && /^(true|false)$/i.test(raw.trim())) {
        return { ok: true, value: raw.trim().toLowerCase() === "true" };
      }
      return { ok: false, problem: `${found()} is not true or false` };
    }
    case "string": {
      if (typeof raw === "string" && options.text) {
        // A CSV cell: padding is layout, and an empty cell is how pandas writes a missing value.
        const cell = raw.trim();
        return cell === "" ? { ok: false, problem: "the cell is empty" } : { ok: true, value: cell };
      }
      if (typeof raw === "string") return { ok: true, value: raw };
      if (options.allowList && Array.isArray(raw) && raw.every((item) => typeof item === "string")) {
        return { ok: true, value: raw as string[] };
      }
      return { ok: false, problem: `${found()} is not a string` };
    }
    default: {
      const never: never = options.dataType;
      return never;
    }
  }
}

function typeNumber(raw: unknown, options: TypingOptions, found: () => string): Typed {
  if (typeof raw === "number") return finite(raw);
  if (typeof raw === "string" && options.text) {
    const cell = raw.trim();
    if (cell === "") return { ok: false, problem: "the cell is empty" };
    if (DECIMAL.test(cell)) return finite(Number(cell));
    if (/^[+-]?(nan|inf|infinity)$/i.test(cell))
      return { ok: false, problem: `the cell says ${options.reveal ? cell : "a non-finite number"}` };
    return { ok: false, problem: `${found()} is not a decimal number` };
  }
  if (typeof raw === "string") {
    return {
      ok: false,
      problem: `${found()} is text, not a number (numbers written as text are read only from CSV cells)`,
    };
  }
  return { ok: false, problem: `${found()} is not a number` };
}

function finite(value: number): Typed {
  if (Number.isNaN(value)) return { ok: false, problem: "the value is NaN (not a number)" };
  if (!Number.isFinite(value))
    return { ok: false, problem: `the value is ${value > 0 ? "" : "negative "}infinite` };
  return { ok: true, value };
}

function describeFound(raw: unknown, reveal: boolean): string {
  if (Array.isArray(raw)) return "found a list, which";
  if (typeof raw === "object" && raw !== null) {
    const keys = Object.keys(raw)
      .slice(0, 5)
      .map((key) => JSON.stringify(key));
    return `found a mapping${keys.length ? ` (keys ${keys.join(", ")}…)` : ""}, which`;
  }
  if (!reveal) return `the ${typeof raw} found`;
  const shown =
    typeof raw === "string" ? JSON.stringify(raw.length > 40 ? `${raw.slice(0, 37)}...` : raw) : String(raw);
  return `the ${typeof raw} ${shown}`;
}
