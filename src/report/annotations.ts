// Annotations: one per measurement that needs attention, on the line of the gates config that declares it,
// so a reviewer lands on the threshold that failed. Plain text (check runs and workflow commands do not
// render Markdown), escaped and redacted like every other rendering.
import { RE2JS } from "re2js";
import { escapeText } from "./escape.js";
import { clip } from "./clip.js";
import type { Report } from "./model.js";
import { redactReport } from "./redact.js";
import { needingAttention, outcomeOf } from "./verdict.js";

export interface Annotation {
  /** The config file as the report names it (relative to the working directory). */
  file: string;
  line: number;
  column: number;
  /** `failure` blocks (fail, error); `warning` is a warning gate's fail or error; skipped gates get none. */
  level: "failure" | "warning";
  title: string;
  message: string;
}

// What `.` means in JavaScript, no line terminator (RE2's `.` leaves out `\n` only).
const ANY = "[^\\n\\r\\x{2028}\\x{2029}]";
/**
 * `file:line:column`, then ` (field)` when there is one, as formatLocation writes it. A report read back
 * (a fork's upload in publish mode) carries any text here, so a linear-time engine splits it: the
 * backtracking one is quadratic on a location of many `:1:1 (` pieces.
 */
const DECLARED_AT = RE2JS.compile(`^(${ANY}*):(\\d+):(\\d+)(?: \\(${ANY}*\\))?$`);
const TITLE_LIMIT = 255;
const MESSAGE_LIMIT = 4000;

export function annotationsOf(report: Report): Annotation[] {
  const safe = redactReport(report);
  const result: Annotation[] = [];
  for (const m of needingAttention(safe.measurements)) {
    const outcome = outcomeOf(m);
    if (outcome === "skipped" || outcome === "pass") continue;
    const place = DECLARED_AT.matcher(m.declaredAt);
    const placed = place.matches();
    const verdict =
      outcome === "error" ? "could not be assessed" : outcome === "warning" ? "warning" : "failed";
    result.push({
      file: placed ? (place.group(1) ?? "") : safe.specification.configFile,
      line: placed ? Number(place.group(2)) : 1,
      column: placed ? Number(place.group(3)) : 1,
      level: outcome === "warning" ? "warning" : "failure",
      title: clip(escapeText(`mlgate: ${m.name} ${verdict}`), TITLE_LIMIT),
      message: clip(escapeText(`${m.dimension} › ${m.requirement}: ${m.message}`), MESSAGE_LIMIT),
    });
  }
  return result;
}
