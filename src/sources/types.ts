// What every assessment interface (file, command, http) hands to the evaluator, and what it needs to run.
import type { FormatName } from "../config/model.js";
import type { Secrets } from "../secrets.js";
import type { ToolMeasurement } from "./formats/tool.js";
import type { Unavailable } from "./formats/tree.js";

/** Everything a source needs from the outside world, passed in so tests use the real thing. */
export interface SourceContext {
  /** Directory that relative file paths and commands resolve against. */
  cwd: string;
  /** Environment for `${{ env.NAME }}` interpolation and for commands. */
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof globalThis.fetch;
  /** What the process knows to be secret: scrubbed from a command's stderr before it is kept. */
  secrets?: Secrets;
  /**
   * Whether `command:` sources may run. false where the config or the checkout may be a pull request's
   * while the job holds write credentials (`pull_request_target`, `workflow_run`): such a source is then
   * an error, never run.
   */
  allowCommands?: boolean;
}

/** A parsed source. `data` is a JSON-like tree; CSV cells are text that the data type decides how to read. */
export interface SourceDocument {
  source: string;
  /** What was read, for messages: a relative path, a command line, or a URL without its query. */
  origin: string;
  format: FormatName;
  data: unknown;
  /** True when leaf values are untyped text (CSV cells): `"0.9"` is then a number for a numeric gate. */
  textCells: boolean;
  /**
   * A tool format's named measurements. A gate's `path` is first looked up here as a whole name
   * (`tests/Share of Drifted Columns`), then, for files that are JSON, as a path into `data`.
   */
  measurements?: readonly ToolMeasurement[];
  /**
   * Parts a tree format found declared but could not read (a DVC metrics file not written yet, a cut-off
   * MLflow metric file): a gate whose path starts with `prefix` reports this error.
   */
  unavailable?: readonly Unavailable[];
}

/** A format adapter turns text into a document tree. One module per format, one list of them. */
export interface FormatAdapter {
  name: FormatName;
  /** Does the file name or content look like this format? Used when the source names no format. */
  detect(fileName: string, text: string): boolean;
  /** Parses or throws an MlgateError (code `source.parse`) naming line and column. */
  parse(text: string, options: ParseOptions): { data: unknown; textCells: boolean };
}

export interface ParseOptions {
  /** Shown in errors. */
  origin: string;
  /** CSV: the column(s) that key the rows; the first column when absent. */
  key?: string[];
  /** CSV: the field delimiter; detected when absent (`,`, `;`, tab). */
  delimiter?: string;
}
