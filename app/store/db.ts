// One database handle for the app: embedded PGlite in a data directory (one process) or PostgreSQL at DATABASE_URL
// (several instances). Opening migrates. Both return the same shapes: int8 as number, timestamptz as Date, jsonb parsed.
import { resolve } from "node:path";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import pg from "pg";
import type { PoolClient } from "pg";
import { acquireDirLock } from "./dir-lock.js";
import { applyMigrations, type MigrationSession, type ScriptRunner } from "./migrations.js";
import { StoreError } from "./store-error.js";

export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Query through `tx` only:
   * PGlite has one connection, so a query on the Db itself waits for the transaction to end, forever.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` holding a named lock that outlives transactions (so that slow work, such as GitHub calls, runs
   * outside any transaction); `{ acquired: false }` without calling `fn` when someone else holds it. PostgreSQL:
   * a session advisory lock on a connection of its own, gone with that connection; PGlite (one process): in memory.
   */
  withLock<T>(namespace: number, key: number, fn: () => Promise<T>): Promise<LockResult<T>>;
  close(): Promise<void>;
}

export type LockResult<T> = { acquired: false } | { acquired: true; value: T };

export interface OpenDbOptions {
  /** PostgreSQL when set and not empty; may carry `?options=-c search_path=…` to use another schema. */
  databaseUrl?: string | undefined;
  /** PGlite's data directory when there is no databaseUrl; created if missing. */
  dataDir?: string | undefined;
  /** An idle pooled PostgreSQL connection failed (server restart). The next query reconnects; default: ignore. */
  onPoolError?: ((error: Error) => void) | undefined;
}

export const DEFAULT_DATA_DIR = ".data";

const INT8_OID = 20;
// Without a bound, connecting to an unreachable host waits for the operating system's TCP timeout (minutes).
const CONNECT_TIMEOUT_MS = 10_000;

export async function openDb(options: OpenDbOptions = {}): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.onPoolError ?? (() => undefined));
  return openPglite(options.dataDir ?? DEFAULT_DATA_DIR);
}

/** JSON text for a jsonb parameter (`$1::jsonb`): pg would send a JS array as a Postgres array literal. */
export function jsonParam(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError("a jsonb value must be JSON, not undefined or a function");
  return text;
}

/** GitHub ids fit in 2^53; a larger int8 is a bug to surface, not to round silently or turn into a BigInt. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`int8 value ${text} does not fit in a JavaScript number`);
  }
  return value;
}

async function openPglite(dataDir: string): Promise<Db> {
  const lock = acquireDirLock(dataDir);
  let pglite: PGlite | undefined;
  try {
    pglite = await PGlite.create({ dataDir: resolve(dataDir), parsers: { [INT8_OID]: parseInt8 } });
    await applyMigrations(pgliteSession(pglite));
  } catch (error) {
    await pglite?.close().catch(() => undefined);
    lock.release();
    throw error;
  }
  const db = pglite;
  const held = new Set<string>();
  return {
    kind: "pglite",
    ...pgliteSession(db),
    async withLock<T>(namespace: number, key: number, fn: () => Promise<T>): Promise<LockResult<T>> {
      const name = `${namespace}:${key}`;
      if (held.has(name)) return { acquired: false };
      held.add(name);
      try {
        return { acquired: true, value: await fn() };
      } finally {
        held.delete(name);
      }
    },
    close: once(async () => {
      try {
        await db.close();
      } finally {
        lock.release();
      }
    }),
  };
}

function pgliteSession(db: PGlite): MigrationSession {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    transaction: (fn) => db.transaction((tx) => fn(pgliteRunner(tx))),
  };
}

function pgliteRunner(tx: Transaction): ScriptRunner {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await tx.query<T>(sql, params)).rows;
    },
    async exec(sql) {
      await tx.exec(sql);
    },
  };
}

async function openPostgres(databaseUrl: string, onPoolError: (error: Error) => void): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Per pool, not pg.types.setTypeParser: no process-wide side effect on other pg users.
    types: {
      getTypeParser: (oid, format) => (oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)),
    },
  });
  pool.on("error", onPoolError);
  try {
    await migrate(pool, databaseUrl);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    kind: "postgres",
    async query<T>(sql: string, params?: unknown[]) {
      return (await pool.query(sql, params)).rows as T[];
    },
    transaction: (fn) => transaction(pool, databaseUrl, fn),
    withLock: (namespace, key, fn) => sessionLock(pool, databaseUrl, namespace, key, fn),
    close: once(() => pool.end()),
  };
}

/** On one client: the advisory lock is a session's. After a failure the client is destroyed, lock and all. */
async function migrate(pool: pg.Pool, databaseUrl: string): Promise<void> {
  const checkout = await checkOut(pool, databaseUrl);
  let failure: Error | undefined;
  try {
    await applyMigrations(clientSession(checkout.client));
  } catch (error) {
    failure = asError(error);
    throw error;
  } finally {
    checkout.release(failure);
  }
}

async function transaction<T>(
  pool: pg.Pool,
  databaseUrl: string,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const checkout = await checkOut(pool, databaseUrl);
  let broken: Error | undefined;
  try {
    return await inTransaction(checkout.client, fn, (error) => (broken = error));
  } finally {
    checkout.release(broken);
  }
}

async function sessionLock<T>(
  pool: pg.Pool,
  databaseUrl: string,
  namespace: number,
  key: number,
  fn: () => Promise<T>,
): Promise<LockResult<T>> {
  const checkout = await checkOut(pool, databaseUrl);
  let broken: Error | undefined;
  try {
    const { rows } = await checkout.client.query<{ acquired: boolean }>(
      "select pg_try_advisory_lock($1::int4, $2::int4) as acquired",
      [namespace, key],
    );
    if (!rows[0]?.acquired) return { acquired: false };
    try {
      return { acquired: true, value: await fn() };
    } finally {
      // A connection that cannot unlock is destroyed, and its lock with it.
      await checkout.client
        .query("select pg_advisory_unlock($1::int4, $2::int4)", [namespace, key])
        .catch((error: unknown) => (broken = asError(error)));
    }
  } finally {
    checkout.release(broken);
  }
}

interface Checkout {
  client: PoolClient;
  /** Back to the pool, or destroyed when `failure` is given or the connection was lost meanwhile. */
  release(failure?: Error): void;
}

async function checkOut(pool: pg.Pool, databaseUrl: string): Promise<Checkout> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw new StoreError(
      "store.unreachable",
      `Could not connect to PostgreSQL at ${describeUrl(databaseUrl)}: ${messageOf(error)}. ` +
        `Check DATABASE_URL and that the server is running, or leave DATABASE_URL unset to use embedded PGlite.`,
      { cause: error },
    );
  }
  // The pool listens for errors of idle clients only: without this, a connection that drops while checked out
  // (server restart, pg_terminate_backend) is an uncaught 'error' event, which ends the process.
  let lost: Error | undefined;
  const onError = (error: Error) => (lost = error);
  client.on("error", onError);
  return {
    client,
    release(failure) {
      client.off("error", onError);
      client.release(failure ?? lost);
    },
  };
}

async function inTransaction<T>(
  client: PoolClient,
  fn: (tx: Queryable) => Promise<T>,
  onBroken: (error: Error) => void = () => undefined,
): Promise<T> {
  try {
    await client.query("begin");
    const value = await fn(clientRunner(client));
    await client.query("commit");
    return value;
  } catch (error) {
    // A rollback that fails means the connection is broken: say so, and let the original error stand.
    await client.query("rollback").catch((rollbackError: unknown) => onBroken(asError(rollbackError)));
    throw error;
  }
}

function clientSession(client: PoolClient): MigrationSession {
  return {
    ...clientRunner(client),
    transaction: (fn) => inTransaction(client, () => fn(clientRunner(client))),
  };
}

function clientRunner(client: PoolClient): ScriptRunner {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(sql) {
      // Without parameters pg uses the simple protocol, which runs a script of several statements.
      await client.query(sql);
    },
  };
}

/** Host, port and database only: the URL may carry a password. */
function describeUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || "5432"}${url.pathname}`;
  } catch {
    return "DATABASE_URL (not a valid URL)";
  }
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(messageOf).join("; ");
  }
  return error instanceof Error ? error.message || error.name : String(error);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}
