// Every property test replays: one seed for all (test/support/fast-check-setup.ts), unless a test chooses
// its own. A failure in CI prints the seed; FC_SEED and FC_RUNS rerun it locally or longer.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

describe("fast-check runs with a fixed seed", () => {
  it("uses FC_SEED, or 20261123 when it is not set", () => {
    expect(fc.readConfigureGlobal().seed).toBe(Number(process.env.FC_SEED ?? 20261123));
  });

  it("generates the same values on every run of a property that sets no seed of its own", () => {
    const values = () => fc.sample(fc.tuple(fc.integer(), fc.double(), fc.string()), 20);
    expect(values()).toEqual(values());
  });
});
