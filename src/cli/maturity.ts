// `mlgate maturity`: a repository's MLOps maturity as the App computes it: the self-assessment scored
// against the evidence in the working tree. Exit 2 when the self-assessment is invalid (evidence still shown).
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { formatError, MlgateError } from "../errors.js";
import { assessRepository } from "../maturity/assess.js";
import { BUILTIN_FRAMEWORKS } from "../maturity/catalogs/index.js";
import { loadFramework } from "../maturity/custom.js";
import type { Framework } from "../maturity/framework.js";
import { renderMaturityJson, renderMaturityMarkdown, renderMaturityText } from "../maturity/render.js";
import { viewFromDirectory } from "../maturity/view.js";
import { oneOf, parseCommandArgs } from "./args.js";
import { writeOutput } from "./check.js";
import { EXIT, type CliIo } from "./io.js";

export const MATURITY_HELP = `Usage: mlgate maturity [options]

Scores the repository's MLOps maturity: the self-assessment in .github/mlops-maturity.yml against the
evidence the repository shows (gates config, workflows, DVC, experiment tracking, data tests, model card).

Options:
  --cwd <dir>          the repository's root (default: current directory)
  --format <format>    text | markdown | json (default: text)
  --output <file>      write the result in --format to this file
  --framework <file>   an organisation's own framework in YAML (repeatable)
  --topics             list the frameworks' topic ids (what the self-assessment's keys may be)
  -h, --help           show this help

Exit codes: 0 scored, 2 the self-assessment or a framework file is invalid, or a usage error.`;

const FORMATS = ["text", "markdown", "json"] as const;

export async function maturityCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs("maturity", argv, {
    cwd: { type: "string" },
    format: { type: "string" },
    output: { type: "string" },
    framework: { type: "string", multiple: true },
    topics: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(`${MATURITY_HELP}\n`);
    return EXIT.conformant;
  }
  const format = oneOf("format", values.format, FORMATS, "text");
  const frameworks = [...BUILTIN_FRAMEWORKS, ...(await customFrameworks(values.framework ?? [], io))];
  if (values.topics) {
    io.stdout(listTopics(frameworks));
    return EXIT.conformant;
  }
  const root = resolve(io.cwd, values.cwd ?? ".");
  const { snapshot, framework, error } = assessRepository(await viewFromDirectory(root), frameworks);
  const text =
    format === "json"
      ? renderMaturityJson(snapshot)
      : format === "markdown"
        ? renderMaturityMarkdown(snapshot, framework)
        : renderMaturityText(snapshot, framework);
  if (values.output) await writeOutput(resolve(io.cwd, values.output), values.output, text);
  else io.stdout(text);
  if (error) {
    io.stderr(`mlgate: ${formatError(error)}\n`);
    return EXIT.usage;
  }
  return EXIT.conformant;
}

async function customFrameworks(files: string[], io: CliIo): Promise<Framework[]> {
  const builtinIds = BUILTIN_FRAMEWORKS.map((framework) => framework.id);
  const loaded: Framework[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, file), "utf8");
    } catch (error) {
      throw new MlgateError("usage", `cannot read the framework file ${file}: ${(error as Error).message}`, {
        hint: "pass --framework the path of a framework YAML file",
      });
    }
    loaded.push(loadFramework(text, file, [...builtinIds, ...loaded.map((framework) => framework.id)]));
  }
  return loaded;
}

function listTopics(frameworks: readonly Framework[]): string {
  const lines: string[] = [];
  for (const framework of frameworks) {
    const levels = framework.levels.map((level) => `${level.value} ${level.name}`).join(", ");
    lines.push(`${framework.id}: ${framework.name} (levels ${levels})`);
    for (const area of framework.areas) {
      lines.push(`  ${area.name} (area ${area.id})`);
      for (const topic of area.topics) lines.push(`    ${topic.id.padEnd(34)} ${topic.name}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
