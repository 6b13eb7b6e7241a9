// A maturity framework as data: levels, areas, topics and a statement per topic and level, each topic
// citing the section of the source document it paraphrases. The built-in catalogs and an organisation's
// own frameworks (YAML) share this one schema.
import { z } from "zod";

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const id = z
  .string()
  .regex(ID, "a lowercase id of letters, digits and single hyphens, like data-version-control");

export const levelSchema = z.strictObject({
  /** The number people say ("level 2"); consecutive integers from the first level. */
  value: z.number().int().min(0).max(10),
  name: z.string().min(1),
});

/**
 * Evidence that supports a topic's level: when every named detector finds something, the topic is at
 * least `floor`; when they do, it is at most `ceiling` (a contradiction, like no CI at all).
 */
export const evidenceRuleSchema = z
  .strictObject({
    detectors: z.array(z.string().min(1)).min(1),
    floor: z.number().int().optional(),
    ceiling: z.number().int().optional(),
  })
  .refine((rule) => rule.floor !== undefined || rule.ceiling !== undefined, {
    message: "an evidence rule needs a floor or a ceiling",
  });

export const topicSchema = z.strictObject({
  id,
  /** The topic's number in the source document, when it has one (IML4E numbers 1–32). */
  number: z.number().int().positive().optional(),
  name: z.string().min(1),
  /** The role that owns the topic, when the source names one (seed 000 does). */
  role: z.string().min(1).optional(),
  /** Where the topic comes from: document and section, e.g. "IML4E D4.4 §5.2.3, Table 10". */
  source: z.string().min(1),
  /**
   * What a repository at each level does, keyed by the level's value as a string ("0" … "4"). Our own
   * words; a level the source leaves blank is left out and reads as "between its neighbours".
   */
  statements: z.record(z.string().regex(/^\d+$/), z.string().min(1)),
  /** For an organisation's own framework: which detectors evidence the topic (built-ins: evidence-map.ts). */
  evidence: z.array(evidenceRuleSchema).optional(),
});

export const areaSchema = z.strictObject({
  id,
  name: z.string().min(1),
  source: z.string().min(1),
  topics: z.array(topicSchema).min(1),
});

export const frameworkSchema = z.strictObject({
  id,
  name: z.string().min(1),
  /** The document the framework comes from, cited in reports. */
  source: z.string().min(1),
  levels: z.array(levelSchema).min(2),
  areas: z.array(areaSchema).min(1),
});

export type Level = z.infer<typeof levelSchema>;
export type EvidenceRule = z.infer<typeof evidenceRuleSchema>;
export type Topic = z.infer<typeof topicSchema>;
export type Area = z.infer<typeof areaSchema>;
export type Framework = z.infer<typeof frameworkSchema>;

/** The lowest and highest level values of a framework. */
export function levelRange(framework: Framework): { min: number; max: number } {
  const values = framework.levels.map((level) => level.value);
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** "Level 2" or the level's name when the framework names its levels ("Defined"). */
export function levelName(framework: Framework, value: number): string {
  return framework.levels.find((level) => level.value === value)?.name ?? `Level ${value}`;
}

/** Every topic of a framework with the area it belongs to, in catalog order. */
export function topicsOf(framework: Framework): { area: Area; topic: Topic }[] {
  return framework.areas.flatMap((area) => area.topics.map((topic) => ({ area, topic })));
}
