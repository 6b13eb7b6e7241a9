// Creates the App's check runs at most once per webhook delivery. The check run carries the delivery id as
// its external_id: a 5xx after GitHub stored it, or a redelivery after the handler failed further on, finds
// it again instead of creating a second one.

/** The REST calls this needs, as Probot's Octokit has them. */
export interface ChecksClient {
  request(route: string, parameters?: Record<string, unknown>): Promise<{ data: unknown }>;
}

export interface CheckRunRequest {
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  [field: string]: unknown;
}

interface ListedCheckRun {
  id: number;
  external_id?: string | null;
}

/** The id of the check run this delivery created before, if any. */
export async function findCheckRun(
  octokit: ChecksClient,
  run: Pick<CheckRunRequest, "owner" | "repo" | "name" | "head_sha">,
  deliveryId: string,
): Promise<number | undefined> {
  for (let page = 1; page <= 10; page++) {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
      owner: run.owner,
      repo: run.repo,
      ref: run.head_sha,
      check_name: run.name,
      filter: "all",
      per_page: 100,
      page,
    });
    const runs = (data as { check_runs: ListedCheckRun[] }).check_runs;
    const found = runs.find((each) => each.external_id === deliveryId);
    if (found) return found.id;
    if (runs.length < 100) return undefined;
  }
  return undefined;
}

/**
 * Creates the check run unless this delivery already did, without automatic retries: a 5xx may come after
 * GitHub stored it, so before trying again we look for it. Returns the check run's id.
 */
export async function createCheckRunOnce(
  octokit: ChecksClient,
  run: CheckRunRequest,
  deliveryId: string,
): Promise<number> {
  const existing = await findCheckRun(octokit, run, deliveryId);
  if (existing !== undefined) return existing;
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await octokit.request("POST /repos/{owner}/{repo}/check-runs", {
        ...run,
        external_id: deliveryId,
        request: { retries: 0 },
      });
      return (data as { id: number }).id;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (attempt >= 3 || status === undefined || status < 500) throw error;
      await new Promise((done) => setTimeout(done, 500 * attempt));
      const stored = await findCheckRun(octokit, run, deliveryId);
      if (stored !== undefined) return stored;
    }
  }
}
