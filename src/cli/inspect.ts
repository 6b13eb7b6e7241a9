// `mlgate inspect <file>`: every name and value mlgate sees in a metric file, each written as the `path:`
// a gate would use, so writing a config is copy and paste. Tool formats list their measurements (with the
// tool's verdicts); plain JSON, YAML and CSV list their leaves as JSON Pointers.
import { resolve } from "node:path";
import { FORMATS } from "../config/model.js";
import { MlgateError } from "../errors.js";
import { typedPathFs } from "../files/contained-fs.js";
import { readFileSource } from "../sources/file.js";
import { AmbiguousRows } from "../sources/formats/csv.js";
import { percentValue, type HistoryPoint } from "../sources/formats/tool.js";
import { formatTitle } from "../sources/formats/tools.js";
import { escapeText } from "../report/escape.js";
import type { SourceDocument } from "../sources/types.js";
import { oneOf, parseCommandArgs } from "./args.js";
import { EXIT, type CliIo } from "./io.js";

export const INSPECT_HELP = `Usage: mlgate inspect <file> [options]

Lists every measurement mlgate reads in a metric file, each as the \`path:\` a gate selects it with.

Options:
  --format <format>    read the file as this format (default: detected): ${FORMATS.join(", ")}
  --output <style>     text | json (default: text)
  --cwd <dir>          directory the file is relative to (default: current directory)
  --run <id or name>   MLflow: the run of an experiment directory (default: the latest)
  --experiment <name>  MLflow: the experiment of an mlruns directory with several
  -h, --help           show this help`;

interface Row {
  path: string;
  value: unknown;
  verdict?: string;
  description?: string;
  history?: readonly HistoryPoint[];
  /** mlgate's own words about the place (rows sharing a CSV key), shown whole. */
  note?: boolean;
  /** The value is a percentage ("85%"): only a gate with `unit: percent` reads it, as 0.85. */
  unit?: "percent";
}

export async function inspectCommand(argv: string[], io: CliIo): Promise<number> {
  const files = argv.filter(
    (arg, index) =>
      !arg.startsWith("-") &&
      !["--format", "--output", "--cwd", "--run", "--experiment"].includes(argv[index - 1] ?? ""),
  );
  const { values } = parseCommandArgs(
    "inspect",
    argv.filter((arg) => !files.includes(arg)),
    {
      format: { type: "string" },
      output: { type: "string" },
      cwd: { type: "string" },
      run: { type: "string" },
      experiment: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  );
  if (values.help) {
    io.stdout(`${INSPECT_HELP}\n`);
    return EXIT.conformant;
  }
  const [file, ...extra] = files;
  if (file === undefined || extra.length > 0) {
    throw new MlgateError(
      "usage",
      file === undefined ? "mlgate inspect needs a file" : "mlgate inspect reads one file",
      {
        hint: "run `mlgate inspect reports/metrics.json`",
      },
    );
  }
  const format = values.format === undefined ? undefined : oneOf("format", values.format, FORMATS, "json");
  const output = oneOf("output", values.output, ["text", "json"] as const, "text");
  const cwd = resolve(io.cwd, values.cwd ?? ".");
  // A path the user typed may be anywhere: outside the working directory it is read in the place it names
  // (a dvc.yaml's files there, never beyond); inside, no link in the checkout leads out of it.
  const typed = await typedPathFs(file, cwd, [{ dir: cwd, label: `the working directory ${cwd}` }]);
  const doc = await readFileSource(
    {
      kind: "file",
      name: "inspect",
      file,
      ...(format ? { format } : {}),
      // An id is 32 hex digits; anything else is taken for a run name.
      ...(values.run === undefined
        ? {}
        : { run: /^[0-9a-f]{32}$/.test(values.run) ? { id: values.run } : { name: values.run } }),
      ...(values.experiment === undefined ? {} : { experiment: values.experiment }),
    },
    typed.files,
    typed.path,
  );
  const rows = rowsOf(doc);
  const unavailable = (doc.unavailable ?? []).map((part) => ({
    path: part.prefix,
    error: part.error.message,
    ...(part.error.hint ? { hint: part.error.hint } : {}),
  }));
  if (output === "json") {
    const body = {
      file: doc.origin,
      format: doc.format,
      measurements: rows.map(jsonRow),
      ...(unavailable.length ? { unavailable } : {}),
    };
    io.stdout(`${JSON.stringify(body, null, 2)}\n`);
    return EXIT.conformant;
  }
  io.stdout(
    `${escapeText(doc.origin)}: ${formatTitle(doc.format)}${format ? "" : " (detected)"}, ${rows.length} measurement${rows.length === 1 ? "" : "s"}. Copy a line's path into a gate.\n`,
  );
  const width = Math.min(80, Math.max(0, ...rows.map((row) => quote(row.path).length)));
  for (const row of rows) {
    const verdict = row.verdict
      ? `  [${row.verdict}]${row.description ? ` ${escapeText(row.description.replace(/\s+/g, " ").slice(0, 160))}` : ""}`
      : "";
    const history = row.history && row.history.length > 1 ? `  ${describeHistory(row.history)}` : "";
    io.stdout(
      `  path: ${escapeText(quote(row.path)).padEnd(width)}  ${escapeText(row.note ? JSON.stringify(row.value) : show(row.value))}${verdict}${history}\n`,
    );
  }
  for (const part of unavailable) {
    io.stdout(
      `  path: ${escapeText(quote(part.path)).padEnd(width)}  [error] ${escapeText(part.error)}${part.hint ? ` (${escapeText(part.hint)})` : ""}\n`,
    );
  }
  if (rows.some((row) => row.unit === "percent")) {
    io.stdout(
      "Values shown as percentages are read only by a gate with `unit: percent`, as fractions (85% is compared as 0.85); without it they are errors.\n",
    );
  }
  return EXIT.conformant;
}

/** "history: 3 values, steps 0–2: 0.75, 0.5, 1" — the first and last few when there are many. */
function describeHistory(history: readonly HistoryPoint[]): string {
  const values = history.map((point) => String(point.value));
  const shown = values.length > 6 ? [...values.slice(0, 3), "…", ...values.slice(-2)] : values;
  const first = history[0]?.step ?? 0;
  const last = history.at(-1)?.step ?? 0;
  return `(history: ${history.length} values, steps ${first}–${last}: ${shown.join(", ")})`;
}

function rowsOf(doc: SourceDocument): Row[] {
  if (doc.measurements) {
    return doc.measurements.map((measurement) => ({
      path: measurement.name,
      value:
        measurement.scale === "percent" && typeof measurement.value === "number"
          ? `${measurement.value}%`
          : measurement.value,
      ...(measurement.scale === "percent" || isPercentText(measurement.value)
        ? { unit: "percent" as const }
        : {}),
      ...(measurement.verdict ? { verdict: measurement.verdict } : {}),
      ...(measurement.description ? { description: measurement.description } : {}),
      ...(measurement.history ? { history: measurement.history } : {}),
    }));
  }
  const rows: Row[] = [];
  const walk = (value: unknown, pointer: string) => {
    if (value instanceof AmbiguousRows) {
      const column = value.distinguishingColumn();
      rows.push({
        path: pointer,
        value: `${value.rows.length} rows (lines ${value.lines.join(", ")}) share this key: add ${column ? `"${column}"` : "a column"} to the source's key:`,
        note: true,
      });
      return;
    }
    if (value !== null && typeof value === "object") {
      const entries = Array.isArray(value)
        ? value.map((item, index) => [String(index), item] as const)
        : Object.entries(value);
      for (const [key, child] of entries)
        walk(child, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
      return;
    }
    rows.push({ path: pointer, value, ...(isPercentText(value) ? { unit: "percent" as const } : {}) });
  };
  walk(doc.data, "");
  return rows;
}

function isPercentText(value: unknown): boolean {
  return typeof value === "string" && percentValue(value) !== undefined;
}

function jsonRow(row: Row): Row & { history?: ReadonlyArray<HistoryPoint | { value: string }> } {
  // NaN and ±Infinity have no JSON spelling; as text they stay visible.
  const visible = (value: unknown) =>
    typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
  const { note: _note, ...shown } = row;
  return {
    ...shown,
    value: visible(row.value),
    ...(row.history
      ? { history: row.history.map((point) => ({ ...point, value: visible(point.value) as number })) }
      : {}),
  };
}

/** The path as YAML reads it back: plain when safe, double-quoted otherwise. */
function quote(path: string): string {
  return /^[A-Za-z_/][\w./-]*$/.test(path) && !/^(true|false|null|yes|no|on|off)$/i.test(path)
    ? path
    : JSON.stringify(path);
}

/** Long text (an MLflow tag holding a JSON blob) is cut in the listing; `--output json` has it whole. */
const SHOWN_TEXT = 120;

function show(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") {
    return value.length > SHOWN_TEXT
      ? `${JSON.stringify(value.slice(0, SHOWN_TEXT))}… (${value.length} characters)`
      : JSON.stringify(value);
  }
  return String(value);
}
