// The variables a dvc.yaml's `${}` can use, loaded as DVC loads them: params.yaml next to the dvc.yaml
// first (when it exists), then `vars:` in order (params files, `file:key1,key2`, or maps), merged without
// redefinition; a stage's own `vars:` (relative to its wdir) and foreach/matrix `item` and `key` add to them.
import { extname, join } from "node:path";
import { MlgateError } from "../../errors.js";
import type { ContainedFs } from "../../files/contained-fs.js";
import { hasExpression } from "./dvc-template.js";
import {
  dotted,
  dvcYamlError,
  isMapping,
  lineFeeds,
  listed,
  locate,
  relocated,
  type DvcYaml,
  type Place,
} from "./dvc-yaml.js";
import { parseJson } from "./json.js";
import { insideCwd, isFile, readTreeFile, shownPath } from "./tree.js";
import { parseYaml } from "./yaml.js";

const DEFAULT_PARAMS = "params.yaml";
/** Params nested deeper than this are refused when merged: params files nest a few levels. */
const MAX_DEPTH = 64;

/** The variables in scope: their values, and which file or `vars` entry defined each leaf. */
export interface Variables {
  values: Record<string, unknown>;
  origins: ReadonlyMap<string, string>;
  /** Params files loaded whole, which a later `vars` entry naming them again does not reload. */
  loaded: ReadonlySet<string>;
}

/** params.yaml next to the dvc.yaml when it exists, then the top-level `vars:`. */
export async function globalVariables(file: DvcYaml, files: ContainedFs): Promise<Variables> {
  let variables: Variables = {
    values: Object.create(null) as Record<string, unknown>,
    origins: new Map(),
    loaded: new Set(),
  };
  const defaults = join(file.dir, DEFAULT_PARAMS);
  if (await isFile(defaults, files)) {
    const path = await insideCwd(file.dir, DEFAULT_PARAMS, files, file.shown);
    variables = merged(variables, await paramsFile(path, files), shownPath(path, files), { file, path: [] });
    variables = { ...variables, loaded: new Set([path]) };
  }
  const vars = isMapping(file.data) && Object.hasOwn(file.data, "vars") ? file.data["vars"] : undefined;
  return withVars(variables, vars, file.dir, { file, path: ["vars"] }, files);
}

/** `vars:` entries (a params file's path relative to `baseDir`, with `:keys` or not, or a map) added. */
export async function withVars(
  variables: Variables,
  vars: unknown,
  baseDir: string,
  place: Place,
  files: ContainedFs,
): Promise<Variables> {
  if (vars === undefined || vars === null) return variables;
  if (!Array.isArray(vars)) {
    throw dvcYamlError(
      place.file,
      place.path,
      `\`${dotted(place.path)}\` in ${place.file.shown} is not a list`,
      "write `vars:` as a list of params files and maps: `vars: [params.yaml, {model: cnn}]`",
    );
  }
  let current = variables;
  for (const [index, entry] of vars.entries()) {
    const at: Place = { file: place.file, path: [...place.path, index] };
    if (containsExpression(entry)) {
      throw dvcYamlError(
        at.file,
        at.path,
        `\`${dotted(at.path)}\` uses \${}, which DVC does not allow in vars`,
        "write the file name or the values literally",
      );
    }
    if (isMapping(entry)) {
      current = merged(current, entry, dotted(at.path), at);
      continue;
    }
    if (typeof entry !== "string" || entry.split(":")[0] === "") {
      throw dvcYamlError(
        at.file,
        at.path,
        `\`${dotted(at.path)}\` in ${at.file.shown} is neither a params file nor a map of values`,
        "write a file name (`params.yaml`, `config.json:train,eval`) or a map (`model: cnn`)",
      );
    }
    current = await withParamsFile(current, entry, baseDir, at, files);
  }
  return current;
}

async function withParamsFile(
  variables: Variables,
  entry: string,
  baseDir: string,
  at: Place,
  files: ContainedFs,
): Promise<Variables> {
  const colon = entry.indexOf(":");
  const name = colon < 0 ? entry : entry.slice(0, colon);
  const keys =
    colon < 0
      ? []
      : entry
          .slice(colon + 1)
          .split(",")
          .map((key) => key.trim())
          .filter(Boolean);
  const where = locate(at.file, at.path);
  let path: string;
  try {
    path = await insideCwd(baseDir, name, files, at.file.shown);
  } catch (error) {
    throw error instanceof MlgateError ? relocated(error, where) : error;
  }
  if (keys.length === 0 && variables.loaded.has(path)) return variables;
  const shown = shownPath(path, files);
  if (!(await isFile(path, files))) {
    throw new MlgateError(
      "source.not-found",
      `the params file ${shown} that \`vars\` names in ${at.file.shown} does not exist`,
      {
        location: where,
        hint: "check the path: params files in `vars` are relative to the dvc.yaml's directory (a stage's to its wdir)",
      },
    );
  }
  const values = await paramsFile(path, files);
  let selected: Record<string, unknown> = values;
  if (keys.length) {
    selected = Object.create(null) as Record<string, unknown>;
    for (const key of keys) {
      if (!Object.hasOwn(values, key)) {
        throw new MlgateError(
          "source.parse",
          `\`${entry}\` in ${at.file.shown}: ${shown} has no top-level key \`${key}\``,
          {
            location: where,
            hint: `its keys: ${listed(Object.keys(values))}`,
          },
        );
      }
      selected[key] = values[key];
    }
  }
  const next = merged(variables, selected, shown, at);
  return keys.length ? next : { ...next, loaded: new Set([...next.loaded, path]) };
}

/** A params file's top-level mapping: YAML, JSON; TOML and Python are refused by name. */
async function paramsFile(path: string, files: ContainedFs): Promise<Record<string, unknown>> {
  const shown = shownPath(path, files);
  const text = await readTreeFile(path, files);
  const extension = extname(path).toLowerCase();
  if (extension === ".toml" || extension === ".py") {
    throw new MlgateError(
      "source.parse",
      `${shown} is a ${extension === ".toml" ? "TOML" : "Python"} params file, which mlgate does not read`,
      {
        location: { file: shown },
        hint: "keep the variables that metrics paths use in params.yaml or another YAML or JSON file",
      },
    );
  }
  const data =
    extension === ".json"
      ? parseJson(text, { origin: shown })
      : parseYaml(lineFeeds(text), { origin: shown });
  if (data === null || data === undefined) return Object.create(null) as Record<string, unknown>;
  if (!isMapping(data)) {
    throw new MlgateError("source.parse", `${shown} is not a mapping of parameters`, {
      location: { file: shown, line: 1, column: 1 },
      hint: "a params file maps names to values: `train: {epochs: 10}`",
    });
  }
  return data;
}

/** `update` merged into `variables` (neither is changed); DVC refuses to redefine a value, and so do we. */
function merged(variables: Variables, update: Record<string, unknown>, source: string, at: Place): Variables {
  const origins = new Map(variables.origins);
  const merge = (
    base: Record<string, unknown>,
    from: Record<string, unknown>,
    prefix: string,
    depth: number,
  ) => {
    if (depth > MAX_DEPTH) {
      throw new MlgateError("source.parse", `${source} nests values more than ${MAX_DEPTH} levels deep`, {
        location: locate(at.file, at.path),
        hint: "keep params files to a few levels of nesting",
      });
    }
    // Copied along the merged path only: values are never changed after loading, so the rest is shared.
    const result = Object.assign(Object.create(null) as Record<string, unknown>, base);
    for (const [key, value] of Object.entries(from)) {
      const name = prefix + key;
      const existing = Object.hasOwn(base, key) ? base[key] : undefined;
      if (isMapping(existing) && isMapping(value)) {
        result[key] = merge(existing, value, `${name}.`, depth + 1);
      } else if (Object.hasOwn(base, key)) {
        const first = [...origins].find(
          ([leaf]) => leaf === name || leaf.startsWith(`${name}.`) || name.startsWith(`${leaf}.`),
        )?.[1];
        throw new MlgateError(
          "source.parse",
          `${source} redefines the variable \`${name}\`${first ? `, already defined by ${first}` : ""}`,
          {
            location: locate(at.file, at.path),
            hint: "DVC merges params files and vars but refuses to redefine a value; rename one of them",
          },
        );
      } else {
        result[key] = value;
        origins.set(name, source);
      }
    }
    return result;
  };
  return { values: merge(variables.values, update, "", 0), origins, loaded: variables.loaded };
}

/** `item` (and `key`) of a foreach or matrix iteration, replacing any variable of that name as DVC does. */
export function withIteration(variables: Variables, iteration: Record<string, unknown>): Variables {
  const values = Object.assign(Object.create(null) as Record<string, unknown>, variables.values, iteration);
  return { values, origins: variables.origins, loaded: variables.loaded };
}

function containsExpression(value: unknown): boolean {
  const stack: unknown[] = [value];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item === "string" && hasExpression(item)) return true;
    if (Array.isArray(item)) stack.push(...item);
    else if (isMapping(item)) for (const [key, inner] of Object.entries(item)) stack.push(key, inner);
  }
  return false;
}
