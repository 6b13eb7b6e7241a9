// DVCLive's history files: one per metric, tab-separated, a header row naming `step`, the metric and
// (before DVCLive 3) `timestamp`, then a row each time the metric was logged, oldest first. Python's
// `nan` and `inf` are kept (the evaluator refuses them); an empty or unreadable cell is refused with its
// line and column.
import { MlgateError } from "../../errors.js";
import type { HistoryPoint } from "./tool.js";

interface Columns {
  count: number;
  step: number;
  value: number;
  /** -1 when there is no timestamp column (DVCLive 3 and later). */
  timestamp: number;
  /** The metric as DVCLive named it: the value column's header (`eval/acc`). */
  name: string;
}

export function parseHistory(text: string, shown: string): { name: string; points: HistoryPoint[] } {
  const lines = text.split(/\r\n|\r|\n/);
  while (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  const columns = headerColumns(lines[0] ?? "", shown);
  const points = lines.slice(1).map((line, index) => historyPoint(line, index + 2, columns, shown));
  if (points.length === 0) {
    throw new MlgateError("source.parse", `${shown} has a header but no logged values`, {
      location: { file: shown, line: 1, column: 1 },
      hint: "DVCLive writes a row each time the metric is logged; check that training logged it",
    });
  }
  return { name: columns.name, points };
}

function headerColumns(line: string, shown: string): Columns {
  const header = line.split("\t").map(unquoted);
  const step = header.indexOf("step");
  const timestamp = header.indexOf("timestamp");
  const values = header.map((_, index) => index).filter((index) => index !== step && index !== timestamp);
  const [value] = values;
  const name = value === undefined ? "" : (header[value] ?? "");
  if (step < 0 || value === undefined || values.length !== 1 || name === "") {
    throw new MlgateError(
      "source.parse",
      `${shown} is not a DVCLive history: its header is not "step<TAB><metric>"`,
      {
        location: { file: shown, line: 1, column: 1 },
        hint: 'DVCLive writes "step\\t<metric>" (older versions "timestamp\\tstep\\t<metric>") as the first line',
      },
    );
  }
  return { count: header.length, step, value, timestamp, name };
}

function historyPoint(line: string, number: number, columns: Columns, shown: string): HistoryPoint {
  const cells = line.split("\t");
  const problem = (message: string, cell: number, hint: string) =>
    new MlgateError("source.parse", `line ${number} of ${shown} ${message}`, {
      location: { file: shown, line: number, column: columnOf(cells, cell) },
      hint,
    });
  if (cells.length !== columns.count) {
    throw problem(
      `has ${cells.length} cells, not the header's ${columns.count}`,
      Math.min(cells.length, columns.count) - 1,
      "the file may have been cut short while training ran; log the metric again",
    );
  }
  const empty = cells.findIndex((cell) => cell.trim() === "");
  if (empty >= 0) {
    const which = empty === columns.step ? "step" : empty === columns.value ? columns.name : "timestamp";
    throw problem(
      `has an empty \`${which}\` cell`,
      empty,
      "the file may have been cut short or edited by hand; log the metric again",
    );
  }
  const step = cells[columns.step]?.trim() ?? "";
  const value = floatValue(cells[columns.value] ?? "");
  const timestamp = columns.timestamp < 0 ? undefined : floatValue(cells[columns.timestamp] ?? "");
  if (!/^[-+]?\d+$/.test(step)) {
    throw problem(
      "has a step that is not a whole number",
      columns.step,
      "steps are the integers DVCLive counts with next_step()",
    );
  }
  if (value === undefined) {
    throw problem(
      `has a \`${columns.name}\` value that is not a number`,
      columns.value,
      "DVCLive logs numbers; check that the file was not edited by hand",
    );
  }
  if (columns.timestamp >= 0 && (timestamp === undefined || !Number.isFinite(timestamp))) {
    throw problem(
      "has a timestamp that is not a number",
      columns.timestamp,
      "older DVCLive writes milliseconds since the epoch",
    );
  }
  return timestamp === undefined ? { step: Number(step), value } : { step: Number(step), value, timestamp };
}

/** A header cell as Python's csv module writes it: quoted when it holds a quote, a tab or a newline. */
function unquoted(cell: string): string {
  return /^".*"$/s.test(cell) ? cell.slice(1, -1).replaceAll('""', '"') : cell;
}

/** The 1-based column where cell number `cell` of a row starts. */
function columnOf(cells: readonly string[], cell: number): number {
  return cells.slice(0, Math.max(cell, 0)).reduce((total, text) => total + text.length + 1, 1);
}

/** Python's float spellings: nan, inf, -inf (and Infinity), or a decimal number. */
function floatValue(cell: string): number | undefined {
  const text = cell.trim();
  const lower = text.toLowerCase();
  if (lower === "nan" || lower === "-nan" || lower === "+nan") return NaN;
  if (lower === "inf" || lower === "+inf" || lower === "infinity" || lower === "+infinity") return Infinity;
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i.test(text)) return undefined;
  return Number(text);
}
