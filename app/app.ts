// The mlgate App as a Probot application function: which webhook goes to which handler, and the timers
// (report sweep, lease recovery of scan batches, periodic reconcile that catches lost webhooks).
import type { ApplicationFunction, Probot } from "probot";
import {
  onInstallation,
  onInstallationRepositories,
  onRepository,
  scanInstallation,
} from "./handlers/installation.js";
import { onPullRequest } from "./handlers/pull-request.js";
import { onPush } from "./handlers/push.js";
import { onWorkflowRun } from "./handlers/workflow-run.js";
import { OrgContexts } from "./org-context.js";
import type { Scorer } from "./scoring/pool.js";
import { ReportScheduler } from "./report/scheduler.js";
import type { Services } from "./services.js";
import type { Db } from "./store/db.js";
import { getInstallation } from "./store/store.js";
import { drainScanBatches } from "./tracker.js";

export interface AppOptions {
  db: Db;
  /** Scores repositories off the event loop, under a time limit (scoring/pool.ts). */
  scorer: Scorer;
  /** "https://github.com", or the GitHub Enterprise host the App talks to. */
  serverUrl: string;
  now?: () => Date;
  reportDebounceMs: number;
  sweepIntervalMs: number;
  /** At most this often a sweep checks the visibility of repositories that hold private names (a lost webhook). */
  visibilityCheckMs: number;
  /** 0 turns the periodic reconcile off. */
  reconcileIntervalMs: number;
  scanLeaseMs: number;
  changeWindowMs: number;
}

export interface MlgateApp {
  appFn: ApplicationFunction;
  /** Stops timers and waits for work in flight; the caller closes the store afterwards. */
  stop(): Promise<void>;
  /** Rescans every live installation (what the periodic reconcile does). */
  reconcile(): Promise<void>;
}

export function createMlgateApp(options: AppOptions): MlgateApp {
  const now = options.now ?? (() => new Date());
  const timers: NodeJS.Timeout[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let services: Services | undefined;
  let stopped = false;

  const appFn: ApplicationFunction = (app: Probot) => {
    let bot: Promise<string> | undefined;
    const orgs = new OrgContexts(now);
    const octokitFor = (installationId: number) => app.auth(installationId);
    const orgContext = async (installationId: number) => {
      const installation = await getInstallation(options.db, installationId);
      return orgs.get(installation?.accountLogin ?? "", await octokitFor(installationId));
    };
    const tracker = {
      db: options.db,
      now,
      octokitFor,
      orgContext,
      scorer: options.scorer,
      log: app.log,
      scanLeaseMs: options.scanLeaseMs,
    };
    const botLogin = () => {
      bot ??= app.auth().then(async (octokit) => {
        const { data } = await octokit.request("GET /app");
        return `${(data as { slug: string }).slug}[bot]`;
      });
      bot.catch(() => (bot = undefined));
      return bot;
    };
    const reports = new ReportScheduler(
      {
        db: options.db,
        now,
        octokitFor,
        orgContext,
        botLogin,
        serverUrl: options.serverUrl,
        changeWindowMs: options.changeWindowMs,
        log: app.log,
      },
      { debounceMs: options.reportDebounceMs, visibilityCheckMs: options.visibilityCheckMs },
      app.log,
    );
    const background = (name: string, work: () => Promise<unknown>) => {
      if (stopped) return;
      const running = work().catch((error: unknown) =>
        app.log.error({ err: error, task: name }, "background work failed"),
      );
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running));
    };
    const current: Services = {
      db: options.db,
      now,
      log: app.log,
      octokitFor,
      botLogin,
      orgs,
      orgContext,
      tracker,
      reports,
      serverUrl: options.serverUrl,
      background,
    };
    services = current;

    app.on("installation", (context) => onInstallation(current, context));
    app.on("installation_repositories", (context) => onInstallationRepositories(current, context));
    app.on("repository", (context) => onRepository(current, context));
    app.on("push", (context) => onPush(current, context));
    app.on("pull_request", (context) => onPullRequest(current, context));
    app.on("workflow_run", (context) => onWorkflowRun(current, context));

    const every = (ms: number, name: string, work: () => Promise<unknown>) => {
      if (ms <= 0) return;
      const timer = setInterval(() => background(name, work), ms);
      timer.unref();
      timers.push(timer);
    };
    every(options.sweepIntervalMs, "sweep", async () => {
      await drainScanBatches(tracker);
      await reports.sweep();
    });
    every(options.reconcileIntervalMs, "reconcile", () => reconcileAll(current));
    // Work a previous process left behind (a scan batch whose lease expires, a stale report).
    background("startup", async () => {
      await drainScanBatches(tracker);
      await reports.sweep();
    });
  };

  return {
    appFn,
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await services?.reports.stop();
      await Promise.allSettled([...inFlight]);
    },
    async reconcile() {
      if (services) await reconcileAll(services);
    },
  };
}

async function reconcileAll(services: Services): Promise<void> {
  const installations = await services.db.query<{ id: number }>(
    "select id from installations where deleted_at is null and suspended_at is null order by id",
  );
  for (const { id } of installations) {
    services.orgs.forget((await getInstallation(services.db, id))?.accountLogin ?? "");
    await scanInstallation(services, id);
  }
}
