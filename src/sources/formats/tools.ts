// The tool formats mlgate reads, in detection order: the most specific shapes first. A source that names
// no format is offered to each tool's `detect` before the plain JSON/YAML/CSV detection.
import type { ContainedFs } from "../../files/contained-fs.js";
import { dvcFormat } from "./dvc.js";
import { evidentlyFormat } from "./evidently.js";
import { fairnessFormat } from "./fairness.js";
import { greatExpectationsFormat } from "./great-expectations.js";
import { huggingfaceFormat } from "./huggingface.js";
import { junitFormat } from "./junit.js";
import { lmEvalFormat } from "./lm-eval.js";
import { mlflowFormat } from "./mlflow.js";
import { sklearnFormat } from "./sklearn.js";
import type { ToolFormat } from "./tool.js";
import type { TreeFormat } from "./tree.js";
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

/** Tools whose results are a directory or several files (docs/formats/mlflow.md, docs/formats/dvc.md). */
export const TREE_FORMATS: readonly TreeFormat[] = [mlflowFormat, dvcFormat];

export function treeFormat(name: string): TreeFormat | undefined {
  return TREE_FORMATS.find((format) => format.name === name);
}

/** The tree format a path has the shape of, if any (a `dvc.yaml`, an MLflow run directory). */
export async function detectTreeFormat(
  path: string,
  kind: "file" | "directory",
  files: ContainedFs,
): Promise<TreeFormat | undefined> {
  for (const format of TREE_FORMATS) if (await format.detect(path, kind, files)) return format;
  return undefined;
}

/** The title people know a format by, plain or tool, tree or file. */
export function formatTitle(name: string): string {
  return toolFormat(name)?.title ?? treeFormat(name)?.title ?? name.toUpperCase();
}
