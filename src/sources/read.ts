// Reads the sources a run needs: each one once, all in parallel. A source that cannot be read becomes
// an MlgateError in the result, so every gate using it reports `error` while the others still run.
import type { SourceSpec } from "../config/model.js";
import { MlgateError } from "../errors.js";
import { ContainedFs } from "../files/contained-fs.js";
import { readCommandSource } from "./command.js";
import { readFileSource } from "./file.js";
import { readHttpSource } from "./http.js";
import type { SourceContext, SourceDocument } from "./types.js";

/** `files` is the run's one view of the working directory: every file source is read through it. */
export function readSource(
  spec: SourceSpec,
  ctx: SourceContext,
  files: ContainedFs,
): Promise<SourceDocument> {
  switch (spec.kind) {
    case "file":
      return readFileSource(spec, files);
    case "command":
      return readCommandSource(spec, ctx);
    case "http":
      return readHttpSource(spec, ctx);
    default: {
      const unknown: never = spec;
      throw new Error(`unknown source kind: ${JSON.stringify(unknown)}`);
    }
  }
}

/** Every source by name; a name that appears twice is read once. Errors that are not MlgateErrors are bugs and propagate. */
export async function readSources(
  specs: readonly SourceSpec[],
  ctx: SourceContext,
): Promise<Map<string, SourceDocument | MlgateError>> {
  const unique = new Map<string, SourceSpec>();
  for (const spec of specs) if (!unique.has(spec.name)) unique.set(spec.name, spec);
  const files = await ContainedFs.open(ctx.cwd);
  const entries = await Promise.all(
    [...unique.values()].map(async (spec): Promise<[string, SourceDocument | MlgateError]> => {
      try {
        return [spec.name, await readSource(spec, ctx, files)];
      } catch (error) {
        if (error instanceof MlgateError) return [spec.name, error];
        throw error;
      }
    }),
  );
  return new Map(entries);
}
