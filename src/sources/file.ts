// The `file:` assessment interface: a metric file inside the working directory, read through the run's
// ContainedFs (links resolved inside it, only regular files, size checked before reading), decoded as
// UTF-8 and parsed in its declared or detected format.
import { relative } from "node:path";
import type { FormatName, SourceSpec } from "../config/model.js";
import { MlgateError } from "../errors.js";
import { ContainmentError, describeRefusal, type ContainedFs } from "../files/contained-fs.js";
import { formatSize } from "../files/size.js";
import { decodeUtf8, textDocument } from "./decode.js";
import { detectTreeFormat, treeFormat } from "./formats/tools.js";
import type { TreeFormat } from "./formats/tree.js";
import type { SourceDocument } from "./types.js";

export const MAX_FILE_BYTES = 256 * 1024 * 1024;

type FileSpec = Extract<SourceSpec, { kind: "file" }>;

/**
 * `files` is rooted at the working directory for a config's `file:` (a PR's head must not get runner
 * files into a comment), or at the place a user typed for `mlgate inspect <path>`, which then gives
 * `path` (the typed path resolved against the user's directory, not against that place).
 */
export async function readFileSource(
  spec: FileSpec,
  files: ContainedFs,
  path: string = files.resolve(spec.file),
): Promise<SourceDocument> {
  const origin = spec.file;
  const { kind } = await files.stat(path).catch((error: unknown) => {
    throw sourceError(error, spec, files, path);
  });
  const tree = await treeFormatOf(spec, path, kind, files);
  if (tree) return readTree(tree, spec, path, files);
  // Only the decoded text is kept: the bytes can be collected while the text is parsed.
  const bytes = await files.readBytes(path, MAX_FILE_BYTES).catch((error: unknown) => {
    throw sourceError(error, spec, files, path);
  });
  return textDocument(decodeUtf8(bytes, origin), spec, origin, spec.file);
}

/** The tree format that reads this path: the one named, or one whose shape a directory or dvc.yaml has. */
async function treeFormatOf(
  spec: FileSpec,
  path: string,
  kind: "file" | "directory",
  files: ContainedFs,
): Promise<TreeFormat | undefined> {
  const found = spec.format ? treeFormat(spec.format) : await detectTreeFormat(path, kind, files);
  if (!found && kind === "directory") {
    throw new MlgateError("source.unreadable", `${spec.file} is a directory, not a metric file`, {
      location: { file: spec.file },
      hint: "name the file inside it, e.g. `file: reports/metrics.json`; MLflow run directories and DVCLive directories are read with `format: mlflow` or `format: dvc`",
    });
  }
  return found;
}

async function readTree(
  format: TreeFormat,
  spec: FileSpec,
  path: string,
  files: ContainedFs,
): Promise<SourceDocument> {
  const origin = spec.file;
  const reading = await format.read(path, {
    origin,
    files,
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
 * A refusal in the source's words. Outside the working directory (`../x`, an absolute path elsewhere, a
 * link on the way leading out) names only what the config wrote, never where a link leads.
 */
function sourceError(error: unknown, spec: FileSpec, files: ContainedFs, path: string): unknown {
  if (!(error instanceof ContainmentError)) return error;
  const origin = spec.file;
  const location = { file: origin };
  const refusal = error.refusal;
  switch (refusal.reason) {
    case "outside":
      return new MlgateError(
        "source.unreadable",
        `source "${spec.name}": ${origin} ${describeRefusal(refusal, files.label)}`,
        {
          location: { file: origin, field: `sources.${spec.name}.file` },
          hint: "mlgate reads metric files only inside its working directory (the checkout): write or copy the file there, or run mlgate from a directory that holds it (--cwd, or working-directory in the Action)",
        },
      );
    case "not-found":
      return notFound(path, origin, files.root);
    case "too-large":
      return new MlgateError(
        "source.too-large",
        `${origin} is ${formatSize(refusal.bytes)}, more than the ${formatSize(MAX_FILE_BYTES)} a metric file may have`,
        { location, hint: "point the source at a summary of the metrics rather than raw data" },
      );
    case "wrong-kind":
      return new MlgateError("source.unreadable", `${origin} ${describeRefusal(refusal, files.label)}`, {
        location,
        hint: "point the source at the metric file a step of the job writes",
      });
    case "unreadable":
      return new MlgateError("source.unreadable", `${origin} could not be read (${refusal.code})`, {
        location,
        hint:
          refusal.code === "EACCES"
            ? "the file is not readable by the user running mlgate"
            : "check the file's permissions",
      });
    default: {
      const unknown: never = refusal;
      throw new Error(`unknown refusal: ${JSON.stringify(unknown)}`);
    }
  }
}

function notFound(path: string, origin: string, cwd: string): MlgateError {
  const shown = relative(cwd, path) || ".";
  return new MlgateError("source.not-found", `metric file not found: ${shown} (looked in ${cwd})`, {
    location: { file: origin },
    hint: "check that the step producing it ran before mlgate, and that the path is relative to the working directory",
  });
}
