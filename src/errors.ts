// The one error type users see. Adapters turn it into exit code 2, a failed step or a check run;
// anything else thrown is a bug and keeps its stack for us.
import { escapeText } from "./report/escape.js";

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
  | "baseline.invalid"
  | "maturity.syntax"
  | "maturity.schema"
  | "maturity.semantic";

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
  /**
   * Diagnostic text from outside (a command's stderr tail). It may hold anything the program printed,
   * so it is shown only where no confidential value can be involved, and always escaped.
   */
  readonly detail: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { location?: Location; hint?: string; related?: readonly MlgateError[]; detail?: string } = {},
  ) {
    super(message);
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
    this.related = options.related ?? [];
    this.detail = options.detail;
  }

  /** The same error without its outside diagnostic text. */
  withoutDetail(): MlgateError {
    if (this.detail === undefined) return this;
    return new MlgateError(this.code, this.message, {
      ...(this.location ? { location: this.location } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
      related: this.related,
    });
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

/** Each part escaped: config keys and command output may hold newlines, ANSI codes or `::` commands. */
function formatOne(error: MlgateError): string {
  const where = formatLocation(error.location);
  const lines = [escapeText(where ? `${where}: ${error.message}` : error.message)];
  if (error.hint) lines.push(`  hint: ${escapeText(error.hint)}`);
  if (error.detail) lines.push(`  output: ${escapeText(error.detail)}`);
  return lines.join("\n");
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
