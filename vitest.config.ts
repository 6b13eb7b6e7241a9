import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};

export default defineConfig({
  define: { __MLGATE_VERSION__: JSON.stringify(version) },
  test: {
    include: ["test/**/*.test.ts"],
    // A fixed fast-check seed for every property test that does not pass its own (FC_SEED, FC_RUNS).
    setupFiles: ["test/support/fast-check-setup.ts"],
    testTimeout: 20_000,
  },
});
