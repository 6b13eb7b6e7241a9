// Probot's Octokit with the App's own write pacing. Left to its defaults the throttling plugin spaces an
// installation's writes 1 s apart (GraphQL reads count as writes) and content-creating requests 3 s apart:
// one push per second per organisation, a 1,000-repository scan waiting 20 s between its reads. Writes stay
// one at a time per installation; content creation keeps GitHub's documented ceiling of 80 a minute.
// Every request has a timeout (a hung GitHub must not hang a webhook or a render forever), and a rate limit
// is waited out only when GitHub asks for a short wait; a longer one fails the request, and the report
// scheduler waits as long as GitHub said before its next try.
import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";
import { guardRequests } from "../../github/outgoing.js";
import { Secrets, secretsInEnvironment } from "../../src/secrets.js";

/**
 * The App's own secrets (webhook secret, private key, store and Redis URLs): nothing it writes to GitHub
 * shows them, nor anything shaped like a GitHub token (an installation's token included).
 */
export const appSecrets = new Secrets();

export function learnAppSecrets(env: NodeJS.ProcessEnv): void {
  for (const value of secretsInEnvironment(env)) appSecrets.add(value);
}

/** GitHub: "no more than 80 content-generating requests per minute". */
const NOTIFICATION_GAP_MS = 750;
/** No GitHub REST or GraphQL call the App makes needs longer; GitHub itself gives up after 10 s on most. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** A rate limit asking for a longer wait than this fails the request instead of holding it. */
const MAX_RATE_LIMIT_WAIT_S = 60;

interface ThrottleOptions {
  Bottleneck?: typeof Bottleneck;
  connection?: unknown;
  timeout?: number;
  [key: string]: unknown;
}

let groups: { write: Bottleneck.Group; notifications: Bottleneck.Group } | undefined;

/** Created once per process, on the Redis connection Probot made for REDIS_URL when there is one. */
function pacing(throttle: ThrottleOptions) {
  if (!groups) {
    const Engine = throttle.Bottleneck ?? Bottleneck;
    const common = {
      maxConcurrent: 1,
      timeout: throttle.timeout ?? 120_000,
      ...(throttle.connection ? { connection: throttle.connection as Bottleneck.RedisConnection } : {}),
    };
    groups = {
      write: new Engine.Group({ ...common, id: "mlgate-write", minTime: 0 }),
      notifications: new Engine.Group({
        ...common,
        id: "mlgate-notifications",
        minTime: NOTIFICATION_GAP_MS,
      }),
    };
  }
  return groups;
}

type Fetch = typeof globalThis.fetch;

/**
 * `fetch` that gives up after `ms`, keeping any signal the caller passed. An explicit timer rather than
 * AbortSignal.timeout: on Node 20 an unreferenced timeout signal can be collected before it fires.
 */
export function fetchWithTimeout(fetch: Fetch, ms: number): Fetch {
  return (input, init) => {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException(`GitHub did not answer within ${ms} ms`, "TimeoutError")),
      ms,
    );
    // Left running (unreferenced) until the deadline, so a body that stalls after the headers is cut too;
    // aborting a request that has finished does nothing.
    timer.unref();
    const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
    return fetch(input, { ...init, signal });
  };
}

interface RateLimitOptions {
  request: { retryCount: number };
}

/** Wait out a short rate limit once or twice; a long one fails now (Probot's server default never retries). */
const waitIfShort = (retryAfter: number, options: RateLimitOptions) =>
  retryAfter <= MAX_RATE_LIMIT_WAIT_S && options.request.retryCount < 2;

export const MlgateOctokit = ProbotOctokit.plugin((octokit) => {
  guardRequests(octokit, appSecrets);
  return {};
}).defaults((options: { throttle?: ThrottleOptions; request?: { fetch?: Fetch } }) => ({
  ...options,
  request: {
    ...options.request,
    fetch: fetchWithTimeout(options.request?.fetch ?? globalThis.fetch, REQUEST_TIMEOUT_MS),
  },
  ...(options.throttle?.enabled === false
    ? {}
    : {
        throttle: {
          ...options.throttle,
          ...pacing(options.throttle ?? {}),
          onRateLimit: waitIfShort,
          onSecondaryRateLimit: waitIfShort,
        },
      }),
}));
