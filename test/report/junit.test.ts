// JUnit XML for other CI systems: one suite per dimension, one case per measurement, well-formed.
import { describe, expect, it } from "vitest";
import { renderJunit } from "../../src/report/junit.js";
import { measurement, sampleReport } from "./sample-report.js";
import { xmlProblems } from "./xml-check.js";

describe("renderJunit", () => {
  const xml = renderJunit(sampleReport());

  it("is well-formed XML", () => {
    expect(xmlProblems(xml)).toEqual([]);
  });

  it("counts tests, failures, errors and skipped for the run and per dimension", () => {
    expect(xml).toContain(
      '<testsuites name="mlgate" tests="6" failures="2" errors="1" skipped="2" time="0">',
    );
    expect(xml).toContain(
      '<testsuite name="Release KPIs" tests="4" failures="1" errors="1" skipped="1" time="0">',
    );
    expect(xml).toContain(
      '<testsuite name="Fairness" tests="2" failures="1" errors="0" skipped="1" time="0">',
    );
  });

  it("names each case after its measurement, classed by dimension and requirement", () => {
    expect(xml).toContain(
      '<testcase name="DPD on the holdout set" classname="Fairness.Selection rate parity across sex" time="0">',
    );
  });

  it("marks a blocking failure as a failure and a warning gate's failure as a skipped warning", () => {
    expect(xml).toContain('<failure message="macro_f1 is 0.8123, below the target of 0.85" type="fail">');
    expect(xml).toContain('<skipped message="warning: p95_ms is 131, not below 120">');
    expect(xml).not.toContain('<failure message="p95_ms');
    expect(xml).toContain("Target: ≥ 0.85\nValue: 0.8123\n");
  });

  it("is not red when only warning gates failed or errored, as mlgate exits 0 then", () => {
    const warnings = sampleReport([
      measurement({ name: "accuracy" }),
      measurement({ name: "p95_ms", severity: "warning", status: "fail", message: "p95_ms is 131" }),
      measurement({ name: "latency", severity: "warning", status: "error", message: "probe timed out" }),
    ]);
    const junit = renderJunit({ ...warnings, status: "conformant-with-warnings" });
    expect(junit).toContain(
      '<testsuites name="mlgate" tests="3" failures="0" errors="0" skipped="2" time="0">',
    );
    expect(junit).not.toMatch(/<(failure|error)[ >]/);
    expect(junit).toContain('<skipped message="warning: probe timed out">');
  });

  it("counts as the report's summary does: a warning only as a warning", () => {
    const { summary } = sampleReport();
    const counts = /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/.exec(xml);
    expect(counts?.slice(1).map(Number)).toEqual([
      summary.total,
      summary.fail,
      summary.error,
      summary.skipped + summary.warnings,
    ]);
  });

  it("reports errors and skipped measurements with their messages", () => {
    expect(xml).toContain('<error message="source scorer exited with code 1" type="error">');
    expect(xml).toContain('<skipped message="not due until 2026-03-06 (weekly)"/>');
  });

  it("carries the specification, status and commit as properties", () => {
    expect(xml).toContain(
      '<property name="mlgate.specification" value="Credit scoring — internal conformity assessment"/>',
    );
    expect(xml).toContain('<property name="mlgate.status" value="non-conformant"/>');
    expect(xml).toContain('<property name="mlgate.sha" value="9b2e4d7c1a0f3e5d8c6b4a29f1e0d3c5b7a9e1f2"/>');
  });
});
