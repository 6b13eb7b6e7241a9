// One seed for every property test that does not choose its own, so a CI failure replays locally.
// fast-check merges these under each fc.assert's own parameters: a test's explicit seed or numRuns wins.
// FC_SEED and FC_RUNS make a longer run (docs/security-fuzzing.md); a failure prints the seed to replay.
import fc from "fast-check";

export const FC_SEED = Number(process.env.FC_SEED ?? 20261123);
export const FC_RUNS = Number(process.env.FC_RUNS ?? 100);

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: FC_SEED, numRuns: FC_RUNS });
