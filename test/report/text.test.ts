// The terminal view: verdict first, aligned lines per dimension, messages under what did not pass.
import { describe, expect, it } from "vitest";
import { renderText } from "../../src/report/text.js";
import { measurement, sampleReport } from "./sample-report.js";

describe("renderText", () => {
  it("starts with the verdict and ends with the summary", () => {
    const lines = renderText(sampleReport()).trimEnd().split("\n");
    expect(lines[0]).toBe(
      "✖ mlgate: non-conformant — 6 gates: 1 passed, 2 failed, 1 error, 1 warning, 1 skipped",
    );
    expect(lines.at(-1)).toBe(
      "Result: non-conformant — 6 gates: 1 passed, 2 failed, 1 error, 1 warning, 1 skipped",
    );
  });

  it("shows each measurement with its mark, value, target and delta, and the message when it did not pass", () => {
    const text = renderText(sampleReport());
    expect(text).toContain("  ✔ accuracy           0.9312  ≥ 0.9   Δ +0.0012\n");
    expect(text).toContain(
      "  ✖ macro_f1           0.8123  ≥ 0.85  Δ −0.0289\n      macro_f1 is 0.8123, below the target of 0.85\n",
    );
    expect(text).toContain("  ! p95_ms ");
    expect(text).toContain("  ? calibration_error ");
    expect(text).toContain("      not due until 2026-03-06 (weekly)\n");
  });

  it("shows the verdict a skipped gate carries from its last assessment", () => {
    const text = renderText(sampleReport());
    expect(text).toContain("  - Feature drift share     —    in [0, 0.3)  skipped (last: pass)\n");
    const failedBefore = measurement({ name: "drift", status: "skipped", lastStatus: "fail" });
    expect(renderText(sampleReport([failedBefore]))).toContain("≥ 0.9  skipped (last: fail)\n");
  });

  it("uses no colour unless asked, and ANSI colour when asked", () => {
    expect(renderText(sampleReport())).not.toContain("\u001b[");
    const colored = renderText(sampleReport(), { color: true });
    expect(colored).toContain("\u001b[32m✔\u001b[0m accuracy");
    expect(colored).toContain("\u001b[31m✖\u001b[0m macro_f1");
  });

  it("renders a small report as reviewed", () => {
    const report = {
      ...sampleReport([
        measurement({
          name: "accuracy",
          value: 0.9277021394831897,
          baseline: { value: 0.92, delta: 0.0077021394831897, ref: "main@4f1c2ab" },
        }),
        measurement({
          name: "p95_ms",
          comparisonStrategy: "LessThan",
          targetValue: 120,
          value: 131,
          status: "fail",
          message: "p95_ms is 131, not below 120",
        }),
      ]),
      dimensions: [],
    };
    expect(renderText(report)).toMatchInlineSnapshot(`
      "✖ mlgate: non-conformant — 2 gates: 1 passed, 1 failed
      Specification: Credit scoring — internal conformity assessment

      Release KPIs
        ✔ accuracy  0.9277  ≥ 0.9  Δ +0.007702
        ✖ p95_ms    131     < 120
            p95_ms is 131, not below 120

      Result: non-conformant — 2 gates: 1 passed, 1 failed
      "
    `);
  });
});
