// Hugging Face: what transformers' Trainer writes (all_results.json, eval_results.json, the legacy
// eval_results*.txt of `key = value` lines) and the `model-index` results in a model card's front matter.
//
// Names (stable; a gate's `path:` matches them exactly, so they may hold `/`, spaces and commas):
// - Trainer JSON and text files: each key as written (`eval_loss`, `test_bleu`, `epoch`, `eval_LOC_f1`).
//   A value nested under a key (seqeval's per-entity dict) is `<key>/<inner key>`, a list item `<key>/<index>`.
// - Model cards: `<model name>/<task type>/<dataset type>[/<config>][/<split>]/<metric type>`, each part
//   its `type` (the Hub's id, as huggingface_hub's EvalResult keys results) or its `name` when it has no
//   type. The config is `dataset.config`, or the legacy `dataset.args` when that is a word. Metrics that
//   would share a name (WER with and without a language model) are each `<...>/<metric type> (<metric name>)`.
import { isNode, parseDocument } from "yaml";
import { MlgateError } from "../../errors.js";
import { parseJson } from "./json.js";
import { lineColumnAt } from "./position.js";
import { isMissingText, percentValue, type ToolFormat, type ToolMeasurement } from "./tool.js";
import { parseYaml } from "./yaml.js";

/** The prefixes `Trainer.evaluate`/`predict` give metric keys (`metric_key_prefix`), and `train_` from `train`. */
const TRAINER_PREFIX = /^(?:eval|test|train|predict)_/;
/** Keys the Trainer writes without a prefix. */
const TRAINER_KEYS = new Set(["epoch", "total_flos"]);
const LINE_BREAK = /\r\n|\r|\n/;
/** Python's `"%s = %s\n" % (key, value)`, as transformers' legacy example scripts write it. */
const TEXT_LINE = /^\s*([^=\s][^=]*?) =(?: |$)/;
const RESULTS_TXT = /^(?:eval|test|predict|train)_results.*\.txt$/i;
const MODEL_INDEX_LINE = /^["']?model[-_]index["']?[ \t]*:/m;
/** Detection reads no further: Trainer files and front matter are small. */
const DETECT_LIMIT = 1024 * 1024;

const SHAPES_HINT =
  "mlgate reads Hugging Face's Trainer metrics (all_results.json, eval_results.json), the legacy " +
  "eval_results.txt (`key = value` per line) and model cards (README.md with `model-index:` in the front matter)";

type Value = Pick<ToolMeasurement, "value" | "scale">;
type Where = { line: number; column: number } | Record<string, never>;

export const huggingfaceFormat: ToolFormat = {
  name: "huggingface",
  title: "Hugging Face",
  detect(fileName, text) {
    const source = withoutBom(text);
    if (/^---/.test(source)) return looksLikeModelCard(source.slice(0, DETECT_LIMIT));
    if (source.length > DETECT_LIMIT) return false;
    if (/^\s*\{/.test(source)) return looksLikeTrainerJson(source);
    return looksLikeTrainerText(fileName, source);
  },
  read(text, { origin }) {
    const source = withoutBom(text);
    if (/^\s*[[{]/.test(source)) return readTrainerJson(source, origin);
    if (/^---/.test(source) || /\.(?:md|markdown)$/i.test(origin)) return readModelCard(source, origin);
    return readTrainerText(source, origin);
  },
};

export function withoutBom(text: string): string {
  return text.replace(/^\uFEFF/, "");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An own property only: `__proto__` or `constructor` in a file is just a key. */
function field(record: unknown, key: string): unknown {
  return isRecord(record) && Object.hasOwn(record, key) ? record[key] : undefined;
}

function refusal(origin: string, where: Where, message: string, hint: string, detail?: string): MlgateError {
  return new MlgateError("source.parse", message, {
    location: { file: origin, ...where },
    hint,
    ...(detail === undefined ? {} : { detail }),
  });
}

/** Most keys are the Trainer's own: a prefixed metric at least, and prefixed or known keys over half. */
function mostlyTrainerKeys(keys: readonly string[]): boolean {
  const prefixed = keys.filter((key) => TRAINER_PREFIX.test(key)).length;
  const known = prefixed + keys.filter((key) => TRAINER_KEYS.has(key)).length;
  return prefixed > 0 && known * 2 > keys.length;
}

/** A string value: "25.59%" on the percent scale, "NA"/"N/A"/"" as no value, anything else as text. */
function textValue(text: string): Value {
  const percent = percentValue(text);
  if (percent !== undefined) return { value: percent, scale: "percent" };
  return { value: isMissingText(text) ? null : text };
}

function scalarValue(value: unknown): Value | undefined {
  if (value === null || value === undefined) return { value: null };
  if (typeof value === "number" || typeof value === "boolean") return { value };
  if (typeof value === "string") return textValue(value);
  return undefined;
}

// ---- Trainer JSON: `trainer.save_metrics(split, metrics)` dumps one flat object -------------------------

function looksLikeTrainerJson(source: string): boolean {
  if (!/"(?:eval|test|train|predict)_/.test(source)) return false;
  try {
    const data = parseJson(source, { origin: "" });
    return isRecord(data) && mostlyTrainerKeys(Object.keys(data));
  } catch (error) {
    if (error instanceof MlgateError) return false;
    throw error;
  }
}

function readTrainerJson(source: string, origin: string): ToolMeasurement[] {
  const data = parseJson(source, { origin });
  const start = lineColumnAt(source, source.length - source.trimStart().length);
  if (!isRecord(data)) {
    throw refusal(
      origin,
      start,
      "a Trainer metrics file is a JSON object of metrics, and this JSON is not an object",
      `${SHAPES_HINT}; read other JSON with \`format: json\``,
    );
  }
  const measurements: ToolMeasurement[] = [];
  const names = new Set<string>();
  // Depth-first with an explicit stack, in the file's order: no nesting depth can overflow the call stack.
  const stack: Array<[string, unknown]> = Object.entries(data).reverse();
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [name, value] = top;
    if (Array.isArray(value) || isRecord(value)) {
      const children = Object.entries(value).map(([key, child]): [string, unknown] => [
        `${name}/${key}`,
        child,
      ]);
      stack.push(...children.reverse());
      continue;
    }
    if (names.has(name)) {
      throw refusal(
        origin,
        {},
        "two values in the Trainer metrics file would both be named the same (a key with `/` in it and a nested value)",
        "rename one of the keys; mlgate names a nested value `<key>/<inner key>`",
        `the name ${JSON.stringify(name)}`,
      );
    }
    names.add(name);
    // JSON.parse gives only numbers, strings, booleans and null here.
    measurements.push({ name, ...(scalarValue(value) ?? { value: null }) });
  }
  if (measurements.length === 0) {
    throw refusal(
      origin,
      start,
      "the Trainer metrics file holds no metrics",
      "check that the step calling trainer.save_metrics ran its evaluation",
    );
  }
  return measurements;
}

// ---- Legacy text: `eval_results.txt`, one `key = value` per line ----------------------------------------

function looksLikeTrainerText(fileName: string, source: string): boolean {
  const lines = source.split(LINE_BREAK).filter((line) => line.trim() !== "");
  if (lines.length === 0 || !lines.every((line) => TEXT_LINE.test(line))) return false;
  const base = fileName.slice(Math.max(fileName.lastIndexOf("/"), fileName.lastIndexOf("\\")) + 1);
  return RESULTS_TXT.test(base) || mostlyTrainerKeys(lines.map((line) => TEXT_LINE.exec(line)?.[1] ?? ""));
}

function readTrainerText(source: string, origin: string): ToolMeasurement[] {
  const measurements: ToolMeasurement[] = [];
  const firstLines = new Map<string, number>();
  const lines = source.split(LINE_BREAK);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const where = { line: index + 1, column: line.length - line.trimStart().length + 1 };
    const equals = line.indexOf("=");
    const name = equals < 0 ? "" : line.slice(0, equals).trim();
    if (name === "") {
      throw refusal(origin, where, "expected a line of the form `key = value`", SHAPES_HINT);
    }
    const first = firstLines.get(name);
    if (first !== undefined) {
      throw refusal(
        origin,
        where,
        "a key appears twice in the results file",
        `keep one of the two (the first is on line ${first}); which value was meant is unclear`,
        `the key ${JSON.stringify(name)}`,
      );
    }
    firstLines.set(name, where.line);
    measurements.push({ name, ...pythonValue(line.slice(equals + 1).trim()) });
  }
  if (measurements.length === 0) {
    throw refusal(origin, {}, "the results file holds no `key = value` lines", SHAPES_HINT);
  }
  return measurements;
}

/** A value as Python's `str()` prints it: numbers, `nan`/`inf`, `True`/`False`, `None`, or text. */
function pythonValue(text: string): Value {
  if (/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) return { value: Number(text) };
  if (/^[-+]?nan$/i.test(text)) return { value: NaN };
  if (/^[-+]?inf(?:inity)?$/i.test(text)) return { value: text.startsWith("-") ? -Infinity : Infinity };
  if (/^(?:True|true)$/.test(text)) return { value: true };
  if (/^(?:False|false)$/.test(text)) return { value: false };
  return textValue(text);
}

// ---- Model cards: `model-index` (and the 2021 `model_index`) in README.md's front matter ----------------

type YamlPath = ReadonlyArray<string | number>;

interface CardMetric {
  /** The name before any disambiguation: `<model>/<task>/<dataset>[/<config>][/<split>]/<metric type>`. */
  base: string;
  metricName: string | undefined;
  path: YamlPath;
  measurement: Omit<ToolMeasurement, "name">;
}

/** The front matter as YAML whose line numbers are the file's (line 1, the opening `---`, left empty). */
export function frontMatter(source: string): { yaml: string } | "unclosed" | undefined {
  const lines = source.split(LINE_BREAK);
  if (lines[0]?.trimEnd() !== "---") return undefined;
  const end = lines.findIndex((line, index) => index > 0 && line.trimEnd() === "---");
  if (end < 0) return "unclosed";
  return { yaml: ["", ...lines.slice(1, end)].join("\n") };
}

/** Front matter at the top of `source` with a `model-index` (or `model_index`) line: a model card's. */
export function looksLikeModelCard(source: string): boolean {
  const matter = frontMatter(source);
  return typeof matter === "object" && MODEL_INDEX_LINE.test(matter.yaml);
}

function readModelCard(source: string, origin: string): ToolMeasurement[] {
  const matter = frontMatter(source);
  const top = { line: 1, column: 1 };
  if (matter === undefined) {
    throw refusal(
      origin,
      top,
      "the model card has no YAML front matter, so it has no model-index results to read",
      "a model card's results are in `model-index:` inside the `---` block at the very top of README.md " +
        "(huggingface_hub's ModelCard and the Trainer's push_to_hub write it); or gate on the Trainer's all_results.json",
    );
  }
  if (matter === "unclosed") {
    throw refusal(
      origin,
      top,
      "the front matter opened by `---` on line 1 is never closed",
      "end the front matter with a line of three dashes `---`",
    );
  }
  const data = parseYaml(matter.yaml, { origin });
  const keys = isRecord(data) ? data : {};
  const hasDash = Object.hasOwn(keys, "model-index");
  const hasUnderscore = Object.hasOwn(keys, "model_index");
  if (!hasDash && !hasUnderscore) {
    throw refusal(
      origin,
      top,
      "the model card's front matter has no model-index, so it has no results to read",
      "add the evaluation results under `model-index:` (see https://huggingface.co/docs/hub/model-cards#evaluation-results), " +
        "or gate on the Trainer's all_results.json",
    );
  }
  const at = (path: YamlPath) => positionIn(matter.yaml, path);
  if (hasDash && hasUnderscore) {
    throw refusal(
      origin,
      at(["model_index"]),
      "the front matter has both model-index and the legacy model_index",
      "keep `model-index:` and remove `model_index:`; which results were meant is unclear",
    );
  }
  const key = hasDash ? "model-index" : "model_index";
  const metrics = cardMetrics(field(data, key), [key], (path, message, hint) =>
    refusal(origin, at(path), message, hint),
  );
  if (metrics.length === 0) {
    throw refusal(
      origin,
      at([key]),
      `the model card's ${key} lists no metrics`,
      "add the evaluation results under `results:` (task, dataset and metrics), or gate on the Trainer's all_results.json",
    );
  }
  return nameMetrics(metrics, (path, message, hint, detail) =>
    refusal(origin, at(path), message, hint, detail),
  );
}

type Refuse = (path: YamlPath, message: string, hint: string, detail?: string) => MlgateError;

/** The items of a list, or a lone mapping as a list of one (the legacy `metric:` is a single mapping). */
function items(value: unknown, path: YamlPath): Array<[unknown, YamlPath]> | undefined {
  if (Array.isArray(value)) return value.map((item, index) => [item, [...path, index]]);
  return isRecord(value) ? [[value, path]] : undefined;
}

/** A name part: text trimmed (a task name may end in a space), a number or a boolean as written. */
function word(value: unknown): string | undefined {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function idOrName(record: unknown): string | undefined {
  return word(field(record, "type")) ?? word(field(record, "name"));
}

function cardMetrics(index: unknown, path: YamlPath, refuse: Refuse): CardMetric[] {
  const models = items(index, path);
  if (!models) {
    throw refuse(
      path,
      `${path[0]} is not a list of models`,
      "write `- name: <model>` entries with `results:`",
    );
  }
  const metrics: CardMetric[] = [];
  for (const [model, modelPath] of models) {
    const modelName = word(field(model, "name"));
    if (modelName === undefined) {
      throw refuse(modelPath, "a model-index entry has no name", "give each model-index entry a `name:`");
    }
    const results = items(field(model, "results"), [...modelPath, "results"]);
    if (!results) {
      throw refuse(
        modelPath,
        "a model-index entry has no results list",
        "add `results:` with task, dataset and metrics",
      );
    }
    for (const [result, resultPath] of results) {
      metrics.push(...resultMetrics(result, resultPath, modelName, refuse));
    }
  }
  return metrics;
}

function resultMetrics(result: unknown, path: YamlPath, model: string, refuse: Refuse): CardMetric[] {
  const task = idOrName(field(result, "task"));
  const datasetRecord = field(result, "dataset");
  const dataset = idOrName(datasetRecord);
  if (task === undefined || dataset === undefined) {
    throw refuse(
      [...path, task === undefined ? "task" : "dataset"],
      `a model-index result has no ${task === undefined ? "task" : "dataset"} type or name`,
      "each result needs `task: { type }` and `dataset: { type, name }` (config and split are optional)",
    );
  }
  const config = word(field(datasetRecord, "config")) ?? word(field(datasetRecord, "args"));
  const split = word(field(datasetRecord, "split"));
  const prefix = [
    model,
    task,
    dataset,
    ...(config === undefined ? [] : [config]),
    ...(split === undefined ? [] : [split]),
  ];
  const listed = [
    ...(items(field(result, "metrics"), [...path, "metrics"]) ?? []),
    ...(items(field(result, "metric"), [...path, "metric"]) ?? []),
  ];
  if (listed.length === 0) {
    throw refuse(
      path,
      "a model-index result has no metrics",
      "list them under `metrics:` as `- type`, `value` (and `name`)",
    );
  }
  return listed.map(([metric, metricPath]) => cardMetric(metric, metricPath, prefix, refuse));
}

function cardMetric(metric: unknown, path: YamlPath, prefix: readonly string[], refuse: Refuse): CardMetric {
  const id = idOrName(metric);
  if (id === undefined) {
    throw refuse(path, "a metric has no type or name", "give each metric a `type:` (such as `wer`)");
  }
  const value = scalarValue(field(metric, "value"));
  if (!value) {
    throw refuse(
      [...path, "value"],
      "a metric's value is a list or a mapping, not a number",
      "write the metric's value as a number (or a percentage such as `25.59%`)",
    );
  }
  const metricName = word(field(metric, "name"));
  const label = metricName ?? id;
  // `verified: true` says the Hub's evaluation service computed it; its verifyToken is never copied.
  const description = field(metric, "verified") === true ? `${label} (verified by Hugging Face)` : label;
  return { base: [...prefix, id].join("/"), metricName, path, measurement: { ...value, description } };
}

/** Each metric its base name, or `<base> (<metric name>)` when several share the base; duplicates refused. */
function nameMetrics(metrics: readonly CardMetric[], refuse: Refuse): ToolMeasurement[] {
  const counts = new Map<string, number>();
  for (const metric of metrics) counts.set(metric.base, (counts.get(metric.base) ?? 0) + 1);
  const taken = new Set<string>();
  return metrics.map((metric) => {
    const shared = (counts.get(metric.base) ?? 0) > 1;
    const name =
      shared && metric.metricName !== undefined ? `${metric.base} (${metric.metricName})` : metric.base;
    if (taken.has(name)) {
      throw refuse(
        metric.path,
        "two metrics of the model card would have the same name: same model, task, dataset, config, split and metric",
        "give the two metrics different `name:`s, or the results different dataset `config:` or `split:`",
        `the name ${JSON.stringify(name)}`,
      );
    }
    taken.add(name);
    return { name, ...metric.measurement };
  });
}

/** Line and column of the node at `path`, or of the nearest node above it that has a position. */
function positionIn(yaml: string, path: YamlPath): Where {
  const doc = parseDocument(yaml, { logLevel: "silent" });
  for (let length = path.length; length >= 0; length--) {
    const node: unknown = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return lineColumnAt(yaml, node.range[0]);
  }
  return {};
}
