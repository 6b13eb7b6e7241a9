// The renderers of a report, behind one call: each is a pure function of the report (no I/O).
import { renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import type { Report } from "./model.js";
import { renderText } from "./text.js";

export const OUTPUT_FORMATS = ["text", "markdown", "json", "junit"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RenderOptions {
  /** Text only: colour with ANSI escape codes. */
  color?: boolean | undefined;
  /** Markdown only: the longest comment to produce. */
  maxLength?: number | undefined;
}

export function renderReport(report: Report, format: OutputFormat, options: RenderOptions = {}): string {
  switch (format) {
    case "text":
      return renderText(report, { color: options.color });
    case "markdown":
      return renderMarkdown(report, { maxLength: options.maxLength });
    case "json":
      return renderJson(report);
    case "junit":
      return renderJunit(report);
    default: {
      const unknown: never = format;
      throw new Error(`unknown output format ${String(unknown)}`);
    }
  }
}

export { escapeMarkdown, escapeText, escapeXml } from "./escape.js";
export { formatDelta, formatNumber, formatTarget, formatValue } from "./format-value.js";
export { COMMENT_LIMIT, renderMarkdown } from "./markdown.js";
export type { MarkdownOptions } from "./markdown.js";
export { renderText } from "./text.js";
export type { TextOptions } from "./text.js";
export { renderJson } from "./json.js";
export { renderJunit } from "./junit.js";
