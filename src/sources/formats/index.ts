// The registry of format adapters: adding a format means one module, one entry in FORMAT_ADAPTERS and its
// rule in detect.ts, which answers for every adapter.
import type { FormatName } from "../../config/model.js";
import { MlgateError } from "../../errors.js";
import type { FormatAdapter, ParseOptions } from "../types.js";
import { csvFormat } from "./csv.js";
import { detectFormatName } from "./detect.js";
import { jsonFormat } from "./json.js";
import { yamlFormat } from "./yaml.js";

export const FORMAT_ADAPTERS: readonly FormatAdapter[] = [jsonFormat, yamlFormat, csvFormat];

/** The format by extension (.json, .yaml/.yml, .csv/.tsv), else by content; YAML when nothing else fits. */
export function detectFormat(fileName: string, text: string): FormatName {
  // One detection for all adapters; asking each adapter in turn would repeat it once per adapter.
  return detectFormatName(fileName, text);
}

/** Parses text in the given format. An empty document is an error in every format: it holds no metric. */
export function parseDocument(
  text: string,
  format: FormatName,
  options: ParseOptions,
): { data: unknown; textCells: boolean } {
  if (text.replace(/^\uFEFF/, "").trim() === "") {
    throw new MlgateError("source.parse", `the ${format.toUpperCase()} document is empty`, {
      location: { file: options.origin },
      hint: "check that the step producing it ran and wrote its results",
    });
  }
  const adapter = FORMAT_ADAPTERS.find((candidate) => candidate.name === format);
  if (adapter === undefined) throw new Error(`no adapter for format ${format}`);
  return adapter.parse(text, options);
}
