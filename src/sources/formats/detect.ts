// Which format a source is in when the config does not say: the file extension first, then a look at
// the content. `detectFormat` asks once; every adapter's `detect` answers from here too, so the adapters
// can never disagree with it or with each other.
import type { FormatName } from "../../config/model.js";

const EXTENSIONS: Readonly<Record<string, FormatName>> = {
  ".json": "json",
  ".yaml": "yaml",
  ".yml": "yaml",
  ".csv": "csv",
  ".tsv": "csv",
};

export const CSV_DELIMITERS = [",", ";", "\t"] as const;

/** The format the extension names, or undefined for an unknown or missing extension. */
export function formatFromExtension(fileName: string): FormatName | undefined {
  const base = fileName.slice(Math.max(fileName.lastIndexOf("/"), fileName.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return undefined;
  return EXTENSIONS[base.slice(dot).toLowerCase()];
}

/** `{` or `[` first means JSON; a delimited header with a matching second line means CSV; else YAML. */
export function formatFromContent(text: string): FormatName {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("{") || start.startsWith("[")) return "json";
  return looksLikeCsv(start) ? "csv" : "yaml";
}

export function detectFormatName(fileName: string, text: string): FormatName {
  return formatFromExtension(fileName) ?? formatFromContent(text);
}

/** An adapter's `detect`: does the one detection name this format? */
export function claimsFormat(name: FormatName): (fileName: string, text: string) => boolean {
  return (fileName, text) => detectFormatName(fileName, text) === name;
}

/**
 * Several lines whose first two agree on the number of delimiters. Comparing with the second line keeps
 * YAML such as `labels: [a, b]` from passing for a CSV header.
 */
function looksLikeCsv(text: string): boolean {
  const lines = text.split(/\r\n|\r|\n/, 3).filter((line) => line.trim() !== "");
  const [header, second] = lines;
  if (header === undefined || second === undefined) return false;
  return CSV_DELIMITERS.some((d) => {
    const count = header.split(d).length - 1;
    return count > 0 && second.split(d).length - 1 === count;
  });
}

/** The delimiter that occurs most often in the header line, `,` when none does. */
export function detectDelimiter(text: string): string {
  const header = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/, 1)[0] ?? "";
  let best: string = ",";
  let bestCount = 0;
  for (const d of CSV_DELIMITERS) {
    const count = header.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}
