// GitHub Actions workflows as evidence: their triggers and what their steps use and run. A workflow that
// does not parse is reported as such and contributes nothing.
import { parse } from "yaml";
import { MAX_YAML_ALIAS_COUNT } from "../config/yaml.js";
import { isWorkflowFile, type RepositoryView } from "./view.js";

export interface WorkflowFacts {
  path: string;
  /** Event names from `on:` (pull_request, push, schedule, workflow_dispatch, release, ...). */
  triggers: Set<string>;
  /** `on.push` filters tags (`tags:` or `tags-ignore:`): the workflow runs when a tag is pushed. */
  tagPushes: boolean;
  /** Every `uses:` of every step and reusable-workflow job. */
  uses: string[];
  /** Every `run:` script. */
  runs: string[];
}

export function workflowsOf(view: RepositoryView): { workflows: WorkflowFacts[]; unreadable: string[] } {
  const workflows: WorkflowFacts[] = [];
  const unreadable: string[] = [];
  for (const [path, text] of view.files) {
    if (!isWorkflowFile(path)) continue;
    const facts = readWorkflow(path, text);
    if (facts) workflows.push(facts);
    else unreadable.push(path);
  }
  workflows.sort((a, b) => a.path.localeCompare(b.path));
  return { workflows, unreadable: unreadable.sort() };
}

function readWorkflow(path: string, text: string): WorkflowFacts | undefined {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: MAX_YAML_ALIAS_COUNT, uniqueKeys: false });
  } catch {
    return undefined;
  }
  if (!isRecord(doc)) return undefined;
  // YAML 1.1 readers turn a bare `on` key into true; the yaml package (1.2) keeps "on", but accept both.
  const on = doc.on ?? doc.true;
  const triggers = new Set<string>();
  const push = isRecord(on) ? on.push : undefined;
  const tagPushes = isRecord(push) && (Object.hasOwn(push, "tags") || Object.hasOwn(push, "tags-ignore"));
  if (typeof on === "string") {
    triggers.add(on);
  } else if (Array.isArray(on)) {
    for (const name of on) if (typeof name === "string") triggers.add(name);
  } else if (isRecord(on)) {
    for (const name of Object.keys(on)) triggers.add(name);
  }
  const uses: string[] = [];
  const runs: string[] = [];
  const jobs = isRecord(doc.jobs) ? Object.values(doc.jobs) : [];
  for (const job of jobs) {
    if (!isRecord(job)) continue;
    if (typeof job.uses === "string") uses.push(job.uses);
    const steps = Array.isArray(job.steps) ? job.steps : [];
    for (const step of steps) {
      if (!isRecord(step)) continue;
      if (typeof step.uses === "string") uses.push(step.uses);
      if (typeof step.run === "string") runs.push(step.run);
    }
  }
  return { path, triggers, tagPushes, uses, runs };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A step that runs mlgate's gates: the Action (`<owner>/mlgate@ref`, forks included) or the CLI. */
export function runsMlgate(workflow: WorkflowFacts): boolean {
  return (
    workflow.uses.some((uses) => /(^|\/)mlgate(@|\/|$)/i.test(uses)) ||
    workflow.runs.some((run) => /\bmlgate\s+check\b/.test(run))
  );
}
