// The report artifact: every run uploads its mlgate.report/v1 as `mlgate-report` (or a name derived from
// the comment-key), so a later PR whose metric files are not committed can compare with the report of the
// newest successful run of the same workflow on its base branch at or before its merge-base.
import { createHash } from "node:crypto";
import { basename, dirname } from "node:path";
import { unzipSync } from "fflate";
import { statusOf, type Client, type RepoRef } from "./github.js";

/**
 * A key kept as it is: lowercase letters, digits, `.`, `_`, `-`, not ending in `.` (Windows drops it from
 * the directory download-artifact makes) nor like a hashed name (`-` and 8 hex digits), so that no key can
 * pose as another's hashed name.
 */
const PLAIN_KEY = /^(?!.*-[0-9a-f]{8}$)[a-z0-9._-]*[a-z0-9_-]$/;

/**
 * `mlgate-report` for the default key; `mlgate-report-<key>` for a plain key; for any other key the
 * readable part (lowercased, other runs of characters as `-`), `-` and the first 8 hex digits of the key's
 * SHA-256. Injective: two keys never share an artifact, not even on a case-insensitive file system. Never
 * holds a character GitHub refuses in a name (`"` `:` `<` `>` `|` `*` `?` `\` `/`, CR, LF).
 */
export function artifactName(key: string): string {
  if (key === "default") return "mlgate-report";
  if (PLAIN_KEY.test(key)) return `mlgate-report-${key}`;
  const readable = key.toLowerCase().replace(/[^a-z0-9._-]+/g, "-");
  const hash = createHash("sha256").update(key, "utf8").digest("hex").slice(0, 8);
  return `mlgate-report-${readable}-${hash}`;
}

/** Uploads the report file. Outside a runner (no ACTIONS_RUNTIME_TOKEN) there is nowhere to upload to. */
export async function uploadReport(
  file: string,
  name: string,
): Promise<{ id: number } | { skipped: string }> {
  if (!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) {
    return { skipped: "not on a GitHub Actions runner (no ACTIONS_RUNTIME_TOKEN)" };
  }
  // Loaded only when there is somewhere to upload: it is the larger part of the bundle.
  const { DefaultArtifactClient } = await import("@actions/artifact");
  const client = new DefaultArtifactClient();
  const { id } = await client.uploadArtifact(name, [file], dirname(file));
  return { id: id ?? 0 };
}

export interface FoundReport {
  text: string;
  runId: number;
  runNumber: number;
  headSha: string;
}

export interface ArtifactSearch {
  branch: string;
  /** The commit and its ancestors, newest first (the commit itself included). */
  ancestors: readonly string[];
  name: string;
  /** Only runs of this workflow file (`.github/workflows/ci.yml`); any workflow when undefined. */
  workflowPath: string | undefined;
}

/**
 * The report artifact of the newest successful run of the workflow on `branch` whose commit is one of
 * `ancestors`, and whose head is this repository: a fork can name its branch `main` and point it at a
 * commit of ours, and its run's artifact is whatever the fork uploaded. Undefined when there is none.
 */
export async function findReportArtifact(
  client: Client,
  repo: RepoRef,
  options: ArtifactSearch,
): Promise<FoundReport | undefined> {
  const rank = new Map(options.ancestors.map((sha, i) => [sha, i]));
  // The repository's newest successful runs on the branch; the workflow and the head repository are
  // checked on each run (`path`, `head_repository`).
  const { data } = await client.rest.actions.listWorkflowRunsForRepo({
    ...repo,
    branch: options.branch,
    status: "success",
    exclude_pull_requests: true,
    per_page: 100,
  });
  // Nearest commit first (the merge-base itself), then the newest run on that commit.
  const candidates = data.workflow_runs
    .filter(
      (run) =>
        rank.has(run.head_sha) &&
        run.head_repository?.id === run.repository.id &&
        (options.workflowPath === undefined || run.path === options.workflowPath),
    )
    .sort((a, b) => (rank.get(a.head_sha) ?? 0) - (rank.get(b.head_sha) ?? 0) || b.id - a.id);
  for (const run of candidates.slice(0, 3)) {
    const text = await downloadRunReport(client, repo, run.id, options.name);
    if (text !== undefined) return { text, runId: run.id, runNumber: run.run_number, headSha: run.head_sha };
  }
  return undefined;
}

/** The report a run uploaded as `name`, or undefined when it has none (or it expired). */
export async function downloadRunReport(
  client: Client,
  repo: RepoRef,
  runId: number,
  name: string,
): Promise<string | undefined> {
  const { data: listing } = await client.rest.actions.listWorkflowRunArtifacts({
    ...repo,
    run_id: runId,
    name,
  });
  const artifact = listing.artifacts.find((a) => a.name === name && !a.expired);
  return artifact ? downloadReport(client, repo, artifact.id) : undefined;
}

/** The artifact's zip, unpacked in memory; the one JSON file in it. */
async function downloadReport(client: Client, repo: RepoRef, id: number): Promise<string | undefined> {
  let zip: ArrayBuffer;
  try {
    const response = await client.rest.actions.downloadArtifact({
      ...repo,
      artifact_id: id,
      archive_format: "zip",
    });
    zip = response.data as ArrayBuffer;
  } catch (error) {
    if (statusOf(error) === 410 || statusOf(error) === 404) return undefined; // expired or deleted
    throw error;
  }
  const files = unzipSync(new Uint8Array(zip), {
    // A report is small; anything else in the zip is not ours to unpack.
    filter: (file) =>
      file.name.endsWith(".json") &&
      basename(file.name) === file.name &&
      file.originalSize < 64 * 1024 * 1024,
  });
  const [bytes] = Object.values(files);
  return bytes ? new TextDecoder().decode(bytes) : undefined;
}
