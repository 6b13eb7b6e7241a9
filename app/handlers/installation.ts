// Installations and their repositories: installing the App (or adding repositories to it) scans them;
// uninstalling, suspending, renaming, archiving and deleting are recorded. Each delivery's writes share
// one transaction with its delivery id, so a redelivery changes nothing.
import type { Context } from "probot";
import { drainScanBatches, enqueueInstallationScan } from "../tracker.js";
import type { Services } from "../services.js";
import { enqueueScanBatches } from "../store/scan-batches.js";
import { markReportDirty } from "../store/org-reports.js";
import { assumePrivateNamesIn } from "../store/report-issues.js";
import {
  getInstallation,
  markInstallationDeleted,
  markRepositoryDeleted,
  recordDelivery,
  renameRepository,
  setArchived,
  setInstallationSuspended,
  upsertInstallation,
  upsertRepository,
} from "../store/store.js";
import type { Queryable } from "../store/db.js";

interface ListedRepository {
  id: number;
  name: string;
  owner: { login: string };
  private: boolean;
  archived?: boolean;
  default_branch?: string;
}

/** Lists the installation's repositories, stores them, and scans the tracked ones in the background. */
export async function scanInstallation(services: Services, installationId: number): Promise<number> {
  const octokit = await services.octokitFor(installationId);
  const listed = (await octokit.paginate("GET /installation/repositories", {
    per_page: 100,
  })) as ListedRepository[];
  const org = await services.orgContext(installationId);
  const batches = await enqueueInstallationScan(
    services.tracker,
    installationId,
    listed.map((repository) => ({
      id: repository.id,
      installationId,
      owner: repository.owner.login,
      name: repository.name,
      private: repository.private,
      archived: repository.archived ?? false,
      defaultBranch: repository.default_branch ?? "main",
    })),
    org.settings,
  );
  services.background("scan", async () => {
    await drainScanBatches(services.tracker);
    services.reports.touch(installationId);
  });
  return batches;
}

/**
 * An event from an installation the store does not know (the App was down when it was installed, or the
 * store was lost): the installation is recorded and scanned in the background, and the event goes on.
 */
export async function ensureInstallation(
  services: Services,
  installationId: number,
  owner: string,
): Promise<void> {
  if (await getInstallation(services.db, installationId)) return;
  await services.db.transaction((tx) =>
    upsertInstallation(tx, { id: installationId, accountLogin: owner, accountType: "Organization" }),
  );
  services.log.warn(
    { installationId, owner },
    "an installation the store did not know: recorded, and scanned now",
  );
  services.background("scan", () => scanInstallation(services, installationId));
}

/** Runs `write` with the delivery recorded in the same transaction; false (nothing written) for a redelivery. */
async function once(
  services: Services,
  context: Context,
  write: (tx: Queryable) => Promise<void>,
): Promise<boolean> {
  return services.db.transaction(async (tx) => {
    if (!(await recordDelivery(tx, context.id, context.name))) return false;
    await write(tx);
    return true;
  });
}

export async function onInstallation(services: Services, context: Context<"installation">): Promise<void> {
  const { action, installation } = context.payload;
  const account = installation.account as { login?: string; slug?: string; type?: string } | null;
  const now = services.now();
  switch (action) {
    case "created":
    case "new_permissions_accepted":
    case "unsuspend": {
      const fresh = await once(services, context, async (tx) => {
        await upsertInstallation(tx, {
          id: installation.id,
          accountLogin: account?.login ?? account?.slug ?? "",
          accountType: account?.type ?? "Organization",
        });
        await setInstallationSuspended(tx, installation.id, null);
      });
      if (fresh) await scanInstallation(services, installation.id);
      return;
    }
    case "deleted":
      await once(services, context, (tx) => markInstallationDeleted(tx, installation.id, now));
      return;
    case "suspend":
      await once(services, context, (tx) => setInstallationSuspended(tx, installation.id, now));
      return;
    default:
      return;
  }
}

export async function onInstallationRepositories(
  services: Services,
  context: Context<"installation_repositories">,
): Promise<void> {
  const { installation, repositories_added: added, repositories_removed: removed } = context.payload;
  const owner = (installation.account as { login?: string } | null)?.login ?? "";
  await ensureInstallation(services, installation.id, owner);
  const now = services.now();
  const fresh = await once(services, context, async (tx) => {
    for (const repository of removed)
      if (repository.id !== undefined) await markRepositoryDeleted(tx, repository.id, now);
    for (const repository of added) {
      await upsertRepository(tx, {
        id: repository.id,
        installationId: installation.id,
        owner,
        name: repository.name,
        private: repository.private,
        archived: false,
        // Corrected by the scan, which reads the repository itself.
        defaultBranch: "main",
      });
    }
    const ids = added.map((repository) => repository.id);
    const chunks: number[][] = [];
    for (let start = 0; start < ids.length; start += 50) chunks.push(ids.slice(start, start + 50));
    await enqueueScanBatches(tx, installation.id, chunks);
    await markReportDirty(tx, installation.id, now);
  });
  if (!fresh) return;
  services.background("scan", async () => {
    await drainScanBatches(services.tracker);
    services.reports.touch(installation.id);
  });
}

export async function onRepository(services: Services, context: Context<"repository">): Promise<void> {
  const { action, repository, installation } = context.payload;
  if (!installation) return;
  await ensureInstallation(services, installation.id, repository.owner.login);
  const now = services.now();
  const fresh = await once(services, context, async (tx) => {
    switch (action) {
      case "renamed":
        await renameRepository(tx, repository.id, { owner: repository.owner.login, name: repository.name });
        break;
      case "transferred":
        await markRepositoryDeleted(tx, repository.id, now);
        break;
      case "archived":
      case "unarchived":
        await setArchived(tx, repository.id, action === "archived");
        break;
      case "deleted":
        await markRepositoryDeleted(tx, repository.id, now);
        break;
      case "created":
      case "privatized":
      case "publicized":
        await upsertRepository(tx, {
          id: repository.id,
          installationId: installation.id,
          owner: repository.owner.login,
          name: repository.name,
          private: repository.private,
          archived: repository.archived,
          defaultBranch: repository.default_branch,
        });
        if (action === "created") await enqueueScanBatches(tx, installation.id, [[repository.id]]);
        // It was private until now: report issues in it from before the App recorded what they named may name
        // private repositories. The report render that follows retires those that do (app/report/retire.ts).
        if (action === "publicized")
          await assumePrivateNamesIn(tx, installation.id, {
            owner: repository.owner.login,
            name: repository.name,
          });
        break;
      default:
        return;
    }
    await markReportDirty(tx, installation.id, now);
  });
  if (!fresh) return;
  if (action === "created") services.background("scan", () => drainScanBatches(services.tracker));
  services.reports.touch(installation.id);
}
