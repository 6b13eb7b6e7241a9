import { describe, expect, it } from "vitest";
import { nearestWord } from "../../src/sources/nearest.js";

describe("did-you-mean suggestions", () => {
  it.each([
    ["acuracy", ["f1", "accuracy", "auc"], "accuracy"],
    ["F1-Score", ["precision", "f1-score"], "f1-score"],
    ["f1_score", ["f1-score", "recall"], "f1-score"],
    ["evl", ["eval", "report"], "eval"],
    ["latency", ["throughput", "memory"], undefined],
    ["2", ["0", "1"], undefined],
    ["x", [], undefined],
  ])("suggests for %s among %j: %s", (word, candidates, expected) => {
    expect(nearestWord(word, candidates)).toBe(expected);
  });
});
