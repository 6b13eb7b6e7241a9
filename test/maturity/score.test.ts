// Claims against evidence: what each detector finds in real-looking repositories, how levels are scored,
// and which level changes two snapshots give.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assessRepository } from "../../src/maturity/assess.js";
import { BUILTIN_FRAMEWORKS } from "../../src/maturity/catalogs/index.js";
import { levelChanges } from "../../src/maturity/diff.js";
import { viewFromDirectory } from "../../src/maturity/view.js";

const repo = (name: string) => join("fixtures/maturity", name);
const assess = async (dir: string) => assessRepository(await viewFromDirectory(dir), BUILTIN_FRAMEWORKS);
const topic = (result: Awaited<ReturnType<typeof assess>>, id: string) =>
  result.snapshot.topics.find((candidate) => candidate.id === id);

describe("evidence detectors", () => {
  it("find every practice the mature fixture repository shows", async () => {
    const { snapshot } = await assess(repo("mature"));
    expect(snapshot.findings.map((finding) => finding.detector)).toEqual([
      "self-assessment",
      "gates-config",
      "cabc-conformity",
      "fairness-gates",
      "gates-on-pull-requests",
      "scheduled-gates",
      "dvc",
      "dvc-pipeline",
      "experiment-tracking",
      "data-tests",
      "model-card",
      "ci-tests",
      "training-in-ci",
    ]);
    const gates = snapshot.findings.find((finding) => finding.detector === "gates-on-pull-requests");
    expect(gates?.paths).toEqual([".github/workflows/gates.yml"]);
  });

  it("find no CI in a repository with only a training script, and cap what it may claim", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlgate-maturity-"));
    cpSync(repo("bare"), dir, { recursive: true });
    cpSync(repo("mature/.github/mlops-maturity.yml"), join(dir, ".github/mlops-maturity.yml"));
    const result = await assess(dir);
    expect(result.snapshot.findings.map((finding) => finding.detector)).toEqual(["self-assessment", "no-ci"]);
    // Claimed 3 and 2, but a repository without any CI runs no automated tests and no automated releases.
    expect(topic(result, "test-automation")).toMatchObject({ claimed: 3, ceiling: 0, level: 0 });
    expect(topic(result, "release-automation")).toMatchObject({ claimed: 2, ceiling: 1, level: 1 });
    rmSync(dir, { recursive: true });
  });

  it("ignore a workflow, dvc.yaml and gates config needing 60 alias expansions (over the cap of 50)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlgate-maturity-"));
    cpSync(repo("mature"), dir, { recursive: true });
    const aliases = (name: string) => Array.from({ length: 60 }, (_, i) => `  ${name}${i}: *x`).join("\n");
    writeFileSync(
      join(dir, ".github/workflows/gates.yml"),
      `on: [pull_request]\nenv:\n  base: &x mlgate\n${aliases("e")}\njobs:\n  gates:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: mlgate/mlgate@v1\n`,
    );
    writeFileSync(
      join(dir, "dvc.yaml"),
      `vars:\n  - base: &x 1\n  - more:\n${aliases("v").replace(/^ {2}/gm, "      ")}\nstages:\n  train:\n    cmd: python train.py\n`,
    );
    const config = readFileSync(join(dir, ".github/mlgate.yml"), "utf8");
    writeFileSync(
      join(dir, ".github/mlgate.yml"),
      config.replace("version: 1", `version: &x 1\nextra:\n${aliases("c")}`),
    );
    const started = performance.now();
    const { snapshot } = await assess(dir);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(snapshot.unreadableWorkflows).toEqual([".github/workflows/gates.yml"]);
    const found = snapshot.findings.map((finding) => finding.detector);
    expect(found).not.toContain("gates-on-pull-requests");
    expect(found).not.toContain("dvc-pipeline");
    expect(found).not.toContain("cabc-conformity");
    rmSync(dir, { recursive: true });
  });

  it("ignore a workflow that does not parse, and say so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlgate-maturity-"));
    cpSync(repo("evidence-only"), dir, { recursive: true });
    writeFileSync(join(dir, ".github/workflows/broken.yml"), "on: [push\njobs: {");
    const { snapshot } = await assess(dir);
    expect(snapshot.unreadableWorkflows).toEqual([".github/workflows/broken.yml"]);
    expect(snapshot.findings.map((finding) => finding.detector)).toEqual(["experiment-tracking", "ci-tests"]);
    rmSync(dir, { recursive: true });
  });
});

describe("scoring", () => {
  it("keeps claims the evidence supports, raises unclaimed topics to the evidence and leaves out n/a topics", async () => {
    const result = await assess(repo("evidence-only"));
    expect(result.snapshot.assessedAt).toBeNull();
    expect(topic(result, "experiment-tracking")).toMatchObject({ claimed: null, evidenced: 2, level: 2 });
    expect(topic(result, "test-automation")).toMatchObject({ claimed: null, evidenced: 1, level: 1 });
    // People topics have no detector: unclaimed, they sit at the lowest level.
    expect(topic(result, "data-scientists")).toMatchObject({ evidenced: null, level: 0 });
    const mature = await assess(repo("mature"));
    expect(topic(mature, "automl")).toMatchObject({ notApplicable: true, level: null });
    expect(topic(mature, "experiment-tracking")).toMatchObject({ claimed: 3, evidenced: 2, level: 3 });
  });

  it("scores areas as the mean of their topics and the overall level as the mean of the areas", async () => {
    const { snapshot } = await assess(repo("mature"));
    const area = (id: string) => snapshot.areas.find((candidate) => candidate.id === id);
    // People: 3, 3, 2, 2, 1 → 2.2, level 2. Model creation without the n/a AutoML topic: 2, 3, 3, 3, 2 → 2.6.
    expect(area("people")).toEqual({ id: "people", score: 2.2, level: 2 });
    expect(area("model-creation")).toEqual({ id: "model-creation", score: 2.6, level: 2 });
    const mean = snapshot.areas.reduce((sum, each) => sum + (each.score ?? 0), 0) / snapshot.areas.length;
    expect(snapshot.overall.score).toBeCloseTo(mean, 1);
    expect(snapshot.overall.level).toBe(Math.floor(mean));
  });

  it("scores the evidence when the self-assessment is broken, and keeps the error's position", async () => {
    const result = await assess(repo("broken"));
    expect(result.error?.location).toMatchObject({ file: ".github/mlops-maturity.yml", line: 5, column: 3 });
    expect(result.snapshot.problem).toContain(".github/mlops-maturity.yml:5:3");
    expect(topic(result, "experiment-tracking")).toMatchObject({ claimed: null, evidenced: 2, level: 2 });
  });
});

describe("level changes", () => {
  it("lists every topic, area and overall level that moved between two snapshots", async () => {
    const before = (await assess(repo("evidence-only"))).snapshot;
    const dir = mkdtempSync(join(tmpdir(), "mlgate-maturity-"));
    cpSync(repo("evidence-only"), dir, { recursive: true });
    writeFileSync(join(dir, "dvc.yaml"), "stages:\n  train:\n    cmd: python train.py\n");
    const after = (await assess(dir)).snapshot;
    const changes = levelChanges(before, after);
    expect(changes).toContainEqual({ scope: "topic", subject: "data-version-control", from: 0, to: 3 });
    expect(changes).toContainEqual({ scope: "topic", subject: "model-versioning", from: 0, to: 3 });
    expect(changes.filter((change) => change.scope === "area").map((change) => change.subject)).toEqual([
      "data",
      "model-creation",
    ]);
    expect(levelChanges(after, after)).toEqual([]);
    expect(levelChanges(undefined, after)).toEqual([]);
    rmSync(dir, { recursive: true });
  });

  it("compares only the overall level across frameworks", async () => {
    const iml4e = (await assess(repo("mature"))).snapshot;
    const cmm = { ...iml4e, framework: "ml-cmm", overall: { score: 1, level: 1 } };
    expect(levelChanges(iml4e, cmm)).toEqual([
      { scope: "overall", subject: "", from: iml4e.overall.level, to: 1 },
    ]);
  });
});
