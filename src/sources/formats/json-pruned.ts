// A JSON reader for large tool reports that builds only what a reader looks at: arrays below a given
// depth and the values of named keys are stepped over without being built, so a 50 MB drift report of
// histograms becomes a small tree, with no copy of the text. Python's bare NaN/Infinity/-Infinity are the
// numbers they name. It trusts its input: call it only on text that `scanJson` found valid.

export interface PruneOptions {
  /** Arrays nested deeper than this (the top-level value is depth 0) are read as empty arrays. */
  arrayDepth: number;
  /** Keys whose members are left out of their object, at any depth. */
  skipKeys: ReadonlySet<string>;
}

/** An open object (with the key its next value goes to) or array. */
type Frame = { object: Record<string, unknown>; key: string } | { array: unknown[] };

const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const QUOTE = 0x22;
const COMMA = 0x2c;

const NUMBER_END = /-?[0-9.eE+-]*/y;
/** A run holding no string and no bracket: what lies between the structure of a skipped value. */
const PLAIN = /[^"[\]{}]*/y;
const SKIPPED: readonly unknown[] = Object.freeze([]);

/** The value `text` holds, pruned as `options` says. Iterative: deep nesting costs no stack. */
export function parsePruned(text: string, options: PruneOptions): unknown {
  return new PrunedParser(text, options).parse();
}

class PrunedParser {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly options: PruneOptions,
  ) {}

  parse(): unknown {
    const stack: Frame[] = [];
    this.whitespace();
    for (;;) {
      // At the start of a value.
      let value: unknown;
      const c = this.text.charCodeAt(this.i);
      if (c === LBRACE || (c === LBRACKET && stack.length <= this.options.arrayDepth)) {
        this.i++;
        const frame: Frame = c === LBRACE ? { object: {}, key: "" } : { array: [] };
        if (this.opens(frame)) {
          stack.push(frame);
          continue;
        }
        value = contents(frame);
      } else if (c === LBRACKET) {
        this.i = skipValue(this.text, this.i);
        value = SKIPPED;
      } else {
        value = this.scalar();
      }
      // A value is complete: place it, and close every container that ends after it.
      for (;;) {
        const frame = stack.at(-1);
        if (frame === undefined) return value;
        if ("array" in frame) frame.array.push(value);
        else assign(frame.object, frame.key, value);
        if (this.continues(frame)) break;
        stack.pop();
        value = contents(frame);
      }
    }
  }

  /** Just after `{` or `[`: true at its first value, false past its closing bracket. */
  private opens(frame: Frame): boolean {
    this.whitespace();
    if ("object" in frame) return this.member(frame);
    if (this.text.charCodeAt(this.i) !== RBRACKET) return true;
    this.i++;
    return false;
  }

  /** Just after a value in `frame`: true at the next value, false past the closing bracket. */
  private continues(frame: Frame): boolean {
    this.whitespace();
    const comma = this.text.charCodeAt(this.i) === COMMA;
    this.i++;
    if (!comma) return false;
    this.whitespace();
    return "object" in frame ? this.member(frame) : true;
  }

  /** At a key or `}`: true at the value of a wanted key (noted in `frame`), false past `}`. */
  private member(frame: { key: string }): boolean {
    for (;;) {
      if (this.text.charCodeAt(this.i) === RBRACE) {
        this.i++;
        return false;
      }
      const end = stringEnd(this.text, this.i);
      frame.key = readString(this.text, this.i, end);
      this.i = end;
      this.whitespace();
      this.i++; // the colon
      this.whitespace();
      if (!this.options.skipKeys.has(frame.key)) return true;
      this.i = skipValue(this.text, this.i);
      this.whitespace();
      if (this.text.charCodeAt(this.i) === COMMA) {
        this.i++;
        this.whitespace();
      }
    }
  }

  private scalar(): unknown {
    const { text, i } = this;
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      this.i = stringEnd(text, i);
      return readString(text, i, this.i);
    }
    const literal = LITERALS.get(c === 0x2d ? text.slice(i, i + 2) : text[i]);
    if (literal !== undefined) {
      this.i += literal.length;
      return literal.value;
    }
    NUMBER_END.lastIndex = i;
    NUMBER_END.test(text);
    this.i = NUMBER_END.lastIndex;
    return Number(text.slice(i, this.i));
  }

  private whitespace(): void {
    this.i = skipWhitespace(this.text, this.i);
  }
}

/** Literals by their first character (two for `-Infinity`, as `-` also starts numbers). */
const LITERALS = new Map<string | undefined, { value: unknown; length: number }>([
  ["t", { value: true, length: 4 }],
  ["f", { value: false, length: 5 }],
  ["n", { value: null, length: 4 }],
  ["N", { value: NaN, length: 3 }],
  ["I", { value: Infinity, length: 8 }],
  ["-I", { value: -Infinity, length: 9 }],
]);

function contents(frame: Frame): unknown {
  return "array" in frame ? frame.array : frame.object;
}

/** Offset just past the value that starts at `start`, building nothing. */
function skipValue(text: string, start: number): number {
  const c = text.charCodeAt(start);
  if (c === QUOTE) return stringEnd(text, start);
  if (c !== LBRACE && c !== LBRACKET) {
    const literal = LITERALS.get(c === 0x2d ? text.slice(start, start + 2) : text[start]);
    if (literal !== undefined) return start + literal.length;
    NUMBER_END.lastIndex = start;
    NUMBER_END.test(text);
    return NUMBER_END.lastIndex;
  }
  let depth = 0;
  let i = start;
  for (;;) {
    PLAIN.lastIndex = i;
    PLAIN.test(text);
    i = PLAIN.lastIndex;
    const d = text.charCodeAt(i);
    if (d === QUOTE) {
      i = stringEnd(text, i);
      continue;
    }
    if (d === LBRACE || d === LBRACKET) depth++;
    else if (--depth === 0 || i >= text.length) return i + 1;
    i++;
  }
}

function readString(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  return raw.includes("\\") ? (JSON.parse(text.slice(start, end)) as string) : raw;
}

/** Offset just past the string that opens at `start` (the text's length when it never closes). */
function stringEnd(text: string, start: number): number {
  for (let quote = text.indexOf('"', start + 1); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
  }
  return text.length;
}

function skipWhitespace(text: string, start: number): number {
  let i = start;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** An own property even for `__proto__`, as JSON.parse makes it. */
function assign(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}
