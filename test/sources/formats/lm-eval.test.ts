import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../../src/errors.js";
import { lmEvalFormat } from "../../../src/sources/formats/lm-eval.js";
import type { ToolMeasurement } from "../../../src/sources/formats/tool.js";
import { thrownBy } from "../../support/thrown.js";

const FIXTURES = new URL("../../../fixtures/formats/lm-eval/", import.meta.url);
const fixtureNames = readdirSync(FIXTURES).filter((name) => name.endsWith(".json"));
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");
const read = (name: string): ToolMeasurement[] => lmEvalFormat.read(fixture(name), { origin: name });
const refusal = (text: string): MlgateError =>
  thrownBy(() => lmEvalFormat.read(text, { origin: "results.json" }));

/** name -> value, for comparing a few names at once. */
function values(measurements: readonly ToolMeasurement[]): Map<string, ToolMeasurement["value"]> {
  return new Map(measurements.map((m) => [m.name, m.value]));
}

describe("lm-evaluation-harness results", () => {
  it("names v0.3 results `results/<task>/<metric>` and reads nothing from versions or config", () => {
    const measurements = read("lm-eval-v0.3_llama-7B_common_sense_reasoning_0-shot.json");
    const byName = values(measurements);
    expect(byName.get("results/piqa/acc")).toBe(0.7818280739934712);
    expect(byName.get("results/hellaswag/acc_norm_stderr")).toBe(0.004431375549911366);
    expect(byName.get("results/mc_taco/f1")).toBe(0.4827075067316446);
    expect(byName.get("results/openbookqa/acc_norm")).toBe(0.424);
    expect(measurements).toHaveLength(38);
    expect(measurements.every((m) => m.name.startsWith("results/"))).toBe(true);
  });

  it("names v0.4 metrics with their filter as written, and reads higher_is_better, n-shot and n-samples", () => {
    expect(read("lm-eval-v0.4_rwkv7-0.1B_lambada_results.json")).toEqual([
      { name: "results/lambada_openai/perplexity,none", value: 13.83580044796159 },
      { name: "results/lambada_openai/perplexity_stderr,none", value: 0.43682214761178434 },
      { name: "results/lambada_openai/acc,none", value: 0.4814671065398797 },
      { name: "results/lambada_openai/acc_stderr,none", value: 0.006961190829726008 },
      { name: "higher_is_better/lambada_openai/perplexity", value: false },
      { name: "higher_is_better/lambada_openai/acc", value: true },
      { name: "n-shot/lambada_openai", value: 0 },
      { name: "n-samples/lambada_openai/original", value: 5153 },
      { name: "n-samples/lambada_openai/effective", value: 5153 },
    ]);
  });

  it("reads an MMLU run's groups under `groups/` and its subtasks by task key, never by indented alias", () => {
    const measurements = read("lm-eval-v0.4_mamba-1.4b_mmlu-groups_results.json");
    const byName = values(measurements);
    expect(byName.get("results/mmlu/acc,none")).toBe(0.2522432701894317);
    expect(byName.get("results/mmlu_humanities/acc,none")).toBe(0.25377258235919237);
    expect(byName.get("results/mmlu_formal_logic/acc_stderr,none")).toBe(0.038932596106046734);
    expect(byName.get("groups/mmlu_stem/acc,none")).toBe(0.26324135743736127);
    expect(byName.get("groups/mmlu/acc_stderr,none")).toBe(0.0036618148869894114);
    expect(byName.get("n-samples/mmlu_anatomy/effective")).toBe(135);
    expect(byName.get("n-shot/mmlu_stem")).toBe(5);
    expect(measurements.filter((m) => m.name.startsWith("results/"))).toHaveLength(124);
    expect(measurements.filter((m) => m.name.startsWith("groups/"))).toHaveLength(10);
    expect(measurements.some((m) => m.name.includes("alias") || m.name.includes(" - "))).toBe(false);
  });

  it("keeps bare Infinity and NaN as numbers, and filters other than none as written", () => {
    const byName = values(read("lm-eval-v0.4_gpt-4o-mini_NaN-Infinity_results.json"));
    expect(byName.get("results/polymer_tg_prediction/mae,none")).toBe(Infinity);
    expect(byName.get("results/polymer_tg_prediction/mae_stderr,none")).toBeNaN();
    expect(byName.get("results/battery_electrolyte_qa/exact_match,xml-extract")).toBe(0.35);
    expect(byName.get("results/corrosion_prediction/exact_match_stderr,none")).toBe(0.062096152887194486);
    expect(byName.get("results/pxrd_lattice_prediction/mae,none")).toBe(3.9685864222222222);
    expect(byName.get("higher_is_better/polymer_tg_prediction/mae")).toBe(false);
  });

  it('reads an "N/A" stderr as no value, next to its numeric metric', () => {
    const byName = values(read("lm-eval-v0.4_gemma-2b_NA-stderr_results.json"));
    expect(byName.get("results/masakhaner_luo_prompt_1/f1,flexible-extract")).toBe(0.0656270305392884);
    expect(byName.has("results/masakhaner_luo_prompt_1/f1_stderr,flexible-extract")).toBe(true);
    expect(byName.get("results/masakhaner_luo_prompt_1/f1_stderr,flexible-extract")).toBeNull();
    expect(byName.get("n-shot/masakhaner_luo_prompt_1")).toBe(5);
  });

  it("reads a minified one-line file: groups, samples counts, blank and N/A stderrs, -Infinity, NaN and null", () => {
    const byName = values(read("synthetic_v0.4_minified_groups.json"));
    expect(byName.get("results/arith/samples")).toBe(2000);
    expect(byName.get("groups/arith/acc,none")).toBe(0.91);
    expect(byName.get("groups/arith/acc_stderr,none")).toBeNull();
    expect(byName.get("results/arith_1dc/acc_stderr,none")).toBeNull();
    expect(byName.get("results/gsm8k/exact_match,strict-match")).toBe(0.4253);
    expect(byName.get("results/gsm8k/exact_match,flexible-extract")).toBe(0.4314);
    expect(byName.get("results/wikitext/word_perplexity,none")).toBe(-Infinity);
    expect(byName.get("results/wikitext/byte_perplexity,none")).toBeNaN();
    expect(byName.get("results/wikitext/bits_per_byte,none")).toBeNull();
    expect(byName.get("n-samples/gsm8k/effective")).toBe(100);
    expect(byName.get("higher_is_better/wikitext/word_perplexity")).toBe(false);
  });

  it.each(fixtureNames)("gives every measurement of %s its own name", (name) => {
    const names = read(name).map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("lm-evaluation-harness detection", () => {
  it.each(fixtureNames)("claims %s", (name) => {
    expect(lmEvalFormat.detect(name, fixture(name))).toBe(true);
  });

  it.each([
    ["a plain metrics file", "metrics.json", '{"accuracy": 0.9}'],
    ["results without the harness's other keys", "metrics.json", '{"results": {"test": {"acc": 0.9}}}'],
    ["versions without results", "metrics.json", '{"versions": {"a": 1}, "config": {}}'],
    ["invalid JSON with the harness's keys", "results.json", '{"results": {"a": {}}, "n-shot": '],
    ["a CSV", "results.csv", 'task,acc\n"results",0.9\n"n-shot",1\n'],
  ])("does not claim %s", (_what, fileName, text) => {
    expect(lmEvalFormat.detect(fileName, text)).toBe(false);
  });

  it.each([
    "fairness/synthetic_fairlearn_metricframe_per_feature.json",
    "fairness/credit-scoring-shap_fairlearn_fairness_metrics.csv",
    "../real/remla23-team18_classification_report.json",
  ])("does not claim another tool's file (%s)", (path) => {
    const text = readFileSync(new URL(`../${path}`, FIXTURES), "utf8");
    expect(lmEvalFormat.detect(path, text)).toBe(false);
  });
});

describe("lm-evaluation-harness refusals", () => {
  it("refuses invalid JSON at the place it breaks", () => {
    const error = refusal('{\n  "results": {\n    "piqa": {"acc": 0.5,}\n  }\n}');
    expect(error.code).toBe("source.parse");
    expect(error.message).toMatch(/^invalid JSON/);
    expect(error.location).toMatchObject({ file: "results.json", line: 3 });
  });

  it("refuses a key written twice, as all JSON is refused", () => {
    const error = refusal('{"results": {"piqa": {"acc": 0.5, "acc": 0.6}}, "n-shot": {}}');
    expect(error.message).toBe("invalid JSON: a key appears twice in the same object");
    expect(error.location).toMatchObject({ file: "results.json", line: 1, column: 35 });
  });

  it("refuses a file that is not an object, at its start", () => {
    const error = refusal("[1, 2]");
    expect(error.message).toBe("an lm-evaluation-harness results file is a JSON object");
    expect(error.location).toEqual({ file: "results.json", line: 1, column: 1 });
    expect(error.hint).toContain("results_<date>.json");
  });

  it("refuses a file without results", () => {
    const error = refusal('{"versions": {"piqa": 0}, "config": {}}');
    expect(error.message).toBe("the file has no `results` object of tasks");
    expect(error.location).toEqual({ file: "results.json", line: 1, column: 1 });
  });

  it("refuses results that are not an object, at the key", () => {
    const error = refusal('{\n  "n-shot": {},\n  "results": [0.5]\n}');
    expect(error.location).toEqual({ file: "results.json", line: 3, column: 3, field: "/results" });
  });

  it("refuses an empty results object: the run evaluated nothing", () => {
    const error = refusal('{"results": {}, "n-shot": {}}');
    expect(error.message).toBe("the `results` object holds no task results");
    expect(error.location).toMatchObject({ field: "/results" });
  });

  it("refuses a task whose results are not an object, naming task and place", () => {
    const error = refusal('{\n  "results": {\n    "piqa": 0.78\n  }\n}');
    expect(error.message).toBe('the results of "piqa" are not an object of metrics');
    expect(error.location).toEqual({ file: "results.json", line: 3, column: 5, field: "/results/piqa" });
  });

  it("refuses a metric that is a list or an object", () => {
    const error = refusal('{"results": {"mmlu": {"alias": "mmlu", "acc,none": {"mean": 0.3}}}}');
    expect(error.message).toBe('the results of "mmlu" hold a list or an object as "acc,none"');
    expect(error.location).toEqual({
      file: "results.json",
      line: 1,
      column: 40,
      field: "/results/mmlu/acc,none",
    });
  });

  it("refuses groups that are not an object of groups", () => {
    const error = refusal('{"results": {"a": {"acc": 1}}, "groups": "mmlu"}');
    expect(error.message).toBe("`groups` is not an object of groups");
    expect(error.location).toMatchObject({ line: 1, column: 32, field: "/groups" });
  });

  it("refuses two keys that would give one name, rather than keep one of them", () => {
    const error = refusal('{"results": {"a/b": {"c": 1}, "a": {"b/c": 2}}, "n-shot": {}}');
    expect(error.message).toBe('two values in results.json would both be named "results/a/b/c"');
    expect(error.location).toMatchObject({ field: "/results/a/b~1c" });
    expect(error.hint).toContain("on line 1, column 22");
  });

  it.each([
    "",
    "null",
    "{",
    '"results"',
    '{"results": null}',
    '{"results": {"t": {"acc": true}}, "higher_is_better": [1], "n-shot": {"t": "5"}, "n-samples": {"t": 3}}',
    '{"results": {"t": {"alias": {}, "acc": "0.9"}}, "groups": null, "n-samples": {"t": {"effective": "x"}}}',
    '{"__proto__": {"results": 1}, "results": {"constructor": {"toString": 1}}}',
  ])("reads or refuses %j with an MlgateError, nothing else", (text) => {
    try {
      expect(Array.isArray(lmEvalFormat.read(text, { origin: "x.json" }))).toBe(true);
    } catch (error) {
      expect(error).toBeInstanceOf(MlgateError);
    }
  });
});

const REAL = join(process.env["MLGATE_REAL_ARTIFACTS"] ?? "/work/shared/real-artifacts", "eval_suites");

// Only where the collection of real artifacts is present; elsewhere no test is defined.
if (existsSync(REAL)) {
  describe(`every real file of ${REAL}`, () => {
    it.each(readdirSync(REAL))("reads %s, or refuses it with a specific MlgateError", (name) => {
      const text = readFileSync(join(REAL, name), "utf8");
      expect(lmEvalFormat.detect(name, text)).toBe(true);
      let measurements: ToolMeasurement[];
      try {
        measurements = lmEvalFormat.read(text, { origin: name });
      } catch (error) {
        expect(error).toBeInstanceOf(MlgateError);
        expect(error).toMatchObject({ code: "source.parse", location: { file: name } });
        return;
      }
      expect(measurements.length).toBeGreaterThan(0);
      expect(measurements.some((m) => m.name.startsWith("results/"))).toBe(true);
      expect(new Set(measurements.map((m) => m.name)).size).toBe(measurements.length);
    });
  });
}
