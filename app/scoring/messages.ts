// What the App's main thread and a scoring worker say to each other. A worker receives a repository's view
// and the organisation's frameworks (plain data, copied by structured clone) and answers with the snapshot
// and the self-assessment's error as plain data, which the main thread turns back into an MlgateError.
import { MlgateError, type ErrorCode, type Location } from "../../src/errors.js";
import type { Framework } from "../../src/maturity/framework.js";
import type { MaturitySnapshot } from "../../src/maturity/score.js";
import type { RepositoryView } from "../../src/maturity/view.js";

export interface ScoreRequest {
  id: number;
  view: RepositoryView;
  frameworks: readonly Framework[];
}

export interface PlainError {
  code: ErrorCode;
  message: string;
  location?: Location;
  hint?: string;
  detail?: string;
  related: PlainError[];
}

export type WorkerMessage =
  | { kind: "ready" }
  | { kind: "scored"; id: number; snapshot: MaturitySnapshot; framework: string; error?: PlainError }
  /** assessRepository threw something other than an MlgateError: a bug, with its stack for the log. */
  | { kind: "failed"; id: number; stack: string };

export function toPlainError(error: MlgateError): PlainError {
  return {
    code: error.code,
    message: error.message,
    ...(error.location ? { location: error.location } : {}),
    ...(error.hint !== undefined ? { hint: error.hint } : {}),
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
    related: error.related.map(toPlainError),
  };
}

export function fromPlainError(plain: PlainError): MlgateError {
  return new MlgateError(plain.code, plain.message, {
    ...(plain.location ? { location: plain.location } : {}),
    ...(plain.hint !== undefined ? { hint: plain.hint } : {}),
    ...(plain.detail !== undefined ? { detail: plain.detail } : {}),
    related: plain.related.map(fromPlainError),
  });
}
