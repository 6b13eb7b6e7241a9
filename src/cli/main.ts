// The `mlgate` command: a table of contents over its subcommands. Every path out decides the exit code:
// MlgateErrors are the user's to fix (exit 2, file:line:column on stderr); anything else is our bug.
import { formatError, MlgateError } from "../errors.js";
import { nearestWord } from "../sources/nearest.js";
import { checkCommand } from "./check.js";
import { initCommand } from "./init.js";
import { inspectCommand } from "./inspect.js";
import { EXIT, type CliIo } from "./io.js";
import { maturityCommand } from "./maturity.js";
import { schemaCommand } from "./schema.js";
import { VERSION } from "./version.js";

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  check: checkCommand,
  init: initCommand,
  inspect: inspectCommand,
  maturity: maturityCommand,
  schema: schemaCommand,
};

export const HELP = `mlgate ${VERSION}: release gates for ML metric files

Usage: mlgate <command> [options]

Commands:
  check    check metric files against the gates config and print the verdict
  init     write a commented starter config from the metric files found here
  inspect  list every measurement mlgate reads in a metric file, as gate paths
  maturity score the repository's MLOps maturity: self-assessment against evidence
  schema   print the JSON Schema of the gates config

Run \`mlgate <command> --help\` for a command's options.`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      io.stdout(`${HELP}\n`);
      return command === undefined ? EXIT.usage : EXIT.conformant;
    }
    if (command === "--version" || command === "-v") {
      io.stdout(`${VERSION}\n`);
      return EXIT.conformant;
    }
    const run = COMMANDS[command];
    if (!run) {
      const near = nearestWord(command, Object.keys(COMMANDS));
      throw new MlgateError("usage", `unknown command "${command}"`, {
        hint: near ? `did you mean \`mlgate ${near}\`?` : "run `mlgate --help`",
      });
    }
    return await run(rest, io);
  } catch (error) {
    if (error instanceof MlgateError) {
      io.stderr(`mlgate: ${formatError(error)}\n`);
      return EXIT.usage;
    }
    const detail = error instanceof Error ? error.message : String(error);
    io.stderr(
      `mlgate: internal error: ${detail.split("\n")[0] ?? ""}\n  This is a bug in mlgate, not in your config; please report it with the output of MLGATE_DEBUG=1.\n`,
    );
    if (io.env.MLGATE_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT.usage;
  }
}
