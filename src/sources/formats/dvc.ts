// DVC: the metrics files a dvc.yaml declares (top-level and per stage, `${}` resolved, paths relative to
// the dvc.yaml or the stage's wdir), a DVCLive directory, or one metrics or history file. Measurements
// from a dvc.yaml are named `<file>:<key>/<key>` (DVC's `file:key`, our `/` for nesting); a declared file
// that is missing or refused is reported as unavailable, so gates on it are errors and never pass.
import { basename, extname, join, resolve } from "node:path";
import { MlgateError } from "../../errors.js";
import { ContainmentError, type ContainedFs } from "../../files/contained-fs.js";
import { declaredMetrics, type DeclaredMetrics } from "./dvc-pipeline.js";
import {
  METRICS_EXTENSIONS,
  readHistoryFile,
  readLiveDirectory,
  readMetricsFile,
  type LiveReading,
} from "./dvc-live.js";
import { loadDvcYaml, relocated, type DvcYaml } from "./dvc-yaml.js";
import type { ToolMeasurement } from "./tool.js";
import {
  insideCwd,
  isDirectory,
  isFile,
  readTreeFile,
  shownPath,
  treeFileError,
  type TreeFormat,
  type TreeReadOptions,
  type TreeReading,
  type Unavailable,
} from "./tree.js";

const PIPELINE = "dvc.yaml";

export const dvcFormat: TreeFormat = {
  name: "dvc",
  title: "DVC",
  async detect(path, kind, files) {
    if (kind === "file") return basename(path) === PIPELINE;
    if (await isFile(join(path, PIPELINE), files)) return true;
    if (
      (await isFile(join(path, "metrics.json"), files)) &&
      (await isDirectory(join(path, "plots", "metrics"), files))
    )
      return true;
    // DVCLive 0.x: `<dir>/<metric>.tsv` histories with the summary beside the directory, `<dir>.json`.
    if (!(await isFile(`${resolve(path)}.json`, files))) return false;
    const entries = await files.list(path).catch(() => []);
    return entries.some((entry) => entry.name.endsWith(".tsv"));
  },
  async read(path, options) {
    const { files } = options;
    // A link to a directory inside the root is followed; the ContainedFs refuses one that leads out.
    if ((await files.kind(path)) === "directory") {
      if (await isFile(join(path, PIPELINE), files)) return readPipeline(join(path, PIPELINE), options);
      const reading = await readLiveDirectory(path, files, options.origin);
      return fromLive(reading, Object.fromEntries(reading.files));
    }
    if (basename(path) === PIPELINE || (await namedPipeline(path, files))) {
      return readPipeline(path, options);
    }
    const reading = await (extname(path).toLowerCase() === ".tsv" ? readHistoryFile : readMetricsFile)(
      path,
      files,
    );
    // One file: its own content, so JSON Pointers address it as they would the plain file.
    return fromLive(reading, reading.files[0]?.[1]);
  },
};

/**
 * A YAML file named `format: dvc` under another name (`pipelines/train.dvc.yaml`, a copy of a dvc.yaml)
 * is a pipeline when it has a top-level `stages:` mapping, or a top-level `metrics:` list: a metrics file
 * has values there, not a list of paths.
 */
async function namedPipeline(path: string, files: ContainedFs): Promise<boolean> {
  if (![".yaml", ".yml"].includes(extname(path).toLowerCase())) return false;
  const text = await readTreeFile(path, files).catch(() => "");
  return /^stages:[ \t]*(?:#.*)?$/m.test(text) || /^metrics:[ \t]*(?:#.*)?\r?\n[ \t]*- /m.test(text);
}

/** A DVCLive directory or a single file: names as logged, no file prefix. */
function fromLive(reading: LiveReading, data: unknown): TreeReading {
  const unavailable = reading.broken.map(({ name, error }) => ({ prefix: name, error }));
  return { measurements: reading.measurements, data, ...(unavailable.length ? { unavailable } : {}) };
}

/** What a dvc.yaml's declared files gave: measurements named `<file>:<name>`, each file's content. */
interface Collected {
  measurements: ToolMeasurement[];
  data: Record<string, unknown>;
  unavailable: Unavailable[];
}

async function readPipeline(path: string, options: TreeReadOptions): Promise<TreeReading> {
  const file = await loadDvcYaml(path, options.files);
  const declared = await declaredMetrics(file, options.files);
  if (declared.length === 0) {
    throw new MlgateError("source.parse", `${file.shown} declares no metrics files`, {
      location: { file: file.shown },
      hint: "list them under `metrics:` (top-level or in the stage that writes them), or point the source at the metrics file itself",
    });
  }
  // Keys are file paths from the config's side: a file named `__proto__` is just a key.
  const collected: Collected = {
    measurements: [],
    data: Object.create(null) as Record<string, unknown>,
    unavailable: [],
  };
  const seen = new Set<string>();
  for (const entry of declared) {
    const absolute = resolve(entry.base, entry.target);
    if (seen.has(absolute)) continue;
    seen.add(absolute);
    const shown = shownPath(absolute, options.files);
    try {
      await readDeclared(entry, shown, file, options, collected);
    } catch (error) {
      if (!(error instanceof MlgateError)) throw error;
      // insideCwd names the dvc.yaml without a line: the entry's place says which declaration it is.
      const moved = error.location?.file === file.shown && error.location.line === undefined;
      collected.unavailable.push({
        prefix: `${shown}:`,
        error: moved ? relocated(error, entry.location) : error,
      });
    }
  }
  const { measurements, data, unavailable } = collected;
  return { measurements, data, ...(unavailable.length ? { unavailable } : {}) };
}

/** One declared path: a metrics file, or a directory of them (each its own file, as DVC lists them). */
async function readDeclared(
  entry: DeclaredMetrics,
  shown: string,
  file: DvcYaml,
  options: TreeReadOptions,
  collected: Collected,
): Promise<void> {
  const inside = await insideCwd(entry.base, entry.target, options.files, file.shown);
  const kind = await options.files.stat(inside).then(
    (found) => found.kind,
    (error: unknown) => {
      // Missing is the pipeline's to explain; anything else (a FIFO, a link out) is refused by name.
      if (error instanceof ContainmentError && error.refusal.reason === "not-found")
        throw missing(file, entry, shown);
      throw treeFileError(error);
    },
  );
  if (kind === "file") {
    collect(shown, await readMetricsFile(inside, options.files), collected);
    return;
  }
  const found = await metricsBelow(inside, options, file, collected.unavailable);
  if (found.length === 0) {
    collected.unavailable.push({ prefix: `${shown}/`, error: emptyDirectory(file, entry, shown) });
  }
  for (const below of found) {
    const belowShown = shownPath(below, options.files);
    try {
      collect(belowShown, await readMetricsFile(below, options.files), collected);
    } catch (error) {
      if (!(error instanceof MlgateError)) throw error;
      collected.unavailable.push({ prefix: `${belowShown}:`, error });
    }
  }
}

function collect(shown: string, reading: LiveReading, collected: Collected): void {
  for (const measurement of reading.measurements) {
    collected.measurements.push({ ...measurement, name: `${shown}:${measurement.name}` });
  }
  for (const [path, content] of reading.files) collected.data[path] = content;
  for (const { name, error } of reading.broken) {
    collected.unavailable.push({ prefix: `${shown}:${name}`, error });
  }
}

/** The .json/.yaml/.yml (and, to refuse by name, .toml) files below a declared metrics directory. */
async function metricsBelow(
  dir: string,
  options: TreeReadOptions,
  file: DvcYaml,
  unavailable: Unavailable[],
): Promise<string[]> {
  // Links and FIFOs too (not entered, refused by name when read): never left out unseen.
  const entries = await options.files.list(dir, { recursive: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    if (!METRICS_EXTENSIONS.has(extname(entry.name).toLowerCase())) continue;
    if (entry.kind === "directory") continue;
    const path = join(dir, ...entry.path.split("/"));
    try {
      found.push(await insideCwd(dir, path, options.files, file.shown));
    } catch (error) {
      if (!(error instanceof MlgateError)) throw error;
      unavailable.push({ prefix: `${shownPath(path, options.files)}:`, error });
    }
  }
  return found.sort();
}

function missing(file: DvcYaml, entry: DeclaredMetrics, shown: string): MlgateError {
  const line = entry.location.line === undefined ? "" : ` (line ${entry.location.line})`;
  return new MlgateError(
    "source.not-found",
    `${shown} does not exist; ${file.shown}${line} declares it as a metrics file`,
    {
      location: entry.location,
      hint:
        entry.stage === undefined
          ? "run the pipeline (`dvc repro`) or fetch its outputs (`dvc pull`) before mlgate"
          : `run the stage that writes it (\`dvc repro ${entry.stage}\`) or fetch its outputs (\`dvc pull ${entry.stage}\`) before mlgate`,
    },
  );
}

function emptyDirectory(file: DvcYaml, entry: DeclaredMetrics, shown: string): MlgateError {
  return new MlgateError(
    "source.not-found",
    `the metrics directory ${shown} that ${file.shown} declares holds no .json, .yaml or .yml files`,
    {
      location: entry.location,
      hint:
        entry.stage === undefined
          ? "run the pipeline (`dvc repro`) before mlgate"
          : `run \`dvc repro ${entry.stage}\` before mlgate`,
    },
  );
}
