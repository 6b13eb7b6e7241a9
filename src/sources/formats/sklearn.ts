// scikit-learn's `classification_report(output_dict=True)`, as json.dump writes it, read into one
// measurement per class and average: `<label>/<metric>` (`0/recall`, `macro avg/f1-score`,
// `weighted avg/support`) and the scalar `accuracy`. Labels are kept as written, spaces, slashes and
// commas included. With `format: sklearn` a labelled confusion-matrix CSV (header `actual,<labels…>`, one
// row per true label) is read too, as `confusion/<actual>/<predicted>` counts; detection never claims a
// CSV, which stays a plain CSV table (`/<actual>/<predicted>`) when no format is named.
import { MlgateError } from "../../errors.js";
import { readCsvTable } from "./csv.js";
import { parseJson } from "./json.js";
import { parseQuietly, jsonPointer } from "./json-tree.js";
import { isMissingText, percentValue, type ToolFormat, type ToolMeasurement } from "./tool.js";

/** The four numbers classification_report writes for every class and every average. */
const REPORT_METRICS = ["precision", "recall", "f1-score", "support"] as const;
const HINT_REPORT =
  "format: sklearn reads the JSON of classification_report(y_true, y_pred, output_dict=True), or a labelled confusion-matrix CSV";

export const sklearnFormat: ToolFormat = {
  name: "sklearn",
  title: "scikit-learn",
  detect: (_fileName, text) => {
    // Cheap text checks first; the JSON is parsed only when both averages are there.
    if (
      !/^\uFEFF?\s*\{/.test(text) ||
      !/"macro avg"\s*:\s*\{/.test(text) ||
      !/"weighted avg"\s*:\s*\{/.test(text)
    ) {
      return false;
    }
    const report = parseQuietly(text);
    return isRecord(report) && isAverage(report["macro avg"]) && isAverage(report["weighted avg"]);
  },
  read: (text, { origin }) =>
    /^\uFEFF?\s*[[{]/.test(text) ? readReport(text, origin) : readConfusionMatrix(text, origin),
};

function readReport(text: string, origin: string): ToolMeasurement[] {
  const report = parseJson(text, { origin });
  if (!isRecord(report)) {
    throw new MlgateError("source.parse", "expected a classification report: a JSON object keyed by class", {
      location: { file: origin, line: 1, column: 1 },
      hint: HINT_REPORT,
    });
  }
  const measurements = new Measurements(origin);
  for (const [label, entry] of Object.entries(report)) {
    if (isRecord(entry)) {
      for (const [metric, value] of Object.entries(entry)) {
        measurements.add(`${label}/${metric}`, scalar(value, origin, [label, metric]), [label, metric]);
      }
    } else {
      // `accuracy` is the one scalar classification_report writes at the top.
      measurements.add(label, scalar(entry, origin, [label]), [label]);
    }
  }
  if (measurements.list.length === 0) {
    throw new MlgateError("source.parse", "the classification report is empty", {
      location: { file: origin, line: 1, column: 1 },
      hint: "it holds no class and no number; check that the evaluation step ran on a non-empty test set",
    });
  }
  return measurements.list;
}

/** A report value: numbers (NaN kept, from zero_division=np.nan), null, and text read for "25%" or "N/A". */
function scalar(value: unknown, origin: string, path: readonly string[]): Omit<ToolMeasurement, "name"> {
  if (typeof value === "number" || typeof value === "boolean" || value === null) return { value };
  if (typeof value === "string") {
    const percent = percentValue(value);
    if (percent !== undefined) return { value: percent, scale: "percent" };
    return { value: isMissingText(value) ? null : value };
  }
  throw new MlgateError(
    "source.parse",
    `expected a number at ${jsonPointer(path)}, found ${Array.isArray(value) ? "a list" : "an object"}`,
    {
      location: { file: origin, field: jsonPointer(path) },
      hint: `a classification report holds one object of ${REPORT_METRICS.join(", ")} per class and average, and the number "accuracy"`,
    },
  );
}

/** Collects measurements, refusing a name made twice (label "a/precision" next to class "a"). */
class Measurements {
  readonly list: ToolMeasurement[] = [];
  private readonly paths = new Map<string, readonly string[]>();

  constructor(private readonly origin: string) {}

  add(name: string, measurement: Omit<ToolMeasurement, "name">, path: readonly string[]): void {
    const first = this.paths.get(name);
    if (first !== undefined) {
      throw new MlgateError(
        "source.parse",
        `two entries of the report are both named ${JSON.stringify(name)}`,
        {
          location: { file: this.origin, field: jsonPointer(path) },
          hint: `${jsonPointer(first)} and ${jsonPointer(path)} give the same name; rename one of the labels`,
        },
      );
    }
    this.paths.set(name, path);
    this.list.push({ name, ...measurement });
  }
}

/** A confusion matrix as a labelled table: the same labels across the header and down the first column. */
function readConfusionMatrix(text: string, origin: string): ToolMeasurement[] {
  const table = readCsvTable(text, { origin });
  const [corner, ...predicted] = table.columns;
  const notMatrix = (message: string, line: number, hint: string) =>
    new MlgateError("source.parse", `expected a confusion matrix: ${message}`, {
      location: { file: origin, line },
      hint,
    });
  const labelsHint =
    "the header is `actual,<label>,<label>,…` and each row starts with one of those labels, as pd.DataFrame(confusion_matrix(y, p), index=labels, columns=labels).to_csv() writes it; read other tables with format: csv";
  if (corner === undefined || predicted.length === 0) {
    throw notMatrix("the header names no predicted labels", 1, labelsHint);
  }
  const measurements: ToolMeasurement[] = [];
  const actualLines = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const actual = cells[corner] ?? "";
    const firstLine = actualLines.get(actual);
    if (firstLine !== undefined) {
      throw notMatrix(`the true label of this row is also the label of line ${firstLine}`, line, labelsHint);
    }
    if (!predicted.includes(actual)) {
      throw notMatrix("this row's label is not one of the header's labels", line, labelsHint);
    }
    actualLines.set(actual, line);
    predicted.forEach((label, index) => {
      const count = (cells[label] ?? "").trim();
      if (!/^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(count)) {
        throw notMatrix(
          `column ${index + 2} is not a count`,
          line,
          "every cell past the first column is a count (or a rate, when normalised)",
        );
      }
      measurements.push({ name: `confusion/${actual}/${label}`, value: Number(count) });
    });
  }
  if (actualLines.size !== predicted.length) {
    throw notMatrix(
      `the header names ${predicted.length} labels but ${actualLines.size} rows follow`,
      1,
      labelsHint,
    );
  }
  return measurements;
}

function isAverage(value: unknown): boolean {
  return isRecord(value) && REPORT_METRICS.every((metric) => Object.hasOwn(value, metric));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
