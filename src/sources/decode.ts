// Bytes from a file, a command or a response become text here: strict UTF-8 (a leading BOM dropped),
// so a UTF-16 or binary file is reported as such instead of being parsed as garbage.
import { MlgateError } from "../errors.js";

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
