import { describe, expect, it } from "vitest";
import { MlgateError } from "../../src/errors.js";
import { interpolateEnv } from "../../src/sources/interpolate.js";

const env = { RUN_ID: "42", TOKEN: "s3cr3t-value", EMPTY: "" };
const field = "sources.tracker.url";

function interpolationError(text: string): MlgateError {
  try {
    interpolateEnv(text, env, field);
  } catch (error) {
    if (error instanceof MlgateError) return error;
    throw error;
  }
  throw new Error("expected an interpolation error");
}

describe("${{ env.NAME }} interpolation", () => {
  it.each([
    ["https://mlflow.example/runs?run_id=${{ env.RUN_ID }}", "https://mlflow.example/runs?run_id=42"],
    ["${{env.RUN_ID}}/${{   env.RUN_ID   }}", "42/42"],
    ["Bearer ${{ env.TOKEN }}", "Bearer s3cr3t-value"],
    ["no expressions, $ and {{ }} stay", "no expressions, $ and {{ }} stay"],
  ])("expands %s", (text, expected) => {
    expect(interpolateEnv(text, env, field)).toBe(expected);
  });

  it("does not treat $ patterns in a value as replacement syntax", () => {
    expect(interpolateEnv("${{ env.X }}", { X: "a$&b$1" }, field)).toBe("a$&b$1");
  });

  it.each(["${{ secrets.TOKEN }}", "${{ github.sha }}", "${{ env.RUN_ID || 'x' }}", "${{ env['RUN_ID'] }}"])(
    "refuses the expression %s and says only env.NAME works",
    (text) => {
      const error = interpolationError(text);
      expect(error.code).toBe("source.env");
      expect(error.message).toContain(field);
      expect(error.hint).toContain("only `${{ env.NAME }}` is supported");
    },
  );

  it("names the unset variable and the field", () => {
    const error = interpolationError("https://x/${{ env.MISSING_RUN }}");
    expect(error.code).toBe("source.env");
    expect(error.message).toBe("the environment variable MISSING_RUN used in sources.tracker.url is not set");
    expect(error.location).toEqual({ field });
  });

  it("counts an empty variable as not set (a missing CI secret expands to nothing)", () => {
    expect(interpolationError("${{ env.EMPTY }}").message).toContain("EMPTY");
  });

  it("refuses an expression that never closes", () => {
    expect(interpolationError("https://x/${{ env.RUN_ID").code).toBe("source.env");
  });

  it("never shows a variable's value in an error", () => {
    const error = interpolationError("${{ env.TOKEN }}:${{ env.MISSING }}");
    expect(`${error.message} ${error.hint ?? ""}`).not.toContain("s3cr3t");
  });
});
