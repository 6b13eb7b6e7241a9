// Makes text that came from a metric file or a config inert where it lands: a GitHub comment, a terminal
// or log line, an XML document. Every renderer passes every untrusted string through one of these.

/** Unicode bidi embedding/override/isolate controls: they can make a line read differently than it is. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;
/** A surrogate half without its partner: not text, and not encodable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;
/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
const CONTROL_RUN = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;

const MARKDOWN_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  // A raw pipe would split a GFM table cell, even inside a code span.
  "|": "&#124;",
  "`": "&#96;",
  // GitHub finds mentions in the rendered text, where `&#64;` is an `@` again: the zero-width space
  // after it is what keeps `@user` and `@org/team` from notifying (as Renovate and Dependabot do).
  "@": "&#64;&#8203;",
  // GitHub renders `$…$` and `$$…$$` as math; `\$` is not reliably literal there, an entity is.
  $: "&#36;",
};
// `#12`, `org/repo#12` and `GH-12` are issue references GitHub links and cross-references (notifying the
// issue's subscribers); a zero-width space after `#` or `GH-` keeps them plain text.
const MARKDOWN_SPECIAL = /[&<>"'|`@$\\[\]()!*_~]|#(?=\d)|(?<=\bgh)-(?=\d)|:(?=\/\/)|(?<=www)\./gi;

/**
 * Escapes text for GitHub-flavoured Markdown, inline or inside a table cell. The result is one line
 * with no HTML, link, image, emphasis, code span, math, mention, issue reference or autolink in it.
 * Callers place it after fixed text of their own, never at the start of a line.
 */
export function escapeMarkdown(text: string): string {
  return clean(text)
    .replace(CONTROL_RUN, " ")
    .replace(MARKDOWN_SPECIAL, (char) => {
      const entity = MARKDOWN_ENTITIES[char];
      if (entity !== undefined) return entity;
      if (char === "#") return "#&#8203;"; // `#123` would link (and back-reference) an issue
      if (char === "-") return "-&#8203;"; // so would `GH-123`
      if (char === ":") return "&#58;"; // `http://` would become an autolink
      if (char === ".") return "&#46;"; // so would `www.example`
      return `\\${char}`;
    });
}

/** Escaped and in bold; trimmed, because `**name **` would not close and show its asterisks. */
export function boldMarkdown(text: string): string {
  return `**${escapeMarkdown(text).trim()}**`;
}

/**
 * Escapes text for a terminal or a CI log: control characters are shown (`\n`, `\x1b`), so no ANSI
 * sequence runs and the text stays on one line; a leading `::` or `##[` cannot start a workflow command.
 */
export function escapeText(text: string): string {
  const visible = clean(text).replace(CONTROL_RUN, (run) => [...run].map(showControl).join(""));
  // The Actions runner trims a line before looking for `::command::` or `##[command]`.
  return visible.replace(/^(\s*)(:(?=:)|#(?=#\[))/, (_, space: string, char: string) => {
    return `${space}\\x${char.charCodeAt(0).toString(16)}`;
  });
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // Kept as references so attribute-value normalisation does not turn them into spaces.
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};
/** Characters XML 1.0 does not allow at all (§2.2), even as references. */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for an XML attribute value or element content; drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text
    .replace(LONE_SURROGATE, "")
    .replace(XML_FORBIDDEN, "")
    .replace(/[&<>"'\t\n\r]/g, (char) => XML_ENTITIES[char] ?? char);
}

function clean(text: string): string {
  return text.replace(BIDI, "").replace(LONE_SURROGATE, "\uFFFD");
}

const NAMED_CONTROLS: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function showControl(char: string): string {
  const code = char.charCodeAt(0);
  if (code > 0xff) return `\\u${code.toString(16).padStart(4, "0")}`;
  return NAMED_CONTROLS[char] ?? `\\x${code.toString(16).padStart(2, "0")}`;
}
