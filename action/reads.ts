// What the Action reads from GitHub before judging: the token's own login (to find our comment), the gates
// config on the PR's base commit (loosened gates, `config-ref: base`) and the committed metric files at
// the merge-base (`baseline: auto`). One compare and one GraphQL request in the common case.
import {
  fileSources,
  FileTooLarge,
  MAX_CONFIG_BYTES,
  parseBaselineReport,
  tooLargeError,
} from "../src/check.js";
import { loosenedGates } from "../src/config/diff.js";
import { loadConfig } from "../src/config/load.js";
import type { Specification } from "../src/config/model.js";
import { formatError, MlgateError } from "../src/errors.js";
import { configChangeLines, renderConfigChanges } from "../src/report/config-changes.js";
import type { Preamble } from "../src/report/markdown.js";
import type { Report } from "../src/report/model.js";
import { artifactName, findReportArtifact } from "./artifact.js";
import { escapeText } from "../src/report/escape.js";
import type { RunContext } from "./context.js";
import {
  key,
  mergeBase,
  readIdentityAndFiles,
  statusOf,
  type Client,
  type CommittedFile,
  type FileAt,
  type RepoRef,
} from "./github.js";
import type { ActionInputs } from "./inputs.js";
import { log } from "./runner.js";

export interface GitHubReads {
  self: string | undefined;
  /** The gates config on the PR's base commit, when there is one and it loads. */
  baseSpec: Specification | undefined;
  /** `abc1234`: the base commit, for messages. */
  baseLabel: string;
  /** The loosened-gates notice (Markdown rendered for the room each renderer has), or "". */
  preamble: Preamble;
  /** Committed metric files at the merge-base (or the commit before a push), by the source's `file`. */
  committed: { commit: string; files: Map<string, CommittedFile> } | undefined;
  /** Otherwise: the report artifact of the newest successful run of this workflow on the base branch. */
  artifact: { report: Report; ref: string } | undefined;
}

interface ReadsInput {
  inputs: ActionInputs;
  ctx: RunContext;
  client: Client | undefined;
  cwd: string;
  headSpec: Specification | undefined;
  /** The gates come from the PR's base commit (`config-ref: base` on a pull request; off one it means head). */
  fromBase: boolean;
  repoPath: (file: string) => string | undefined;
}

export async function readFromGitHub(input: ReadsInput): Promise<GitHubReads> {
  const { inputs, ctx, client, headSpec, fromBase, repoPath } = input;
  const pr = ctx.pullRequest;
  const at = { owner: ctx.owner, repo: ctx.repo };
  const reads: GitHubReads = {
    self: undefined,
    baseSpec: undefined,
    baseLabel: pr ? short(pr.baseSha) : "",
    preamble: "",
    committed: undefined,
    artifact: undefined,
  };
  if (!client) return reads;

  let before: string | undefined;
  if (inputs.baseline === "auto") {
    if (pr) {
      before = await mergeBase(client, at, pr.baseSha, pr.headSha).catch((error: unknown) => {
        log.warning(`mlgate: no baseline: the merge-base could not be found (${describe(error)})`);
        return undefined;
      });
    } else if (ctx.eventName === "push") {
      before = ctx.before;
    }
  }

  const configPath = repoPath(inputs.config);
  const baseConfig: FileAt | undefined =
    pr && configPath ? { commit: pr.baseSha, path: configPath, maxBytes: MAX_CONFIG_BYTES } : undefined;
  const sourceFiles = (spec: Specification | undefined, commit: string | undefined): FileAt[] =>
    spec && commit
      ? fileSources(spec).flatMap(({ file }) => {
          const path = repoPath(file);
          return path ? [{ commit, path }] : [];
        })
      : [];
  const identity = pr !== undefined && inputs.comment !== "off";
  const wanted = [...(baseConfig ? [baseConfig] : []), ...sourceFiles(headSpec, before)];
  let files: Map<string, CommittedFile>;
  let ancestors: string[];
  try {
    const result = await readIdentityAndFiles(client, at, wanted, { identity, history: before });
    reads.self = result.login;
    files = result.files;
    ancestors = result.ancestors;
  } catch (error) {
    if (fromBase) throw unreadable("the gates config on the base commit", error);
    log.warning(
      `mlgate: could not read from GitHub (${describe(error)}); no baseline and no config comparison`,
    );
    return reads;
  }

  const baseText = baseConfig ? files.get(key(baseConfig)) : null;
  if (baseText instanceof FileTooLarge) {
    const error = tooLargeError(
      baseText,
      "config.schema",
      `the gates config on the base commit ${reads.baseLabel}`,
      { file: `${inputs.config}@${reads.baseLabel}` },
      "keep the gates config a few KiB of YAML",
    );
    if (fromBase) throw error;
    log.warning(`mlgate: loosened gates are not listed: ${formatError(error)}`);
  } else if (baseText) {
    reads.baseSpec = loadConfigAt(baseText, {
      file: `${inputs.config}@${reads.baseLabel}`,
      commit: `the base commit ${reads.baseLabel}`,
      decides: fromBase,
    });
  }
  if (reads.baseSpec && headSpec) reads.preamble = loosenedNotice(reads.baseSpec, headSpec, reads.baseLabel);

  // `config-ref: base` judges with the base commit's gates, which may read other files.
  const spec = fromBase ? reads.baseSpec : headSpec;
  const missing = sourceFiles(spec, before).filter((f) => !files.has(key(f)));
  if (missing.length > 0) {
    const more = await readIdentityAndFiles(client, at, missing, { identity: false });
    for (const [name, bytes] of more.files) files.set(name, bytes);
  }
  if (spec && before) {
    const committed = new Map<string, CommittedFile>();
    for (const { file } of fileSources(spec)) {
      const path = repoPath(file);
      committed.set(file, path ? (files.get(key({ commit: before, path })) ?? null) : null);
    }
    if ([...committed.values()].some((bytes) => bytes !== null)) {
      reads.committed = { commit: before, files: committed };
    } else {
      reads.artifact = await artifactBaseline(client, at, inputs, ctx, ancestors);
      if (!reads.artifact) {
        log.info(
          `mlgate: no baseline: no metric file of the config is committed at ${short(before)}, and no successful run of this workflow on the base branch at or before it left an mlgate report`,
        );
      }
    }
  }
  return reads;
}

async function artifactBaseline(
  client: Client,
  at: RepoRef,
  inputs: ActionInputs,
  ctx: RunContext,
  ancestors: readonly string[],
): Promise<{ report: Report; ref: string } | undefined> {
  const branch = ctx.pullRequest?.baseRef ?? ctx.ref.replace(/^refs\/heads\//, "");
  if (!branch || ancestors.length === 0) return undefined;
  const name = artifactName(inputs.commentKey);
  try {
    const found = await findReportArtifact(client, at, {
      branch,
      ancestors,
      name,
      workflowPath: ctx.workflowPath,
    });
    if (!found) return undefined;
    const report = parseBaselineReport(found.text, `${name} of run ${found.runId}`);
    return { report, ref: `${short(found.headSha)} (report of run #${found.runNumber} on ${branch})` };
  } catch (error) {
    const why = error instanceof MlgateError ? formatError(error) : describe(error);
    log.warning(`mlgate: no baseline: the report artifact could not be used (${why})`);
    return undefined;
  }
}

/**
 * The gates config as a commit holds it; a broken one is an error only when it decides. `commit` names the
 * commit for the warning: `the base commit 1a2b3c4`.
 */
export function loadConfigAt(
  bytes: Uint8Array,
  at: { file: string; commit: string; decides: boolean },
): Specification | undefined {
  try {
    return loadConfig(new TextDecoder().decode(bytes), at.file);
  } catch (error) {
    if (at.decides || !(error instanceof MlgateError)) throw error;
    log.warning(
      `mlgate: the gates config on ${at.commit} does not load, so loosened gates are not listed: ${formatError(error)}`,
    );
    return undefined;
  }
}

/**
 * The warning that opens the comment, rendered for the room each renderer gives it, and the same list in
 * the log (clipped, at most 50 gates and a count of the rest).
 */
export function loosenedNotice(base: Specification, head: Specification, baseLabel: string): Preamble {
  const changes = loosenedGates(base, head);
  for (const line of configChangeLines(changes)) {
    log.warning(escapeText(`mlgate: ${line}`), { title: "mlgate: release gate loosened" });
  }
  if (changes.length === 0) return "";
  return (room) => renderConfigChanges(changes, `the base commit ${baseLabel}`, room);
}

export function short(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

function unreadable(what: string, error: unknown): MlgateError {
  return new MlgateError("config.not-found", `${what} could not be read from GitHub: ${describe(error)}`, {
    location: { field: "with.config-ref" },
    hint: "check that the token may read the repository's contents (permissions: contents: read)",
  });
}

function describe(error: unknown): string {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return escapeText(`${status === undefined ? "" : `HTTP ${status}: `}${message.split("\n")[0] ?? ""}`);
}
