// Probot's Octokit with the App's own write pacing. Left to its defaults the throttling plugin spaces an
// installation's writes 1 s apart (GraphQL reads count as writes) and content-creating requests 3 s apart:
// one push per second per organisation, a 1,000-repository scan waiting 20 s between its reads. Writes stay
// one at a time per installation; content creation keeps GitHub's documented ceiling of 80 a minute.
import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";

/** GitHub: "no more than 80 content-generating requests per minute". */
const NOTIFICATION_GAP_MS = 750;

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

export const MlgateOctokit = ProbotOctokit.defaults((options: { throttle?: ThrottleOptions }) => ({
  ...options,
  ...(options.throttle?.enabled === false
    ? {}
    : { throttle: { ...options.throttle, ...pacing(options.throttle ?? {}) } }),
}));
