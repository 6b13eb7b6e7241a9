// Bytes from a file, a command or a response become a document here: strict UTF-8 (a leading BOM
// dropped), so a UTF-16 or binary file is reported as such instead of being parsed as garbage; then the
// format (named, or detected from the file name and content) parses it.
import type { FormatName } from "../config/model.js";
import { MlgateError } from "../errors.js";
import { detectFormat, parseDocument } from "./formats/index.js";
import { measurementTree } from "./formats/tool.js";
import { detectToolFormat, toolFormat } from "./formats/tools.js";
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
  return textDocument(decodeUtf8(bytes, origin), spec, origin, fileName);
}

/**
 * The same from decoded text. A caller that drops its bytes before parsing lets a 50 MB file be held
 * once, as text, instead of twice.
 */
export function textDocument(text: string, spec: Readable, origin: string, fileName: string): SourceDocument {
  const tool = spec.format ? toolFormat(spec.format) : detectToolFormat(fileName, text);
  if (tool) {
    if (text.replace(/^\uFEFF/, "").trim() === "") {
      throw new MlgateError("source.parse", `the ${tool.title} file is empty`, {
        location: { file: origin },
        hint: "check that the step producing it ran and wrote its results",
      });
    }
    let measurements;
    try {
      measurements = tool.read(text, { origin });
    } catch (error) {
      // Detected, not named: a file the tool's reader refuses is still read as plain JSON, YAML or CSV.
      if (spec.format || !(error instanceof MlgateError)) throw error;
      return plainSource(text, spec, origin, fileName);
    }
    // A JSON or CSV file stays addressable by JSON Pointer too, as the plain format reads it (with the
    // source's key and delimiter): configs written before its tool format was known keep working.
    // It is parsed only when a gate asks for something that is not a name: a 50 MB drift report is
    // then read once, not twice.
    const plainFormat = detectFormat(fileName, text);
    let plain: unknown;
    let parsed = false;
    return {
      source: spec.name,
      origin,
      format: tool.name as FormatName,
      measurements,
      // CSV cells are text; a measurement's value is typed already and is not affected by this.
      textCells: plainFormat === "csv",
      get data() {
        if (!parsed) {
          parsed = true;
          const document =
            plainFormat === "json" || plainFormat === "csv"
              ? plainDocument(text, plainFormat, spec, origin)
              : undefined;
          plain = document ? document.data : measurementTree(measurements, origin);
        }
        return plain;
      },
    };
  }
  return plainSource(text, spec, origin, fileName);
}

function plainSource(text: string, spec: Readable, origin: string, fileName: string): SourceDocument {
  const format = spec.format ?? detectFormat(fileName, text);
  const options = {
    origin,
    ...(spec.key ? { key: spec.key } : {}),
    ...(spec.delimiter ? { delimiter: spec.delimiter } : {}),
  };
  const { data, textCells } = parseDocument(text, format, options);
  return { source: spec.name, origin, format, data, textCells };
}

/** The plain reading of a file a tool format also reads; undefined when it does not parse that way. */
function plainDocument(text: string, format: FormatName, spec: Readable, origin: string) {
  try {
    return parseDocument(text, format, {
      origin,
      ...(spec.key ? { key: spec.key } : {}),
      ...(spec.delimiter ? { delimiter: spec.delimiter } : {}),
    });
  } catch (error) {
    if (error instanceof MlgateError) return undefined;
    throw error;
  }
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
