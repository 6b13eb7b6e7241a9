// When the org report is rebuilt: a change marks it stale in the store (in the same transaction as the
// change), and the report is rebuilt once things have been quiet for the debounce time. A periodic sweep
// rebuilds reports any instance left stale (a restart, a lost timer, a lock another instance held).
import { dirtyOrgReports } from "../store/org-reports.js";
import { publishOrgReport, type PublishOutcome, type ReportDeps } from "./publish.js";

export interface SchedulerLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export class ReportScheduler {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly deps: ReportDeps,
    private readonly debounceMs: number,
    private readonly log: SchedulerLog,
  ) {}

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

  /** Rebuilds every report that has been stale for at least the debounce time. */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    const due = await dirtyOrgReports(this.deps.db, new Date(this.deps.now().getTime() - this.debounceMs));
    for (const installationId of due) await this.track(this.publish(installationId));
  }

  async publish(installationId: number): Promise<PublishOutcome | "failed"> {
    try {
      const outcome = await publishOrgReport(this.deps, installationId);
      this.log.info({ installationId, outcome }, "org report");
      // Another instance holds the lock: it may have read the data before our change; look again later.
      if (outcome === "busy") this.touch(installationId);
      return outcome;
    } catch (error) {
      this.log.error(
        { installationId, err: error },
        "org report could not be written; the next sweep retries",
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
