// Roll-up (DESIGN §4): metric -> requirement -> dimension -> specification; the worst status wins and
// a failure of a blocking gate makes the whole run non-conformant.
import type { ConformityStatus, MeasurementStatus, ReportMeasurement, Summary } from "../report/model.js";
import { countOutcomes } from "../report/verdict.js";

const WORST_FIRST: readonly MeasurementStatus[] = ["error", "fail", "pass", "skipped"];

type Judged = Pick<ReportMeasurement, "status" | "severity">;

/**
 * Each measurement counted once: a failing or unreadable `warning` gate counts as a warning, not as a
 * fail or error, so total = pass + fail + error + warnings + skipped, as the verdict lines say.
 */
export function summarize(measurements: readonly Judged[]): Summary {
  const counts = countOutcomes(measurements);
  return {
    total: counts.total,
    pass: counts.pass,
    fail: counts.fail,
    error: counts.error,
    skipped: counts.skipped,
    warnings: counts.warning,
  };
}

export function worstStatus(measurements: readonly Judged[]): MeasurementStatus {
  return WORST_FIRST.find((status) => measurements.some((m) => m.status === status)) ?? "pass";
}

export function conformity(measurements: readonly Judged[]): ConformityStatus {
  const failed = measurements.filter((m) => m.status === "fail" || m.status === "error");
  if (failed.some((m) => m.severity === "blocking")) return "non-conformant";
  return failed.length > 0 ? "conformant-with-warnings" : "conformant";
}

/** Groups in first-seen order, so the report follows the config. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return groups;
}
