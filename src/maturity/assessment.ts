// The self-assessment file (`.github/mlops-maturity.yml`): which framework, when it was assessed, and per
// topic the level the team claims with its evidence. Validated against the framework, with file:line:column.
import { z } from "zod";
import { MlgateError, throwAll } from "../errors.js";
import { validated } from "../config/issues.js";
import type { ConfigPositions } from "../config/positions.js";
import { readYaml } from "../config/yaml.js";
import { nearestWord } from "../sources/nearest.js";
import { levelRange, topicsOf, type Framework } from "./framework.js";

export const ASSESSMENT_FILE = ".github/mlops-maturity.yml";
export const DEFAULT_FRAMEWORK = "iml4e-v2";

const evidenceSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const topicClaimSchema = z.union([
  z.number().int(),
  z.strictObject({
    level: z.number().int().optional(),
    /** The topic does not apply to this repository (no training here, say); left out of every score. */
    notApplicable: z.boolean().optional(),
    evidence: evidenceSchema.optional(),
    note: z.string().optional(),
  }),
]);

export const assessmentSchema = z.strictObject({
  framework: z.string().min(1).optional(),
  /** The date of the assessment, YYYY-MM-DD; the org report flags assessments older than its limit. */
  assessedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date written YYYY-MM-DD, like 2026-11-01"),
  assessors: z.array(z.string().min(1)).optional(),
  topics: z.record(z.string(), topicClaimSchema),
});

export interface TopicClaim {
  topic: string;
  /** null when the topic is marked not applicable. */
  level: number | null;
  notApplicable: boolean;
  evidence: string[];
  note?: string;
}

export interface Assessment {
  file: string;
  framework: string;
  assessedAt: string;
  assessors: string[];
  claims: Map<string, TopicClaim>;
}

/** The framework id named in a self-assessment without validating the rest (to pick the framework). */
export function frameworkIdOf(text: string, file: string): string {
  const { value } = readYaml(text, file, KIND);
  const id = (value as { framework?: unknown }).framework;
  return typeof id === "string" && id !== "" ? id : DEFAULT_FRAMEWORK;
}

const KIND = {
  code: "maturity" as const,
  what: "the self-assessment",
  emptyHint: "start with `framework: iml4e-v2`, `assessedAt: YYYY-MM-DD` and `topics:`; see docs/maturity.md",
};

/** Parses and validates a self-assessment against `frameworks` (the one it names, iml4e-v2 by default). */
export function parseAssessment(text: string, file: string, frameworks: readonly Framework[]): Assessment {
  const { value, positions } = readYaml(text, file, KIND);
  const raw = validated(value, positions, { schema: assessmentSchema, code: "maturity.schema" });
  const frameworkId = raw.framework ?? DEFAULT_FRAMEWORK;
  const framework = frameworks.find((candidate) => candidate.id === frameworkId);
  if (!framework) {
    const known = frameworks.map((candidate) => candidate.id);
    const near = nearestWord(frameworkId, known);
    throw new MlgateError("maturity.semantic", `unknown framework "${frameworkId}"`, {
      location: positions.locate(["framework"]),
      hint: `${near ? `did you mean "${near}"? ` : ""}known frameworks: ${known.join(", ")}`,
    });
  }
  const claims = new Map<string, TopicClaim>();
  const errors: MlgateError[] = [];
  const topicIds = topicsOf(framework).map(({ topic }) => topic.id);
  const { min, max } = levelRange(framework);
  for (const [topic, claim] of Object.entries(raw.topics)) {
    const problem = claimProblem(topic, claim, topicIds, framework, { min, max }, positions);
    if (problem) errors.push(problem);
    else claims.set(topic, toClaim(topic, claim));
  }
  if (!isRealDate(raw.assessedAt)) {
    errors.unshift(
      new MlgateError("maturity.schema", `assessedAt ${raw.assessedAt} is not a date in the calendar`, {
        location: positions.locate(["assessedAt"]),
        hint: "write the day of the assessment as YYYY-MM-DD",
      }),
    );
  }
  throwAll(errors);
  return {
    file,
    framework: framework.id,
    assessedAt: raw.assessedAt,
    assessors: raw.assessors ?? [],
    claims,
  };
}

type RawClaim = z.infer<typeof topicClaimSchema>;

function claimProblem(
  topic: string,
  claim: RawClaim,
  topicIds: string[],
  framework: Framework,
  range: { min: number; max: number },
  positions: ConfigPositions,
): MlgateError | undefined {
  if (!topicIds.includes(topic)) {
    const near = nearestWord(topic, topicIds);
    return new MlgateError("maturity.semantic", `"${topic}" is not a topic of ${framework.id}`, {
      location: positions.locate(["topics", topic], { key: true }),
      hint: near
        ? `did you mean "${near}"? \`mlgate maturity --topics\` lists the topics of ${framework.id}`
        : `\`mlgate maturity --topics\` lists the topics of ${framework.id}`,
    });
  }
  const level = typeof claim === "number" ? claim : claim.level;
  const notApplicable = typeof claim === "object" && claim.notApplicable === true;
  const at = typeof claim === "number" ? ["topics", topic] : ["topics", topic, "level"];
  if (level === undefined && !notApplicable) {
    return new MlgateError("maturity.schema", `topics.${topic} has no level`, {
      location: positions.locate(["topics", topic]),
      hint: `add \`level: ${range.min}\` … \`level: ${range.max}\`, or \`notApplicable: true\` with the reason as evidence`,
    });
  }
  if (level !== undefined && notApplicable) {
    return new MlgateError("maturity.schema", `topics.${topic} has a level and is marked not applicable`, {
      location: positions.locate(at),
      hint: "keep one of the two",
    });
  }
  if (level !== undefined && (level < range.min || level > range.max)) {
    return new MlgateError(
      "maturity.schema",
      `topics.${topic}: level ${level} is outside ${framework.id}'s levels ${range.min}–${range.max}`,
      { location: positions.locate(at), hint: `use a level from ${range.min} to ${range.max}` },
    );
  }
  return undefined;
}

function toClaim(topic: string, claim: RawClaim): TopicClaim {
  if (typeof claim === "number") return { topic, level: claim, notApplicable: false, evidence: [] };
  const evidence = claim.evidence === undefined ? [] : [claim.evidence].flat();
  return {
    topic,
    level: claim.notApplicable === true ? null : (claim.level ?? null),
    notApplicable: claim.notApplicable === true,
    evidence,
    ...(claim.note === undefined ? {} : { note: claim.note }),
  };
}

function isRealDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
