// The published JSON Schema is generated from the zod schema and must not drift from it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderJsonSchema } from "../../src/cli/schema.js";
import { runCli } from "../support/cli.js";

describe("schema/mlgate.schema.json", () => {
  it("is what `mlgate schema` prints today (run `npm run schema` after changing the config schema)", async () => {
    const run = await runCli(["schema"]);
    expect(run.code).toBe(0);
    expect(readFileSync("schema/mlgate.schema.json", "utf8")).toBe(run.stdout);
  });

  it("lists every comparison strategy for editors to complete", () => {
    const text = renderJsonSchema();
    for (const strategy of [
      "LessThan",
      "GreaterThanOrEqual",
      "InRange",
      "NotInRange",
      "Matches",
      "NotOneOf",
    ]) {
      expect(text).toContain(`"${strategy}"`);
    }
  });
});
