// Item: a percentage ("85.0%") never passes a gate on a fraction. `mlgate check` on real files that hold
// percentages: without `unit: percent` the gate is an error that says what to write; with it, 85% is
// compared as 0.85 and the report says so.
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.js";

interface Case {
  /** A file under fixtures/formats holding the percentage. */
  file: string;
  format?: string;
  path: string;
  /** The percentage as written in the file, and the fraction it stands for. */
  written: string;
  fraction: number;
}

const WELSH = "wav2vec2-xlsr-welsh (by Dewi Bryn Jones, fine tuning week - March 2021)";
const CASES: Case[] = [
  {
    // A real model card (Apache-2.0): `value: 25.59%` for the test WER.
    file: "huggingface/modelcard_percent-string-value_wav2vec2-welsh.README.md",
    path: `${WELSH}/automatic-speech-recognition/common_voice/cy/wer`,
    written: "25.59%",
    fraction: 0.2559,
  },
  {
    file: "huggingface/synthetic_all_results_minified-nan.json",
    path: "eval_exact match",
    written: "81.25%",
    fraction: 0.8125,
  },
  {
    file: "evidently/synthetic_legacy-report_crlf_bom_text-values.json",
    path: "metrics/ColumnSummaryMetric(column_name=monthly income, USD)/current_characteristics/unique_percentage",
    written: "70.9%",
    fraction: 0.709,
  },
  {
    file: "wandb/synthetic_quirks_wandb-summary.json",
    path: "coverage",
    written: "25.59%",
    fraction: 0.2559,
  },
  {
    file: "fairness/synthetic_fairlearn_metricframe_index-oriented.json",
    path: "by_group/selection_rate/('M', '25-45')",
    written: "35%",
    fraction: 0.35,
  },
  {
    // The same CSV read two ways: by the fairness reader, and as a plain CSV whose cell says "12.5%".
    file: "fairness/synthetic_group_rates_cr.csv",
    path: "Non-binary/other/selection_rate",
    written: "12.5%",
    fraction: 0.125,
  },
  {
    file: "fairness/synthetic_group_rates_cr.csv",
    format: "csv",
    path: "/Non-binary~1other/selection_rate",
    written: "12.5%",
    fraction: 0.125,
  },
];

interface Measurement {
  status: string;
  message: string;
  value: unknown;
  unit?: string;
}

async function check(c: Case, gate: string): Promise<{ code: number; gate: Measurement; markdown: string }> {
  const dir = mkdtempSync(join(tmpdir(), "mlgate-percent-"));
  const file = c.file.split("/").pop() ?? "metrics";
  cpSync(resolve("fixtures/formats", c.file), join(dir, file));
  const config = [
    "version: 1",
    "sources:",
    `  tool: { file: ${JSON.stringify(file)}${c.format ? `, format: ${c.format}` : ""} }`,
    "kpis:",
    `  gate: { source: tool, path: ${JSON.stringify(c.path)}, ${gate} }`,
    "",
  ].join("\n");
  writeFileSync(join(dir, "mlgate.yml"), config);
  const args = ["check", "--config", join(dir, "mlgate.yml"), "--cwd", dir];
  const json = await runCli([...args, "--format", "json"]);
  const markdown = await runCli([...args, "--format", "markdown"]);
  const report = JSON.parse(json.stdout) as { measurements: Measurement[] };
  return { code: json.code, gate: report.measurements[0] as Measurement, markdown: markdown.stdout };
}

describe("mlgate check on files that hold percentages", () => {
  it.each(CASES.map((c) => [`${c.file}${c.format ? ` as ${c.format}` : ""}: ${c.written}`, c] as const))(
    "%s is an error without a unit, whatever the target, and says what to write",
    async (_title, c) => {
      // A target on the fraction scale, which the percentage's number would pass, and one it would fail.
      for (const target of ["gte: 0.01", "lt: 0.99", "lt: 1000"]) {
        const { code, gate } = await check(c, target);
        expect(gate.status, gate.message).toBe("error");
        expect(gate.message).toContain(`the value ${c.written} is a percentage`);
        expect(gate.message).toContain(`add \`unit: percent\` to compare ${c.written} as ${c.fraction}`);
        expect(code).toBe(1);
      }
    },
  );

  it.each(CASES.map((c) => [`${c.file}${c.format ? ` as ${c.format}` : ""}: ${c.written}`, c] as const))(
    "%s is compared as a fraction with unit: percent, and the report says so",
    async (_title, c) => {
      const passing = await check(c, `gte: ${c.fraction}, unit: percent`);
      expect(passing.gate).toMatchObject({ status: "pass", value: c.fraction, unit: "percent" });
      expect(passing.code).toBe(0);
      // The table shows the fraction and the percentage (parentheses escaped for Markdown).
      expect(passing.markdown).toContain(`| gate | ${c.fraction} \\(${c.written}\\) | ≥ ${c.fraction} |`);
      // Just above the fraction: a fail, whose message shows both the fraction and the percentage.
      const failing = await check(c, `gt: ${c.fraction}, unit: percent`);
      expect(failing.gate.status).toBe("fail");
      expect(failing.gate.message).toContain(`got ${c.fraction} (${c.written})`);
      expect(failing.code).toBe(1);
    },
  );
});

describe("mlgate inspect on a file that holds percentages", () => {
  it("shows them as percentages and says that only a gate with unit: percent reads them", async () => {
    const result = await runCli([
      "inspect",
      "fixtures/formats/huggingface/modelcard_percent-string-value_wav2vec2-welsh.README.md",
    ]);
    expect(result.stdout).toMatch(/\/wer" +"25\.59%"$/m);
    expect(result.stdout).toContain(
      "read only by a gate with `unit: percent`, as fractions (85% is compared as 0.85)",
    );
    const plain = await runCli(["inspect", "fixtures/example/reports/metrics.json"]);
    expect(plain.stdout).not.toContain("unit: percent");
  });
});
