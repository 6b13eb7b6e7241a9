// JSON metric files as Python writes them: a UTF-8 BOM is ignored and bare NaN/Infinity/-Infinity
// become the numbers they name (the evaluator then reports them as errors, never as passes).
import { MlgateError } from "../../errors.js";
import type { FormatAdapter, ParseOptions } from "../types.js";
import { detectFormatName } from "./detect.js";
import { locateJsonError, replaceNonFinite } from "./json-scan.js";
import { lineColumnAt } from "./position.js";

export const jsonFormat: FormatAdapter = {
  name: "json",
  detect: (fileName, text) => detectFormatName(fileName, text) === "json",
  parse: (text, options) => ({ data: parseJson(text, options), textCells: false }),
};

export function parseJson(text: string, options: ParseOptions): unknown {
  const source = text.replace(/^\uFEFF/, "");
  const scan = replaceNonFinite(source);
  try {
    return scan.reviver ? JSON.parse(scan.text, scan.reviver) : JSON.parse(scan.text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw syntaxError(source, error.message, scan.toOriginal, options.origin);
  }
}

function syntaxError(
  source: string,
  message: string,
  toOriginal: (offset: number) => number,
  origin: string,
): MlgateError {
  const offset = offsetFromMessage(source, message, toOriginal) ?? locateJsonError(source);
  const position = offset === undefined ? {} : lineColumnAt(source, offset);
  const endsEarly = offset !== undefined && offset >= source.trimEnd().length;
  return new MlgateError("source.parse", `invalid JSON: ${describe(message)}`, {
    location: { file: origin, ...position },
    hint: endsEarly
      ? "the JSON ends early; check that the step writing it finished (a truncated file ends mid-value)"
      : "fix the JSON at this position; keys and strings need double quotes and there are no trailing commas",
  });
}

/** V8 says `at position N`, and newer versions add `(line X column Y)`; older ones say neither. */
function offsetFromMessage(
  source: string,
  message: string,
  toOriginal: (offset: number) => number,
): number | undefined {
  const position = /at position (\d+)/.exec(message);
  if (position?.[1] !== undefined) return toOriginal(Number(position[1]));
  if (/Unexpected end of JSON input/.test(message)) return source.length;
  return undefined;
}

/** V8's message without its quotation of the document (which may hold values) and position. */
function describe(message: string): string {
  const text = message
    .replace(/,\s*(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, "")
    .replace(/\s*(?:in JSON )?at position \d+.*$/s, "")
    .replace(/\s*\(line \d+ column \d+\)$/, "");
  return text.charAt(0).toLowerCase() + text.slice(1);
}
