// Confidential measurements: only pass/fail is shown, in every format, even if a caller forgot to redact.
import { describe, expect, it } from "vitest";
import { OUTPUT_FORMATS, renderReport } from "../../src/report/index.js";
import { CANARY, CANARY_ROUNDED, measurement, sampleReport, SAMPLE_MEASUREMENTS } from "./sample-report.js";

const options = [{}, { color: true }, { maxLength: 1500 }];

describe("confidential values", () => {
  it.each(OUTPUT_FORMATS)("a confidential value appears in no output format (%s)", (format) => {
    for (const option of options) {
      const output = renderReport(sampleReport(), format, option);
      expect(output).not.toContain(CANARY);
      expect(output).not.toContain(CANARY_ROUNDED);
    }
  });

  it.each(OUTPUT_FORMATS)("a confidential value a caller left in the message is scrubbed (%s)", (format) => {
    const leaky = measurement({
      name: "DPD",
      redacted: true,
      value: 0.987654321,
      status: "fail",
      message: `DPD ${CANARY} (≈ ${CANARY_ROUNDED}) is not below 0.1`,
    });
    const output = renderReport(sampleReport([...SAMPLE_MEASUREMENTS, leaky]), format);
    expect(output).not.toContain(CANARY);
    expect(output).not.toContain(CANARY_ROUNDED);
  });

  // The renderers scrub only a redacted measurement's own values (see redact.ts): they cannot know every
  // secret. Keeping anything else out of the message, such as a command's stderr, is the evaluator's job.
  it.each(OUTPUT_FORMATS)("a redacted measurement's message is shown as given otherwise (%s)", (format) => {
    const stderr = "scorer stderr: token ghs-CANARY-7f3a rejected";
    const secret = measurement({
      name: "DPD",
      redacted: true,
      value: 0.05,
      status: "error",
      message: stderr,
    });
    const output = renderReport(sampleReport([...SAMPLE_MEASUREMENTS, secret]), format);
    expect(output).toContain("ghs-CANARY-7f3a");
  });

  it("still shows the target and the verdict of a confidential measurement", () => {
    const markdown = renderReport(sampleReport(), "markdown");
    expect(markdown).toContain("| DPD on the holdout set | ••• | &lt; 0.1 | ••• | ❌ fail |");
  });
});
