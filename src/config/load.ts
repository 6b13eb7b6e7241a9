// Reads the gates config: YAML with positions, then the zod schema, then normalisation to the gates model.
// Every problem becomes an MlgateError naming file:line:column; several problems are reported together.
import { validated } from "./issues.js";
import type { Specification } from "./model.js";
import { normalizeConfig } from "./normalize.js";
import type { ConfigPositions } from "./positions.js";
import { ConfigSchema, type RawConfig } from "./schema.js";
import { readYaml } from "./yaml.js";

export interface ParsedConfig {
  raw: RawConfig;
  positions: ConfigPositions;
}

/** YAML text to the validated raw config. `file` is only used in messages. */
export function parseConfig(text: string, file: string): ParsedConfig {
  const { value, positions } = readYaml(text, file, {
    code: "config",
    what: "the config",
    emptyHint: "start with `version: 1`, `sources:` and `kpis:`; `mlgate init` writes a starter config",
  });
  const raw = validated(value, positions, { schema: ConfigSchema, code: "config.schema" }) as RawConfig;
  return { raw, positions };
}

/** YAML text to the normalised gates model. */
export function loadConfig(text: string, file: string): Specification {
  const { raw, positions } = parseConfig(text, file);
  return normalizeConfig(raw, positions);
}
