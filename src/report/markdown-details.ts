// The folded "Details" part of the PR comment: where each gate is declared and read from, when it was
// assessed, and which baseline and run the report belongs to.
import { boldMarkdown, escapeMarkdown as esc } from "./escape.js";
import { displayMeasurement, NONE } from "./format-value.js";
import type { Report, ReportMeasurement } from "./model.js";
import type { DimensionSection } from "./verdict.js";
import { describeSkipped } from "./verdict.js";

export function renderDetails(report: Report, sections: readonly DimensionSection[]): string {
  const measurements = sections.map((s) =>
    [`#### ${esc(s.name)}`, ...s.measurements.map(detailItem)].join("\n"),
  );
  return [
    "<details><summary>Details</summary>",
    ...measurements,
    [specificationLine(report), baselineLine(report), runLine(report)].join("  \n"),
    "</details>",
  ].join("\n\n");
}

function detailItem(m: ReportMeasurement): string {
  const shown = displayMeasurement(m);
  // A skipped gate's status is only "skipped"; the verdict it carries is what a reviewer wants to know.
  const skipped = m.status === "skipped" ? `${describeSkipped(m)} · ` : "";
  const fields = [
    `id: ${esc(m.id)}`,
    `requirement: ${esc(m.requirement)} · metric: ${esc(m.metric)}`,
    `source: ${esc(m.source)} · path: ${m.path === null ? NONE : esc(m.path)}`,
    `declared at: ${esc(m.declaredAt)} · assessed at: ${esc(m.assessedAt ?? NONE)} · frequency: ${esc(m.frequency)}`,
    `${skipped}severity: ${m.severity} · baseline value: ${esc(shown.baseline)}`,
  ];
  return [`- ${boldMarkdown(m.name)} — ${esc(m.message)}`, ...fields.map((f) => `  - ${f}`)].join("\n");
}

function specificationLine(report: Report): string {
  const { configFile, assessor } = report.specification;
  return `**Configuration:** ${esc(configFile)}${assessor === null ? "" : ` · assessor: ${esc(assessor)}`}`;
}

function baselineLine(report: Report): string {
  if (report.baseline === null) return "**Baseline:** no baseline";
  const { ref, createdAt } = report.baseline;
  return `**Baseline:** ${esc(ref ?? "unknown ref")}${createdAt === null ? "" : ` (created ${esc(createdAt)})`}`;
}

function runLine(report: Report): string {
  const { repository, sha, ref, createdAt, tool } = report.run;
  const parts = [
    repository === null ? "" : esc(repository),
    sha === null ? "" : `at ${esc(sha.slice(0, 7))}`,
    ref === null ? "" : `(${esc(ref)})`,
  ].filter((p) => p !== "");
  const where = parts.length === 0 ? "" : `${parts.join(" ")} · `;
  return `**Run:** ${where}${esc(createdAt)} · ${esc(tool)}`;
}
