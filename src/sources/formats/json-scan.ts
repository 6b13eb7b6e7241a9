// Two scanners over JSON text that know where strings begin and end: one swaps Python's bare
// NaN/Infinity tokens for sentinel strings, the other finds the offset of the first syntax error.
import { randomUUID } from "node:crypto";

const NON_FINITE = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity } as const;
type NonFiniteToken = keyof typeof NON_FINITE;

interface Replacement {
  from: number;
  to: number;
  original: number;
  length: number;
}

export interface NonFiniteScan {
  text: string;
  /** Turns a sentinel string back into NaN/Infinity/-Infinity; absent when nothing was replaced. */
  reviver?: (key: string, value: unknown) => unknown;
  /** Maps an offset in `text` back to the offset in the text that was scanned. */
  toOriginal(offset: number): number;
}

/** Replaces bare `NaN`, `Infinity` and `-Infinity` outside strings with sentinel strings. */
export function replaceNonFinite(text: string): NonFiniteScan {
  const identity = { text, toOriginal: (offset: number) => offset };
  if (!text.includes("NaN") && !text.includes("Infinity")) return identity;
  // A random tag: no string in the document can be mistaken for a sentinel.
  const tag = `\u0000mlgate-non-finite:${randomUUID()}:`;
  const parts: string[] = [];
  const replacements: Replacement[] = [];
  let copied = 0;
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') {
      i = stringEnd(text, i) - 1;
      continue;
    }
    const token = nonFiniteAt(text, i);
    if (token === undefined) continue;
    parts.push(text.slice(copied, i));
    length += i - copied;
    const sentinel = JSON.stringify(tag + token);
    replacements.push({ from: length, to: length + sentinel.length, original: i, length: token.length });
    parts.push(sentinel);
    length += sentinel.length;
    copied = i + token.length;
    i = copied - 1;
  }
  if (replacements.length === 0) return identity;
  parts.push(text.slice(copied));
  return {
    text: parts.join(""),
    reviver: (_key, value) =>
      typeof value === "string" && value.startsWith(tag)
        ? NON_FINITE[value.slice(tag.length) as NonFiniteToken]
        : value,
    toOriginal: (offset) => mapBack(replacements, offset),
  };
}

function nonFiniteAt(text: string, i: number): NonFiniteToken | undefined {
  for (const token of ["NaN", "Infinity", "-Infinity"] as const) {
    if (text.startsWith(token, i)) return token;
  }
  return undefined;
}

function mapBack(replacements: readonly Replacement[], offset: number): number {
  let shift = 0;
  for (const r of replacements) {
    if (offset < r.from) break;
    if (offset < r.to) return r.original;
    shift = r.to - (r.original + r.length);
  }
  return offset - shift;
}

/** Offset just past the string that opens at `start` (or the text's length when it never closes). */
function stringEnd(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return j + 1;
  }
  return text.length;
}

type State = "value" | "first-value" | "key" | "first-key" | "after";
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /(?:true|false|null|NaN|Infinity|-Infinity)/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * The offset of the first character that makes `text` invalid JSON (NaN/Infinity allowed), the text's
 * length when it ends early, or undefined when it is valid. Iterative, so deep nesting cannot overflow.
 */
export function locateJsonError(text: string): number | undefined {
  const stack: string[] = [];
  let state: State = "value";
  let i = 0;
  for (;;) {
    while (i < text.length && " \t\n\r".includes(text[i] ?? "")) i++;
    if (i >= text.length) return state === "after" && stack.length === 0 ? undefined : i;
    const c = text[i];
    if (state === "after") {
      const top = stack.at(-1);
      if (top === undefined) return i;
      if (c === ",") state = top === "{" ? "key" : "value";
      else if (c === (top === "{" ? "}" : "]")) stack.pop();
      else return i;
      i++;
    } else if (state === "key" || state === "first-key") {
      if (state === "first-key" && c === "}") {
        stack.pop();
        state = "after";
        i++;
        continue;
      }
      if (c !== '"') return i;
      const end = scanString(text, i);
      if (end < 0) return -end - 1;
      i = end;
      while (i < text.length && " \t\n\r".includes(text[i] ?? "")) i++;
      if (text[i] !== ":") return i;
      i++;
      state = "value";
    } else {
      const next = scanValue(text, i, state === "first-value", stack);
      if (next.error !== undefined) return next.error;
      i = next.end;
      state = next.state;
    }
  }
}

function scanValue(
  text: string,
  i: number,
  mayClose: boolean,
  stack: string[],
): { end: number; state: State; error?: undefined } | { error: number } {
  const c = text[i];
  if (mayClose && c === "]") {
    stack.pop();
    return { end: i + 1, state: "after" };
  }
  if (c === "{" || c === "[") {
    stack.push(c);
    return { end: i + 1, state: c === "{" ? "first-key" : "first-value" };
  }
  if (c === '"') {
    const end = scanString(text, i);
    return end < 0 ? { error: -end - 1 } : { end, state: "after" };
  }
  for (const pattern of [LITERAL, NUMBER]) {
    pattern.lastIndex = i;
    if (pattern.test(text)) return { end: pattern.lastIndex, state: "after" };
  }
  return { error: i };
}

/** Offset past the closing quote, or `-(offset of the error) - 1`. */
function scanString(text: string, start: number): number {
  let j = start + 1;
  while (j < text.length) {
    const code = text.charCodeAt(j);
    if (code === 0x22) return j + 1;
    if (code < 0x20) return -j - 1;
    if (code === 0x5c) {
      ESCAPE.lastIndex = j;
      if (!ESCAPE.test(text)) return -j - 1;
      j = ESCAPE.lastIndex;
    } else j++;
  }
  return -text.length - 1;
}
