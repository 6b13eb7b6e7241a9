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
  /** Further problems found in the same pass (a config with three mistakes reports all three). */
  readonly related: readonly MlgateError[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { location?: Location; hint?: string; related?: readonly MlgateError[] } = {},
  ) {
    super(message);
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
    this.related = options.related ?? [];
  }

  /** This error and every related one, in order. */
  all(): MlgateError[] {
    return [this, ...this.related];
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
  return error.all().map(formatOne).join("\n");
}

function formatOne(error: MlgateError): string {
  const where = formatLocation(error.location);
  const text = where ? `${where}: ${error.message}` : error.message;
  return error.hint ? `${text}\n  hint: ${error.hint}` : text;
}

/** Throws the first of `errors` carrying the rest as related errors; does nothing when there are none. */
export function throwAll(errors: readonly MlgateError[]): void {
  const [first, ...rest] = errors;
  if (!first) return;
  throw new MlgateError(first.code, first.message, {
    ...(first.location ? { location: first.location } : {}),
    ...(first.hint ? { hint: first.hint } : {}),
    related: [...first.related, ...rest],
  });
}
