// An organisation's settings and frameworks, read from its `.github` repository with Probot's config
// plugin (which honours `_extends`) and cached briefly; a push to that repository drops the cache.
import { BUILTIN_FRAMEWORKS } from "../src/maturity/catalogs/index.js";
import { loadFramework } from "../src/maturity/custom.js";
import type { Framework } from "../src/maturity/framework.js";
import { formatError, MlgateError } from "../src/errors.js";
import { readSettings, SETTINGS_FILE, SETTINGS_REPOSITORY } from "./org-settings.js";
import type { OrgContext } from "./tracker.js";

/** The parts of Probot's Octokit this needs: the config plugin and one REST call. */
export interface ConfigClient {
  config: {
    get(options: {
      owner: string;
      repo: string;
      path: string;
      defaults?: (configs: Record<string, unknown>[]) => Record<string, unknown>;
    }): Promise<{ config: unknown }>;
  };
  request(route: string, parameters?: Record<string, unknown>): Promise<{ data: unknown }>;
}

const CACHE_MS = 60_000;

export class OrgContexts {
  private readonly cache = new Map<string, { at: number; value: Promise<OrgContext> }>();

  constructor(private readonly now: () => Date) {}

  get(owner: string, octokit: ConfigClient): Promise<OrgContext> {
    const cached = this.cache.get(owner);
    if (cached && this.now().getTime() - cached.at < CACHE_MS) return cached.value;
    const value = load(owner, octokit);
    this.cache.set(owner, { at: this.now().getTime(), value });
    value.catch(() => this.cache.delete(owner));
    return value;
  }

  forget(owner: string): void {
    this.cache.delete(owner);
  }
}

async function load(owner: string, octokit: ConfigClient): Promise<OrgContext> {
  let config: unknown;
  const problems: string[] = [];
  try {
    ({ config } = await octokit.config.get({
      owner,
      repo: SETTINGS_REPOSITORY,
      path: `.github/${SETTINGS_FILE}`,
      // The plugin merges an `_extends` chain key by key; settings nest, so merge them all the way down.
      defaults: (configs) =>
        configs.reduce<Record<string, unknown>>((merged, config) => deepMerge(merged, config), {}),
    }));
  } catch (error) {
    // A settings file that does not parse must not stop tracking: report it, use the defaults.
    if ((error as { status?: number }).status !== undefined) throw error;
    problems.push(
      `${SETTINGS_REPOSITORY}/.github/${SETTINGS_FILE}: ${(error as Error).message.split("\n")[0] ?? ""}`,
    );
  }
  const settings = readSettings(config);
  settings.problems.unshift(...problems);
  const frameworks: Framework[] = [...BUILTIN_FRAMEWORKS];
  for (const path of settings.frameworks) {
    try {
      const text = await readText(octokit, owner, path);
      frameworks.push(
        loadFramework(
          text,
          `${SETTINGS_REPOSITORY}/${path}`,
          frameworks.map((framework) => framework.id),
        ),
      );
    } catch (error) {
      if (error instanceof MlgateError) settings.problems.push(formatError(error));
      else if ((error as { status?: number }).status === 404)
        settings.problems.push(`maturity.frameworks: ${path} does not exist in ${SETTINGS_REPOSITORY}`);
      else throw error;
    }
  }
  const areas = new Set(frameworks.flatMap((framework) => framework.areas.map((area) => area.id)));
  for (const key of Object.keys(settings.targets)) {
    if (key !== "overall" && !areas.has(key)) {
      settings.problems.push(
        `maturity.targets.${key}: not an area of any framework; use area ids (\`mlgate maturity --topics\` lists them) or overall`,
      );
    }
  }
  return { settings, frameworks };
}

async function readText(octokit: ConfigClient, owner: string, path: string): Promise<string> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
    owner,
    repo: SETTINGS_REPOSITORY,
    path,
  });
  const file = data as { content?: string; encoding?: string };
  if (typeof file.content !== "string")
    throw Object.assign(new Error(`${path} is not a file`), { status: 404 });
  return Buffer.from(file.content, file.encoding === "base64" ? "base64" : "utf8").toString("utf8");
}

/** Keys that would reach an object's prototype instead of being data (`merged["__proto__"] = x` swaps it). */
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** `over` merged into `base`: mappings merge key by key, anything else (lists included) replaces. */
export function deepMerge(base: object, over: object): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const source of [base, over]) {
    for (const [key, value] of Object.entries(source)) {
      // Settings files are written by anyone with push access to a `.github` repository (or an `_extends`
      // target): a `__proto__` key must not swap the prototype and smuggle settings in through it.
      if (UNSAFE_KEYS.has(key)) continue;
      const current = Object.hasOwn(merged, key) ? merged[key] : undefined;
      // Mappings are copied too (merged into an empty one), so unsafe keys go at every depth.
      merged[key] = isMapping(value) ? deepMerge(isMapping(current) ? current : {}, value) : value;
    }
  }
  return merged;
}

function isMapping(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
