// The report contract `mlgate.report/v1` (DESIGN §5): one schema that writes reports and reads baselines.
// Stable: fields are added, never renamed.
import * as z from "zod";
import { DATA_TYPES, SEVERITIES, STRATEGIES, UNITS } from "../config/model.js";
import { TargetValue } from "../config/schema.js";

export const REPORT_SCHEMA_ID = "mlgate.report/v1";

export const MeasurementStatus = z.enum(["pass", "fail", "error", "skipped"]);
export type MeasurementStatus = z.infer<typeof MeasurementStatus>;

export const ConformityStatus = z.enum(["conformant", "conformant-with-warnings", "non-conformant"]);
export type ConformityStatus = z.infer<typeof ConformityStatus>;

const Scalar = z.union([z.number(), z.string(), z.boolean()]);

const Summary = z.object({
  total: z.number().int(),
  pass: z.number().int(),
  fail: z.number().int(),
  error: z.number().int(),
  skipped: z.number().int(),
  /** Measurements of severity `warning` that failed or errored; they are not also counted in fail/error. */
  warnings: z.number().int(),
});
export type Summary = z.infer<typeof Summary>;

export const ReportMeasurement = z.object({
  id: z.string(),
  dimension: z.string(),
  requirement: z.string(),
  metric: z.string(),
  name: z.string(),
  source: z.string(),
  path: z.string().nullable(),
  dataType: z.enum(DATA_TYPES),
  /** The gate's unit: `percent` means percentages were read as fractions, so `value` is a fraction. */
  unit: z.enum(UNITS).optional(),
  comparisonStrategy: z.enum(STRATEGIES),
  targetValue: TargetValue,
  /** The measured value; null when redacted, missing or not representable (NaN). */
  value: z.union([Scalar, z.array(Scalar)]).nullable(),
  redacted: z.boolean(),
  severity: z.enum(SEVERITIES),
  status: MeasurementStatus,
  /**
   * The verdict of the last real assessment: this run's status, or for a skipped measurement the one
   * carried over from the baseline. A skipped gate is due again at once unless this is `pass`.
   */
  lastStatus: MeasurementStatus.nullable(),
  /** One sentence a reviewer can act on. Never contains a confidential value. */
  message: z.string(),
  baseline: z
    .object({
      value: z.union([Scalar, z.array(Scalar)]).nullable(),
      delta: z.number().nullable(),
      ref: z.string().nullable(),
    })
    .nullable(),
  /** When this measurement was last assessed (this run, or carried over for a skipped one). */
  assessedAt: z.string().nullable(),
  /** Where the gate is declared: `file:line:column`. */
  declaredAt: z.string(),
  frequency: z.string(),
});
export type ReportMeasurement = z.infer<typeof ReportMeasurement>;

const Rollup = z.object({
  name: z.string(),
  status: MeasurementStatus,
  conformity: ConformityStatus,
  summary: Summary,
});

export const ReportRequirement = Rollup.extend({ dimension: z.string() });
export type ReportRequirement = z.infer<typeof ReportRequirement>;
export const ReportDimension = Rollup;
export type ReportDimension = z.infer<typeof ReportDimension>;

export const Report = z.object({
  schema: z.literal(REPORT_SCHEMA_ID),
  status: ConformityStatus,
  specification: z.object({
    name: z.string(),
    comment: z.string().nullable(),
    assessor: z.string().nullable(),
    configFile: z.string(),
  }),
  summary: Summary,
  measurements: z.array(ReportMeasurement),
  requirements: z.array(ReportRequirement),
  dimensions: z.array(ReportDimension),
  baseline: z.object({ ref: z.string().nullable(), createdAt: z.string().nullable() }).nullable(),
  run: z.object({
    repository: z.string().nullable(),
    sha: z.string().nullable(),
    ref: z.string().nullable(),
    createdAt: z.string(),
    tool: z.string(),
  }),
});
export type Report = z.infer<typeof Report>;
