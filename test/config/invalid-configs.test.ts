// Every malformed config in fixtures/configs/invalid/ must give exit 2 and point at the right line and
// column. Each fixture states its expectation in its first line: `# expect: LINE:COLUMN words`.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const dir = "fixtures/configs/invalid";
const cases = readdirSync(dir)
  .filter((name) => name.endsWith(".yml"))
  .map((name) => {
    const first = readFileSync(join(dir, name), "utf8").split("\n")[0] ?? "";
    const match = /^# expect: (\d+):(\d+) (.+)$/.exec(first);
    if (!match) throw new Error(`${name} lacks an '# expect: LINE:COLUMN words' first line`);
    return { name, line: match[1], column: match[2], words: match[3] ?? "" };
  });

describe("a malformed config is refused with its position", () => {
  it("has at least ten malformed configs to check", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases)(
    "$name: exit 2, names $line:$column and says '$words'",
    async ({ name, line, column, words }) => {
      const file = join(dir, name);
      const run = await runCli(["check", "--config", file]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(`${file}:${line}:${column}`);
      expect(run.stderr).toContain(words);
    },
  );
});
