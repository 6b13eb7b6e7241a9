// The loud part of a PR comment: every gate the PR removed or made looser, before anything else.
import { phraseOf, type ConfigChange } from "../config/diff.js";
import { boldMarkdown, escapeMarkdown as esc } from "./escape.js";

/** At most this many gates are listed; the rest are counted, so the notice never crowds out the report. */
const LISTED = 50;

/** A GitHub `[!WARNING]` alert, or "" when nothing was loosened. `base` names the commit compared with. */
export function renderConfigChanges(changes: readonly ConfigChange[], base: string): string {
  if (changes.length === 0) return "";
  const removed = changes.filter((c) => c.kind === "removed").length;
  const loosened = changes.length - removed;
  const counts = [
    loosened ? `${loosened} gate${loosened === 1 ? "" : "s"} loosened` : "",
    removed ? `${removed} gate${removed === 1 ? "" : "s"} removed` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const lines = changes
    .slice(0, LISTED)
    .map(
      (c) =>
        `> - ${boldMarkdown(c.name)} (${esc(c.dimension)}): ${c.changes.map((l) => esc(phraseOf(l))).join("; ")}`,
    );
  if (changes.length > LISTED) lines.push(`> - … and ${changes.length - LISTED} more`);
  return [
    "> [!WARNING]",
    `> **This change loosens the release gates: ${counts}**, compared with the gates config on ${esc(base)}.`,
    ...lines,
  ].join("\n");
}
