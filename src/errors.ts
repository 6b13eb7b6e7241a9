// The one error type users see. Adapters turn it into exit code 2, a failed step or a check run;
// anything else thrown is a bug and keeps its stack for us.

export type ErrorCode =
  | "config.syntax"
  | "config.schema"
  | "config.semantic"
  | "config.not-found"
  | "usage"
  | "source.not-found"
  | "source.unreadable"
  | "source.parse"
  | "source.too-large"
  | "source.timeout"
  | "source.command"
  | "source.http"
  | "source.env"
  | "select.missing"
  | "select.ambiguous"
  | "baseline.invalid";

/** Where an error is: a file with an optional line and column (1-based), or a field path. */
export interface Location {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

export class MlgateError extends Error {
  override readonly name = "MlgateError";
  readonly code: ErrorCode;
  readonly location: Location | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { location?: Location; hint?: string } = {}) {
    super(message);
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
  }
}

/** `file:line:column` (or as much of it as is known), then the field when there is one. */
export function formatLocation(location: Location | undefined): string {
  if (!location) return "";
  let where = location.file ?? "";
  if (location.line !== undefined) where += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) where += `:${location.column}`;
  if (location.field) where += where ? ` (${location.field})` : location.field;
  return where;
}

/** One line for a terminal or a log: `where: message. hint` */
export function formatError(error: MlgateError): string {
  const where = formatLocation(error.location);
  const text = where ? `${where}: ${error.message}` : error.message;
  return error.hint ? `${text}\n  hint: ${error.hint}` : text;
}
