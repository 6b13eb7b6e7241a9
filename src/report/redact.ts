// Defence in depth, and only this: renderers see a redacted measurement with its value, baseline value and
// delta null, and those values' text forms (numbers; strings of 3+ characters) cut from its message. Other
// secrets in a message (a command's stderr, say) are shown as given: keeping them out is the evaluator's job.
import { formatNumber, REDACTED } from "./format-value.js";
import type { Report, ReportMeasurement } from "./model.js";

export function redactReport(report: Report): Report {
  return { ...report, measurements: report.measurements.map(redactMeasurement) };
}

/** Nulls the confidential fields and scrubs their text forms from the message. */
export function redactMeasurement(m: ReportMeasurement): ReportMeasurement {
  if (!m.redacted) return m;
  return {
    ...m,
    value: null,
    message: scrub(m.message, secretsOf(m)),
    baseline: m.baseline === null ? null : { ...m.baseline, value: null, delta: null },
  };
}

function secretsOf(m: ReportMeasurement): string[] {
  const raw = [m.value, m.baseline?.value ?? null, m.baseline?.delta ?? null].flat();
  const forms = raw.flatMap((v) => {
    if (typeof v === "number")
      return [String(v), String(Math.abs(v)), formatNumber(v), formatNumber(Math.abs(v))];
    // Short strings ("no", "ok") are too likely to be ordinary words of the message.
    if (typeof v === "string" && v.length >= 3) return [v];
    return [];
  });
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

function scrub(message: string, secrets: readonly string[]): string {
  return secrets.reduce((text, secret) => text.split(secret).join(REDACTED), message);
}
