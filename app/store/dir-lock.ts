// Keeps two processes from opening one PGlite data directory: PGlite is a single-process Postgres with no
// postmaster to refuse a second writer, and two of them corrupt the directory.
import { mkdirSync, readFileSync, renameSync, linkSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { StoreError } from "./store-error.js";

export const LOCK_FILE = "mlgate.lock";

export interface DirLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void;
}

interface LockOwner {
  pid: number;
  startedAt: string;
}

/** Lock files this process holds; a lock naming our own pid that is not in here is a previous life's (see below). */
const heldHere = new Set<string>();

/**
 * Creates `<dir>/mlgate.lock` (and `dir` if missing), exclusively, holding our pid and start time. A lock whose
 * process is gone (kill -9, a crash) is taken over; a live one is refused with a StoreError naming the holder.
 */
export function acquireDirLock(dir: string): DirLock {
  const directory = resolve(dir);
  mkdirSync(directory, { recursive: true });
  const path = join(directory, LOCK_FILE);
  if (heldHere.has(path)) {
    throw new StoreError(
      "store.locked",
      `The PGlite data directory ${directory} is already open in this process: close the other handle first.`,
    );
  }
  const ours = JSON.stringify({ pid: process.pid, startedAt: processStartedAt() } satisfies LockOwner) + "\n";

  // A few rounds: each lost race (the file vanished, or another starter took the stale lock first) rereads it.
  for (let round = 0; round < 3; round++) {
    if (tryCreate(path, ours)) {
      heldHere.add(path);
      return { path, release: () => release(path, ours) };
    }
    const text = readIfPresent(path);
    if (text === undefined) continue;
    const owner = parseOwner(text);
    if (!owner) {
      throw new StoreError(
        "store.locked",
        `The PGlite data directory ${directory} has an unreadable lock file ${path}. ` +
          `If no mlgate process is using that directory, delete the file and start again.`,
      );
    }
    // In a container the app is often pid 1 in every life, so our own pid in a lock we do not hold is stale.
    if (owner.pid !== process.pid && isAlive(owner.pid)) {
      throw lockedError(directory, path, `process ${owner.pid} (started ${owner.startedAt})`);
    }
    moveAsideIfUnchanged(path, text);
  }
  throw lockedError(directory, path, "another process starting at the same moment");
}

function lockedError(directory: string, path: string, holder: string): StoreError {
  return new StoreError(
    "store.locked",
    `The PGlite data directory ${directory} is already in use by ${holder}. ` +
      `PGlite allows one process per directory: stop the other process, or use ` +
      `DATABASE_URL=postgres://… to run several instances against one PostgreSQL. ` +
      `If that process is gone or is not mlgate, delete ${path} and start again.`,
  );
}

function tryCreate(path: string, content: string): boolean {
  try {
    writeFileSync(path, content, { flag: "wx" });
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  }
}

/**
 * Takes a stale lock away by renaming it (atomic: one starter wins), then checks that what it moved is the stale
 * lock it judged. If another starter replaced it in between, that fresh lock goes back and the next round refuses.
 */
function moveAsideIfUnchanged(path: string, staleText: string): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return;
    throw error;
  }
  if (readFileSync(aside, "utf8") !== staleText) {
    try {
      linkSync(aside, path);
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw error;
    }
  }
  unlinkSync(aside);
}

function release(path: string, ours: string): void {
  if (!heldHere.delete(path)) return;
  if (readIfPresent(path) === ours) unlinkSync(path);
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw error;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return undefined;
    const { pid, startedAt } = value as Record<string, unknown>;
    if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return undefined;
    return { pid, startedAt: typeof startedAt === "string" ? startedAt : "at an unknown time" };
  } catch {
    return undefined;
  }
}

/** Signal 0 checks existence only; EPERM means it exists but belongs to another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === "EPERM";
  }
}

function processStartedAt(): string {
  return new Date(Date.now() - process.uptime() * 1000).toISOString();
}

function errorCode(error: unknown): unknown {
  return typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
}
