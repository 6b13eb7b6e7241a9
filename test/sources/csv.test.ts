import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../src/errors.js";
import { AmbiguousRows, csvFormat, parseCsv, readCsvTable } from "../../src/sources/formats/csv.js";
import { selectValue } from "../../src/sources/select.js";
import type { ParseOptions, SourceDocument } from "../../src/sources/types.js";
import { thrownBy } from "../support/thrown.js";

const real = (name: string) => readFile(new URL(`../../fixtures/real/${name}`, import.meta.url), "utf8");
const options = (extra: Partial<ParseOptions> = {}): ParseOptions => ({ origin: "fairness.csv", ...extra });

function doc(data: unknown): SourceDocument {
  return { source: "fair", origin: "fairness.csv", format: "csv", data, textCells: true };
}

const parseError = (text: string, extra: Partial<ParseOptions> = {}): MlgateError =>
  thrownBy(() => parseCsv(text, options(extra)));

describe("CSV metric tables", () => {
  it("keys a fairlearn summary by its first column and keeps cells as text", async () => {
    const { data, textCells } = csvFormat.parse(
      await real("credit-scoring-shap_fairlearn_fairness_metrics.csv"),
      options(),
    );
    expect(textCells).toBe(true);
    expect(selectValue(doc(data), "/gender/Demographic Parity Diff")).toBe("0.10981767180925667");
    expect(selectValue(doc(data), "/age_group/Equalized Odds Ratio")).toBe("0.6442131047152481");
  });

  it("reads per-group rates and Python booleans as the text in the file", async () => {
    const fairness = parseCsv(await real("clinical-driftops_group_fairness_metrics.csv"), options());
    expect(selectValue(doc(fairness), "/F/positive_rate")).toBe("0.018633540372670808");
    expect(selectValue(doc(fairness), "M.disparity")).toBe("0.014473229706390332");
    const drift = parseCsv(await real("clinical-driftops_drift_metrics.csv"), options());
    expect(selectValue(doc(drift), "/lactate/drift_flag")).toBe("False");
    expect(selectValue(doc(drift), "/anchor_age/psi")).toBe("0.08099459564503683");
  });

  it("reads a file with classic-Mac CR-only line endings and no final newline", async () => {
    const text = await real("aequitas_sample1_cr-line-endings.csv");
    const table = readCsvTable(text, options());
    expect(table.columns).toEqual([
      "model_id",
      "entity_id",
      "score",
      "rank_abs",
      "rank_pct",
      "label_value",
      "race",
      "gender",
      "age",
    ]);
    expect(table.rows).toHaveLength(20);
    expect(table.rows.at(-1)).toMatchObject({ line: 21, cells: { entity_id: "20", age: "9" } });
    const byEntity = parseCsv(text, options({ key: ["entity_id"] }));
    expect(selectValue(doc(byEntity), "/7/race")).toBe("H");
  });

  it("reads a CRLF file without carriage returns in the last column", async () => {
    const table = readCsvTable(await real("aequitas_nyc_sqf_multi-model_crlf.csv"), options());
    expect(table.rows).toHaveLength(11296);
    expect(table.rows[0]?.cells).toEqual({
      model_id: "1",
      score: "1",
      label_value: "0",
      race: "WHITE",
      sex: "FEMALE",
    });
    expect(table.rows.at(-1)).toMatchObject({
      line: 11297,
      cells: { model_id: "5", race: "WHITE", sex: "MALE" },
    });
  });

  it("marks rows that share a key as ambiguous instead of picking one", async () => {
    const data = parseCsv(await real("aequitas_nyc_sqf_multi-model_crlf.csv"), options());
    const model1 = selectValue(doc(data), "/1/race");
    expect(model1).toBe("WHITE");
    const model5 = (data as Record<string, unknown>)["5"];
    expect(model5).toBeInstanceOf(AmbiguousRows);
    expect((model5 as AmbiguousRows).lines).toHaveLength(8152);
  });

  it("flags the aequitas bias report's two 'class' rows, and reads them by attribute name and value", async () => {
    const text = await real("aequitas_bias_report_output_test_1.csv");
    const byName = parseCsv(text, options()) as Record<string, unknown>;
    const ambiguous = byName["class"];
    expect(ambiguous).toBeInstanceOf(AmbiguousRows);
    expect(ambiguous).toMatchObject({ keyColumns: ["attribute_name"], key: ["class"], lines: [2, 3] });
    expect((ambiguous as AmbiguousRows).distinguishingColumn()).toBe("attribute_value");

    const byValue = parseCsv(text, options({ key: ["attribute_name", "attribute_value"] }));
    expect(selectValue(doc(byValue), "/class/High/tpr")).toBe("0.6666666666666666");
    expect(selectValue(doc(byValue), "/class/Low/tpr")).toBe("0.5");
    expect(selectValue(doc(byValue), "/class/High/Statistical Parity")).toBe("True");
  });

  it("names the header's columns when a key column does not exist", () => {
    const error = parseError("group,rate\nF,0.1\n", { key: ["grup"] });
    expect(error.message).toContain('"grup"');
    expect(error.hint).toBe('the columns are "group", "rate"');
  });

  it("rejects a ragged row with its line number", () => {
    const error = parseError("group,rate\nF,0.1\nM\nX,0.3\n");
    expect(error.code).toBe("source.parse");
    expect(error.location).toEqual({ file: "fairness.csv", line: 3 });
    expect(error.message).toContain("1 instead of 2");
  });

  it("reports an unclosed quote with its line and column", () => {
    const error = parseError('group,rate\nF,"0.1\n');
    expect(error.location).toEqual({ file: "fairness.csv", line: 2 });
    expect(error.message).toBe("invalid CSV: a quoted cell in column 2 is never closed");
  });

  it.each([
    [
      "text after a closing quote",
      'model,accuracy\nresnet,"0.77"7123\n',
      "has more text after its closing quote",
    ],
    [
      "a quote inside an unquoted cell",
      'model,accuracy\nresnet,0.7"7123\n',
      "an unquoted cell in column 2 contains a quote",
    ],
  ])("describes %s in its own words, without quoting the cell", (_name, text, words) => {
    const error = parseError(text);
    expect(error.code).toBe("source.parse");
    expect(error.location).toEqual({ file: "fairness.csv", line: 2 });
    expect(error.message).toContain(words);
    expect(error.message).toContain("column 2");
    // No digit of the cell, which may be a confidential score; csv-parse's own words go to `detail`.
    expect(`${error.message} ${error.hint ?? ""}`).not.toMatch(/[137]/);
    expect(error.detail).toMatch(/7/);
  });

  it("suggests keying by a column of labels, never by a column of scores", () => {
    const data = parseCsv("model,accuracy,seed,split\nresnet,0.91,1,val\nresnet,0.87,2,test\n", options());
    const ambiguous = (data as Record<string, unknown>)["resnet"] as AmbiguousRows;
    expect(ambiguous.distinguishingColumn()).toBe("split");
    expect(() => selectValue(doc(data), "/resnet/accuracy")).toThrow(
      expect.objectContaining({ hint: "name more key columns with `key: [model, split]`" }),
    );
  });

  it("names no column when only measurements tell the rows apart", () => {
    const data = parseCsv(
      "model,accuracy,auc,passed\nresnet,0.91,95%,True\nresnet,0.87,93%,False\n",
      options(),
    );
    expect(
      ((data as Record<string, unknown>)["resnet"] as AmbiguousRows).distinguishingColumn(),
    ).toBeUndefined();
    expect(() => selectValue(doc(data), "/resnet/accuracy")).toThrow(
      expect.objectContaining({
        hint: "name more key columns with `key: [...]`, or remove the duplicate rows",
      }),
    );
  });

  it.each([
    ["an empty header", ",,\n1,2,3\n"],
    ["a header naming a column twice", "group,rate,rate\nF,0.1,0.2\n"],
  ])("rejects %s", (_name, text) => {
    expect(parseError(text).code).toBe("source.parse");
  });

  it.each([
    ["semicolons", "group;rate\nF;0,1\n", "0,1"],
    ["tabs", "group\trate\nF\t0.1\n", "0.1"],
    ["commas with a byte order mark", "\uFEFFgroup,rate\nF,0.1\n", "0.1"],
  ])("detects %s as the delimiter", (_name, text, rate) => {
    expect(selectValue(doc(parseCsv(text, options())), "/F/rate")).toBe(rate);
  });

  it("uses the delimiter the source names", () => {
    expect(selectValue(doc(parseCsv("group|rate\nF|0.1\n", options({ delimiter: "|" }))), "/F/rate")).toBe(
      "0.1",
    );
  });

  it("treats row keys like __proto__ and constructor as plain data", () => {
    const data = parseCsv("name,value\n__proto__,1\nconstructor,2\ntoString,3\n", options());
    expect(selectValue(doc(data), "/__proto__/value")).toBe("1");
    expect(selectValue(doc(data), "/constructor/value")).toBe("2");
    expect(({} as Record<string, unknown>)["value"]).toBeUndefined();
  });

  it("numbers rows by the line they start on, across blank lines and multi-line cells", () => {
    const data = parseCsv('id,note\na,"two\nlines"\n\nb,x\na,y\n', options()) as Record<string, unknown>;
    expect(data["a"]).toMatchObject({ lines: [2, 6] });
  });

  it("gives an empty tree for a header without rows", () => {
    expect(parseCsv("group,rate\n", options())).toEqual({});
  });
});
