// The one call every adapter makes: config text -> sources read once -> evaluation -> report.
// Everything from the outside world (files, env, fetch, clock) comes in as arguments.
import { loadConfig } from "./config/load.js";
import type { SourceSpec, Specification } from "./config/model.js";
import { MlgateError } from "./errors.js";
import { ContainmentError, describeRefusal, type ContainedFs } from "./files/contained-fs.js";
import { formatSize, formatSizeOver } from "./files/size.js";
import { dueGates, evaluate, type EvaluateOptions, type RunInfo } from "./evaluate/evaluate.js";
import { Report } from "./report/model.js";
import { redactMeasurement } from "./report/redact.js";
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
  // Whatever a source printed or a file held, no secret the process knows leaves in the report.
  const report = evaluate(spec, documents, input);
  return input.sources.secrets ? input.sources.secrets.scrubDeep(report) : report;
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
  // A report is untrusted (an artifact, a fork's upload): whatever a measurement marked redacted carries
  // in its value, message or baseline is dropped here, before anything can store or show it.
  return { ...result.data, measurements: result.data.measurements.map(redactMeasurement) };
}

/**
 * A file the user named: read through `files` (rooted where it may be read: `typedPathFs` for a path
 * someone typed, the working directory for the default config), named `shown` in messages.
 */
export interface UserFile {
  files: ContainedFs;
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

/** A gates config is a few KiB; a file this large is not one, and is refused before it is read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** An mlgate report (a baseline, a report to publish): the same cap as a report artifact's entry. */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** What `readTextUpTo` throws for a file over its cap; `bytes` is its size. */
export class FileTooLarge extends Error {
  constructor(
    readonly bytes: number | undefined,
    readonly maxBytes: number,
  ) {
    super(`larger than ${maxBytes} bytes`);
  }
}

/**
 * A file's UTF-8 text through its ContainedFs, refused with FileTooLarge when it holds more than
 * `maxBytes` (by the open file's size, before anything is read). Any other refusal (missing, a link out
 * of its root, a FIFO or device: never waited on) is a ContainmentError.
 */
export async function readTextUpTo(
  file: { files: ContainedFs; path: string },
  maxBytes: number,
): Promise<string> {
  try {
    return (await file.files.readBytes(file.path, maxBytes)).toString("utf8");
  } catch (error) {
    if (error instanceof ContainmentError && error.refusal.reason === "too-large") {
      throw new FileTooLarge(error.refusal.bytes, maxBytes);
    }
    throw error;
  }
}

/** The error for a user's file over its cap: what it is, its size, the cap, and what to do. */
export function tooLargeError(
  error: FileTooLarge,
  code: "config.schema" | "baseline.invalid",
  what: string,
  location: { file: string } | { field: string },
  hint: string,
): MlgateError {
  const size =
    error.bytes === undefined ? "more than" : `${formatSizeOver(error.bytes, error.maxBytes)}, more than`;
  return new MlgateError(code, `${what} is ${size} the ${formatSize(error.maxBytes)} it may have`, {
    location,
    hint,
  });
}

async function readUserFile(
  file: UserFile,
  code: "config.not-found" | "baseline.invalid",
  what: string,
  hint: string,
): Promise<string> {
  const config = code === "config.not-found";
  try {
    return await readTextUpTo(file, config ? MAX_CONFIG_BYTES : MAX_REPORT_BYTES);
  } catch (error) {
    if (error instanceof FileTooLarge) {
      throw tooLargeError(
        error,
        config ? "config.schema" : "baseline.invalid",
        `${what} ${file.shown}`,
        { file: file.shown },
        config
          ? "point --config at the gates config itself (a few KiB of YAML)"
          : "pass a report written by `mlgate check --format json --output <file>`",
      );
    }
    if (!(error instanceof ContainmentError)) throw error;
    // Named as the user wrote it; where a link leads is never said.
    const reason = describeRefusal(error.refusal, error.label);
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
  files: ReadonlyMap<string, Uint8Array | null | FileTooLarge>,
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
    if (bytes instanceof FileTooLarge) {
      documents.set(
        source.name,
        new MlgateError(
          "source.too-large",
          `${source.file} is ${formatSizeOver(bytes.bytes ?? 0, bytes.maxBytes)} at ${commit}, more than the ${formatSize(bytes.maxBytes)} a metric file may have`,
          {
            location: { file: source.file },
            hint: "it was not downloaded; point the source at a summary of the metrics rather than raw data",
          },
        ),
      );
      continue;
    }
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
