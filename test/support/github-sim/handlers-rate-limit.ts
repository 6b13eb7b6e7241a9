// GET /rate_limit: the caller's windows as the simulator counts them (see rate-limits.ts); asking is free.
import { identityOf } from "./auth.js";
import type { RestHandler } from "./rest.js";
import type { RateResource, RateWindow } from "./rate-limits.js";

function windowJson(window: RateWindow) {
  return {
    limit: window.limit,
    used: window.used,
    remaining: window.remaining,
    reset: Math.floor(window.resetAt / 1000),
  };
}

const getRateLimit: RestHandler = (request) => {
  const state = request.ctx.state;
  const account = state.rateAccount(identityOf(request));
  const read = (resource: RateResource) => windowJson(state.rateLimits.spend(account, resource, 0));
  const core = read("core");
  return {
    status: 200,
    body: { resources: { core, search: read("search"), graphql: read("graphql") }, rate: core },
  };
};

export const rateLimitHandlers: Record<string, RestHandler> = {
  "rate-limit/get": getRateLimit,
};
