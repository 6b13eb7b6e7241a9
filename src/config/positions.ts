// Maps a field path in the config (as zod and the normaliser see it) back to `file:line:column`,
// using the yaml package's Document and LineCounter, so every config error points at the text.
import { isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import type { Location } from "../errors.js";

export type FieldPath = readonly PropertyKey[];

export class ConfigPositions {
  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The value at `path`, or its key when `key` is set; falls back to the nearest ancestor that exists. */
  locate(path: FieldPath, options: { key?: boolean } = {}): Location {
    for (let depth = path.length; depth >= 0; depth--) {
      const offset = this.offsetOf(path.slice(0, depth), options.key === true && depth === path.length);
      if (offset !== undefined) {
        const { line, col } = this.lines.linePos(offset);
        return { file: this.file, line, column: col, field: formatFieldPath(path) };
      }
    }
    return { file: this.file, field: formatFieldPath(path) };
  }

  private offsetOf(path: FieldPath, wantKey: boolean): number | undefined {
    let node: unknown = this.doc.contents;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
        if (!pair) return undefined;
        if (last && wantKey) return rangeStart(pair.key);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        node = node.items[segment];
      } else {
        return undefined;
      }
    }
    return rangeStart(node);
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" ? key : undefined;
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) ? (node as Node).range?.[0] : undefined;
}

/** `kpis.accuracy.gte`, `conformity.dimensions[0].name`, `kpis["p95 ms"]`. */
export function formatFieldPath(path: FieldPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(segment)))
      out += out ? `.${String(segment)}` : String(segment);
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}
