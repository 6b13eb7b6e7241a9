// The real PostgreSQL on this machine (127.0.0.1:5432, trust auth, database `test`; .ci/run starts it),
// and a schema of its own per test so test files running in parallel never meet.
import { randomBytes } from "node:crypto";
import pg from "pg";

export const POSTGRES_URL = process.env.MLGATE_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A schema of its own, reached through the URL's search_path, dropped afterwards. */
export function freshSchema(prefix = "test"): {
  url: string;
  create(): Promise<void>;
  drop(): Promise<void>;
} {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = (sql: string) => withAdmin((client) => client.query(sql));
  return {
    url: `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${name}`)}`,
    create: async () => void (await admin(`create schema ${name}`)),
    drop: async () => void (await admin(`drop schema ${name} cascade`)),
  };
}

export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
