// Tree formats: tools whose results are a directory or several files, not one file: an MLflow run
// directory (one file per metric, param and tag), a DVC pipeline (`dvc.yaml` naming the metrics files it
// declares) or a DVCLive directory. A tree format is handed a path and reads what it needs below it,
// never outside the working directory, each file size-checked before it is read.
import { lstat, readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { RunSelector } from "../../config/model.js";
import { MlgateError } from "../../errors.js";
import { errnoCode } from "../errno.js";
import type { ToolMeasurement } from "./tool.js";

/** Which MLflow run an experiment directory stands for: the latest finished one unless told. */
export type { RunSelector };

export interface TreeReadOptions {
  /** The path as the config wrote it, for messages. */
  origin: string;
  /** The working directory: nothing outside it is read. */
  cwd: string;
  /** MLflow: the run of an experiment directory, and the experiment of a tracking directory. */
  run?: RunSelector;
  experiment?: string;
}

/** A part of the tree that was declared but could not be read: gates under `prefix` report `error`. */
export interface Unavailable {
  prefix: string;
  error: MlgateError;
}

export interface TreeReading {
  measurements: ToolMeasurement[];
  /** The same values as a document tree, for JSON Pointers (histories included). */
  data: unknown;
  unavailable?: Unavailable[];
}

export interface TreeFormat {
  name: string;
  title: string;
  /** A confident yes from the path and what a glance at it shows (a directory's marker files). */
  detect(path: string, kind: "file" | "directory"): Promise<boolean>;
  /** `path` is absolute and inside `options.cwd`; refusals are MlgateErrors naming the file. */
  read(path: string, options: TreeReadOptions): Promise<TreeReading>;
}

/** Per file read by a tree format; the whole tree may be larger. */
export const MAX_TREE_FILE_BYTES = 64 * 1024 * 1024;

/** `path` shown relative to the working directory, with forward slashes. */
export function shownPath(path: string, cwd: string): string {
  return relative(cwd, path).split(sep).join("/") || ".";
}

/**
 * `target` (relative to `base`) resolved, following symbolic links, and refused when it leaves the
 * working directory: a metric file declared as `../../etc/passwd` or linked there is not read.
 */
export async function insideCwd(
  base: string,
  target: string,
  cwd: string,
  declaredIn: string,
): Promise<string> {
  const path = resolve(base, target);
  const root = await realpath(cwd).catch(() => cwd);
  const real = await realpath(path).catch(() => path);
  const within = (candidate: string, top: string) => {
    const rel = relative(top, candidate);
    return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
  };
  if (!within(path, cwd) || !within(real, root)) {
    throw new MlgateError(
      "source.unreadable",
      `${JSON.stringify(target)} declared in ${declaredIn} is outside the working directory ${cwd}`,
      {
        location: { file: declaredIn },
        hint: "mlgate reads only files inside its working directory; run it from the repository root or set --cwd",
      },
    );
  }
  return path;
}

/** A file's text (strict UTF-8, BOM dropped), with errors that say which file and why. */
export async function readTreeFile(path: string, cwd: string): Promise<string> {
  const shown = shownPath(path, cwd);
  const stats = await stat(path).catch((error: unknown) => {
    throw fileError(error, shown);
  });
  if (!stats.isFile()) {
    throw new MlgateError(
      "source.unreadable",
      `${shown} is ${stats.isDirectory() ? "a directory" : "not a regular file"}`,
      {
        location: { file: shown },
      },
    );
  }
  if (stats.size > MAX_TREE_FILE_BYTES) {
    throw new MlgateError(
      "source.too-large",
      `${shown} is ${(stats.size / 1024 / 1024).toFixed(1)} MiB, more than the ${MAX_TREE_FILE_BYTES / 1024 / 1024} MiB a metrics file may have`,
      { location: { file: shown }, hint: "point mlgate at a summary of the metrics rather than raw data" },
    );
  }
  const bytes = await readFile(path).catch((error: unknown) => {
    throw fileError(error, shown);
  });
  try {
    return decoder.decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new MlgateError("source.unreadable", `${shown} is not UTF-8 text`, {
      location: { file: shown },
      hint: "write metric files as UTF-8",
    });
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Is there a directory (not a link to one elsewhere) at `path`? */
export async function isDirectory(path: string): Promise<boolean> {
  const stats = await lstat(path).catch(() => undefined);
  return stats?.isDirectory() ?? false;
}

export async function isFile(path: string): Promise<boolean> {
  const stats = await stat(path).catch(() => undefined);
  return stats?.isFile() ?? false;
}

function fileError(error: unknown, shown: string): unknown {
  const code = errnoCode(error);
  if (code === "ENOENT" || code === "ENOTDIR") {
    return new MlgateError("source.not-found", `${shown} does not exist`, {
      location: { file: shown },
      hint: "check that the step producing it ran before mlgate",
    });
  }
  if (code) {
    return new MlgateError("source.unreadable", `${shown} could not be read (${code})`, {
      location: { file: shown },
      hint: "check the file's permissions",
    });
  }
  return error;
}
