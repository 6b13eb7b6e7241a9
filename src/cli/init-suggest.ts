// Suggests gates for `mlgate init` from metric files found in a project: which numbers look like
// metrics, which direction is better, and a starting threshold just below (or above) today's value.
import { parseDocument, detectFormat } from "../sources/formats/index.js";
import { slug } from "../config/normalize.js";

export interface FoundFile {
  /** Path relative to the directory the config will resolve against, with '/' separators. */
  path: string;
  text: string;
}

export interface Suggestion {
  kpi: string;
  source: string;
  path: string;
  comparison: "gte" | "lte";
  threshold: number;
  current: number;
  /** Lower comes first: headline metrics before per-class rows. */
  priority: number;
}

const HIGHER = /(acc|f1|precision|recall|auc|roc|r2|bleu|rouge|map|ndcg|iou|dice|score|avg_prec)/i;
const LOWER =
  /(loss|error|mae|mse|rmse|mape|latency|_ms$|duration|drift|wer|cer|perplexity|gap|diff|disparity)/i;
const HEADLINE =
  /^(accuracy|acc|f1|f1-score|macro_f1|roc_auc|auc|r2|r2_score|demographic[ _]parity[ _]diff.*|equali[sz]ed[ _]odds[ _]diff.*)$/i;
const SKIP = /(support|count|epoch|step|runtime|samples|per_second|flos|timestamp|^n$|stderr|std)/i;

export function suggestGates(files: readonly FoundFile[]): {
  sources: Map<string, string>;
  suggestions: Suggestion[];
} {
  const sources = new Map<string, string>();
  const suggestions: Suggestion[] = [];
  for (const file of files) {
    let data: unknown;
    let format;
    try {
      format = detectFormat(file.path, file.text);
      ({ data } = parseDocument(file.text, format, { origin: file.path }));
    } catch {
      continue; // not a metric file we can read; init only suggests
    }
    const leaves = numericLeaves(data, [], format === "csv").filter(
      (leaf) => !SKIP.test(leaf.keys[leaf.keys.length - 1] ?? ""),
    );
    const perClass = isClassificationReport(data);
    const judged = leaves.flatMap((leaf) =>
      judge(leaf).map((suggestion) => ({
        ...suggestion,
        keys: leaf.keys,
        priority: priorityOf(leaf.keys, perClass),
      })),
    );
    if (judged.length === 0) continue;
    const source = uniqueName(
      slug(
        file.path
          .replace(/\.[^./]+$/, "")
          .split("/")
          .pop() ?? "metrics",
      ).replace(/-/g, "_"),
      sources,
    );
    sources.set(source, file.path);
    for (const { keys, ...leaf } of judged) {
      suggestions.push({
        ...leaf,
        source,
        kpi: uniqueName(slug(keys.join(" ")).replace(/-/g, "_"), new Set(suggestions.map((s) => s.kpi))),
      });
    }
  }
  return { sources, suggestions: suggestions.sort((a, b) => a.priority - b.priority) };
}

/** scikit-learn's classification_report(output_dict=True): per-class rows next to "macro avg". */
function isClassificationReport(data: unknown): boolean {
  return typeof data === "object" && data !== null && "macro avg" in data && "weighted avg" in data;
}

function priorityOf(keys: string[], classificationReport: boolean): number {
  const first = keys[0] ?? "";
  if (classificationReport && first !== "accuracy" && !first.endsWith(" avg")) return 3;
  if (HEADLINE.test(keys[keys.length - 1] ?? "")) return keys.length <= 2 ? 0 : 1;
  return 2;
}

interface Leaf {
  keys: string[];
  value: number;
}

function numericLeaves(node: unknown, keys: string[], text: boolean): Leaf[] {
  if (typeof node === "number" && Number.isFinite(node)) return [{ keys, value: node }];
  if (text && typeof node === "string" && /^[+-]?(\d+(?:\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(node.trim())) {
    return [{ keys, value: Number(node) }];
  }
  if (node === null || typeof node !== "object" || Array.isArray(node) || keys.length > 3) return [];
  return Object.entries(node).flatMap(([key, value]) => numericLeaves(value, [...keys, key], text));
}

function judge(leaf: Leaf): Array<Omit<Suggestion, "source" | "kpi" | "priority">> {
  const name = leaf.keys.join("/");
  const path = leaf.keys.some(
    (key) => key.includes(".") || key.includes(" ") || key.includes("/") || key === "",
  )
    ? `/${leaf.keys.map((key) => key.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`
    : leaf.keys.join(".");
  const last = leaf.keys[leaf.keys.length - 1] ?? "";
  if (LOWER.test(last) || (!HIGHER.test(last) && LOWER.test(name))) {
    return [
      {
        path,
        comparison: "lte",
        // 10 % headroom above today, on either side of zero (-0.05 -> -0.045, not -0.055).
        threshold: roundAway(leaf.value + Math.abs(leaf.value) * 0.1, "up"),
        current: leaf.value,
      },
    ];
  }
  if (HIGHER.test(last) || HIGHER.test(name)) {
    return [{ path, comparison: "gte", threshold: roundAway(leaf.value, "down"), current: leaf.value }];
  }
  return [];
}

/** 0.9312 -> 0.93 (down), 0.0437 -> 0.044 (up): two significant decimals, never past today's value. */
function roundAway(value: number, direction: "up" | "down"): number {
  if (value === 0) return 0;
  const digits = Math.max(2, 1 - Math.floor(Math.log10(Math.abs(value))));
  const factor = 10 ** digits;
  const rounded =
    direction === "down" ? Math.floor(value * factor) / factor : Math.ceil(value * factor) / factor;
  return Number(rounded.toFixed(digits));
}

function uniqueName(base: string, taken: { has(name: string): boolean }): string {
  let name = base || "metrics";
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}
