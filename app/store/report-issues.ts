// Every issue the App has written the org report in, and whether some version of it named a private repository.
// GitHub keeps an issue's edit history for anyone who can read the issue, so such an issue stays a risk for as
// long as it exists: when its repository is (or turns) public, the report retires it (app/report/retire.ts).
import type { Queryable } from "./db.js";

export interface ReportIssue {
  installationId: number;
  repoOwner: string;
  repoName: string;
  issueNumber: number;
  /** Some version the App wrote named a private repository; null: written before this was recorded. */
  namedPrivate: boolean | null;
  retiredAt: Date | null;
}

const COLUMNS = `installation_id as "installationId", repo_owner as "repoOwner", repo_name as "repoName",
  issue_number as "issueNumber", named_private as "namedPrivate", retired_at as "retiredAt"`;

/**
 * Records that the report is about to be written into these issues, naming private repositories or not. Call it
 * before the write: a crash between the two must leave the issue marked, never unmarked. Once marked, an issue
 * stays marked (its history keeps what it once said).
 */
export async function recordReportIssues(
  q: Queryable,
  at: { installationId: number; owner: string; repo: string },
  numbers: readonly number[],
  namesPrivate: boolean,
): Promise<void> {
  for (const number of numbers) {
    await q.query(
      `insert into report_issues (installation_id, repo_owner, repo_name, issue_number, named_private)
       values ($1, $2, $3, $4, $5)
       on conflict (installation_id, repo_owner, repo_name, issue_number) do update
         set named_private = case when excluded.named_private then true else report_issues.named_private end`,
      [at.installationId, at.owner, at.repo, number, namesPrivate],
    );
  }
}

/** The installation's issues, not retired, that named a private repository: those a public repository must not keep. */
export async function issuesNamingPrivate(q: Queryable, installationId: number): Promise<ReportIssue[]> {
  return q.query<ReportIssue>(
    `select ${COLUMNS} from report_issues
     where installation_id = $1 and named_private and retired_at is null
     order by repo_owner, repo_name, issue_number`,
    [installationId],
  );
}

/** Installations that have issues naming private repositories, not retired: whose repositories the sweep watches. */
export async function installationsWithPrivateNames(q: Queryable): Promise<number[]> {
  const rows = await q.query<{ installationId: number }>(
    `select distinct r.installation_id as "installationId" from report_issues r
       join installations i on i.id = r.installation_id
     where r.named_private and r.retired_at is null and i.deleted_at is null and i.suspended_at is null
     order by 1`,
  );
  return rows.map((row) => row.installationId);
}

export async function markReportIssueRetired(q: Queryable, issue: ReportIssue, at: Date): Promise<void> {
  await q.query(
    `update report_issues set retired_at = $5
     where installation_id = $1 and repo_owner = $2 and repo_name = $3 and issue_number = $4`,
    [issue.installationId, issue.repoOwner, issue.repoName, issue.issueNumber, at],
  );
}

/**
 * GitHub said the repository was private until now (`repository` `publicized`): report issues in it written before
 * the App recorded what they named may have named private repositories, so they count as having done so.
 */
export async function assumePrivateNamesIn(
  q: Queryable,
  installationId: number,
  repository: { owner: string; name: string },
): Promise<void> {
  await q.query(
    `update report_issues set named_private = true
     where installation_id = $1 and named_private is null and lower(repo_owner) = lower($2)
       and lower(repo_name) = lower($3)`,
    [installationId, repository.owner, repository.name],
  );
}
