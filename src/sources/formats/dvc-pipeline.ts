// The metrics files a dvc.yaml declares, where DVC looks for them: top-level `metrics:` relative to the
// dvc.yaml's directory, a stage's `metrics:` relative to its `wdir` (itself relative to that directory),
// `foreach`/`do` and `matrix` stages expanded. `${}` is resolved only where it decides which files are
// read (metrics paths, `wdir`, `foreach`, `matrix`, a stage's `vars`), and variables are loaded only
// when an expression needs them: a command line mlgate never runs cannot stop it reading the metrics.
import { resolve } from "node:path";
import type { Location } from "../../errors.js";
import type { ContainedFs } from "../../files/contained-fs.js";
import { dotted, dvcYamlError, isMapping, locate, own, type DvcYaml, type YamlPath } from "./dvc-yaml.js";
import { hasExpression, interpolate, pythonText } from "./dvc-template.js";
import { globalVariables, withIteration, withVars, type Variables } from "./dvc-vars.js";

export interface DeclaredMetrics {
  /** The path as declared, `${}` resolved. */
  target: string;
  /** The absolute directory it is relative to: the dvc.yaml's, or the stage's wdir. */
  base: string;
  /** The stage that writes it (`train`, `train@us`), for the hint to run it; none for top-level metrics. */
  stage?: string;
  location: Location;
}

type Lazy<T> = () => Promise<T>;

/** A foreach or matrix stage yields more stages than this only by mistake. */
const MAX_GENERATED = 10_000;

export async function declaredMetrics(file: DvcYaml, files: ContainedFs): Promise<DeclaredMetrics[]> {
  const root = file.data;
  if (!isMapping(root)) {
    throw dvcYamlError(
      file,
      [],
      root === null || root === undefined ? `${file.shown} is empty` : `${file.shown} is not a mapping`,
      "a dvc.yaml maps `stages:` and `metrics:` to their definitions; see https://dvc.org/doc/user-guide/project-structure/dvcyaml-files",
    );
  }
  const globals = once(() => globalVariables(file, files));
  const declared = await entries(file, own(root, "metrics"), ["metrics"], file.dir, undefined, globals);
  const stages = own(root, "stages");
  if (stages === undefined || stages === null) return declared;
  if (!isMapping(stages)) {
    throw dvcYamlError(
      file,
      ["stages"],
      `\`stages\` in ${file.shown} is not a mapping`,
      "write `stages:` as a mapping of stage names to definitions",
    );
  }
  for (const [name, definition] of Object.entries(stages)) {
    declared.push(...(await stageMetrics(file, name, definition, globals, files)));
  }
  return declared;
}

async function stageMetrics(
  file: DvcYaml,
  name: string,
  definition: unknown,
  globals: Lazy<Variables>,
  files: ContainedFs,
): Promise<DeclaredMetrics[]> {
  const path: YamlPath = ["stages", name];
  if (!isMapping(definition)) {
    throw dvcYamlError(
      file,
      path,
      `stage \`${name}\` in ${file.shown} is not a mapping`,
      "a stage maps `cmd:`, `deps:`, `outs:`, `metrics:` … to their values",
    );
  }
  if (Object.hasOwn(definition, "matrix")) {
    if (!hasMetrics(definition)) return [];
    const iterations = await matrixIterations(file, definition["matrix"], [...path, "matrix"], globals);
    return generated(file, name, definition, path, iterations, globals, files);
  }
  if (Object.hasOwn(definition, "foreach")) {
    const template = own(definition, "do");
    if (!isMapping(template)) {
      throw dvcYamlError(
        file,
        Object.hasOwn(definition, "do") ? [...path, "do"] : path,
        `foreach stage \`${name}\` in ${file.shown} has no \`do:\` mapping`,
        "a foreach stage repeats the stage written under `do:` for each item",
      );
    }
    if (!hasMetrics(template)) return [];
    const iterations = await foreachIterations(file, definition["foreach"], [...path, "foreach"], globals);
    return generated(file, name, template, [...path, "do"], iterations, globals, files);
  }
  return stageEntries(file, name, definition, path, globals, files);
}

interface Iteration {
  key: string;
  variables: Record<string, unknown>;
}

async function generated(
  file: DvcYaml,
  name: string,
  template: Record<string, unknown>,
  path: YamlPath,
  iterations: readonly Iteration[],
  globals: Lazy<Variables>,
  files: ContainedFs,
): Promise<DeclaredMetrics[]> {
  const declared: DeclaredMetrics[] = [];
  for (const iteration of iterations) {
    const scope = once(async () => withIteration(await globals(), iteration.variables));
    declared.push(...(await stageEntries(file, `${name}@${iteration.key}`, template, path, scope, files)));
  }
  return declared;
}

/** One stage's metrics: its wdir and vars first, as DVC resolves them. */
async function stageEntries(
  file: DvcYaml,
  stage: string,
  definition: Record<string, unknown>,
  path: YamlPath,
  scope: Lazy<Variables>,
  files: ContainedFs,
): Promise<DeclaredMetrics[]> {
  if (!hasMetrics(definition)) return [];
  let base = file.dir;
  const wdir = own(definition, "wdir");
  if (wdir !== undefined && wdir !== null) {
    const written = await resolved(file, wdir, [...path, "wdir"], scope);
    base = resolve(file.dir, written);
  }
  const vars = own(definition, "vars");
  const variables =
    vars === undefined || vars === null
      ? scope
      : once(async () => withVars(await scope(), vars, base, { file, path: [...path, "vars"] }, files));
  return entries(file, own(definition, "metrics"), [...path, "metrics"], base, stage, variables);
}

/** A `metrics:` list: paths, or single-key maps of a path to its options (`{cache: false}`). */
async function entries(
  file: DvcYaml,
  metrics: unknown,
  path: YamlPath,
  base: string,
  stage: string | undefined,
  scope: Lazy<Variables>,
): Promise<DeclaredMetrics[]> {
  if (metrics === undefined || metrics === null) return [];
  if (!Array.isArray(metrics)) {
    throw dvcYamlError(
      file,
      path,
      `\`${dotted(path)}\` in ${file.shown} is not a list`,
      "write `metrics:` as a list of paths: `metrics: [eval/metrics.json]`",
    );
  }
  const declared: DeclaredMetrics[] = [];
  for (const [index, entry] of metrics.entries()) {
    const at = [...path, index];
    const keys = isMapping(entry) ? Object.keys(entry) : [];
    const written = typeof entry === "string" ? entry : keys.length === 1 ? keys[0] : undefined;
    if (written === undefined) {
      throw dvcYamlError(
        file,
        at,
        `\`${dotted(at)}\` in ${file.shown} is not a metrics path`,
        "write a path (`- eval/metrics.json`) or one path with its options (`- eval/metrics.json: {cache: false}`)",
      );
    }
    const target = await resolved(file, written, at, scope);
    declared.push({ target, base, ...(stage !== undefined ? { stage } : {}), location: locate(file, at) });
  }
  return declared;
}

/** A path or wdir with its `${}` resolved: text, never a list or mapping, never empty. */
async function resolved(
  file: DvcYaml,
  value: unknown,
  path: YamlPath,
  scope: Lazy<Variables>,
): Promise<string> {
  // DVC turns `\${` into `${` in every string it resolves, with or without an expression in it.
  const raw =
    typeof value !== "string"
      ? value
      : hasExpression(value)
        ? interpolate(value, await scope(), { file, path })
        : value.replaceAll("\\${", "${");
  const text = typeof raw === "string" ? raw : pythonText(raw);
  if (text === undefined || text.trim() === "" || typeof value !== "string") {
    throw dvcYamlError(
      file,
      path,
      `\`${dotted(path)}\` in ${file.shown} is not a path`,
      "write a path relative to the dvc.yaml's directory (a stage's paths are relative to its wdir)",
    );
  }
  return text;
}

/** What `foreach:` or `matrix:` iterates over: itself, or what its `${}` names in params.yaml or vars. */
async function iterable(
  file: DvcYaml,
  data: unknown,
  path: YamlPath,
  globals: Lazy<Variables>,
): Promise<unknown> {
  return typeof data === "string" && hasExpression(data)
    ? interpolate(data, await globals(), { file, path })
    : data;
}

/** foreach over a list (`${item}`; a list of mappings or lists is named by index) or a mapping (`${key}`). */
async function foreachIterations(
  file: DvcYaml,
  data: unknown,
  path: YamlPath,
  globals: Lazy<Variables>,
): Promise<Iteration[]> {
  const value = await iterable(file, data, path, globals);
  if (isMapping(value)) {
    return limited(
      file,
      path,
      Object.entries(value).map(([key, item]) => ({ key, variables: { key, item } })),
    );
  }
  if (!Array.isArray(value)) {
    throw dvcYamlError(
      file,
      path,
      `\`${dotted(path)}\` in ${file.shown} is not a list or mapping`,
      "foreach iterates over a list, a mapping, or a `${}` naming one in params.yaml",
    );
  }
  const composite = value.some((item) => pythonText(item) === undefined);
  // DVC names a list's iterations by value (by index when an item is a list or mapping); no `key` then.
  return limited(
    file,
    path,
    value.map((item, index) => ({
      key: composite ? String(index) : (pythonText(item) ?? ""),
      variables: { item },
    })),
  );
}

/** matrix: every combination of its lists; `${item.<name>}`, and `${key}` joining the values with `-`. */
async function matrixIterations(
  file: DvcYaml,
  data: unknown,
  path: YamlPath,
  globals: Lazy<Variables>,
): Promise<Iteration[]> {
  const value = await iterable(file, data, path, globals);
  if (!isMapping(value)) {
    throw dvcYamlError(
      file,
      path,
      `\`${dotted(path)}\` in ${file.shown} is not a mapping`,
      "write `matrix:` as a mapping of names to lists: `matrix: {model: [cnn, xgb]}`",
    );
  }
  const axes: [string, unknown[]][] = [];
  let total = 1;
  for (const [name, values] of Object.entries(value)) {
    const at = [...path, name];
    const list =
      typeof values === "string" && hasExpression(values)
        ? interpolate(values, await globals(), { file, path: at })
        : values;
    if (!Array.isArray(list)) {
      throw dvcYamlError(
        file,
        at,
        `\`${dotted(at)}\` in ${file.shown} is not a list`,
        "each name under `matrix:` takes a list of values, or a `${}` naming one",
      );
    }
    axes.push([name, list]);
    total *= list.length;
    if (total > MAX_GENERATED) throw tooMany(file, path, total);
  }
  let combinations: { fragments: string[]; item: Record<string, unknown> }[] = [{ fragments: [], item: {} }];
  for (const [name, list] of axes) {
    combinations = combinations.flatMap((combination) =>
      list.map((entry, index) => ({
        fragments: [...combination.fragments, pythonText(entry) ?? `${name}${index}`],
        item: { ...combination.item, [name]: entry },
      })),
    );
  }
  return combinations.map(({ fragments, item }) => {
    const key = fragments.join("-");
    return { key, variables: { key, item } };
  });
}

function limited(file: DvcYaml, path: YamlPath, iterations: Iteration[]): Iteration[] {
  if (iterations.length <= MAX_GENERATED) return iterations;
  throw tooMany(file, path, iterations.length);
}

function tooMany(file: DvcYaml, path: YamlPath, count: number) {
  return dvcYamlError(
    file,
    path,
    `\`${dotted(path)}\` in ${file.shown} generates ${count} stages, more than the ${MAX_GENERATED} mlgate expands`,
    "split the stage, or point mlgate at the metrics files themselves",
  );
}

function hasMetrics(definition: Record<string, unknown>): boolean {
  const metrics = own(definition, "metrics");
  return metrics !== undefined && metrics !== null;
}

/** The value computed on first use, then the same promise (and the same refusal) every time. */
function once<T>(make: () => Promise<T>): Lazy<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
}
