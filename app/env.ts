// The App's settings from the environment: Probot's standard variables (APP_ID, PRIVATE_KEY or
// PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, GHE_HOST, GHE_PROTOCOL, REDIS_URL, LOG_LEVEL, WEBHOOK_PATH)
// plus mlgate's own (storage and timings). Every problem is named with what to set.
import { getPrivateKey } from "@probot/get-private-key";
import { parseDuration } from "../src/config/duration.js";
import { DEFAULT_WEBHOOK_BUDGET_BYTES, MIN_WEBHOOK_BUDGET_BYTES } from "./intake/intake.js";

export interface AppEnv {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  port: number;
  host: string;
  webhookPath: string;
  /** REST base URL; GraphQL is derived from it by Octokit. */
  baseUrl: string;
  /** Where people open repositories and commits: https://github.com or the Enterprise host. */
  serverUrl: string;
  redisUrl: string | undefined;
  logLevel: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  /** "pretty" by default, "json" when NODE_ENV is production (Probot's rule). */
  logFormat: "json" | "pretty";
  logLevelInString: boolean;
  sentryDsn: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
  reportDebounceMs: number;
  sweepIntervalMs: number;
  /** How often a sweep asks GitHub whether a repository holding private names in a report turned public. */
  visibilityCheckMs: number;
  reconcileIntervalMs: number;
  scanLeaseMs: number;
  changeWindowMs: number;
  /** What all unverified webhook requests together may hold (app/intake/). */
  webhookMemoryBytes: number;
  /** How long a client has for a request's headers, and then for its body. */
  webhookTimeoutMs: number;
  /** How long one repository's scoring may take in its worker before it is given up (not recorded). */
  scoringTimeLimitMs: number;
}

export class EnvError extends Error {
  override readonly name = "EnvError";
}

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

/** Deliveries are signed with the secret: it must not be guessable. */
export const MIN_SECRET_LENGTH = 16;

export function readAppEnv(env: NodeJS.ProcessEnv): AppEnv {
  const problems: string[] = [];
  const appId = Number(env.APP_ID);
  if (!env.APP_ID || !Number.isInteger(appId) || appId <= 0) {
    problems.push("APP_ID: set it to the App ID shown on the App's settings page (a number)");
  }
  let privateKey: string | null = null;
  try {
    privateKey = getPrivateKey({ env });
  } catch (error) {
    problems.push(`PRIVATE_KEY / PRIVATE_KEY_PATH: ${(error as Error).message}`);
  }
  if (privateKey === null && !problems.some((problem) => problem.startsWith("PRIVATE_KEY"))) {
    problems.push(
      "PRIVATE_KEY or PRIVATE_KEY_PATH: set one to the App's private key (the .pem file GitHub generated)",
    );
  }
  if (!env.WEBHOOK_SECRET) {
    problems.push(
      "WEBHOOK_SECRET: set it to the webhook secret of the App (deliveries are verified with it)",
    );
  } else if (env.WEBHOOK_SECRET.length < MIN_SECRET_LENGTH) {
    // A short secret can be guessed offline from one signed delivery; then anyone can forge webhooks.
    problems.push(
      `WEBHOOK_SECRET: it is ${env.WEBHOOK_SECRET.length} characters; use at least ${MIN_SECRET_LENGTH} random ones (e.g. \`openssl rand -hex 32\`), here and in the App's settings on GitHub`,
    );
  }
  const duration = (name: string, fallback: string, allowZero = false): number => {
    const text = env[name] || fallback;
    if (allowZero && text === "0") return 0;
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) {
      problems.push(`${name}: "${text}" is not a duration like 30s, 10m, 6h or 30d`);
      return 0;
    }
    return ms;
  };
  const size = (name: string, fallback: number, minimum: number): number => {
    const text = env[name];
    if (!text) return fallback;
    const bytes = parseMebibytes(text);
    if (bytes === undefined || bytes < minimum) {
      problems.push(`${name}: "${text}" is not a size of at least ${minimum / MIB} MiB, like 64MiB or 1GiB`);
      return fallback;
    }
    return bytes;
  };
  const port = Number(env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT: "${env.PORT}" is not a port number`);
  const logLevel = (env.LOG_LEVEL || "info") as AppEnv["logLevel"];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL: use one of ${LOG_LEVELS.join(", ")}`);
  const protocol = env.GHE_PROTOCOL || "https";
  const result: AppEnv = {
    appId,
    privateKey: privateKey ?? "",
    webhookSecret: env.WEBHOOK_SECRET ?? "",
    port,
    host: env.HOST || "0.0.0.0",
    webhookPath: env.WEBHOOK_PATH || "/api/github/webhooks",
    baseUrl: env.GHE_HOST ? `${protocol}://${env.GHE_HOST}/api/v3` : "https://api.github.com",
    serverUrl: env.GHE_HOST ? `${protocol}://${env.GHE_HOST}` : "https://github.com",
    redisUrl: env.REDIS_URL || undefined,
    logLevel,
    logFormat: env.LOG_FORMAT
      ? env.LOG_FORMAT === "pretty"
        ? "pretty"
        : "json"
      : env.NODE_ENV === "production"
        ? "json"
        : "pretty",
    logLevelInString: env.LOG_LEVEL_IN_STRING === "true",
    sentryDsn: env.SENTRY_DSN || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.MLGATE_DATA_DIR || ".data",
    reportDebounceMs: duration("MLGATE_REPORT_DEBOUNCE", "10s"),
    sweepIntervalMs: duration("MLGATE_SWEEP_INTERVAL", "1m"),
    visibilityCheckMs: duration("MLGATE_VISIBILITY_CHECK_INTERVAL", "15m"),
    reconcileIntervalMs: duration("MLGATE_RECONCILE_INTERVAL", "6h", true),
    scanLeaseMs: duration("MLGATE_SCAN_LEASE", "10m"),
    changeWindowMs: duration("MLGATE_CHANGE_WINDOW", "30d"),
    webhookMemoryBytes: size("MLGATE_WEBHOOK_MEMORY", DEFAULT_WEBHOOK_BUDGET_BYTES, MIN_WEBHOOK_BUDGET_BYTES),
    webhookTimeoutMs: duration("MLGATE_WEBHOOK_TIMEOUT", "10s"),
    scoringTimeLimitMs: duration("MLGATE_SCORING_TIME_LIMIT", "10s"),
  };
  if (problems.length) {
    throw new EnvError(
      `the App cannot start:\n${problems.map((problem) => `  - ${problem}`).join("\n")}\nSee docs/app.md.`,
    );
  }
  return result;
}

const MIB = 1024 * 1024;

/** "64MiB", "1GiB" (a space allowed before the unit): bytes, or undefined for anything else. */
function parseMebibytes(text: string): number | undefined {
  const match = /^(\d{1,6}) ?(MiB|GiB)$/.exec(text.trim());
  if (!match) return undefined;
  const unit = match[2] === "GiB" ? 1024 * MIB : MIB;
  return Number(match[1]) * unit;
}
