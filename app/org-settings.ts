// Organisation settings: the `maturity:` section of `.github/mlgate.yml` in the organisation's `.github`
// repository (`_extends` honoured through Probot's config plugin). Invalid settings are reported in the org
// report, and the defaults are used meanwhile: a typo must not stop the report.
import { z } from "zod";
import { parseDuration } from "../src/config/duration.js";

export const SETTINGS_FILE = "mlgate.yml";
export const SETTINGS_REPOSITORY = ".github";

const levelSchema = z.number().int().min(0).max(10);

export const maturitySettingsSchema = z.strictObject({
  report: z
    .strictObject({
      /** The repository holding the report issue; the organisation's `.github` repository by default. */
      repository: z.string().min(1).optional(),
      title: z.string().min(1).max(200).optional(),
    })
    .optional(),
  /** Target level per area id, and `overall`. */
  targets: z.record(z.string(), levelSchema).optional(),
  /** A self-assessment older than this is stale ("180d", or ISO 8601 like "P26W"). */
  staleAfter: z.string().optional(),
  /** Only these repositories (names or globs with `*`); all when absent. */
  include: z.array(z.string().min(1)).optional(),
  /** Never these repositories (names or globs with `*`). */
  exclude: z.array(z.string().min(1)).optional(),
  /** Show private repositories by name in a report that lives in a public repository. */
  showPrivateInPublicReport: z.boolean().optional(),
  /** Framework files in the settings repository, for self-assessments that name them. */
  frameworks: z.array(z.string().min(1)).optional(),
});

export interface MaturitySettings {
  reportRepository: string;
  title: string;
  targets: Record<string, number>;
  staleAfterMs: number;
  include: string[];
  exclude: string[];
  showPrivateInPublicReport: boolean;
  frameworks: string[];
  /** What was wrong with the settings file, if anything; the defaults were used for the wrong parts. */
  problems: string[];
}

export const DEFAULT_TITLE = "MLOps maturity report";
const DEFAULT_STALE_MS = 365 * 24 * 3600 * 1000;

export function defaultSettings(): MaturitySettings {
  return {
    reportRepository: SETTINGS_REPOSITORY,
    title: DEFAULT_TITLE,
    targets: {},
    staleAfterMs: DEFAULT_STALE_MS,
    include: [],
    exclude: [],
    showPrivateInPublicReport: false,
    frameworks: [],
    problems: [],
  };
}

/** The settings from the merged config object (Probot's `config.get` result); never throws. */
export function readSettings(config: unknown): MaturitySettings {
  const settings = defaultSettings();
  const section = (config as { maturity?: unknown } | null | undefined)?.maturity;
  if (section === undefined || section === null) return settings;
  const result = maturitySettingsSchema.safeParse(section);
  if (!result.success) {
    settings.problems = result.error.issues.map(
      (issue) => `${["maturity", ...issue.path.map(String)].join(".")}: ${issue.message}`,
    );
    settings.problems.push("the whole `maturity:` section is ignored until this is fixed; defaults are used");
    return settings;
  }
  const raw = result.data;
  if (raw.report?.repository) settings.reportRepository = raw.report.repository;
  if (raw.report?.title) settings.title = raw.report.title;
  settings.targets = raw.targets ?? {};
  settings.include = raw.include ?? [];
  settings.exclude = raw.exclude ?? [];
  settings.showPrivateInPublicReport = raw.showPrivateInPublicReport ?? false;
  settings.frameworks = raw.frameworks ?? [];
  if (raw.staleAfter !== undefined) {
    const ms = parseDuration(raw.staleAfter);
    if (ms === undefined)
      settings.problems.push(
        `maturity.staleAfter: "${raw.staleAfter}" is not a duration like 180d; 365 days are used`,
      );
    else settings.staleAfterMs = ms;
  }
  return settings;
}

/** Whether the organisation's include/exclude lists let a repository into the report. */
export function isTracked(settings: MaturitySettings, name: string): boolean {
  const matches = (pattern: string) => matchesGlob(pattern, name);
  // The settings repository holds configuration, not a model: tracked only when listed in `include`.
  if (name === SETTINGS_REPOSITORY) return settings.include.some(matches);
  if (settings.include.length > 0 && !settings.include.some(matches)) return false;
  return !settings.exclude.some(matches);
}

/**
 * Whether `name` matches `glob` (`*` is any run of characters, everything else literal; case-insensitive).
 * The globs come from an organisation's settings: a backtracking RegExp of `*a*a*a*a*a*a*a*a*b` took minutes
 * on a 60-character name and blocked the App for every organisation. This is the classic two-pointer
 * wildcard match: on a mismatch only the last `*` is widened, so it takes at most glob × name steps.
 */
export function matchesGlob(glob: string, name: string): boolean {
  const pattern = glob.toLowerCase();
  const text = name.toLowerCase();
  let p = 0;
  let t = 0;
  let star = -1; // the position in `pattern` after the last `*` seen
  let resume = 0; // where in `text` that `*` currently stops
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === "*") {
      star = ++p;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star;
      t = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}
