// The App's logger: Probot's own recipe (pino through @probot/pino's formatter), made here so that
// LOG_LEVEL, LOG_FORMAT and friends reach both Probot and its server; left to itself the server makes a
// second logger at `info`.
import { getTransformStream } from "@probot/pino";
import { pino, type Logger } from "pino";
import type { AppEnv } from "./env.js";

export async function createLogger(
  env: Pick<AppEnv, "logLevel" | "logFormat" | "logLevelInString" | "sentryDsn">,
): Promise<Logger> {
  const transform = await getTransformStream({
    logFormat: env.logFormat,
    logLevelInString: env.logLevelInString,
    ...(env.sentryDsn ? { sentryDsn: env.sentryDsn } : {}),
  });
  transform.pipe(pino.destination(1) as unknown as NodeJS.WritableStream);
  return pino({ level: env.logLevel, name: "probot" }, transform);
}
