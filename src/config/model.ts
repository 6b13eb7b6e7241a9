// The normalised gates model: what both config forms (the `kpis:` shorthand and the CABC `conformity:`
// hierarchy) become. Everything after config loading works on these types only.
import type { Location } from "../errors.js";

export const STRATEGIES = [
  "LessThan",
  "LessThanOrEqual",
  "GreaterThan",
  "GreaterThanOrEqual",
  "EqualTo",
  "NotEqualTo",
  "Contains",
  "NotContains",
  "OneOf",
  "NotOneOf",
  "InRange",
  "NotInRange",
  "Matches",
] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const DATA_TYPES = ["numeric", "ordinal", "boolean", "string"] as const;
export type DataType = (typeof DATA_TYPES)[number];

export const SEVERITIES = ["blocking", "warning"] as const;

/**
 * How a numeric gate reads values that carry a unit. `percent`: a value marked as a percentage (a tool's
 * "85%", a CSV cell "85%") is converted to a fraction, 85% → 0.85, so targets stay fractions. Without a
 * unit such a value is an error, never stripped or rescaled silently.
 */
export const UNITS = ["percent"] as const;
export type Unit = (typeof UNITS)[number];
export type Severity = (typeof SEVERITIES)[number];

/** A scalar target as written in the config. Ordinal targets are scale words (strings). */
export type Scalar = number | string | boolean;

export interface Range {
  min?: Scalar;
  max?: Scalar;
  /** Bounds are inclusive unless said otherwise. */
  minExclusive: boolean;
  maxExclusive: boolean;
}

export type Target = Scalar | Scalar[] | Range;

export interface Tolerance {
  absolute: number;
  relative: number;
}

/** Baseline rules compare the current value with the same measurement in a baseline report. */
export interface BaselineRules {
  maxDrop?: number;
  maxRise?: number;
  maxDropPct?: number;
  maxRisePct?: number;
  /** Must improve by at least this much, in the direction the strategy says is better. */
  minGain?: number;
}

/**
 * How often a measurement must be assessed. `per-change` is always due; `per-release` only on a release
 * run; an interval is due once that much time has passed since the last assessment.
 */
export type Frequency =
  | { kind: "per-change" }
  | { kind: "per-release" }
  | { kind: "interval"; text: string; months: number; milliseconds: number };

export type SourceSpec =
  | {
      kind: "file";
      name: string;
      file: string;
      format?: FormatName;
      key?: string[];
      delimiter?: string;
      /** MLflow: which run of an experiment directory (default: the latest, which must have finished). */
      run?: RunSelector;
      /** MLflow: which experiment of a tracking directory, by id or name. */
      experiment?: string;
    }
  | {
      kind: "command";
      name: string;
      command: string[];
      timeoutMs: number;
      maxBytes: number;
      format?: FormatName;
      key?: string[];
      delimiter?: string;
    }
  | {
      kind: "http";
      name: string;
      url: string;
      headers: Record<string, string>;
      timeoutMs: number;
      maxBytes: number;
    };

export interface RunSelector {
  id?: string;
  name?: string;
  tags?: Record<string, string>;
}

/** Plain formats, then the tool formats of src/sources/formats/tools.ts (docs/formats.md). */
export const FORMATS = [
  "json",
  "yaml",
  "csv",
  "evidently",
  "great-expectations",
  "lm-eval",
  "huggingface",
  "fairness",
  "sklearn",
  "wandb",
  "junit",
  "mlflow",
  "dvc",
] as const;
export type FormatName = (typeof FORMATS)[number];

/** One measurement (a gate): where its value comes from and what it must satisfy. */
export interface Gate {
  /** Stable id: slugs of dimension/requirement/metric/measurement (`release-kpis/<name>` for KPIs). */
  id: string;
  dimension: string;
  requirement: string;
  metric: string;
  name: string;
  comment?: string;
  risk?: string;
  assessor?: string;
  source: string;
  /** JSON Pointer (`/a/b`) or dotted path (`a.b`); absent means the whole document. */
  path?: string;
  dataType: DataType;
  /** Ordinal scale, lowest first. */
  scale?: string[];
  /** Numeric only: how values marked with a unit are read (absent: such a value is an error). */
  unit?: Unit;
  strategy: Strategy;
  target: Target;
  tolerance?: Tolerance;
  severity: Severity;
  confidential: boolean;
  frequency: Frequency;
  baseline?: BaselineRules;
  /** Where the gate is declared in the config (for annotations and messages). */
  location: Location;
}

export interface Specification {
  name: string;
  comment?: string;
  assessor?: string;
  /** The config file the specification was read from, as given. */
  configFile: string;
  sources: Record<string, SourceSpec>;
  gates: Gate[];
}
