// What GitHub told us about installations and repositories, and which webhook deliveries we have handled.
// Functions take a Queryable so the caller can run several of them, and recordDelivery, in one transaction.
import type { Queryable } from "./db.js";

export interface Installation {
  id: number;
  accountLogin: string;
  accountType: string;
  createdAt: Date;
  suspendedAt: Date | null;
  deletedAt: Date | null;
}

export interface Repository {
  id: number;
  installationId: number;
  owner: string;
  name: string;
  private: boolean;
  archived: boolean;
  defaultBranch: string;
  deletedAt: Date | null;
  updatedAt: Date;
}

export type RepositoryFields = Omit<Repository, "deletedAt" | "updatedAt">;

const INSTALLATION_COLUMNS = `id, account_login as "accountLogin", account_type as "accountType",
  created_at as "createdAt", suspended_at as "suspendedAt", deleted_at as "deletedAt"`;

const REPOSITORY_COLUMNS = `id, installation_id as "installationId", owner, name, private, archived,
  default_branch as "defaultBranch", deleted_at as "deletedAt", updated_at as "updatedAt"`;

/**
 * Records a webhook delivery id; false when it was seen before. Call it first, in the transaction that writes the
 * delivery's data, and write nothing when it returns false: a redelivery then changes nothing, and a delivery
 * whose transaction failed is not recorded, so GitHub's redelivery is processed.
 */
export async function recordDelivery(q: Queryable, id: string, event: string): Promise<boolean> {
  const rows = await q.query(
    "insert into deliveries (id, event) values ($1, $2) on conflict (id) do nothing returning id",
    [id, event],
  );
  return rows.length > 0;
}

/** Creates or refreshes an installation; a reinstalled one is no longer deleted. */
export async function upsertInstallation(
  q: Queryable,
  installation: Pick<Installation, "id" | "accountLogin" | "accountType">,
): Promise<void> {
  await q.query(
    `insert into installations (id, account_login, account_type) values ($1, $2, $3)
     on conflict (id) do update set account_login = excluded.account_login,
       account_type = excluded.account_type, deleted_at = null`,
    [installation.id, installation.accountLogin, installation.accountType],
  );
}

export async function getInstallation(q: Queryable, id: number): Promise<Installation | undefined> {
  const rows = await q.query<Installation>(
    `select ${INSTALLATION_COLUMNS} from installations where id = $1`,
    [id],
  );
  return rows[0];
}

/** `at` when GitHub suspended the installation, null when it was unsuspended. */
export async function setInstallationSuspended(q: Queryable, id: number, at: Date | null): Promise<void> {
  await q.query("update installations set suspended_at = $2 where id = $1", [id, at]);
}

/** Marks the installation and its repositories deleted; their history stays. */
export async function markInstallationDeleted(q: Queryable, id: number, at: Date): Promise<void> {
  // One statement, so that it is atomic even outside a transaction.
  await q.query(
    `with installation as (update installations set deleted_at = $2 where id = $1)
     update repositories set deleted_at = $2, updated_at = now() where installation_id = $1 and deleted_at is null`,
    [id, at],
  );
}

/** Creates or refreshes a repository by id (a transfer may move it to another installation); it is live again. */
export async function upsertRepository(q: Queryable, repository: RepositoryFields): Promise<void> {
  await q.query(
    `insert into repositories (id, installation_id, owner, name, private, archived, default_branch)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (id) do update set installation_id = excluded.installation_id, owner = excluded.owner,
       name = excluded.name, private = excluded.private, archived = excluded.archived,
       default_branch = excluded.default_branch, deleted_at = null, updated_at = now()`,
    [
      repository.id,
      repository.installationId,
      repository.owner,
      repository.name,
      repository.private,
      repository.archived,
      repository.defaultBranch,
    ],
  );
}

/** A rename or a transfer; false when the repository is unknown. */
export async function renameRepository(
  q: Queryable,
  id: number,
  to: { owner: string; name: string },
): Promise<boolean> {
  const rows = await q.query(
    "update repositories set owner = $2, name = $3, updated_at = now() where id = $1 returning id",
    [id, to.owner, to.name],
  );
  return rows.length > 0;
}

/** False when the repository is unknown. */
export async function setArchived(q: Queryable, id: number, archived: boolean): Promise<boolean> {
  const rows = await q.query(
    "update repositories set archived = $2, updated_at = now() where id = $1 returning id",
    [id, archived],
  );
  return rows.length > 0;
}

/** Hides the repository from the live lists; its snapshots and verdicts stay. False when it is unknown. */
export async function markRepositoryDeleted(q: Queryable, id: number, at: Date): Promise<boolean> {
  const rows = await q.query(
    "update repositories set deleted_at = $2, updated_at = now() where id = $1 returning id",
    [id, at],
  );
  return rows.length > 0;
}

export async function getRepository(q: Queryable, id: number): Promise<Repository | undefined> {
  const rows = await q.query<Repository>(`select ${REPOSITORY_COLUMNS} from repositories where id = $1`, [
    id,
  ]);
  return rows[0];
}

/** The installation's repositories by owner and name; live ones only unless `includeDeleted`. */
export async function repositoriesOf(
  q: Queryable,
  installationId: number,
  options: { includeDeleted?: boolean } = {},
): Promise<Repository[]> {
  return q.query<Repository>(
    `select ${REPOSITORY_COLUMNS} from repositories
     where installation_id = $1 and ($2 or deleted_at is null)
     order by owner, name, id`,
    [installationId, options.includeDeleted ?? false],
  );
}
