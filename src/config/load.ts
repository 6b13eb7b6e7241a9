// Reads the gates config: YAML with positions, then the zod schema, then normalisation to the gates model.
// Every problem becomes an MlgateError naming file:line:column; several problems are reported together.
import { LineCounter, parseDocument, visit, type Document } from "yaml";
import { MlgateError, throwAll } from "../errors.js";
import { issueToError } from "./issues.js";
import type { Specification } from "./model.js";
import { normalizeConfig } from "./normalize.js";
import { ConfigPositions } from "./positions.js";
import { ConfigSchema, type RawConfig } from "./schema.js";

export interface ParsedConfig {
  raw: RawConfig;
  positions: ConfigPositions;
}

/** YAML text to the validated raw config. `file` is only used in messages. */
export function parseConfig(text: string, file: string): ParsedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const syntax = doc.errors.map((error) => {
    const position = error.linePos?.[0];
    const message =
      error.code === "MULTIPLE_DOCS"
        ? "the config holds more than one YAML document"
        : `YAML syntax error: ${firstLine(error.message)}`;
    return new MlgateError("config.syntax", message, {
      location: { file, ...(position ? { line: position.line, column: position.col } : {}) },
      hint:
        error.code === "MULTIPLE_DOCS"
          ? "remove the `---` line and everything after it, or merge the documents"
          : "fix the YAML at this position; a YAML linter or your editor's YAML mode shows the structure",
    });
  });
  throwAll(syntax);
  throwAll(prototypeKeys(doc, lines, file));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const alias = firstAliasOffset(doc);
    const at =
      alias === undefined ? {} : { line: lines.linePos(alias).line, column: lines.linePos(alias).col };
    throw new MlgateError("config.syntax", `YAML could not be expanded: ${(error as Error).message}`, {
      location: { file, ...at },
      hint: "remove deeply nested or repeated aliases (*name) from the config",
    });
  }
  const positions = new ConfigPositions(file, doc, lines);
  if (value === null || value === undefined) {
    throw new MlgateError("config.schema", "the config is empty", {
      location: { file, line: 1, column: 1 },
      hint: "start with `version: 1`, `sources:` and `kpis:`; `mlgate init` writes a starter config",
    });
  }
  const result = ConfigSchema.safeParse(value);
  if (!result.success) throwAll(result.error.issues.map((issue) => issueToError(issue, value, positions)));
  return { raw: result.data as RawConfig, positions };
}

/** YAML text to the normalised gates model. */
export function loadConfig(text: string, file: string): Specification {
  const { raw, positions } = parseConfig(text, file);
  return normalizeConfig(raw, positions);
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

/** `__proto__` as a key would be dropped or reach a prototype; no config needs it, so it is refused. */
function prototypeKeys(doc: Document, lines: LineCounter, file: string): MlgateError[] {
  const errors: MlgateError[] = [];
  visit(doc, {
    Pair(_key, pair) {
      const key = pair.key as { value?: unknown; range?: [number, number, number] } | null;
      if (key?.value === "__proto__") {
        const at = key.range ? lines.linePos(key.range[0]) : undefined;
        errors.push(
          new MlgateError("config.schema", 'the key "__proto__" is not allowed', {
            location: { file, ...(at ? { line: at.line, column: at.col } : {}) },
            hint: "choose another name",
          }),
        );
      }
    },
  });
  return errors;
}
