import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MlgateError } from "../../../src/errors.js";
import { huggingfaceFormat } from "../../../src/sources/formats/huggingface.js";
import { measurementTree, type ToolMeasurement } from "../../../src/sources/formats/tool.js";
import { thrownBy } from "../../support/thrown.js";

const FIXTURES = new URL("../../../fixtures/formats/huggingface/", import.meta.url);
const REAL_ARTIFACTS = "/work/shared/real-artifacts/huggingface/";
const fixtureNames = readdirSync(FIXTURES)
  .filter((name) => name !== "PROVENANCE.md")
  .sort();
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), "utf8");
const read = (text: string, origin = "README.md") => huggingfaceFormat.read(text, { origin });
const refusal = (text: string, origin = "README.md"): MlgateError => thrownBy(() => read(text, origin));

function byName(measurements: readonly ToolMeasurement[]): Map<string, ToolMeasurement> {
  return new Map(measurements.map((measurement) => [measurement.name, measurement]));
}

const EMOTION = "distilbert-base-uncased-finetuned-emotion/text-classification/emotion/default";
const CONLL =
  "elastic/distilbert-base-uncased-finetuned-conll03-english/token-classification/conll2003/conll2003/validation";
const JA = "wav2vec2-xls-r-1b/automatic-speech-recognition";
const ARABIC = "XLS-R-300M - Arabic/automatic-speech-recognition";
const THAI = "tiny-asr-th/automatic-speech-recognition";
const FR = "acme/wav2vec2-small-fr/automatic-speech-recognition/mozilla-foundation/common_voice_8_0/fr/test";
const WELSH = "wav2vec2-xlsr-welsh (by Dewi Bryn Jones, fine tuning week - March 2021)";

/** For every fixture: how many measurements, and several names with what the file says about them. */
const EXPECTED: Record<
  string,
  { count: number; measurements: Array<Partial<ToolMeasurement> & { name: string }> }
> = {
  "elastic-distilbert-conll03_eval_results_ner.txt": {
    count: 24,
    measurements: [
      { name: "eval_loss", value: 0.06388235837221146 },
      { name: "eval_LOC_number", value: 2618 },
      { name: "eval_overall_f1", value: 0.9382275942739376 },
      { name: "eval_samples_per_second", value: 25.378 },
      { name: "epoch", value: 3 },
    ],
  },
  "modelcard_NA-values_wav2vec2-arabic.README.md": {
    count: 4,
    measurements: [
      { name: `${ARABIC}/mozilla-foundation/common_voice_7_0/ar/wer`, value: null, description: "Test WER" },
      { name: `${ARABIC}/mozilla-foundation/common_voice_7_0/ar/cer`, value: null },
      { name: `${ARABIC}/speech-recognition-community-v2/dev_data/ar/wer`, value: null },
    ],
  },
  "modelcard_legacy-model_index_roberta-bne-amazon.README.md": {
    count: 1,
    measurements: [
      {
        name: "roberta-base-bne-finetuned-amazon_reviews_multi/text-classification/amazon_reviews_multi/es/accuracy",
        value: 0.9335,
        description: "Accuracy",
      },
    ],
  },
  "modelcard_multi-results_wav2vec2-xls-r-1b-ja.README.md": {
    count: 6,
    measurements: [
      {
        name: `${JA}/mozilla-foundation/common_voice_7_0/ja/wer`,
        value: 11.77,
        description: "Test WER (with LM)",
      },
      { name: `${JA}/mozilla-foundation/common_voice_8_0/ja/cer`, value: 5.33 },
      { name: `${JA}/speech-recognition-community-v2/dev_data/ja/wer`, value: 29.35 },
    ],
  },
  "modelcard_percent-string-value_wav2vec2-welsh.README.md": {
    count: 1,
    measurements: [
      {
        name: `${WELSH}/automatic-speech-recognition/common_voice/cy/wer`,
        value: 25.59,
        scale: "percent",
        description: "Test WER",
      },
    ],
  },
  "modelcard_trainer-generated_distilbert-emotion.README.md": {
    count: 2,
    measurements: [
      { name: `${EMOTION}/accuracy`, value: 0.9215, description: "Accuracy" },
      { name: `${EMOTION}/f1`, value: 0.9215538311282218, description: "F1" },
    ],
  },
  "modelcard_verified_elastic-distilbert-conll03.README.md": {
    count: 5,
    measurements: [
      {
        name: `${CONLL}/accuracy`,
        value: 0.9854480753649896,
        description: "Accuracy (verified by Hugging Face)",
      },
      { name: `${CONLL}/f1`, value: 0.9888297915932504 },
      { name: `${CONLL}/loss`, value: 0.06707527488470078, description: "loss (verified by Hugging Face)" },
    ],
  },
  "synthetic_all_results_minified-nan.json": {
    count: 15,
    measurements: [
      { name: "eval_loss", value: NaN },
      { name: "eval_perplexity", value: Infinity },
      { name: "eval_delta", value: -Infinity },
      { name: "eval_f1/macro, weighted", value: 0.8125 },
      { name: "eval_exact match", value: 81.25, scale: "percent" },
      { name: "eval_bleu", value: null },
      { name: "eval_rouge", value: null },
      { name: "eval_gen_len", value: null },
      { name: "eval_LOC/f1", value: 0.91 },
      { name: "eval_LOC/number", value: 2618 },
      { name: "eval_per_class_f1/1", value: 0.75 },
      { name: "total_flos", value: 1.5e16 },
    ],
  },
  "synthetic_eval_results_crlf.txt": {
    count: 8,
    measurements: [
      { name: "eval_loss", value: NaN },
      { name: "eval_accuracy", value: 0.8125 },
      { name: "eval_exact match", value: 81.25, scale: "percent" },
      { name: "eval_perplexity", value: Infinity },
      { name: "eval_bleu", value: null },
      { name: "eval_is_best", value: true },
      { name: "eval_model", value: "bert-base-cased" },
      { name: "epoch", value: 2 },
    ],
  },
  "synthetic_modelcard_null-values.README.md": {
    count: 4,
    measurements: [
      { name: `${THAI}/mozilla-foundation/common_voice_7_0/th/wer`, value: 0.4321 },
      { name: `${THAI}/mozilla-foundation/common_voice_7_0/th/ser`, value: 1.5 },
      { name: `${THAI}/speech-recognition-community-v2/dev_data/th/wer`, value: null },
      {
        name: `${THAI}/speech-recognition-community-v2/dev_data/th/ser`,
        value: null,
        description: "Test SER",
      },
    ],
  },
  "synthetic_modelcard_same-type_cr.README.md": {
    count: 3,
    measurements: [
      { name: `${FR}/wer (Test WER)`, value: 19.06 },
      { name: `${FR}/wer (Test WER (+LM))`, value: 14.81, description: "Test WER (+LM)" },
      { name: `${FR}/cer`, value: NaN, description: "cer" },
    ],
  },
  "transformers-repo_all_results.json": {
    count: 8,
    measurements: [
      { name: "eval_loss", value: 596.380859375 },
      { name: "eval_bleu", value: 0 },
      { name: "total_flos", value: 581121792 },
      // The file's digits; as a literal they trip eslint's no-loss-of-precision.
      { name: "test_loss", value: Number("572.8933715820312") },
      { name: "epoch", value: 1 },
    ],
  },
  "whisper-ja-5k_all_results.json": {
    count: 12,
    measurements: [
      { name: "epoch", value: 38.17 },
      { name: "eval_wer", value: 0.7449365679946583 },
      { name: "eval_samples", value: 4485 },
      { name: "train_loss", value: 0.01890342615880072 },
      { name: "train_steps_per_second", value: 0.065 },
    ],
  },
  "whisper-ja-5k_eval_results.json": {
    count: 7,
    measurements: [
      { name: "eval_loss", value: 0.4200145900249481 },
      { name: "eval_runtime", value: 1712.6978 },
      { name: "eval_wer", value: 0.7449365679946583 },
    ],
  },
};

describe("Hugging Face files", () => {
  it("has an expectation for every fixture", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtureNames);
  });

  it.each(fixtureNames)("reads %s with the values the file holds", (name) => {
    const expected = EXPECTED[name];
    if (!expected) throw new Error(`no expectation for ${name}`);
    const measurements = read(fixture(name), name);
    expect(measurements).toHaveLength(expected.count);
    // Names are unique: the document tree takes every one of them.
    expect(Object.keys(measurementTree(measurements, name))).toHaveLength(expected.count);
    const named = byName(measurements);
    for (const { name: measurementName, ...fields } of expected.measurements) {
      const measurement = named.get(measurementName);
      expect(measurement, measurementName).toBeDefined();
      expect(measurement).toMatchObject(fields);
      if (!("scale" in fields)) expect(measurement?.scale, measurementName).toBeUndefined();
    }
  });

  it.each(fixtureNames)("detects %s as Hugging Face", (name) => {
    expect(huggingfaceFormat.detect(name, fixture(name))).toBe(true);
  });

  it("never copies a verifyToken into a measurement", () => {
    const measurements = read(fixture("modelcard_verified_elastic-distilbert-conll03.README.md"));
    expect(JSON.stringify(measurements)).not.toContain("eyJhbGci");
  });

  it("keeps a metric's value a string when it is neither a number, a percentage nor a missing value", () => {
    const card =
      "---\nmodel-index:\n- name: m\n  results:\n  - task: {type: t}\n    dataset: {type: d}\n    metrics:\n    - {type: wer, value: TBD}\n    - {type: cer, value: 'N/A'}\n    - {type: acc, value: '0.9'}\n---\n";
    expect(read(card)).toEqual([
      { name: "m/t/d/wer", value: "TBD", description: "wer" },
      { name: "m/t/d/cer", value: null, description: "cer" },
      { name: "m/t/d/acc", value: "0.9", description: "acc" },
    ]);
  });

  it("names a part by its name when it has no type, and reads dataset args as the config", () => {
    const card =
      "---\nmodel-index:\n- name: m\n  results:\n  - task: {name: Translation}\n    dataset: {name: WMT 16, args: ro-en, split: test}\n    metrics:\n    - {name: BLEU, value: 28.1}\n---\n";
    expect(read(card).map((measurement) => measurement.name)).toEqual([
      "m/Translation/WMT 16/ro-en/test/BLEU",
    ]);
  });

  it("reads a BOM and CRLF line endings in a model card", () => {
    const card =
      "\uFEFF---\r\nmodel-index:\r\n- name: m\r\n  results:\r\n  - task: {type: t}\r\n    dataset: {type: d}\r\n    metrics: [{type: f1, value: 0.5}]\r\n---\r\n# m\r\n";
    expect(huggingfaceFormat.detect("README.md", card)).toBe(true);
    expect(read(card)).toEqual([{ name: "m/t/d/f1", value: 0.5, description: "f1" }]);
  });
});

describe("detection of Hugging Face files", () => {
  it.each([
    ["a plain metrics JSON", "metrics.json", '{"accuracy": 0.9}'],
    [
      "a JSON where the Trainer's keys are few",
      "metrics.json",
      '{"eval_loss": 0.1, "accuracy": 0.9, "f1": 0.8}',
    ],
    ["a W&B summary", "wandb-summary.json", '{"train/loss": 0.5, "train/epoch": 3, "_step": 12}'],
    ["a JSON list", "results.json", '[{"eval_loss": 0.1}]'],
    ["broken JSON", "all_results.json", '{"eval_loss": 0.1,'],
    ["a README.md without front matter", "README.md", "# My model\n\nAccuracy: 0.9\n"],
    ["a README.md whose front matter has no model-index", "README.md", "---\nlicense: mit\n---\n# m\n"],
    ["a README.md whose front matter never closes", "README.md", "---\nmodel-index:\n- name: m\n"],
    ["an .env file", ".env", "EVAL_STEPS=500\nTOKEN=x\n"],
    ["a text file of other keys", "notes.txt", "alpha = 1\nbeta = 2\n"],
    ["an INI file", "setup.cfg", "[metadata]\neval_steps = 500\n"],
    ["a YAML metrics file", "metrics.yaml", "eval_loss: 0.3\nepoch: 2\n"],
    ["an empty file", "eval_results.txt", ""],
  ])("is false for %s", (_what, fileName, text) => {
    expect(huggingfaceFormat.detect(fileName, text)).toBe(false);
  });

  it("is true for a text file named eval_results*.txt whose keys have no prefix (transformers 2.x)", () => {
    expect(huggingfaceFormat.detect("eval_results_mrpc.txt", "acc = 0.84\nf1 = 0.88\n")).toBe(true);
  });

  const otherTools = new URL("../../../fixtures/real/", import.meta.url);
  it.each(readdirSync(otherTools).filter((name) => name !== "PROVENANCE.md"))("is false for %s", (name) => {
    expect(huggingfaceFormat.detect(name, readFileSync(new URL(name, otherTools), "utf8"))).toBe(false);
  });
});

const CARD_HEAD = "---\nlicense: mit\nmodel-index:\n- name: m\n  results:\n";

describe("refusals of Hugging Face files", () => {
  it.each<[string, string, string, RegExp, { line?: number; column?: number }]>([
    [
      "a README.md without front matter",
      "README.md",
      "# My model\n",
      /no YAML front matter/,
      { line: 1, column: 1 },
    ],
    [
      "front matter without model-index",
      "README.md",
      "---\nlicense: mit\n---\n",
      /front matter has no model-index/,
      { line: 1, column: 1 },
    ],
    [
      "front matter that never closes",
      "README.md",
      "---\nlicense: mit\n",
      /never closed/,
      { line: 1, column: 1 },
    ],
    [
      "both model-index and model_index",
      "README.md",
      "---\nmodel-index: []\nmodel_index: []\n---\n",
      /both model-index and the legacy model_index/,
      { line: 3, column: 14 },
    ],
    [
      "model-index that is a word",
      "README.md",
      "---\nmodel-index: soon\n---\n",
      /not a list of models/,
      { line: 2, column: 14 },
    ],
    [
      "a model without a name",
      "README.md",
      "---\nmodel-index:\n- results: []\n---\n",
      /has no name/,
      { line: 3, column: 3 },
    ],
    [
      "a model without results",
      "README.md",
      "---\nmodel-index:\n- name: m\n---\n",
      /no results list/,
      { line: 3, column: 3 },
    ],
    [
      "a result without a task type",
      "README.md",
      `${CARD_HEAD}  - task: {}\n    dataset: {type: d}\n    metrics: [{type: f1, value: 1}]\n---\n`,
      /no task type or name/,
      { line: 6, column: 11 },
    ],
    [
      "a result without a dataset",
      "README.md",
      `${CARD_HEAD}  - task: {type: t}\n    metrics: [{type: f1, value: 1}]\n---\n`,
      /no dataset type or name/,
      { line: 6, column: 5 },
    ],
    [
      "a result without metrics",
      "README.md",
      `${CARD_HEAD}  - task: {type: t}\n    dataset: {type: d}\n---\n`,
      /has no metrics/,
      { line: 6, column: 5 },
    ],
    [
      "a metric without type or name",
      "README.md",
      `${CARD_HEAD}  - task: {type: t}\n    dataset: {type: d}\n    metrics:\n    - value: 0.9\n---\n`,
      /no type or name/,
      { line: 9, column: 7 },
    ],
    [
      "a metric whose value is a mapping",
      "README.md",
      `${CARD_HEAD}  - task: {type: t}\n    dataset: {type: d}\n    metrics:\n    - type: f1\n      value: {macro: 0.9}\n---\n`,
      /value is a list or a mapping/,
      { line: 10, column: 14 },
    ],
    [
      "two metrics of one name that cannot be told apart",
      "README.md",
      `${CARD_HEAD}  - task: {type: t}\n    dataset: {type: d}\n    metrics:\n    - {type: wer, value: 1}\n    - {type: wer, value: 2}\n---\n`,
      /would have the same name/,
      { line: 10, column: 7 },
    ],
    [
      "broken YAML in the front matter (at the file's line)",
      "README.md",
      "---\nlicense: mit\nmodel-index:\n  - name: m\n   results: []\n---\n",
      /invalid YAML/,
      { line: 5, column: 1 },
    ],
    [
      "a key written twice in the front matter",
      "README.md",
      "---\nmodel-index: []\nlicense: mit\nlicense: apache-2.0\n---\n",
      /invalid YAML: a key appears twice/,
      { line: 4, column: 1 },
    ],
    ["a JSON list", "all_results.json", '\n  [{"eval_loss": 1}]', /not an object/, { line: 2, column: 3 }],
    ["an empty JSON object", "all_results.json", "{}", /holds no metrics/, { line: 1, column: 1 }],
    [
      "a JSON object of empty values",
      "all_results.json",
      '{"eval_x": {}}',
      /holds no metrics/,
      { line: 1, column: 1 },
    ],
    [
      "an empty model-index",
      "README.md",
      "---\nmodel-index: []\n---\n",
      /lists no metrics/,
      { line: 2, column: 14 },
    ],
    ["broken JSON", "all_results.json", '{\n  "eval_loss": 0.1,\n}', /invalid JSON/, { line: 3, column: 1 }],
    [
      "a JSON key written twice",
      "all_results.json",
      '{"eval_loss": 0.1,\n "eval_loss": 0.2}',
      /a key appears twice/,
      { line: 2, column: 2 },
    ],
    [
      "a JSON key that collides with a nested value's name",
      "all_results.json",
      '{"eval_a/b": 1, "eval_a": {"b": 2}}',
      /would both be named the same/,
      {},
    ],
    [
      "a text line without `=`",
      "eval_results.txt",
      "eval_loss = 0.1\r\n  oops\r\n",
      /key = value/,
      { line: 2, column: 3 },
    ],
    [
      "a text line with an empty key",
      "eval_results.txt",
      "eval_loss = 0.1\r = 3\r",
      /key = value/,
      { line: 2, column: 2 },
    ],
    [
      "a text key written twice",
      "eval_results.txt",
      "eval_loss = 0.1\nepoch = 1\neval_loss = 0.2\n",
      /appears twice/,
      { line: 3, column: 1 },
    ],
    ["a text file with only blank lines", "eval_results.txt", "\n \n", /no `key = value` lines/, {}],
  ])("refuses %s, naming where", (_what, origin, text, message, where) => {
    const error = refusal(text, origin);
    expect(error.code).toBe("source.parse");
    expect(error.message).toMatch(message);
    expect(error.location).toEqual({ file: origin, ...where });
    expect(error.hint).toBeTruthy();
  });

  it("says in its hint where a model card keeps its results", () => {
    expect(refusal("---\nlicense: mit\n---\n").hint).toContain("model-index");
  });

  it("shows a duplicate name only as detail, never in the message", () => {
    const error = refusal(
      `${CARD_HEAD}  - task: {type: t}\n    dataset: {type: d}\n    metrics: [{type: secret, value: 1}, {type: secret, value: 2}]\n---\n`,
    );
    expect(error.message).not.toContain("secret");
    expect(error.detail).toContain("m/t/d/secret");
  });

  it("throws nothing but MlgateError for any JSON, in any model-index and for any text", () => {
    const safely = (text: string, origin: string) => {
      try {
        read(text, origin);
      } catch (error) {
        if (!(error instanceof MlgateError)) throw error;
      }
      huggingfaceFormat.detect(origin, text);
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        safely(JSON.stringify(value), "all_results.json");
        safely(`---\nmodel-index: ${JSON.stringify(value)}\n---\n`, "README.md");
        safely(`---\nmodel-index:\n- name: m\n  results: ${JSON.stringify(value)}\n---\n`, "README.md");
      }),
    );
    fc.assert(fc.property(fc.string(), (text) => safely(text, "eval_results.txt")));
    for (const name of fixtureNames) {
      const text = fixture(name);
      for (let cut = 0; cut < text.length; cut += 7) safely(text.slice(0, cut), name);
    }
  });
});

// The collection of real files is outside the repository: where it is absent, no test is defined.
if (existsSync(REAL_ARTIFACTS)) {
  describe("every real file of huggingface", () => {
    it.each(readdirSync(REAL_ARTIFACTS).sort())("reads or refuses %s with a specific MlgateError", (name) => {
      const text = readFileSync(`${REAL_ARTIFACTS}${name}`, "utf8");
      expect(huggingfaceFormat.detect(name, text)).toBe(true);
      let measurements: ToolMeasurement[];
      try {
        measurements = huggingfaceFormat.read(text, { origin: name });
      } catch (error) {
        expect(error).toBeInstanceOf(MlgateError);
        expect(error).toMatchObject({ code: "source.parse", location: { file: name } });
        return;
      }
      expect(measurements.length).toBeGreaterThan(0);
      expect(Object.keys(measurementTree(measurements, name))).toHaveLength(measurements.length);
      for (const { value } of measurements) {
        expect(value === null || ["number", "string", "boolean"].includes(typeof value)).toBe(true);
      }
    });
  });

  describe("the real files of other tools", () => {
    const others = readdirSync(join(REAL_ARTIFACTS, ".."), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !join(entry.parentPath, entry.name).startsWith(REAL_ARTIFACTS))
      .map((entry) => join(entry.parentPath, entry.name));
    it("are not claimed as Hugging Face files", () => {
      const claimed = others.filter((path) => huggingfaceFormat.detect(path, readFileSync(path, "utf8")));
      expect(claimed).toEqual([]);
    });
  });
}
