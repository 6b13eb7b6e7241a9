// `${{ env.NAME }}` in source URLs and headers, and nothing else: no expressions, no secrets context.
// Messages name the variable and the field, never a variable's value.
import { MlgateError } from "../errors.js";
import { findPlaceholders, replacePlaceholders, type PlaceholderSyntax } from "./placeholders.js";

/** `${{ … }}`, across lines too. */
const EXPRESSION: PlaceholderSyntax = { open: "${{", close: "}}", multiline: true, escapable: false };
const ENV_REFERENCE = /^\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*$/;

/** Replaces every `${{ env.NAME }}` in `text`; `field` (e.g. `sources.tracker.url`) is named in errors. */
export function interpolateEnv(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  field: string,
): string {
  const expressions = findPlaceholders(text, EXPRESSION);
  if (replacePlaceholders(text, expressions, () => "").includes("${{")) {
    throw new MlgateError(
      "source.env",
      `an expression in ${field} opens with "\${{" but never closes with "}}"`,
      {
        location: { field },
        hint: "write `${{ env.NAME }}`",
      },
    );
  }
  return replacePlaceholders(text, expressions, ({ text: expression, inner }) => {
    const name = ENV_REFERENCE.exec(inner)?.[1];
    if (name === undefined) {
      throw new MlgateError("source.env", `unsupported expression ${expression} in ${field}`, {
        location: { field },
        hint: "only `${{ env.NAME }}` is supported; pass other values (secrets, github context) through `env:` in the workflow step",
      });
    }
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    if (value === undefined || value === "") {
      throw new MlgateError("source.env", `the environment variable ${name} used in ${field} is not set`, {
        location: { field },
        hint: `set ${name} in the environment of the mlgate step (an empty value counts as not set)`,
      });
    }
    return value;
  });
}
