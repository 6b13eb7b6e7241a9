// The `file:` assessment interface: a metric file relative to the working directory, size-checked
// before it is read, decoded as UTF-8 and parsed in its declared or detected format.
import { readFile, stat } from "node:fs/promises";
import { relative, resolve } from "node:path";
import type { SourceSpec } from "../config/model.js";
import { MlgateError } from "../errors.js";
import { toDocument } from "./decode.js";
import { errnoCode } from "./errno.js";
import type { SourceContext, SourceDocument } from "./types.js";

export const MAX_FILE_BYTES = 256 * 1024 * 1024;

type FileSpec = Extract<SourceSpec, { kind: "file" }>;

export async function readFileSource(spec: FileSpec, ctx: SourceContext): Promise<SourceDocument> {
  const origin = spec.file;
  const path = resolve(ctx.cwd, spec.file);
  await checkFile(path, origin, ctx.cwd);
  const bytes = await readFile(path).catch((error: unknown) => {
    throw errnoCode(error) ? unreadable(error, origin) : error;
  });
  return toDocument(bytes, spec, origin, spec.file);
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
