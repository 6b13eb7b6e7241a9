// The one call every adapter makes: config text -> sources read once -> evaluation -> report.
// Everything from the outside world (files, env, fetch, clock) comes in as arguments.
import { readFile } from "node:fs/promises";
import { loadConfig } from "./config/load.js";
import type { SourceSpec, Specification } from "./config/model.js";
import { MlgateError } from "./errors.js";
import { dueGates, evaluate, type EvaluateOptions, type RunInfo } from "./evaluate/evaluate.js";
import { Report } from "./report/model.js";
import { toDocument } from "./sources/decode.js";
import { readSources } from "./sources/read.js";
import type { SourceContext, SourceDocument } from "./sources/types.js";

export interface CheckInput extends EvaluateOptions {
  configText: string;
  /** The config's path as the user gave it; used in messages and annotations. */
  configFile: string;
  sources: SourceContext;
}

export async function runCheck(input: CheckInput): Promise<Report> {
  const { configText, configFile, ...rest } = input;
  return runSpec(loadConfig(configText, configFile), rest);
}

/** The gates of an already loaded specification (the Action may take it from another commit). */
export async function runSpec(
  spec: Specification,
  input: EvaluateOptions & { sources: SourceContext },
): Promise<Report> {
  const needed = new Map<string, SourceSpec>();
  for (const gate of dueGates(spec, input)) {
    const source = spec.sources[gate.source];
    if (source) needed.set(source.name, source);
  }
  const documents = await readSources([...needed.values()], input.sources);
  // A program's own output (stderr) may print anything, confidential values included: keep it out of the
  // report for every source that a confidential gate reads.
  for (const gate of spec.gates) {
    const result = documents.get(gate.source);
    if (gate.confidential && result instanceof MlgateError)
      documents.set(gate.source, result.withoutDetail());
  }
  return evaluate(spec, documents, input);
}

/** A baseline is an earlier mlgate.report/v1; anything else is refused with the reason. */
export function parseBaselineReport(text: string, file: string, what = "the baseline"): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new MlgateError("baseline.invalid", `${what} is not JSON: ${(error as Error).message}`, {
      location: { file },
      hint: "pass a report written by `mlgate check --format json --output <file>`",
    });
  }
  const result = Report.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new MlgateError(
      "baseline.invalid",
      `${what} is not an mlgate.report/v1: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? ""}`,
      {
        location: { file },
        hint: "pass a report written by `mlgate check --format json --output <file>`",
      },
    );
  }
  return result.data;
}

/** A file the user named: where to read it, and how to name it in messages. */
export interface UserFile {
  path: string;
  shown: string;
}

export interface CheckFilesInput extends Omit<EvaluateOptions, "baseline" | "run"> {
  config: UserFile;
  baseline?: UserFile;
  sources: SourceContext;
}

/** What the CLI and the Action both do: read the config and the baseline report, then run the gates. */
export async function checkFiles(input: CheckFilesInput): Promise<Report> {
  const configText = await readUserFile(
    input.config,
    "config.not-found",
    "the gates config",
    "pass the path of your gates config, or run `mlgate init` to write one",
  );
  const baselineHint = "pass a report written by `mlgate check --format json --output <file>`";
  const baseline = input.baseline
    ? {
        report: parseBaselineReport(
          await readUserFile(input.baseline, "baseline.invalid", "the baseline report", baselineHint),
          input.baseline.shown,
        ),
        ref: input.baseline.shown,
      }
    : undefined;
  return runCheck({
    configText,
    configFile: input.config.shown,
    sources: input.sources,
    now: input.now,
    tool: input.tool,
    release: input.release,
    run: runInfoFromEnv(input.sources.env),
    ...(baseline ? { baseline } : {}),
  });
}

async function readUserFile(
  file: UserFile,
  code: "config.not-found" | "baseline.invalid",
  what: string,
  hint: string,
): Promise<string> {
  try {
    return await readFile(file.path, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "does not exist"
        : `cannot be read (${(error as Error).message})`;
    throw new MlgateError(code, `${what} ${file.shown} ${reason}`, { location: { file: file.shown }, hint });
  }
}

/** Which commit this is, from the CI system's environment (GitHub Actions, GitLab CI), else unknown. */
export function runInfoFromEnv(env: Readonly<Record<string, string | undefined>>): RunInfo {
  return {
    repository: env.GITHUB_REPOSITORY ?? env.CI_PROJECT_PATH ?? null,
    sha: env.GITHUB_SHA ?? env.CI_COMMIT_SHA ?? null,
    ref: env.GITHUB_REF ?? env.CI_COMMIT_REF_NAME ?? null,
  };
}

/** A `file` source of the config: the file a commit of the repository may hold. */
export function fileSources(spec: Specification): Array<{ source: string; file: string }> {
  return Object.values(spec.sources).flatMap((source) =>
    source.kind === "file" ? [{ source: source.name, file: source.file }] : [],
  );
}

/**
 * The same gates judged on the metric files as another commit holds them (a PR's merge-base): the values
 * a PR is compared with. `files` maps each file source's `file` to its bytes at that commit, or null when
 * the commit does not hold it. Commands and HTTP endpoints cannot be read at another commit, so their
 * measurements have no value here. The result is a reference, not an assessment: it carries no
 * `lastStatus` or `assessedAt`, so it can never make a gate look recently assessed and skip it.
 */
export function checkCommittedFiles(
  spec: Specification,
  files: ReadonlyMap<string, Uint8Array | null>,
  commit: string,
  options: Omit<EvaluateOptions, "baseline">,
): Report {
  const documents = new Map<string, SourceDocument | MlgateError>();
  for (const source of Object.values(spec.sources)) {
    if (source.kind !== "file") {
      documents.set(
        source.name,
        new MlgateError("source.unreadable", `a ${source.kind} source has no value at commit ${commit}`),
      );
      continue;
    }
    const bytes = files.get(source.file);
    if (!bytes) {
      documents.set(
        source.name,
        new MlgateError("source.not-found", `${source.file} is not committed at ${commit}`, {
          location: { file: source.file },
        }),
      );
      continue;
    }
    try {
      documents.set(source.name, toDocument(bytes, source, `${source.file}@${commit}`, source.file));
    } catch (error) {
      if (!(error instanceof MlgateError)) throw error;
      documents.set(source.name, error.withoutDetail());
    }
  }
  const report = evaluate(spec, documents, { ...options, release: true });
  return {
    ...report,
    measurements: report.measurements.map((m) => ({ ...m, lastStatus: null, assessedAt: null })),
  };
}
