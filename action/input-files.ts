// Files the workflow's inputs name (`config`, a `baseline` path, `report-path` in mode: publish) are read
// through a ContainedFs: inside the working directory or the checkout, no link a pull request committed
// may lead out of it; an absolute path elsewhere is the workflow's own choice and is read where it is.
import { typedPathFs, type ContainedFs } from "../src/files/contained-fs.js";

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
