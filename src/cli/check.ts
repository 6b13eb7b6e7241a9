// `mlgate check`: run the gates of a config and print or write the verdict; exit 0, 1 or 2 (DESIGN §4).
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { checkFiles } from "../check.js";
import { MlgateError } from "../errors.js";
import { renderReport, type OutputFormat } from "../report/index.js";
import { Secrets, secretsInEnvironment } from "../secrets.js";
import { oneOf, parseCommandArgs } from "./args.js";
import { EXIT, type CliIo } from "./io.js";
import { VERSION } from "./version.js";

export const CHECK_HELP = `Usage: mlgate check [options]

Checks metric files against the gates in a config and prints the verdict.

Options:
  --config <file>      gates config (default: .github/mlgate.yml under --cwd)
  --format <format>    text | markdown | json | junit (default: text)
  --output <file>      write the report in --format to this file; the text verdict still goes to stdout
  --baseline <file>    an earlier report (--format json) to compare with: deltas, baseline rules, frequencies
  --cwd <dir>          directory that paths in the config resolve against (default: current directory)
  --release            this run is a release: gates with frequency per-release are assessed
  --no-commands        do not run \`command:\` sources (they report an error): for a config you do not trust
  -h, --help           show this help

Exit codes: 0 conformant (with or without warnings), 1 non-conformant, 2 configuration or usage error.`;

const FORMATS: readonly OutputFormat[] = ["text", "markdown", "json", "junit"];

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs("check", argv, {
    config: { type: "string" },
    format: { type: "string" },
    output: { type: "string" },
    baseline: { type: "string" },
    cwd: { type: "string" },
    release: { type: "boolean" },
    "no-commands": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(`${CHECK_HELP}\n`);
    return EXIT.conformant;
  }
  const format = oneOf("format", values.format, FORMATS, "text");
  const cwd = resolve(io.cwd, values.cwd ?? ".");
  const configFile = values.config ?? resolve(cwd, ".github/mlgate.yml");
  const report = await checkFiles({
    config: { path: resolve(io.cwd, configFile), shown: configFile },
    ...(values.baseline
      ? { baseline: { path: resolve(io.cwd, values.baseline), shown: values.baseline } }
      : {}),
    sources: {
      cwd,
      env: io.env,
      fetch: io.fetch,
      // A command can read what this process holds; whatever it prints, no credential of ours is shown.
      secrets: new Secrets(secretsInEnvironment(io.env)),
      allowCommands: values["no-commands"] !== true,
    },
    now: io.now(),
    tool: `mlgate ${VERSION}`,
    release: values.release === true,
  });
  if (values.output) {
    await writeOutput(resolve(io.cwd, values.output), values.output, renderReport(report, format));
    io.stdout(renderReport(report, "text", { color: io.color }));
  } else {
    io.stdout(renderReport(report, format, format === "text" ? { color: io.color } : {}));
  }
  return report.status === "non-conformant" ? EXIT.nonConformant : EXIT.conformant;
}

/** Writes a file the user asked for; a failure is theirs to fix (exit 2), not a bug in mlgate. */
export async function writeOutput(path: string, shown: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const why =
      code === "EISDIR"
        ? "it is a directory"
        : code === "EACCES"
          ? "permission denied"
          : (error as Error).message;
    throw new MlgateError("usage", `cannot write ${shown}: ${why}`, {
      hint: "pass --output a file path you can write to",
    });
  }
}
