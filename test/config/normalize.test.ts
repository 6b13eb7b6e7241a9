// Both config forms become one list of gates: ids, inheritance down the CABC hierarchy (§5.4.2.2).
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";

const conformity = `
version: 1
sources:
  fair: { file: fairness.csv }
  eval: { file: metrics.json }
conformity:
  name: Spec
  dimensions:
    - name: Fairness
      confidential: true
      severity: warning
      assessmentInterface: { source: fair }
      requirements:
        - name: Parity
          risk: R-7
          frequency: weekly
          metrics:
            - name: DPD
              assessmentInterface: { path: /sex/dpd }
              measurements:
                - { name: DPD sex, comparisonStrategy: LessThan, targetValue: 0.1, confidential: false }
                - { name: DPD age, comparisonStrategy: LessThan, targetValue: 0.1, severity: blocking,
                    assessmentInterface: { source: eval, path: age.dpd }, frequency: per-change }
`;

describe("the conformity hierarchy", () => {
  const [sex, age] = loadConfig(conformity, "mlgate.yml").gates;

  it("passes source, path, severity and frequency down to the nearest measurement", () => {
    expect(sex).toMatchObject({
      source: "fair",
      path: "/sex/dpd",
      severity: "warning",
      frequency: { kind: "interval", text: "weekly" },
      risk: "R-7",
    });
    expect(age).toMatchObject({
      source: "eval",
      path: "age.dpd",
      severity: "blocking",
      frequency: { kind: "per-change" },
    });
  });

  it("keeps a measurement confidential when any level above it is, even if it says otherwise", () => {
    expect(sex?.confidential).toBe(true);
    expect(age?.confidential).toBe(true);
  });

  it("gives each measurement an id from the slugs of its four levels", () => {
    expect(sex?.id).toBe("fairness/parity/dpd/dpd-sex");
  });
});

describe("ids", () => {
  it("keep the letters of names in other scripts, so two Japanese KPIs do not collide", () => {
    const spec = loadConfig(
      "version: 1\nsources: { m: { file: m.json } }\nkpis:\n  精度: { source: m, path: a, gte: 0.9 }\n  再現率: { source: m, path: b, gte: 0.8 }\n  Précision: { source: m, path: c, gte: 0.8 }\n",
      "mlgate.yml",
    );
    expect(spec.gates.map((gate) => gate.id)).toEqual([
      "release-kpis/精度",
      "release-kpis/再現率",
      "release-kpis/precision",
    ]);
  });
});
