// Text from files never becomes a live issue reference or mention where mlgate writes Markdown: `#12`,
// `org/repo#12` and `GH-12` would link, cross-reference and notify the issue's subscribers; `@team` would
// notify a team. Checked on the escaper for any input, and on every Markdown renderer with hostile names.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultSettings } from "../../app/org-settings.js";
import { renderReportBlocks, type ReportInput } from "../../app/report/render.js";
import { loosenedGates } from "../../src/config/diff.js";
import { loadConfig } from "../../src/config/load.js";
import { assessRepository } from "../../src/maturity/assess.js";
import { BUILTIN_FRAMEWORKS } from "../../src/maturity/catalogs/index.js";
import { loadFramework } from "../../src/maturity/custom.js";
import { levelChanges } from "../../src/maturity/diff.js";
import { renderLevelChanges, renderMaturityMarkdown } from "../../src/maturity/render.js";
import { renderConfigChanges } from "../../src/report/config-changes.js";
import { escapeMarkdown } from "../../src/report/escape.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { measurement, sampleReport, SAMPLE_MEASUREMENTS } from "./sample-report.js";

const REFERENCES = "see GH-123, gh-9, acme/model#77, #45, fixes #1 and @ml-platform/reviewers";

/**
 * What GitHub would link in rendered text: `#<digits>` anywhere, `GH-<digits>` in any case, and `@name`. Entities are what GitHub decodes before it looks, so they are decoded first.
 */
function liveReferences(markdown: string): string[] {
  const rendered = markdown
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, "&");
  // `#12` links wherever it stands (`org/repo#12` too); `GH-12` and `@name` only at the start of a word.
  return [...rendered.matchAll(/#\d+|\bgh-\d+|(?<![\w&])@[\w-]+/gi)].map((match) => match[0]);
}

describe("escapeMarkdown", () => {
  it("leaves no issue reference or mention live, whatever the input", () => {
    const risky = fc.constantFrom(..."#@-GHgh/ 0123456789aZ&;".split(""), "GH-", "#1", "org/repo#");
    fc.assert(
      fc.property(fc.string({ unit: risky, maxLength: 30 }), (input) => {
        expect(liveReferences(escapeMarkdown(input))).toEqual([]);
      }),
    );
  });

  it("keeps the text readable", () => {
    expect(escapeMarkdown("GH-123 acme/model#77")).toBe("GH-&#8203;123 acme/model#&#8203;77");
  });
});

describe("every Markdown mlgate writes", () => {
  it("the gate report (PR comment, check run, job summary)", () => {
    const evil = measurement({
      name: REFERENCES,
      dimension: REFERENCES,
      requirement: REFERENCES,
      metric: REFERENCES,
      value: REFERENCES,
      status: "fail",
      message: REFERENCES,
    });
    const report = sampleReport([...SAMPLE_MEASUREMENTS, evil]);
    const markdown = renderMarkdown({
      ...report,
      specification: { ...report.specification, name: REFERENCES, comment: REFERENCES },
    });
    expect(markdown).toContain("GH-&#8203;123");
    expect(liveReferences(markdown)).toEqual([]);
  });

  it("the loosened-gates notice", () => {
    const gate = (gte: number) =>
      loadConfig(
        `version: 1\nsources: { m: { file: m.json } }\nkpis:\n  ${JSON.stringify(REFERENCES)}: { source: m, path: a, gte: ${gte} }\n`,
        "mlgate.yml",
      );
    const notice = renderConfigChanges(loosenedGates(gate(0.9), gate(0.5)), REFERENCES);
    expect(notice).toContain("loosens the release gates");
    expect(liveReferences(notice)).toEqual([]);
  });

  it("the maturity preview and the org report, with an organisation's own framework named by hostile text", () => {
    const text = readFileSync("fixtures/maturity/frameworks/acme-ladder.yml", "utf8")
      .replace("name: ACME ladder", `name: ${JSON.stringify(REFERENCES)}`)
      .replace("name: Walk", `name: ${JSON.stringify(`Walk ${REFERENCES}`)}`)
      .replace("name: Run", `name: ${JSON.stringify(`Run ${REFERENCES}`)}`)
      .replace("name: Delivery", `name: ${JSON.stringify(REFERENCES)}`)
      .replace("name: Gated releases", `name: ${JSON.stringify(REFERENCES)}`);
    const framework = loadFramework(
      text,
      "acme-ladder.yml",
      BUILTIN_FRAMEWORKS.map((each) => each.id),
    );
    const frameworks = [framework];
    const assessment = [
      "framework: acme-ladder",
      "assessedAt: 2026-11-01",
      "topics:",
      `  gated-releases: { level: 3, evidence: ${JSON.stringify(REFERENCES)} }`,
      "",
    ].join("\n");
    const view = (files: Record<string, string>) => ({
      entries: new Map(Object.keys(files).map((path) => [path, "file" as const])),
      files: new Map(Object.entries(files)),
    });
    const before = assessRepository(view({}), frameworks);
    const after = assessRepository(view({ ".github/mlops-maturity.yml": assessment }), frameworks);
    const changes = levelChanges(before.snapshot, after.snapshot);
    expect(changes.length).toBeGreaterThan(0);
    const preview = renderMaturityMarkdown(after.snapshot, framework, changes);
    expect(liveReferences(preview)).toEqual([]);
    expect(liveReferences(renderLevelChanges(changes, framework))).toEqual([]);

    const input: ReportInput = {
      organisation: REFERENCES,
      settings: {
        ...defaultSettings(),
        frameworks: ["acme-ladder"],
        targets: { overall: 3, delivery: 3 },
        title: REFERENCES,
        problems: [REFERENCES],
      },
      frameworks,
      repositories: [
        {
          owner: "acme",
          name: "model-1",
          private: false,
          snapshot: before.snapshot,
          commit: "a".repeat(40),
          gate: null,
        },
      ],
      changes: changes.map((change) => ({
        ...change,
        repository: "model-1",
        framework: "acme-ladder",
        commit: "a".repeat(40),
        changedAt: new Date("2026-11-02T00:00:00Z"),
      })),
      since: null,
      now: new Date("2026-11-03T00:00:00Z"),
      publicReport: true,
      serverUrl: "https://github.com",
    };
    const { head, blocks } = renderReportBlocks(input);
    const report = [head, ...blocks.map((block) => JSON.stringify(block))].join("\n");
    expect(liveReferences(report)).toEqual([]);
  });
});
