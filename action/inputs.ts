// Every action input parsed once, through a schema, into one typed settings object (STYLE: inputs
// through a schema too). Defaults live in action.yml; nothing deeper reads inputs.
import * as z from "zod";
import { MlgateError } from "../src/errors.js";

const Inputs = z.strictObject({
  config: z.string().min(1),
  workingDirectory: z.string().min(1),
  failOn: z.enum(["non-conformant", "warning", "never"]),
  baseline: z.string().min(1),
  reportPath: z.string().min(1),
  release: z.enum(["true", "false"]).transform((value) => value === "true"),
});
export type ActionInputs = z.infer<typeof Inputs>;

/** `read(name)` returns the input as the runner passed it (`core.getInput`). */
export function parseInputs(read: (name: string) => string): ActionInputs {
  const raw = {
    config: read("config") || ".github/mlgate.yml",
    workingDirectory: read("working-directory") || ".",
    failOn: read("fail-on") || "non-conformant",
    baseline: read("baseline") || "none",
    reportPath: read("report-path") || "mlgate-report.json",
    release: (read("release") || "false").toLowerCase(),
  };
  const result = Inputs.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? "").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const allowed =
      issue && "values" in issue ? `; expected one of: ${(issue.values as unknown[]).join(", ")}` : "";
    throw new MlgateError("usage", `input \`${name}\` is not valid${allowed}`, {
      location: { field: `with.${name}` },
    });
  }
  return result.data;
}
