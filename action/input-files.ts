// Files the workflow's inputs name (`config`, a `baseline` path, `report-path` in mode: publish) are read
// through a ContainedFs: inside the working directory or the checkout, no link a pull request committed
// may lead out of it; an absolute path elsewhere is the workflow's own choice and is read where it is.
import { resolve } from "node:path";
import { MlgateError } from "../src/errors.js";
import {
  ContainmentError,
  describeRefusal,
  typedPathFs,
  type ContainedFs,
} from "../src/files/contained-fs.js";

export function inputFile(
  typed: string,
  cwd: string,
  workspace: string,
): Promise<{ files: ContainedFs; path: string }> {
  return typedPathFs(typed, cwd, [
    { dir: cwd, label: `the working directory ${cwd}` },
    { dir: workspace, label: `the workspace ${workspace}` },
  ]);
}

/**
 * The working directory every other path resolves against and every file read is contained in. Inside the
 * checkout, a link the pull request committed (`ml -> /`) must not move it, and with it that containment,
 * out of the checkout; an absolute path elsewhere is the workflow's own choice.
 */
export async function workingDirectoryOf(typed: string, workspace: string): Promise<string> {
  const cwd = resolve(workspace, typed);
  const { files, path } = await typedPathFs(typed, workspace, [
    { dir: workspace, label: `the workspace ${workspace}` },
  ]);
  if (files.root !== resolve(workspace)) return cwd;
  try {
    const { kind } = await files.stat(path);
    if (kind === "directory") return cwd;
    throw new MlgateError("usage", `working-directory ${typed} is a file, not a directory`, {
      location: { field: "with.working-directory" },
      hint: "set working-directory to the directory the gates config's paths are relative to",
    });
  } catch (error) {
    if (!(error instanceof ContainmentError)) throw error;
    // Missing: the gates config it should hold is reported as missing, by name.
    if (error.refusal.reason === "not-found") return cwd;
    throw new MlgateError(
      "usage",
      `working-directory ${typed} ${describeRefusal(error.refusal, error.label)}`,
      {
        location: { field: "with.working-directory" },
        hint: "mlgate reads only inside the checkout: set working-directory to a directory of the repository itself",
      },
    );
  }
}
