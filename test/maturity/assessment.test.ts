// The self-assessment file: what a team writes, and the errors they get when it is wrong.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatError } from "../../src/errors.js";
import { parseAssessment } from "../../src/maturity/assessment.js";
import { BUILTIN_FRAMEWORKS } from "../../src/maturity/catalogs/index.js";
import { loadFramework } from "../../src/maturity/custom.js";
import { thrownBy } from "../support/thrown.js";

const FILE = ".github/mlops-maturity.yml";
const parse = (text: string) => parseAssessment(text, FILE, BUILTIN_FRAMEWORKS);
const errorOf = (text: string) => thrownBy(() => parse(text));

describe("the self-assessment file", () => {
  it("reads levels written as a number or with evidence, and not-applicable topics", () => {
    const assessment = parse(
      [
        "framework: iml4e-v2",
        "assessedAt: 2026-10-15",
        "topics:",
        "  data-version-control: 3",
        "  experiment-tracking:",
        "    level: 2",
        "    evidence: [MLflow server, runs linked from PRs]",
        "  automl:",
        "    notApplicable: true",
        "    evidence: no hyperparameter search here",
      ].join("\n"),
    );
    expect(assessment.framework).toBe("iml4e-v2");
    expect(assessment.assessedAt).toBe("2026-10-15");
    expect(assessment.claims.get("data-version-control")).toMatchObject({ level: 3, evidence: [] });
    expect(assessment.claims.get("experiment-tracking")).toMatchObject({
      level: 2,
      evidence: ["MLflow server", "runs linked from PRs"],
    });
    expect(assessment.claims.get("automl")).toMatchObject({ level: null, notApplicable: true });
  });

  it("uses the IML4E framework when none is named, and the CMM-style one on request", () => {
    expect(parse("assessedAt: 2026-01-02\ntopics: {}\n").framework).toBe("iml4e-v2");
    const cmm = parse("framework: ml-cmm\nassessedAt: 2026-01-02\ntopics:\n  test-metrics-and-goals: 4\n");
    expect(cmm.claims.get("test-metrics-and-goals")?.level).toBe(4);
  });

  it.each([
    [
      "a misspelt topic, with the nearest one",
      "topics:\n  experiment-traking: 2\n",
      `${FILE}:4:3`,
      'did you mean "experiment-tracking"',
    ],
    [
      "a level outside the framework",
      "topics:\n  data-reuse: 5\n",
      `${FILE}:4:15`,
      "use a level from 0 to 4",
    ],
    ["a level that is not a whole number", "topics:\n  data-reuse: 2.5\n", `${FILE}:4:15`, undefined],
    [
      "a topic without a level",
      "topics:\n  data-reuse:\n    evidence: x\n",
      `${FILE}:5:5`,
      "notApplicable: true",
    ],
    ["a date that is not in the calendar", "topics: {}\n", `${FILE}:2:13`, "YYYY-MM-DD"],
  ])("names the line and column of %s", (_what, topics, where, hint) => {
    const date = _what.includes("calendar") ? "2026-02-30" : "2026-10-15";
    const error = errorOf(`framework: iml4e-v2\nassessedAt: ${date}\n${topics}`);
    expect(formatError(error)).toContain(where);
    if (hint) expect(formatError(error)).toContain(hint);
  });

  it("reports every mistake at once", () => {
    const error = errorOf(
      "assessedAt: 2026-10-15\ntopics:\n  experiment-traking: 2\n  model-evaluation: 7\n",
    );
    expect(error.all().map((each) => each.location?.line)).toEqual([3, 4]);
  });

  it("refuses an unknown framework, suggesting the nearest", () => {
    const error = errorOf("framework: iml4e\nassessedAt: 2026-10-15\ntopics: {}\n");
    expect(formatError(error)).toMatch(/:1:12.*unknown framework "iml4e"[\s\S]*iml4e-v2/);
  });

  it("refuses a missing date and an unknown key with their positions", () => {
    const error = errorOf("framework: iml4e-v2\ntopic: {}\n");
    const text = formatError(error);
    expect(text).toContain("assessedAt is missing");
    expect(text).toMatch(/:2:1.*unknown key "topic"[\s\S]*did you mean "topics"/);
  });

  it("refuses YAML it cannot read, and an empty file, naming the file", () => {
    expect(formatError(errorOf("topics: [\n"))).toContain(FILE);
    expect(formatError(errorOf(""))).toContain("the self-assessment is empty");
  });
});

describe("an organisation's own framework", () => {
  // Line numbers below count from this file's first line (its comment).
  const framework = readFileSync("fixtures/maturity/frameworks/acme-ladder.yml", "utf8").split("\n");

  it("loads and can then be named by a self-assessment", () => {
    const acme = loadFramework(framework.join("\n"), "acme.yml", ["iml4e-v2", "ml-cmm"]);
    const assessment = parseAssessment(
      "framework: acme-ladder\nassessedAt: 2026-10-15\ntopics:\n  gated-releases: 2\n",
      FILE,
      [...BUILTIN_FRAMEWORKS, acme],
    );
    expect(assessment.claims.get("gated-releases")?.level).toBe(2);
  });

  it("refuses a statement on a level it does not have, at its line", () => {
    const bad = framework.map((line) => line.replace('"3": Every', '"4": Every'));
    const error = thrownBy(() => loadFramework(bad.join("\n"), "acme.yml", []));
    expect(formatError(error)).toMatch(/acme\.yml:14:\d+.*level 4, which the framework does not have/);
  });

  it("refuses an evidence rule naming a detector that does not exist, suggesting the nearest", () => {
    const bad = framework.map((line) => line.replace("gates-on-pull-requests", "gates-on-pull-request"));
    const error = thrownBy(() => loadFramework(bad.join("\n"), "acme.yml", []));
    expect(formatError(error)).toMatch(
      /acme\.yml:15:\d+.*"gates-on-pull-request" is not an evidence detector[\s\S]*did you mean "gates-on-pull-requests"/,
    );
  });

  it("refuses the id of a built-in framework", () => {
    const bad = framework.map((line) => line.replace("id: acme-ladder", "id: iml4e-v2"));
    const error = thrownBy(() => loadFramework(bad.join("\n"), "acme.yml", ["iml4e-v2"]));
    expect(formatError(error)).toMatch(/acme\.yml:2:5.*built-in framework/);
  });
});
