// A report issue that once named private repositories must not stay readable in a public repository: GitHub keeps
// every version of an issue body in its edit history, which anyone who can read the issue can open, and an App
// cannot erase it. So when such an issue's repository is public (it turned public, or the organisation stopped
// showing private repositories in a public report), the App retires it: a short notice that names no repository
// replaces the body, the issue is closed and locked, and the report goes on in a new issue. Only deleting the
// retired issue removes its history, which needs a repository admin; the log and the notice say so.
import type { MaturitySettings } from "../org-settings.js";
import type { Db } from "../store/db.js";
import { forgetReportIssues, getOrgReport, markReportDirty } from "../store/org-reports.js";
import {
  installationsWithPrivateNames,
  issuesNamingPrivate,
  markReportIssueRetired,
  type ReportIssue,
} from "../store/report-issues.js";
import type { IssuesClient } from "./publish.js";

export interface RetireDeps {
  db: Db;
  now: () => Date;
  log: { warn(fields: object, message: string): void };
}

export type Visibility = "public" | "private" | "gone";

/** A repository's visibility, as the installation sees it; "gone" when it does not exist or is out of reach. */
export async function repositoryVisibility(
  octokit: IssuesClient,
  owner: string,
  name: string,
): Promise<Visibility> {
  const data = await octokit.graphql<{ repository: { isPrivate: boolean } | null }>(
    "query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { isPrivate } }",
    { owner, name },
  );
  if (!data.repository) return "gone";
  return data.repository.isPrivate ? "private" : "public";
}

/** Looks each repository up once; `known` are visibilities the caller has already read. */
function visibilities(octokit: IssuesClient, known: Record<string, Visibility>) {
  const cache = new Map<string, Promise<Visibility>>(
    Object.entries(known).map(([key, value]) => [key.toLowerCase(), Promise.resolve(value)]),
  );
  return (owner: string, name: string): Promise<Visibility> => {
    const key = `${owner}/${name}`.toLowerCase();
    let visibility = cache.get(key);
    if (!visibility) {
      visibility = repositoryVisibility(octokit, owner, name);
      cache.set(key, visibility);
    }
    return visibility;
  };
}

/** The installation's report issues that named private repositories and now sit in a public repository. */
async function exposedIssues(
  db: Db,
  installationId: number,
  settings: Pick<MaturitySettings, "showPrivateInPublicReport">,
  visibilityOf: (owner: string, name: string) => Promise<Visibility>,
): Promise<ReportIssue[]> {
  // The organisation chose to name private repositories in a public report: nothing is hidden from anyone.
  if (settings.showPrivateInPublicReport) return [];
  const exposed: ReportIssue[] = [];
  for (const issue of await issuesNamingPrivate(db, installationId)) {
    if ((await visibilityOf(issue.repoOwner, issue.repoName)) === "public") exposed.push(issue);
  }
  return exposed;
}

/**
 * Retires every report issue of the installation that named a private repository and sits in a public repository
 * now; when the report's own issues are among them, the next render starts new ones. Call it under the render lock,
 * before rendering. Returns the issues retired.
 */
export async function retireExposedIssues(
  deps: RetireDeps,
  octokit: IssuesClient,
  installationId: number,
  settings: Pick<MaturitySettings, "showPrivateInPublicReport" | "title">,
  report: { owner: string; repo: string; visibility: Visibility },
): Promise<ReportIssue[]> {
  const visibilityOf = visibilities(octokit, { [`${report.owner}/${report.repo}`]: report.visibility });
  const found = await exposedIssues(deps.db, installationId, settings, visibilityOf);
  if (found.length === 0) return [];
  const inReport = (issue: ReportIssue) =>
    `${issue.repoOwner}/${issue.repoName}`.toLowerCase() === `${report.owner}/${report.repo}`.toLowerCase();
  const exposed: ReportIssue[] = [];
  for (const issue of found) {
    try {
      await retireIssue(octokit, issue, settings.title);
      exposed.push(issue);
    } catch (error) {
      // The report's own repository must be safe before the report is written there; an old report
      // elsewhere (issues turned off, access taken away) must not stop it: it is tried again next render.
      if (inReport(issue)) throw error;
      deps.log.warn(
        {
          installationId,
          repository: `${issue.repoOwner}/${issue.repoName}`,
          issue: issue.issueNumber,
          err: error,
        },
        "could not retire an old org report issue that named private repositories; the next render tries again",
      );
    }
  }
  if (exposed.length === 0) return [];
  const current = await getOrgReport(deps.db, installationId);
  const currentNumbers = new Set([current?.issueNumber, ...(current?.pageIssueNumbers ?? [])]);
  const isCurrent = (issue: ReportIssue) =>
    `${issue.repoOwner}/${issue.repoName}`.toLowerCase() ===
      `${current?.repoOwner}/${current?.repoName}`.toLowerCase() && currentNumbers.has(issue.issueNumber);
  await deps.db.transaction(async (tx) => {
    for (const issue of exposed) await markReportIssueRetired(tx, issue, deps.now());
    if (exposed.some(isCurrent)) await forgetReportIssues(tx, installationId);
  });
  for (const [repository, issues] of groupByRepository(exposed)) {
    deps.log.warn(
      { installationId, repository, issues },
      "org report issues retired: their repository is public and earlier versions named private repositories. " +
        "GitHub keeps an issue's edit history, which the App cannot erase: a repository admin should delete these issues",
    );
  }
  return exposed;
}

/** The notice that replaces a retired issue's body: it names no repository. */
function retiredBody(installationId: number): string {
  return [
    `<!-- mlgate:maturity-report installation=${installationId} retired -->`,
    "This issue held the MLOps maturity report. Earlier versions of it name private repositories of the " +
      "organisation, and GitHub keeps every version in the issue's edit history, which anyone who can read " +
      "this repository can open. Since this repository is public now, the mlgate App has retired this issue " +
      "and goes on with the report in a new issue that leaves private repositories out.",
    "",
    "**A repository admin should delete this issue** (**Delete issue** at the bottom of its sidebar): only " +
      "that removes its edit history. The App cannot.",
  ].join("\n");
}

async function retireIssue(octokit: IssuesClient, issue: ReportIssue, title: string): Promise<void> {
  const at = { owner: issue.repoOwner, repo: issue.repoName, issue_number: issue.issueNumber };
  try {
    await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      ...at,
      title: `${title} (retired)`,
      body: retiredBody(issue.installationId),
      state: "closed",
      state_reason: "not_planned",
    });
    await octokit.request("PUT /repos/{owner}/{repo}/issues/{issue_number}/lock", {
      ...at,
      lock_reason: "resolved",
    });
  } catch (error) {
    // Deleted already (by an admin, as the notice asks): nothing is left to retire.
    if ((error as { status?: number }).status !== 404) throw error;
  }
}

function groupByRepository(issues: readonly ReportIssue[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const issue of issues) {
    const key = `${issue.repoOwner}/${issue.repoName}`;
    groups.set(key, [...(groups.get(key) ?? []), issue.issueNumber]);
  }
  return groups;
}

/**
 * For the sweep: marks stale the report of every installation with an issue that named private repositories and sits
 * in a repository that is public now, so that a lost `publicized` webhook costs at most one sweep interval. One
 * GraphQL request per such repository and sweep; installations `skip` names are left for later.
 */
export async function markExposedReports(
  deps: RetireDeps & {
    octokitFor(installationId: number): Promise<IssuesClient>;
    orgContext(installationId: number): Promise<{ settings: MaturitySettings }>;
  },
  skip: (installationId: number) => boolean,
  staleSince: Date,
): Promise<void> {
  for (const installationId of await installationsWithPrivateNames(deps.db)) {
    if (skip(installationId)) continue;
    try {
      const [octokit, org] = await Promise.all([
        deps.octokitFor(installationId),
        deps.orgContext(installationId),
      ]);
      const exposed = await exposedIssues(deps.db, installationId, org.settings, visibilities(octokit, {}));
      if (exposed.length > 0) await markReportDirty(deps.db, installationId, staleSince);
    } catch (error) {
      deps.log.warn({ installationId, err: error }, "could not check the report repository's visibility");
    }
  }
}
