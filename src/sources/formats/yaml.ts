// YAML metric files: one document, unique keys, a cap on aliases (no "billion laughs"); `.nan` and
// `.inf` become NaN and Infinity, which the evaluator reports as errors.
import { LineCounter, parseDocument, type YAMLError } from "yaml";
import { MlgateError } from "../../errors.js";
import type { FormatAdapter, ParseOptions } from "../types.js";
import { detectFormatName } from "./detect.js";

const MAX_ALIAS_COUNT = 100;

export const yamlFormat: FormatAdapter = {
  name: "yaml",
  detect: (fileName, text) => detectFormatName(fileName, text) === "yaml",
  parse: (text, options) => ({ data: parseYaml(text, options), textCells: false }),
};

export function parseYaml(text: string, options: ParseOptions): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    uniqueKeys: true,
    prettyErrors: true,
    lineCounter,
    logLevel: "error",
  });
  const [error] = doc.errors;
  if (error) throw yamlError(error, options.origin);
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    // The yaml package throws a ReferenceError for alias trouble (too many, or used before its anchor).
    if (!(cause instanceof ReferenceError)) throw cause;
    throw new MlgateError("source.parse", `invalid YAML: ${cause.message}`, {
      location: { file: options.origin },
      hint: `aliases are limited to ${MAX_ALIAS_COUNT} expansions and must follow their anchor`,
    });
  }
}

function yamlError(error: YAMLError, origin: string): MlgateError {
  const start = error.linePos?.[0];
  // prettyErrors appends the offending lines; they may hold values, so keep only the sentence.
  const sentence = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, "");
  return new MlgateError("source.parse", `invalid YAML: ${sentence}`, {
    location: { file: origin, ...(start ? { line: start.line, column: start.col } : {}) },
    hint:
      error.code === "DUPLICATE_KEY"
        ? "a key appears twice in the same mapping; keep one"
        : "check indentation and that brackets and quotes are closed",
  });
}
