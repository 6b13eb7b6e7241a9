// The report artifact: every run uploads its mlgate.report/v1 as `mlgate-report` (or
// `mlgate-report-<comment-key>`), so a later PR whose metric files are not committed can compare with the
// report of the newest successful run on its base branch at or before its merge-base.
import { basename, dirname } from "node:path";
import { unzipSync } from "fflate";
import { statusOf, type Client, type RepoRef } from "./github.js";

/** `mlgate-report` for the default key; `mlgate-report-<key>` for each model of a matrix. */
export function artifactName(key: string): string {
  const safe = key.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 100);
  return key === "default" ? "mlgate-report" : `mlgate-report-${safe}`;
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

/**
 * The report artifact of the newest successful run on `branch` whose commit is `at` or one of its
 * ancestors (`ancestors`, newest first, `at` included). Undefined when there is none.
 */
export async function findReportArtifact(
  client: Client,
  repo: RepoRef,
  options: { branch: string; ancestors: readonly string[]; name: string },
): Promise<FoundReport | undefined> {
  const rank = new Map(options.ancestors.map((sha, i) => [sha, i]));
  const { data } = await client.rest.actions.listWorkflowRunsForRepo({
    ...repo,
    branch: options.branch,
    status: "success",
    per_page: 100,
  });
  // Nearest commit first (the merge-base itself), then the newest run on that commit.
  const candidates = data.workflow_runs
    .filter((run) => rank.has(run.head_sha))
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
