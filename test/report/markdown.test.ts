// The PR comment: verdict first, failures before tables, one table per dimension, details folded away.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown.js";
import type { ReportMeasurement } from "../../src/report/model.js";
import { measurement, sampleReport } from "./sample-report.js";

const passing = (n: number): ReportMeasurement[] =>
  Array.from({ length: n }, (_, i) => measurement({ name: `kpi_${i}` }));

describe("renderMarkdown", () => {
  it.each([
    ["conformant", passing(7), "### ✅ mlgate: conformant — 7 gates, 7 passed"],
    [
      "conformant-with-warnings",
      [...passing(6), measurement({ name: "p95", severity: "warning", status: "fail" })],
      "### ⚠️ mlgate: conformant with warnings — 7 gates: 6 passed, 1 warning",
    ],
    [
      "conformant-with-warnings",
      [...passing(6), measurement({ name: "probe", severity: "warning", status: "error" })],
      "### ⚠️ mlgate: conformant with warnings — 7 gates: 6 passed, 1 warning",
    ],
    [
      "non-conformant",
      [
        ...passing(5),
        measurement({ name: "f1", status: "fail" }),
        measurement({ name: "ece", status: "error" }),
      ],
      "### ❌ mlgate: non-conformant — 7 gates: 5 passed, 1 failed, 1 error",
    ],
  ] as const)("the first line of the comment is the verdict (%s)", (status, measurements, expected) => {
    const report = { ...sampleReport([...measurements]), status };
    expect(renderMarkdown(report).split("\n")[0]).toBe(expected);
  });

  it("names the specification right under the verdict", () => {
    expect(renderMarkdown(sampleReport()).split("\n")[1]).toBe(
      "**Specification:** Credit scoring — internal conformity assessment — Operationalises the bank&#39;s AI policy v3",
    );
  });

  it("lists what needs attention before the tables, most urgent first", () => {
    const markdown = renderMarkdown(sampleReport());
    const attention = markdown.slice(
      markdown.indexOf("#### Needs attention"),
      markdown.indexOf("#### Release KPIs"),
    );
    expect(attention.split("\n").filter((l) => l.startsWith("- "))).toEqual([
      "- ❌ fail **macro\\_f1** — macro\\_f1 is 0.8123, below the target of 0.85",
      "- ❌ fail **DPD on the holdout set** — Demographic parity difference is not below the target",
      "- 🚫 error **calibration\\_error** — source scorer exited with code 1",
      "- ⚠️ fail (warning) **p95\\_ms** — p95\\_ms is 131, not below 120",
      "- ⏭️ skipped **Feature drift share** — not due until 2026-03-06 \\(weekly\\)",
    ]);
  });

  it("has no attention list when everything passed", () => {
    expect(renderMarkdown(sampleReport(passing(3)))).not.toContain("Needs attention");
  });

  it("has one table per dimension, headed by its conformity", () => {
    const markdown = renderMarkdown(sampleReport());
    expect(markdown).toContain(
      "#### Release KPIs — ❌ non-conformant\n\n| Measurement | Value | Target | Baseline Δ | Status |",
    );
    expect(markdown).toContain(
      "#### Fairness — ❌ non-conformant\n\n| Measurement | Value | Target | Baseline Δ | Status |",
    );
    expect(markdown).toContain("| accuracy | 0.9312 | ≥ 0.9 | +0.0012 | ✅ pass |");
    expect(markdown).toContain("| p95\\_ms | 131 | &lt; 120 | — | ⚠️ fail (warning) |");
  });

  it("folds the details: where each gate is declared and read, the baseline and the run", () => {
    const markdown = renderMarkdown(sampleReport());
    const details = markdown.slice(markdown.indexOf("<details><summary>Details</summary>"));
    expect(details).toContain("id: release-kpis/release-kpis/accuracy/accuracy");
    expect(details).toContain("source: fair · path: /sex/demographic\\_parity\\_difference");
    expect(details).toContain(
      "declared at: .github/mlgate.yml:5:3 · assessed at: 2026-02-27T08:00:00.000Z · frequency: weekly",
    );
    expect(details).toContain("**Baseline:** main&#64;&#8203;4f1c2ab (created 2026-03-01T09:00:00.000Z)");
    expect(details).toContain("**Run:** acme/credit-model at 9b2e4d7 (refs/pull/42/merge)");
    expect(details.trimEnd().endsWith("</details>")).toBe(true);
  });

  it.each([
    ["pass", "skipped (last: pass) · severity: blocking"],
    ["fail", "skipped (last: fail) · severity: blocking"],
    [null, "  - skipped · severity: blocking"],
  ] as const)(
    "shows the verdict a skipped gate carries in the details (last: %s)",
    (lastStatus, expected) => {
      const skipped = measurement({ name: "drift", status: "skipped", lastStatus, message: "not due" });
      const details = renderMarkdown(sampleReport([skipped])).split("<details>")[1];
      expect(details).toContain(expected);
    },
  );

  it('says "no baseline" when the run had none', () => {
    expect(renderMarkdown({ ...sampleReport(), baseline: null })).toContain("**Baseline:** no baseline");
  });

  it("renders a small report as reviewed", () => {
    const report = {
      ...sampleReport([
        measurement({
          name: "accuracy",
          value: 0.9277021394831897,
          baseline: { value: 0.92, delta: 0.0077021394831897, ref: "main@4f1c2ab" },
        }),
      ]),
      status: "conformant" as const,
      dimensions: [],
    };
    expect(renderMarkdown(report)).toMatchInlineSnapshot(`
      "### ✅ mlgate: conformant — 1 gate, 1 passed
      **Specification:** Credit scoring — internal conformity assessment — Operationalises the bank&#39;s AI policy v3

      #### Release KPIs

      | Measurement | Value | Target | Baseline Δ | Status |
      | :- | -: | :- | -: | :- |
      | accuracy | 0.9277 | ≥ 0.9 | +0.007702 | ✅ pass |

      <details><summary>Details</summary>

      #### Release KPIs
      - **accuracy** — accuracy passed
        - id: release-kpis/release-kpis/accuracy/accuracy
        - requirement: Release KPIs · metric: accuracy
        - source: eval · path: test.accuracy
        - declared at: .github/mlgate.yml:5:3 · assessed at: 2026-03-02T10:15:00.000Z · frequency: per-change
        - severity: blocking · baseline value: 0.92

      **Configuration:** .github/mlgate.yml · assessor: self  
      **Baseline:** main&#64;&#8203;4f1c2ab (created 2026-03-01T09:00:00.000Z)  
      **Run:** acme/credit-model at 9b2e4d7 (refs/pull/42/merge) · 2026-03-02T10:15:00.000Z · mlgate 0.1.0

      </details>
      "
    `);
  });
});
