// `mlgate inspect <file>`: every name and value mlgate sees in a metric file, each written as the `path:`
// a gate would use, so writing a config is copy and paste. Tool formats list their measurements (with the
// tool's verdicts); plain JSON, YAML and CSV list their leaves as JSON Pointers.
import { resolve } from "node:path";
import { FORMATS } from "../config/model.js";
import { MlgateError } from "../errors.js";
import { readFileSource } from "../sources/file.js";
import { AmbiguousRows } from "../sources/formats/csv.js";
import { toolFormat } from "../sources/formats/tools.js";
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
  -h, --help           show this help`;

interface Row {
  path: string;
  value: unknown;
  verdict?: string;
  description?: string;
}

export async function inspectCommand(argv: string[], io: CliIo): Promise<number> {
  const files = argv.filter(
    (arg, index) =>
      !arg.startsWith("-") && !["--format", "--output", "--cwd"].includes(argv[index - 1] ?? ""),
  );
  const { values } = parseCommandArgs(
    "inspect",
    argv.filter((arg) => !files.includes(arg)),
    {
      format: { type: "string" },
      output: { type: "string" },
      cwd: { type: "string" },
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
  const doc = await readFileSource(
    { kind: "file", name: "inspect", file, ...(format ? { format } : {}) },
    { cwd, env: io.env, fetch: io.fetch },
  );
  const rows = rowsOf(doc);
  if (output === "json") {
    io.stdout(
      `${JSON.stringify({ file: doc.origin, format: doc.format, measurements: rows.map(jsonRow) }, null, 2)}\n`,
    );
    return EXIT.conformant;
  }
  const title = toolFormat(doc.format)?.title ?? doc.format.toUpperCase();
  io.stdout(
    `${escapeText(doc.origin)}: ${title}${format ? "" : " (detected)"}, ${rows.length} measurement${rows.length === 1 ? "" : "s"}. Copy a line's path into a gate.\n`,
  );
  const width = Math.min(80, Math.max(0, ...rows.map((row) => quote(row.path).length)));
  for (const row of rows) {
    const verdict = row.verdict
      ? `  [${row.verdict}]${row.description ? ` ${escapeText(row.description.replace(/\s+/g, " ").slice(0, 160))}` : ""}`
      : "";
    io.stdout(
      `  path: ${escapeText(quote(row.path)).padEnd(width)}  ${escapeText(show(row.value))}${verdict}\n`,
    );
  }
  return EXIT.conformant;
}

function rowsOf(doc: SourceDocument): Row[] {
  if (doc.measurements) {
    return doc.measurements.map((measurement) => ({
      path: measurement.name,
      value:
        measurement.scale === "percent" && typeof measurement.value === "number"
          ? `${measurement.value}%`
          : measurement.value,
      ...(measurement.verdict ? { verdict: measurement.verdict } : {}),
      ...(measurement.description ? { description: measurement.description } : {}),
    }));
  }
  const rows: Row[] = [];
  const walk = (value: unknown, pointer: string) => {
    if (value instanceof AmbiguousRows) {
      const column = value.distinguishingColumn();
      rows.push({
        path: pointer,
        value: `${value.rows.length} rows (lines ${value.lines.join(", ")}) share this key: add ${column ? `"${column}"` : "a column"} to the source's key:`,
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
    rows.push({ path: pointer, value });
  };
  walk(doc.data, "");
  return rows;
}

function jsonRow(row: Row): Row {
  // NaN and ±Infinity have no JSON spelling; as text they stay visible.
  return typeof row.value === "number" && !Number.isFinite(row.value)
    ? { ...row, value: String(row.value) }
    : row;
}

/** The path as YAML reads it back: plain when safe, double-quoted otherwise. */
function quote(path: string): string {
  return /^[A-Za-z_/][\w./-]*$/.test(path) && !/^(true|false|null|yes|no|on|off)$/i.test(path)
    ? path
    : JSON.stringify(path);
}

function show(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}
