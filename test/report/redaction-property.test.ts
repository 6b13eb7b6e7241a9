// Redaction as a property: whatever a report holds, a confidential measurement's value, baseline value and
// delta appear in no rendering (text, Markdown, JSON, JUnit, the Action's annotations), in any text form.
// A twin report holding no secret at all tells what the public parts already show: only that may appear.
// Seed and run count: test/support/fast-check-setup.ts (FC_SEED, FC_RUNS).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { annotationsOf } from "../../src/report/annotations.js";
import { escapeMarkdown, escapeText, escapeXml } from "../../src/report/escape.js";
import { formatNumber, REDACTED } from "../../src/report/format-value.js";
import { OUTPUT_FORMATS, renderReport } from "../../src/report/index.js";
import type { ReportMeasurement } from "../../src/report/model.js";
import { judge, reportFor, singleGateConfig } from "../support/judge.js";
import { measurement, sampleReport, SAMPLE_MEASUREMENTS } from "./sample-report.js";

type Secret = number | string;

const TWIN_VALUE = 0.5;

/** Numbers with many digits (canaries), and any finite double. */
const secretNumber = fc.oneof(
  fc
    .tuple(fc.integer({ min: 100_000, max: 999_999_999 }), fc.integer({ min: -12, max: 3 }), fc.boolean())
    .map(([digits, exponent, negative]) => (negative ? -1 : 1) * digits * 10 ** exponent),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
/** Strings of 3+ characters: redact.ts leaves shorter ones (too likely ordinary words) to the evaluator. */
const secretString = fc.string({ minLength: 3, maxLength: 12 });
/** Public text: names, paths, messages. May hold digits, dots, signs and pieces of the secret's forms. */
const publicText = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.stringMatching(/^[-+−0-9.e ]{0,12}$/),
  fc.constantFrom("0.9", "accuracy", "::error::x", "<b>|@team", "0", ""),
);

/** The forms redact.ts promises to cut: String(v), formatNumber(v), formatNumber(|v|); strings as given. */
function rawForms(secret: Secret): string[] {
  return typeof secret === "number"
    ? [String(secret), formatNumber(secret), formatNumber(Math.abs(secret))]
    : [secret];
}

/** Each raw form also as every renderer escapes it: what must not appear in any output. */
function textForms(secret: Secret): string[] {
  const escaped = rawForms(secret).flatMap((form) => [
    form,
    escapeMarkdown(form),
    escapeText(form),
    escapeXml(form),
    JSON.stringify(form).slice(1, -1),
  ]);
  return [...new Set(escaped)].filter((form) => form.trim().length > 0);
}

interface Case {
  secrets: Secret[];
  leaky: ReportMeasurement;
  twin: ReportMeasurement;
}

/** A confidential measurement whose message quotes its secrets, and its twin with each quote redacted. */
const confidentialCase: fc.Arbitrary<Case> = fc
  .record({
    kind: fc.constantFrom("numeric", "string", "list"),
    numbers: fc.tuple(secretNumber, secretNumber, secretNumber),
    strings: fc.tuple(secretString, secretString),
    target: fc.double({ noNaN: true, noDefaultInfinity: true }),
    names: fc.tuple(publicText, publicText, publicText, publicText),
    pieces: fc.array(fc.tuple(publicText, fc.nat(5)), { minLength: 1, maxLength: 6 }),
    hasBaseline: fc.boolean(),
    status: fc.constantFrom("pass", "fail", "error", "skipped"),
    severity: fc.constantFrom("blocking", "warning"),
  } as const)
  .map(({ kind, numbers, strings, target, names, pieces, hasBaseline, status, severity }) => {
    const [value, baselineValue, delta] = numbers;
    const shownValue: ReportMeasurement["value"] =
      kind === "numeric" ? value : kind === "string" ? strings[0] : [strings[0], strings[1]];
    const shownBaseline = kind === "numeric" ? baselineValue : strings[1];
    const secrets: Secret[] =
      kind === "numeric"
        ? hasBaseline
          ? [value, baselineValue, delta]
          : [value]
        : hasBaseline || kind === "list"
          ? [strings[0], strings[1]]
          : [strings[0]];
    const quote = (n: number) => {
      const secret = secrets[n % secrets.length] as Secret;
      const forms = rawForms(secret);
      return forms[n % forms.length] ?? String(secret);
    };
    const message = pieces.map(([text, n]) => `${text}${quote(n)}`).join(" ");
    const twinMessage = pieces.map(([text]) => `${text}${REDACTED}`).join(" ");
    const [name, dimension, requirement, path] = names;
    const common = {
      name: `${name}m`,
      dimension: `${dimension}d`,
      requirement: `${requirement}r`,
      path,
      dataType: kind === "numeric" ? ("numeric" as const) : ("string" as const),
      comparisonStrategy: kind === "numeric" ? ("LessThan" as const) : ("NotContains" as const),
      targetValue: kind === "numeric" ? target : "zz",
      redacted: true,
      severity,
      status,
      lastStatus: status === "skipped" ? ("pass" as const) : status,
    };
    const leaky = measurement({
      ...common,
      value: shownValue,
      message,
      baseline: hasBaseline ? { value: shownBaseline, delta, ref: "main@4f1c2ab" } : null,
    });
    const twin = measurement({
      ...common,
      value: null,
      message: twinMessage,
      baseline: hasBaseline ? { value: null, delta: null, ref: "main@4f1c2ab" } : null,
    });
    return { secrets, leaky, twin };
  });

/** Everything a user of the CLI or the Action can see of a report. */
function renderings(measurements: ReportMeasurement[]): string[] {
  const report = sampleReport([...SAMPLE_MEASUREMENTS.filter((m) => !m.redacted), ...measurements]);
  return [
    ...OUTPUT_FORMATS.flatMap((format) => [
      renderReport(report, format),
      renderReport(report, format, { color: true }),
      renderReport(report, format, { maxLength: 900 }),
    ]),
    JSON.stringify(annotationsOf(report)),
  ];
}

describe("redaction holds for every report", () => {
  it("no rendering shows a confidential value, baseline value or delta that the public text does not", () => {
    fc.assert(
      fc.property(confidentialCase, ({ secrets, leaky, twin }) => {
        const forms = secrets.flatMap((secret) => textForms(secret));
        const publicOutput = renderings([twin]).join("\n");
        // Only secrets the public parts (names, targets, timestamps, other gates) do not already show.
        fc.pre(forms.every((form) => !publicOutput.includes(form)));
        for (const output of renderings([leaky])) {
          for (const form of forms) expect(output).not.toContain(form);
        }
      }),
      { maxSkipsPerRun: 1000 },
    );
  });

  it("a confidential gate judged end to end shows neither its value nor its baseline's", () => {
    const strategy = fc.constantFrom("LessThan", "GreaterThanOrEqual", "EqualTo", "NotEqualTo");
    fc.assert(
      fc.property(
        secretNumber,
        secretNumber,
        secretNumber,
        strategy,
        publicText,
        (value, old, target, s, name) => {
          const gate = { name: `${name}m`, comparisonStrategy: s, targetValue: target, confidential: true };
          const judgedWith = (v: number, previous: number) => {
            const baseline = reportFor(singleGateConfig({ ...gate, confidential: false }), { v: previous });
            return judge(gate, v, { baseline });
          };
          const judged = judgedWith(value, old);
          const report = sampleReport([judged]);
          const forms = [value, old].flatMap((secret) => textForms(secret));
          // The twin judges other values: what it shows of the secrets' forms comes from the public parts.
          const publicOutput = renderings([judgedWith(TWIN_VALUE, TWIN_VALUE)]).join("\n");
          fc.pre(forms.every((form) => !publicOutput.includes(form)));
          expect(judged.value).toBeNull();
          for (const output of [...renderings([judged]), JSON.stringify(report)]) {
            for (const form of forms) expect(output).not.toContain(form);
          }
        },
      ),
      { maxSkipsPerRun: 1000 },
    );
  });

  // Found by the property above: a message quoting a negative value's magnitude in full (`-1.66515…`
  // written as `1.66515…`) kept it until String(|v|) joined the forms redact.ts cuts.
  it("a negative confidential value's magnitude in full is cut from the message too", () => {
    const value = -1.6651500000000001;
    const leaky = measurement({
      name: "DPD",
      redacted: true,
      value,
      status: "fail",
      message: `moved by ${String(Math.abs(value))}`,
    });
    for (const output of renderings([leaky])) expect(output).not.toContain(String(Math.abs(value)));
  });
});
