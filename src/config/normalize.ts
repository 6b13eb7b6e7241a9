// Both config forms become one list of gates: each `kpis:` entry is a measurement of the dimension
// "Release KPIs"; the `conformity:` hierarchy is walked with its inheritable attributes (CABC §5.4.2.2).
import { MlgateError, throwAll } from "../errors.js";
import { nearestWord } from "../sources/nearest.js";
import { parseFrequency } from "./duration.js";
import { betterDirection, checkTarget, inferDataType, STRATEGIES_BY_TYPE } from "./gate-rules.js";
import type {
  DataType,
  Frequency,
  Gate,
  Severity,
  SourceSpec,
  Specification,
  Strategy,
  Target,
} from "./model.js";
import type { ConfigPositions, FieldPath } from "./positions.js";
import { normalizeSources } from "./sources.js";
import type { RawConfig, RawConformity, RawKpi, RawMeasurement } from "./schema.js";

export const KPI_DIMENSION = "Release KPIs";

const SHORTHAND: ReadonlyArray<readonly [keyof RawKpi, Strategy]> = [
  ["gt", "GreaterThan"],
  ["gte", "GreaterThanOrEqual"],
  ["lt", "LessThan"],
  ["lte", "LessThanOrEqual"],
  ["eq", "EqualTo"],
  ["neq", "NotEqualTo"],
  ["contains", "Contains"],
  ["notContains", "NotContains"],
  ["in", "OneOf"],
  ["notIn", "NotOneOf"],
  ["range", "InRange"],
  ["matches", "Matches"],
];

/** What a measurement inherits from the elements above it. */
interface Inherited {
  source?: string;
  path?: string;
  severity?: Severity;
  frequency?: string;
  /** Where the inherited frequency is written, for error messages. */
  frequencyAt?: FieldPath;
  confidential: boolean;
  assessor?: string;
  names: string[];
}

export function normalizeConfig(raw: RawConfig, positions: ConfigPositions): Specification {
  const errors: MlgateError[] = [];
  const fail = (path: FieldPath, message: string, hint?: string, key = false) =>
    errors.push(
      new MlgateError("config.semantic", message, {
        location: positions.locate(path, { key }),
        ...(hint ? { hint } : {}),
      }),
    );

  const sources = normalizeSources(raw, fail);
  const gates: Gate[] = [];
  const context = { positions, sources, fail, gates };
  if (!raw.kpis && !raw.conformity) {
    fail([], "the config declares no gates", "add `kpis:` (release KPIs) or `conformity:` (CABC dimensions)");
  }
  for (const [name, kpi] of Object.entries(raw.kpis ?? {})) addKpi(name, kpi, context);
  if (raw.conformity) walkConformity(raw.conformity, context);
  if ((raw.kpis || raw.conformity) && gates.length === 0 && errors.length === 0) {
    fail(
      [raw.kpis ? "kpis" : "conformity"],
      "the config declares no gates",
      "a config without gates would pass anything; add at least one KPI or measurement",
    );
  }

  const seen = new Map<string, Gate>();
  for (const gate of gates) {
    const earlier = seen.get(gate.id);
    if (earlier) {
      errors.push(
        new MlgateError("config.semantic", `two measurements have the id "${gate.id}"`, {
          location: gate.location,
          hint: `the other is declared at line ${earlier.location.line ?? "?"}; give one of them another name`,
        }),
      );
    }
    seen.set(gate.id, gate);
  }
  const unique = new Map(
    errors.map((error) => [`${error.location?.line}:${error.location?.column}:${error.message}`, error]),
  );
  throwAll([...unique.values()]);
  return {
    name: raw.conformity?.name ?? raw.name ?? "Release gates",
    ...(raw.conformity?.comment !== undefined ? { comment: raw.conformity.comment } : {}),
    ...(raw.conformity?.assessor !== undefined ? { assessor: raw.conformity.assessor } : {}),
    configFile: positions.file,
    sources,
    gates,
  };
}

export type Fail = (path: FieldPath, message: string, hint?: string, key?: boolean) => void;
interface Context {
  positions: ConfigPositions;
  sources: Record<string, SourceSpec>;
  fail: Fail;
  gates: Gate[];
}

function addKpi(name: string, kpi: RawKpi, context: Context): void {
  const path: FieldPath = ["kpis", name];
  const present = SHORTHAND.filter(([key]) => kpi[key] !== undefined);
  if (present.length !== 1) {
    const keys = SHORTHAND.map(([key]) => key).join(" ");
    context.fail(
      path,
      present.length === 0
        ? `KPI "${name}" has no comparison`
        : `KPI "${name}" has ${present.length} comparisons (${present.map(([key]) => key).join(", ")}); it needs exactly one`,
      `use one of: ${keys}; for two bounds use range: { min, max }`,
      true,
    );
    return;
  }
  const [key, strategy] = present[0] as readonly [keyof RawKpi, Strategy];
  const measurement: RawMeasurement = {
    ...kpi,
    name: kpi.name ?? name,
    comparisonStrategy: strategy,
    targetValue: kpi[key] as RawMeasurement["targetValue"],
  };
  addGate(
    measurement,
    {
      source: kpi.source,
      ...(kpi.path !== undefined ? { path: kpi.path } : {}),
      confidential: false,
      names: [KPI_DIMENSION, name, name],
    },
    path,
    [...path, key],
    context,
    `${slug(KPI_DIMENSION)}/${slug(name)}`,
  );
}

function walkConformity(spec: RawConformity, context: Context): void {
  const top = inherit({ confidential: false, names: [] }, spec, ["conformity"]);
  spec.dimensions.forEach((dimension, d) => {
    const atD = ["conformity", "dimensions", d];
    const inD = inherit(top, dimension, atD);
    dimension.requirements.forEach((requirement, r) => {
      const atR = [...atD, "requirements", r];
      const inR = inherit(inD, requirement, atR);
      requirement.metrics.forEach((metric, m) => {
        const inM = inherit(inR, metric, [...atR, "metrics", m]);
        metric.measurements.forEach((measurement, i) => {
          const path: FieldPath = [
            "conformity",
            "dimensions",
            d,
            "requirements",
            r,
            "metrics",
            m,
            "measurements",
            i,
          ];
          const names = [dimension.name, requirement.name, metric.name];
          const risk = requirement.risk !== undefined ? { risk: requirement.risk } : {};
          addGate(measurement, { ...inM, names }, path, [...path, "targetValue"], context, undefined, risk);
        });
      });
    });
  });
}

function inherit(
  outer: Inherited,
  element: {
    assessmentInterface?: { source?: string | undefined; path?: string | undefined } | undefined;
    severity?: Severity | undefined;
    frequency?: string | undefined;
    confidential?: boolean | undefined;
    assessor?: string | undefined;
  },
  at: FieldPath,
): Inherited {
  const next: Inherited = { ...outer, confidential: outer.confidential || element.confidential === true };
  if (element.assessmentInterface?.source !== undefined) next.source = element.assessmentInterface.source;
  if (element.assessmentInterface?.path !== undefined) next.path = element.assessmentInterface.path;
  if (element.severity !== undefined) next.severity = element.severity;
  if (element.frequency !== undefined) {
    next.frequency = element.frequency;
    next.frequencyAt = [...at, "frequency"];
  }
  if (element.assessor !== undefined) next.assessor = element.assessor;
  return next;
}

function addGate(
  raw: RawMeasurement,
  outer: Inherited,
  path: FieldPath,
  targetPath: FieldPath,
  context: Context,
  id?: string,
  extra: { risk?: string } = {},
): void {
  const { fail } = context;
  const here = inherit(outer, raw, path);
  const source = here.source;
  if (source === undefined) {
    fail(
      path,
      `measurement "${raw.name}" has no source`,
      "add `assessmentInterface: { source: <name>, path: <path> }`",
    );
    return;
  }
  if (!(source in context.sources)) {
    const near = nearestWord(source, Object.keys(context.sources));
    const sourcePath = id ? [...path, "source"] : [...path, "assessmentInterface", "source"];
    fail(
      sourcePath,
      `no source named "${source}" under \`sources:\``,
      near ? `did you mean "${near}"?` : `declare it under \`sources:\``,
    );
    return;
  }
  const strategy = raw.comparisonStrategy;
  const dataType: DataType | undefined = raw.dataType ?? inferDataType(strategy, raw.targetValue, raw.scale);
  if (!dataType) {
    fail(
      targetPath,
      `cannot tell the data type of measurement "${raw.name}"`,
      "add `dataType: numeric | ordinal | boolean | string`",
    );
    return;
  }
  if (dataType === "ordinal" && !raw.scale) {
    fail(
      path,
      `ordinal measurement "${raw.name}" has no scale`,
      "add `scale: [low, medium, high]`, lowest first",
    );
    return;
  }
  if (!STRATEGIES_BY_TYPE[dataType].includes(strategy)) {
    fail(
      id ? targetPath : [...path, "comparisonStrategy"],
      `${strategy} does not apply to ${dataType} values`,
      `for ${dataType} use one of: ${STRATEGIES_BY_TYPE[dataType].join(", ")}`,
    );
    return;
  }
  const target = toTarget(raw.targetValue);
  const problem = checkTarget(strategy, dataType, target, raw.scale);
  if (problem) {
    fail(targetPath, `measurement "${raw.name}": ${problem}`);
    return;
  }
  const frequency = parseFrequency(here.frequency ?? "per-change");
  if (!frequency) {
    fail(
      here.frequencyAt ?? path,
      `"${here.frequency}" is not a frequency`,
      "use per-change, daily, weekly, monthly, per-release or an ISO-8601 duration such as P3D",
    );
    return;
  }
  if (!checkOptions(raw, here.confidential, dataType, strategy, path, fail)) return;
  const names = here.names;
  context.gates.push({
    id: id ?? [...names, raw.name].map(slug).join("/"),
    dimension: names[0] ?? KPI_DIMENSION,
    requirement: names[1] ?? raw.name,
    metric: names[2] ?? raw.name,
    name: raw.name,
    ...(raw.comment !== undefined ? { comment: raw.comment } : {}),
    ...extra,
    ...(here.assessor !== undefined ? { assessor: here.assessor } : {}),
    source,
    ...(here.path !== undefined ? { path: here.path } : {}),
    dataType,
    ...(raw.scale ? { scale: raw.scale } : {}),
    ...(raw.unit ? { unit: raw.unit } : {}),
    strategy,
    target,
    ...(raw.tolerance
      ? { tolerance: { absolute: raw.tolerance.absolute ?? 0, relative: raw.tolerance.relative ?? 0 } }
      : {}),
    severity: here.severity ?? "blocking",
    confidential: here.confidential,
    frequency: frequency satisfies Frequency,
    ...(raw.baseline ? { baseline: stripUndefined(raw.baseline) } : {}),
    location: context.positions.locate(path, { key: id !== undefined }),
  });
}

function checkOptions(
  raw: RawMeasurement,
  confidential: boolean,
  dataType: DataType,
  strategy: Strategy,
  path: FieldPath,
  fail: Fail,
): boolean {
  if (raw.tolerance && !(dataType === "numeric" && (strategy === "EqualTo" || strategy === "NotEqualTo"))) {
    fail([...path, "tolerance"], "tolerance applies only to numeric EqualTo and NotEqualTo (eq, neq)");
    return false;
  }
  if (raw.unit && dataType !== "numeric") {
    fail(
      [...path, "unit"],
      `unit applies only to numeric measurements; "${raw.name}" is ${dataType}`,
      "remove `unit:`, or compare numbers (`dataType: numeric`)",
    );
    return false;
  }
  if (!raw.baseline) return true;
  if (dataType !== "numeric") {
    fail([...path, "baseline"], `baseline rules need a numeric measurement; "${raw.name}" is ${dataType}`);
    return false;
  }
  if (confidential) {
    fail(
      [...path, "baseline"],
      `measurement "${raw.name}" is confidential, so its value is never stored in a report and cannot serve as a baseline`,
      "remove `baseline:` or `confidential: true`",
    );
    return false;
  }
  if (raw.baseline.minGain !== undefined && !betterDirection(strategy)) {
    fail(
      [...path, "baseline", "minGain"],
      `minGain needs to know which way is better, and ${strategy} does not say`,
      "use it with gt, gte, lt or lte",
    );
    return false;
  }
  return true;
}

function toTarget(value: RawMeasurement["targetValue"]): Target {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return {
      ...(value.min !== undefined ? { min: value.min } : {}),
      ...(value.max !== undefined ? { max: value.max } : {}),
      minExclusive: value.minExclusive ?? false,
      maxExclusive: value.maxExclusive ?? false,
    };
  }
  return value;
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

/** Lower-case words joined by '-', accents dropped, other scripts kept: "Parity (sex)" -> "parity-sex", "精度" -> "精度". */
export function slug(text: string): string {
  const out = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    // Runs are one '-' by now; `-+$` would rescan every run from each of its positions.
    .replace(/^-|-$/g, "");
  return out || "x";
}
