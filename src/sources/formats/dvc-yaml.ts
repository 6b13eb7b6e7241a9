// A dvc.yaml (or a params file it loads) read with the positions of its nodes kept, so an error about a
// metrics entry, a `wdir` or a `${}` names the line and column where it is written.
import { dirname } from "node:path";
import { isAlias, isCollection, isNode, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { MlgateError, type Location } from "../../errors.js";
import type { ContainedFs } from "../../files/contained-fs.js";
import { isObject, own as ownKey } from "./json-tree.js";
import { readTreeFile, shownPath } from "./tree.js";
import { parseYaml } from "./yaml.js";

export interface DvcYaml {
  /** Absolute path, its directory, and the path shown in messages (relative to the working directory). */
  path: string;
  dir: string;
  shown: string;
  text: string;
  data: unknown;
  doc: Document;
  lines: LineCounter;
}

/** Keys and list indexes from the document's root to a node. */
export type YamlPath = readonly (string | number)[];

/** Where a value sits in the dvc.yaml, for messages. */
export interface Place {
  file: DvcYaml;
  path: YamlPath;
}

/** How many names a hint lists before "…". */
const LISTED = 12;

export async function loadDvcYaml(path: string, files: ContainedFs): Promise<DvcYaml> {
  const shown = shownPath(path, files);
  // The yaml package knows LF and CRLF only; a CR alone becomes LF, which keeps every offset.
  const text = lineFeeds(await readTreeFile(path, files));
  // parseYaml refuses syntax errors, duplicate keys and alias bombs in our words, with line and column.
  const data = parseYaml(text, { origin: shown });
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter: lines, logLevel: "silent" });
  return { path, dir: dirname(path), shown, text, data, doc, lines };
}

/** Old Mac line endings (CR alone) as LF: same length, so offsets and line numbers stay right. */
export function lineFeeds(text: string): string {
  return text.replace(/\r(?!\n)/g, "\n");
}

/**
 * Where the node at `path` is written (the nearest ancestor when the path leaves the document's own nodes,
 * as a value reached through an alias does); with `needle`, where that text starts inside the node.
 */
export function locate(file: DvcYaml, path: YamlPath, needle?: string): Location {
  let node: Node | undefined = isNode(file.doc.contents) ? file.doc.contents : undefined;
  for (const key of path) {
    let next: unknown = isCollection(node) ? node.get(key, true) : undefined;
    if (isAlias(next)) next = next.resolve(file.doc);
    if (!isNode(next)) break;
    node = next;
  }
  const range = node?.range;
  if (!range) return { file: file.shown, line: 1, column: 1 };
  let offset = range[0];
  if (needle !== undefined) {
    const inside = file.text.slice(range[0], range[2]).indexOf(needle);
    if (inside >= 0) offset += inside;
  }
  const { line, col } = file.lines.linePos(offset);
  return { file: file.shown, line, column: col };
}

/** A refusal of something written in the dvc.yaml, at its place. */
export function dvcYamlError(
  file: DvcYaml,
  path: YamlPath,
  message: string,
  hint: string,
  needle?: string,
): MlgateError {
  return new MlgateError("source.parse", message, { location: locate(file, path, needle), hint });
}

/** An error from reading a file the dvc.yaml names, moved to the place that names it. */
export function relocated(error: MlgateError, location: Location): MlgateError {
  return new MlgateError(error.code, error.message, {
    location,
    ...(error.hint ? { hint: error.hint } : {}),
    related: error.related,
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
  });
}

/** A mapping (not a list, not null): json-tree's test, under the name YAML gives it. */
export const isMapping = isObject;

export function own(value: unknown, key: string): unknown {
  return isObject(value) ? ownKey(value, key) : undefined;
}

/** A YAML path as people read it: `stages.train.metrics[0]`. */
export function dotted(path: YamlPath): string {
  return path.map((key, index) => (typeof key === "number" ? `[${key}]` : index ? `.${key}` : key)).join("");
}

/** Names for a hint: the first few, and how many in all. */
export function listed(names: readonly string[]): string {
  const first = names.slice(0, LISTED).join(", ");
  return names.length > LISTED ? `${first}, … (${names.length} in all)` : first || "none";
}
