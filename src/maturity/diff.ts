// Level changes between two snapshots of one repository: every topic, area and overall level that moved.
// The first snapshot of a repository has nothing to compare with and yields no changes.
import type { MaturitySnapshot } from "./score.js";

export interface LevelChange {
  scope: "topic" | "area" | "overall";
  /** Topic or area id; "" for the overall level. */
  subject: string;
  from: number | null;
  to: number | null;
}

export function levelChanges(before: MaturitySnapshot | undefined, after: MaturitySnapshot): LevelChange[] {
  if (!before) return [];
  const changes: LevelChange[] = [];
  // Across frameworks only the overall level compares; topic and area ids mean different things.
  if (before.framework === after.framework) {
    const topics = new Map(before.topics.map((topic) => [topic.id, topic.level]));
    for (const topic of after.topics) {
      const from = topics.get(topic.id) ?? null;
      if (from !== topic.level) changes.push({ scope: "topic", subject: topic.id, from, to: topic.level });
    }
    const areas = new Map(before.areas.map((area) => [area.id, area.level]));
    for (const area of after.areas) {
      const from = areas.get(area.id) ?? null;
      if (from !== area.level) changes.push({ scope: "area", subject: area.id, from, to: area.level });
    }
  }
  if (before.overall.level !== after.overall.level) {
    changes.push({ scope: "overall", subject: "", from: before.overall.level, to: after.overall.level });
  }
  return changes;
}

/** Up, down, or neither (a topic that became or stopped being applicable). */
export function direction(change: LevelChange): "up" | "down" | "other" {
  if (change.from === null || change.to === null) return "other";
  return change.to > change.from ? "up" : "down";
}
