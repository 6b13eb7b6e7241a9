// The maturity history of repositories: snapshots of an assessment at a commit, the level changes between two
// snapshots, and release-gate verdicts per workflow run. Rows are only ever added.
import { jsonParam, type Queryable } from "./db.js";

export interface NewSnapshot {
  repositoryId: number;
  commitSha: string;
  ref: string;
  takenAt: Date;
  framework: string;
  overallLevel: number | null;
  overallScore: number | null;
  /** The assessment's own date, as written in the file. */
  assessedAt: string | null;
  /** Why the assessment could not be evaluated (unreadable file, unknown framework), or null. */
  problem: string | null;
  /** The evaluated assessment; its reader parses it with its schema. */
  data: unknown;
}

export interface Snapshot extends NewSnapshot {
  id: number;
}

/** A row of a per-installation list, with the repository's current name. */
export type Named<T> = T & { owner: string; name: string };

export type LevelScope = "topic" | "area" | "overall";

export interface NewLevelChange {
  repositoryId: number;
  snapshotId: number;
  commitSha: string;
  changedAt: Date;
  framework: string;
  scope: LevelScope;
  /** The topic or area id; the framework id for the overall level. */
  subject: string;
  fromLevel: number | null;
  toLevel: number | null;
}

export interface LevelChange extends NewLevelChange {
  id: number;
}

export interface NewGateVerdict {
  repositoryId: number;
  commitSha: string;
  runId: number;
  status: string;
  summary: unknown;
  createdAt: Date;
}

export interface GateVerdict extends NewGateVerdict {
  id: number;
}

const SNAPSHOT_COLUMNS = `s.id, s.repository_id as "repositoryId", s.commit_sha as "commitSha", s.ref,
  s.taken_at as "takenAt", s.framework, s.overall_level as "overallLevel", s.overall_score as "overallScore",
  s.assessed_at as "assessedAt", s.problem, s.data`;

const LEVEL_CHANGE_COLUMNS = `c.id, c.repository_id as "repositoryId", c.snapshot_id as "snapshotId",
  c.commit_sha as "commitSha", c.changed_at as "changedAt", c.framework, c.scope, c.subject,
  c.from_level as "fromLevel", c.to_level as "toLevel"`;

const GATE_VERDICT_COLUMNS = `v.id, v.repository_id as "repositoryId", v.commit_sha as "commitSha",
  v.run_id as "runId", v.status, v.summary, v.created_at as "createdAt"`;

/** Returns the new snapshot's id. */
export async function insertSnapshot(q: Queryable, snapshot: NewSnapshot): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `insert into snapshots (repository_id, commit_sha, ref, taken_at, framework, overall_level, overall_score,
       assessed_at, problem, data)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb) returning id`,
    [
      snapshot.repositoryId,
      snapshot.commitSha,
      snapshot.ref,
      snapshot.takenAt,
      snapshot.framework,
      snapshot.overallLevel,
      snapshot.overallScore,
      snapshot.assessedAt,
      snapshot.problem,
      jsonParam(snapshot.data),
    ],
  );
  return firstId(rows);
}

/** The repository's most recently recorded snapshot. */
export async function latestSnapshot(q: Queryable, repositoryId: number): Promise<Snapshot | undefined> {
  const rows = await q.query<Snapshot>(
    `select ${SNAPSHOT_COLUMNS} from snapshots s where s.repository_id = $1 order by s.id desc limit 1`,
    [repositoryId],
  );
  return rows[0];
}

/** The newest snapshot of each live repository of the installation, by owner and name. */
export async function latestSnapshots(q: Queryable, installationId: number): Promise<Named<Snapshot>[]> {
  return q.query<Named<Snapshot>>(
    `select * from (
       select distinct on (s.repository_id) ${SNAPSHOT_COLUMNS}, r.owner, r.name
       from snapshots s join repositories r on r.id = s.repository_id
       where r.installation_id = $1 and r.deleted_at is null
       order by s.repository_id, s.id desc
     ) newest order by owner, name`,
    [installationId],
  );
}

/** Adds the rows in one statement; nothing for an empty list. */
export async function insertLevelChanges(q: Queryable, rows: readonly NewLevelChange[]): Promise<void> {
  if (rows.length === 0) return;
  // One jsonb parameter rather than arrays: PGlite and pg serialise array parameters differently, JSON the same.
  await q.query(
    `insert into level_changes (repository_id, snapshot_id, commit_sha, changed_at, framework, scope, subject,
       from_level, to_level)
     select "repositoryId", "snapshotId", "commitSha", "changedAt", framework, scope, subject, "fromLevel", "toLevel"
     from jsonb_to_recordset($1::jsonb) as r("repositoryId" bigint, "snapshotId" bigint, "commitSha" text,
       "changedAt" timestamptz, framework text, scope text, subject text, "fromLevel" integer, "toLevel" integer)`,
    [jsonParam(rows)],
  );
}

/** Level changes of the installation's live repositories at or after `since`, oldest first. */
export async function levelChangesSince(
  q: Queryable,
  installationId: number,
  since: Date,
): Promise<Named<LevelChange>[]> {
  return q.query<Named<LevelChange>>(
    `select ${LEVEL_CHANGE_COLUMNS}, r.owner, r.name
     from level_changes c join repositories r on r.id = c.repository_id
     where r.installation_id = $1 and r.deleted_at is null and c.changed_at >= $2
     order by c.changed_at, c.id`,
    [installationId, since],
  );
}

/** False when a verdict for this repository and workflow run is already recorded (a rerun or a redelivery). */
export async function recordGateVerdict(q: Queryable, verdict: NewGateVerdict): Promise<boolean> {
  const rows = await q.query(
    `insert into gate_verdicts (repository_id, commit_sha, run_id, status, summary, created_at)
     values ($1, $2, $3, $4, $5::jsonb, $6)
     on conflict (repository_id, run_id) do nothing returning id`,
    [
      verdict.repositoryId,
      verdict.commitSha,
      verdict.runId,
      verdict.status,
      jsonParam(verdict.summary),
      verdict.createdAt,
    ],
  );
  return rows.length > 0;
}

/** The newest verdict of each live repository of the installation, by owner and name. */
export async function latestGateVerdicts(
  q: Queryable,
  installationId: number,
): Promise<Named<GateVerdict>[]> {
  return q.query<Named<GateVerdict>>(
    `select * from (
       select distinct on (v.repository_id) ${GATE_VERDICT_COLUMNS}, r.owner, r.name
       from gate_verdicts v join repositories r on r.id = v.repository_id
       where r.installation_id = $1 and r.deleted_at is null
       order by v.repository_id, v.created_at desc, v.id desc
     ) newest order by owner, name`,
    [installationId],
  );
}

function firstId(rows: readonly { id: number }[]): number {
  const row = rows[0];
  if (!row) throw new Error("insert … returning id returned no row");
  return row.id;
}
