// The Action adapter: inputs -> core -> job summary, outputs, report file, PR comment, check run, exit
// code. Every path out of run() decides the step's result; nothing deeper reads inputs or the environment.
import { resolve } from "node:path";
import {
  checkCommittedFiles,
  FileTooLarge,
  MAX_CONFIG_BYTES,
  MAX_REPORT_BYTES,
  parseBaselineReport,
  readTextUpTo,
  runSpec,
  tooLargeError,
} from "../src/check.js";
import type { EvaluateOptions } from "../src/evaluate/evaluate.js";
import { loadConfig } from "../src/config/load.js";
import type { Scalar, Specification } from "../src/config/model.js";
import { VERSION } from "../src/cli/version.js";
import { formatError, MlgateError } from "../src/errors.js";
import { ContainmentError, describeRefusal } from "../src/files/contained-fs.js";
import { writeOutputFile } from "../src/files/write-file.js";
import { formatNumber } from "../src/report/format-value.js";
import type { Report } from "../src/report/model.js";
import { renderReport } from "../src/report/index.js";
import { renderMarkdown, type Preamble } from "../src/report/markdown.js";
import { escapeText } from "../src/report/escape.js";
import { artifactName, uploadReport } from "./artifact.js";
import { readRunContext, type RunContext } from "./context.js";
import { commandEnvironment } from "./command-env.js";
import { createClient, REQUEST_TIMEOUT_MS, statusOf, type Client } from "./github.js";
import { inputFile, workingDirectoryOf } from "./input-files.js";
import { parseInputs, type ActionInputs } from "./inputs.js";
import { readFromGitHub, short, type GitHubReads } from "./reads.js";
import { publishVerdict, repoPathIn, setOutputs, shownPath, stepFails } from "./publish.js";
import { runPublishMode } from "./publish-mode.js";
import { input, learnSecrets, log, maskInLog, secrets, writeSummary } from "./runner.js";

/** GitHub keeps at most 1 MiB of job summary per step: this many characters stay under it in UTF-8. */
const SUMMARY_LIMIT = 250_000;

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    // First of all: whatever goes wrong later, no credential of this process is written anywhere.
    learnSecrets(env);
    const inputs = parseInputs(input);
    secrets.add(inputs.githubToken);
    const ctx = await readRunContext(env);
    const client = inputs.githubToken
      ? createClient(inputs.githubToken, ctx.apiUrl, log.info, secrets, requestTimeoutMs(env))
      : undefined;
    if (inputs.mode === "publish") await runPublishMode(inputs, ctx, client);
    else await runCheckMode(inputs, ctx, client, env);
  } catch (error) {
    if (error instanceof MlgateError) {
      log.fail(`mlgate: ${formatError(error)}`);
    } else if (statusOf(error) !== undefined) {
      const message = error instanceof Error ? error.message : String(error);
      log.fail(
        `mlgate: GitHub answered HTTP ${statusOf(error)}: ${escapeText(message.split("\n")[0] ?? "")} (check the token's permissions, or rerun if GitHub was unavailable)`,
      );
    } else {
      const detail = error instanceof Error ? error.message : String(error);
      log.fail(
        `mlgate: internal error: ${escapeText(detail.split("\n")[0] ?? "")} (a bug in mlgate, not in your config)`,
      );
      if (error instanceof Error && error.stack) log.debug(escapeText(error.stack));
    }
  }
}

/**
 * Events on which a workflow holds a write token and secrets while what it checked out, and so the gates
 * config and the scripts a command would run, may be a pull request's: commands do not run there unless
 * the workflow says `allow-commands: true`.
 */
const PRIVILEGED_EVENTS = new Set(["pull_request_target", "workflow_run"]);

function commandsAllowed(inputs: Pick<ActionInputs, "allowCommands">, ctx: RunContext): boolean {
  if (inputs.allowCommands === "auto") return !PRIVILEGED_EVENTS.has(ctx.eventName);
  return inputs.allowCommands === "true";
}

/**
 * GitHub's per-request timeout: REQUEST_TIMEOUT_MS, or MLGATE_GITHUB_TIMEOUT_MS (milliseconds) for tests
 * and runners behind a slow proxy. Anything but a positive whole number is ignored.
 */
function requestTimeoutMs(env: NodeJS.ProcessEnv): number {
  const set = env.MLGATE_GITHUB_TIMEOUT_MS;
  return set && /^[1-9]\d*$/.test(set) ? Number(set) : REQUEST_TIMEOUT_MS;
}

async function runCheckMode(
  inputs: ActionInputs,
  ctx: RunContext,
  client: Client | undefined,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const cwd = await workingDirectoryOf(inputs.workingDirectory, ctx.workspace);
  const repoPath = repoPathIn(ctx.workspace, cwd);
  // On a push or a schedule the checkout is the branch itself: its config is the base's, and
  // `config-ref: base` means exactly what `head` does (the gates, the baseline, the reads).
  const fromBase = inputs.configRef === "base" && ctx.pullRequest !== undefined;
  if (fromBase && !client) {
    throw new MlgateError(
      "usage",
      "config-ref: base reads the base commit through the API, and no github-token was given",
      {
        location: { field: "with.github-token" },
        hint: "leave github-token at its default (the workflow token) with permissions: contents: read",
      },
    );
  }
  const headSpec = await loadHeadConfig({ cwd, workspace: ctx.workspace }, inputs, fromBase);
  const reads = await readFromGitHub({ inputs, ctx, client, cwd, headSpec, fromBase, repoPath });
  const spec = fromBase ? reads.baseSpec : headSpec;
  if (!spec) throw configMissing(inputs, reads);
  const options = {
    now: new Date(),
    tool: `mlgate ${VERSION}`,
    release: inputs.release,
    run: { repository: `${ctx.owner}/${ctx.repo}`, sha: ctx.sha, ref: ctx.ref || null },
  };
  const report = await runSpec(spec, {
    // Commands get the runner's environment without the Action's token and the runner's credentials: a
    // courtesy, not a boundary (a command can read its parent's environment). What stops a leak is that
    // the report, and everything written from it, is scrubbed of every secret the process knows.
    sources: {
      cwd,
      env: commandEnvironment(env),
      fetch: globalThis.fetch,
      secrets,
      allowCommands: commandsAllowed(inputs, ctx),
    },
    ...options,
    onConfidential: maskConfidential,
    ...(await baselineOf(inputs, { cwd, workspace: ctx.workspace }, reads, spec, options)),
  });
  const reportFile = resolve(cwd, inputs.reportPath);
  // A report file that cannot be written (report-path refused) fails the step, but only after the verdict
  // is published: the sticky comment must not go on showing an earlier run's.
  const unwritten = await writeLocal(report, inputs, cwd, reads.preamble).then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof MlgateError) return error;
      throw error;
    },
  );
  if (!unwritten) await keepReport(reportFile, inputs);
  const published = await publishVerdict(
    // Lines of the base commit's config are not lines of the checkout: no annotations there.
    {
      report,
      preamble: reads.preamble,
      repoPath: (file) => (file.includes("@") ? undefined : repoPath(file)),
    },
    {
      client,
      at: { owner: ctx.owner, repo: ctx.repo },
      pullRequest: ctx.pullRequest?.number,
      sha: ctx.sha,
      self: reads.self,
    },
    inputs,
    ctx,
  );
  setOutputs(report, unwritten ? "" : shownPath(ctx.workspace, reportFile), published);
  if (unwritten) throw unwritten;
  if (stepFails(report, inputs)) {
    log.fail(`mlgate: ${report.status} (fail-on: ${inputs.failOn}); see the job summary`);
  }
}

/** Where the inputs' relative paths are: the working directory, inside the checkout. */
interface Places {
  cwd: string;
  workspace: string;
}

/**
 * The config in the checkout, read through a ContainedFs: a committed link cannot lead it (and its values,
 * quoted in errors) out of the checkout. With `config-ref: base` it may be missing (the PR adds it).
 */
async function loadHeadConfig(
  places: Places,
  inputs: ActionInputs,
  fromBase: boolean,
): Promise<Specification | undefined> {
  let text: string;
  try {
    text = await readTextUpTo(await inputFile(inputs.config, places.cwd, places.workspace), MAX_CONFIG_BYTES);
  } catch (error) {
    if (error instanceof FileTooLarge) {
      throw tooLargeError(
        error,
        "config.schema",
        `the gates config ${inputs.config}`,
        { field: "with.config" },
        "set the `config` input to the gates config itself (a few KiB of YAML)",
      );
    }
    if (!(error instanceof ContainmentError)) throw error;
    if (fromBase && error.refusal.reason === "not-found") return undefined;
    // Named as the input wrote it; where a link leads is never said.
    const reason = describeRefusal(error.refusal, error.label);
    throw new MlgateError("config.not-found", `the gates config ${inputs.config} ${reason}`, {
      location: { field: "with.config" },
      hint: "commit a gates config there (`npx mlgate init` writes one), or set the `config` input to its path",
    });
  }
  return loadConfig(text, inputs.config);
}

function configMissing(inputs: ActionInputs, reads: GitHubReads): MlgateError {
  return new MlgateError(
    "config.not-found",
    `config-ref: base, but the gates config ${inputs.config} is not on the base commit ${reads.baseLabel}`,
    {
      location: { field: "with.config-ref" },
      hint: "merge the gates config into the base branch first; until then use config-ref: head",
    },
  );
}

/** `auto`: the same gates on the metric files committed at the merge-base; a path: an earlier report. */
async function baselineOf(
  inputs: ActionInputs,
  places: Places,
  reads: GitHubReads,
  spec: Specification,
  options: Omit<EvaluateOptions, "baseline">,
): Promise<{ baseline?: { report: Report; ref: string; createdAt?: string | null } }> {
  if (inputs.baseline === "none") return {};
  if (inputs.baseline === "auto") {
    if (reads.artifact) return { baseline: reads.artifact };
    if (!reads.committed) return {};
    const { commit, files } = reads.committed;
    const ref = `${short(commit)} (${reads.baseLabel ? "merge-base" : "before the push"}, committed metric files)`;
    const report = checkCommittedFiles(spec, files, short(commit), options);
    return { baseline: { report, ref, createdAt: null } };
  }
  const file = await inputFile(inputs.baseline, places.cwd, places.workspace);
  const text = await readTextUpTo(file, MAX_REPORT_BYTES).catch((error: unknown) => {
    if (error instanceof FileTooLarge) {
      throw tooLargeError(
        error,
        "baseline.invalid",
        `the baseline report ${inputs.baseline}`,
        { field: "with.baseline" },
        "pass the path of a report written by an earlier mlgate run, `auto` or `none`",
      );
    }
    if (!(error instanceof ContainmentError)) throw error;
    const reason = describeRefusal(error.refusal, error.label);
    throw new MlgateError("baseline.invalid", `the baseline report ${inputs.baseline} ${reason}`, {
      location: { field: "with.baseline" },
      hint: "pass the path of a report written by an earlier mlgate run, `auto` or `none`",
    });
  });
  return { baseline: { report: parseBaselineReport(text, inputs.baseline), ref: inputs.baseline } };
}

/**
 * Confidential values are redacted from every rendering already; masking them too means that even a
 * program's own log line cannot show them. Text forms shorter than 3 characters are not masked: the
 * runner would hide every "1" or "0" in the log.
 */
function maskConfidential(value: Scalar | Scalar[]): void {
  for (const one of [value].flat()) {
    const forms = typeof one === "number" ? [String(one), formatNumber(one)] : [String(one)];
    for (const form of forms) if (form.length >= 3) maskInLog(form);
  }
}

/** Uploads the report as this run's artifact: the baseline of later PRs, and what a fork's publisher posts. */
async function keepReport(reportFile: string, inputs: ActionInputs): Promise<void> {
  const name = artifactName(inputs.commentKey);
  try {
    const result = await uploadReport(reportFile, name);
    if ("skipped" in result)
      log.info(`mlgate: the report was not uploaded as the artifact ${name}: ${result.skipped}`);
    else log.info(`mlgate: uploaded the report as the artifact ${name}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warning(
      `mlgate: the report could not be uploaded as the artifact ${name}: ${escapeText(message.split("\n")[0] ?? "")}`,
    );
  }
}

/**
 * The log (escaped text), the job summary and the report file: written whatever GitHub says. The report
 * is never written through a link a pull request committed, nor outside the working directory unless
 * `report-path` is absolute.
 */
async function writeLocal(report: Report, inputs: ActionInputs, cwd: string, preamble: Preamble) {
  log.info(renderReport(report, "text"));
  await writeSummary(renderMarkdown(report, { maxLength: SUMMARY_LIMIT, preamble }));
  await writeOutputFile(
    { path: inputs.reportPath, base: cwd, input: "with.report-path" },
    renderReport(report, "json"),
  );
}
