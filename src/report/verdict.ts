// The report at a glance: each measurement's outcome, counts for verdict lines, the words for
// conformity, and the measurements grouped by dimension in the report's order.
import type { ConformityStatus, Report, ReportMeasurement } from "./model.js";

/** A measurement's status as a reviewer reads it: a non-pass of a `warning` gate is a warning. */
export type Outcome = "pass" | "fail" | "error" | "warning" | "skipped";

export function outcomeOf(m: Pick<ReportMeasurement, "status" | "severity">): Outcome {
  if (m.status === "pass" || m.status === "skipped") return m.status;
  return m.severity === "warning" ? "warning" : m.status;
}

export type OutcomeCounts = Record<Outcome, number> & { total: number };

export function countOutcomes(
  measurements: readonly Pick<ReportMeasurement, "status" | "severity">[],
): OutcomeCounts {
  const counts: OutcomeCounts = { total: 0, pass: 0, fail: 0, error: 0, warning: 0, skipped: 0 };
  for (const m of measurements) {
    counts.total++;
    counts[outcomeOf(m)]++;
  }
  return counts;
}

/** `skipped (last: pass)`: a skipped gate with the verdict it carries from its last assessment. */
export function describeSkipped(m: Pick<ReportMeasurement, "lastStatus">): string {
  return m.lastStatus === null ? "skipped" : `skipped (last: ${m.lastStatus})`;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** `7 gates, 7 passed` or `7 gates: 5 passed, 1 failed, 1 error`. */
export function describeCounts(c: OutcomeCounts): string {
  const gates = plural(c.total, "gate", "gates");
  if (c.total > 0 && c.pass === c.total) return `${gates}, ${c.pass} passed`;
  const parts = [
    c.pass > 0 ? `${c.pass} passed` : "",
    c.fail > 0 ? `${c.fail} failed` : "",
    c.error > 0 ? plural(c.error, "error", "errors") : "",
    c.warning > 0 ? plural(c.warning, "warning", "warnings") : "",
    c.skipped > 0 ? `${c.skipped} skipped` : "",
  ].filter((part) => part !== "");
  return parts.length === 0 ? gates : `${gates}: ${parts.join(", ")}`;
}

export const CONFORMITY_LABELS: Readonly<Record<ConformityStatus, string>> = {
  conformant: "conformant",
  "conformant-with-warnings": "conformant with warnings",
  "non-conformant": "non-conformant",
};

/** Most urgent first: what blocks, what could not be checked, what warns, what was not due. */
const URGENCY: Readonly<Record<Outcome, number>> = { fail: 0, error: 1, warning: 2, skipped: 3, pass: 4 };

export function needingAttention(measurements: readonly ReportMeasurement[]): ReportMeasurement[] {
  const open = measurements.filter((m) => m.status !== "pass");
  return open.sort((a, b) => URGENCY[outcomeOf(a)] - URGENCY[outcomeOf(b)]);
}

export interface DimensionSection {
  name: string;
  /** Null when a measurement names a dimension the report's roll-up does not list. */
  conformity: ConformityStatus | null;
  measurements: ReportMeasurement[];
}

/** One section per dimension, in the report's order; no measurement is left out. */
export function sectionsOf(report: Report): DimensionSection[] {
  const sections = new Map<string, DimensionSection>();
  for (const d of report.dimensions) {
    sections.set(d.name, { name: d.name, conformity: d.conformity, measurements: [] });
  }
  for (const m of report.measurements) {
    const section = sections.get(m.dimension) ?? { name: m.dimension, conformity: null, measurements: [] };
    section.measurements.push(m);
    sections.set(m.dimension, section);
  }
  return [...sections.values()].filter((s) => s.measurements.length > 0);
}
