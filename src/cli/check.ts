// `mlgate check`: run the gates of a config and print or write the verdict; exit 0, 1 or 2 (DESIGN §4).
import { resolve } from "node:path";
import { checkFiles, type UserFile } from "../check.js";
import { ContainedFs, typedPathFs } from "../files/contained-fs.js";
import { writeOutputFile } from "../files/write-file.js";
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
  const report = await checkFiles({
    config: values.config
      ? await typedFile(values.config, io, cwd)
      : // The default config is the checkout's: no link in it may lead out of the working directory.
        {
          files: await ContainedFs.open(cwd),
          path: resolve(cwd, ".github/mlgate.yml"),
          shown: resolve(cwd, ".github/mlgate.yml"),
        },
    ...(values.baseline ? { baseline: await typedFile(values.baseline, io, cwd) } : {}),
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
    await writeOutputFile(
      { path: values.output, base: io.cwd, input: "--output" },
      renderReport(report, format),
    );
    io.stdout(renderReport(report, "text", { color: io.color }));
  } else {
    io.stdout(renderReport(report, format, format === "text" ? { color: io.color } : {}));
  }
  return report.status === "non-conformant" ? EXIT.nonConformant : EXIT.conformant;
}

/**
 * A path the user typed (`--config`, `--baseline`): inside the working directory or the current one, no
 * link may lead out of it (a checkout's files are not the user's choice); elsewhere it is read where it is.
 */
async function typedFile(typed: string, io: CliIo, cwd: string): Promise<UserFile> {
  const { files, path } = await typedPathFs(typed, io.cwd, [
    { dir: cwd, label: `the working directory ${cwd}` },
    { dir: io.cwd, label: `the current directory ${io.cwd}` },
  ]);
  return { files, path, shown: typed };
}
