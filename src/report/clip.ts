// Cutting text to the room it has where it lands (a GitHub field, a notice, an annotation): at a character
// boundary, never between the halves of a surrogate pair, which GitHub would refuse or show as garbage.

/** `end`, or one less where cutting at `end` would leave the first half of a surrogate pair behind. */
export function boundary(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

/** At most `limit` characters, the ellipsis that says it was cut included. */
export function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, boundary(text, Math.max(limit - 1, 0)))}…`;
}
