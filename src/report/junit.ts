// JUnit XML for CI systems other than GitHub: one testsuite per dimension, one testcase per measurement.
// A warning gate that did not pass is `<skipped message="warning: …">`: visible, but not red, because it
// does not fail the run either. Counted with `countOutcomes`, as the report's summary is.
import { escapeXml as esc } from "./escape.js";
import { displayMeasurement } from "./format-value.js";
import type { Report, ReportMeasurement } from "./model.js";
import { redactReport } from "./redact.js";
import type { DimensionSection } from "./verdict.js";
import { countOutcomes, outcomeOf, sectionsOf } from "./verdict.js";

export function renderJunit(report: Report): string {
  const safe = redactReport(report);
  const sections = sectionsOf(safe);
  const suites = sections.map((section) => suiteXml(section, propertiesXml(safe)));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: "mlgate", ...junitCounts(safe.measurements), time: "0" })}>`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}

/** `countOutcomes` in JUnit's words: a warning is neither a failure nor an error, so it is skipped. */
function junitCounts(measurements: readonly ReportMeasurement[]): Record<string, number> {
  const counts = countOutcomes(measurements);
  return {
    tests: counts.total,
    failures: counts.fail,
    errors: counts.error,
    skipped: counts.skipped + counts.warning,
  };
}

/** The run's identity, repeated in each suite because the JUnit schema has properties only there. */
function propertiesXml(report: Report): string {
  const properties: Array<[string, string | null]> = [
    ["mlgate.specification", report.specification.name],
    ["mlgate.status", report.status],
    ["mlgate.sha", report.run.sha],
    ["mlgate.ref", report.run.ref],
    ["mlgate.repository", report.run.repository],
    ["mlgate.tool", report.run.tool],
  ];
  const lines = properties
    .filter((p): p is [string, string] => p[1] !== null)
    .map(([name, value]) => `      <property${attributes({ name, value })}/>`);
  return ["    <properties>", ...lines, "    </properties>"].join("\n");
}

function suiteXml(section: DimensionSection, properties: string): string {
  const counts = junitCounts(section.measurements);
  return [
    `  <testsuite${attributes({ name: section.name, ...counts, time: "0" })}>`,
    properties,
    ...section.measurements.map(caseXml),
    "  </testsuite>",
  ].join("\n");
}

function caseXml(m: ReportMeasurement): string {
  const open = `    <testcase${attributes({ name: m.name, classname: `${m.dimension}.${m.requirement}`, time: "0" })}`;
  const outcome = outcomeOf(m);
  switch (outcome) {
    case "pass":
      return `${open}/>`;
    case "skipped":
      return `${open}>\n      <skipped${attributes({ message: m.message })}/>\n    </testcase>`;
    case "warning":
      return `${open}>\n      <skipped${attributes({ message: `warning: ${m.message}` })}>${body(m)}</skipped>\n    </testcase>`;
    case "fail":
      return `${open}>\n      <failure${attributes({ message: m.message, type: "fail" })}>${body(m)}</failure>\n    </testcase>`;
    case "error":
      return `${open}>\n      <error${attributes({ message: m.message, type: "error" })}>${body(m)}</error>\n    </testcase>`;
    default: {
      const unknown: never = outcome;
      throw new Error(`unknown outcome ${String(unknown)}`);
    }
  }
}

function body(m: ReportMeasurement): string {
  const shown = displayMeasurement(m);
  const lines = [
    m.message,
    `Target: ${shown.target}`,
    `Value: ${shown.value}`,
    ...(m.baseline === null ? [] : [`Baseline Δ: ${shown.delta}`]),
    `Severity: ${m.severity}`,
    `Source: ${m.source}${m.path === null ? "" : ` ${m.path}`}`,
    `Declared at: ${m.declaredAt}`,
  ];
  return lines.map(esc).join("\n");
}

function attributes(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([key, value]) => ` ${key}="${esc(String(value))}"`)
    .join("");
}
