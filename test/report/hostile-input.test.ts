// Names, messages and paths come from files a pull request can edit: they must stay inert everywhere.
import { describe, expect, it } from "vitest";
import { renderJunit } from "../../src/report/junit.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderText } from "../../src/report/text.js";
import { measurement, sampleReport, SAMPLE_MEASUREMENTS } from "./sample-report.js";
import { xmlProblems } from "./xml-check.js";

const HOSTILE =
  "x | y <img src=x onerror=alert(1)> @octocat `code` [link](http://evil) \n::error::forged <!-- mlgate-marker --> \u001b[2J\u202E";

function hostileReport() {
  const evil = measurement({
    name: HOSTILE,
    dimension: HOSTILE,
    requirement: HOSTILE,
    metric: HOSTILE,
    source: HOSTILE,
    path: HOSTILE,
    comparisonStrategy: "OneOf",
    targetValue: [HOSTILE, "ok"],
    value: HOSTILE,
    status: "fail",
    message: HOSTILE,
    declaredAt: HOSTILE,
    frequency: HOSTILE,
  });
  const report = sampleReport([...SAMPLE_MEASUREMENTS, evil]);
  return {
    ...report,
    specification: { ...report.specification, name: HOSTILE, comment: HOSTILE, assessor: HOSTILE },
    run: { ...report.run, ref: HOSTILE, repository: HOSTILE, tool: HOSTILE },
  };
}

/** Pipes that split a table cell: not escaped by a backslash (entities are not pipes at all). */
const cellDelimiters = (line: string): number =>
  line.split("|").length - 1 - (line.match(/\\\|/g) ?? []).length;

describe("a hostile metric name stays inert", () => {
  it("in the PR comment", () => {
    const markdown = renderMarkdown(hostileReport());
    expect(markdown).not.toContain("<img");
    expect(markdown).not.toContain("<!--");
    expect(markdown).not.toMatch(/@octocat/);
    expect(markdown).not.toContain("`");
    expect(markdown).not.toContain("](");
    expect(markdown).not.toContain("\u001b");
    expect(markdown).not.toContain("\u202E");
    const rows = markdown.split("\n").filter((line) => line.startsWith("| x &#124; y"));
    expect(rows).toHaveLength(1);
    expect(cellDelimiters(rows[0] ?? "")).toBe(6);
    expect(rows[0]).toMatch(/❌ fail \|$/);
  });

  it("in the terminal", () => {
    const text = renderText(hostileReport(), { color: true });
    for (const line of text.split("\n")) expect(line.trimStart().startsWith("::")).toBe(false);
    expect(text).not.toContain("\u001b[2J");
    expect(text).not.toContain("\u202E");
    expect(text).toContain("\\n::error::forged");
  });

  it("in JUnit XML", () => {
    const xml = renderJunit(hostileReport());
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).not.toContain("<img");
    expect(xml).not.toContain("<!--");
  });
});
