// The error the storage layer shows an operator: the data directory is in use, or PostgreSQL cannot be reached.
// src/errors.ts's MlgateError codes describe configs and metric sources, none of which fits, so the store has its own.

export type StoreErrorCode = "store.locked" | "store.unreachable";

export class StoreError extends Error {
  override readonly name = "StoreError";
  readonly code: StoreErrorCode;

  /** `message` says what happened and what to do, in full: it is often the only line an operator sees. */
  constructor(code: StoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.code = code;
  }
}
