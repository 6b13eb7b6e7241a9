// The `file:` assessment interface: a metric file inside the working directory, size-checked before it
// is read, decoded as UTF-8 and parsed in its declared or detected format.
import { readFile, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { FormatName, SourceSpec } from "../config/model.js";
import { MlgateError } from "../errors.js";
import { decodeUtf8, textDocument } from "./decode.js";
import { errnoCode } from "./errno.js";
import { detectTreeFormat, treeFormat } from "./formats/tools.js";
import { insideCwd, type TreeFormat } from "./formats/tree.js";
import type { SourceContext, SourceDocument } from "./types.js";

export const MAX_FILE_BYTES = 256 * 1024 * 1024;

type FileSpec = Extract<SourceSpec, { kind: "file" }>;

export interface FileReadOptions {
  /**
   * Read a path outside the working directory: only for a path the user typed (`mlgate inspect <path>`).
   * A config's `file:` may come from a PR's head, whose author must not get runner files into a comment.
   */
  anywhere?: boolean;
}

export async function readFileSource(
  spec: FileSpec,
  ctx: SourceContext,
  options: FileReadOptions = {},
): Promise<SourceDocument> {
  const origin = spec.file;
  const path = resolve(ctx.cwd, spec.file);
  if (!options.anywhere) await refuseOutside(spec, path, ctx.cwd);
  const tree = await treeFormatOf(spec, path, origin);
  if (tree) return readTree(tree, spec, path, ctx);
  await checkFile(path, origin, ctx.cwd);
  // Only the decoded text is kept: the bytes can be collected while the text is parsed.
  const text = decodeUtf8(
    await readFile(path).catch((error: unknown) => {
      throw errnoCode(error) ? unreadable(error, origin) : error;
    }),
    origin,
  );
  return textDocument(text, spec, origin, spec.file);
}

/** The tree format that reads this path: the one named, or one whose shape a directory or dvc.yaml has. */
async function treeFormatOf(spec: FileSpec, path: string, origin: string): Promise<TreeFormat | undefined> {
  if (spec.format) return treeFormat(spec.format);
  const stats = await stat(path).catch(() => undefined);
  if (!stats) return undefined;
  const found = await detectTreeFormat(path, stats.isDirectory() ? "directory" : "file");
  if (!found && stats.isDirectory()) {
    throw new MlgateError("source.unreadable", `${origin} is a directory, not a metric file`, {
      location: { file: origin },
      hint: "name the file inside it, e.g. `file: reports/metrics.json`; MLflow run directories and DVCLive directories are read with `format: mlflow` or `format: dvc`",
    });
  }
  return found;
}

async function readTree(
  format: TreeFormat,
  spec: FileSpec,
  path: string,
  ctx: SourceContext,
): Promise<SourceDocument> {
  const origin = spec.file;
  const stats = await stat(path).catch((error: unknown) => {
    if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR")
      throw notFound(path, origin, ctx.cwd);
    throw errnoCode(error) ? unreadable(error, origin) : error;
  });
  if (!stats.isDirectory() && !stats.isFile()) {
    throw new MlgateError("source.unreadable", `${origin} is not a regular file or directory`, {
      location: { file: origin },
    });
  }
  // What the tree declares (a dvc.yaml's metrics files) is read only inside the working directory, or,
  // for a path the user gave outside it (`mlgate inspect ../other/dvc.yaml`), inside that place.
  const root = within(ctx.cwd, path) ? ctx.cwd : stats.isDirectory() ? path : dirname(path);
  const reading = await format.read(await insideCwd(root, path, root, origin), {
    origin,
    cwd: root,
    ...(spec.run ? { run: spec.run } : {}),
    ...(spec.experiment ? { experiment: spec.experiment } : {}),
  });
  return {
    source: spec.name,
    origin,
    format: format.name as FormatName,
    data: reading.data,
    textCells: false,
    measurements: reading.measurements,
    ...(reading.unavailable ? { unavailable: reading.unavailable } : {}),
  };
}

/**
 * A config's `file:` stays inside the working directory: `../x`, an absolute path elsewhere and a symbolic
 * link (the file or a directory on the way) resolving outside are refused before anything is read, and the
 * message names only what the config wrote, never where a link leads.
 */
async function refuseOutside(spec: FileSpec, path: string, cwd: string): Promise<void> {
  const root = await realpath(cwd).catch(() => cwd);
  // A path that does not exist yet is judged as written; reading it fails as "not found" later.
  const real = await realpath(path).catch(() => undefined);
  const written = within(cwd, path) || within(root, path);
  if (written && (real === undefined || within(root, real))) return;
  throw new MlgateError(
    "source.unreadable",
    written
      ? `source "${spec.name}": ${spec.file} leads through a symbolic link outside the working directory ${cwd}`
      : `source "${spec.name}": ${spec.file} is outside the working directory ${cwd}`,
    {
      location: { file: spec.file, field: `sources.${spec.name}.file` },
      hint: "mlgate reads metric files only inside its working directory (the checkout): write or copy the file there, or run mlgate from a directory that holds it (--cwd, or working-directory in the Action)",
    },
  );
}

function within(top: string, path: string): boolean {
  const rel = relative(top, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

async function checkFile(path: string, origin: string, cwd: string): Promise<void> {
  const stats = await stat(path).catch((error: unknown) => {
    if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR") throw notFound(path, origin, cwd);
    throw errnoCode(error) ? unreadable(error, origin) : error;
  });
  if (stats.isDirectory()) {
    throw new MlgateError("source.unreadable", `${origin} is a directory, not a metric file`, {
      location: { file: origin },
      hint: "name the file inside it, e.g. `file: reports/metrics.json`",
    });
  }
  if (!stats.isFile()) {
    throw new MlgateError("source.unreadable", `${origin} is not a regular file`, {
      location: { file: origin },
    });
  }
  if (stats.size > MAX_FILE_BYTES) {
    throw new MlgateError(
      "source.too-large",
      `${origin} is ${formatMiB(stats.size)}, more than the ${formatMiB(MAX_FILE_BYTES)} a metric file may have`,
      {
        location: { file: origin },
        hint: "point the source at a summary of the metrics rather than raw data",
      },
    );
  }
}

function notFound(path: string, origin: string, cwd: string): MlgateError {
  const shown = relative(cwd, path) || ".";
  return new MlgateError("source.not-found", `metric file not found: ${shown} (looked in ${cwd})`, {
    location: { file: origin },
    hint: "check that the step producing it ran before mlgate, and that the path is relative to the working directory",
  });
}

function unreadable(error: unknown, origin: string): MlgateError {
  const code = errnoCode(error);
  return new MlgateError("source.unreadable", `${origin} could not be read${code ? ` (${code})` : ""}`, {
    location: { file: origin },
    hint:
      code === "EACCES"
        ? "the file is not readable by the user running mlgate"
        : "check the file's permissions",
  });
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}
