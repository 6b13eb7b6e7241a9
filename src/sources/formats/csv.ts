// CSV metric tables: a header row, one row per group or metric, keyed by one or more key columns into a
// tree (`/gender/Demographic Parity Diff`). Cells stay text; rows that share a key are never merged.
import { CsvError, parse, type Info } from "csv-parse/sync";
import { MlgateError, type Location } from "../../errors.js";
import type { FormatAdapter, ParseOptions } from "../types.js";
import { claimsFormat, detectDelimiter } from "./detect.js";

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

  /**
   * The first other column of labels whose values tell the rows apart: the one to add to `key:`. Only
   * labels: a key column's values end up in paths and messages, so a column of measurements (which may
   * be confidential) is never suggested, and whether one would tell the rows apart is not even asked.
   */
  distinguishingColumn(): string | undefined {
    return this.columns.find(
      (column) =>
        !this.keyColumns.includes(column) &&
        this.rows.every((row) => isLabel(row[column] ?? "")) &&
        new Set(this.rows.map((row) => row[column])).size === this.rows.length,
    );
  }
}

const MEASUREMENT =
  /^[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?%?$|^[-+]?(?:nan|inf|infinity)$|^(?:true|false)$/i;

/** A cell that names something (`F`, `age_group`) rather than measuring it: not a number, boolean or blank. */
function isLabel(cell: string): boolean {
  const text = cell.trim();
  return text !== "" && !MEASUREMENT.test(text);
}

export const csvFormat: FormatAdapter = {
  name: "csv",
  detect: claimsFormat("csv"),
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

/**
 * csv-parse's messages quote the offending cell (`Invalid Closing Quote: got "7"`), which can be part of a
 * confidential value; users get our own words with line and column number, its message goes to `detail`.
 */
function csvError(error: CsvError, origin: string): MlgateError {
  const { lines, index } = error as CsvError & { lines?: unknown; index?: unknown };
  const line = typeof lines === "number" ? lines : undefined;
  const where = typeof index === "number" ? ` in column ${index + 1}` : "";
  const location = { file: origin, ...(line === undefined ? {} : { line }) };
  const options = { location, detail: error.message };
  switch (error.code) {
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH": {
      // Only the two numbers are taken from csv-parse's message.
      const [, expected, got] = /expect (\d+), got (\d+)/.exec(error.message) ?? [];
      const counts = expected && got ? ` (${got} instead of ${expected})` : "";
      return new MlgateError(
        "source.parse",
        `a row has a different number of cells than the header${counts}`,
        {
          ...options,
          hint: "every row needs one cell per header column; quote cells that contain the delimiter",
        },
      );
    }
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return quotingError(
        `invalid CSV: a quoted cell${where} has more text after its closing quote`,
        options,
      );
    case "INVALID_OPENING_QUOTE":
      return quotingError(`invalid CSV: an unquoted cell${where} contains a quote`, options);
    case "CSV_QUOTE_NOT_CLOSED":
      return quotingError(`invalid CSV: a quoted cell${where} is never closed`, options);
    default:
      return new MlgateError("source.parse", `the CSV could not be read${where}`, {
        ...options,
        hint: "check the delimiter and the quoting; the file must be a header row and one row per line",
      });
  }
}

function quotingError(message: string, options: { location: Location; detail: string }): MlgateError {
  return new MlgateError("source.parse", message, {
    ...options,
    hint: 'a quoted cell must close before the delimiter or line end; a quote inside a cell is written twice ("")',
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
