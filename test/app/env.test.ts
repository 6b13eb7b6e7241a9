// The App refuses to start with a webhook secret short enough to guess from one signed delivery.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github-sim/index.js";
import { startApp } from "../support/app-process.js";

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
