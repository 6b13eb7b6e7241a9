// Every file mlgate reads from a checkout is opened here, through a ContainedFs rooted at the directory
// it may read (the working directory, or the place a user typed). Links are resolved one by one without
// ever touching what lies outside the root, so no answer depends on it; only regular files are read
// (FIFOs, sockets and devices refused without blocking), the size checked on the open descriptor; and a
// listing never leaves the root. Readers are handed a ContainedFs, never a raw path to open (lint-enforced).
import { constants, type Stats } from "node:fs";
import { lstat, open, readdir, readlink, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { errnoCode } from "./errno.js";
import { formatSize } from "./size.js";

/** What a path turned out to be. */
export type FileKind = "file" | "directory" | "fifo" | "socket" | "device" | "other";

/** Why a path was not read; never where a link leads. */
export type Refusal =
  | { reason: "outside"; throughLink: boolean }
  | { reason: "not-found" }
  | { reason: "wrong-kind"; found: FileKind; wanted: "file" | "directory" | "file or directory" }
  | { reason: "too-large"; bytes: number; maxBytes: number }
  | { reason: "unreadable"; code: string };

/** A path a ContainedFs refused; `shown` is the path relative to its root, as a reader may name it. */
export class ContainmentError extends Error {
  override readonly name = "ContainmentError";
  constructor(
    readonly refusal: Refusal,
    readonly shown: string,
    readonly label: string,
  ) {
    super(`${shown} ${describeRefusal(refusal, label)}`);
  }
}

/** What the ContainedFs did with one path: for tests that plant links where readers look. */
export interface Access {
  /** Relative to the root, `/`-separated; `.` for the root. */
  path: string;
  operation: "read" | "stat" | "list";
  refused?: Refusal["reason"];
}

export interface ContainedFsOptions {
  /** How messages name the root: `the working directory /repo` unless told. */
  label?: string;
  onAccess?: (access: Access) => void;
}

/** A listed entry: links are resolved (inside the root only) and say so; anything else is `other`. */
export interface ListedEntry {
  /** Relative to the listed directory, `/`-separated. */
  path: string;
  name: string;
  kind: "file" | "directory" | "other";
  link: boolean;
}

export interface ListOptions {
  recursive?: boolean;
  /** Directories deeper than this below the listed one are not entered (0: only the listed one). */
  maxDepth?: number;
  /** A directory whose name this accepts is listed as an entry but not entered. */
  skipDirectory?: (name: string) => boolean;
}

/** Linux's own limit on links followed while resolving one path. */
const MAX_LINKS = 40;
// O_NONBLOCK: opening a FIFO that no one writes to returns at once instead of waiting forever.
// O_NOFOLLOW: the resolved path's last part must not have been swapped for a link since it was checked.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

export class ContainedFs {
  private constructor(
    /** Absolute, as given: paths and messages are relative to it. */
    readonly root: string,
    /** The root with its own links resolved: what everything read must lie under. */
    private readonly realRoot: string,
    readonly label: string,
    private readonly onAccess: ((access: Access) => void) | undefined,
  ) {}

  /** Once per run: the root's own links are the caller's choice, resolved here. */
  static async open(root: string, options: ContainedFsOptions = {}): Promise<ContainedFs> {
    const absolute = resolve(root);
    const real = await realpath(absolute).catch(() => absolute);
    return new ContainedFs(
      absolute,
      real,
      options.label ?? `the working directory ${absolute}`,
      options.onAccess,
    );
  }

  /** `path` (relative to the root, or absolute) as an absolute path, `..` collapsed as written. */
  resolve(path: string): string {
    return resolve(this.root, path);
  }

  /** `path` relative to the root, `/`-separated, `.` for the root itself: how messages name it. */
  shown(path: string): string {
    return relative(this.root, this.resolve(path)).split(sep).join("/") || ".";
  }

  /** A regular file or a directory inside the root: its kind and size. Anything else is refused. */
  async stat(path: string): Promise<{ kind: "file" | "directory"; size: number }> {
    const { stats } = await this.located(path, "stat");
    const kind = kindOf(stats);
    if (kind !== "file" && kind !== "directory") {
      throw this.refuse(path, "stat", { reason: "wrong-kind", found: kind, wanted: "file or directory" });
    }
    return { kind, size: stats.size };
  }

  /** `file` or `directory` when `path` is one inside the root; undefined when missing or refused. */
  async kind(path: string): Promise<"file" | "directory" | undefined> {
    try {
      return (await this.stat(path)).kind;
    } catch (error) {
      if (error instanceof ContainmentError) return undefined;
      throw error;
    }
  }

  /** A regular file's bytes, refused over `maxBytes` by the open file's size before anything is read. */
  async readBytes(path: string, maxBytes: number): Promise<Buffer> {
    const { real, stats } = await this.located(path, "read");
    if (!stats.isFile()) {
      throw this.refuse(path, "read", { reason: "wrong-kind", found: kindOf(stats), wanted: "file" });
    }
    const handle = await open(real, READ_FLAGS).catch((error: unknown) => {
      throw this.refuse(path, "read", openRefusal(error));
    });
    try {
      const opened = await handle.stat();
      if (!opened.isFile()) {
        throw this.refuse(path, "read", { reason: "wrong-kind", found: kindOf(opened), wanted: "file" });
      }
      if (opened.size > maxBytes) {
        throw this.refuse(path, "read", { reason: "too-large", bytes: opened.size, maxBytes });
      }
      const bytes = await readChecked(handle, opened.size);
      if (bytes === undefined) {
        // It grew while it was read: what was checked is no longer what is there.
        throw this.refuse(path, "read", { reason: "unreadable", code: "it changed while it was read" });
      }
      this.record(path, "read");
      return bytes;
    } finally {
      await handle.close();
    }
  }

  /** A regular file's text, decoded as UTF-8 (malformed bytes replaced, as `readFile(path, "utf8")`). */
  async readText(path: string, maxBytes: number): Promise<string> {
    return (await this.readBytes(path, maxBytes)).toString("utf8");
  }

  /**
   * A directory's entries, sorted by path. Entries that are links are resolved inside the root (a link
   * leading out of it, or to a FIFO, is `other`); directories reached through a link are never entered.
   */
  async list(path: string, options: ListOptions = {}): Promise<ListedEntry[]> {
    const { real, stats } = await this.located(path, "list");
    if (!stats.isDirectory()) {
      throw this.refuse(path, "list", { reason: "wrong-kind", found: kindOf(stats), wanted: "directory" });
    }
    await this.checkOpensAsDirectory(path, real);
    this.record(path, "list");
    const entries: ListedEntry[] = [];
    const maxDepth = options.recursive ? (options.maxDepth ?? Infinity) : 0;
    const walk = async (below: string, depth: number): Promise<void> => {
      const names = await readdir(join(real, below), { withFileTypes: true }).catch(() => []);
      for (const dirent of names) {
        const relativePath = below ? `${below}/${dirent.name}` : dirent.name;
        if (dirent.isSymbolicLink()) {
          const kind = await this.kind(join(this.resolve(path), ...relativePath.split("/")));
          entries.push({ path: relativePath, name: dirent.name, kind: kind ?? "other", link: true });
          continue;
        }
        const kind = dirent.isFile() ? "file" : dirent.isDirectory() ? "directory" : "other";
        entries.push({ path: relativePath, name: dirent.name, kind, link: false });
        if (kind === "directory" && depth < maxDepth && !options.skipDirectory?.(dirent.name)) {
          await walk(relativePath, depth + 1);
        }
      }
    };
    await walk("", 0);
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Resolves `path` part by part from the root. A link's target is judged by where it points, as
   * written, before anything there is looked at: a target outside the root is refused unread, so a link
   * to a file that exists outside and one to nothing get the same answer.
   */
  private async located(
    path: string,
    operation: Access["operation"],
  ): Promise<{ real: string; stats: Stats }> {
    let parts = this.partsOf(this.resolve(path));
    if (parts === undefined) throw this.refuse(path, operation, { reason: "outside", throughLink: false });
    let current = this.realRoot;
    let stats: Stats | undefined;
    let links = 0;
    while (parts.length > 0) {
      const [part, ...rest] = parts as [string, ...string[]];
      const next = join(current, part);
      const found = await lstat(next).catch((error: unknown) => {
        throw this.refuse(path, operation, lookupRefusal(error));
      });
      if (found.isSymbolicLink()) {
        if (++links > MAX_LINKS) throw this.refuse(path, operation, { reason: "unreadable", code: "ELOOP" });
        const target = resolve(current, await readlink(next));
        const inside = this.partsOf(target);
        if (inside === undefined)
          throw this.refuse(path, operation, { reason: "outside", throughLink: true });
        parts = [...inside, ...rest];
        current = this.realRoot;
        stats = undefined;
        continue;
      }
      if (rest.length > 0 && !found.isDirectory())
        throw this.refuse(path, operation, { reason: "not-found" });
      current = next;
      stats = found;
      parts = rest;
    }
    stats ??= await lstat(current).catch((error: unknown) => {
      throw this.refuse(path, operation, lookupRefusal(error));
    });
    return { real: current, stats };
  }

  /** The directory opened without following a link and without blocking, and seen to be one. */
  private async checkOpensAsDirectory(path: string, real: string): Promise<void> {
    const handle = await open(real, READ_FLAGS | (constants.O_DIRECTORY ?? 0)).catch((error: unknown) => {
      throw this.refuse(path, "list", openRefusal(error));
    });
    try {
      const opened = await handle.stat();
      if (!opened.isDirectory()) {
        throw this.refuse(path, "list", { reason: "wrong-kind", found: kindOf(opened), wanted: "directory" });
      }
    } finally {
      await handle.close();
    }
  }

  /** The parts of an absolute path below the root (as given or as resolved), or undefined outside it. */
  private partsOf(absolute: string): string[] | undefined {
    for (const top of [this.realRoot, this.root]) {
      const rel = relative(top, absolute);
      if (rel === "") return [];
      if (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel)) return rel.split(sep);
    }
    return undefined;
  }

  private refuse(path: string, operation: Access["operation"], refusal: Refusal): ContainmentError {
    this.record(path, operation, refusal.reason);
    return new ContainmentError(refusal, this.shown(path), this.label);
  }

  private record(path: string, operation: Access["operation"], refused?: Refusal["reason"]): void {
    this.onAccess?.({ path: this.shown(path), operation, ...(refused ? { refused } : {}) });
  }
}

/**
 * A path someone typed (a CLI argument, a workflow input) and the ContainedFs to read it through. Inside
 * one of the `trusted` directories (the working directory, the checkout) its links may not leave that
 * directory: what a checkout holds is not the typist's choice. Anywhere else it names the place to read,
 * its own links followed (the typist chose it), and what it leads to (a dvc.yaml's files) stays there.
 */
export async function typedPathFs(
  typed: string,
  base: string,
  trusted: readonly { dir: string; label: string }[],
  onAccess?: (access: Access) => void,
): Promise<{ files: ContainedFs; path: string }> {
  const absolute = resolve(base, typed);
  for (const { dir, label } of trusted) {
    const rel = relative(resolve(dir), absolute);
    if (rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))) {
      return {
        files: await ContainedFs.open(dir, { label, ...(onAccess ? { onAccess } : {}) }),
        path: absolute,
      };
    }
  }
  const real = await realpath(absolute).catch(() => absolute);
  // stat does not open: a FIFO typed here does not block.
  const directory = (await stat(real).catch(() => undefined))?.isDirectory() ?? false;
  const place = directory ? real : dirname(real);
  const label = `the directory ${directory ? absolute : dirname(absolute)}`;
  return { files: await ContainedFs.open(place, { label, ...(onAccess ? { onAccess } : {}) }), path: real };
}

/** The words after a path: `is outside the working directory /repo`, `is a FIFO, not a regular file`. */
export function describeRefusal(refusal: Refusal, label: string): string {
  switch (refusal.reason) {
    case "outside":
      return refusal.throughLink ? `leads through a symbolic link outside ${label}` : `is outside ${label}`;
    case "not-found":
      return "does not exist";
    case "wrong-kind":
      return `is ${KIND_NAMES[refusal.found]}, not ${refusal.wanted === "directory" ? "a directory" : refusal.wanted === "file" ? "a regular file" : "a regular file or directory"}`;
    case "too-large":
      return `is ${formatSize(refusal.bytes)}, more than the ${formatSize(refusal.maxBytes)} it may have`;
    case "unreadable":
      return `could not be read (${refusal.code})`;
    default: {
      const unknown: never = refusal;
      throw new Error(`unknown refusal: ${JSON.stringify(unknown)}`);
    }
  }
}

const KIND_NAMES: Readonly<Record<FileKind, string>> = {
  file: "a file",
  directory: "a directory",
  fifo: "a FIFO (named pipe)",
  socket: "a socket",
  device: "a device",
  other: "not a file",
};

function kindOf(stats: Stats): FileKind {
  if (stats.isFile()) return "file";
  if (stats.isDirectory()) return "directory";
  if (stats.isFIFO()) return "fifo";
  if (stats.isSocket()) return "socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "device";
  return "other";
}

function lookupRefusal(error: unknown): Refusal {
  const code = errnoCode(error);
  if (code === undefined) throw error;
  return code === "ENOENT" || code === "ENOTDIR" ? { reason: "not-found" } : { reason: "unreadable", code };
}

function openRefusal(error: unknown): Refusal {
  const code = errnoCode(error);
  if (code === undefined) throw error;
  // ENXIO: a socket; ELOOP: the checked file was swapped for a link; ENOENT: it went away.
  if (code === "ENXIO") return { reason: "wrong-kind", found: "socket", wanted: "file" };
  if (code === "ENOENT") return { reason: "not-found" };
  return { reason: "unreadable", code };
}

/**
 * The bytes of an open file whose size was `size` when checked; undefined when it holds more than that
 * (it grew, or it is a kernel file that says 0, like /proc's): what was checked is then not what is there.
 * One buffer of the checked size plus a byte to see growth, so a large file is held once.
 */
async function readChecked(
  handle: Awaited<ReturnType<typeof open>>,
  size: number,
): Promise<Buffer | undefined> {
  const buffer = Buffer.allocUnsafe(size + 1);
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled > size ? undefined : buffer.subarray(0, filled);
}
