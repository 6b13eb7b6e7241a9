// Judges every gate against the documents read from its source and builds the mlgate.report/v1.
// Nothing unknown passes: a missing source, path, NaN or wrong type is an `error` (DESIGN §4).
import type { Gate, Specification } from "../config/model.js";
import { nextDue } from "../config/duration.js";
import { formatLocation, MlgateError } from "../errors.js";
import { REPORT_SCHEMA_ID, type Report, type ReportMeasurement } from "../report/model.js";
import { measurementIndex, selectValue } from "../sources/select.js";
import type { SourceDocument } from "../sources/types.js";
import { brokenBaselineRules } from "./baseline.js";
import { shiftDecimal } from "../report/format-value.js";
import { describeTarget } from "./describe.js";
import { conformity, groupBy, summarize, worstStatus } from "./rollup.js";
import { meetsTarget } from "./strategies.js";
import { typeValue, type TypedValue } from "./values.js";

export interface RunInfo {
  repository: string | null;
  sha: string | null;
  ref: string | null;
}

export interface EvaluateOptions {
  now: Date;
  /** `mlgate x.y.z` */
  tool: string;
  run: RunInfo;
  /** Is this run a release? `per-release` gates are assessed only then. */
  release: boolean;
  /** `createdAt` overrides the report's own time (null: unknown, as for files read at a commit). */
  baseline?: { report: Report; ref: string; createdAt?: string | null };
  /** Told every confidential value read (the Action masks them in the log); never stored anywhere. */
  onConfidential?: ((value: TypedValue) => void) | undefined;
}

export type SourceResult = SourceDocument | MlgateError;

/** Is the gate due under its frequency, judged from its last assessment in the baseline report? */
export function dueness(
  gate: Gate,
  previous: ReportMeasurement | undefined,
  options: EvaluateOptions,
): { due: true } | { due: false; reason: string } {
  // A gate is only left alone while its last real verdict was a pass for the same definition:
  // a failure or error is never forgotten by skipping, and a changed threshold is always tested.
  if (!previous || previous.lastStatus !== "pass" || definitionChanged(gate, previous)) return { due: true };
  const frequency = gate.frequency;
  const last = previous.assessedAt ? new Date(previous.assessedAt) : undefined;
  const lastText = `last assessed ${previous.assessedAt ?? "at an unknown time"} (pass)`;
  switch (frequency.kind) {
    case "per-change":
      return { due: true };
    case "per-release":
      return options.release
        ? { due: true }
        : { due: false, reason: `assessed per release and this run is not a release; ${lastText}` };
    case "interval": {
      if (!last || Number.isNaN(last.getTime())) return { due: true };
      const next = nextDue(last, frequency);
      return options.now >= next
        ? { due: true }
        : { due: false, reason: `assessed ${frequency.text}; ${lastText}, next due ${next.toISOString()}` };
    }
    default: {
      const never: never = frequency;
      return never;
    }
  }
}

/** Did the PR change what this gate reads or demands since the baseline assessed it? */
function definitionChanged(gate: Gate, previous: ReportMeasurement): boolean {
  return (
    previous.source !== gate.source ||
    previous.path !== (gate.path ?? null) ||
    previous.dataType !== gate.dataType ||
    (previous.unit ?? null) !== (gate.unit ?? null) ||
    previous.comparisonStrategy !== gate.strategy ||
    JSON.stringify(previous.targetValue) !== JSON.stringify(gate.target)
  );
}

export function evaluateGate(
  gate: Gate,
  source: SourceResult | undefined,
  previous: ReportMeasurement | undefined,
  options: EvaluateOptions,
): ReportMeasurement {
  const base = reportFields(gate, options);
  const due = dueness(gate, previous, options);
  if (!due.due && previous) {
    // Carry the last assessment forward, so the next run still has its value and verdict to compare with.
    return {
      ...base,
      value: gate.confidential ? null : previous.value,
      status: "skipped",
      lastStatus: previous.lastStatus,
      message: `skipped: ${due.reason}`,
      baseline: options.baseline
        ? { value: gate.confidential ? null : previous.value, delta: null, ref: options.baseline.ref }
        : null,
      assessedAt: previous.assessedAt,
    };
  }
  const judged = judge(gate, source);
  if (!judged.ok) return { ...base, status: "error", lastStatus: "error", message: judged.message };
  if (gate.confidential) {
    options.onConfidential?.(judged.value);
    // The file wrote a percentage: 85 is as secret as the 0.85 it was compared as.
    if (gate.unit === "percent" && typeof judged.value === "number") {
      options.onConfidential?.(shiftDecimal(judged.value, 2));
    }
  }
  const expected = describeTarget(gate);
  const meets = meetsTarget(gate, judged.value);
  const problems = meets
    ? []
    : [
        gate.confidential
          ? `does not meet the target (${expected})`
          : `got ${showValue(judged.value, gate)}, expected ${expected}`,
      ];
  // The tool's own words on a failure (an Evidently test's description); never for a confidential gate,
  // whose description may quote the value.
  const said = problems.length && !gate.confidential ? toolSays(source, gate.path) : undefined;
  if (said) problems.push(said);
  const baseline = compareBaseline(gate, judged.value, previous, options, problems);
  const value = gate.confidential ? null : judged.value;
  const status = problems.length ? "fail" : "pass";
  const message = problems.length
    ? problems.join("; ")
    : `${gate.confidential ? "meets the target" : showValue(judged.value, gate)} (expected ${expected})${baseline.note}`;
  return { ...base, value, status, lastStatus: status, message, baseline: baseline.field };
}

function toolSays(source: SourceResult | undefined, path: string | undefined): string | undefined {
  if (source === undefined || source instanceof MlgateError || path === undefined || !source.measurements)
    return undefined;
  const measurement = measurementIndex(source).get(path);
  if (!measurement?.description) return undefined;
  const verdict = measurement.verdict ? ` (${measurement.verdict})` : "";
  return `${source.format}${verdict}: ${measurement.description.replace(/\s+/g, " ").trim().slice(0, 500)}`;
}

/**
 * Values in messages: numbers in full (auditors compare digits), text quoted so edges are visible; a gate
 * with `unit: percent` shows the fraction it compared and the percentage it stands for.
 */
function showValue(value: TypedValue, gate: Gate): string {
  if (typeof value === "number" && gate.unit === "percent") return `${value} (${shiftDecimal(value, 2)}%)`;
  return typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
}

function judge(
  gate: Gate,
  source: SourceResult | undefined,
): { ok: true; value: TypedValue } | { ok: false; message: string } {
  if (source === undefined) return { ok: false, message: `source "${gate.source}" was not read` };
  if (source instanceof MlgateError) return { ok: false, message: oneLine(source) };
  let raw: unknown;
  try {
    raw = selectValue(source, gate.path);
  } catch (error) {
    if (error instanceof MlgateError) return { ok: false, message: oneLine(error) };
    throw error;
  }
  // A tool's text values (an MLflow param "0.01") are read like CSV cells: a number to a numeric gate.
  const named =
    gate.path !== undefined && source.measurements ? measurementIndex(source).get(gate.path) : undefined;
  const typed = typeValue(raw, {
    dataType: gate.dataType,
    scale: gate.scale,
    text: source.textCells || named?.text === true,
    allowList: gate.strategy === "Contains" || gate.strategy === "NotContains",
    reveal: !gate.confidential,
    unit: gate.unit,
    percent: named?.scale === "percent",
  });
  if (!typed.ok)
    return {
      ok: false,
      message: `${typed.problem} at ${gate.path ?? "the document root"} in ${source.origin}`,
    };
  return typed;
}

function compareBaseline(
  gate: Gate,
  value: TypedValue,
  previous: ReportMeasurement | undefined,
  options: EvaluateOptions,
  problems: string[],
): { field: ReportMeasurement["baseline"]; note: string } {
  if (!options.baseline) return { field: null, note: gate.baseline ? " (no baseline to compare with)" : "" };
  const ref = options.baseline.ref;
  if (!previous) return { field: { value: null, delta: null, ref }, note: " (new: not in the baseline)" };
  const before = previous.value;
  if (gate.confidential) return { field: { value: null, delta: null, ref }, note: "" };
  // Without float noise: 0.9312 - 0.95 is -0.0188 in the report, not -0.018799999999999928.
  const delta =
    typeof before === "number" && typeof value === "number" ? Number((value - before).toPrecision(12)) : null;
  if (gate.baseline && typeof before === "number" && typeof value === "number") {
    problems.push(...brokenBaselineRules(gate.baseline, gate.strategy, value, before));
  }
  const note =
    gate.baseline && delta === null ? ` (the baseline has no value: it was ${previous.status})` : "";
  return { field: { value: before, delta, ref }, note };
}

function reportFields(gate: Gate, options: EvaluateOptions): Omit<ReportMeasurement, "status" | "message"> {
  const { field: _field, ...declaredAt } = gate.location;
  return {
    id: gate.id,
    dimension: gate.dimension,
    requirement: gate.requirement,
    metric: gate.metric,
    name: gate.name,
    source: gate.source,
    path: gate.path ?? null,
    dataType: gate.dataType,
    ...(gate.unit ? { unit: gate.unit } : {}),
    comparisonStrategy: gate.strategy,
    targetValue: gate.target,
    value: null,
    redacted: gate.confidential,
    severity: gate.severity,
    baseline: null,
    lastStatus: null,
    assessedAt: options.now.toISOString(),
    declaredAt: formatLocation(declaredAt),
    frequency: gate.frequency.kind === "interval" ? gate.frequency.text : gate.frequency.kind,
  };
}

function oneLine(error: MlgateError): string {
  const where = formatLocation(error.location);
  const output = error.detail ? ` — output: ${error.detail}` : "";
  const text = `${where ? `${where}: ` : ""}${error.message}${error.hint ? ` (${error.hint})` : ""}${output}`;
  // A run of white space that holds a line break becomes one space. (`/\s*\n\s*/g` would rescan a long
  // run of spaces without a break from each of its positions: quadratic on command output.)
  return text.replace(/\s+/g, (space) => (space.includes("\n") ? " " : space));
}

/** The gates whose sources must be read in this run: those that are due. */
export function dueGates(spec: Specification, options: EvaluateOptions): Gate[] {
  const previous = baselineIndex(options);
  return spec.gates.filter((gate) => dueness(gate, previous.get(gate.id), options).due);
}

export function evaluate(
  spec: Specification,
  sources: ReadonlyMap<string, SourceResult>,
  options: EvaluateOptions,
): Report {
  const previous = baselineIndex(options);
  const measurements = spec.gates.map((gate) =>
    evaluateGate(gate, sources.get(gate.source), previous.get(gate.id), options),
  );
  return {
    schema: REPORT_SCHEMA_ID,
    ...rollUp(measurements),
    specification: {
      name: spec.name,
      comment: spec.comment ?? null,
      assessor: spec.assessor ?? null,
      configFile: spec.configFile,
    },
    measurements,
    baseline: options.baseline
      ? {
          ref: options.baseline.ref,
          createdAt:
            options.baseline.createdAt === undefined
              ? options.baseline.report.run.createdAt
              : options.baseline.createdAt,
        }
      : null,
    run: { ...options.run, createdAt: options.now.toISOString(), tool: options.tool },
  };
}

/** The verdict of a run and its roll-ups, from its measurements alone (also used on reports from outside). */
export function rollUp(
  measurements: readonly ReportMeasurement[],
): Pick<Report, "status" | "summary" | "requirements" | "dimensions"> {
  const rollup = (items: ReportMeasurement[]) => ({
    status: worstStatus(items),
    conformity: conformity(items),
    summary: summarize(items),
  });
  const byDimension = groupBy(measurements, (m) => m.dimension);
  const byRequirement = groupBy(measurements, (m) => `${m.dimension}\u0000${m.requirement}`);
  return {
    status: conformity(measurements),
    summary: summarize(measurements),
    requirements: [...byRequirement.values()].map((items) => ({
      name: items[0]?.requirement ?? "",
      dimension: items[0]?.dimension ?? "",
      ...rollup(items),
    })),
    dimensions: [...byDimension.entries()].map(([name, items]) => ({ name, ...rollup(items) })),
  };
}

function baselineIndex(options: EvaluateOptions): Map<string, ReportMeasurement> {
  return new Map((options.baseline?.report.measurements ?? []).map((m) => [m.id, m]));
}
