// Tool formats: the files ML tools write (Evidently, Great Expectations, Hugging Face, scikit-learn, ...)
// read into named measurements. Each adapter names what it reads in a documented, stable way, so a gate
// selects `path: <name>` and `mlgate inspect <file>` lists every name to copy into a config.
import { MlgateError, type Location } from "../../errors.js";

/** What the tool itself concluded about a measurement, when it concludes anything. */
export type ToolVerdict = "pass" | "fail" | "warning" | "error" | "skipped";

export interface ToolMeasurement {
  /** Stable and unique within a file: `metrics/DatasetDriftMetric/share_of_drifted_columns`. */
  name: string;
  /** A number (NaN and ±Infinity kept, the evaluator refuses them), a string, a boolean, or null. */
  value: number | string | boolean | null;
  /** The tool's own verdict (an Evidently test's status, a Great Expectations `success`). */
  verdict?: ToolVerdict;
  /** The tool's own words for it (a test's or an expectation's description). */
  description?: string;
  /** The value was written as a percentage ("25.59%" is 25.59 on a 0–100 scale). */
  scale?: "percent";
  /** The value is untyped text, read like a CSV cell (an MLflow param "0.01" is a number to a numeric gate). */
  text?: boolean;
  /** Every value logged for it, oldest first; `value` is the latest (MLflow metrics, DVCLive plots). */
  history?: readonly HistoryPoint[];
}

export interface HistoryPoint {
  step: number;
  value: number;
  /** Milliseconds since the epoch, when the tool records it. */
  timestamp?: number;
}

export interface ToolFormat {
  name: string;
  /** The tool's name as people write it: "Evidently", "Great Expectations". */
  title: string;
  /**
   * A confident yes from the content (and the file name): used when a source names no format. A tool
   * format claims a file only by shapes no plain metrics file has, so detection never takes a file away
   * from a config that reads it as plain JSON.
   */
  detect(fileName: string, text: string): boolean;
  /** The file's measurements; an MlgateError (`source.parse`) naming the place when the file is refused. */
  read(text: string, options: { origin: string }): ToolMeasurement[];
}

/** The measurements as a document tree: one key per name (own keys only, `__proto__` is just a name). */
export function measurementTree(
  measurements: readonly ToolMeasurement[],
  origin: string,
): Record<string, unknown> {
  const tree = Object.create(null) as Record<string, unknown>;
  for (const measurement of measurements) {
    if (Object.hasOwn(tree, measurement.name)) {
      throw new MlgateError(
        "source.parse",
        `two measurements in ${origin} are both named ${JSON.stringify(measurement.name)}`,
        {
          location: { file: origin },
          hint: "this is a bug in mlgate's reader for this format; please report it with the file",
        },
      );
    }
    tree[measurement.name] = measurement.value;
  }
  return tree;
}

/** "25.59%" → 25.59 on the percent scale; anything else undefined. */
export function percentValue(text: string): number | undefined {
  const match = /^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*%\s*$/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Python's and pandas' spellings of "no value": "NA", "N/A", "NaN", "nan", "None", "null", "". */
export function isMissingText(text: string): boolean {
  // trim() removes exactly what \s matches; `\s*` on both sides of the optional word would trade spaces.
  return /^(?:NA|N\/A|n\/a|NaN|nan|None|none|null|NULL)?$/.test(text.trim());
}

/** A value and, when it was written as a percentage, its scale. */
export interface Scalar {
  value: ToolMeasurement["value"];
  scale?: "percent";
}

/**
 * Names handed out so far, in order. A name given twice (keys containing "/" can collide: `a/b` + `c`
 * and `a` + `b/c`) is refused with both places, never merged or overwritten.
 */
export class MeasurementNames {
  readonly measurements: ToolMeasurement[] = [];
  private readonly places = new Map<string, () => Location>();

  /** `parts` says what the keys joined into a name are, for the hint: "a task or metric". */
  constructor(
    private readonly origin: string,
    private readonly parts: string,
  ) {}

  add(name: string, scalar: Scalar, place: () => Location): void {
    const first = this.places.get(name);
    if (first !== undefined) {
      const { line, column } = first();
      const where =
        line === undefined
          ? "earlier in the file"
          : `on line ${line}${column === undefined ? "" : `, column ${column}`}`;
      throw new MlgateError(
        "source.parse",
        `two values in ${this.origin} would both be named ${JSON.stringify(name)}`,
        {
          location: place(),
          hint: `the other is ${where}; names join keys with "/", so ${this.parts} whose name contains "/" can collide with another — rename one of them`,
        },
      );
    }
    this.places.set(name, place);
    this.measurements.push({ name, value: scalar.value, ...(scalar.scale ? { scale: scalar.scale } : {}) });
  }
}
