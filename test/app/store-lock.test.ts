// One process per PGlite data directory, checked with real second processes. Node 20 cannot import TypeScript,
// so the test bundles app/store/db.ts with esbuild into a temp directory (packages stay external, resolved through
// a node_modules symlink) and each child runs that bundle: the code under test, not a stand-in for it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { build } from "esbuild";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../../app/store/db.js";
import { acquireDirLock, LOCK_FILE } from "../../app/store/dir-lock.js";
import { StoreError } from "../../app/store/store-error.js";
import { getInstallation, upsertInstallation } from "../../app/store/store.js";

// Prints "opened" and holds the directory until its stdin closes, or prints the error it got and exits 3.
const CHILD = `
import { pathToFileURL } from "node:url";
const [bundle, dataDir] = process.argv.slice(1);
const { openDb } = await import(pathToFileURL(bundle).href);
try {
  const db = await openDb({ dataDir });
  console.log("opened");
  process.stdin.on("end", async () => { await db.close(); process.exit(0); });
  process.stdin.resume();
} catch (error) {
  console.log(JSON.stringify({ code: error.code, message: error.message }));
  process.exit(3);
}`;

let workDir: string;
let bundle: string;
let dataDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "mlgate-store-lock-"));
  await symlink(fromRepo("node_modules"), join(workDir, "node_modules"), "dir");
  bundle = join(workDir, "db.mjs");
  await build({
    entryPoints: [fromRepo("app/store/db.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "warning",
  });
  dataDir = join(workDir, "data");
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const children: ChildProcess[] = [];

// A child left holding the directory by a failed test would outlive it.
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill();
});

function fromRepo(path: string): string {
  return fileURLToPath(new URL(`../../${path}`, import.meta.url));
}

interface Child {
  process: ChildProcess;
  /** The first line the child printed. */
  said: Promise<string>;
  exited: Promise<number | null>;
}

function startChild(directory: string): Child {
  const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD, bundle, directory], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  const said = new Promise<string>((resolveLine, reject) => {
    lines.once("line", resolveLine);
    child.once("exit", (code) => reject(new Error(`child exited with ${code} before saying anything`)));
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { process: child, said, exited };
}

function lockHolder(directory: string): number {
  return (JSON.parse(readFileSync(join(directory, LOCK_FILE), "utf8")) as { pid: number }).pid;
}

async function refusal(open: Promise<Db>): Promise<StoreError> {
  const error: unknown = await open.then(
    async (db) => {
      await db.close();
      return undefined;
    },
    (thrown: unknown) => thrown,
  );
  if (error instanceof StoreError) return error;
  throw new Error(`expected a StoreError, got ${String(error)}`);
}

describe("a PGlite data directory", () => {
  it("refuses a second process, naming the directory, the holder's pid and what to do", async () => {
    const db = await openDb({ dataDir });
    try {
      const child = startChild(dataDir);
      const said = JSON.parse(await child.said) as { code: string; message: string };
      expect(await child.exited).toBe(3);
      expect(said.code).toBe("store.locked");
      expect(said.message).toContain(
        `The PGlite data directory ${dataDir} is already in use by process ${process.pid}`,
      );
      expect(said.message).toContain("stop the other process, or use DATABASE_URL=postgres://");
      expect(await db.query("select 1 as one")).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  }, 90_000);

  it("refuses a second open in the same process until the first is closed", async () => {
    const db = await openDb({ dataDir });
    try {
      expect((await refusal(openDb({ dataDir }))).message).toContain("already open in this process");
    } finally {
      await db.close();
    }
    await (await openDb({ dataDir })).close();
  }, 60_000);

  it("is taken over, with its data, after its process was killed with kill -9", async () => {
    const db = await openDb({ dataDir });
    await upsertInstallation(db, { id: 7, accountLogin: "acme", accountType: "Organization" });
    await db.close();

    const child = startChild(dataDir);
    expect(await child.said).toBe("opened");
    const childPid = child.process.pid;
    expect(lockHolder(dataDir)).toBe(childPid);
    expect((await refusal(openDb({ dataDir }))).message).toContain(`in use by process ${childPid}`);

    child.process.kill("SIGKILL");
    expect(await child.exited).toBeNull();
    expect(lockHolder(dataDir)).toBe(childPid); // the stale lock is still there

    const reopened = await openDb({ dataDir });
    try {
      expect(lockHolder(dataDir)).toBe(process.pid);
      expect((await getInstallation(reopened, 7))?.accountLogin).toBe("acme");
    } finally {
      await reopened.close();
    }
  }, 90_000);
});

describe("the lock file", () => {
  it("naming a process that has exited is taken over", async () => {
    const directory = await mkdtemp(join(workDir, "stale-"));
    const gone = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    const stale = JSON.stringify({ pid: Number(gone.stdout.trim()), startedAt: "2025-01-01T00:00:00.000Z" });
    writeFileSync(join(directory, LOCK_FILE), stale);
    const lock = acquireDirLock(directory);
    expect(lockHolder(directory)).toBe(process.pid);
    lock.release();
    lock.release();
    expect(existsSync(join(directory, LOCK_FILE))).toBe(false);
  });

  it("that cannot be read is refused with instructions rather than guessed at", async () => {
    const directory = await mkdtemp(join(workDir, "garbled-"));
    writeFileSync(join(directory, LOCK_FILE), "");
    expect(() => acquireDirLock(directory)).toThrow(/unreadable lock file .*delete the file/);
  });
});
