// CSV metric tables: a header row, one row per group or metric, keyed by one or more key columns into a
// tree (`/gender/Demographic Parity Diff`). Cells stay text; rows that share a key are never merged.
import { CsvError, parse, type Info } from "csv-parse/sync";
import { MlgateError } from "../../errors.js";
import type { FormatAdapter, ParseOptions } from "../types.js";
import { detectDelimiter, detectFormatName } from "./detect.js";

/** One data row: column name -> cell text. Null prototype, so a column named `__proto__` is just data. */
export type CsvRow = Record<string, string>;

export interface CsvTable {
  columns: string[];
  /** `line` is the 1-based line on which the row starts. */
  rows: { line: number; cells: CsvRow }[];
}

/**
 * Stands where several rows share a key, so that a gate reading it fails with the lines involved instead
 * of silently reading one of them.
 */
export class AmbiguousRows {
  constructor(
    readonly keyColumns: readonly string[],
    readonly key: readonly string[],
    readonly lines: number[],
    readonly rows: CsvRow[],
    readonly columns: readonly string[],
  ) {}

  /** The first other column whose values tell the rows apart: the one to add to `key:`. */
  distinguishingColumn(): string | undefined {
    return this.columns.find(
      (column) =>
        !this.keyColumns.includes(column) &&
        new Set(this.rows.map((row) => row[column])).size === this.rows.length,
    );
  }
}

export const csvFormat: FormatAdapter = {
  name: "csv",
  detect: (fileName, text) => detectFormatName(fileName, text) === "csv",
  parse: (text, options) => ({ data: parseCsv(text, options), textCells: true }),
};

export function parseCsv(text: string, options: ParseOptions): Record<string, unknown> {
  const table = readCsvTable(text, options);
  const keyColumns = options.key ?? table.columns.slice(0, 1);
  for (const column of keyColumns) {
    if (!table.columns.includes(column)) {
      throw new MlgateError("source.parse", `the key column ${JSON.stringify(column)} is not in the header`, {
        location: { file: options.origin, line: 1 },
        hint: `the columns are ${table.columns.map((c) => JSON.stringify(c)).join(", ")}`,
      });
    }
  }
  return keyRows(table, keyColumns);
}

/** Header and rows, with line numbers. LF, CRLF and CR-only line breaks are all recognised. */
export function readCsvTable(text: string, options: ParseOptions): CsvTable {
  const records = parseRecords(text, options);
  const [header, ...body] = records;
  if (header === undefined || header.cells.every((cell) => cell.trim() === "")) {
    throw new MlgateError("source.parse", "the CSV has no header row", {
      location: { file: options.origin, line: 1 },
      hint: "the first line must name the columns, e.g. `group,selection_rate`",
    });
  }
  const columns = header.cells;
  rejectDuplicateColumns(columns, options.origin);
  return { columns, rows: body.map(({ line, cells }) => ({ line, cells: toRow(columns, cells) })) };
}

function parseRecords(text: string, options: ParseOptions): { line: number; cells: string[] }[] {
  let parsed: { record: string[]; info: Info }[];
  try {
    // With `info: true` csv-parse returns {record, info} pairs, which its typings do not model.
    parsed = parse(text, {
      bom: true,
      delimiter: options.delimiter ?? detectDelimiter(text),
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as unknown as { record: string[]; info: Info }[];
  } catch (error) {
    if (error instanceof CsvError) throw csvError(error, options.origin);
    throw error;
  }
  let previousEnd = 0;
  let previousEmpty = 0;
  return parsed.map(({ record, info }) => {
    // `info.lines` is where the record ends; it starts after the previous one and any skipped blank lines.
    const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;
    return { line, cells: record };
  });
}

function csvError(error: CsvError, origin: string): MlgateError {
  const line = (error as CsvError & { lines?: number }).lines;
  const location = { file: origin, ...(typeof line === "number" ? { line } : {}) };
  if (error.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH") {
    const [, expected, got] = /expect (\d+), got (\d+)/.exec(error.message) ?? [];
    const counts = expected && got ? ` (${got} instead of ${expected})` : "";
    return new MlgateError("source.parse", `a row has a different number of cells than the header${counts}`, {
      location,
      hint: "every row needs one cell per header column; quote cells that contain the delimiter",
    });
  }
  // csv-parse sometimes quotes the offending cell; keep only the description.
  const sentence = error.message.replace(/,? value is .*$/s, "");
  return new MlgateError("source.parse", `invalid CSV: ${sentence}`, {
    location,
    hint: "check the quoting on that line: a quoted cell must close before the delimiter or line end",
  });
}

function rejectDuplicateColumns(columns: readonly string[], origin: string): void {
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column)) {
      throw new MlgateError("source.parse", `the header names the column ${JSON.stringify(column)} twice`, {
        location: { file: origin, line: 1 },
        hint: "give every column a distinct name so a path can say which one it means",
      });
    }
    seen.add(column);
  }
}

function toRow(columns: readonly string[], cells: readonly string[]): CsvRow {
  const row = Object.create(null) as CsvRow;
  columns.forEach((column, i) => (row[column] = cells[i] ?? ""));
  return row;
}

/** Nests rows by the key columns, in order; rows sharing a full key become one AmbiguousRows. */
export function keyRows(table: CsvTable, keyColumns: readonly string[]): Record<string, unknown> {
  const root = Object.create(null) as Record<string, unknown>;
  const lineOf = new Map<CsvRow, number>();
  for (const { line, cells } of table.rows) {
    const key = keyColumns.map((column) => cells[column] ?? "");
    const level = levelFor(root, key.slice(0, -1));
    const last = key.at(-1) ?? "";
    const existing = level[last];
    if (existing instanceof AmbiguousRows) {
      existing.lines.push(line);
      existing.rows.push(cells);
    } else if (existing !== undefined) {
      const first = existing as CsvRow;
      level[last] = new AmbiguousRows(
        keyColumns,
        key,
        [lineOf.get(first) ?? 0, line],
        [first, cells],
        table.columns,
      );
    } else {
      lineOf.set(cells, line);
      level[last] = cells;
    }
  }
  return root;
}

/** The nested object for a key prefix, created on first use. Every level has a null prototype. */
function levelFor(root: Record<string, unknown>, prefix: readonly string[]): Record<string, unknown> {
  let level = root;
  for (const part of prefix) {
    level = (level[part] ??= Object.create(null) as Record<string, unknown>) as Record<string, unknown>;
  }
  return level;
}
