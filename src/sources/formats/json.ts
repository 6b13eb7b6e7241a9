// JSON metric files as Python writes them: a UTF-8 BOM is ignored and bare NaN/Infinity/-Infinity
// become the numbers they name (the evaluator then reports them as errors, never as passes). A key
// written twice in one object is refused, as YAML and CSV refuse it, rather than silently taking the last.
import { MlgateError } from "../../errors.js";
import type { FormatAdapter, ParseOptions } from "../types.js";
import { claimsFormat } from "./detect.js";
import { replaceNonFinite, scanJson, type JsonProblem } from "./json-scan.js";
import { lineColumnAt } from "./position.js";

export const jsonFormat: FormatAdapter = {
  name: "json",
  detect: claimsFormat("json"),
  parse: (text, options) => ({ data: parseJson(text, options), textCells: false }),
};

export function parseJson(text: string, options: ParseOptions): unknown {
  const source = text.replace(/^\uFEFF/, "");
  // Our scanner decides what is valid and where it breaks, so no engine message (which quotes the text)
  // reaches the user; JSON.parse then only builds the value.
  const problem = scanJson(source);
  if (problem) throw parseError(source, problem, options.origin);
  const scan = replaceNonFinite(source);
  return scan.reviver ? JSON.parse(scan.text, scan.reviver) : JSON.parse(scan.text);
}

function parseError(source: string, problem: JsonProblem, origin: string): MlgateError {
  const location = { file: origin, ...lineColumnAt(source, problem.offset) };
  switch (problem.kind) {
    case "duplicate-key": {
      const first = lineColumnAt(source, problem.firstOffset);
      return new MlgateError("source.parse", "invalid JSON: a key appears twice in the same object", {
        location,
        hint: `keep one of the two (the first is on line ${first.line}, column ${first.column}); JSON readers silently take the last, so which value was meant is unclear`,
        // The key comes from the file; only where no confidential value is involved may it be shown.
        detail: `the key ${JSON.stringify(problem.key)}`,
      });
    }
    case "syntax": {
      const endsEarly = problem.offset >= source.trimEnd().length;
      return new MlgateError("source.parse", `invalid JSON: ${problem.description}`, {
        location,
        hint: endsEarly
          ? "the JSON ends early; check that the step writing it finished (a truncated file ends mid-value)"
          : "fix the JSON at this position; keys and strings need double quotes and there are no trailing commas",
      });
    }
    default: {
      const unknown: never = problem;
      throw new Error(`unknown JSON problem: ${JSON.stringify(unknown)}`);
    }
  }
}
