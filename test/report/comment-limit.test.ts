// A PR comment must fit GitHub's limit: shortened by leaving out whole parts, never by cutting a table.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown.js";
import type { ReportMeasurement } from "../../src/report/model.js";
import { measurement, sampleReport } from "./sample-report.js";

function hugeReport(failing: number) {
  const dimensions = ["Release KPIs", "Fairness", "Drift"];
  const measurements: ReportMeasurement[] = Array.from({ length: 3000 }, (_, i) => {
    const dimension = dimensions[i % 3] ?? "Release KPIs";
    const step = Math.floor(3000 / failing);
    const fails = i % step === 7;
    return measurement({
      name: `${dimension.toLowerCase()} metric number ${i}`,
      dimension,
      requirement: `${dimension} requirement ${i % 17}`,
      value: fails ? 0.5 + i / 100_000 : 0.95 + i / 100_000,
      status: fails ? (Math.floor(i / step) % 2 === 0 ? "fail" : "error") : "pass",
      message: fails ? `metric ${i} is below the target of 0.9` : `metric ${i} passed`,
    });
  });
  const report = sampleReport(measurements);
  return { ...report, dimensions: dimensions.map((name) => ({ ...report.dimensions[0]!, name })) };
}

/** Every table line has the header's number of unescaped cell delimiters: no table was cut. */
function expectWholeTables(markdown: string): void {
  for (const line of markdown.split("\n").filter((l) => l.startsWith("|"))) {
    expect(line.split("|").length - 1, line).toBe(6);
  }
  const tables = markdown.split("\n\n").filter((block) => block.startsWith("| Measurement"));
  for (const table of tables) expect(table.split("\n")[1]).toBe("| :- | -: | :- | -: | :- |");
}

describe("the comment limit", () => {
  it("a huge report stays under the comment limit and keeps every failure", () => {
    const report = hugeReport(12);
    const markdown = renderMarkdown(report);
    expect(markdown.length).toBeLessThanOrEqual(65_000);
    for (const m of report.measurements.filter((x) => x.status !== "pass")) {
      expect(markdown).toContain(`| ${m.name} |`);
      expect(markdown).toContain(m.message);
    }
    expect(markdown.split("\n")[0]).toMatch(
      /^### ❌ mlgate: non-conformant — 3000 gates: 2988 passed, 6 failed, 6 errors$/,
    );
    expect(markdown).toContain(
      "details and 2988 passing measurements not shown; see the full report in the job summary or report file",
    );
    expectWholeTables(markdown);
  });

  it("drops the details first and keeps every row when that is enough", () => {
    const full = renderMarkdown(sampleReport());
    const markdown = renderMarkdown(sampleReport(), { maxLength: full.indexOf("<details>") + 200 });
    expect(markdown).not.toContain("<details>");
    expect(markdown).toContain("| accuracy |");
    expect(markdown).toContain("> ℹ️ Shortened to fit the comment limit: details not shown;");
  });

  it.each([30, 200, 600, 1500, 4000, 20_000])("never exceeds a limit of %i characters", (maxLength) => {
    const markdown = renderMarkdown(hugeReport(300), { maxLength });
    expect(markdown.length).toBeLessThanOrEqual(maxLength);
    expectWholeTables(markdown);
  });

  it("lists as many failures as fit when even the failing rows do not fit", () => {
    const markdown = renderMarkdown(hugeReport(300), { maxLength: 4000 });
    expect(markdown.split("\n")[0]).toContain("mlgate: non-conformant");
    expect(markdown).toContain("#### Needs attention");
    expect(markdown).toMatch(
      /the tables per dimension and \d+ of 300 measurements needing attention not shown/,
    );
  });
});
