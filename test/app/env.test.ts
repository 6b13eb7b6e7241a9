// The App refuses to start with a webhook secret short enough to guess from one signed delivery, and reads
// its webhook limits (memory, time) or names what is wrong with them.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readAppEnv } from "../../app/env.js";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";
import { privateKey, startApp } from "../support/app-process.js";

describe("the App's webhook secret", { timeout: 60_000 }, () => {
  let sim: GitHubSimulator;
  beforeEach(async () => {
    sim = await startGitHubSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  it("must be at least 16 characters, or the App does not start and says how to make one", async () => {
    await expect(startApp({ sim, env: { WEBHOOK_SECRET: "hunter2" } })).rejects.toThrow(
      /WEBHOOK_SECRET: it is 7 characters; use at least 16 random ones \(e\.g\. `openssl rand -hex 32`\)/,
    );
    // Sixteen characters are enough: it starts and listens.
    const app = await startApp({ sim, env: { WEBHOOK_SECRET: "0123456789abcdef" } });
    try {
      expect((await fetch(new URL("/ping", app.webhookUrl))).status).toBe(200);
    } finally {
      await app.stop();
    }
  });
});

describe("the App's webhook limits", () => {
  const base = { APP_ID: "1", PRIVATE_KEY: privateKey(), WEBHOOK_SECRET: "0123456789abcdef" };

  it.each([
    [undefined, undefined, 64 * 1024 * 1024, 10_000],
    ["128MiB", "3s", 128 * 1024 * 1024, 3_000],
    ["1 GiB", "500ms", 1024 * 1024 * 1024, 500],
  ])("MLGATE_WEBHOOK_MEMORY %j and MLGATE_WEBHOOK_TIMEOUT %j", (memory, timeout, bytes, ms) => {
    const env = readAppEnv({
      ...base,
      ...(memory ? { MLGATE_WEBHOOK_MEMORY: memory } : {}),
      ...(timeout ? { MLGATE_WEBHOOK_TIMEOUT: timeout } : {}),
    });
    expect([env.webhookMemoryBytes, env.webhookTimeoutMs]).toEqual([bytes, ms]);
  });

  it.each(["16MiB", "64", "64MB", "lots", "-64MiB"])(
    "refuse MLGATE_WEBHOOK_MEMORY=%j, naming the variable and the smallest size",
    (memory) => {
      expect(() => readAppEnv({ ...base, MLGATE_WEBHOOK_MEMORY: memory })).toThrow(
        `MLGATE_WEBHOOK_MEMORY: "${memory}" is not a size of at least 32 MiB, like 64MiB or 1GiB`,
      );
    },
  );

  it("refuse an MLGATE_WEBHOOK_TIMEOUT that is not a duration", () => {
    expect(() => readAppEnv({ ...base, MLGATE_WEBHOOK_TIMEOUT: "soon" })).toThrow(
      'MLGATE_WEBHOOK_TIMEOUT: "soon" is not a duration like 30s, 10m, 6h or 30d',
    );
  });
});
