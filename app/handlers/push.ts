// A push to a repository's default branch: read it at the pushed commit, record the snapshot and every
// level change with that commit, and let the org report catch up. A push to the organisation's settings
// repository also drops the cached settings.
import type { Context } from "probot";
import { readRepositories } from "../github/repository-views.js";
import { isTracked, SETTINGS_REPOSITORY } from "../org-settings.js";
import { seenDelivery, type Services } from "../services.js";
import { latestGateVerdicts } from "../store/history.js";
import { markReportDirty } from "../store/org-reports.js";
import { recordDelivery } from "../store/store.js";
import { recordRead, scoreRead, type ScoredRead } from "../tracker.js";
import { ensureInstallation, scanInstallation } from "./installation.js";

const NO_COMMIT = /^0{40}$/;

export async function onPush(services: Services, context: Context<"push">): Promise<void> {
  const { ref, after, repository, installation } = context.payload;
  if (!installation || ref !== `refs/heads/${repository.default_branch}` || NO_COMMIT.test(after)) return;
  if (await seenDelivery(services, context.id)) return;
  const owner = repository.owner?.login ?? "";
  await ensureInstallation(services, installation.id, owner);
  if (repository.name === SETTINGS_REPOSITORY) services.orgs.forget(owner);
  const org = await services.orgContext(installation.id);
  const tracked = !repository.archived && isTracked(org.settings, repository.name);
  const readAt = services.now();
  const [read] = tracked
    ? await readRepositories(context.octokit, [{ owner, name: repository.name, rev: after }])
    : [undefined];
  // The signature covers the body, not the delivery id: an old push replayed with a new id, or one GitHub
  // delivers late, names a commit the branch has moved past. Only the push of the head records the branch,
  // so history never goes backwards.
  const overtaken = read?.found && read.found.head !== null && read.found.head !== after;
  if (overtaken) {
    context.log.info(
      { repository: repository.full_name, commit: after, head: read.found?.head },
      "push overtaken by a later one; not recorded",
    );
  }
  // Scored before the transaction and off the event loop: the store and the process stay free for every
  // other organisation meanwhile. Past the time limit (logged), nothing is recorded for the repository;
  // the next push or reconcile scores it again.
  let scored: ScoredRead | undefined;
  if (read?.found && !overtaken) {
    const gate = (await latestGateVerdicts(services.db, installation.id)).find(
      (row) => row.repositoryId === repository.id,
    );
    scored = await scoreRead(services.tracker, installation.id, read.found, readAt, org.frameworks, gate);
  }
  const now = services.now();
  const changes = await services.db.transaction(async (tx) => {
    if (!(await recordDelivery(tx, context.id, context.name))) return 0;
    if (!scored) {
      // Settings may have changed what the report shows, or the repository is not tracked.
      if (repository.name === SETTINGS_REPOSITORY) await markReportDirty(tx, installation.id, now);
      return 0;
    }
    const recorded = await recordRead(tx, installation.id, scored, ref, now);
    if (repository.name === SETTINGS_REPOSITORY) await markReportDirty(tx, installation.id, now);
    return recorded;
  });
  if (scored?.snapshot)
    context.log.info({ repository: repository.full_name, commit: after, changes }, "maturity recorded");
  // New settings may track other repositories (include, exclude) or frameworks: look at all of them again.
  if (repository.name === SETTINGS_REPOSITORY)
    services.background("scan", () => scanInstallation(services, installation.id));
  services.reports.touch(installation.id);
}
