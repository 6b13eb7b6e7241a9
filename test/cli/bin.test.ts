// The built `mlgate` bin (dist/mlgate.js, what `npm start` and users run) as a separate process:
// exit codes and streams are the real ones.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const run = (...args: string[]) =>
  spawnSync(process.execPath, ["dist/mlgate.js", ...args], { encoding: "utf8" });

describe("the mlgate bin", () => {
  it("checks the bundled example: exit 0 and the verdict on the first line", () => {
    const result = run("check", "--config", "fixtures/example/mlgate.yml", "--cwd", "fixtures/example");
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe(
      "! mlgate: conformant with warnings — 10 gates: 9 passed, 1 warning",
    );
  });

  it("reports a malformed config on stderr with exit 2", () => {
    const result = run("check", "--config", "fixtures/configs/invalid/04-unknown-source.yml");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("04-unknown-source.yml:6:23");
  });

  it("prints its version", () => {
    expect(run("--version").stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
