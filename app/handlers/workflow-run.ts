// Gate verdicts from mlgate Action runs. GitHub sends an App no event for another workflow's artifacts, and
// check_run events carry no report; a completed `workflow_run` (the App needs `actions: read`) is the signal.
// The run's `mlgate-report*` artifacts are downloaded, validated as untrusted data (`mlgate.report/v1`) and
// recorded per repository, commit and run. Only runs on the default branch count (not pull requests', not
// forks'): they are the repository's verdict.
import type { Context } from "probot";
import { unzipSync } from "fflate";
import { parseBaselineReport } from "../../src/check.js";
import { MlgateError } from "../../src/errors.js";
import { rollUp } from "../../src/evaluate/evaluate.js";
import { seenDelivery, type Services } from "../services.js";
import { ensureInstallation } from "./installation.js";
import { recordGateVerdict } from "../store/history.js";
import { markReportDirty } from "../store/org-reports.js";
import { getRepository, recordDelivery } from "../store/store.js";

const ARTIFACT_PREFIX = "mlgate-report";
/** A report is a few kilobytes; a zip claiming more than this is not one of ours. */
const MAX_REPORT_BYTES = 10 * 1024 * 1024;

interface Artifact {
  id: number;
  name: string;
  expired: boolean;
  size_in_bytes: number;
}

export async function onWorkflowRun(services: Services, context: Context<"workflow_run">): Promise<void> {
  const { action, workflow_run: run, repository, installation } = context.payload;
  if (!installation || action !== "completed") return;
  if (run.head_repository?.id !== undefined && run.head_repository.id !== repository.id) return;
  // A repository's verdict is its default branch's: a pull request's run judges a change, not the repository.
  if (run.head_branch !== repository.default_branch || run.event.startsWith("pull_request")) return;
  if (await seenDelivery(services, context.id)) return;
  await ensureInstallation(services, installation.id, repository.owner.login);
  const at = { owner: repository.owner.login, repo: repository.name };
  const { data } = await context.octokit.request(
    "GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts",
    {
      ...at,
      run_id: run.id,
      per_page: 100,
    },
  );
  const artifacts = (data as { artifacts: Artifact[] }).artifacts.filter(
    (artifact) =>
      artifact.name.startsWith(ARTIFACT_PREFIX) &&
      !artifact.expired &&
      artifact.size_in_bytes <= MAX_REPORT_BYTES,
  );
  if (artifacts.length === 0) return;
  const verdicts: { status: string; summary: object }[] = [];
  for (const artifact of artifacts) {
    const text = await downloadReportText(context, at, artifact.id);
    if (text === undefined) continue;
    try {
      const report = parseBaselineReport(text, `artifact ${artifact.name} of run ${run.id}`, "the report");
      // The artifact is untrusted: the verdict is recomputed from its measurements, not taken from it.
      const verdict = rollUp(report.measurements);
      verdicts.push({
        status: verdict.status,
        summary: {
          artifact: artifact.name,
          summary: verdict.summary,
          dimensions: verdict.dimensions.map((dimension) => dimension.name).filter(Boolean),
        },
      });
    } catch (error) {
      if (!(error instanceof MlgateError)) throw error;
      context.log.warn(
        { artifact: artifact.name, run: run.id, problem: error.message },
        "not an mlgate report; skipped",
      );
    }
  }
  if (verdicts.length === 0) return;
  // Several reports in one run (a matrix of models): the run's verdict is the worst of them.
  const order = ["conformant", "conformant-with-warnings", "non-conformant"];
  const worst = verdicts.reduce((a, b) => (order.indexOf(b.status) > order.indexOf(a.status) ? b : a));
  const now = services.now();
  const recorded = await services.db.transaction(async (tx) => {
    if (!(await recordDelivery(tx, context.id, context.name))) return false;
    if (!(await getRepository(tx, repository.id))) return false; // not tracked (yet): the scan will see it
    const fresh = await recordGateVerdict(tx, {
      repositoryId: repository.id,
      commitSha: run.head_sha,
      runId: run.id,
      status: worst.status,
      summary: { ...worst.summary, reports: verdicts.length },
      createdAt: new Date(run.updated_at ?? now.toISOString()),
    });
    if (fresh) await markReportDirty(tx, installation.id, now);
    return fresh;
  });
  if (recorded) services.reports.touch(installation.id);
}

async function downloadReportText(
  context: Context<"workflow_run">,
  at: { owner: string; repo: string },
  id: number,
): Promise<string | undefined> {
  let zip: ArrayBuffer;
  try {
    const response = await context.octokit.request(
      "GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}",
      { ...at, artifact_id: id, archive_format: "zip" },
    );
    zip = response.data as ArrayBuffer;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404 || status === 410) return undefined;
    throw error;
  }
  // The zip comes from any default-branch run of any installed repository: at most one entry is inflated
  // (the first top-level `.json` whose declared size fits), so a zip of many large entries costs nothing.
  // fflate stops an entry at its declared size, so the declared size bounds what is inflated.
  let taken = false;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(new Uint8Array(zip), {
      filter: (file) => {
        if (taken || file.name.includes("/") || !file.name.endsWith(".json")) return false;
        if (file.originalSize > MAX_REPORT_BYTES) return false;
        taken = true;
        return true;
      },
    });
  } catch (error) {
    // Not a zip fflate can read (or an entry it cannot inflate): not one of our reports.
    context.log.warn({ artifact: id, problem: (error as Error).message }, "unreadable artifact; skipped");
    return undefined;
  }
  const [first] = Object.values(files);
  return first ? new TextDecoder().decode(first) : undefined;
}
