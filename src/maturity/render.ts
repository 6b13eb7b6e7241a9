// A repository's maturity for people: a terminal summary, Markdown (the CLI, the App's check run and PR
// comment) and JSON (`mlgate.maturity/v1`). Names from files are escaped wherever they land.
import { markdownTable } from "markdown-table";
import { escapeMarkdown as esc, escapeText } from "../report/escape.js";
import { MAX_SCORED_BYTES } from "./budget.js";
import { direction, type LevelChange } from "./diff.js";
import { levelName, type Framework } from "./framework.js";
import type { MaturitySnapshot, TopicResult } from "./score.js";

export const MATURITY_SCHEMA = "mlgate.maturity/v1";
const UNSCORED = `Files past the ${MAX_SCORED_BYTES / 1024 / 1024} MiB scoring budget, judged by their names only`;

function nameOf(framework: Framework, id: string): string {
  for (const area of framework.areas) {
    if (area.id === id) return area.name;
    const topic = area.topics.find((candidate) => candidate.id === id);
    if (topic) return topic.name;
  }
  return id;
}

function levelText(framework: Framework, level: number | null): string {
  if (level === null) return "n/a";
  const name = levelName(framework, level);
  return name === `Level ${level}` ? String(level) : `${level} (${name})`;
}

function scoreText(score: number | null): string {
  return score === null ? "n/a" : score.toFixed(1);
}

/** Claimed above what the evidence shows, or above an evidence ceiling. */
export function isGap(topic: TopicResult): boolean {
  if (topic.claimed === null) return false;
  return (
    (topic.evidenced !== null && topic.claimed > topic.evidenced) ||
    (topic.ceiling !== null && topic.claimed > topic.ceiling)
  );
}

export function renderMaturityText(snapshot: MaturitySnapshot, framework: Framework): string {
  const lines = [
    `${framework.name}: overall level ${levelText(framework, snapshot.overall.level)} (score ${scoreText(snapshot.overall.score)})`,
    snapshot.assessedAt
      ? `self-assessment of ${snapshot.assessedAt}`
      : "no self-assessment: levels come from evidence only",
  ];
  if (snapshot.problem)
    lines.push(`the self-assessment was not used:\n  ${snapshot.problem.replace(/\n/g, "\n  ")}`);
  lines.push("");
  for (const area of framework.areas) {
    const result = snapshot.areas.find((candidate) => candidate.id === area.id);
    lines.push(
      `${area.name}: level ${levelText(framework, result?.level ?? null)} (score ${scoreText(result?.score ?? null)})`,
    );
    for (const topic of snapshot.topics.filter((candidate) => candidate.area === area.id)) {
      const parts = [`claimed ${topic.claimed ?? "-"}`, `evidenced ${topic.evidenced ?? "-"}`];
      if (topic.ceiling !== null) parts.push(`at most ${topic.ceiling}`);
      const level = topic.notApplicable ? "n/a" : String(topic.level);
      lines.push(
        `  ${level.padStart(3)}  ${nameOf(framework, topic.id)} (${parts.join(", ")})${isGap(topic) ? "  ! claim above evidence" : ""}`,
      );
    }
  }
  if (snapshot.findings.length) {
    lines.push("", "Evidence found:");
    for (const finding of snapshot.findings) lines.push(`  - ${escapeText(finding.summary)}`);
  }
  if (snapshot.unreadableWorkflows.length) {
    lines.push(
      "",
      `Workflows that do not parse (ignored): ${snapshot.unreadableWorkflows.map(escapeText).join(", ")}`,
    );
  }
  if (snapshot.unscoredFiles?.length)
    lines.push("", `${UNSCORED}: ${snapshot.unscoredFiles.map(escapeText).join(", ")}`);
  return `${lines.join("\n")}\n`;
}

export function renderMaturityMarkdown(
  snapshot: MaturitySnapshot,
  framework: Framework,
  changes: LevelChange[] = [],
): string {
  const out: string[] = [
    `### MLOps maturity: level ${esc(levelText(framework, snapshot.overall.level))} (score ${scoreText(snapshot.overall.score)})`,
    "",
    `${esc(framework.name)}. ${snapshot.assessedAt ? `Self-assessment of ${esc(snapshot.assessedAt)}.` : "No self-assessment: levels come from evidence only."}`,
  ];
  if (snapshot.problem) {
    out.push(
      "",
      "> [!CAUTION]",
      "> The self-assessment was not used:",
      ...snapshot.problem.split("\n").map((line) => `> ${esc(line)}`),
    );
  }
  if (snapshot.unscoredFiles?.length) {
    out.push("", "> [!NOTE]", `> ${UNSCORED}: ${snapshot.unscoredFiles.map((path) => esc(path)).join(", ")}`);
  }
  if (changes.length) out.push("", renderLevelChanges(changes, framework));
  out.push(
    "",
    markdownTable([
      ["Area", "Level", "Score"],
      ...framework.areas.map((area) => {
        const result = snapshot.areas.find((candidate) => candidate.id === area.id);
        return [
          esc(area.name),
          esc(levelText(framework, result?.level ?? null)),
          scoreText(result?.score ?? null),
        ];
      }),
    ]),
  );
  const gaps = snapshot.topics.filter(isGap);
  if (gaps.length) {
    out.push("", "**Claimed above the evidence**", "");
    for (const topic of gaps) {
      out.push(
        `- ${esc(nameOf(framework, topic.id))}: claimed ${topic.claimed}, evidenced ${topic.evidenced ?? "-"}${topic.ceiling !== null ? `, at most ${topic.ceiling}` : ""}`,
      );
    }
  }
  out.push(
    "",
    "<details><summary>Topics</summary>",
    "",
    markdownTable([
      ["Topic", "Claimed", "Evidenced", "Level", "Evidence"],
      ...snapshot.topics.map((topic) => [
        esc(nameOf(framework, topic.id)),
        topic.claimed === null ? "–" : String(topic.claimed),
        topic.evidenced === null
          ? "–"
          : `${topic.evidenced}${topic.ceiling !== null ? ` (≤ ${topic.ceiling})` : ""}`,
        topic.notApplicable ? "n/a" : String(topic.level),
        esc([...topic.findings, ...topic.claimedEvidence].join("; ")),
      ]),
    ]),
    "",
    "</details>",
  );
  return `${out.join("\n")}\n`;
}

export function renderLevelChanges(changes: LevelChange[], framework: Framework): string {
  const rows = changes.map((change) => {
    const arrow = { up: "⬆️", down: "⬇️", other: "↔️" }[direction(change)];
    const subject = change.scope === "overall" ? "**Overall**" : esc(nameOf(framework, change.subject));
    return [
      `${arrow} ${subject}`,
      change.scope,
      esc(levelText(framework, change.from)),
      esc(levelText(framework, change.to)),
    ];
  });
  return markdownTable([["Level change", "Scope", "From", "To"], ...rows]);
}

export function renderMaturityJson(snapshot: MaturitySnapshot): string {
  return `${JSON.stringify({ schema: MATURITY_SCHEMA, ...snapshot }, null, 2)}\n`;
}
