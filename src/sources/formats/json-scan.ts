// Two scanners over JSON text that know where strings begin and end: one swaps Python's bare
// NaN/Infinity tokens for sentinel strings, the other checks the text in one linear pass and reports the
// first syntax error or repeated key by offset, in our own words (never quoting the document).
import { randomUUID } from "node:crypto";

const NON_FINITE = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity } as const;
type NonFiniteToken = keyof typeof NON_FINITE;

export interface NonFiniteScan {
  text: string;
  /** Turns a sentinel string back into NaN/Infinity/-Infinity; absent when nothing was replaced. */
  reviver?: (key: string, value: unknown) => unknown;
}

/**
 * Replaces bare `NaN`, `Infinity` and `-Infinity` outside strings with sentinel strings. Linear, and fast on
 * large files: candidates are found by a regular expression and the strings before each by `indexOf`, so
 * the text between them is never visited one character at a time.
 */
export function replaceNonFinite(text: string): NonFiniteScan {
  if (!text.includes("NaN") && !text.includes("Infinity")) return { text };
  // A random tag: no string in the document can be mistaken for a sentinel.
  const tag = `\u0000mlgate-non-finite:${randomUUID()}:`;
  const parts: string[] = [];
  const tokens = /-?Infinity|NaN/g;
  let copied = 0;
  // Everything before `outside` has been classified, and `outside` itself is not inside a string.
  let outside = 0;
  // The first quote at or after `outside` (-1: none).
  let quote = text.indexOf('"');
  for (let match = tokens.exec(text); match; match = tokens.exec(text)) {
    const at = match.index;
    // Step past every string that opens before the candidate, each once.
    while (quote !== -1 && quote < at) {
      outside = stringEnd(text, quote);
      quote = text.indexOf('"', outside);
    }
    if (outside > at) {
      // The candidate was inside the last of them: look again from its end.
      tokens.lastIndex = outside;
      continue;
    }
    const token = match[0] as NonFiniteToken;
    parts.push(text.slice(copied, at), JSON.stringify(tag + token));
    copied = outside = at + token.length;
  }
  if (parts.length === 0) return { text };
  parts.push(text.slice(copied));
  return {
    text: parts.join(""),
    reviver: (_key, value) =>
      typeof value === "string" && value.startsWith(tag)
        ? NON_FINITE[value.slice(tag.length) as NonFiniteToken]
        : value,
  };
}

/** Offset just past the string that opens at `start` (or the text's length when it never closes). */
function stringEnd(text: string, start: number): number {
  for (let quote = text.indexOf('"', start + 1); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
  }
  return text.length;
}

/** What is wrong with a JSON text, at which offset; `description` is ours and quotes nothing. */
export type JsonProblem =
  | { kind: "syntax"; offset: number; description: string }
  | { kind: "duplicate-key"; offset: number; firstOffset: number; key: string };

type State = "value" | "first-value" | "key" | "first-key" | "after";
/** One open container: the keys seen so far (with the offset of each) for an object, undefined for an array. */
type Frame = Map<string, number> | undefined;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /(?:true|false|null|NaN|Infinity|-Infinity)/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
const PLAIN_CHARS = /[^"\\\u0000-\u001f]*/y;
const NUMBER_CHAR = /[0-9.eE+-]/;

/**
 * The first problem in `text` as JSON (NaN/Infinity allowed), or undefined when there is none: a syntax
 * error (at the text's length when it ends early) or a key repeated within one object. Iterative, so deep
 * nesting cannot overflow; linear in the text's length.
 */
export function scanJson(text: string): JsonProblem | undefined {
  const stack: Frame[] = [];
  let state: State = "value";
  let numberEnd = -1;
  let i = 0;
  for (;;) {
    i = skipWhitespace(text, i);
    if (i >= text.length) {
      return state === "after" && stack.length === 0 ? undefined : syntax(i, "the document ends early");
    }
    const c = text[i];
    if (state === "after") {
      const top = stack.at(-1);
      if (stack.length === 0) return syntax(i, "there is more text after the end of the JSON value");
      if (c === ",") state = top ? "key" : "value";
      else if (c === (top ? "}" : "]")) stack.pop();
      else if (i === numberEnd && NUMBER_CHAR.test(c ?? "")) return syntax(i, "a number is malformed");
      else return syntax(i, top ? 'expected "," or "}" after a value' : 'expected "," or "]" after a value');
      i++;
    } else if (state === "key" || state === "first-key") {
      if (state === "first-key" && c === "}") {
        stack.pop();
        state = "after";
        i++;
        continue;
      }
      if (c !== '"') return syntax(i, "expected a key in double quotes");
      const end = scanString(text, i);
      if (typeof end !== "number") return end;
      const repeated = recordKey(stack.at(-1), text, i, end);
      if (repeated) return repeated;
      i = skipWhitespace(text, end);
      if (i >= text.length) return syntax(i, "the document ends early");
      if (text[i] !== ":") return syntax(i, 'expected ":" after a key');
      i++;
      state = "value";
    } else {
      const next = scanValue(text, i, state === "first-value", stack);
      if ("kind" in next) return next;
      if (next.number) numberEnd = next.end;
      i = next.end;
      state = next.state;
    }
  }
}

function syntax(offset: number, description: string): JsonProblem {
  return { kind: "syntax", offset, description };
}

function skipWhitespace(text: string, i: number): number {
  let j = i;
  for (;;) {
    const code = text.charCodeAt(j);
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return j;
    j++;
  }
}

/** Notes the key of the string at `start..end` in the innermost object; the repeat when it was there already. */
function recordKey(keys: Frame, text: string, start: number, end: number): JsonProblem | undefined {
  if (keys === undefined) return undefined;
  const raw = text.slice(start, end);
  // Compared decoded: "acc" and "\u0061cc" are the same key to every JSON reader.
  const key = raw.includes("\\") ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  const first = keys.get(key);
  if (first !== undefined) return { kind: "duplicate-key", offset: start, firstOffset: first, key };
  keys.set(key, start);
  return undefined;
}

function scanValue(
  text: string,
  i: number,
  mayClose: boolean,
  stack: Frame[],
): { end: number; state: State; number: boolean } | JsonProblem {
  const c = text[i];
  if (mayClose && c === "]") {
    stack.pop();
    return { end: i + 1, state: "after", number: false };
  }
  if (c === "{" || c === "[") {
    stack.push(c === "{" ? new Map() : undefined);
    return { end: i + 1, state: c === "{" ? "first-key" : "first-value", number: false };
  }
  if (c === '"') {
    const end = scanString(text, i);
    return typeof end === "number" ? { end, state: "after", number: false } : end;
  }
  LITERAL.lastIndex = i;
  if (LITERAL.test(text)) return { end: LITERAL.lastIndex, state: "after", number: false };
  NUMBER.lastIndex = i;
  if (NUMBER.test(text)) return { end: NUMBER.lastIndex, state: "after", number: true };
  return syntax(i, c === "-" ? "a number is malformed" : "expected a value");
}

/** Offset past the closing quote of the string opening at `start`, or the problem inside it. */
function scanString(text: string, start: number): number | JsonProblem {
  let j = start + 1;
  for (;;) {
    PLAIN_CHARS.lastIndex = j;
    PLAIN_CHARS.test(text);
    j = PLAIN_CHARS.lastIndex;
    if (j >= text.length) return syntax(j, "the document ends early");
    const code = text.charCodeAt(j);
    if (code === 0x22) return j + 1;
    if (code < 0x20) return syntax(j, "a string contains a raw line break or control character");
    ESCAPE.lastIndex = j;
    if (!ESCAPE.test(text)) return syntax(j + 1, "a string contains an invalid escape sequence");
    j = ESCAPE.lastIndex;
  }
}
