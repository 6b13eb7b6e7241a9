// Reads a selected value as the gate's data type (DESIGN §3). Nothing is coerced silently: a number
// written as text is read only from CSV cells; "", NaN, Infinity, null and wrong types are problems.
// A value with a unit is never stripped or rescaled: a percentage is read only by a gate with
// `unit: percent` (85% → 0.85); a suffix, a thousands separator or a decimal comma is a problem.
import type { DataType, Unit } from "../config/model.js";
import { shiftDecimal } from "../report/format-value.js";
import { percentValue } from "../sources/formats/tool.js";

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
  /** The gate's unit: how a value marked as a percentage is read. */
  unit?: Unit | undefined;
  /** A tool read the value as a percentage ("85%" is 85 on the percent scale). */
  percent?: boolean | undefined;
}

export function typeValue(raw: unknown, options: TypingOptions): Typed {
  const found = () => describeFound(raw, options.reveal);
  if (raw === null || raw === undefined)
    return { ok: false, problem: "the value is null (no value was recorded)" };
  if (options.percent && options.dataType !== "numeric") {
    return {
      ok: false,
      problem: `${found()} is a percentage, which only a numeric gate reads (with \`unit: percent\`)`,
    };
  }
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
  if (typeof raw === "number") return options.percent ? fromPercent(raw, options) : finite(raw);
  if (typeof raw !== "string") return { ok: false, problem: `${found()} is not a number` };
  // "85%" says its unit wherever it is written: a CSV cell, a tool's text, a JSON string.
  const percent = percentValue(raw);
  if (percent !== undefined) return fromPercent(percent, options);
  if (!options.text) {
    return {
      ok: false,
      problem: `${found()} is text, not a number (numbers written as text are read only from CSV cells)`,
    };
  }
  const cell = raw.trim();
  if (cell === "") return { ok: false, problem: "the cell is empty" };
  if (DECIMAL.test(cell)) return finite(Number(cell));
  if (/^[+-]?(nan|inf|infinity)$/i.test(cell))
    return { ok: false, problem: `the cell says ${options.reveal ? cell : "a non-finite number"}` };
  return {
    ok: false,
    problem: `${found()} is not a decimal number${notDecimalBecause(cell, options.reveal)}`,
  };
}

/** A number on the percent scale: a fraction for a gate with `unit: percent`, otherwise a problem. */
function fromPercent(percent: number, options: TypingOptions): Typed {
  const checked = finite(percent);
  if (!checked.ok) return checked;
  if (options.unit === "percent") return finite(shiftDecimal(percent, -2));
  const example = options.reveal
    ? `${percent}% as ${shiftDecimal(percent, -2)}`
    : "a percentage such as 85% as 0.85";
  return {
    ok: false,
    problem: `${options.reveal ? `the value ${percent}%` : "the value"} is a percentage, and the gate has no unit to read it with (add \`unit: percent\` to compare ${example})`,
  };
}

/** The leading number of a cell, as DECIMAL reads it, so what follows it can be named. */
const LEADING_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
/** Digits grouped by a comma, an apostrophe or a space, or with a decimal comma: "1,234", "0,9", "1 234,5". */
const GROUPED = /^[+-]?\d[\d.,'\u00a0\u202f ]*$/;

/** Why a cell that starts like a number is not one: a separator or a unit that mlgate does not convert. */
function notDecimalBecause(cell: string, reveal: boolean): string {
  if (GROUPED.test(cell) && /[,' \u00a0\u202f]/.test(cell)) {
    return " (mlgate reads neither thousands separators nor a decimal comma: write it like 1234 or 0.9)";
  }
  const number = LEADING_NUMBER.exec(cell);
  if (!number) return "";
  const suffix = cell.slice(number[0].length).trim();
  // "1.2.3" is no number with a unit: a unit starts with a letter or a symbol (`ms`, `%`, `€`).
  if (!/^[^\d.,+-]/.test(suffix)) return "";
  return ` (a number with a unit${reveal ? ` (${JSON.stringify(suffix.slice(0, 20))})` : ""}, which mlgate does not convert: write the number alone, in the target's unit)`;
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
