// YAML metric files: one document, unique keys, a cap on aliases (no "billion laughs"); `.nan` and
// `.inf` become NaN and Infinity, which the evaluator reports as errors. Errors are in our own words.
import { LineCounter, parseDocument, type YAMLError } from "yaml";
import { MAX_YAML_ALIAS_COUNT as MAX_ALIAS_COUNT } from "../../config/yaml.js";
import { MlgateError } from "../../errors.js";
import type { FormatAdapter, ParseOptions } from "../types.js";
import { claimsFormat } from "./detect.js";

export const yamlFormat: FormatAdapter = {
  name: "yaml",
  detect: claimsFormat("yaml"),
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
    // Its message may name the alias, which is text from the document: that goes to `detail`.
    const problem = /alias count/i.test(cause.message)
      ? `the alias count exceeds the limit of ${MAX_ALIAS_COUNT} expansions`
      : "an alias refers to no anchor defined before it";
    throw new MlgateError("source.parse", `invalid YAML: ${problem}`, {
      location: { file: options.origin },
      hint: `aliases are limited to ${MAX_ALIAS_COUNT} expansions and must follow their anchor`,
      detail: cause.message,
    });
  }
}

/**
 * Our words for each of the yaml package's error codes: its messages may quote the document (an escape,
 * a tag, the start of a value), which can be a confidential value. Its message goes to `detail`.
 */
const DESCRIPTIONS: Readonly<Record<YAMLError["code"], string>> = {
  ALIAS_PROPS: "an alias cannot have an anchor or a tag",
  BAD_ALIAS: "an alias is malformed",
  BAD_COLLECTION_TYPE: "a tag does not fit the collection it is on",
  BAD_DIRECTIVE: "a directive is malformed",
  BAD_DQ_ESCAPE: "a double-quoted string contains an invalid escape sequence",
  BAD_INDENT: "the indentation is wrong, or a bracket is not closed",
  BAD_PROP_ORDER: "an anchor or a tag is in the wrong place",
  BAD_SCALAR_START: "a plain value starts with a reserved character; quote it",
  BLOCK_AS_IMPLICIT_KEY: "a nested mapping is on the same line as its key",
  BLOCK_IN_FLOW: "a block collection is inside brackets",
  DUPLICATE_KEY: "a key appears twice in the same mapping",
  IMPOSSIBLE: "the YAML could not be read",
  KEY_OVER_1024_CHARS: "an implicit key is longer than 1024 characters",
  MISSING_CHAR: "a character is missing (a colon, a comma or a closing bracket or quote)",
  MULTILINE_IMPLICIT_KEY: "an implicit key spans more than one line",
  MULTIPLE_ANCHORS: "a node has more than one anchor",
  MULTIPLE_DOCS: "the file holds more than one document",
  MULTIPLE_TAGS: "a node has more than one tag",
  NON_STRING_KEY: "a key is not a string",
  RESOURCE_EXHAUSTION: "the document needs too many resources to read",
  TAB_AS_INDENT: "a tab is used for indentation",
  TAG_RESOLVE_FAILED: "a tag cannot be resolved",
  UNEXPECTED_TOKEN: "unexpected text at this position",
};

function yamlError(error: YAMLError, origin: string): MlgateError {
  const start = error.linePos?.[0];
  return new MlgateError("source.parse", `invalid YAML: ${DESCRIPTIONS[error.code]}`, {
    location: { file: origin, ...(start ? { line: start.line, column: start.col } : {}) },
    hint:
      error.code === "DUPLICATE_KEY"
        ? "a key appears twice in the same mapping; keep one"
        : "check indentation and that brackets and quotes are closed",
    // prettyErrors appends the offending lines, which may hold values: keep only the sentence.
    detail: error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, ""),
  });
}
