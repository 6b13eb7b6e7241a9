// The check run: what a required status check reads. Created completed, with the Markdown report as its
// summary and the annotations on the gates config, 50 per request as GitHub allows.
import type { Annotation } from "../src/report/annotations.js";
import type { Client, RepoRef } from "./github.js";

/** GitHub refuses a check run `summary` or `text` longer than this. */
export const CHECK_FIELD_LIMIT = 65_535;
export const ANNOTATIONS_PER_REQUEST = 50;
/** At most this many annotations (10 requests): the rest are in the report the summary points to. */
export const MAX_ANNOTATIONS = 500;

export interface CheckRunInput {
  name: string;
  headSha: string;
  conclusion: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  /** Paths relative to the repository root. */
  annotations: readonly (Annotation & { path: string })[];
  detailsUrl: string | undefined;
  externalId: string;
}

export interface CheckRunResult {
  url: string;
  /** Annotations beyond MAX_ANNOTATIONS, not sent. */
  omitted: number;
}

export async function publishCheckRun(
  client: Client,
  at: RepoRef,
  input: CheckRunInput,
): Promise<CheckRunResult> {
  const batches: (typeof input.annotations)[] = [];
  const annotations = input.annotations.slice(0, MAX_ANNOTATIONS);
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  const output = (batch: typeof input.annotations | undefined) => ({
    title: input.title,
    summary: input.summary,
    ...(batch && batch.length > 0 ? { annotations: batch.map(toGitHub) } : {}),
  });
  const { data } = await client.rest.checks.create({
    ...at,
    name: input.name,
    head_sha: input.headSha,
    status: "completed",
    conclusion: input.conclusion,
    completed_at: new Date().toISOString(),
    external_id: input.externalId,
    ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
    output: output(batches[0]),
  });
  // Each update appends its annotations to those already on the check run.
  for (const batch of batches.slice(1)) {
    await client.rest.checks.update({ ...at, check_run_id: data.id, output: output(batch) });
  }
  return { url: data.html_url ?? "", omitted: input.annotations.length - annotations.length };
}

function toGitHub(a: Annotation & { path: string }) {
  return {
    path: a.path,
    start_line: a.line,
    end_line: a.line,
    annotation_level: a.level,
    title: a.title,
    message: a.message,
  };
}
