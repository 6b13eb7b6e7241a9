// The tool formats mlgate reads, in detection order: the most specific shapes first. A source that names
// no format is offered to each tool's `detect` before the plain JSON/YAML/CSV detection.
import { evidentlyFormat } from "./evidently.js";
import { fairnessFormat } from "./fairness.js";
import { greatExpectationsFormat } from "./great-expectations.js";
import { huggingfaceFormat } from "./huggingface.js";
import { junitFormat } from "./junit.js";
import { lmEvalFormat } from "./lm-eval.js";
import { sklearnFormat } from "./sklearn.js";
import type { ToolFormat } from "./tool.js";
import { wandbFormat } from "./wandb.js";

export const TOOL_FORMATS: readonly ToolFormat[] = [
  evidentlyFormat,
  greatExpectationsFormat,
  lmEvalFormat,
  huggingfaceFormat,
  fairnessFormat,
  sklearnFormat,
  wandbFormat,
  junitFormat,
];

export function toolFormat(name: string): ToolFormat | undefined {
  return TOOL_FORMATS.find((format) => format.name === name);
}

/** The tool whose shape the content has, if any. */
export function detectToolFormat(fileName: string, text: string): ToolFormat | undefined {
  return TOOL_FORMATS.find((format) => format.detect(fileName, text));
}
