// Primary rate limits as GitHub counts them: an hourly window per account and resource (REST `core`,
// `graphql`) that starts at first use. An installation's tokens share the installation's window; users and
// bots have their own. The simulator counts but never refuses: a refusal would make Octokit's throttling
// wait for the reset, so a test that wants an exhausted limit asks for one with `fault`.
import type { Identity } from "./records.js";

export type RateResource = "core" | "graphql" | "search";

export interface RateWindow {
  limit: number;
  used: number;
  remaining: number;
  /** Epoch milliseconds. */
  resetAt: number;
}

export interface RateAccount {
  key: string;
  limit(resource: RateResource): number;
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Whose window a caller spends and its size. GitHub: 5,000 an hour per user; per installation 5,000 plus
 * 50 per repository when it has more than 20, at most 12,500 (REST requests and GraphQL points alike);
 * Actions' GITHUB_TOKEN 1,000; search 30 a minute (kept per hour here).
 */
export function rateAccount(identity: Identity, installationRepoCount: () => number): RateAccount {
  if (identity.installationId !== undefined) {
    return {
      key: `installation:${identity.installationId}`,
      limit: (resource) => {
        if (resource === "search") return 30;
        const repos = installationRepoCount();
        return Math.min(12_500, 5000 + (repos > 20 ? 50 * repos : 0));
      },
    };
  }
  const actions = identity.appSlug === "github-actions";
  return {
    key: `${actions ? "actions" : "user"}:${identity.login.toLowerCase()}`,
    limit: (resource) => (resource === "search" ? 30 : actions ? 1000 : 5000),
  };
}

export class RateLimits {
  private readonly windows = new Map<string, { limit: number; used: number; resetAt: number }>();

  constructor(private readonly now: () => Date) {}

  /** Spends `cost` from the caller's window (0 only reads it) and returns the window after that. */
  spend(account: RateAccount, resource: RateResource, cost: number): RateWindow {
    const key = `${account.key} ${resource}`;
    const nowMs = this.now().getTime();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= nowMs) {
      window = { limit: account.limit(resource), used: 0, resetAt: nowMs + HOUR_MS };
      this.windows.set(key, window);
    }
    window.used += cost;
    return { ...window, remaining: Math.max(0, window.limit - window.used) };
  }
}

/** The `x-ratelimit-*` headers GitHub sends with every authenticated answer. */
export function rateHeaders(resource: RateResource, window: RateWindow): Record<string, string> {
  return {
    "x-ratelimit-limit": String(window.limit),
    "x-ratelimit-remaining": String(window.remaining),
    "x-ratelimit-used": String(window.used),
    "x-ratelimit-reset": String(Math.floor(window.resetAt / 1000)),
    "x-ratelimit-resource": resource,
  };
}
