// Drives the real `mlgate` entry (`main`) in-process with real files, capturing what a user would see.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

/**
 * A temporary project whose gates config has one source, `scorer`: a Node script run as a command.
 * Returns the project directory and the `check` arguments for it.
 */
export function scriptProject(script: string, kpiLines: string[]): { dir: string; check: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "mlgate-script-"));
  const config = [
    "version: 1",
    "sources:",
    `  scorer: { command: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(script)}], timeout: 30s }`,
    "kpis:",
    ...kpiLines.map((line) => `  ${line}`),
  ].join("\n");
  writeFileSync(join(dir, "mlgate.yml"), config);
  return { dir, check: ["check", "--config", join(dir, "mlgate.yml"), "--cwd", dir] };
}
