// A realistic report for the renderer tests: release KPIs and fairness gates with every outcome,
// including a confidential measurement whose underlying values are a canary no output may show.
import type { Report, ReportMeasurement, Summary } from "../../src/report/model.js";
import { countOutcomes } from "../../src/report/verdict.js";

/** The confidential value, and the form a renderer would round it to. Neither may appear anywhere. */
export const CANARY = "0.987654321";
export const CANARY_ROUNDED = "0.9877";

export function measurement(
  overrides: Partial<ReportMeasurement> & Pick<ReportMeasurement, "name">,
): ReportMeasurement {
  const dimension = overrides.dimension ?? "Release KPIs";
  const requirement = overrides.requirement ?? "Release KPIs";
  const status = overrides.status ?? "pass";
  return {
    id: `${slug(dimension)}/${slug(requirement)}/${slug(overrides.name)}/${slug(overrides.name)}`,
    dimension,
    requirement,
    metric: overrides.name,
    source: "eval",
    path: `test.${overrides.name}`,
    dataType: "numeric",
    comparisonStrategy: "GreaterThanOrEqual",
    targetValue: 0.9,
    value: 0.93,
    redacted: false,
    severity: "blocking",
    status,
    // A skipped gate carries the verdict of its last assessment; a gate assessed now has its own.
    lastStatus: status === "skipped" ? "pass" : status,
    message: `${overrides.name} passed`,
    baseline: null,
    assessedAt: "2026-03-02T10:15:00.000Z",
    declaredAt: ".github/mlgate.yml:5:3",
    frequency: "per-change",
    ...overrides,
  };
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

export const SAMPLE_MEASUREMENTS: readonly ReportMeasurement[] = [
  measurement({
    name: "accuracy",
    value: 0.9312,
    baseline: { value: 0.93, delta: 0.0012, ref: "main@4f1c2ab" },
  }),
  measurement({
    name: "macro_f1",
    path: "/macro avg/f1-score",
    targetValue: 0.85,
    value: 0.8123,
    status: "fail",
    message: "macro_f1 is 0.8123, below the target of 0.85",
    baseline: { value: 0.8412, delta: -0.0289, ref: "main@4f1c2ab" },
  }),
  measurement({
    name: "p95_ms",
    comparisonStrategy: "LessThan",
    targetValue: 120,
    value: 131,
    severity: "warning",
    status: "fail",
    message: "p95_ms is 131, not below 120",
  }),
  measurement({
    name: "calibration_error",
    source: "scorer",
    path: "ece",
    comparisonStrategy: "LessThanOrEqual",
    targetValue: 0.05,
    value: null,
    status: "error",
    message: "source scorer exited with code 1",
  }),
  measurement({
    name: "DPD on the holdout set",
    dimension: "Fairness",
    requirement: "Selection rate parity across sex",
    metric: "Demographic parity difference",
    source: "fair",
    path: "/sex/demographic_parity_difference",
    comparisonStrategy: "LessThan",
    targetValue: 0.1,
    value: 0.987654321,
    redacted: true,
    status: "fail",
    message: "Demographic parity difference is not below the target",
    baseline: { value: 0.987654321, delta: 0.987654321, ref: "main@4f1c2ab" },
  }),
  measurement({
    name: "Feature drift share",
    dimension: "Fairness",
    requirement: "Stable inputs",
    source: "drift",
    path: "share_of_drifted_columns",
    comparisonStrategy: "InRange",
    targetValue: { min: 0, max: 0.3, maxExclusive: true },
    value: null,
    status: "skipped",
    frequency: "weekly",
    assessedAt: "2026-02-27T08:00:00.000Z",
    message: "not due until 2026-03-06 (weekly)",
  }),
];

export function sampleReport(measurements: readonly ReportMeasurement[] = SAMPLE_MEASUREMENTS): Report {
  const { warning, ...counts } = countOutcomes(measurements);
  const summary: Summary = { ...counts, warnings: warning };
  return {
    schema: "mlgate.report/v1",
    status: "non-conformant",
    specification: {
      name: "Credit scoring — internal conformity assessment",
      comment: "Operationalises the bank's AI policy v3",
      assessor: "self",
      configFile: ".github/mlgate.yml",
    },
    summary,
    measurements: [...measurements],
    requirements: [],
    dimensions: [
      { name: "Release KPIs", status: "fail", conformity: "non-conformant", summary },
      { name: "Fairness", status: "fail", conformity: "non-conformant", summary },
    ],
    baseline: { ref: "main@4f1c2ab", createdAt: "2026-03-01T09:00:00.000Z" },
    run: {
      repository: "acme/credit-model",
      sha: "9b2e4d7c1a0f3e5d8c6b4a29f1e0d3c5b7a9e1f2",
      ref: "refs/pull/42/merge",
      createdAt: "2026-03-02T10:15:00.000Z",
      tool: "mlgate 0.1.0",
    },
  };
}
