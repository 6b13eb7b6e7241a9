// Tree formats: tools whose results are a directory or several files, not one file: an MLflow run
// directory (one file per metric, param and tag), a DVC pipeline (`dvc.yaml` naming the metrics files it
// declares) or a DVCLive directory. A tree format is handed a path and a ContainedFs, and reads what it
// needs through that alone: nothing outside its root, no link out of it, each file size-checked first.
import { resolve } from "node:path";
import type { RunSelector } from "../../config/model.js";
import { MlgateError } from "../../errors.js";
import { ContainmentError, type ContainedFs } from "../../files/contained-fs.js";
import { formatSize } from "../../files/size.js";
import type { ToolMeasurement } from "./tool.js";

/** Which MLflow run an experiment directory stands for: the latest finished one unless told. */
export type { RunSelector };

export interface TreeReadOptions {
  /** The path as the config wrote it, for messages. */
  origin: string;
  /** What may be read (the working directory, or the place a user typed): every file goes through it. */
  files: ContainedFs;
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
  detect(path: string, kind: "file" | "directory", files: ContainedFs): Promise<boolean>;
  /** `path` is absolute and inside `options.files`' root; refusals are MlgateErrors naming the file. */
  read(path: string, options: TreeReadOptions): Promise<TreeReading>;
}

/** Per file read by a tree format; the whole tree may be larger. */
export const MAX_TREE_FILE_BYTES = 64 * 1024 * 1024;

/** `path` shown relative to the root (the working directory), with forward slashes. */
export function shownPath(path: string, files: ContainedFs): string {
  return files.shown(path);
}

/**
 * `target` (relative to `base`) resolved, and refused when it, or a link on its way, leaves the root: a
 * metric file declared as `../../etc/passwd` or linked there is not read. The refusal names the file that
 * declares it; a path that is missing or not a file is left for the read to report.
 */
export async function insideCwd(
  base: string,
  target: string,
  files: ContainedFs,
  declaredIn: string,
): Promise<string> {
  const path = resolve(base, target);
  try {
    await files.stat(path);
  } catch (error) {
    if (!(error instanceof ContainmentError)) throw error;
    if (error.refusal.reason === "outside") {
      throw new MlgateError(
        "source.unreadable",
        `${JSON.stringify(target)} declared in ${declaredIn} is outside ${files.label}`,
        {
          location: { file: declaredIn },
          hint: "mlgate reads only files inside its working directory; run it from the repository root or set --cwd",
        },
      );
    }
  }
  return path;
}

/** A file's text (strict UTF-8, BOM dropped), with errors that say which file and why. */
export async function readTreeFile(path: string, files: ContainedFs): Promise<string> {
  const shown = files.shown(path);
  const bytes = await files.readBytes(path, MAX_TREE_FILE_BYTES).catch((error: unknown) => {
    throw treeFileError(error);
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

/** Is there a directory inside the root at `path` (a link to one inside counts)? */
export async function isDirectory(path: string, files: ContainedFs): Promise<boolean> {
  return (await files.kind(path)) === "directory";
}

/** Is there a regular file inside the root at `path` (a link to one inside counts)? */
export async function isFile(path: string, files: ContainedFs): Promise<boolean> {
  return (await files.kind(path)) === "file";
}

/** A refusal from the ContainedFs as the MlgateError a reader reports, naming the file as shown. */
export function treeFileError(error: unknown): unknown {
  if (!(error instanceof ContainmentError)) return error;
  const shown = error.shown;
  const location = { file: shown };
  switch (error.refusal.reason) {
    case "not-found":
      return new MlgateError("source.not-found", `${shown} does not exist`, {
        location,
        hint: "check that the step producing it ran before mlgate",
      });
    case "too-large":
      return new MlgateError(
        "source.too-large",
        `${shown} is ${formatSize(error.refusal.bytes)}, more than the ${formatSize(MAX_TREE_FILE_BYTES)} a metrics file may have`,
        { location, hint: "point mlgate at a summary of the metrics rather than raw data" },
      );
    case "unreadable":
      return new MlgateError("source.unreadable", error.message, {
        location,
        hint: "check the file's permissions",
      });
    case "outside":
      return new MlgateError("source.unreadable", error.message, {
        location,
        hint: "mlgate reads only files inside its working directory; run it from the repository root or set --cwd",
      });
    case "wrong-kind":
      return new MlgateError("source.unreadable", error.message, { location });
    default: {
      const unknown: never = error.refusal;
      throw new Error(`unknown refusal: ${JSON.stringify(unknown)}`);
    }
  }
}
