// Placeholders in text — `${{ env.NAME }}` in a source's URL and headers, `${name}` in a dvc.yaml — found
// in one pass. A lazy regular expression (`/\$\{\{(.*?)\}\}/g`) rescans the rest of the text from every
// opening that never closes, which is quadratic on a config or dvc.yaml written for it (docs/security.md).

export interface PlaceholderSyntax {
  open: string;
  close: string;
  /** Whether a placeholder may span lines; false reads like `.` in a regular expression (no line break). */
  multiline: boolean;
  /** Whether a backslash right before the opening makes it literal (DVC's `\${`). */
  escapable: boolean;
}

export interface Placeholder {
  /** Where the opening starts. */
  index: number;
  /** The placeholder as written, opening and closing included. */
  text: string;
  /** What is between the opening and the first closing after it. */
  inner: string;
}

/**
 * Every placeholder, left to right, each running from its opening to the first closing after it: what
 * `/open(.*?)close/g` finds (with `[\s\S]` for `.` when multiline), in time linear in the text.
 */
export function findPlaceholders(text: string, syntax: PlaceholderSyntax): Placeholder[] {
  const found: Placeholder[] = [];
  // The next closing and line break after the current opening. Openings only move forward, so each is
  // searched for again only once the openings have passed it: every character is looked at a few times.
  let close = -1;
  let lineBreak = -1;
  let from = 0;
  for (;;) {
    const index = text.indexOf(syntax.open, from);
    if (index < 0) return found;
    const inner = index + syntax.open.length;
    if (close < inner) {
      close = text.indexOf(syntax.close, inner);
      if (close < 0) return found; // nothing closes after here, so no later opening closes either
    }
    if (syntax.escapable && text[index - 1] === "\\") {
      from = index + 1;
      continue;
    }
    if (!syntax.multiline) {
      if (lineBreak < inner) lineBreak = nextLineBreak(text, inner);
      if (lineBreak < close) {
        from = index + 1;
        continue;
      }
    }
    const end = close + syntax.close.length;
    found.push({ index, text: text.slice(index, end), inner: text.slice(inner, close) });
    from = end;
  }
}

/** The text with each of `placeholders` (as found in it) replaced by what `replace` returns for it. */
export function replacePlaceholders(
  text: string,
  placeholders: readonly Placeholder[],
  replace: (placeholder: Placeholder) => string,
): string {
  let out = "";
  let from = 0;
  for (const placeholder of placeholders) {
    out += text.slice(from, placeholder.index) + replace(placeholder);
    from = placeholder.index + placeholder.text.length;
  }
  return out + text.slice(from);
}

/** The position of the first line terminator (what `.` does not match) at or after `from`; the length if none. */
function nextLineBreak(text: string, from: number): number {
  for (let at = from; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029) return at;
  }
  return text.length;
}
