// Command-line parsing with node:util parseArgs; unknown options and missing values are usage errors
// (exit 2) that name the option and suggest the nearest valid one.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { MlgateError } from "../errors.js";
import { nearestWord } from "../sources/nearest.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseCommandArgs<T extends Options>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const names = Object.keys(options).map((name) => `--${name}`);
    const near = unknown ? nearestWord(unknown, names) : undefined;
    throw new MlgateError("usage", `mlgate ${command}: ${message.split("\n")[0] ?? message}`, {
      hint: near
        ? `did you mean ${near}? Run \`mlgate ${command} --help\``
        : `run \`mlgate ${command} --help\``,
    });
  }
}

export function oneOf<T extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const near = nearestWord(value, [...allowed]);
  throw new MlgateError("usage", `--${option} must be one of ${allowed.join(", ")}; got "${value}"`, {
    ...(near ? { hint: `did you mean --${option} ${near}?` } : {}),
  });
}
