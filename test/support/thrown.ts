// The MlgateError a call throws; anything else thrown (or nothing) fails the test.
import { MlgateError } from "../../src/errors.js";

export function thrownBy(call: () => unknown): MlgateError {
  try {
    call();
  } catch (error) {
    if (error instanceof MlgateError) return error;
    throw error;
  }
  throw new Error("expected an MlgateError, but nothing was thrown");
}
