// The check run: what a required status check reads. Created completed, with the Markdown report as its
// summary and the annotations on the gates config, 50 per request as GitHub allows. Written at most once:
// a 5xx may come after GitHub stored the write, so nothing here is retried without looking first.
import { GITHUB_LIMITS } from "../github/outgoing.js";
import { randomUUID } from "node:crypto";
import type { Annotation } from "../src/report/annotations.js";
import { statusOf, type Client, type RepoRef } from "./github.js";

/** GitHub refuses a check run `summary` or `text` longer than this. */
export const CHECK_FIELD_LIMIT = GITHUB_LIMITS.checkText;
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
  /** The external_id's prefix; a suffix unique to this step lets a retry find the check run it created. */
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
  const externalId = `${input.externalId}:${randomUUID()}`;
  const created = await writeOnce(
    async () => {
      const { data } = await client.rest.checks.create({
        ...at,
        name: input.name,
        head_sha: input.headSha,
        status: "completed",
        conclusion: input.conclusion,
        completed_at: new Date().toISOString(),
        external_id: externalId,
        ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
        output: output(batches[0]),
        request: { retries: 0 },
      });
      return { id: data.id, url: data.html_url ?? "" };
    },
    async () => {
      const run = (await listOurs(client, at, input)).find((each) => each.external_id === externalId);
      return run && { id: run.id, url: run.html_url ?? "" };
    },
  );
  // Each update appends its annotations to those already on the check run: a retried update would add
  // its batch twice, so after a 5xx the count on the check run says whether the batch arrived.
  let sent = batches[0]?.length ?? 0;
  for (const batch of batches.slice(1)) {
    sent += batch.length;
    const expected = sent;
    await writeOnce(
      async () => {
        await client.rest.checks.update({
          ...at,
          check_run_id: created.id,
          output: output(batch),
          request: { retries: 0 },
        });
        return true;
      },
      async () => {
        const run = (await listOurs(client, at, input)).find((each) => each.id === created.id);
        return (run?.output.annotations_count ?? 0) >= expected ? true : undefined;
      },
    );
  }
  return { url: created.url, omitted: input.annotations.length - annotations.length };
}

/**
 * A write without automatic retries. On a 5xx, wait, then ask GitHub whether the write happened (`stored`
 * answers undefined when it did not) before trying again; three attempts at most. Other errors, and
 * failures without a status (a timeout), are the caller's.
 */
async function writeOnce<T>(write: () => Promise<T>, stored: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const status = statusOf(error);
      if (attempt >= 3 || status === undefined || status < 500) throw error;
      await new Promise((done) => setTimeout(done, 500 * attempt));
      const found = await stored();
      if (found !== undefined) return found;
    }
  }
}

/** The check runs with our name on the head commit, newest first (one page: a commit has few of ours). */
async function listOurs(client: Client, at: RepoRef, input: CheckRunInput) {
  const { data } = await client.rest.checks.listForRef({
    ...at,
    ref: input.headSha,
    check_name: input.name,
    filter: "all",
    per_page: 100,
  });
  return data.check_runs;
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
