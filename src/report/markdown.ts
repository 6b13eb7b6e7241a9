// The PR comment (and job summary): verdict first, what needs attention, one table per dimension,
// details folded away. Shortened to fit GitHub's comment limit by leaving out whole parts, never mid-table.
import { markdownTable } from "markdown-table";
import { boldMarkdown, escapeMarkdown as esc } from "./escape.js";
import { boundary } from "./clip.js";
import { displayMeasurement } from "./format-value.js";
import { renderDetails } from "./markdown-details.js";
import type { ConformityStatus, Report, ReportMeasurement } from "./model.js";
import { redactReport } from "./redact.js";
import type { DimensionSection, Outcome } from "./verdict.js";
import {
  CONFORMITY_LABELS,
  countOutcomes,
  describeCounts,
  needingAttention,
  outcomeOf,
  sectionsOf,
} from "./verdict.js";

export interface MarkdownOptions {
  /** The longest text to return (default 65,000: GitHub allows 65,536 characters in a comment body). */
  maxLength?: number | undefined;
  /**
   * Markdown of our own (already escaped) that opens the text, such as the loosened-gates notice. A
   * function is given the room it may take (half the limit) and must stay within it.
   */
  preamble?: Preamble | undefined;
  /** Where the whole report can be read when this one is shortened (the run's job summary). */
  fullReportUrl?: string | undefined;
}

export const COMMENT_LIMIT = 65_000;

/** What opens the text: fixed Markdown, or Markdown rendered for the room it is given. */
export type Preamble = string | ((room: number) => string);

/** The share of the limit a preamble function may take; the report keeps the rest. */
const PREAMBLE_SHARE = 0.5;

const CONFORMITY_EMOJI: Readonly<Record<ConformityStatus, string>> = {
  conformant: "✅",
  "conformant-with-warnings": "⚠️",
  "non-conformant": "❌",
};

const STATUS_CELLS: Readonly<Record<Outcome, string>> = {
  pass: "✅ pass",
  fail: "❌ fail",
  error: "🚫 error",
  warning: "⚠️ fail (warning)",
  skipped: "⏭️ skipped",
};

/** What goes into one rendering; each step down leaves out more to fit the limit. */
interface Plan {
  details: boolean;
  passingRows: boolean;
  tables: boolean;
  /** How many "Needs attention" items to list. */
  attention: number;
}

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const safe = redactReport(report);
  const limit = Math.max(0, options.maxLength ?? COMMENT_LIMIT);
  const all = Number.POSITIVE_INFINITY;
  const plans: Plan[] = [
    { details: true, passingRows: true, tables: true, attention: all },
    { details: false, passingRows: true, tables: true, attention: all },
    { details: false, passingRows: false, tables: true, attention: all },
  ];
  const opening =
    typeof options.preamble === "function"
      ? options.preamble(Math.max(0, Math.floor(limit * PREAMBLE_SHARE) - 2))
      : options.preamble;
  const preamble = opening ? `${opening.trimEnd()}\n\n` : "";
  const context: Context = { fullReportUrl: safeUrl(options.fullReportUrl) };
  const room = Math.max(0, limit - preamble.length);
  for (const plan of plans) {
    const text = compose(safe, plan, context);
    if (text.length <= room) return preamble + text;
  }
  return preamble + composeAttentionOnly(safe, room, context);
}

interface Context {
  fullReportUrl: string | undefined;
}

/** Only an http(s) URL of our own making is linked, and nothing in it can close the link. */
function safeUrl(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\/[^\s<>()[\]`"']+$/.test(url)) return undefined;
  return url;
}

/** Last resorts: as many "Needs attention" items as fit without tables, then a cut verdict. */
function composeAttentionOnly(report: Report, limit: number, context: Context): string {
  const plan = (attention: number): Plan => ({
    details: false,
    passingRows: false,
    tables: false,
    attention,
  });
  let low = 0;
  let high = needingAttention(report.measurements).length;
  if (compose(report, plan(0), context).length > limit) return cut(compose(report, plan(0), context), limit);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (compose(report, plan(middle), context).length <= limit) low = middle;
    else high = middle - 1;
  }
  return compose(report, plan(low), context);
}

/** Cuts at a character boundary and never inside an entity or a surrogate pair. */
function cut(text: string, limit: number): string {
  return text.slice(0, boundary(text, limit)).replace(/&#?\w*$/, "");
}

function compose(report: Report, plan: Plan, context: Context): string {
  const sections = sectionsOf(report);
  const blocks = [
    verdictBlock(report),
    shortenedNote(report, plan, context),
    attentionBlock(report.measurements, plan.attention),
    ...(plan.tables ? sections.map((s) => sectionBlock(s, plan.passingRows)) : []),
    plan.details ? renderDetails(report, sections) : "",
  ];
  return `${blocks.filter((b) => b !== "").join("\n\n")}\n`;
}

function verdictBlock(report: Report): string {
  const counts = describeCounts(countOutcomes(report.measurements));
  const verdict = `### ${CONFORMITY_EMOJI[report.status]} mlgate: ${CONFORMITY_LABELS[report.status]} — ${counts}`;
  const { name, comment } = report.specification;
  const spec = `**Specification:** ${esc(name)}${comment === null || comment === "" ? "" : ` — ${esc(comment)}`}`;
  return `${verdict}\n${spec}`;
}

function shortenedNote(report: Report, plan: Plan, context: Context): string {
  const passing = countOutcomes(report.measurements).pass;
  const open = needingAttention(report.measurements).length;
  const left = [
    plan.details ? "" : "details",
    plan.passingRows || passing === 0 ? "" : `${passing} passing measurement${passing === 1 ? "" : "s"}`,
    plan.tables ? "" : "the tables per dimension",
    plan.attention >= open ? "" : `${open - plan.attention} of ${open} measurements needing attention`,
  ].filter((part) => part !== "");
  if (left.length === 0) return "";
  const what = left.length === 1 ? left[0] : `${left.slice(0, -1).join(", ")} and ${left.at(-1)}`;
  const where = context.fullReportUrl
    ? `the [job summary](${context.fullReportUrl}) or the report file`
    : "the job summary or report file";
  return `> ℹ️ Shortened to fit the comment limit: ${what} not shown; see the full report in ${where}.`;
}

function attentionBlock(measurements: readonly ReportMeasurement[], limit: number): string {
  const open = needingAttention(measurements).slice(0, limit);
  if (open.length === 0) return "";
  const items = open.map(
    (m) => `- ${STATUS_CELLS[outcomeOf(m)]} ${boldMarkdown(m.name)} — ${esc(m.message)}`,
  );
  return ["#### Needs attention", ...items].join("\n");
}

function sectionBlock(section: DimensionSection, passingRows: boolean): string {
  const { conformity } = section;
  const label =
    conformity === null ? "" : ` — ${CONFORMITY_EMOJI[conformity]} ${CONFORMITY_LABELS[conformity]}`;
  const heading = `#### ${esc(section.name)}${label}`;
  const rows = section.measurements.filter((m) => passingRows || m.status !== "pass");
  if (rows.length === 0) return `${heading}\n\nAll ${section.measurements.length} measurements passed.`;
  return `${heading}\n\n${measurementTable(rows)}`;
}

function measurementTable(measurements: readonly ReportMeasurement[]): string {
  const header = ["Measurement", "Value", "Target", "Baseline Δ", "Status"];
  const rows = measurements.map((m) => {
    const shown = displayMeasurement(m);
    return [esc(m.name), esc(shown.value), esc(shown.target), esc(shown.delta), STATUS_CELLS[outcomeOf(m)]];
  });
  // Unaligned delimiters: padding every cell to the widest one would spend the comment limit on spaces.
  return markdownTable([header, ...rows], { alignDelimiters: false, align: ["l", "r", "l", "r", "l"] });
}
