// YAML text to a plain value with positions kept: syntax errors, `__proto__` keys and alias bombs become
// MlgateErrors naming file:line:column. Shared by the gates config, self-assessments and frameworks.
import { LineCounter, parseDocument, visit, type Document } from "yaml";
import { MlgateError, throwAll } from "../errors.js";
import { ConfigPositions } from "./positions.js";

export interface YamlFileKind {
  /** The error-code family: `config.syntax`, `maturity.schema`, ... */
  code: "config" | "maturity";
  /** How messages name the file's content: "the config", "the self-assessment". */
  what: string;
  /** What to write into an empty file. */
  emptyHint: string;
}

/**
 * The most alias expansions any YAML we read may need (the gates config, self-assessments, frameworks,
 * metric files, workflows and dvc.yaml the maturity detectors read). Below the yaml package's own default
 * of 100, so the cap is ours: a real config uses a handful of anchors, a "billion laughs" needs thousands.
 */
export const MAX_YAML_ALIAS_COUNT = 50;

/** Parses one YAML document; refuses empty files, several documents, `__proto__` keys and alias bombs. */
export function readYaml(
  text: string,
  file: string,
  kind: YamlFileKind,
): { value: unknown; positions: ConfigPositions } {
  const lines = new LineCounter();
  // YAML 1.2 counts a lone CR as a line break; the yaml package does not. A CR becomes an LF, one character
  // for one, so every offset, line and column stays what an editor shows for a classic-Mac file.
  const doc = parseDocument(text.replace(/\r(?!\n)/g, "\n"), {
    lineCounter: lines,
    prettyErrors: true,
    uniqueKeys: true,
  });
  const syntax = doc.errors.map((error) => {
    const position = error.linePos?.[0];
    const multiple = error.code === "MULTIPLE_DOCS";
    return new MlgateError(
      `${kind.code}.syntax`,
      multiple
        ? `${kind.what} holds more than one YAML document`
        : `YAML syntax error: ${firstLine(error.message)}`,
      {
        location: { file, ...(position ? { line: position.line, column: position.col } : {}) },
        hint: multiple
          ? "remove the `---` line and everything after it, or merge the documents"
          : "fix the YAML at this position; a YAML linter or your editor's YAML mode shows the structure",
      },
    );
  });
  throwAll(syntax);
  throwAll(prototypeKeys(doc, lines, file, kind));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (error) {
    const alias = firstAliasOffset(doc);
    const at =
      alias === undefined ? {} : { line: lines.linePos(alias).line, column: lines.linePos(alias).col };
    throw new MlgateError(`${kind.code}.syntax`, `YAML could not be expanded: ${(error as Error).message}`, {
      location: { file, ...at },
      hint: `remove deeply nested or repeated aliases (*name) from ${kind.what}`,
    });
  }
  if (value === null || value === undefined) {
    throw new MlgateError(`${kind.code}.schema`, `${kind.what} is empty`, {
      location: { file, line: 1, column: 1 },
      hint: kind.emptyHint,
    });
  }
  return { value, positions: new ConfigPositions(file, doc, lines) };
}

/** yaml's pretty message repeats the position and quotes context lines; the location already says it. */
function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}

function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

/** `__proto__` as a key would be dropped or reach a prototype; no file of ours needs it, so it is refused. */
function prototypeKeys(doc: Document, lines: LineCounter, file: string, kind: YamlFileKind): MlgateError[] {
  const errors: MlgateError[] = [];
  visit(doc, {
    Pair(_key, pair) {
      const key = pair.key as { value?: unknown; range?: [number, number, number] } | null;
      if (key?.value === "__proto__") {
        const at = key.range ? lines.linePos(key.range[0]) : undefined;
        errors.push(
          new MlgateError(`${kind.code}.schema`, 'the key "__proto__" is not allowed', {
            location: { file, ...(at ? { line: at.line, column: at.col } : {}) },
            hint: "choose another name",
          }),
        );
      }
    },
  });
  return errors;
}
