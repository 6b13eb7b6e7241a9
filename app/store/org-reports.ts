// The organisation's maturity report: where its issue lives, what was last rendered, and whether it is stale.
// Renders of one installation never overlap: withReportLock lets one instance render while the others skip.
import { jsonParam, type Db, type Queryable } from "./db.js";

export interface OrgReport {
  installationId: number;
  repoOwner: string | null;
  repoName: string | null;
  issueNumber: number | null;
  /** Continuation issues when the report outgrows one issue body. */
  pageIssueNumbers: number[];
  /** Hash of the last body written, to skip an edit that changes nothing. */
  bodyHash: string | null;
  renderedAt: Date | null;
  /** The levels shown by the last render, to tell what changed since; its reader parses it. */
  lastLevels: unknown;
  /** The earliest change not yet rendered; null when the report is current. */
  dirtySince: Date | null;
}

export type ReportLockResult<T> = { acquired: false } | { acquired: true; value: T };

/** The first key of the two-int advisory lock ("mlgr"); the second is the installation. */
export const REPORT_LOCK_NAMESPACE = 0x6d6c6772;

const ORG_REPORT_COLUMNS = `installation_id as "installationId", repo_owner as "repoOwner",
  repo_name as "repoName", issue_number as "issueNumber", page_issue_numbers as "pageIssueNumbers",
  body_hash as "bodyHash", rendered_at as "renderedAt", last_levels as "lastLevels", dirty_since as "dirtySince"`;

export async function getOrgReport(q: Queryable, installationId: number): Promise<OrgReport | undefined> {
  const rows = await q.query<OrgReport>(
    `select ${ORG_REPORT_COLUMNS} from org_reports where installation_id = $1`,
    [installationId],
  );
  return rows[0];
}

/**
 * The report, created empty if missing, locked until the transaction ends. A renderer reads it this way first, so
 * that a change marked while it renders waits and then marks the report dirty again, instead of being cleared by
 * saveOrgReport after a render that did not see it.
 */
export async function lockOrgReport(q: Queryable, installationId: number): Promise<OrgReport> {
  await q.query("insert into org_reports (installation_id) values ($1) on conflict do nothing", [
    installationId,
  ]);
  const rows = await q.query<OrgReport>(
    `select ${ORG_REPORT_COLUMNS} from org_reports where installation_id = $1 for update`,
    [installationId],
  );
  const report = rows[0];
  if (!report) throw new Error(`org_reports row of installation ${installationId} vanished`);
  return report;
}

/**
 * Stores a render's outcome; the report is current again, unless `rendered` (the generation the render read) is
 * given and a change was marked since: then it stays dirty for the next render.
 */
export async function saveOrgReport(
  q: Queryable,
  report: Omit<OrgReport, "dirtySince">,
  rendered?: number,
): Promise<void> {
  await q.query(
    `insert into org_reports (installation_id, repo_owner, repo_name, issue_number, page_issue_numbers,
       body_hash, rendered_at, last_levels, dirty_since)
     values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb, null)
     on conflict (installation_id) do update set repo_owner = excluded.repo_owner,
       repo_name = excluded.repo_name, issue_number = excluded.issue_number,
       page_issue_numbers = excluded.page_issue_numbers, body_hash = excluded.body_hash,
       rendered_at = excluded.rendered_at, last_levels = excluded.last_levels,
       dirty_since = case when $9::bigint is null or org_reports.dirty_generation = $9::bigint then null
         else org_reports.dirty_since end`,
    [
      report.installationId,
      report.repoOwner,
      report.repoName,
      report.issueNumber,
      jsonParam(report.pageIssueNumbers),
      report.bodyHash,
      report.renderedAt,
      report.lastLevels === null ? null : jsonParam(report.lastLevels),
      rendered ?? null,
    ],
  );
}

/**
 * How many changes were ever marked on the report (0 without a row). A render reads it with the data it shows
 * and hands it to saveOrgReport, which then clears the mark only if no change came while it wrote to GitHub.
 */
export async function reportGeneration(q: Queryable, installationId: number): Promise<number> {
  const rows = await q.query<{ generation: number }>(
    "select dirty_generation as generation from org_reports where installation_id = $1",
    [installationId],
  );
  return rows[0]?.generation ?? 0;
}

/** Notes a change the report does not show yet; an already dirty report keeps its earlier time. */
export async function markReportDirty(q: Queryable, installationId: number, at: Date): Promise<void> {
  await q.query(
    `insert into org_reports (installation_id, dirty_since, dirty_generation) values ($1, $2, 1)
     on conflict (installation_id) do update set dirty_since = coalesce(org_reports.dirty_since, excluded.dirty_since),
       dirty_generation = org_reports.dirty_generation + 1`,
    [installationId, at],
  );
}

/** Installations whose report has been dirty since `before` or earlier (a debounce), oldest first. */
export async function dirtyOrgReports(q: Queryable, before: Date): Promise<number[]> {
  const rows = await q.query<{ installationId: number }>(
    `select installation_id as "installationId" from org_reports
     where dirty_since <= $1 order by dirty_since, installation_id`,
    [before],
  );
  return rows.map((row) => row.installationId);
}

/**
 * Runs `fn(tx)` in a transaction holding the installation's report lock; `{ acquired: false }` without calling
 * `fn` when another transaction holds it. The lock is a transaction-level advisory lock, so it is released by
 * commit, rollback or a dropped connection: a crashed renderer never leaves it behind. The same SQL serves PGlite,
 * where transactions of the one connection take turns and so always acquire it.
 */
export async function withReportLock<T>(
  db: Pick<Db, "transaction">,
  installationId: number,
  fn: (tx: Queryable) => Promise<T>,
): Promise<ReportLockResult<T>> {
  return db.transaction(async (tx): Promise<ReportLockResult<T>> => {
    const [row] = await tx.query<{ acquired: boolean }>(
      "select pg_try_advisory_xact_lock($1::int4, $2::int4) as acquired",
      [REPORT_LOCK_NAMESPACE, reportLockKey(installationId)],
    );
    if (!row?.acquired) return { acquired: false };
    return { acquired: true, value: await fn(tx) };
  });
}

/** The first key of the render lock ("mlgR"), held across a render's transactions and GitHub calls. */
export const RENDER_LOCK_NAMESPACE = 0x6d6c6752;

/**
 * Runs `fn` holding the installation's render lock, outside any transaction: `fn` opens its own short ones and
 * calls GitHub in between, so a slow GitHub holds no connection (PGlite has only one) and no row lock.
 * `{ acquired: false }` without calling `fn` when another render of this installation is under way. The lock
 * goes with its connection (PostgreSQL) or its process (PGlite): a crashed renderer never leaves it behind.
 */
export async function withRenderLock<T>(
  db: Pick<Db, "withLock">,
  installationId: number,
  fn: () => Promise<T>,
): Promise<ReportLockResult<T>> {
  return db.withLock(RENDER_LOCK_NAMESPACE, reportLockKey(installationId), fn);
}

/**
 * The installation id folded into an int4: its low and high 32 bits xor-ed, so ids below 2^31 (all GitHub's so far)
 * map to themselves. Two installations sharing a key would only take turns rendering.
 */
export function reportLockKey(installationId: number): number {
  const high = Math.floor(installationId / 2 ** 32);
  return (installationId ^ high) | 0;
}

/** The report's issues were retired (app/report/retire.ts): the next render starts new ones. */
export async function forgetReportIssues(q: Queryable, installationId: number): Promise<void> {
  await q.query(
    `update org_reports set issue_number = null, page_issue_numbers = '[]'::jsonb, body_hash = null
     where installation_id = $1`,
    [installationId],
  );
}
