// The schema, as ordered plain-SQL migrations that run unchanged on PGlite and PostgreSQL. The SQL lives in TS
// strings so the bundle carries it. Never edit an applied migration: add the next one.
import type { Queryable } from "./db.js";

export interface Migration {
  readonly id: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    id: "001_init",
    sql: `
create table installations (
  id bigint primary key,
  account_login text not null,
  account_type text not null,
  created_at timestamptz not null default now(),
  suspended_at timestamptz,
  deleted_at timestamptz
);

create table repositories (
  id bigint primary key,
  installation_id bigint not null references installations (id),
  owner text not null,
  name text not null,
  private boolean not null,
  archived boolean not null default false,
  default_branch text not null,
  deleted_at timestamptz,
  updated_at timestamptz not null default now()
);
create index repositories_installation_id on repositories (installation_id);

create table snapshots (
  id bigserial primary key,
  repository_id bigint not null references repositories (id),
  commit_sha text not null,
  ref text not null,
  taken_at timestamptz not null,
  framework text not null,
  overall_level integer,
  overall_score double precision,
  assessed_at text,
  problem text,
  data jsonb not null
);
create index snapshots_repository_newest on snapshots (repository_id, id desc);

create table level_changes (
  id bigserial primary key,
  repository_id bigint not null references repositories (id),
  snapshot_id bigint not null references snapshots (id),
  commit_sha text not null,
  changed_at timestamptz not null,
  framework text not null,
  scope text not null check (scope in ('topic', 'area', 'overall')),
  subject text not null,
  from_level integer,
  to_level integer
);
create index level_changes_repository_changed on level_changes (repository_id, changed_at);

create table gate_verdicts (
  id bigserial primary key,
  repository_id bigint not null references repositories (id),
  commit_sha text not null,
  run_id bigint not null,
  status text not null,
  summary jsonb not null,
  created_at timestamptz not null,
  unique (repository_id, run_id)
);

create table deliveries (
  id text primary key,
  event text not null,
  received_at timestamptz not null default now()
);

create table org_reports (
  installation_id bigint primary key references installations (id),
  repo_owner text,
  repo_name text,
  issue_number integer,
  page_issue_numbers jsonb not null default '[]',
  body_hash text,
  rendered_at timestamptz,
  last_levels jsonb,
  dirty_since timestamptz
);

create table scan_batches (
  id bigserial primary key,
  installation_id bigint not null,
  repository_ids jsonb not null,
  state text not null default 'pending' check (state in ('pending', 'running', 'done')),
  lease_until timestamptz,
  attempts integer not null default 0,
  created_at timestamptz not null default now()
);
create index scan_batches_state on scan_batches (state);
`,
  },
  {
    id: "002_report_generation",
    // Counts the changes marked on a report, so that a render whose GitHub calls ran outside any transaction
    // clears the mark only when nothing changed meanwhile.
    sql: `alter table org_reports add column dirty_generation bigint not null default 0;`,
  },
  {
    id: "003_report_issues",
    // Every issue the App ever wrote the org report in, and whether some version of it named a private repository:
    // GitHub keeps an issue's edit history, so such an issue must be retired when its repository turns public.
    // Issues of reports written before this migration are listed with named_private unknown (null).
    sql: `
create table report_issues (
  installation_id bigint not null references installations (id),
  repo_owner text not null,
  repo_name text not null,
  issue_number integer not null,
  named_private boolean,
  retired_at timestamptz,
  primary key (installation_id, repo_owner, repo_name, issue_number)
);

insert into report_issues (installation_id, repo_owner, repo_name, issue_number)
select installation_id, repo_owner, repo_name, issue_number from org_reports
  where repo_owner is not null and repo_name is not null and issue_number is not null
union
select installation_id, repo_owner, repo_name, page.number::integer
  from org_reports cross join lateral jsonb_array_elements_text(page_issue_numbers) as page (number)
  where repo_owner is not null and repo_name is not null;
`,
  },
];

/** The advisory lock key (one-bigint form, "mlgm") that serialises migrations of instances starting together. */
export const MIGRATION_LOCK_KEY = 0x6d6c676d;

/**
 * One database connection: a session advisory lock belongs to a connection, so the lock, every migration and the
 * unlock must go through the same one.
 */
export interface MigrationSession extends Queryable {
  transaction<T>(fn: (tx: ScriptRunner) => Promise<T>): Promise<T>;
}

/** Runs a script of several statements (the extended protocol that parameters need allows only one). */
export interface ScriptRunner extends Queryable {
  exec(sql: string): Promise<void>;
}

/**
 * Applies the migrations not yet recorded in schema_migrations, in order, each in its own transaction, under a
 * session advisory lock so that instances starting together wait for one another. Returns the ids it applied.
 */
export async function applyMigrations(
  session: MigrationSession,
  list: readonly Migration[] = migrations,
): Promise<string[]> {
  await session.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
  const unlock = () => session.query(`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
  let applied: string[];
  try {
    applied = await applyUnlocked(session, list);
  } catch (error) {
    // Keep the migration's error, not a second one from a broken connection (whose lock dies with it anyway).
    await unlock().catch(() => undefined);
    throw error;
  }
  await unlock();
  return applied;
}

async function applyUnlocked(session: MigrationSession, list: readonly Migration[]): Promise<string[]> {
  await session.query(
    "create table if not exists schema_migrations (id text primary key, applied_at timestamptz not null)",
  );
  const rows = await session.query<{ id: string }>("select id from schema_migrations");
  const done = new Set(rows.map((row) => row.id));
  const applied: string[] = [];
  for (const migration of list) {
    if (done.has(migration.id)) continue;
    await session.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.query("insert into schema_migrations (id, applied_at) values ($1, now())", [migration.id]);
    });
    applied.push(migration.id);
  }
  return applied;
}
