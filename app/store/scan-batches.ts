// A work queue of repository scans, shared by all instances: an installation's repositories are enqueued in
// chunks, each claimed under a lease; a batch whose worker died is claimed again when its lease expires.
import { jsonParam, type Queryable } from "./db.js";

export interface ScanBatch {
  id: number;
  installationId: number;
  repositoryIds: number[];
  /** Claims so far, this one included: more than one means an earlier worker lost its lease. */
  attempts: number;
}

/** One pending batch per chunk, in order; returns their ids. */
export async function enqueueScanBatches(
  q: Queryable,
  installationId: number,
  repoIdChunks: readonly (readonly number[])[],
): Promise<number[]> {
  if (repoIdChunks.length === 0) return [];
  const rows = await q.query<{ id: number }>(
    `insert into scan_batches (installation_id, repository_ids)
     select $1, chunk from jsonb_array_elements($2::jsonb) with ordinality as c(chunk, n) order by n
     returning id`,
    [installationId, jsonParam(repoIdChunks)],
  );
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

/**
 * Claims the oldest pending batch, or a running one whose lease has expired, until `now + leaseMs`; undefined when
 * there is none. SKIP LOCKED makes concurrent claimers (other instances) pass over a row being claimed instead of
 * waiting for it and then claiming it a second time.
 */
export async function claimScanBatch(
  q: Queryable,
  leaseMs: number,
  now: Date,
): Promise<ScanBatch | undefined> {
  const rows = await q.query<ScanBatch>(
    `update scan_batches set state = 'running', lease_until = $2, attempts = attempts + 1
     where id = (
       select id from scan_batches
       where state = 'pending' or (state = 'running' and lease_until <= $1)
       order by id limit 1 for update skip locked
     )
     returning id, installation_id as "installationId", repository_ids as "repositoryIds", attempts`,
    [now, new Date(now.getTime() + leaseMs)],
  );
  return rows[0];
}

export async function finishScanBatch(q: Queryable, id: number): Promise<void> {
  await q.query("update scan_batches set state = 'done', lease_until = null where id = $1", [id]);
}
