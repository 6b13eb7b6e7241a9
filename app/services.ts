// What every webhook handler and timer of the App shares: the store, the clock, GitHub clients per
// installation, the organisation contexts, the tracker and the report scheduler.
import type { Probot, ProbotOctokit } from "probot";
import type { OrgContexts } from "./org-context.js";
import type { ReportScheduler } from "./report/scheduler.js";
import type { Db } from "./store/db.js";
import { recordDelivery } from "./store/store.js";
import type { OrgContext, TrackerDeps } from "./tracker.js";

export type Octokit = InstanceType<typeof ProbotOctokit>;
export type Logger = Probot["log"];

export interface Services {
  db: Db;
  now: () => Date;
  log: Logger;
  octokitFor(installationId: number): Promise<Octokit>;
  botLogin(): Promise<string>;
  orgs: OrgContexts;
  orgContext(installationId: number): Promise<OrgContext>;
  tracker: TrackerDeps;
  reports: ReportScheduler;
  serverUrl: string;
  /** Work that outlives the webhook's response (GitHub waits 10 s at most); errors are logged. */
  background(name: string, work: () => Promise<unknown>): void;
}

/** Whether a delivery was handled before (a redelivery); read-only, for skipping GitHub reads early. */
export async function seenDelivery(services: Services, id: string): Promise<boolean> {
  const rows = await services.db.query("select 1 from deliveries where id = $1", [id]);
  return rows.length > 0;
}

/** Records a delivery that wrote nothing else (a preview, a comment); false when it was handled before. */
export async function claimDelivery(services: Services, id: string, event: string): Promise<boolean> {
  return services.db.transaction((tx) => recordDelivery(tx, id, event));
}
