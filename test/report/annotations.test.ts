// Annotations put each failing measurement on the line of the gates config that declares it.
import { describe, expect, it } from "vitest";
import { annotationsOf } from "../../src/report/annotations.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { CANARY, CANARY_ROUNDED, measurement, sampleReport } from "./sample-report.js";

describe("annotations", () => {
  it("puts failures, errors and warnings on their config lines, most urgent first, none for passes or skips", () => {
    const annotations = annotationsOf(sampleReport());
    expect(annotations.map((a) => [a.title, a.level, a.file, a.line, a.column])).toEqual([
      ["mlgate: macro_f1 failed", "failure", ".github/mlgate.yml", 5, 3],
      ["mlgate: DPD on the holdout set failed", "failure", ".github/mlgate.yml", 5, 3],
      ["mlgate: calibration_error could not be assessed", "failure", ".github/mlgate.yml", 5, 3],
      ["mlgate: p95_ms warning", "warning", ".github/mlgate.yml", 5, 3],
    ]);
    expect(annotations[0]?.message).toBe(
      "Release KPIs › Release KPIs: macro_f1 is 0.8123, below the target of 0.85",
    );
  });

  it("never carries a confidential value or a line break that could start a workflow command", () => {
    const report = sampleReport([
      measurement({
        name: "x\n::error::forged",
        status: "fail",
        redacted: true,
        value: Number(CANARY),
        message: `got ${CANARY}, expected < 0.1`,
        declaredAt: "configs/gates.yml:12:5",
      }),
    ]);
    const [annotation] = annotationsOf(report);
    expect(annotation).toMatchObject({ file: "configs/gates.yml", line: 12, column: 5 });
    const text = JSON.stringify(annotation);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(CANARY_ROUNDED);
    expect(annotation?.title).not.toContain("\n");
  });
});

describe("the Markdown report around a PR comment", () => {
  it("opens with the preamble and keeps the whole text under the limit", () => {
    const preamble = "> [!WARNING]\n> **This change loosens the release gates: 1 gate removed**";
    const markdown = renderMarkdown(sampleReport(), { preamble, maxLength: 3000 });
    expect(markdown.startsWith(`${preamble}\n\n### ❌ mlgate: non-conformant`)).toBe(true);
    expect(markdown.length).toBeLessThanOrEqual(3000);
  });

  it("links the shortened note to the job summary, and only an http(s) URL", () => {
    const url = "https://github.com/acme/credit/actions/runs/42";
    const shortened = renderMarkdown(sampleReport(), { maxLength: 1500, fullReportUrl: url });
    expect(shortened).toContain(`see the full report in the [job summary](${url}) or the report file.`);
    const hostile = renderMarkdown(sampleReport(), { maxLength: 1500, fullReportUrl: "javascript:alert(1)" });
    expect(hostile).toContain("see the full report in the job summary or report file.");
    expect(hostile).not.toContain("javascript");
  });
});
