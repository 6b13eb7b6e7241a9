// The loud part of a PR comment: every gate the PR removed or made looser, before anything else. Size-aware:
// names and phrases are clipped (a changed value keeps the place where it differs in view), and the whole
// notice stays within the room its caller gives it, counting the gates it leaves out — so a hostile name
// can neither push the comment past GitHub's limit nor hide that the gates were loosened.
import { phraseOf, type ConfigChange, type Loosening } from "../config/diff.js";
import { boldMarkdown, escapeMarkdown as esc } from "./escape.js";
import { clip } from "./clip.js";

/** At most this many gates are listed; the rest are counted, so the notice never crowds out the report. */
const LISTED = 50;
/** Room for the notice when the caller does not say (a fifth of a comment). */
export const NOTICE_LENGTH = 13_000;
/** The longest name, dimension or aspect shown, and each side of a before → after, in characters. */
const NAME_LENGTH = 120;
const SIDE_LENGTH = 100;
/** At most this many loosened aspects are named per gate; a gate rarely has more. */
const ASPECTS = 12;

/**
 * A GitHub `[!WARNING]` alert, or "" when nothing was loosened. `base` names the commit compared with.
 * The result is at most `maxLength` characters; the first lines always say the gates were loosened.
 */
export function renderConfigChanges(
  changes: readonly ConfigChange[],
  base: string,
  maxLength: number = NOTICE_LENGTH,
): string {
  if (changes.length === 0) return "";
  const removed = changes.filter((c) => c.kind === "removed").length;
  const loosened = changes.length - removed;
  const counts = [
    loosened ? `${loosened} gate${loosened === 1 ? "" : "s"} loosened` : "",
    removed ? `${removed} gate${removed === 1 ? "" : "s"} removed` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const header = [
    "> [!WARNING]",
    `> **This change loosens the release gates: ${counts}**, compared with the gates config on ${esc(clip(base, NAME_LENGTH))}.`,
  ].join("\n");
  if (header.length + moreLine(changes.length).length > maxLength) return shortest(maxLength);
  let text = header;
  let listed = 0;
  for (const change of changes.slice(0, LISTED)) {
    const line = `\n> - ${boldMarkdown(clip(change.name, NAME_LENGTH))} (${esc(clip(change.dimension, NAME_LENGTH))}): ${describe(change)}`;
    const rest = changes.length - listed - 1;
    // Room is kept for the line that counts what is left out, whenever something will be.
    if (text.length + line.length + (rest > 0 ? moreLine(rest).length : 0) > maxLength) break;
    text += line;
    listed++;
  }
  return listed < changes.length ? text + moreLine(changes.length - listed) : text;
}

function moreLine(count: number): string {
  return `\n> - … and ${count} more`;
}

/** For a caller with almost no room: the one sentence that must not be lost, or nothing. */
function shortest(maxLength: number): string {
  const text = "> [!WARNING]\n> **This change loosens the release gates.**";
  return text.length <= maxLength ? text : "";
}

function describe(change: ConfigChange): string {
  const shown = change.changes.slice(0, ASPECTS).map((loosening) => esc(clippedPhrase(loosening)));
  const more = change.changes.length - shown.length;
  return [...shown, ...(more > 0 ? [`${more} more change${more === 1 ? "" : "s"}`] : [])].join("; ");
}

/**
 * The lines the Action logs as warnings: plain text (the caller escapes it for the log), clipped, at most
 * `limit` gates and then one line counting the rest.
 */
export function configChangeLines(changes: readonly ConfigChange[], limit = LISTED): string[] {
  const lines = changes
    .slice(0, limit)
    .map(
      (change) =>
        `${clip(change.name, NAME_LENGTH)} (${clip(change.dimension, NAME_LENGTH)}) ${change.changes
          .slice(0, ASPECTS)
          .map(clippedPhrase)
          .join("; ")}`,
    );
  if (changes.length > limit) lines.push(`… and ${changes.length - limit} more loosened or removed gates`);
  return lines;
}

/** A phrase with its aspect clipped and its two sides clipped as a pair, so that they still differ. */
function clippedPhrase(loosening: Loosening): string {
  const aspect = clip(loosening.aspect, NAME_LENGTH);
  const { before, after } = loosening;
  if (before !== undefined && after !== undefined) {
    const [a, b] = clipPair(before, after, SIDE_LENGTH);
    return phraseOf({ aspect, before: a, after: b });
  }
  return phraseOf({
    aspect,
    ...(before !== undefined ? { before: clip(before, SIDE_LENGTH) } : {}),
    ...(after !== undefined ? { after: clip(after, SIDE_LENGTH) } : {}),
  });
}

/**
 * Two long texts that differ, each cut to about `length` characters around the first place where they
 * differ, so the cut versions differ too: `…0.9000001` against `…0.9000002`, with their lengths.
 */
export function clipPair(before: string, after: string, length: number): [string, string] {
  if (before.length <= length && after.length <= length) return [before, after];
  let first = 0;
  while (first < before.length && first < after.length && before[first] === after[first]) first++;
  const start = Math.max(0, first - Math.floor(length / 2));
  const window = (text: string): string => {
    if (text.length <= length && start === 0) return text;
    let from = start;
    // Never start on the second half of a surrogate pair.
    const code = text.charCodeAt(from);
    if (from > 0 && code >= 0xdc00 && code <= 0xdfff) from--;
    const part = clip(text.slice(from), length);
    return `${from > 0 ? "…" : ""}${part} (${text.length} characters)`;
  };
  return [window(before), window(after)];
}
