// The report file: the v1 contract, checked, redacted and serialised the same way every time.
import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/report/json.js";
import { Report } from "../../src/report/model.js";
import { sampleReport } from "./sample-report.js";

describe("renderJson", () => {
  it("writes the contract with a 2-space indent and a trailing newline", () => {
    const json = renderJson(sampleReport());
    expect(json.startsWith('{\n  "schema": "mlgate.report/v1",\n  "status": "non-conformant",')).toBe(true);
    expect(json.endsWith("}\n")).toBe(true);
    expect(Report.parse(JSON.parse(json))).toBeTruthy();
  });

  it("writes the same bytes whatever order the report's keys were built in", () => {
    const report = sampleReport();
    const reordered = Object.fromEntries(Object.entries(report).reverse()) as Report;
    expect(renderJson(reordered)).toBe(renderJson(report));
  });

  it("forces the values of a redacted measurement to null", () => {
    const parsed = Report.parse(JSON.parse(renderJson(sampleReport())));
    const secret = parsed.measurements.find((m) => m.redacted);
    expect(secret?.value).toBeNull();
    expect(secret?.baseline).toEqual({ value: null, delta: null, ref: "main@4f1c2ab" });
  });

  it("refuses a report that breaks the contract: that is a bug, not a user error", () => {
    const broken = { ...sampleReport(), status: "green" } as unknown as Report;
    expect(() => renderJson(broken)).toThrow(/breaks mlgate\.report\/v1/);
  });
});
