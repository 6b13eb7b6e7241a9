// The tool formats mlgate reads, in detection order: the most specific shapes first. A source that names
// no format is offered to each tool's `detect` before the plain JSON/YAML/CSV detection.
import { fairnessFormat } from "./fairness.js";
import { huggingfaceFormat } from "./huggingface.js";
import { lmEvalFormat } from "./lm-eval.js";
import type { ToolFormat } from "./tool.js";

export const TOOL_FORMATS: readonly ToolFormat[] = [lmEvalFormat, huggingfaceFormat, fairnessFormat];

export function toolFormat(name: string): ToolFormat | undefined {
  return TOOL_FORMATS.find((format) => format.name === name);
}

/** The tool whose shape the content has, if any. */
export function detectToolFormat(fileName: string, text: string): ToolFormat | undefined {
  return TOOL_FORMATS.find((format) => format.detect(fileName, text));
}
