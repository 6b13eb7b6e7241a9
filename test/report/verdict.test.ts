// One way of counting: the verdict lines of every format agree with the report's summary.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown.js";
import type { Summary } from "../../src/report/model.js";
import { renderText } from "../../src/report/text.js";
import { describeCounts } from "../../src/report/verdict.js";
import { measurement, sampleReport, SAMPLE_MEASUREMENTS } from "./sample-report.js";

const fromSummary = (s: Summary): string => describeCounts({ ...s, warning: s.warnings });

describe("the verdict counts", () => {
  const report = sampleReport([
    ...SAMPLE_MEASUREMENTS,
    measurement({ name: "probe", severity: "warning", status: "error", message: "probe timed out" }),
  ]);

  it("count a warning gate's failure or error once, as a warning, as report.summary does", () => {
    expect(report.summary).toMatchObject({ total: 7, fail: 2, error: 1, warnings: 2, skipped: 1, pass: 1 });
    expect(fromSummary(report.summary)).toBe("7 gates: 1 passed, 2 failed, 1 error, 2 warnings, 1 skipped");
  });

  it("are the summary's in the Markdown and text verdict lines", () => {
    const counts = fromSummary(report.summary);
    expect(renderMarkdown(report).split("\n")[0]).toBe(`### ❌ mlgate: non-conformant — ${counts}`);
    const text = renderText(report).trimEnd().split("\n");
    expect(text[0]).toBe(`✖ mlgate: non-conformant — ${counts}`);
    expect(text.at(-1)).toBe(`Result: non-conformant — ${counts}`);
  });
});
