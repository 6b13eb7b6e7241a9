// `npm run app`: the mlgate App as a server. Reads the environment, opens the store (PGlite in
// MLGATE_DATA_DIR, or PostgreSQL at DATABASE_URL), starts the scoring workers and Probot's server, and shuts
// down cleanly on SIGTERM or SIGINT so the store's lock is released.
import { availableParallelism } from "node:os";
import { Probot, Server } from "probot";
import { createMlgateApp } from "./app.js";
import { EnvError, readAppEnv } from "./env.js";
import { learnAppSecrets, MlgateOctokit } from "./github/octokit.js";
import { createLogger } from "./log.js";
import { ScoringPool } from "./scoring/pool.js";
import { openDb } from "./store/db.js";
import { guardWebhookIntake, MAX_WEBHOOK_BYTES } from "./intake/intake.js";

/** Room for 2 MiB of text parsed as YAML many times over; a worker past it dies alone. */
const SCORING_WORKER_HEAP_MB = 512;

async function main(): Promise<void> {
  const env = readAppEnv(process.env);
  learnAppSecrets(process.env);
  const log = await createLogger(env);
  const db = await openDb({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
  const scorer = new ScoringPool({
    workerUrl: new URL("./scoring-worker.js", import.meta.url),
    // At least two, so that one organisation's slow repository leaves a worker for the others.
    workers: Math.max(2, Math.min(4, availableParallelism())),
    timeLimitMs: env.scoringTimeLimitMs,
    maxHeapMb: SCORING_WORKER_HEAP_MB,
  });
  const app = createMlgateApp({
    db,
    scorer,
    serverUrl: env.serverUrl,
    reportDebounceMs: env.reportDebounceMs,
    sweepIntervalMs: env.sweepIntervalMs,
    visibilityCheckMs: env.visibilityCheckMs,
    reconcileIntervalMs: env.reconcileIntervalMs,
    scanLeaseMs: env.scanLeaseMs,
    changeWindowMs: env.changeWindowMs,
  });
  const server = new Server({
    host: env.host,
    port: env.port,
    webhookPath: env.webhookPath,
    log,
    Probot: Probot.defaults({
      log,
      Octokit: MlgateOctokit,
      appId: env.appId,
      privateKey: env.privateKey,
      secret: env.webhookSecret,
      baseUrl: env.baseUrl,
      logLevel: env.logLevel,
      ...(env.redisUrl ? { redisConfig: env.redisUrl } : {}),
    }),
  });
  await server.load(app.appFn);
  // Before any connection is accepted (start resolves in listen's callback): Probot reads bodies unbounded.
  guardWebhookIntake(await server.start(), {
    webhookPath: env.webhookPath,
    secret: env.webhookSecret,
    limits: {
      maxBodyBytes: MAX_WEBHOOK_BYTES,
      budgetBytes: env.webhookMemoryBytes,
      timeoutMs: env.webhookTimeoutMs,
    },
    log,
  });
  console.log(
    `mlgate App listening on http://${env.host}:${server.port}${env.webhookPath} (store: ${db.kind === "postgres" ? "PostgreSQL" : `PGlite in ${env.dataDir}`}, GitHub API: ${env.baseUrl})`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`mlgate App stopping (${signal})`);
    await server.stop().catch(() => undefined);
    await app.stop();
    await scorer.close();
    await db.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || (error as { name?: string }).name === "StoreError") {
    console.error(`mlgate: ${(error as Error).message}`);
  } else {
    console.error("mlgate: the App failed to start:", error);
  }
  process.exit(1);
});
