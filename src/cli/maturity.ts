// `mlgate maturity`: a repository's MLOps maturity as the App computes it: the self-assessment scored
// against the evidence in the working tree. Exit 2 when the self-assessment is invalid (evidence still shown).
import { resolve } from "node:path";
import { formatError, MlgateError } from "../errors.js";
import { ContainmentError, describeRefusal, typedPathFs } from "../files/contained-fs.js";
import { writeOutputFile } from "../files/write-file.js";
import { assessRepository } from "../maturity/assess.js";
import { BUILTIN_FRAMEWORKS } from "../maturity/catalogs/index.js";
import { loadFramework } from "../maturity/custom.js";
import type { Framework } from "../maturity/framework.js";
import { renderMaturityJson, renderMaturityMarkdown, renderMaturityText } from "../maturity/render.js";
import { viewFromDirectory } from "../maturity/view.js";
import { oneOf, parseCommandArgs } from "./args.js";
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
/** A framework is a catalog of a few dozen topics: a file this large is not one, and is not read. */
const MAX_FRAMEWORK_BYTES = 4 * 1024 * 1024;

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
  if (values.output) await writeOutputFile({ path: values.output, base: io.cwd, input: "--output" }, text);
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
      // Typed by the user: read where it is, links followed only inside the current directory.
      const typed = await typedPathFs(file, io.cwd, [
        { dir: io.cwd, label: `the current directory ${io.cwd}` },
      ]);
      text = await typed.files.readText(typed.path, MAX_FRAMEWORK_BYTES);
    } catch (error) {
      if (!(error instanceof ContainmentError)) throw error;
      throw new MlgateError(
        "usage",
        `cannot read the framework file ${file}: it ${describeRefusal(error.refusal, error.label)}`,
        {
          location: { field: "--framework" },
          hint: "pass --framework the path of a framework YAML file",
        },
      );
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
