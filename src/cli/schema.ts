// `mlgate schema`: the JSON Schema of the gates config, generated from the zod schema (never hand-written).
import { configJsonSchema } from "../config/schema.js";
import { writeOutputFile } from "../files/write-file.js";
import { parseCommandArgs } from "./args.js";
import { EXIT, type CliIo } from "./io.js";

export function renderJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

export async function schemaCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs("schema", argv, {
    output: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(
      "Usage: mlgate schema [--output <file>]\n\nPrints the JSON Schema of the gates config (for editor autocompletion).\n",
    );
    return EXIT.conformant;
  }
  const text = renderJsonSchema();
  if (values.output) {
    await writeOutputFile({ path: values.output, base: io.cwd, input: "--output" }, text);
  } else {
    io.stdout(text);
  }
  return EXIT.conformant;
}
