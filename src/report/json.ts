// The machine-readable report file: the `mlgate.report/v1` contract checked, redaction enforced,
// serialised the same way every time (schema key order, 2-space indent, trailing newline).
import * as z from "zod";
import { Report, REPORT_SCHEMA_ID } from "./model.js";
import { redactReport } from "./redact.js";

export function renderJson(report: Report): string {
  const parsed = Report.safeParse(report);
  if (!parsed.success) {
    // The core builds reports; one that breaks the contract is our bug, not the user's.
    throw new Error(
      `mlgate built a report that breaks ${REPORT_SCHEMA_ID}: ${z.prettifyError(parsed.error)}`,
    );
  }
  return `${JSON.stringify(redactReport(parsed.data), null, 2)}\n`;
}
