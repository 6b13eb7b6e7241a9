// `mlgate init`: finds metric files under --cwd and writes a commented starter config whose gates pass
// on today's values, so a team starts green and tightens from there.
import { relative, resolve } from "node:path";
import { MlgateError } from "../errors.js";
import { ContainedFs } from "../files/contained-fs.js";
import { outputExists, writeOutputFile } from "../files/write-file.js";
import { parseCommandArgs } from "./args.js";
import { suggestGates, type FoundFile, type Suggestion } from "./init-suggest.js";
import { EXIT, type CliIo } from "./io.js";
import { VERSION } from "./version.js";

const MAX_FILES = 40;
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const MAX_ACTIVE = 8;
const SKIP_DIRS = new Set([
  "node_modules",
  ".git",
  "dist",
  "build",
  "coverage",
  ".venv",
  "venv",
  "__pycache__",
  ".data",
]);

export async function initCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs("init", argv, {
    cwd: { type: "string" },
    output: { type: "string" },
    force: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(`Usage: mlgate init [--cwd <dir>] [--output <file>|-] [--force]

Looks for metric files (JSON, CSV) under --cwd and writes a commented starter config
(default: .github/mlgate.yml under --cwd; '-' prints it). Thresholds start at today's values.
`);
    return EXIT.conformant;
  }
  const cwd = resolve(io.cwd, values.cwd ?? ".");
  const files = await ContainedFs.open(cwd);
  if ((await files.kind(".")) !== "directory") {
    throw new MlgateError("usage", `--cwd ${values.cwd ?? "."} is not a directory`, {
      hint: "pass the directory that holds your metric files",
    });
  }
  const { sources, suggestions } = suggestGates(await findMetricFiles(files));
  const text = renderStarterConfig(sources, suggestions, io.now());
  if (values.output === "-") {
    io.stdout(text);
    return EXIT.conformant;
  }
  const output = values.output ?? ".github/mlgate.yml";
  const target = resolve(cwd, output);
  // A link there counts as something there: it is replaced only with --force, and never written through.
  if (!values.force && (await outputExists(target))) {
    throw new MlgateError("usage", `${relative(io.cwd, target) || target} already exists`, {
      hint: "pass --force to overwrite it, or --output - to print the starter config",
    });
  }
  await writeOutputFile({ path: output, base: cwd, input: "--output" }, text);
  io.stdout(
    `Wrote ${relative(io.cwd, target)} with ${Math.min(suggestions.length, MAX_ACTIVE)} gates from ${sources.size} metric file(s).\nNext: mlgate check --config ${relative(io.cwd, target)}${values.cwd ? ` --cwd ${values.cwd}` : ""}\n`,
  );
  return EXIT.conformant;
}

/** Metric files below the root, four levels deep at most; links are followed only inside the root. */
async function findMetricFiles(files: ContainedFs): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const entries = await files
    .list(".", {
      recursive: true,
      maxDepth: 4,
      skipDirectory: (name) => SKIP_DIRS.has(name) || name.startsWith("."),
    })
    .catch(() => []);
  // Depth first, each directory's names in locale order, as people read a tree: `a/` before `a.json`.
  entries.sort((a, b) => compareTreeOrder(a.path.split("/"), b.path.split("/")));
  for (const entry of entries) {
    if (found.length >= MAX_FILES) break;
    if (entry.kind !== "file") continue;
    if (!/\.(json|csv|tsv)$/i.test(entry.name) || /^(package(-lock)?|tsconfig)\.json$/.test(entry.name))
      continue;
    // Larger files, and anything refused (a FIFO, a link out), are left out of the suggestions.
    const text = await files.readText(entry.path, MAX_FILE_BYTES).catch(() => undefined);
    if (text !== undefined) found.push({ path: entry.path, text });
  }
  return found;
}

function compareTreeOrder(a: readonly string[], b: readonly string[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const order = (a[index] as string).localeCompare(b[index] as string);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

export function renderStarterConfig(
  sources: Map<string, string>,
  suggestions: Suggestion[],
  now: Date,
): string {
  const lines = [
    `# mlgate gates config, written by \`mlgate init\` (mlgate ${VERSION}) on ${now.toISOString().slice(0, 10)}.`,
    "# Every threshold starts at today's value, rounded: tighten them to your real release criteria.",
    "# Comparisons: gt gte lt lte eq neq contains notContains in notIn range matches.",
    "# Add `severity: warning` to report without blocking, `confidential: true` to never show a value,",
    "# `baseline: { maxDrop: 0.01 }` to limit regressions against the previous report.",
    "# Full reference: docs/configuration.md; JSON Schema: `mlgate schema`.",
    "version: 1",
    "",
    "sources:",
  ];
  if (sources.size === 0) {
    lines.push(
      "  metrics: { file: reports/metrics.json }   # no metric files found: point this at yours",
      "",
      "kpis:",
    );
    lines.push("  accuracy: { source: metrics, path: test.accuracy, gte: 0.9 }");
    return `${lines.join("\n")}\n`;
  }
  for (const [name, file] of sources) lines.push(`  ${name}: { file: ${JSON.stringify(file)} }`);
  lines.push("", "kpis:");
  suggestions.forEach((s, index) => {
    const entry = `${s.kpi}: { source: ${s.source}, path: ${JSON.stringify(s.path)}, ${s.comparison}: ${s.threshold} }`;
    const comment = `# now ${s.current}`;
    lines.push(index < MAX_ACTIVE ? `  ${entry}   ${comment}` : `  # ${entry}   ${comment}`);
  });
  return `${lines.join("\n")}\n`;
}
