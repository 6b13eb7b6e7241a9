// `mlgate init`: finds metric files under --cwd and writes a commented starter config whose gates pass
// on today's values, so a team starts green and tightens from there.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { MlgateError } from "../errors.js";
import { parseCommandArgs } from "./args.js";
import { writeOutput } from "./check.js";
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
  if (
    !(await stat(cwd).then(
      (info) => info.isDirectory(),
      () => false,
    ))
  ) {
    throw new MlgateError("usage", `--cwd ${values.cwd ?? "."} is not a directory`, {
      hint: "pass the directory that holds your metric files",
    });
  }
  const files = await findMetricFiles(cwd);
  const { sources, suggestions } = suggestGates(files);
  const text = renderStarterConfig(sources, suggestions, io.now());
  if (values.output === "-") {
    io.stdout(text);
    return EXIT.conformant;
  }
  const target = resolve(cwd, values.output ?? ".github/mlgate.yml");
  if (!values.force && (await exists(target))) {
    throw new MlgateError("usage", `${relative(io.cwd, target) || target} already exists`, {
      hint: "pass --force to overwrite it, or --output - to print the starter config",
    });
  }
  await writeOutput(target, relative(io.cwd, target) || target, text);
  io.stdout(
    `Wrote ${relative(io.cwd, target)} with ${Math.min(suggestions.length, MAX_ACTIVE)} gates from ${sources.size} metric file(s).\nNext: mlgate check --config ${relative(io.cwd, target)}${values.cwd ? ` --cwd ${values.cwd}` : ""}\n`,
  );
  return EXIT.conformant;
}

async function findMetricFiles(root: string): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 4 || found.length >= MAX_FILES) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !SKIP_DIRS.has(entry.name) && !entry.name.startsWith("."))
        await walk(path, depth + 1);
      else if (
        entry.isFile() &&
        /\.(json|csv|tsv)$/i.test(entry.name) &&
        !/^(package(-lock)?|tsconfig)\.json$/.test(entry.name)
      ) {
        const info = await stat(path);
        if (info.size <= MAX_FILE_BYTES && found.length < MAX_FILES) {
          found.push({ path: relative(root, path).split(sep).join("/"), text: await readFile(path, "utf8") });
        }
      }
    }
  };
  await walk(root, 0);
  return found;
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

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
