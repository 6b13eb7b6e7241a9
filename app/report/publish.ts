// Writes the org report: one issue edited in place (plus linked page issues when it outgrows one body),
// under the installation's render lock so that across instances exactly one writes, and not at all when
// the text has not changed. Issues are found again by number, else by marker and author, never duplicated.
import { createHash } from "node:crypto";
import type { Framework } from "../../src/maturity/framework.js";
import type { MaturitySnapshot } from "../../src/maturity/score.js";
import type { OrgContext } from "../tracker.js";
import type { Db, Queryable } from "../store/db.js";
import { latestGateVerdicts, latestSnapshots, levelChangesSince } from "../store/history.js";
import {
  getOrgReport,
  lockOrgReport,
  reportGeneration,
  saveOrgReport,
  withRenderLock,
  type OrgReport,
} from "../store/org-reports.js";
import { recordReportIssues } from "../store/report-issues.js";
import { getInstallation, repositoriesOf } from "../store/store.js";
import { isTracked } from "../org-settings.js";
import { paginate } from "./paginate.js";
import {
  renderReportBlocks,
  visibleRepositories,
  type ReportChange,
  type ReportInput,
  type ReportRepository,
} from "./render.js";
import { repositoryVisibility, retireExposedIssues } from "./retire.js";

/** The REST calls the report needs, as Probot's Octokit has them. */
export interface IssuesClient {
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  request(route: string, parameters?: Record<string, unknown>): Promise<{ data: unknown }>;
}

export interface ReportDeps {
  db: Db;
  now: () => Date;
  octokitFor(installationId: number): Promise<IssuesClient>;
  orgContext(installationId: number): Promise<OrgContext>;
  /** The App's bot login (`<slug>[bot]`): only its issues are ever taken for the report. */
  botLogin(): Promise<string>;
  serverUrl: string;
  /** How far back "recent changes" reach. */
  changeWindowMs: number;
  log: { warn(fields: object, message: string): void };
}

export type PublishOutcome = "published" | "unchanged" | "current" | "busy" | "gone";

export function markerOf(installationId: number, page: number): string {
  return `<!-- mlgate:maturity-report installation=${installationId} page=${page} -->`;
}

export async function publishOrgReport(
  deps: ReportDeps,
  installationId: number,
  options: { force?: boolean } = {},
): Promise<PublishOutcome> {
  const installation = await getInstallation(deps.db, installationId);
  if (!installation || installation.deletedAt !== null) return "gone";
  // GitHub is called outside every transaction (a slow or hung GitHub must not hold PGlite's one connection,
  // and with it every other organisation's webhooks); the render lock keeps renders of one report apart.
  const result = await withRenderLock(deps.db, installationId, async () => {
    const known = await getOrgReport(deps.db, installationId);
    if (!options.force && known && known.dirtySince === null && known.issueNumber !== null)
      return "current" as const;
    const [octokit, org] = await Promise.all([
      deps.octokitFor(installationId),
      deps.orgContext(installationId),
    ]);
    const now = deps.now();
    const owner = installation.accountLogin;
    const repo = org.settings.reportRepository;
    const publicReport = !(await isPrivateRepository(octokit, owner, repo));
    // Before anything is written: issues that named private repositories must not stay in a public repository.
    await retireExposedIssues(deps, octokit, installationId, org.settings, {
      owner,
      repo,
      visibility: publicReport ? "public" : "private",
    });
    const { report, generation, input } = await deps.db.transaction(async (tx) => ({
      report: await lockOrgReport(tx, installationId),
      generation: await reportGeneration(tx, installationId),
      input: await reportInput(tx, deps, installationId, owner, org, publicReport, now),
    }));
    const { head, blocks } = renderReportBlocks(input);
    const parts = paginate(head, blocks);
    const title = org.settings.title;
    const moved = report.repoOwner !== owner || report.repoName !== repo;
    const numbers = await ensureIssues(
      octokit,
      deps,
      { owner, repo },
      installationId,
      title,
      parts.length,
      moved ? undefined : report,
    );
    // Recorded before the bodies are written, so that an issue is never left naming a private repository unmarked.
    await deps.db.transaction((tx) =>
      recordReportIssues(
        tx,
        { installationId, owner, repo },
        numbers,
        visibleRepositories(input).shown.some((repository) => repository.private),
      ),
    );
    const bodies = parts.map((part, index) => pageBody(installationId, part, index, numbers));
    const hash = createHash("sha256")
      .update(JSON.stringify([title, numbers, bodies]))
      .digest("hex");
    let outcome: "published" | "unchanged" = "unchanged";
    if (hash !== report.bodyHash) {
      for (const [index, body] of bodies.entries()) {
        const pageTitle = index === 0 ? title : `${title} (page ${index + 1} of ${bodies.length})`;
        await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
          owner,
          repo,
          issue_number: numbers[index],
          title: pageTitle,
          body,
          state: "open",
        });
      }
      outcome = "published";
    }
    // A change marked while GitHub was being written keeps the report dirty: the next render shows it.
    await deps.db.transaction((tx) =>
      saveOrgReport(
        tx,
        {
          installationId,
          repoOwner: owner,
          repoName: repo,
          issueNumber: numbers[0] ?? null,
          pageIssueNumbers: numbers.slice(1),
          bodyHash: hash,
          renderedAt: now,
          lastLevels: null,
        },
        generation,
      ),
    );
    return outcome;
  });
  return result.acquired ? result.value : "busy";
}

async function reportInput(
  tx: Queryable,
  deps: ReportDeps,
  installationId: number,
  organisation: string,
  org: OrgContext,
  publicReport: boolean,
  now: Date,
): Promise<ReportInput> {
  const repositories = (await repositoriesOf(tx, installationId)).filter(
    (repository) => !repository.archived && isTracked(org.settings, repository.name),
  );
  const snapshots = new Map(
    (await latestSnapshots(tx, installationId)).map((row) => [row.repositoryId, row]),
  );
  const gates = new Map((await latestGateVerdicts(tx, installationId)).map((row) => [row.repositoryId, row]));
  const since = new Date(now.getTime() - deps.changeWindowMs);
  const tracked = new Set(repositories.map((repository) => repository.id));
  const changes: ReportChange[] = (await levelChangesSince(tx, installationId, since))
    .filter((change) => tracked.has(change.repositoryId))
    .map((change) => ({
      repository: change.name,
      framework: change.framework,
      scope: change.scope,
      subject: change.subject,
      from: change.fromLevel,
      to: change.toLevel,
      commit: change.commitSha,
      changedAt: change.changedAt,
    }));
  const rows: ReportRepository[] = repositories.map((repository) => {
    const snapshot = snapshots.get(repository.id);
    const gate = gates.get(repository.id);
    return {
      owner: repository.owner,
      name: repository.name,
      private: repository.private,
      snapshot: (snapshot?.data as MaturitySnapshot | undefined) ?? null,
      commit: snapshot?.commitSha ?? null,
      gate: gate ? { status: gate.status, commit: gate.commitSha, createdAt: gate.createdAt } : null,
    };
  });
  return {
    organisation,
    settings: org.settings,
    frameworks: org.frameworks as Framework[],
    repositories: rows,
    changes,
    since,
    now,
    publicReport,
    serverUrl: deps.serverUrl,
  };
}

function pageBody(installationId: number, part: string, index: number, numbers: number[]): string {
  const total = numbers.length;
  const lines = [markerOf(installationId, index + 1)];
  if (index === 0 && total > 1) {
    lines.push(
      `This report has ${total} pages: this issue, ${numbers
        .slice(1)
        .map((number, page) => `#${number} (page ${page + 2})`)
        .join(", ")}.`,
      "",
    );
  }
  if (index > 0) lines.push(`Page ${index + 1} of ${total} of #${numbers[0]}.`, "");
  lines.push(
    part,
    "",
    "---",
    `<sub>Kept up to date by the mlgate App; edited in place, never re-posted. How levels are scored: \`mlgate maturity --help\`.</sub>`,
  );
  return lines.join("\n");
}

async function isPrivateRepository(octokit: IssuesClient, owner: string, name: string): Promise<boolean> {
  const visibility = await repositoryVisibility(octokit, owner, name);
  if (visibility === "gone") {
    throw new Error(
      `the report repository ${owner}/${name} does not exist or the App is not installed on it`,
    );
  }
  return visibility === "private";
}

interface IssueRow {
  number: number;
  body?: string | null;
  user: { login: string } | null;
  pull_request?: unknown;
}

/** The issue numbers for `count` pages: kept, found again by marker, or created; surplus pages are closed. */
async function ensureIssues(
  octokit: IssuesClient,
  deps: ReportDeps,
  at: { owner: string; repo: string },
  installationId: number,
  title: string,
  count: number,
  known: OrgReport | undefined,
): Promise<number[]> {
  const numbers = known?.issueNumber ? [known.issueNumber, ...known.pageIssueNumbers] : [];
  if (numbers.length === 0) {
    const found = await findIssues(octokit, deps, at, installationId);
    numbers.push(...found);
  }
  while (numbers.length < count) {
    numbers.push(await createIssue(octokit, deps, at, installationId, title, numbers.length + 1));
  }
  for (const surplus of numbers.splice(count)) {
    await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      ...at,
      issue_number: surplus,
      body: `${markerOf(installationId, 0)}\nThis page of the MLOps maturity report is no longer needed: the report fits in fewer pages.`,
      state: "closed",
    });
  }
  return numbers;
}

/** The report's issues by their markers, page 1 first, among issues the App itself wrote. */
async function findIssues(
  octokit: IssuesClient,
  deps: ReportDeps,
  at: { owner: string; repo: string },
  installationId: number,
): Promise<number[]> {
  const self = await deps.botLogin();
  const pages = new Map<number, number>();
  for (let page = 1; page <= 10; page++) {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
      ...at,
      state: "all",
      per_page: 100,
      page,
    });
    const issues = data as IssueRow[];
    for (const issue of issues) {
      if (issue.pull_request || issue.user?.login !== self) continue;
      const match = /^<!-- mlgate:maturity-report installation=(\d+) page=(\d+) -->/.exec(issue.body ?? "");
      if (
        match &&
        Number(match[1]) === installationId &&
        Number(match[2]) > 0 &&
        !pages.has(Number(match[2]))
      ) {
        pages.set(Number(match[2]), issue.number);
      }
    }
    if (issues.length < 100) break;
  }
  const numbers: number[] = [];
  for (let page = 1; pages.has(page); page++) numbers.push(pages.get(page) as number);
  return numbers;
}

/**
 * Creates one page's issue without automatic retries: a 5xx may come after GitHub stored it, so before
 * trying again we look for it by its marker, and a flaky response never leaves two report issues.
 */
async function createIssue(
  octokit: IssuesClient,
  deps: ReportDeps,
  at: { owner: string; repo: string },
  installationId: number,
  title: string,
  page: number,
): Promise<number> {
  const body = `${markerOf(installationId, page)}\nThe MLOps maturity report is being written.`;
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues", {
        ...at,
        title: page === 1 ? title : `${title} (page ${page})`,
        body,
        request: { retries: 0 },
      });
      return (data as { number: number }).number;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (attempt >= 3 || status === undefined || status < 500) throw error;
      await new Promise((done) => setTimeout(done, 500 * attempt));
      const found = await findIssues(octokit, deps, at, installationId);
      const stored = found[page - 1];
      if (stored !== undefined) return stored;
    }
  }
}
