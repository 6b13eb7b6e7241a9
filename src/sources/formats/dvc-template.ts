// `${}` in a dvc.yaml, resolved as DVC resolves it: `${a.b}`, `${a[0]}` and `${a.0}` select from the
// variables in scope (dvc-vars.ts); a string that is one `${}` alone is the value itself, anything else
// is text with each value written as Python's str() writes it; `\${` is a literal `${`.
import { MlgateError } from "../../errors.js";
import { findPlaceholders, replacePlaceholders, type PlaceholderSyntax } from "../placeholders.js";
import { dvcYamlError, isMapping, listed, locate, type Place } from "./dvc-yaml.js";
import type { Variables } from "./dvc-vars.js";

// DVC's KEYCRE, `(?<!\\)\$\{(.*?)\}`: `${` not preceded by a backslash, up to the first `}` on its line.
// Found by a scanner: that lazy expression rescans the line from every `${` that never closes.
const EXPRESSION: PlaceholderSyntax = { open: "${", close: "}", multiline: false, escapable: true };
// DVC's grammar: a word (no `.`, `[` or `]`), then `.word` or `[word]` any number of times.
const SELECTOR = /^[^.[\]]+(?:\.[^.[\]]+|\[[^.[\]]+\])*$/;

export function hasExpression(value: string): boolean {
  return findPlaceholders(value, EXPRESSION).length > 0;
}

/**
 * The string with every `${}` replaced by its value as text; a string that is one `${}` alone is that
 * value itself (a list for `foreach: ${models}`).
 */
export function interpolate(template: string, variables: Variables, place: Place): unknown {
  const matches = findPlaceholders(template, EXPRESSION);
  if (matches.length === 1 && matches[0]?.text === template)
    return select(matches[0].inner, variables, place);
  const text = replacePlaceholders(template, matches, (match) => {
    const value = select(match.inner, variables, place);
    const written = pythonText(value);
    if (written === undefined) {
      throw dvcYamlError(
        place.file,
        place.path,
        `\`${match.text}\` in ${place.file.shown} is a ${Array.isArray(value) ? "list" : "mapping"}, which cannot be put into text`,
        "select one value of it (`${models[0]}`, `${data.dir}`)",
        match.text,
      );
    }
    return written;
  });
  return text.replaceAll("\\${", "${");
}

function select(inner: string, variables: Variables, place: Place): unknown {
  const expression = inner.trim();
  const written = `\${${inner}}`;
  if (!SELECTOR.test(expression)) {
    throw dvcYamlError(
      place.file,
      place.path,
      `\`${written}\` in ${place.file.shown} is not a variable reference`,
      "write `${name}`, `${name.key}` or `${name[0]}`; escape a literal `${` as `\\${`",
      written,
    );
  }
  const parts = [...expression.matchAll(/[^.[\]]+/g)].map((part) => part[0].trim());
  let value: unknown = variables.values;
  for (const [index, part] of parts.entries()) {
    const next = child(value, part);
    if (next.found) {
      value = next.value;
      continue;
    }
    const parent = parts.slice(0, index).join(".");
    throw new MlgateError(
      "source.parse",
      index === 0
        ? `\`${written}\` in ${place.file.shown} cannot be resolved: no variable \`${part}\` is defined`
        : `\`${written}\` in ${place.file.shown} cannot be resolved: \`${parent}\` has no ${Array.isArray(value) ? "item" : "key"} \`${part}\``,
      { location: locate(place.file, place.path, written), hint: missingHint(index === 0, value, place) },
    );
  }
  return value;
}

function child(value: unknown, part: string): { found: true; value: unknown } | { found: false } {
  if (Array.isArray(value)) {
    const index = /^\d+$/.test(part) ? Number(part) : -1;
    return index >= 0 && index < value.length ? { found: true, value: value[index] } : { found: false };
  }
  if (isMapping(value) && Object.hasOwn(value, part)) return { found: true, value: value[part] };
  return { found: false };
}

function missingHint(top: boolean, value: unknown, place: Place): string {
  if (top) {
    const names = Object.keys(value as Record<string, unknown>);
    return `define it in params.yaml next to ${place.file.shown} or under \`vars:\` (${
      names.length
        ? `variables defined: ${listed(names)}`
        : "no variables are defined: there is no params.yaml next to it and no `vars:`"
    })`;
  }
  if (Array.isArray(value))
    return value.length ? `it has ${value.length} items, 0 to ${value.length - 1}` : "it is an empty list";
  if (isMapping(value)) return `its keys: ${listed(Object.keys(value))}`;
  return `it is a single value (${value === null ? "null" : typeof value}), not a mapping or list`;
}

/** How Python's str() writes a value into text, as DVC does; undefined for lists and mappings. */
export function pythonText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value === null || value === undefined) return "None";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "nan";
    if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
    return String(value);
  }
  if (typeof value === "bigint") return String(value);
  return undefined;
}
