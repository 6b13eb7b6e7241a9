// The `sources:` of a config become SourceSpecs with their defaults (timeouts, size caps); an HTTP
// source's URL and `${{ env.NAME }}` interpolations are checked here, so a typo is exit 2 with its line.
import { parseDuration } from "./duration.js";
import type { RunSelector, SourceSpec } from "./model.js";
import type { Fail } from "./normalize.js";
import type { FieldPath } from "./positions.js";
import type { RawConfig } from "./schema.js";
import { findPlaceholders, replacePlaceholders } from "../sources/placeholders.js";

const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;
const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
const MAX_TIMEOUT_MS = 24 * 3_600_000;

export function normalizeSources(raw: RawConfig, fail: Fail): Record<string, SourceSpec> {
  const out: Record<string, SourceSpec> = Object.create(null) as Record<string, SourceSpec>;
  for (const [name, source] of Object.entries(raw.sources)) {
    const key = "key" in source && source.key !== undefined ? { key: [source.key].flat() } : {};
    const shared = {
      ...("format" in source && source.format ? { format: source.format } : {}),
      ...key,
      ...("delimiter" in source && source.delimiter ? { delimiter: source.delimiter } : {}),
    };
    if ("file" in source) {
      const mlflow = {
        ...(source.run ? { run: runSelector(source.run) } : {}),
        ...(source.experiment ? { experiment: source.experiment } : {}),
      };
      if ((source.run || source.experiment) && source.format !== undefined && source.format !== "mlflow") {
        fail(
          ["sources", name, source.run ? "run" : "experiment"],
          `\`${source.run ? "run" : "experiment"}:\` chooses an MLflow run, but this source's format is ${source.format}`,
          "remove it, or set `format: mlflow`",
        );
      }
      out[name] = { kind: "file", name, file: source.file, ...shared, ...mlflow };
      continue;
    }
    if ("format" in source && (source.format === "mlflow" || source.format === "dvc")) {
      fail(
        ["sources", name, "format"],
        `format ${source.format} reads files and directories on disk, not a command's output`,
        "write the results to disk in the command's step and read them with `file:`",
      );
    }
    const timeoutMs = timeout(
      source.timeout,
      "command" in source ? DEFAULT_COMMAND_TIMEOUT_MS : DEFAULT_HTTP_TIMEOUT_MS,
    );
    if (timeoutMs === undefined)
      fail(
        ["sources", name, "timeout"],
        `"${source.timeout}" is not a duration`,
        'write e.g. "120s", "2m" or "PT2M"',
      );
    else if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS)
      fail(["sources", name, "timeout"], `the timeout must be between 1ms and 24h`, 'e.g. "120s"');
    const maxBytes = source.maxBytes ?? DEFAULT_MAX_BYTES;
    if ("command" in source) {
      out[name] = {
        kind: "command",
        name,
        command: source.command,
        timeoutMs: timeoutMs ?? 0,
        maxBytes,
        ...shared,
      };
    } else {
      checkHttpSource(name, source.url, source.headers ?? {}, fail);
      out[name] = {
        kind: "http",
        name,
        url: source.url,
        headers: source.headers ?? {},
        timeoutMs: timeoutMs ?? 0,
        maxBytes,
      };
    }
  }
  return out;
}

/** `${{ … }}` on one line: one across lines is left for the run, which names it as unsupported. */
const PLACEHOLDER = { open: "${{", close: "}}", multiline: false, escapable: false };
const ENV_PLACEHOLDER = /^\s*env\.[A-Za-z_][A-Za-z0-9_]*\s*$/;

/** An HTTP source's URL and interpolations are checked here, so a typo is exit 2 with its line, not a run-time error. */
function checkHttpSource(name: string, url: string, headers: Record<string, string>, fail: Fail): void {
  const fields: Array<[FieldPath, string]> = [
    [["sources", name, "url"], url],
    ...Object.entries(headers).map(([header, value]): [FieldPath, string] => [
      ["sources", name, "headers", header],
      value,
    ]),
  ];
  for (const [path, text] of fields) {
    for (const placeholder of findPlaceholders(text, PLACEHOLDER)) {
      if (!ENV_PLACEHOLDER.test(placeholder.inner)) {
        fail(
          path,
          `"${placeholder.text}" cannot be interpolated: only \${{ env.NAME }} is supported`,
          "pass secrets and other values through environment variables",
        );
      }
    }
  }
  let parsed: URL | undefined;
  const placeholders = findPlaceholders(url, PLACEHOLDER);
  try {
    parsed = new URL(replacePlaceholders(url, placeholders, () => "x"));
  } catch {
    fail(
      ["sources", name, "url"],
      `"${replacePlaceholders(url, placeholders, () => "${{…}}")}" is not a URL`,
      "write a full URL such as https://mlflow.example/api/2.0/...",
    );
    return;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    fail(["sources", name, "url"], `only http and https URLs can be read, not ${parsed.protocol}`);
  }
}

/** Only the fields given: zod's optional fields may be present as undefined. */
function runSelector(run: {
  id?: string | undefined;
  name?: string | undefined;
  tags?: Record<string, string> | undefined;
}): RunSelector {
  return {
    ...(run.id !== undefined ? { id: run.id } : {}),
    ...(run.name !== undefined ? { name: run.name } : {}),
    ...(run.tags !== undefined ? { tags: run.tags } : {}),
  };
}

function timeout(text: string | undefined, fallback: number): number | undefined {
  return text === undefined ? fallback : parseDuration(text);
}
