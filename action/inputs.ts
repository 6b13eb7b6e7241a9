// Every action input parsed once, through a schema, into one typed settings object (STYLE: inputs
// through a schema too). Defaults live in action.yml and are repeated here for runs without them.
import * as z from "zod";
import { MlgateError } from "../src/errors.js";

const Bool = z.enum(["true", "false"]).transform((value) => value === "true");

const Inputs = z.strictObject({
  mode: z.enum(["check", "publish"]),
  config: z.string().min(1),
  githubToken: z.string(),
  workingDirectory: z.string().min(1),
  comment: z.enum(["update", "new", "off"]),
  commentKey: z.string().min(1).max(100),
  checkRun: Bool,
  checkName: z.string().min(1).max(200),
  failOn: z.enum(["non-conformant", "warning", "never"]),
  baseline: z.string().min(1),
  configRef: z.enum(["head", "base"]),
  reportPath: z.string().min(1),
  release: Bool,
  allowCommands: z.enum(["auto", "true", "false"]),
});
export type ActionInputs = z.infer<typeof Inputs>;

const DEFAULTS: Readonly<Record<string, string>> = {
  mode: "check",
  config: ".github/mlgate.yml",
  "github-token": "",
  "working-directory": ".",
  comment: "update",
  "comment-key": "default",
  "check-run": "true",
  "check-name": "",
  "fail-on": "non-conformant",
  baseline: "auto",
  "config-ref": "head",
  "report-path": "mlgate-report.json",
  release: "false",
  "allow-commands": "auto",
};

/** `read(name)` returns the input as the runner passed it (`core.getInput`, already trimmed). */
export function parseInputs(read: (name: string) => string): ActionInputs {
  const value = (name: string) => read(name) || (DEFAULTS[name] ?? "");
  const lower = (name: string) => value(name).toLowerCase();
  const commentKey = value("comment-key");
  const raw = {
    mode: lower("mode"),
    config: value("config"),
    githubToken: value("github-token"),
    workingDirectory: value("working-directory"),
    comment: lower("comment"),
    commentKey,
    checkRun: lower("check-run"),
    // Several reports on one PR (a matrix) need several check runs: the key tells them apart.
    checkName: value("check-name") || (commentKey === "default" ? "mlgate" : `mlgate (${commentKey})`),
    failOn: lower("fail-on"),
    // auto and none in any case; anything else is a path, kept as written.
    baseline: /^(auto|none)$/i.test(value("baseline")) ? lower("baseline") : value("baseline"),
    configRef: lower("config-ref"),
    reportPath: value("report-path"),
    release: lower("release"),
    allowCommands: lower("allow-commands"),
  };
  const result = Inputs.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? "").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const allowed =
      issue && "values" in issue ? `; expected one of: ${(issue.values as unknown[]).join(", ")}` : "";
    const size = issue?.code === "too_big" ? `; at most ${String(issue.maximum)} characters` : "";
    throw new MlgateError("usage", `input \`${name}\` is not valid${allowed}${size}`, {
      location: { field: `with.${name}` },
      hint: "see docs/action.md for every input and its values",
    });
  }
  return result.data;
}
