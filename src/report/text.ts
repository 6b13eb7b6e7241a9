// The terminal and CI-log view: verdict first, one aligned line per measurement grouped by dimension,
// the message under each one that did not pass, the summary last. ANSI colour only when asked for.
import { escapeText as esc } from "./escape.js";
import { displayMeasurement } from "./format-value.js";
import type { ConformityStatus, Report, ReportMeasurement } from "./model.js";
import { redactReport } from "./redact.js";
import type { DimensionSection, Outcome } from "./verdict.js";
import {
  CONFORMITY_LABELS,
  countOutcomes,
  describeCounts,
  describeSkipped,
  outcomeOf,
  sectionsOf,
} from "./verdict.js";

export interface TextOptions {
  /** Colour with ANSI escape codes (default false: logs and pipes get plain text). */
  color?: boolean | undefined;
}

type Paint = (style: Style, text: string) => string;
type Style = "green" | "red" | "yellow" | "magenta" | "dim" | "bold";

const ANSI: Readonly<Record<Style, string>> = {
  green: "32",
  red: "31",
  yellow: "33",
  magenta: "35",
  dim: "2",
  bold: "1",
};

const MARKS: Readonly<Record<Outcome, readonly [string, Style]>> = {
  pass: ["✔", "green"],
  fail: ["✖", "red"],
  warning: ["!", "yellow"],
  error: ["?", "magenta"],
  skipped: ["-", "dim"],
};

const VERDICT_MARKS: Readonly<Record<ConformityStatus, readonly [string, Style]>> = {
  conformant: ["✔", "green"],
  "conformant-with-warnings": ["!", "yellow"],
  "non-conformant": ["✖", "red"],
};

/** Widest a padded column gets; longer cells are kept whole and push the rest of their line right. */
const MAX_WIDTH = { name: 40, value: 16, target: 24 };

export function renderText(report: Report, options: TextOptions = {}): string {
  const safe = redactReport(report);
  const paint: Paint =
    options.color === true ? (style, text) => `\x1b[${ANSI[style]}m${text}\x1b[0m` : (_, t) => t;
  const status = CONFORMITY_LABELS[safe.status];
  const counts = describeCounts(countOutcomes(safe.measurements));
  const [mark, style] = VERDICT_MARKS[safe.status];
  const lines = [
    paint(style, paint("bold", `${mark} mlgate: ${status} — ${counts}`)),
    `Specification: ${esc(safe.specification.name)}`,
    ...sectionsOf(safe).flatMap((section) => ["", ...sectionLines(section, paint)]),
    "",
    `Result: ${paint(style, status)} — ${counts}`,
  ];
  return `${lines.join("\n")}\n`;
}

function sectionLines(section: DimensionSection, paint: Paint): string[] {
  const conformity = section.conformity === null ? "" : ` — ${CONFORMITY_LABELS[section.conformity]}`;
  const rows = section.measurements.map((m) => ({ m, cells: cellsOf(m) }));
  const widths: Widths = {
    name: columnWidth(
      rows.map((r) => r.cells.name),
      MAX_WIDTH.name,
    ),
    value: columnWidth(
      rows.map((r) => r.cells.value),
      MAX_WIDTH.value,
    ),
    target: columnWidth(
      rows.map((r) => r.cells.target),
      MAX_WIDTH.target,
    ),
  };
  return [
    paint("bold", `${esc(section.name)}${conformity}`),
    ...rows.flatMap(({ m, cells }) => measurementLines(m, cells, widths, paint)),
  ];
}

interface Cells {
  name: string;
  value: string;
  target: string;
  delta: string;
  /** What the mark alone does not say: `skipped (last: pass)`; empty otherwise. */
  note: string;
}

function cellsOf(m: ReportMeasurement): Cells {
  const shown = displayMeasurement(m);
  const delta = m.baseline === null ? "" : `Δ ${shown.delta}`;
  const note = m.status === "skipped" ? describeSkipped(m) : "";
  return { name: esc(m.name), value: esc(shown.value), target: esc(shown.target), delta, note };
}

type Widths = Record<"name" | "value" | "target", number>;

function measurementLines(m: ReportMeasurement, cells: Cells, widths: Widths, paint: Paint): string[] {
  const [mark, style] = MARKS[outcomeOf(m)];
  const line = [
    `  ${paint(style, mark)} ${pad(cells.name, widths.name)}`,
    pad(cells.value, widths.value),
    pad(cells.target, widths.target),
    ...[cells.delta, cells.note].filter((cell) => cell !== ""),
  ].join("  ");
  const lines = [line.trimEnd()];
  if (m.status !== "pass") lines.push(`      ${paint(style, esc(m.message))}`);
  return lines;
}

function columnWidth(cells: readonly string[], max: number): number {
  return Math.min(
    max,
    cells.reduce((widest, cell) => Math.max(widest, width(cell)), 0),
  );
}

function pad(text: string, columns: number): string {
  return text + " ".repeat(Math.max(0, columns - width(text)));
}

/** Code points, not UTF-16 units: close enough for the symbols and accents a metric name holds. */
function width(text: string): number {
  return [...text].length;
}
