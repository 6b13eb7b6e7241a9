// When the org report is rebuilt: a change marks it stale in the store (in the same transaction as the
// change), and the report is rebuilt once things have been quiet for the debounce time. A periodic sweep
// rebuilds reports any instance left stale (a restart, a lost timer, a lock another instance held). A report
// GitHub refused waits before the next try: as long as GitHub's retry-after says, else longer after each failure,
// so a read-only installation or a rate limit never turns the sweep into a retry storm.
import { dirtyOrgReports } from "../store/org-reports.js";
import { publishOrgReport, type PublishOutcome, type ReportDeps } from "./publish.js";
import { markExposedReports } from "./retire.js";

export interface SchedulerLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The wait after a first failure, doubled after each further one up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 15 * 60_000;

export class ReportScheduler {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly backoff = new Map<number, { failures: number; until: number }>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;
  /** When a sweep last asked GitHub about visibility; 0: never, so the first sweep (at start-up) does. */
  private visibilityCheckedAt = 0;
  private readonly debounceMs: number;
  private readonly visibilityCheckMs: number;

  constructor(
    private readonly deps: ReportDeps,
    timing: { debounceMs: number; visibilityCheckMs: number },
    private readonly log: SchedulerLog,
  ) {
    this.debounceMs = timing.debounceMs;
    this.visibilityCheckMs = timing.visibilityCheckMs;
  }

  /** A change was recorded: rebuild after `debounceMs` without further changes. */
  touch(installationId: number): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(installationId));
    const timer = setTimeout(() => {
      this.timers.delete(installationId);
      void this.track(this.publish(installationId));
    }, this.debounceMs);
    timer.unref();
    this.timers.set(installationId, timer);
  }

  /**
   * Rebuilds every report that has been stale for at least the debounce time, and, every `visibilityCheckMs`,
   * every report with an issue that named private repositories in a repository that has turned public (a
   * `publicized` webhook may have been lost; asking at every sweep would cost GitHub requests per organisation
   * every minute).
   */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    const due = new Date(this.deps.now().getTime() - this.debounceMs);
    if (Date.now() - this.visibilityCheckedAt >= this.visibilityCheckMs) {
      this.visibilityCheckedAt = Date.now();
      await markExposedReports(this.deps, (installationId) => this.isWaiting(installationId), due);
    }
    const stale = await dirtyOrgReports(this.deps.db, due);
    for (const installationId of stale) await this.track(this.publish(installationId));
  }

  private isWaiting(installationId: number): boolean {
    return (this.backoff.get(installationId)?.until ?? 0) > Date.now();
  }

  async publish(installationId: number): Promise<PublishOutcome | "failed" | "waiting"> {
    const waiting = this.backoff.get(installationId);
    // Still dirty in the store: a sweep after the wait picks it up.
    if (waiting && waiting.until > Date.now()) return "waiting";
    try {
      const outcome = await publishOrgReport(this.deps, installationId);
      this.log.info({ installationId, outcome }, "org report");
      if (outcome !== "busy") this.backoff.delete(installationId);
      // Another instance holds the lock: it may have read the data before our change; look again later.
      if (outcome === "busy") this.touch(installationId);
      return outcome;
    } catch (error) {
      const failures = (waiting?.failures ?? 0) + 1;
      const waitMs = Math.max(
        retryAfterMs(error) ?? 0,
        Math.min(FIRST_BACKOFF_MS * 2 ** (failures - 1), MAX_BACKOFF_MS),
      );
      this.backoff.set(installationId, { failures, until: Date.now() + waitMs });
      this.log.error(
        { installationId, err: error, retryInMs: waitMs },
        "org report could not be written; a sweep retries after the wait",
      );
      return "failed";
    }
  }

  /** Stops scheduling and waits for rebuilds in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private async track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    try {
      return await work;
    } finally {
      this.running.delete(work);
    }
  }
}

/** GitHub's `retry-after` (seconds) on a refused request, or a primary limit's reset time, in ms from now. */
function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { response?: { headers?: Record<string, string | number | undefined> } }).response
    ?.headers;
  const retryAfter = Number(headers?.["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = Number(headers?.["x-ratelimit-reset"]);
  if (headers?.["x-ratelimit-remaining"] === "0" && Number.isFinite(reset))
    return Math.max(0, reset * 1000 - Date.now());
  return undefined;
}
