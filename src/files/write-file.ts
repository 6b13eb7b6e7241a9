// Every file mlgate writes (a report, a schema, a starter config) is written here: never through a link
// (a temporary file created with O_EXCL beside the target, then renamed over it: a rename replaces a link
// itself, never what it points to), and, for a relative path, never outside the directory it is relative
// to once the parent directory's links are resolved. An absolute path is the workflow's or user's choice.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { lstat, mkdir, open, realpath, rename, unlink } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { MlgateError } from "../errors.js";
import { errnoCode } from "./errno.js";

export interface OutputTarget {
  /** The path as given, relative to `base` unless absolute. */
  path: string;
  /** What a relative path is relative to, and may not leave: the working directory. */
  base: string;
  /** What gave the path, for messages: `--output`, `with.report-path`. */
  input: string;
}

const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/** Writes `text` to the target; returns the absolute path written (as given, not resolved). */
export async function writeOutputFile(target: OutputTarget, text: string): Promise<string> {
  const path = resolve(target.base, target.path);
  const parent = isAbsolute(target.path) ? dirname(path) : await containedParent(target, path);
  await mkdir(parent, { recursive: true }).catch((error: unknown) => {
    throw cannotWrite(target, error);
  });
  // mkdir may have created directories that a link on the way led somewhere: judge the result again.
  const realParent = isAbsolute(target.path) ? parent : await containedParent(target, path);
  const temporary = join(realParent, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temporary, CREATE_FLAGS, 0o666);
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    await rename(temporary, join(realParent, basename(path)));
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw cannotWrite(target, error);
  }
  return path;
}

/** Is there anything at `path` itself, a link included (a link is not followed to ask)? */
export async function outputExists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/**
 * The target's parent directory with its links resolved, refused when that leaves the base (resolved
 * too). Directories not made yet are judged by their nearest existing ancestor.
 */
async function containedParent(target: OutputTarget, path: string): Promise<string> {
  const base = resolve(target.base);
  const realBase = await realpath(base).catch(() => base);
  if (!within(base, path)) throw outside(target, false);
  let existing = dirname(path);
  const missing: string[] = [];
  for (;;) {
    const real = await realpath(existing).catch(() => undefined);
    if (real !== undefined) {
      const parent = join(real, ...missing);
      if (!within(realBase, parent) && !within(base, parent)) throw outside(target, true);
      return parent;
    }
    if (existing === base || dirname(existing) === existing) return dirname(path);
    missing.unshift(basename(existing));
    existing = dirname(existing);
  }
}

function within(top: string, path: string): boolean {
  const rel = relative(top, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function outside(target: OutputTarget, throughLink: boolean): MlgateError {
  return new MlgateError(
    "usage",
    `cannot write ${target.path}: it ${throughLink ? "leads through a symbolic link outside" : "is outside"} the working directory ${target.base}`,
    {
      location: { field: target.input },
      hint: `give ${target.input} a path inside the working directory, or an absolute path to write elsewhere on purpose`,
    },
  );
}

function cannotWrite(target: OutputTarget, error: unknown): MlgateError {
  if (error instanceof MlgateError) return error;
  const code = errnoCode(error) ?? "";
  const why =
    code === "EISDIR" || code === "ENOTEMPTY"
      ? "it is a directory"
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "ENOTDIR"
          ? "a part of its path is not a directory"
          : code || (error instanceof Error ? error.message : String(error));
  return new MlgateError("usage", `cannot write ${target.path}: ${why}`, {
    location: { field: target.input },
    hint: `give ${target.input} a file path you can write to`,
  });
}
