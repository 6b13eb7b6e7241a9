// Drives the real `mlgate` entry (`main`) in-process with real files, capturing what a user would see.
import { main } from "../../src/cli/main.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string>; now?: Date } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    fetch: globalThis.fetch,
    now: () => options.now ?? new Date("2026-11-23T12:00:00Z"),
    color: false,
  });
  return { code, stdout, stderr };
}
