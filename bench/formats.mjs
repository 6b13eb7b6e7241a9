// Benchmark: `mlgate inspect` reading the largest real file of each tool format, and a synthetic 50 MB
// Evidently drift report with 10,000 columns, each as a fresh process interleaved with a bare `node -e 0`
// so both see the same machine load. Reports medians over RUNS runs of wall time and peak RSS, and what the
// read adds to bare Node. Usage: npm run bench:formats (RUNS=15, COLUMNS=..., REAL_ARTIFACTS=..., KEEP=1)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { performance } from "node:perf_hooks";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const runs = Number(process.env.RUNS ?? 7);
const columns = Number(process.env.COLUMNS ?? 10_000);
const realArtifacts = process.env.REAL_ARTIFACTS ?? "/work/shared/real-artifacts";
const preload = ["--require", "./bench/peak-rss.cjs"];
const MB = 1024 * 1024;
/** Issue #5: the synthetic report is read in under 2 s and under 4× its size in memory, over bare Node. */
const GOAL = { ms: 2000, timesFileSize: 4 };

// ---- inputs ------------------------------------------------------------------------------------------

/** Files directly in `dir` (optionally only those whose name matches `pattern`), each with its size. */
const files =
  (pattern = /./) =>
  (dir) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && pattern.test(entry.name))
      .map((entry) => ({ path: join(dir, entry.name), bytes: statSync(join(dir, entry.name)).size }));

/** Every directory below `dir` that holds a file named `marker`, sized by all the files beneath it. */
const directoriesWith = (marker) => (dir) => {
  const found = [];
  const walk = (path) => {
    const entries = readdirSync(path, { withFileTypes: true });
    if (path !== dir && entries.some((entry) => entry.isFile() && entry.name === marker)) {
      found.push({ path, bytes: treeBytes(path) });
    }
    for (const entry of entries) if (entry.isDirectory()) walk(join(path, entry.name));
  };
  walk(dir);
  return found;
};

function treeBytes(path) {
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath ?? entry.path, entry.name)).size, 0);
}

const both =
  (...listers) =>
  (dir) =>
    listers.flatMap((list) => list(dir));

/**
 * Format → the directory of `REAL_ARTIFACTS` holding its real files, and how to list the candidate inputs
 * there. The largest candidate that `mlgate inspect <input> --format <format>` reads (exits 0) is measured.
 */
const FORMATS = [
  { format: "evidently", dir: "evidently", inputs: files() },
  { format: "great-expectations", dir: "great_expectations", inputs: files() },
  { format: "lm-eval", dir: "eval_suites", inputs: files() },
  { format: "huggingface", dir: "huggingface", inputs: files() },
  { format: "fairness", dir: "fairness", inputs: files() },
  { format: "sklearn", dir: "sklearn", inputs: files() },
  { format: "wandb", dir: "wandb", inputs: files() },
  { format: "junit", dir: "junit", inputs: files() },
  { format: "csv", dir: "datasets", inputs: files(/\.[ct]sv$/) },
  { format: "json", dir: "gate_results", inputs: files(/\.json$/) },
  { format: "yaml", dir: "dvc", inputs: files(/\.ya?ml$/) },
  { format: "mlflow", dir: "mlflow", inputs: directoriesWith("meta.yaml") },
  // The collection keeps DVC's files one by one, not in their pipelines' layout: a dvc.yaml there finds
  // none of the metrics files it declares, so the largest file read with measurements is a metrics or
  // history file.
  { format: "dvc", dir: "dvc", inputs: both(files(), directoriesWith("metrics.json")) },
];

const inspectArgs = (input, format) => [
  ...preload,
  "dist/mlgate.js",
  "inspect",
  input,
  "--format",
  format,
  "--output",
  "json",
];

/** One read with its output kept: exit status, measurement count, the first line of an error. */
function probe(input, format) {
  const child = spawnSync(process.execPath, inspectArgs(input, format), {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe", "ignore"],
    maxBuffer: 1024 * MB,
  });
  if (child.status !== 0) {
    return { ok: false, error: String(child.stderr).trim().split("\n")[0] ?? `exit ${child.status}` };
  }
  return { ok: true, measurements: JSON.parse(String(child.stdout)).measurements.length };
}

/** The formats `mlgate inspect --help` lists (none when its wording changed: then every format is tried). */
function knownFormats() {
  const help = spawnSync(process.execPath, ["dist/mlgate.js", "inspect", "--help"], { cwd: root });
  const line = /--format .*: (.*)/.exec(String(help.stdout))?.[1] ?? "";
  return new Set(line.split(",").map((name) => name.trim()));
}

/** The largest candidate mlgate reads, or why there is none. */
function largestRead({ format, dir, inputs }, known) {
  if (known.size > 0 && !known.has(format)) return { skip: `mlgate inspect has no --format ${format}` };
  const path = join(realArtifacts, dir);
  if (!existsSync(path)) return { skip: `${path} does not exist` };
  const candidates = inputs(path).sort((a, b) => b.bytes - a.bytes);
  let firstError;
  for (const candidate of candidates) {
    const result = probe(candidate.path, format);
    // A read that lists nothing (a dvc.yaml whose metrics files are not there) measures only start-up.
    if (result.ok && result.measurements > 0) return { ...candidate, measurements: result.measurements };
    if (result.ok) continue;
    firstError ??= `${candidate.path}: ${result.error}`;
  }
  return { skip: candidates.length === 0 ? `no candidate in ${path}` : `nothing read (${firstError})` };
}

// ---- the synthetic report ----------------------------------------------------------------------------

/** mulberry32: a small seeded generator, so every run writes the same bytes. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Python's `json.dumps` spelling (", " and ": "), as Evidently's `Report.json()` writes. */
function py(value) {
  if (Array.isArray(value)) return `[${value.map(py).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${py(item)}`)
      .join(", ")}}`;
  }
  if (typeof value === "number") return String(value); // NaN too, as Python writes it
  return JSON.stringify(value);
}

/**
 * One column of a DataDriftTable, as Evidently 0.4 writes it: the test's name, threshold, score and
 * verdict, and the current and reference `small_distribution` histograms (numeric: bin edges and
 * densities; categorical: categories and counts). Evidently draws 10 bins; here 35–100 bins and 25–90
 * categories, so 10,000 columns weigh about 50 MB.
 */
function driftColumn(next, index) {
  const categorical = index % 5 === 4;
  const name = `${categorical ? "cat" : "num"}_feature_${String(index).padStart(5, "0")}`;
  const threshold = categorical ? 0.1 : 0.05;
  const score = next() < 0.3 ? next() * threshold : threshold + next() * (1 - threshold);
  const side = () => {
    if (categorical) {
      const n = 25 + Math.floor(next() * 66);
      return {
        x: Array.from({ length: n }, (_, i) => `category_${i}`),
        y: Array.from({ length: n }, () => Math.floor(next() * 20_000)),
      };
    }
    const n = 35 + Math.floor(next() * 66);
    const low = next() * 1000 - 500;
    const width = next() * 100 + 1;
    return {
      x: Array.from({ length: n + 1 }, (_, i) => low + i * width),
      y: Array.from({ length: n }, () => next() / width),
    };
  };
  return {
    column_name: name,
    column_type: categorical ? "cat" : "num",
    stattest_name: categorical ? "Jensen-Shannon distance" : "K-S p_value",
    stattest_threshold: threshold,
    drift_score: score,
    drift_detected: categorical ? score > threshold : score < threshold,
    current: { small_distribution: side() },
    reference: { small_distribution: side() },
  };
}

/**
 * Writes a legacy Evidently 0.4 `Report.json()` to `path`: DatasetDriftMetric, then a DataDriftTable with
 * `count` columns, written a column at a time. Returns its size in bytes.
 */
function writeSyntheticReport(path, count) {
  const table = Array.from({ length: count }, (_, i) => driftColumn(random(1000 + i), i));
  const drifted = table.filter((column) => column.drift_detected).length;
  const summary = {
    number_of_columns: count,
    number_of_drifted_columns: drifted,
    share_of_drifted_columns: drifted / count,
    dataset_drift: drifted / count >= 0.5,
  };
  const fd = openSync(path, "w");
  let bytes = 0;
  const write = (text) => {
    bytes += writeSync(fd, text);
  };
  try {
    write(`{"version": "0.4.16", "timestamp": "2024-11-23 19:11:08.120031", "metrics": [`);
    write(py({ metric: "DatasetDriftMetric", result: { drift_share: 0.5, ...summary } }));
    write(`, {"metric": "DataDriftTable", "result": ${py(summary).slice(0, -1)}, "drift_by_columns": {`);
    table.forEach((column, i) =>
      write(`${i ? ", " : ""}${JSON.stringify(column.column_name)}: ${py(column)}`),
    );
    write("}}}]}");
  } finally {
    closeSync(fd);
  }
  return bytes;
}

// ---- measuring ---------------------------------------------------------------------------------------

function measure(args) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit", "pipe"],
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`${args.join(" ")} exited ${child.status}`);
  return { ms, rssKb: Number(String(child.output[3]).trim()) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const sha256 = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

const size = (bytes) => (bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`);

const temp = mkdtempSync(join(tmpdir(), "mlgate-bench-formats-"));
try {
  const cases = [];
  if (existsSync(realArtifacts)) {
    const known = knownFormats();
    for (const entry of FORMATS) {
      const found = largestRead(entry, known);
      if (found.skip) {
        console.log(`${entry.format}: skipped: ${found.skip}`);
        continue;
      }
      console.log(
        `${entry.format}: ${found.path} (${found.bytes} bytes, ${found.measurements} measurements)`,
      );
      const input = found.path.slice(realArtifacts.length + 1);
      cases.push({ ...found, format: entry.format, input, args: inspectArgs(found.path, entry.format) });
    }
  } else {
    console.log(`${realArtifacts} does not exist: no real file is read, only the synthetic report`);
  }

  const report = join(temp, "evidently-drift-report.json");
  const started = performance.now();
  const bytes = writeSyntheticReport(report, columns);
  const read = probe(report, "evidently");
  if (!read.ok) throw new Error(`mlgate inspect did not read the synthetic report: ${read.error}`);
  console.log(
    `synthetic Evidently report: ${columns} columns, ${bytes} bytes (${size(bytes)}), sha256 ${sha256(report).slice(0, 16)}…, ${read.measurements} measurements, written in ${Math.round(performance.now() - started)} ms`,
  );
  const synthetic = {
    format: "evidently",
    input: `synthetic, ${columns.toLocaleString("en")} columns`,
    bytes,
    measurements: read.measurements,
    args: inspectArgs(report, "evidently"),
  };
  cases.push(synthetic);
  // For reference: the CLI's own start-up, reading nothing.
  cases.push({
    format: "",
    input: "mlgate --version (start-up, no read)",
    args: [...preload, "dist/mlgate.js", "--version"],
  });

  const baseline = [...preload, "-e", "0"];
  const baseSamples = [];
  const samples = new Map(cases.map((c) => [c, []]));
  // Warm the file cache; then in each round the baseline runs just before every read, under the same load.
  measure(baseline);
  for (const c of cases) measure(c.args);
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      baseSamples.push(measure(baseline));
      samples.get(c).push(measure(c.args));
    }
  }

  const base = {
    ms: median(baseSamples.map((s) => s.ms)),
    rssMb: median(baseSamples.map((s) => s.rssKb)) / 1024,
  };
  console.log(
    `\nnode ${process.version}, ${runs} interleaved runs of each command, ${baseSamples.length} of node -e 0, medians`,
  );
  console.log(
    "| format | input | file size | measurements | wall ms | − node -e 0 ms | peak RSS MB | − node -e 0 MB | × file size |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  console.log(`| | node -e 0 | | | ${base.ms.toFixed(0)} | | ${base.rssMb.toFixed(1)} | | |`);
  const extra = new Map();
  for (const c of cases) {
    const list = samples.get(c);
    const ms = median(list.map((s) => s.ms));
    const rssMb = median(list.map((s) => s.rssKb)) / 1024;
    const row = { ms: ms - base.ms, mb: rssMb - base.rssMb };
    row.times = c.bytes ? (row.mb * MB) / c.bytes : undefined;
    extra.set(c, row);
    const times =
      row.times === undefined ? "" : row.times >= 100 ? Math.round(row.times) : row.times.toFixed(2);
    console.log(
      `| ${c.format} | ${c.input} | ${c.bytes ? size(c.bytes) : ""} | ${c.measurements ?? ""} | ${ms.toFixed(0)} | ${row.ms.toFixed(0)} | ${rssMb.toFixed(1)} | ${row.mb.toFixed(1)} | ${times} |`,
    );
  }
  const goal = extra.get(synthetic);
  const verdict = (ok) => (ok ? "PASS" : "MISS");
  console.log(
    `\nGoal (issue #5), the synthetic report (${size(bytes)}): read in ${goal.ms.toFixed(0)} ms over node -e 0 (< ${GOAL.ms}): ${verdict(goal.ms < GOAL.ms)}; ${goal.mb.toFixed(1)} MB over node -e 0, ${goal.times.toFixed(2)}× the file size (< ${GOAL.timesFileSize}×): ${verdict(goal.times < GOAL.timesFileSize)}`,
  );
} finally {
  if (process.env.KEEP) console.log(`kept ${temp}`);
  else rmSync(temp, { recursive: true, force: true });
}
