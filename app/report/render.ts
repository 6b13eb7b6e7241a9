// The org report issue: levels per repository and area, changes since the last report, repositories below
// target, stale or missing self-assessments, claimed-vs-evidenced gaps, the latest gate verdict per
// repository, and a Mermaid chart next to each table it draws. Pure: data in, Markdown blocks out.
import { markdownTable } from "markdown-table";
import { direction } from "../../src/maturity/diff.js";
import type { Framework } from "../../src/maturity/framework.js";
import { isGap } from "../../src/maturity/render.js";
import type { MaturitySnapshot } from "../../src/maturity/score.js";
import { escapeMarkdown as esc } from "../../src/report/escape.js";
import type { MaturitySettings } from "../org-settings.js";
import type { Block } from "./paginate.js";

export interface ReportRepository {
  owner: string;
  name: string;
  private: boolean;
  snapshot: MaturitySnapshot | null;
  commit: string | null;
  gate: { status: string; commit: string; createdAt: Date } | null;
}

export interface ReportChange {
  repository: string;
  framework: string;
  scope: "topic" | "area" | "overall";
  subject: string;
  from: number | null;
  to: number | null;
  commit: string;
  changedAt: Date;
}

export interface ReportInput {
  organisation: string;
  settings: MaturitySettings;
  frameworks: readonly Framework[];
  repositories: ReportRepository[];
  changes: ReportChange[];
  since: Date | null;
  now: Date;
  /** Whether the issue lives in a public repository (private repositories are then withheld by default). */
  publicReport: boolean;
  serverUrl: string;
}

const DAY = 24 * 3600 * 1000;

/** "1 repository", "3 repositories": counts read as English, not "repositor(ies)". */
export function counted(count: number, singular: string, plural: string): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

function repoLink(input: ReportInput, repository: { owner: string; name: string }): string {
  // Names are GitHub's ([A-Za-z0-9._-]), escaped all the same; the link text shows the name only.
  return `[${esc(repository.name)}](${input.serverUrl}/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.name)})`;
}

function commitLink(input: ReportInput, repository: { owner: string; name: string }, sha: string): string {
  if (!/^[0-9a-f]{7,40}$/.test(sha)) return esc(sha);
  return `[\`${sha.slice(0, 7)}\`](${input.serverUrl}/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.name)}/commit/${sha})`;
}

function level(value: number | null): string {
  return value === null ? "–" : String(value);
}

function frameworkOf(input: ReportInput, id: string): Framework | undefined {
  return input.frameworks.find((framework) => framework.id === id);
}

function subjectName(framework: Framework | undefined, id: string): string {
  for (const area of framework?.areas ?? []) {
    if (area.id === id) return area.name;
    const topic = area.topics.find((candidate) => candidate.id === id);
    if (topic) return topic.name;
  }
  return id;
}

/** The repositories the report may name: private ones only when the organisation allows it or the report is private. */
export function visibleRepositories(input: ReportInput): { shown: ReportRepository[]; withheld: number } {
  if (!input.publicReport || input.settings.showPrivateInPublicReport) {
    return { shown: input.repositories, withheld: 0 };
  }
  const shown = input.repositories.filter((repository) => !repository.private);
  return { shown, withheld: input.repositories.length - shown.length };
}

export function renderReportBlocks(input: ReportInput): { head: string; blocks: Block[] } {
  const { shown, withheld } = visibleRepositories(input);
  const visibleNames = new Set(shown.map((repository) => repository.name));
  const assessed = shown.filter((repository) => repository.snapshot !== null);
  const head = [
    `Tracking ${shown.length} repositor${shown.length === 1 ? "y" : "ies"} of ${esc(input.organisation)}; updated ${input.now.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
    withheld > 0
      ? `${withheld} private repositor${withheld === 1 ? "y is" : "ies are"} not shown: this issue is in a public repository (set \`maturity.showPrivateInPublicReport: true\` to show them).`
      : "",
    ...(input.settings.problems.length
      ? [
          "",
          "> [!CAUTION]",
          "> The organisation settings (`.github/mlgate.yml`, `maturity:`) have problems:",
          ...input.settings.problems.map((problem) => `> - ${esc(problem)}`),
        ]
      : []),
  ]
    .filter((line, index) => line !== "" || index > 1)
    .join("\n");
  const blocks: Block[] = [
    ...overallBlocks(input, assessed),
    changesBlock(input, visibleNames),
    belowTargetBlock(input, assessed),
    ...levelsBlocks(input, shown),
    staleBlock(input, shown),
    gapsBlock(input, assessed),
    gatesBlock(input, shown),
  ];
  return { head, blocks };
}

function overallBlocks(input: ReportInput, assessed: ReportRepository[]): Block[] {
  const counts = new Map<number, number>();
  for (const repository of assessed) {
    const overall = repository.snapshot?.overall.level;
    if (overall !== null && overall !== undefined) counts.set(overall, (counts.get(overall) ?? 0) + 1);
  }
  const levels = [...counts.keys()].sort((a, b) => a - b);
  if (levels.length === 0) {
    return [{ heading: "## Overall levels", text: "No repository has been assessed yet." }];
  }
  const rows = levels.map((value) => [String(value), String(counts.get(value))]);
  const chart = [
    "```mermaid",
    "pie showData title Repositories by overall level",
    ...levels.map((value) => `    "Level ${value}" : ${counts.get(value)}`),
    "```",
  ].join("\n");
  const byArea = areaMeans(input, assessed);
  const areaRows = byArea.map((area) => [
    esc(area.name),
    area.mean.toFixed(1),
    area.target === undefined ? "–" : String(area.target),
    String(area.below),
  ]);
  const areaChart = [
    "```mermaid",
    "xychart-beta",
    `    title "Mean level per area (${esc(byArea[0]?.framework ?? "")})"`,
    `    x-axis [${byArea.map((area) => JSON.stringify(area.id)).join(", ")}]`,
    `    y-axis "Level" 0 --> ${Math.max(4, ...byArea.map((area) => area.target ?? 0))}`,
    `    bar [${byArea.map((area) => area.mean.toFixed(1)).join(", ")}]`,
    // A line needs a point per area; zeros where an area has no target would draw targets nobody set.
    ...(byArea.length > 0 && byArea.every((area) => area.target !== undefined)
      ? [`    line [${byArea.map((area) => area.target ?? 0).join(", ")}]`]
      : []),
    "```",
  ].join("\n");
  const blocks: Block[] = [
    {
      heading: "## Overall levels",
      text: `${markdownTable([["Overall level", "Repositories"], ...rows])}\n\n${chart}`,
    },
  ];
  if (byArea.length) {
    blocks.push({
      heading: "## Areas across the organisation",
      text: `${markdownTable([["Area", "Mean level", "Target", "Repositories below target"], ...areaRows])}\n\n${areaChart}`,
    });
  }
  return blocks;
}

/** Mean area levels over the repositories on the most used framework (areas of different frameworks do not add up). */
function areaMeans(input: ReportInput, assessed: ReportRepository[]) {
  const usage = new Map<string, number>();
  for (const repository of assessed) {
    const id = repository.snapshot?.framework ?? "";
    usage.set(id, (usage.get(id) ?? 0) + 1);
  }
  const id = [...usage.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const framework = id === undefined ? undefined : frameworkOf(input, id);
  if (!framework) return [];
  const on = assessed.filter((repository) => repository.snapshot?.framework === framework.id);
  return framework.areas.map((area) => {
    const levels = on
      .map((repository) => repository.snapshot?.areas.find((candidate) => candidate.id === area.id)?.level)
      .filter((value): value is number => typeof value === "number");
    const target = input.settings.targets[area.id];
    return {
      id: area.id,
      name: area.name,
      framework: framework.name,
      mean: levels.length ? levels.reduce((sum, value) => sum + value, 0) / levels.length : 0,
      target,
      below: target === undefined ? 0 : levels.filter((value) => value < target).length,
    };
  });
}

function changesBlock(input: ReportInput, visible: Set<string>): Block {
  const since = input.since ? ` since ${input.since.toISOString().slice(0, 10)}` : "";
  const changes = input.changes.filter((change) => visible.has(change.repository));
  if (changes.length === 0) return { heading: "## Recent level changes", text: `No level changed${since}.` };
  const up = changes.filter((change) => direction({ ...change }) === "up").length;
  const down = changes.filter((change) => direction({ ...change }) === "down").length;
  const rows = changes.map((change) => {
    const framework = frameworkOf(input, change.framework);
    const arrow = { up: "⬆️", down: "⬇️", other: "↔️" }[direction({ ...change })];
    const subject = change.scope === "overall" ? "**overall**" : esc(subjectName(framework, change.subject));
    const repository = input.repositories.find((candidate) => candidate.name === change.repository);
    return [
      repository ? repoLink(input, repository) : esc(change.repository),
      `${arrow} ${subject}`,
      `${level(change.from)} → ${level(change.to)}`,
      repository ? commitLink(input, repository, change.commit) : esc(change.commit),
    ];
  });
  return {
    heading: "## Recent level changes",
    text: `${counted(changes.length, "level change", "level changes")}${since}: ${up} up, ${down} down.`,
    table: { header: ["Repository", "Level", "Change", "Commit"], rows },
  };
}

function belowTargetBlock(input: ReportInput, assessed: ReportRepository[]): Block {
  const targets = Object.entries(input.settings.targets);
  if (targets.length === 0) {
    return {
      heading: "## Below target",
      text: "No targets are set (`maturity.targets` in the organisation's `.github/mlgate.yml`).",
    };
  }
  const rows: string[][] = [];
  for (const repository of assessed) {
    const snapshot = repository.snapshot as MaturitySnapshot;
    for (const [id, target] of targets) {
      const value =
        id === "overall" ? snapshot.overall.level : snapshot.areas.find((area) => area.id === id)?.level;
      if (value === undefined || value === null || value >= target) continue;
      const name = id === "overall" ? "overall" : subjectName(frameworkOf(input, snapshot.framework), id);
      rows.push([repoLink(input, repository), esc(name), String(value), String(target)]);
    }
  }
  return rows.length
    ? {
        heading: "## Below target",
        text: `${counted(new Set(rows.map((row) => row[0])).size, "repository", "repositories")} below the organisation's targets.`,
        table: { header: ["Repository", "Area", "Level", "Target"], rows },
      }
    : { heading: "## Below target", text: "Every assessed repository meets the organisation's targets." };
}

function levelsBlocks(input: ReportInput, shown: ReportRepository[]): Block[] {
  const byFramework = new Map<string, ReportRepository[]>();
  for (const repository of shown) {
    if (!repository.snapshot) continue;
    const list = byFramework.get(repository.snapshot.framework) ?? [];
    list.push(repository);
    byFramework.set(repository.snapshot.framework, list);
  }
  const blocks: Block[] = [];
  for (const [id, repositories] of byFramework) {
    const framework = frameworkOf(input, id);
    const areas = framework?.areas ?? [];
    blocks.push({
      heading: `## Levels per repository (${esc(framework?.name ?? id)})`,
      text: "Overall and per area; `–` where every topic of an area is marked not applicable.",
      table: {
        header: ["Repository", "Overall", ...areas.map((area) => esc(area.name))],
        rows: repositories
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((repository) => {
            const snapshot = repository.snapshot as MaturitySnapshot;
            return [
              repoLink(input, repository),
              `**${level(snapshot.overall.level)}** (${snapshot.overall.score?.toFixed(1) ?? "–"})`,
              ...areas.map((area) =>
                level(snapshot.areas.find((candidate) => candidate.id === area.id)?.level ?? null),
              ),
            ];
          }),
      },
    });
  }
  return blocks;
}

function staleBlock(input: ReportInput, shown: ReportRepository[]): Block {
  const rows: string[][] = [];
  for (const repository of shown) {
    const snapshot = repository.snapshot;
    if (!snapshot?.assessedAt) {
      rows.push([repoLink(input, repository), snapshot?.problem ? "invalid" : "missing", "–"]);
      continue;
    }
    const age = input.now.getTime() - Date.parse(`${snapshot.assessedAt}T00:00:00Z`);
    if (age > input.settings.staleAfterMs) {
      rows.push([
        repoLink(input, repository),
        `assessed ${esc(snapshot.assessedAt)}`,
        `${Math.floor(age / DAY)} days`,
      ]);
    }
  }
  const limit = Math.round(input.settings.staleAfterMs / DAY);
  return rows.length
    ? {
        heading: "## Stale or missing self-assessments",
        text: `Self-assessments (\`.github/mlops-maturity.yml\`) that are missing, invalid or older than ${limit} days.`,
        table: { header: ["Repository", "Self-assessment", "Age"], rows },
      }
    : {
        heading: "## Stale or missing self-assessments",
        text: `Every self-assessment is younger than ${limit} days.`,
      };
}

function gapsBlock(input: ReportInput, assessed: ReportRepository[]): Block {
  const rows: string[][] = [];
  for (const repository of assessed) {
    const snapshot = repository.snapshot as MaturitySnapshot;
    const framework = frameworkOf(input, snapshot.framework);
    for (const topic of snapshot.topics.filter(isGap)) {
      rows.push([
        repoLink(input, repository),
        esc(subjectName(framework, topic.id)),
        level(topic.claimed),
        topic.ceiling !== null
          ? `${level(topic.evidenced)} (at most ${topic.ceiling})`
          : level(topic.evidenced),
      ]);
    }
  }
  return rows.length
    ? {
        heading: "## Claimed above the evidence",
        text: "Topics whose claimed level is above what the repository shows (see `mlgate maturity` for the rules).",
        table: { header: ["Repository", "Topic", "Claimed", "Evidenced"], rows },
      }
    : {
        heading: "## Claimed above the evidence",
        text: "Every claim is backed by what the repositories show.",
      };
}

function gatesBlock(input: ReportInput, shown: ReportRepository[]): Block {
  const emoji: Record<string, string> = {
    conformant: "✅",
    "conformant-with-warnings": "⚠️",
    "non-conformant": "❌",
  };
  const rows = shown
    .filter((repository) => repository.gate)
    .map((repository) => {
      const gate = repository.gate as NonNullable<ReportRepository["gate"]>;
      return [
        repoLink(input, repository),
        `${emoji[gate.status] ?? "❔"} ${esc(gate.status)}`,
        commitLink(input, repository, gate.commit),
        gate.createdAt.toISOString().slice(0, 10),
      ];
    });
  const without = shown.length - rows.length;
  return rows.length
    ? {
        heading: "## Release gates",
        text: `The latest mlgate gate run per repository${without ? `; ${counted(without, "repository has", "repositories have")} none recorded` : ""}.`,
        table: { header: ["Repository", "Conformity", "Commit", "Date"], rows },
      }
    : { heading: "## Release gates", text: "No mlgate gate run has been recorded yet." };
}
