// MLflow's file store (`mlruns/`): a run directory holds one file per metric (every logged value, one
// "<timestamp ms> <value> <step>" line each), per param and per tag, and a meta.yaml. A run is read as
// its latest metric values (MLflow's own choice: largest step, then timestamp, then value) with their
// histories, its params and tags as text, and its status; an experiment directory stands for one run (the
// latest finished one, or one chosen by id, name or tags), a tracking directory for one experiment.
import { basename, dirname, join } from "node:path";
import { MlgateError } from "../../errors.js";
import { ContainmentError, type ContainedFs } from "../../files/contained-fs.js";
import { isObject, own } from "./json-tree.js";
import type { HistoryPoint, ToolMeasurement, ToolVerdict } from "./tool.js";
import {
  isFile,
  readTreeFile,
  shownPath,
  treeFileError,
  type RunSelector,
  type TreeFormat,
  type TreeReadOptions,
  type TreeReading,
  type Unavailable,
} from "./tree.js";
import { parseYaml } from "./yaml.js";

/** RunStatus in MLflow's protos: meta.yaml stores the number. */
const RUN_STATUS: Record<number, string> = {
  1: "RUNNING",
  2: "SCHEDULED",
  3: "FINISHED",
  4: "FAILED",
  5: "KILLED",
};

const STATUS_VERDICT: Record<string, ToolVerdict> = {
  FINISHED: "pass",
  FAILED: "fail",
  KILLED: "fail",
  RUNNING: "warning",
  SCHEDULED: "warning",
};

/** Directories a tracking or experiment directory holds that are not experiments or runs. */
const NOT_RUNS = new Set([".trash", "models", "datasets", "tags", "traces"]);

/** How many runs or experiments an error lists before "and N more". */
const LISTED = 8;

interface RunInfo {
  dir: string;
  id: string;
  name: string;
  status: string;
  startTime: number | null;
  endTime: number | null;
  experimentId: string;
  deleted: boolean;
}

interface ExperimentInfo {
  dir: string;
  id: string;
  name: string;
  deleted: boolean;
}

export const mlflowFormat: TreeFormat = {
  name: "mlflow",
  title: "MLflow",
  async detect(path, kind, files) {
    if (kind === "file") return basename(path) === "meta.yaml" && (await metaKind(path, files)) !== undefined;
    if ((await metaKind(join(path, "meta.yaml"), files)) !== undefined) return true;
    return (await experimentDirs(path, files)).length > 0;
  },
  async read(path, options) {
    const { files } = options;
    const dir = (await isFile(path, files)) ? dirname(path) : path;
    const kind = await metaKind(join(dir, "meta.yaml"), files);
    if (kind === undefined) await refuseUnreadableMeta(join(dir, "meta.yaml"), files);
    if (kind === "run") return readRun(await runInfo(dir, options), options);
    if (kind === "experiment")
      return readRun(await chooseRun(await experimentInfo(dir, options), options), options);
    const experiments = await experimentDirs(dir, files);
    if (experiments.length === 0) {
      throw new MlgateError(
        "source.parse",
        `${options.origin} is not an MLflow run, experiment or tracking directory: it has no meta.yaml and no experiment directories`,
        {
          location: { file: options.origin },
          hint: "point the source at mlruns/, mlruns/<experiment id>/ or mlruns/<experiment id>/<run id>/",
        },
      );
    }
    const experiment = await chooseExperiment(experiments, options);
    return readRun(await chooseRun(experiment, options), options);
  },
};

/**
 * What a meta.yaml describes, from a glance at its keys (it is small; no full parse needed). Read through
 * the ContainedFs like every file: one that links out of the root is refused unread, so the answer never
 * depends on a file outside it.
 */
async function metaKind(path: string, files: ContainedFs): Promise<"run" | "experiment" | undefined> {
  let text: string;
  try {
    text = await readTreeFile(path, files);
  } catch {
    return undefined;
  }
  if (/^(?:run_id|run_uuid):/m.test(text)) return "run";
  if (/^experiment_id:/m.test(text) && /^name:/m.test(text) && !/^model_id:/m.test(text)) return "experiment";
  return undefined;
}

/** A meta.yaml that is there but refused (a link out of the root, a FIFO) is reported, not taken as absent. */
async function refuseUnreadableMeta(path: string, files: ContainedFs): Promise<void> {
  await files.stat(path).catch((error: unknown) => {
    if (error instanceof ContainmentError && error.refusal.reason === "not-found") return;
    throw treeFileError(error);
  });
}

async function experimentDirs(dir: string, files: ContainedFs): Promise<string[]> {
  const entries = await files.list(dir).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    if (NOT_RUNS.has(entry.name) || entry.kind !== "directory") continue;
    const child = join(dir, entry.name);
    if ((await metaKind(join(child, "meta.yaml"), files)) === "experiment") found.push(child);
  }
  return found;
}

async function readMeta(dir: string, options: TreeReadOptions): Promise<Record<string, unknown>> {
  const path = join(dir, "meta.yaml");
  const shown = shownPath(path, options.files);
  const data = parseYaml(await readTreeFile(path, options.files), { origin: shown });
  if (!isObject(data)) {
    throw new MlgateError("source.parse", `${shown} is not an MLflow meta.yaml: it is not a mapping`, {
      location: { file: shown },
      hint: "the directory may not be written by MLflow's file store",
    });
  }
  return data;
}

async function runInfo(dir: string, options: TreeReadOptions): Promise<RunInfo> {
  const meta = await readMeta(dir, options);
  const id = text(own(meta, "run_id")) || text(own(meta, "run_uuid")) || basename(dir);
  const status = own(meta, "status");
  // MLflow before 1.x kept the run name only in the mlflow.runName tag; meta.yaml's `name` is then ''.
  const named = text(own(meta, "run_name")) || text(own(meta, "name"));
  const tagged = named ? "" : await tagValue(dir, "mlflow.runName", options.files);
  return {
    dir,
    id,
    name: named || tagged,
    status:
      typeof status === "number" ? (RUN_STATUS[status] ?? `status ${status}`) : text(status) || "unknown",
    startTime: time(own(meta, "start_time")),
    endTime: time(own(meta, "end_time")),
    experimentId: text(own(meta, "experiment_id")),
    deleted: own(meta, "lifecycle_stage") === "deleted",
  };
}

async function experimentInfo(dir: string, options: TreeReadOptions): Promise<ExperimentInfo> {
  const meta = await readMeta(dir, options);
  return {
    dir,
    id: text(own(meta, "experiment_id")) || basename(dir),
    name: text(own(meta, "name")),
    deleted: own(meta, "lifecycle_stage") === "deleted",
  };
}

/** A tag's value; "" when the run has no such tag, or its file is refused. */
async function tagValue(dir: string, tag: string, files: ContainedFs): Promise<string> {
  return readTreeFile(join(dir, "tags", tag), files).catch(() => "");
}

async function runsOf(experiment: ExperimentInfo, options: TreeReadOptions): Promise<RunInfo[]> {
  const runs: RunInfo[] = [];
  for (const entry of await options.files.list(experiment.dir)) {
    if (NOT_RUNS.has(entry.name) || entry.kind !== "directory") continue;
    const dir = join(experiment.dir, entry.name);
    if ((await metaKind(join(dir, "meta.yaml"), options.files)) !== "run") continue;
    const run = await runInfo(dir, options);
    if (!run.deleted) runs.push(run);
  }
  return runs;
}

async function chooseExperiment(dirs: string[], options: TreeReadOptions): Promise<ExperimentInfo> {
  const experiments = (await Promise.all(dirs.map((dir) => experimentInfo(dir, options)))).filter(
    (experiment) => !experiment.deleted,
  );
  const wanted = options.experiment;
  if (wanted !== undefined) {
    const match =
      experiments.find((experiment) => experiment.id === wanted) ??
      experiments.find((experiment) => experiment.name === wanted);
    if (match) return match;
    throw new MlgateError(
      "source.not-found",
      `${options.origin} has no MLflow experiment with the id or name ${JSON.stringify(wanted)}`,
      { location: { file: options.origin }, hint: `experiments there: ${listExperiments(experiments)}` },
    );
  }
  const withRuns: ExperimentInfo[] = [];
  for (const experiment of experiments) {
    if ((await runsOf(experiment, options)).length > 0) withRuns.push(experiment);
  }
  const [only, ...others] = withRuns;
  if (only && others.length === 0) return only;
  throw new MlgateError(
    "source.parse",
    withRuns.length === 0
      ? `${options.origin} has no MLflow runs in any experiment`
      : `${options.origin} has runs in ${withRuns.length} MLflow experiments; mlgate cannot tell which one to read`,
    {
      location: { file: options.origin },
      hint:
        withRuns.length === 0
          ? "check that the training step logged to this tracking directory (MLFLOW_TRACKING_URI) before mlgate ran"
          : `add \`experiment: <name or id>\` to the source; experiments with runs: ${listExperiments(withRuns)}`,
    },
  );
}

async function chooseRun(experiment: ExperimentInfo, options: TreeReadOptions): Promise<RunInfo> {
  const runs = await runsOf(experiment, options);
  const where = `MLflow experiment ${JSON.stringify(experiment.name || experiment.id)} (${shownPath(experiment.dir, options.files)})`;
  const selector = options.run;
  const chosen = selector ? runs.filter((run) => matches(run, selector)) : runs;
  if (selector) {
    // Tags are files; they are read only for the runs the id and name did not already rule out.
    const tagged = await filterByTags(chosen, selector.tags, options.files);
    const latest = newest(tagged);
    if (latest) return latest;
    throw new MlgateError("source.not-found", `no run in ${where} is ${describeSelector(selector)}`, {
      location: { file: options.origin },
      hint: runs.length === 0 ? "the experiment has no runs" : `runs there: ${listRuns(runs)}`,
    });
  }
  const latest = newest(chosen);
  if (!latest) {
    throw new MlgateError("source.not-found", `${where} has no runs`, {
      location: { file: options.origin },
      hint: "check that the training step logged its run before mlgate ran",
    });
  }
  // The latest run is the one a gate is about; an unfinished one is not read in its place, nor skipped
  // for an older one that would pass.
  if (latest.status !== "FINISHED") {
    throw new MlgateError(
      "source.parse",
      `the latest run in ${where}, ${describeRun(latest)}, is ${latest.status}, not FINISHED`,
      {
        location: { file: options.origin },
        hint: `let the run finish (mlflow.end_run()), or choose a run with \`run: { id: ${latest.id} }\``,
      },
    );
  }
  return latest;
}

function matches(run: RunInfo, selector: RunSelector): boolean {
  if (selector.id !== undefined && run.id !== selector.id) return false;
  if (selector.name !== undefined && run.name !== selector.name) return false;
  return true;
}

async function filterByTags(
  runs: RunInfo[],
  tags: Readonly<Record<string, string>> | undefined,
  files: ContainedFs,
): Promise<RunInfo[]> {
  if (!tags) return runs;
  const kept: RunInfo[] = [];
  for (const run of runs) {
    let all = true;
    for (const [key, value] of Object.entries(tags)) {
      if (
        !(await isFile(join(run.dir, "tags", key), files)) ||
        (await tagValue(run.dir, key, files)) !== value
      ) {
        all = false;
        break;
      }
    }
    if (all) kept.push(run);
  }
  return kept;
}

/** The run started last; runs without a start time count as oldest. Ties go to the larger id. */
function newest(runs: readonly RunInfo[]): RunInfo | undefined {
  let best: RunInfo | undefined;
  for (const run of runs) {
    if (
      !best ||
      (run.startTime ?? -Infinity) > (best.startTime ?? -Infinity) ||
      (run.startTime === best.startTime && run.id > best.id)
    ) {
      best = run;
    }
  }
  return best;
}

async function readRun(run: RunInfo, options: TreeReadOptions): Promise<TreeReading> {
  const unavailable: Unavailable[] = [];
  const measurements: ToolMeasurement[] = [
    { name: "run/id", value: run.id, text: true },
    { name: "run/name", value: run.name, text: true },
    {
      name: "run/status",
      value: run.status,
      text: true,
      verdict: STATUS_VERDICT[run.status] ?? "error",
      description: `MLflow run ${run.name || run.id} is ${run.status}`,
    },
    { name: "run/experiment_id", value: run.experimentId, text: true },
    { name: "run/start_time", value: run.startTime },
    { name: "run/end_time", value: run.endTime },
  ];
  const metrics = Object.create(null) as Record<string, number>;
  const history = Object.create(null) as Record<string, HistoryPoint[]>;
  for (const key of await filesBelow(join(run.dir, "metrics"), options.files)) {
    const path = join(run.dir, "metrics", ...key.split("/"));
    const shown = shownPath(path, options.files);
    try {
      const points = parseMetricFile(await readTreeFile(path, options.files), shown);
      const latest = latestPoint(points);
      metrics[key] = latest.value;
      history[key] = points;
      measurements.push({ name: `metrics/${key}`, value: latest.value, history: points });
    } catch (error) {
      if (!(error instanceof MlgateError)) throw error;
      unavailable.push({ prefix: `metrics/${key}`, error });
    }
  }
  const params = await textFiles(run.dir, "params", options, measurements, unavailable);
  const tags = await textFiles(run.dir, "tags", options, measurements, unavailable);
  const data = {
    run: {
      id: run.id,
      name: run.name,
      status: run.status,
      experiment_id: run.experimentId,
      start_time: run.startTime,
      end_time: run.endTime,
    },
    metrics,
    history,
    params,
    tags,
  };
  return { measurements, data, ...(unavailable.length ? { unavailable } : {}) };
}

/** Params and tags: one file each, the value as written (MLflow adds no newline), read as text. */
async function textFiles(
  runDir: string,
  folder: "params" | "tags",
  options: TreeReadOptions,
  measurements: ToolMeasurement[],
  unavailable: Unavailable[],
): Promise<Record<string, string>> {
  const values = Object.create(null) as Record<string, string>;
  for (const key of await filesBelow(join(runDir, folder), options.files)) {
    try {
      const value = await readTreeFile(join(runDir, folder, ...key.split("/")), options.files);
      values[key] = value;
      measurements.push({ name: `${folder}/${key}`, value, text: true });
    } catch (error) {
      if (!(error instanceof MlgateError)) throw error;
      unavailable.push({ prefix: `${folder}/${key}`, error });
    }
  }
  return values;
}

/**
 * Files below `dir` as `/`-joined relative names (MLflow stores `val/loss` as val/loss), sorted. Links and
 * FIFOs too (never entered): reading one refuses it by name, so it is reported, not skipped unseen.
 */
async function filesBelow(dir: string, files: ContainedFs): Promise<string[]> {
  const entries = await files.list(dir, { recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.kind !== "directory").map((entry) => entry.path);
}

/**
 * One point per line: "<timestamp> <value> [<step> [<run id>]]" (MLflow 3 adds the run id to a logged
 * model's metrics; before 1.x there was no step). Identical lines are one point (MLflow 3 writes some
 * twice). Values are Python's float spelling: nan, inf and -inf are kept, for the evaluator to refuse.
 */
export function parseMetricFile(text: string, shown: string): HistoryPoint[] {
  const points: HistoryPoint[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r\n|\r|\n/);
  // MLflow ends every line it appends with a newline: a last line without one was cut off mid-write
  // ("2 0." would otherwise read as 0).
  const complete = /[\r\n]$/.test(text) ? lines.length : lines.length - 1;
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? "").trim();
    if (line === "" || seen.has(line)) continue;
    if (index >= complete)
      throw badLine(index, shown, "it does not end with a newline, so it may have been cut off");
    seen.add(line);
    const fields = line.split(/\s+/);
    const timestamp = Number(fields[0]);
    const value = floatValue(fields[1] ?? "");
    const step = fields[2] === undefined ? 0 : Number(fields[2]);
    if (
      fields.length < 2 ||
      fields.length > 4 ||
      !Number.isInteger(timestamp) ||
      value === undefined ||
      !Number.isInteger(step)
    ) {
      throw badLine(index, shown, 'expected "<timestamp> <value> <step>"');
    }
    points.push({ step, value, timestamp });
  }
  if (points.length === 0) {
    throw new MlgateError("source.parse", `the MLflow metric file ${shown} is empty`, {
      location: { file: shown },
      hint: "MLflow writes a metric's file when it is logged; the run may have been cut short",
    });
  }
  return points.sort((a, b) => a.step - b.step || (a.timestamp ?? 0) - (b.timestamp ?? 0));
}

function badLine(index: number, shown: string, problem: string): MlgateError {
  return new MlgateError(
    "source.parse",
    `line ${index + 1} of the MLflow metric file ${shown} is not a complete metric line: ${problem}`,
    {
      location: { file: shown, line: index + 1, column: 1 },
      hint: "the file may have been cut short or edited by hand; log the metric again",
    },
  );
}

/** MLflow's latest value: the largest step, then the latest timestamp, then the largest value. */
function latestPoint(points: readonly HistoryPoint[]): HistoryPoint {
  let best = points[0] as HistoryPoint;
  for (const point of points) {
    const later =
      point.step - best.step ||
      (point.timestamp ?? 0) - (best.timestamp ?? 0) ||
      compareValues(point.value, best.value);
    if (later > 0) best = point;
  }
  return best;
}

/** Python orders NaN as neither larger nor smaller; here it never displaces another value. */
function compareValues(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return 0;
  return a - b;
}

function floatValue(field: string): number | undefined {
  const lower = field.toLowerCase();
  if (lower === "nan") return NaN;
  if (lower === "inf" || lower === "infinity" || lower === "+inf") return Infinity;
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i.test(field)) return undefined;
  return Number(field);
}

function text(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

function time(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function describeRun(run: RunInfo): string {
  return run.name ? `${JSON.stringify(run.name)} (${run.id})` : run.id;
}

function describeSelector(selector: RunSelector): string {
  const parts: string[] = [];
  if (selector.id !== undefined) parts.push(`id ${selector.id}`);
  if (selector.name !== undefined) parts.push(`named ${JSON.stringify(selector.name)}`);
  for (const [key, value] of Object.entries(selector.tags ?? {})) {
    parts.push(`tagged ${key}=${JSON.stringify(value)}`);
  }
  return parts.join(", ") || "any run";
}

function listRuns(runs: readonly RunInfo[]): string {
  const sorted = [...runs].sort((a, b) => (b.startTime ?? 0) - (a.startTime ?? 0));
  const shown = sorted.slice(0, LISTED).map((run) => `${describeRun(run)} ${run.status}`);
  return shown.join(", ") + (runs.length > LISTED ? ` and ${runs.length - LISTED} more` : "");
}

function listExperiments(experiments: readonly ExperimentInfo[]): string {
  const shown = experiments.slice(0, LISTED).map((e) => `${e.id} ${JSON.stringify(e.name)}`);
  return (
    (shown.join(", ") || "none") +
    (experiments.length > LISTED ? ` and ${experiments.length - LISTED} more` : "")
  );
}
