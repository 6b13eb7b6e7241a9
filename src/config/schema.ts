// The gates config as written (DESIGN §3): one zod schema that validates `.github/mlgate.yml`, types it,
// and generates the JSON Schema editors use. CABC field names follow seed 003 §5.4.2.2.
import * as z from "zod";
import { DATA_TYPES, FORMATS, SEVERITIES, STRATEGIES, UNITS } from "./model.js";

const Scalar = z.union([z.number(), z.string(), z.boolean()]);

const RangeTarget = z
  .strictObject({
    min: Scalar.optional(),
    max: Scalar.optional(),
    minExclusive: z.boolean().optional(),
    maxExclusive: z.boolean().optional(),
  })
  .meta({ description: "Bounds are inclusive unless minExclusive/maxExclusive say otherwise." });

export const TargetValue = z.union([Scalar, z.array(Scalar).min(1), RangeTarget]);

const Duration = z
  .string()
  .meta({ description: 'A duration: "120s", "2m", "500ms", "1h" or ISO-8601 ("PT2M").', examples: ["120s"] });

const Frequency = z.string().meta({
  description: "per-change | daily | weekly | monthly | per-release | an ISO-8601 duration such as P3D",
  examples: ["per-change", "daily", "weekly", "monthly", "per-release", "P3D"],
});

const Key = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .meta({ description: "CSV: the column (or nested columns) that key the rows. Default: the first column." });

const RunSelector = z
  .strictObject({
    id: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .meta({
    description:
      "MLflow: the run of an experiment directory to read, by id, run name and/or tags (the latest matching run). Default: the latest run, which must have finished.",
  });

const FileSource = z.strictObject({
  file: z.string().min(1).meta({
    description:
      "Path relative to the working directory: a metric file, or for mlflow a run, experiment or mlruns directory, for dvc a dvc.yaml or DVCLive directory.",
  }),
  format: z.enum(FORMATS).optional(),
  key: Key.optional(),
  delimiter: z.string().length(1).optional(),
  run: RunSelector.optional(),
  experiment: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "MLflow: the experiment (id or name) of an mlruns directory with several." }),
});

const CommandSource = z.strictObject({
  command: z
    .array(z.string())
    .min(1)
    .meta({ description: "argv list; run without a shell. stdout is parsed (JSON, YAML or CSV)." }),
  timeout: Duration.optional(),
  maxBytes: z.number().int().positive().optional(),
  format: z.enum(FORMATS).optional(),
  key: Key.optional(),
  delimiter: z.string().length(1).optional(),
});

const HttpSource = z.strictObject({
  url: z.string().min(1).meta({ description: "GET, JSON response. ${{ env.NAME }} is interpolated." }),
  headers: z.record(z.string(), z.string()).optional(),
  timeout: Duration.optional(),
  maxBytes: z.number().int().positive().optional(),
});

export const SourceSchema = z.union([FileSource, CommandSource, HttpSource]);

const BaselineRules = z
  .strictObject({
    maxDrop: z.number().nonnegative().optional(),
    maxRise: z.number().nonnegative().optional(),
    maxDropPct: z.number().nonnegative().optional(),
    maxRisePct: z.number().nonnegative().optional(),
    minGain: z.number().nonnegative().optional(),
  })
  .meta({ description: "Compared with the same measurement in the baseline report." });

const Tolerance = z.strictObject({
  absolute: z.number().nonnegative().optional(),
  relative: z.number().nonnegative().optional(),
});

const AssessmentInterface = z.strictObject({
  source: z.string().min(1).meta({ description: "Name of an entry under `sources:`." }),
  path: z.string().optional().meta({ description: 'JSON Pointer ("/macro avg/f1-score") or dotted path.' }),
});

/** What gates share: how the value is typed and judged, apart from the comparison itself. */
const GateOptions = {
  dataType: z.enum(DATA_TYPES).optional(),
  scale: z.array(z.string().min(1)).min(2).optional().meta({ description: "Ordinal scale, lowest first." }),
  unit: z.enum(UNITS).optional().meta({
    description:
      'Numeric only. percent: values marked as percentages (a tool\'s "85%", a CSV cell "85%") are read as fractions (0.85), so targets are fractions; unmarked numbers are compared as written. Without it a percentage is an error.',
  }),
  tolerance: Tolerance.optional(),
  severity: z.enum(SEVERITIES).optional(),
  confidential: z.boolean().optional(),
  frequency: Frequency.optional(),
  baseline: BaselineRules.optional(),
  comment: z.string().optional(),
};

export const KpiSchema = z.strictObject({
  source: z.string().min(1),
  path: z.string().optional(),
  name: z.string().min(1).optional(),
  gt: Scalar.optional(),
  gte: Scalar.optional(),
  lt: Scalar.optional(),
  lte: Scalar.optional(),
  eq: Scalar.optional(),
  neq: Scalar.optional(),
  contains: z.string().optional(),
  notContains: z.string().optional(),
  in: z.array(Scalar).min(1).optional(),
  notIn: z.array(Scalar).min(1).optional(),
  range: RangeTarget.optional(),
  matches: z.string().optional(),
  ...GateOptions,
});

const Element = {
  name: z.string().min(1),
  comment: z.string().optional(),
  confidential: z.boolean().optional(),
  assessor: z.string().optional(),
};

const MeasurementSchema = z.strictObject({
  ...Element,
  ...GateOptions,
  assessmentInterface: AssessmentInterface.optional(),
  comparisonStrategy: z.enum(STRATEGIES),
  targetValue: TargetValue,
});

/** Inheritable defaults: a measurement takes the nearest one above it. */
const Inherited = {
  assessmentInterface: AssessmentInterface.partial().optional(),
  severity: z.enum(SEVERITIES).optional(),
  frequency: Frequency.optional(),
};

const MetricSchema = z.strictObject({
  ...Element,
  ...Inherited,
  measurements: z.array(MeasurementSchema).min(1),
});
const RequirementSchema = z.strictObject({
  ...Element,
  ...Inherited,
  risk: z.string().optional(),
  metrics: z.array(MetricSchema).min(1),
});
const DimensionSchema = z.strictObject({
  ...Element,
  ...Inherited,
  requirements: z.array(RequirementSchema).min(1),
});

export const ConformitySchema = z.strictObject({
  ...Element,
  ...Inherited,
  dimensions: z.array(DimensionSchema).min(1),
});

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1),
    name: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Name of the gates when there is no conformity." }),
    sources: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), SourceSchema),
    kpis: z.record(z.string().min(1), KpiSchema).optional(),
    conformity: ConformitySchema.optional(),
  })
  .meta({ title: "mlgate gates config", description: "Release KPIs and CABC conformity thresholds." });

export type RawConfig = z.infer<typeof ConfigSchema>;
export type RawKpi = z.infer<typeof KpiSchema>;
export type RawMeasurement = z.infer<typeof MeasurementSchema>;
export type RawConformity = z.infer<typeof ConformitySchema>;

/** The JSON Schema published at schema/mlgate.schema.json. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ConfigSchema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
}
