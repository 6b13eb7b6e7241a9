// Great Expectations validation results read into named measurements: a suite's validation result
// (ExpectationSuiteValidationResult as the validations store and `to_json_dict()` write it, 0.x and 1.x, and
// its `describe_dict()`), and a checkpoint or validation operator run (`run_results` keyed by
// "ValidationResultIdentifier::…", or 1.x `CheckpointResult.describe_dict()`). The shapes are GE's own
// (great_expectations/core/expectation_validation_result.py, checkpoint/types/checkpoint_result.py); the
// names mlgate gives them are documented in docs/formats/great-expectations.md:
//   success                                            the run's verdict (pass/fail)
//   statistics/<field>                                 evaluated_expectations, success_percent, ...
//   expectations/<type>(column=<c>)                    one expectation's success, with GE's verdict
//   expectations/<type>(column=<c>)/<result field>     observed_value, unexpected_percent, ...
//   validations/<suite>/...                            the same, per validation of a checkpoint run
// A name repeated within its scope (the same expectation twice on a column, a suite validated twice) gets
// ` #2`, ` #3` in file order.
import { MlgateError } from "../../errors.js";
import { parseJson } from "./json.js";
import { isMissingText, percentValue, type ToolFormat, type ToolMeasurement } from "./tool.js";
import { isObject } from "./json-tree.js";

export const greatExpectationsFormat: ToolFormat = {
  name: "great-expectations",
  title: "Great Expectations",
  detect: (_fileName, text) => looksLikeGreatExpectations(text),
  read: (text, { origin }) => greatExpectationsMeasurements(parseJson(text, { origin }), origin),
};

// ---- detection: keys only GE writes, in the opening of a JSON object ------------------------------

const OPENING = /^\uFEFF?\s*\{/;
const SHAPES = [
  // A checkpoint or validation operator run: its results keyed by the stringified identifier.
  /"run_results"\s*:\s*\{\s*"ValidationResultIdentifier::/,
  // Suite statistics (also in `describe_dict()`, and in a stored result whose `results` were left out).
  /"statistics"\s*:\s*\{[^{}]*"evaluated_(?:expectations|validations)"\s*:/,
];
// An expectation's result: 1.x writes `results` first and `statistics` after it, perhaps megabytes later.
const RESULTS = /"results"\s*:\s*\[\s*\{/;
const EXPECTATION_CONFIG = /"expectation_config"\s*:\s*\{/;
/** The shapes are decided within the opening; a large result is never searched whole. */
const DETECT_WINDOW = 64 * 1024;

function looksLikeGreatExpectations(text: string): boolean {
  const opening = text.slice(0, DETECT_WINDOW);
  if (!OPENING.test(opening)) return false;
  return (
    SHAPES.some((shape) => shape.test(opening)) || (RESULTS.test(opening) && EXPECTATION_CONFIG.test(opening))
  );
}

// ---- reading -----------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

/** Keys that say how GE ran an expectation, not what it expected: left out of names and descriptions. */
const CONTROL_KWARGS = new Set(["result_format", "include_config", "catch_exceptions", "batch_id"]);
/** The kwargs that say what an expectation looks at; they name it, its thresholds do not. */
const COLUMN_KWARGS = ["column", "column_A", "column_B"] as const;

/** The measurements of an already parsed GE document (for a caller that parsed it once itself). */
export function greatExpectationsMeasurements(data: unknown, origin: string): ToolMeasurement[] {
  if (!isObject(data)) throw refused(origin, "the top level is not an object", undefined);
  const reader = new Reader(origin);
  if (own(data, "run_results") !== undefined) reader.checkpoint(data);
  else if (own(data, "validation_results") !== undefined) reader.checkpointDescription(data);
  else reader.validation(data, "", "", undefined);
  return reader.out;
}

interface Validation {
  result: Json;
  field: string;
  label: string;
  /** The WarningAndFailureExpectationSuitesValidationOperator's level for this suite. */
  severity: unknown;
}

class Reader {
  readonly out: ToolMeasurement[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly origin: string) {}

  /** A CheckpointResult or ValidationOperatorResult: `run_results` keyed by the validation's identifier. */
  checkpoint(data: Json): void {
    const runResults = own(data, "run_results");
    if (!isObject(runResults)) throw this.refused('"run_results" is not an object', "run_results");
    const validations: Validation[] = Object.keys(runResults).map((key, i) => {
      const field = `run_results[${JSON.stringify(key)}]`;
      const entry = runResults[key];
      if (!isObject(entry)) throw this.refused("a run result is not an object", field);
      // 0.x wraps the result with its actions' results; a 1.x result written out directly is the result.
      const wrapped = own(entry, "validation_result");
      const result = isObject(wrapped) ? wrapped : isValidationResult(entry) ? entry : undefined;
      if (!result) throw this.refused('a run result has no "validation_result" object', field);
      const label = suiteName(result) ?? suiteFromIdentifier(key) ?? (key.trim() || String(i + 1));
      const resultField = isObject(wrapped) ? `${field}.validation_result` : field;
      return { result, field: resultField, label, severity: own(entry, "expectation_suite_severity_level") };
    });
    const config = own(data, "checkpoint_config") ?? own(data, "validation_operator_config");
    const configName = isObject(config) ? own(config, "name") : undefined;
    const kind = own(data, "checkpoint_config") !== undefined ? "checkpoint" : "validation operator";
    this.run(
      data,
      validations,
      typeof configName === "string" ? `${kind} ${JSON.stringify(configName)}` : `the ${kind}`,
    );
  }

  /** 1.x `CheckpointResult.describe_dict()`: `validation_results` is a list, and names no suite. */
  checkpointDescription(data: Json): void {
    const list = own(data, "validation_results");
    if (!Array.isArray(list)) throw this.refused('"validation_results" is not a list', "validation_results");
    const validations = list.map((result: unknown, i): Validation => {
      const field = `validation_results[${i}]`;
      if (!isObject(result)) throw this.refused("a validation result is not an object", field);
      return { result, field, label: suiteName(result) ?? String(i + 1), severity: undefined };
    });
    this.run(data, validations, "the checkpoint");
  }

  private run(data: Json, validations: readonly Validation[], what: string): void {
    const passed = validations.filter(({ result }) => own(result, "success") === true).length;
    const tallied = `${what}: ${passed} of ${validations.length} validations succeeded`;
    this.flag("success", own(data, "success"), "success", tallied);
    this.statistics(own(data, "statistics"), "", "statistics");
    const labels = new Set<string>();
    for (const { result, field, label, severity } of validations) {
      const prefix = `validations/${uniqueIn(labels, label)}/`;
      this.validation(result, prefix, `${field}.`, severity === "warning" ? "warning" : undefined);
    }
  }

  /** One suite's validation result, its names under `prefix`. */
  validation(result: Json, prefix: string, fieldPrefix: string, failure: "warning" | undefined): void {
    if (!isValidationResult(result)) {
      const field = fieldPrefix.slice(0, -1) || undefined;
      if (Array.isArray(own(result, "expectations"))) {
        throw this.refused(
          "it is an Expectation Suite (the expectations themselves), not the result of validating one",
          field,
          SUITE_HINT,
        );
      }
      throw this.refused('it has neither a "results" list nor "statistics"', field);
    }
    // `describe_dict()` lists the results under `expectations`.
    const listKey = own(result, "results") !== undefined ? "results" : "expectations";
    const list = own(result, listKey) ?? [];
    if (!Array.isArray(list)) throw this.refused(`"${listKey}" is not a list`, fieldPrefix + listKey);
    const statistics = own(result, "statistics");
    const suite = suiteName(result);
    const who = suite === undefined ? "the validation" : `the suite ${JSON.stringify(suite)}`;
    const described = `${who}: ${tally(statistics, list)}`;
    this.flag(`${prefix}success`, own(result, "success"), `${fieldPrefix}success`, described, { failure });
    this.statistics(statistics, prefix, `${fieldPrefix}statistics`);
    const taken = new Set<string>();
    list.forEach((entry: unknown, i) =>
      this.expectation(entry, prefix, taken, `${fieldPrefix}${listKey}[${i}]`),
    );
  }

  private expectation(entry: unknown, prefix: string, taken: Set<string>, field: string): void {
    if (!isObject(entry)) throw this.refused("an expectation result is not an object", field);
    // 0.x `expectation_type`, 1.x `type`; `describe_dict()` puts type and kwargs on the entry itself.
    const config = own(entry, "expectation_config");
    if (config !== undefined && config !== null && !isObject(config)) {
      throw this.refused('"expectation_config" is not an object', `${field}.expectation_config`);
    }
    const holder = isObject(config) ? config : entry;
    const type = own(holder, "expectation_type") ?? own(holder, "type");
    if (typeof type !== "string" || type.trim() === "") {
      throw this.refused("an expectation result names no expectation type", field);
    }
    const kwargs = own(holder, "kwargs") ?? {};
    if (!isObject(kwargs)) {
      throw this.refused(
        '"kwargs" is not an object',
        `${field}${holder === entry ? "" : ".expectation_config"}.kwargs`,
      );
    }
    const name = uniqueIn(taken, `${prefix}expectations/${type}${subject(type, kwargs)}`);
    const exception = raisedException(own(entry, "exception_info"));
    const description = `${type}(${describeKwargs(kwargs)})${exception === undefined ? "" : ` raised an exception${exception}`}`;
    this.flag(name, own(entry, "success"), `${field}.success`, description, {
      raised: exception !== undefined,
    });
    const result = own(entry, "result");
    if (result === undefined || result === null) return;
    if (!isObject(result)) throw this.refused('"result" is not an object', `${field}.result`);
    // The numbers the expectation observed; lists (partial_unexpected_list) and objects (details) are not.
    for (const key of Object.keys(result)) {
      const value = scalar(result[key], key === "observed_value");
      if (value) this.push({ name: `${name}/${key}`, ...value });
    }
  }

  /** A `success` flag: the value is the boolean, the verdict GE's (an exception is an error). */
  private flag(
    name: string,
    success: unknown,
    field: string,
    description: string,
    { failure = "fail", raised = false }: { failure?: "fail" | "warning" | undefined; raised?: boolean } = {},
  ): void {
    if (success !== undefined && success !== null && typeof success !== "boolean") {
      throw this.refused('"success" is neither true nor false', field);
    }
    const measurement: ToolMeasurement = { name, value: success ?? null, description };
    if (raised) measurement.verdict = "error";
    else if (typeof success === "boolean") measurement.verdict = success ? "pass" : failure;
    this.push(measurement);
  }

  private statistics(statistics: unknown, prefix: string, field: string): void {
    if (statistics === undefined || statistics === null) return;
    if (!isObject(statistics)) throw this.refused('"statistics" is not an object', field);
    for (const key of Object.keys(statistics)) {
      const value = scalar(statistics[key], false);
      if (value) this.push({ name: `${prefix}statistics/${key}`, ...value });
    }
  }

  /** Every name is unique in the file, even when a column's name mimics a ` #2` or a `/field`. */
  private push(measurement: ToolMeasurement): void {
    const name = uniqueIn(this.names, measurement.name);
    this.out.push(name === measurement.name ? measurement : { ...measurement, name });
  }

  private refused(why: string, field: string | undefined, hint?: string): MlgateError {
    return refused(this.origin, why, field, hint);
  }
}

/** Has the shape of a suite's validation result: the results, or at least the statistics. */
function isValidationResult(value: Json): boolean {
  return Array.isArray(own(value, "results")) || isObject(own(value, "statistics"));
}

/** 1.x `suite_name`, 0.x `meta.expectation_suite_name`. */
function suiteName(result: Json): string | undefined {
  const meta = own(result, "meta");
  const name =
    own(result, "suite_name") ?? (isObject(meta) ? own(meta, "expectation_suite_name") : undefined);
  return typeof name === "string" && name.trim() !== "" ? name : undefined;
}

/**
 * "ValidationResultIdentifier::basic/warning/<run name>/<run time>/<batch>": the suite name is all but the
 * last three parts, its dots written as slashes.
 */
function suiteFromIdentifier(key: string): string | undefined {
  const parts = /^ValidationResultIdentifier::(.+)$/.exec(key)?.[1]?.split("/") ?? [];
  return parts.length >= 4 ? parts.slice(0, -3).join(".") : undefined;
}

/** `(column=Age)`, `(column_A=a, column_B=b)`, `(column_list=[a, b])`, with a row condition if any. */
function subject(type: string, kwargs: Json): string {
  const parts: string[] = [];
  for (const key of COLUMN_KWARGS) {
    const value = own(kwargs, key);
    if (value !== undefined && value !== null) parts.push(`${key}=${plain(value, 0)}`);
  }
  // For table expectations (expect_table_columns_to_match_set) the column list is what is expected.
  const columns = own(kwargs, "column_list");
  if (!type.startsWith("expect_table_") && Array.isArray(columns))
    parts.push(`column_list=${plain(columns, 0)}`);
  const condition = own(kwargs, "row_condition");
  if (typeof condition === "string" && condition.trim() !== "") parts.push(`row_condition=${condition}`);
  return parts.length ? `(${parts.join(", ")})` : "";
}

/** A value as it reads in a name: text as written, lists in brackets. */
function plain(value: unknown, depth: number): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value))
    return depth > 2 ? "[…]" : `[${value.map((item) => plain(item, depth + 1)).join(", ")}]`;
  if (isObject(value)) return "{…}";
  return String(value);
}

/** The kwargs as GE users write them: `column="Age", min_value=0, mostly=0.95`, long values cut short. */
function describeKwargs(kwargs: Json): string {
  return Object.keys(kwargs)
    .filter((key) => !CONTROL_KWARGS.has(key))
    .map((key) => `${key}=${shorten(describeValue(kwargs[key], 0), 80)}`)
    .join(", ");
}

function describeValue(value: unknown, depth: number): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (depth > 2) return "[…]";
    const shown = value.slice(0, 10).map((item) => describeValue(item, depth + 1));
    return `[${shown.join(", ")}${value.length > 10 ? ", …" : ""}]`;
  }
  if (isObject(value)) return "{…}";
  return String(value);
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * `: <first line of the message>` when the expectation raised an exception, else undefined. 0.x writes one
 * `{raised_exception, exception_message}`; later versions one per metric, keyed by the metric's id.
 */
function raisedException(info: unknown): string | undefined {
  if (!isObject(info)) return undefined;
  const raised = [info, ...Object.values(info)].find(
    (entry): entry is Json => isObject(entry) && own(entry, "raised_exception") === true,
  );
  if (!raised) return undefined;
  const message = own(raised, "exception_message");
  const line =
    typeof message === "string" ? message.split(/\r\n|\r|\n/).find((l) => l.trim() !== "") : undefined;
  return line === undefined ? "" : `: ${shorten(line.trim(), 200)}`;
}

/** "30 of 32 expectations succeeded", from the statistics GE wrote, else counted from the results. */
function tally(statistics: unknown, results: readonly unknown[]): string {
  const stats = isObject(statistics) ? statistics : {};
  const evaluated = own(stats, "evaluated_expectations");
  const successful = own(stats, "successful_expectations");
  if (typeof evaluated === "number" && typeof successful === "number") {
    return `${successful} of ${evaluated} expectations succeeded`;
  }
  const passed = results.filter((entry) => isObject(entry) && own(entry, "success") === true).length;
  return `${passed} of ${results.length} expectations succeeded`;
}

/**
 * A number, boolean or null as it is; "25.59%" as 25.59 on the percent scale; "NA", "N/A" and the like as
 * null; other text only where it is the observed value (`"int64"` for a type expectation).
 */
function scalar(value: unknown, keepText: boolean): Pick<ToolMeasurement, "value" | "scale"> | undefined {
  if (typeof value === "number" || typeof value === "boolean" || value === null) return { value };
  if (typeof value !== "string") return undefined;
  const percent = percentValue(value);
  if (percent !== undefined) return { value: percent, scale: "percent" };
  if (isMissingText(value)) return { value: null };
  return keepText ? { value } : undefined;
}

/** `name`, else `name #2`, `name #3`, ... whichever is free; it is taken on return. */
function uniqueIn(taken: Set<string>, name: string): string {
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name} #${n}`;
  taken.add(unique);
  return unique;
}

/** An own property only: `constructor` or `__proto__` in a file is data, never the prototype's. */
function own(object: Json, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

const HINT =
  "mlgate reads the JSON Great Expectations writes for a validation (the validations store's files, `to_json_dict()`, `describe()`) or for a checkpoint run (`run_results`); read other files with `format: json`";
const SUITE_HINT =
  "point the source at a validation result instead: a file under uncommitted/validations/, or the checkpoint result written with `to_json_dict()`";

function refused(origin: string, why: string, field: string | undefined, hint = HINT): MlgateError {
  return new MlgateError("source.parse", `${origin} is not a Great Expectations validation result: ${why}`, {
    location: field === undefined ? { file: origin } : { file: origin, field },
    hint,
  });
}
