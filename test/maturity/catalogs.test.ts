// The built-in maturity catalogs: both are valid frameworks, IML4E V2 keeps the fixed topic ids and numbers
// other code depends on, and the Akkiraju et al. catalog has one topic per Appendix A row.
import { describe, expect, it } from "vitest";
import { frameworkSchema, topicsOf, type Framework } from "../../src/maturity/framework.js";
import { BUILTIN_FRAMEWORKS, IML4E_V2, ML_CMM, builtinFramework } from "../../src/maturity/catalogs/index.js";

const IML4E_AREAS: [string, string[]][] = [
  [
    "people",
    [
      "data-engineers",
      "data-scientists",
      "software-engineers",
      "it-operations",
      "business-analysts-end-users",
    ],
  ],
  [
    "data",
    [
      "data-pipeline-automation",
      "data-reuse",
      "data-version-control",
      "data-quality-assurance",
      "data-unit-testing",
    ],
  ],
  [
    "model-creation",
    [
      "training-compute",
      "experiment-tracking",
      "model-versioning",
      "automl",
      "training-pipeline",
      "model-debugging",
    ],
  ],
  [
    "model-release",
    [
      "model-evaluation",
      "release-responsibility",
      "model-testing",
      "release-expertise",
      "release-automation",
      "prediction-pipeline-testing",
      "release-rollback",
    ],
  ],
  [
    "monitoring-testing",
    ["monitoring-scope", "cross-application-monitoring", "test-automation", "test-scope"],
  ],
  ["conformity-documentation", ["conformity-assessment", "documentation"]],
  ["tools", ["tool-automation", "tool-strategy", "dashboards"]],
];

// Appendix A of Akkiraju et al.: one row per capability, each with a detailed capability and a role.
const APPENDIX_A_ROWS = 8;

describe.each(BUILTIN_FRAMEWORKS.map((framework) => [framework.id, framework] as const))(
  "built-in framework %s",
  (_id, framework: Framework) => {
    it("is a valid framework", () => {
      expect(frameworkSchema.parse(framework)).toEqual(framework);
    });

    it("has levels numbered consecutively", () => {
      const values = framework.levels.map((level) => level.value);
      const first = values[0] ?? 0;
      expect(values).toEqual(values.map((_, index) => first + index));
    });

    it("gives every topic an id no other topic or area uses", () => {
      const ids = [
        ...framework.areas.map((area) => area.id),
        ...topicsOf(framework).map(({ topic }) => topic.id),
      ];
      expect(new Set(ids).size).toBe(ids.length);
    });

    it("keys every statement by one of its own level values", () => {
      const levels = new Set(framework.levels.map((level) => String(level.value)));
      for (const { topic } of topicsOf(framework)) {
        for (const key of Object.keys(topic.statements))
          expect(levels, `${topic.id} level ${key}`).toContain(key);
      }
    });

    it("describes every topic on at least two levels", () => {
      for (const { topic } of topicsOf(framework)) {
        expect(Object.keys(topic.statements).length, topic.id).toBeGreaterThanOrEqual(2);
      }
    });

    it("cites a section of its source for every area and topic", () => {
      const cited = /§|Appendix/;
      for (const area of framework.areas) expect(area.source, area.id).toMatch(cited);
      for (const { topic } of topicsOf(framework)) expect(topic.source, topic.id).toMatch(cited);
    });

    it("can be looked up by its id", () => {
      expect(builtinFramework(framework.id)).toBe(framework);
    });
  },
);

describe("IML4E MLOps Maturity Assessment Framework V2", () => {
  it("rates on levels 0 to 4", () => {
    expect(IML4E_V2.levels.map((level) => level.value)).toEqual([0, 1, 2, 3, 4]);
  });

  it("has the 7 assessment areas with their topics in source order", () => {
    expect(IML4E_V2.areas.map((area) => [area.id, area.topics.map((topic) => topic.id)])).toEqual(
      IML4E_AREAS,
    );
  });

  it("numbers its 32 topics 1 to 32 in catalog order", () => {
    const numbers = topicsOf(IML4E_V2).map(({ topic }) => topic.number);
    expect(numbers).toEqual(Array.from({ length: 32 }, (_, index) => index + 1));
  });

  it("credits Microsoft (2022) for the topics the source marks (MS)", () => {
    const credited = topicsOf(IML4E_V2)
      .filter(({ topic }) => topic.source.includes("Microsoft (2022)"))
      .map(({ topic }) => topic.number);
    expect(credited).toEqual([1, 2, 3, 11, 12, 17, 18, 20]);
  });
});

describe("ML maturity framework of Akkiraju et al.", () => {
  it("rates on the five CMM levels Initial to Optimizing", () => {
    expect(ML_CMM.levels).toEqual([
      { value: 1, name: "Initial" },
      { value: 2, name: "Repeatable" },
      { value: 3, name: "Defined" },
      { value: 4, name: "Managed" },
      { value: 5, name: "Optimizing" },
    ]);
  });

  it("has one topic per Appendix A row, each with the role that owns it and a statement per level", () => {
    const topics = topicsOf(ML_CMM).map(({ topic }) => topic);
    expect(topics).toHaveLength(APPENDIX_A_ROWS);
    for (const topic of topics) {
      expect(topic.role, topic.id).toBeTruthy();
      expect(Object.keys(topic.statements), topic.id).toEqual(["1", "2", "3", "4", "5"]);
    }
  });

  it("groups topics by capability, starting with AI model goal setting", () => {
    const first = ML_CMM.areas[0];
    expect(first?.id).toBe("ai-model-goal-setting");
    expect(first?.topics.map((topic) => topic.id)).toEqual(["target-scope-and-purpose"]);
  });
});

describe("builtinFramework", () => {
  it("finds nothing for an unknown id", () => {
    expect(builtinFramework("no-such-framework")).toBeUndefined();
  });
});
