// Maturity tracking: read repositories from GitHub (50 per GraphQL request), score them with the core in
// the scoring workers, outside any transaction, then record snapshots and level changes in the store, with
// the report marked stale. Scans of whole installations go through the shared scan-batch queue.
import { isDeepStrictEqual } from "node:util";
import { levelChanges } from "../src/maturity/diff.js";
import type { Framework } from "../src/maturity/framework.js";
import type { MaturitySnapshot } from "../src/maturity/score.js";
import type { GateVerdict as ViewGate } from "../src/maturity/view.js";
import {
  readRepositories,
  REPOSITORIES_PER_REQUEST,
  type GraphqlClient,
  type RepositoryRead,
} from "./github/repository-views.js";
import { isTracked, type MaturitySettings } from "./org-settings.js";
import { ScoringTimeLimit, type ScoredRepository, type Scorer } from "./scoring/pool.js";
import type { Db, Queryable } from "./store/db.js";
import {
  insertLevelChanges,
  insertSnapshot,
  latestGateVerdicts,
  latestSnapshot,
  type GateVerdict,
} from "./store/history.js";
import { markReportDirty } from "./store/org-reports.js";
import { claimScanBatch, enqueueScanBatches, finishScanBatch } from "./store/scan-batches.js";
import {
  getRepository,
  markRepositoryDeleted,
  repositoriesOf,
  upsertRepository,
  type Repository,
} from "./store/store.js";

export interface OrgContext {
  settings: MaturitySettings;
  frameworks: readonly Framework[];
}

export interface TrackerDeps {
  db: Db;
  now: () => Date;
  /** An installation's GitHub client (GraphQL and REST). */
  octokitFor(installationId: number): Promise<GraphqlClient>;
  /** The organisation's settings and frameworks, read from its `.github` repository. */
  orgContext(installationId: number): Promise<OrgContext>;
  /** Scores repositories off the event loop, under a time limit. */
  scorer: Scorer;
  log: TrackerLog;
  /** A scan batch is re-claimed by any instance when its worker has not finished within this time. */
  scanLeaseMs: number;
}

export interface TrackerLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

type FoundRepository = NonNullable<RepositoryRead["found"]>;

/** A repository as read, with its snapshot. */
export interface ScoredRead {
  read: FoundRepository;
  /**
   * null for an empty repository (nothing to score); undefined when its scoring failed (logged): the
   * repository itself is still recorded (visibility, archived, default branch), its snapshot is not.
   */
  snapshot: MaturitySnapshot | null | undefined;
  /** When it was read from GitHub: a snapshot taken since then (a later push) is newer, and stays. */
  readAt: Date;
}

/**
 * Scores a read repository in the scoring pool, outside any transaction. Undefined when its scoring ran
 * past the time limit or its worker died: that is logged, naming the repository, and the caller records
 * and publishes nothing for it (a later push or reconcile scores it again).
 */
export async function scoreInPool(
  deps: Pick<TrackerDeps, "scorer" | "log">,
  installationId: number,
  read: FoundRepository,
  frameworks: readonly Framework[],
  gate?: GateVerdict,
): Promise<ScoredRepository | undefined> {
  const view = gate ? { ...read.view, gate: toViewGate(gate) } : read.view;
  try {
    return await deps.scorer.score(installationId, view, frameworks);
  } catch (error) {
    const fields = { repository: `${read.owner}/${read.name}`, commit: read.commit, err: error };
    if (error instanceof ScoringTimeLimit)
      deps.log.warn(fields, "maturity scoring ran past its time limit; this repository is skipped");
    else deps.log.error(fields, "maturity scoring failed; this repository is skipped");
    return undefined;
  }
}

/** scoreInPool for recording: an empty repository needs no scoring. */
export async function scoreRead(
  deps: Pick<TrackerDeps, "scorer" | "log">,
  installationId: number,
  read: FoundRepository,
  readAt: Date,
  frameworks: readonly Framework[],
  gate: GateVerdict | undefined,
): Promise<ScoredRead> {
  if (read.commit === null) return { read, snapshot: null, readAt };
  const scored = await scoreInPool(deps, installationId, read, frameworks, gate);
  return { read, snapshot: scored?.snapshot, readAt };
}

/** A scored repository recorded; returns the number of level changes recorded. */
export async function recordRead(
  tx: Queryable,
  installationId: number,
  { read, snapshot, readAt }: ScoredRead,
  ref: string,
  now: Date,
): Promise<number> {
  await upsertRepository(tx, {
    id: read.id,
    installationId,
    owner: read.owner,
    name: read.name,
    private: read.private,
    archived: read.archived,
    defaultBranch: read.defaultBranch,
  });
  // An empty repository (nothing to score yet), or one whose scoring failed.
  if (read.commit === null || !snapshot) return 0;
  const previous = await latestSnapshot(tx, read.id);
  // Read after this one (a push recorded while a scan scored): that snapshot is newer, and history never
  // goes backwards.
  if (previous && previous.takenAt.getTime() > readAt.getTime()) return 0;
  const before = previous?.data as MaturitySnapshot | undefined;
  // A reconcile of an unchanged repository, or the same push delivered again under another id, records
  // nothing new. The stored snapshot comes back from jsonb with its keys reordered and without undefined
  // fields, so it is compared as data, not as text.
  if (
    previous &&
    previous.commitSha === read.commit &&
    isDeepStrictEqual(before, JSON.parse(JSON.stringify(snapshot)))
  )
    return 0;
  const snapshotId = await insertSnapshot(tx, {
    repositoryId: read.id,
    commitSha: read.commit,
    ref,
    // When the repository was read, not when this was written: what orders reads of one repository.
    takenAt: readAt,
    framework: snapshot.framework,
    overallLevel: snapshot.overall.level,
    overallScore: snapshot.overall.score,
    assessedAt: snapshot.assessedAt,
    problem: snapshot.problem,
    data: snapshot,
  });
  const changes = levelChanges(before, snapshot);
  await insertLevelChanges(
    tx,
    changes.map((change) => ({
      repositoryId: read.id,
      snapshotId,
      commitSha: read.commit as string,
      changedAt: now,
      framework: snapshot.framework,
      scope: change.scope,
      subject: change.scope === "overall" ? snapshot.framework : change.subject,
      fromLevel: change.from,
      toLevel: change.to,
    })),
  );
  await markReportDirty(tx, installationId, now);
  return changes.length;
}

function toViewGate(gate: GateVerdict): ViewGate {
  const summary = gate.summary as { dimensions?: unknown } | null;
  const dimensions = Array.isArray(summary?.dimensions)
    ? summary.dimensions.filter((name): name is string => typeof name === "string")
    : [];
  return { status: gate.status, commit: gate.commitSha, createdAt: gate.createdAt.toISOString(), dimensions };
}

/**
 * Starts a scan of an installation: every repository GitHub lists for it is stored, the tracked ones are
 * queued in batches of 50, and repositories no longer listed are marked deleted. Returns the batch count.
 */
export async function enqueueInstallationScan(
  deps: TrackerDeps,
  installationId: number,
  listed: readonly Omit<Repository, "deletedAt" | "updatedAt">[],
  settings: MaturitySettings,
): Promise<number> {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const known = await repositoriesOf(tx, installationId);
    const listedIds = new Set(listed.map((repository) => repository.id));
    for (const repository of known) {
      if (!listedIds.has(repository.id)) await markRepositoryDeleted(tx, repository.id, now);
    }
    for (const repository of listed) await upsertRepository(tx, repository);
    const tracked = listed.filter(
      (repository) => !repository.archived && isTracked(settings, repository.name),
    );
    const chunks: number[][] = [];
    for (let start = 0; start < tracked.length; start += REPOSITORIES_PER_REQUEST) {
      chunks.push(tracked.slice(start, start + REPOSITORIES_PER_REQUEST).map((repository) => repository.id));
    }
    await enqueueScanBatches(tx, installationId, chunks);
    await markReportDirty(tx, installationId, now);
    return chunks.length;
  });
}

/** Works through queued scan batches until none is left to claim; returns how many it processed. */
export async function drainScanBatches(deps: TrackerDeps): Promise<number> {
  let processed = 0;
  for (;;) {
    const batch = await deps.db.transaction((tx) => claimScanBatch(tx, deps.scanLeaseMs, deps.now()));
    if (!batch) return processed;
    await scanBatch(deps, batch.installationId, batch.repositoryIds);
    await deps.db.transaction((tx) => finishScanBatch(tx, batch.id));
    processed++;
  }
}

async function scanBatch(
  deps: TrackerDeps,
  installationId: number,
  repositoryIds: readonly number[],
): Promise<void> {
  const repositories = await deps.db.transaction(async (tx) => {
    const rows: Repository[] = [];
    for (const id of repositoryIds) {
      const repository = await getRepository(tx, id);
      if (repository && repository.deletedAt === null) rows.push(repository);
    }
    return rows;
  });
  if (repositories.length === 0) return;
  const [octokit, org] = await Promise.all([
    deps.octokitFor(installationId),
    deps.orgContext(installationId),
  ]);
  const readAt = deps.now();
  const reads = await readRepositories(
    octokit,
    repositories.map((repository) => ({ owner: repository.owner, name: repository.name })),
  );
  const gates = new Map<number, GateVerdict>();
  for (const gate of await latestGateVerdicts(deps.db, installationId)) gates.set(gate.repositoryId, gate);
  // Scored one by one before the transaction: a slow repository holds no lock and no connection.
  const scored: ScoredRead[] = [];
  for (const read of reads) {
    if (!read.found) continue;
    scored.push(
      await scoreRead(deps, installationId, read.found, readAt, org.frameworks, gates.get(read.found.id)),
    );
  }
  await deps.db.transaction(async (tx) => {
    const now = deps.now();
    for (const [index, read] of reads.entries()) {
      if (!read.found) await markRepositoryDeleted(tx, (repositories[index] as Repository).id, now);
    }
    for (const each of scored) {
      await recordRead(tx, installationId, each, `refs/heads/${each.read.defaultBranch}`, now);
    }
  });
}
