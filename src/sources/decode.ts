// Bytes from a file, a command or a response become a document here: strict UTF-8 (a leading BOM
// dropped), so a UTF-16 or binary file is reported as such instead of being parsed as garbage; then the
// format (named, or detected from the file name and content) parses it.
import type { FormatName } from "../config/model.js";
import { MlgateError } from "../errors.js";
import { detectFormat, parseDocument } from "./formats/index.js";
import type { SourceDocument } from "./types.js";

interface Readable {
  name: string;
  format?: FormatName;
  key?: string[];
  delimiter?: string;
}

/** `fileName` helps detection; "" lets the content decide (a command's stdout). */
export function toDocument(
  bytes: Uint8Array,
  spec: Readable,
  origin: string,
  fileName: string,
): SourceDocument {
  const text = decodeUtf8(bytes, origin);
  const format = spec.format ?? detectFormat(fileName, text);
  const options = {
    origin,
    ...(spec.key ? { key: spec.key } : {}),
    ...(spec.delimiter ? { delimiter: spec.delimiter } : {}),
  };
  const { data, textCells } = parseDocument(text, format, options);
  return { source: spec.name, origin, format, data, textCells };
}

const decoder = new TextDecoder("utf-8", { fatal: true });

export function decodeUtf8(bytes: Uint8Array, origin: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe;
    return fail(origin, utf16 ? "it is UTF-16 text" : "it contains bytes that are not UTF-8");
  }
}

function fail(origin: string, reason: string): never {
  throw new MlgateError("source.unreadable", `${origin} is not UTF-8 text: ${reason}`, {
    location: { file: origin },
    hint: "write metric files as UTF-8 (e.g. `open(path, 'w', encoding='utf-8')` in Python)",
  });
}
