// From claims and evidence to levels. The rule, as docs/maturity.md states it:
// - topic: the claimed level, raised to the evidence floor and lowered to the evidence ceiling; a topic
//   nobody claimed takes the floor (or the framework's lowest level); not-applicable topics are left out;
// - area: the mean of its topics' levels (its score, one decimal), and the largest level not above it;
// - overall: the mean of the area scores, and the largest level not above it.
import type { Assessment } from "./assessment.js";
import { detectEvidence, type Finding } from "./detectors.js";
import { evidenceRulesOf } from "./evidence-map.js";
import { levelRange, type Framework } from "./framework.js";
import type { RepositoryView } from "./view.js";

export interface TopicResult {
  id: string;
  area: string;
  claimed: number | null;
  /** The highest floor the evidence supports; null when no rule covers the topic. */
  evidenced: number | null;
  /** The lowest ceiling the evidence imposes, if any. */
  ceiling: number | null;
  /** The level used for scoring; null when not applicable. */
  level: number | null;
  notApplicable: boolean;
  /** What the self-assessment cites. */
  claimedEvidence: string[];
  /** The findings behind `evidenced` and `ceiling`. */
  findings: string[];
}

export interface AreaResult {
  id: string;
  /** Mean of the topic levels, rounded to one decimal; null when every topic is not applicable. */
  score: number | null;
  level: number | null;
}

export interface MaturitySnapshot {
  framework: string;
  assessedAt: string | null;
  /** Why the self-assessment could not be used (file:line:column and message), if it could not. */
  problem: string | null;
  topics: TopicResult[];
  areas: AreaResult[];
  overall: { score: number | null; level: number | null };
  findings: Finding[];
  unreadableWorkflows: string[];
  /** Files past the scoring budget, judged by name only; absent when every file read was scored. */
  unscoredFiles?: string[];
}

/** Scores a repository: its self-assessment (if any and valid) against what its view evidences. */
export function scoreRepository(
  framework: Framework,
  view: RepositoryView,
  assessment: Assessment | undefined,
  problem: string | null = null,
): MaturitySnapshot {
  const { findings, unreadableWorkflows } = detectEvidence(view);
  const found = new Map(findings.map((finding) => [finding.detector as string, finding]));
  const { min, max } = levelRange(framework);
  const topics: TopicResult[] = [];
  for (const area of framework.areas) {
    for (const topic of area.topics) {
      const claim = assessment?.claims.get(topic.id);
      const rules = evidenceRulesOf(framework, topic);
      let floor: number | null = rules.some((rule) => rule.floor !== undefined) ? min : null;
      let ceiling: number | null = null;
      const because = new Set<string>();
      for (const rule of rules) {
        if (!rule.detectors.every((detector) => found.has(detector))) continue;
        for (const detector of rule.detectors) because.add(found.get(detector)?.summary ?? detector);
        if (rule.floor !== undefined) floor = Math.max(floor ?? min, clamp(rule.floor, min, max));
        if (rule.ceiling !== undefined) ceiling = Math.min(ceiling ?? max, clamp(rule.ceiling, min, max));
      }
      const notApplicable = claim?.notApplicable === true;
      let level: number | null = null;
      if (!notApplicable) {
        level = claim?.level ?? floor ?? min;
        if (floor !== null) level = Math.max(level, floor);
        if (ceiling !== null) level = Math.min(level, ceiling);
      }
      topics.push({
        id: topic.id,
        area: area.id,
        claimed: claim?.level ?? null,
        evidenced: floor,
        ceiling,
        level,
        notApplicable,
        claimedEvidence: claim?.evidence ?? [],
        findings: [...because],
      });
    }
  }
  const areas = framework.areas.map((area) => {
    const levels = topics
      .filter((topic) => topic.area === area.id && topic.level !== null)
      .map((topic) => topic.level as number);
    return scoreOf(area.id, levels, framework);
  });
  const overall = scoreOf(
    "",
    areas.filter((area) => area.score !== null).map((area) => area.score as number),
    framework,
  );
  return {
    framework: framework.id,
    assessedAt: assessment?.assessedAt ?? null,
    problem,
    topics,
    areas,
    overall: { score: overall.score, level: overall.level },
    findings,
    unreadableWorkflows,
    ...(view.unscored?.length ? { unscoredFiles: [...view.unscored] } : {}),
  };
}

function scoreOf(id: string, values: number[], framework: Framework): AreaResult {
  if (values.length === 0) return { id, score: null, level: null };
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const score = Math.round(mean * 10) / 10;
  // The largest level not above the unrounded mean: 2.96 is still level 2.
  const level = framework.levels
    .map((candidate) => candidate.value)
    .filter((value) => value <= mean + 1e-9)
    .reduce((best, value) => Math.max(best, value), levelRange(framework).min);
  return { id, score, level };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
