// The CLI's own files, beyond the metric files a config names: the gates config and a baseline it reads,
// what `mlgate maturity` and `mlgate init` look at, and every file it writes (`--output`, init's config).
// A pull request can commit a link at any of these places, and a step can leave a FIFO there.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FILES_READ } from "../../src/maturity/view.js";
import { runCli } from "../support/cli.js";

const CANARY = "8675309";
/** A CLI run on a loaded machine, not a wait on a FIFO that nobody writes to. */
const PROMPT_MS = 5_000;
const CONFIG = [
  "version: 1",
  "sources:",
  "  eval: { file: metrics.json }",
  "kpis:",
  "  accuracy: { source: eval, path: accuracy, gte: 0.9 }",
  "",
].join("\n");

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A working directory `project/` holding `files`, next to an `outside/` directory a link can lead to. */
function layout(files: Record<string, string> = {}): { cwd: string; outside: string } {
  const top = mkdtempSync(join(tmpdir(), "mlgate-cli-files-"));
  scratch.push(top);
  const cwd = join(top, "project");
  const outside = join(top, "outside");
  mkdirSync(cwd);
  mkdirSync(outside);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, name)), { recursive: true });
    writeFileSync(join(cwd, name), text);
  }
  return { cwd, outside };
}

type Plant = "a link to a file outside" | "a link to a directory outside" | "a FIFO";
const PLANTS: readonly Plant[] = ["a link to a file outside", "a link to a directory outside", "a FIFO"];

/** `plant` at `path` below `cwd`; a link leads to `outside/target` (a copy of `text`, or a directory). */
function plantAt(cwd: string, outside: string, path: string, plant: Plant, text: string): void {
  const at = join(cwd, path);
  rmSync(at, { recursive: true, force: true });
  mkdirSync(dirname(at), { recursive: true });
  if (plant === "a FIFO") {
    execFileSync("mkfifo", [at]);
    return;
  }
  const target = join(outside, plant === "a link to a file outside" ? "target" : "target-dir");
  if (plant === "a link to a file outside") writeFileSync(target, text);
  else mkdirSync(target, { recursive: true });
  symlinkSync(target, at);
}

async function timed(argv: string[], cwd: string) {
  const started = performance.now();
  const run = await runCli(argv, { cwd });
  expect(performance.now() - started).toBeLessThan(PROMPT_MS);
  return run;
}

describe("the gates config and the baseline the CLI reads", () => {
  it.each(PLANTS)(
    "the default gates config as %s is refused with exit 2 promptly, and nothing of it is shown",
    async (plant) => {
      const { cwd, outside } = layout({ "metrics.json": '{"accuracy": 0.95}' });
      plantAt(cwd, outside, ".github/mlgate.yml", plant, CONFIG.replace("accuracy:", `accuracy_${CANARY}:`));
      const run = await timed(["check"], cwd);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("the gates config");
      expect(run.stderr).toMatch(/leads through a symbolic link outside|is a FIFO|is a directory/);
      expect(`${run.stdout}${run.stderr}`).not.toContain(CANARY);
      expect(`${run.stdout}${run.stderr}`).not.toContain(outside);
    },
  );

  it("a --baseline in the working directory that links out is refused, and nothing of it is shown", async () => {
    const { cwd, outside } = layout({ "metrics.json": '{"accuracy": 0.95}', "mlgate.yml": CONFIG });
    const report = await runCli(["check", "--config", "mlgate.yml", "--format", "json"], { cwd });
    plantAt(
      cwd,
      outside,
      "baseline.json",
      "a link to a file outside",
      report.stdout.replace("0.95", `0.${CANARY}`),
    );
    const run = await timed(["check", "--config", "mlgate.yml", "--baseline", "baseline.json"], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `the baseline report baseline.json leads through a symbolic link outside the working directory ${cwd}`,
    );
    expect(`${run.stdout}${run.stderr}`).not.toContain(CANARY);
  });

  it("a --config typed outside the working directory is read where it is, links and all", async () => {
    const { cwd, outside } = layout({ "metrics.json": '{"accuracy": 0.95}' });
    writeFileSync(join(outside, "mlgate.yml"), CONFIG);
    symlinkSync(join(outside, "mlgate.yml"), join(outside, "linked.yml"));
    const run = await timed(["check", "--config", join(outside, "linked.yml")], cwd);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });
});

describe("what mlgate maturity and mlgate init look at", () => {
  it("mlgate maturity: a link out or a FIFO at any file it reads counts as no file there", async () => {
    const { cwd, outside } = layout();
    cpSync("fixtures/maturity/mature", cwd, { recursive: true });
    const workflows = readdirSync(join(cwd, ".github/workflows")).map((name) => `.github/workflows/${name}`);
    for (const path of [...FILES_READ, ...workflows]) {
      const original = existsSync(join(cwd, path)) ? readFileSync(join(cwd, path), "utf8") : "";
      rmSync(join(cwd, path), { force: true });
      const without = await timed(["maturity", "--format", "json"], cwd);
      for (const plant of PLANTS) {
        // The genuine file, outside: a reader that followed the link would score it as if it were here.
        plantAt(cwd, outside, path, plant, original);
        const planted = await timed(["maturity", "--format", "json"], cwd);
        expect({ path, plant, stdout: planted.stdout }).toEqual({ path, plant, stdout: without.stdout });
        rmSync(join(cwd, path), { force: true });
        rmSync(join(outside, "target"), { force: true });
      }
      writeFileSync(join(cwd, path), original);
    }
  });

  it.each(PLANTS)(
    "mlgate init: a metric file that is %s is left out of the starter config",
    async (plant) => {
      const { cwd, outside } = layout({ "reports/metrics.json": '{"accuracy": 0.95}' });
      plantAt(cwd, outside, "reports/secret.json", plant, `{"recall": 0.${CANARY}}`);
      const run = await timed(["init", "--output", "-"], cwd);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('file: "reports/metrics.json"');
      expect(run.stdout).not.toContain("secret");
      expect(run.stdout).not.toContain(CANARY);
    },
  );
});

describe("files the CLI writes", () => {
  const commands: [string, string[]][] = [
    ["check --output", ["check", "--config", "mlgate.yml", "--format", "json", "--output"]],
    ["schema --output", ["schema", "--output"]],
    ["maturity --output", ["maturity", "--format", "json", "--output"]],
  ];

  it.each(commands)(
    "%s onto a committed link replaces the link and leaves the file it pointed to untouched",
    async (_name, argv) => {
      const { cwd, outside } = layout({ "metrics.json": '{"accuracy": 0.95}', "mlgate.yml": CONFIG });
      writeFileSync(join(outside, "victim"), "untouched");
      symlinkSync(join(outside, "victim"), join(cwd, "report.json"));
      const run = await runCli([...argv, "report.json"], { cwd });
      expect(run.stderr).toBe("");
      expect(readFileSync(join(outside, "victim"), "utf8")).toBe("untouched");
      expect(lstatSync(join(cwd, "report.json")).isFile()).toBe(true);
      expect(JSON.parse(readFileSync(join(cwd, "report.json"), "utf8"))).toBeTypeOf("object");
    },
  );

  it.each(commands)(
    "%s into a directory that links outside is refused, naming --output, and nothing is written there",
    async (_name, argv) => {
      const { cwd, outside } = layout({ "metrics.json": '{"accuracy": 0.95}', "mlgate.yml": CONFIG });
      symlinkSync(outside, join(cwd, "out"));
      const run = await runCli([...argv, "out/new/report.json"], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `--output: cannot write out/new/report.json: it leads through a symbolic link outside the working directory ${cwd}`,
      );
      expect(run.stderr).toContain("an absolute path to write elsewhere on purpose");
      expect(readdirSync(outside)).toEqual([]);
    },
  );

  it("--output ../x, outside the working directory, is refused, and an absolute path there is written", async () => {
    const { cwd, outside } = layout({ "metrics.json": '{"accuracy": 0.95}', "mlgate.yml": CONFIG });
    const relative = await runCli(["schema", "--output", "../outside/schema.json"], { cwd });
    expect(relative.code).toBe(2);
    expect(relative.stderr).toContain("is outside the working directory");
    expect(existsSync(join(outside, "schema.json"))).toBe(false);
    const absolute = await runCli(["schema", "--output", join(outside, "schema.json")], { cwd });
    expect(absolute.code).toBe(0);
    expect(JSON.parse(readFileSync(join(outside, "schema.json"), "utf8"))).toBeTypeOf("object");
  });

  it("mlgate init counts a link at the config's place as existing; with --force it replaces the link", async () => {
    const { cwd, outside } = layout({ "metrics.json": '{"accuracy": 0.95}' });
    mkdirSync(join(cwd, ".github"));
    symlinkSync(join(outside, "victim.yml"), join(cwd, ".github/mlgate.yml"));
    const refused = await runCli(["init"], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("already exists");
    const forced = await runCli(["init", "--force"], { cwd });
    expect(forced.code).toBe(0);
    expect(existsSync(join(outside, "victim.yml"))).toBe(false);
    expect(lstatSync(join(cwd, ".github/mlgate.yml")).isFile()).toBe(true);
  });
});
