// JUnit XML for CI systems other than GitHub: one testsuite per dimension, one testcase per measurement.
// Warning gates that did not pass are marked with `type="warning"`; redacted values show as `•••`.
import { escapeXml as esc } from "./escape.js";
import { displayMeasurement } from "./format-value.js";
import type { Report, ReportMeasurement } from "./model.js";
import { redactReport } from "./redact.js";
import type { DimensionSection } from "./verdict.js";
import { sectionsOf } from "./verdict.js";

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

export function renderJunit(report: Report): string {
  const safe = redactReport(report);
  const sections = sectionsOf(safe);
  const suites = sections.map((section) => suiteXml(section, propertiesXml(safe)));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: "mlgate", ...tallyOf(safe.measurements), time: "0" })}>`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}

function tallyOf(measurements: readonly ReportMeasurement[]): Tally {
  const count = (status: ReportMeasurement["status"]): number =>
    measurements.filter((m) => m.status === status).length;
  return {
    tests: measurements.length,
    failures: count("fail"),
    errors: count("error"),
    skipped: count("skipped"),
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
  const tally = tallyOf(section.measurements);
  return [
    `  <testsuite${attributes({ name: section.name, ...tally, time: "0" })}>`,
    properties,
    ...section.measurements.map(caseXml),
    "  </testsuite>",
  ].join("\n");
}

function caseXml(m: ReportMeasurement): string {
  const open = `    <testcase${attributes({ name: m.name, classname: `${m.dimension}.${m.requirement}`, time: "0" })}`;
  const type = m.severity === "warning" ? "warning" : m.status;
  switch (m.status) {
    case "pass":
      return `${open}/>`;
    case "skipped":
      return `${open}>\n      <skipped${attributes({ message: m.message })}/>\n    </testcase>`;
    case "fail":
      return `${open}>\n      <failure${attributes({ message: m.message, type })}>${body(m)}</failure>\n    </testcase>`;
    case "error":
      return `${open}>\n      <error${attributes({ message: m.message, type })}>${body(m)}</error>\n    </testcase>`;
    default: {
      const unknown: never = m.status;
      throw new Error(`unknown measurement status ${String(unknown)}`);
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
