// What evidence detectors may look at: a shallow listing of a repository (two levels, plus the workflows
// folder) and the text of a fixed set of files. The App reads exactly this through GraphQL and the CLI from
// disk (through a ContainedFs: no link leads out of the checkout), so both see the same repository the same way.
import { ContainedFs, type ListedEntry } from "../files/contained-fs.js";

/** The verdict of the latest mlgate gate run of a repository, as the App recorded it. */
export interface GateVerdict {
  status: string;
  commit: string;
  createdAt: string;
  /** Names of the CABC dimensions the report covered (Fairness, Robustness, ...). */
  dimensions: string[];
}

export interface RepositoryView {
  /** Every listed path, '/'-separated from the repository root, with its kind. */
  entries: ReadonlyMap<string, "file" | "dir">;
  /** Text of the files read: those in FILES_READ and every file of WORKFLOWS_DIR. */
  files: ReadonlyMap<string, string>;
  /** Files read but left out of `files` by the scoring budget (budget.ts): judged by name only. */
  unscored?: readonly string[];
  gate?: GateVerdict;
}

export const WORKFLOWS_DIR = ".github/workflows";

/** The files detectors read; anything else they judge by its name only. */
export const FILES_READ = [
  ".github/mlops-maturity.yml",
  ".github/mlgate.yml",
  "dvc.yaml",
  "MLproject",
  "requirements.txt",
  "pyproject.toml",
  "environment.yml",
  "setup.py",
  "README.md",
  "MODEL_CARD.md",
  "model_card.md",
  ".gitlab-ci.yml",
  "Jenkinsfile",
] as const;

/** Files larger than this are listed but not read (a README of several MB says nothing more). */
export const MAX_FILE_BYTES = 512 * 1024;

const SKIPPED_DIRECTORIES = new Set([".git", "node_modules", ".venv", "venv", "__pycache__"]);

/** Builds the view of a repository checked out at `root`, as the App would read it from GitHub. */
export async function viewFromDirectory(root: string, gate?: GateVerdict): Promise<RepositoryView> {
  const disk = await ContainedFs.open(root);
  const entries = new Map<string, "file" | "dir">();
  const list = async (relative: string, depth: number): Promise<void> => {
    let names: ListedEntry[];
    try {
      names = await disk.list(relative || ".");
    } catch {
      return;
    }
    for (const entry of names) {
      // Links are not listed, as before: the view is of what the repository holds, not where links lead.
      if (entry.link) continue;
      if (entry.kind === "directory" && SKIPPED_DIRECTORIES.has(entry.name)) continue;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.kind === "directory") {
        entries.set(path, "dir");
        if (depth < 2) await list(path, depth + 1);
      } else if (entry.kind === "file") {
        entries.set(path, "file");
      }
    }
  };
  await list("", 1);
  await list(WORKFLOWS_DIR, 3);
  const files = new Map<string, string>();
  const wanted = [
    ...FILES_READ,
    ...[...entries.keys()].filter((path) => isWorkflowFile(path) && entries.get(path) === "file"),
  ];
  for (const path of wanted) {
    const text = await readSmallFile(disk, path);
    if (text !== undefined) {
      files.set(path, text);
      entries.set(path, "file");
    }
  }
  return { entries, files, ...(gate ? { gate } : {}) };
}

/** A YAML file directly in .github/workflows. */
export function isWorkflowFile(path: string): boolean {
  return (
    path.startsWith(`${WORKFLOWS_DIR}/`) &&
    !path.slice(WORKFLOWS_DIR.length + 1).includes("/") &&
    /\.ya?ml$/i.test(path)
  );
}

/** A file's text when it is a regular file inside the root of at most MAX_FILE_BYTES; else nothing. */
async function readSmallFile(disk: ContainedFs, path: string): Promise<string | undefined> {
  return disk.readText(path, MAX_FILE_BYTES).catch(() => undefined);
}
