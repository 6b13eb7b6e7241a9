// Extracts the GitHub REST operations the simulator serves from @octokit/openapi's dereferenced description
// into test/support/github-sim/openapi.json: parameters, request body and success-response schemas only,
// converted from OpenAPI 3.0 to plain JSON Schema (draft-07, what ajv validates) and printed with sorted keys.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";

const PACKAGE = "@octokit/openapi";
const PINNED_VERSION = "23.0.2";
const SPEC_FILE = "generated/api.github.com.deref.json";
const OUTPUT = fileURLToPath(new URL("../test/support/github-sim/openapi.json", import.meta.url));

// The operations the simulator implements, as [method, path template] exactly as in the description.
const OPERATIONS = [
  ["get", "/app"],
  ["post", "/app/installations/{installation_id}/access_tokens"],
  ["get", "/installation/repositories"],
  ["get", "/orgs/{org}/installation"],
  ["get", "/rate_limit"],
  ["get", "/repos/{owner}/{repo}/actions/artifacts"],
  ["get", "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}"],
  ["get", "/repos/{owner}/{repo}/actions/runs"],
  ["get", "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts"],
  ["post", "/repos/{owner}/{repo}/check-runs"],
  ["patch", "/repos/{owner}/{repo}/check-runs/{check_run_id}"],
  ["get", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls"],
  ["get", "/repos/{owner}/{repo}/commits/{ref}/check-runs"],
  ["get", "/repos/{owner}/{repo}/compare/{basehead}"],
  ["get", "/repos/{owner}/{repo}/contents/{path}"],
  ["get", "/repos/{owner}/{repo}/git/trees/{tree_sha}"],
  ["get", "/repos/{owner}/{repo}/installation"],
  ["get", "/repos/{owner}/{repo}/issues"],
  ["post", "/repos/{owner}/{repo}/issues"],
  ["patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}"],
  ["patch", "/repos/{owner}/{repo}/issues/{issue_number}"],
  ["put", "/repos/{owner}/{repo}/issues/{issue_number}/lock"],
  ["get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
  ["post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}/files"],
];

const USAGE = `Usage: node scripts/extract-openapi.mjs <path>

<path> is ${PACKAGE}'s ${SPEC_FILE}, or a folder where the package is installed.
The package (385 MB) is not a dependency of this project; install it outside the repository:

  npm install --prefix /tmp/oapi ${PACKAGE}@${PINNED_VERSION}
  node scripts/extract-openapi.mjs /tmp/oapi
`;

// Documentation-only keys; dropping them keeps the file small without changing what validates.
const DROPPED_KEYS = new Set(["description", "example", "examples", "deprecated", "readOnly", "writeOnly"]);

function findSpec(argument) {
  const path = resolve(argument);
  if (!existsSync(path)) return undefined;
  if (statSync(path).isFile()) return path;
  const candidates = [
    join(path, "node_modules", PACKAGE, SPEC_FILE),
    join(path, SPEC_FILE),
    join(path, "api.github.com.deref.json"),
  ];
  return candidates.find((candidate) => existsSync(candidate));
}

// The version in the package's own package.json when the file sits in an installed package, else info.version.
function packageVersion(specPath, doc) {
  const manifest = join(dirname(specPath), "..", "package.json");
  if (existsSync(manifest)) {
    const { name, version } = JSON.parse(readFileSync(manifest, "utf8"));
    if (name === PACKAGE) return version;
  }
  return doc.info?.version ?? "unknown";
}

// OpenAPI 3.0 `nullable: true` is not JSON Schema: fold it into `type` (and `enum`), or wrap in anyOf.
function toJsonSchema(schema) {
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYS.has(key) || key.startsWith("x-") || key === "nullable") continue;
    if (key === "properties") {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]));
    } else if (
      key === "items" ||
      key === "not" ||
      (key === "additionalProperties" && typeof value === "object")
    ) {
      out[key] = toJsonSchema(value);
    } else if (key === "oneOf" || key === "anyOf" || key === "allOf") {
      out[key] = value.map(toJsonSchema);
    } else {
      out[key] = value;
    }
  }
  if (schema.nullable !== true) return out;
  if (typeof out.type !== "string") return { anyOf: [out, { type: "null" }] };
  out.type = [out.type, "null"];
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}

function jsonSchemaOf(content, where) {
  const media = content?.["application/json"] ?? Object.values(content ?? {}).find((entry) => entry.schema);
  if (content && !media?.schema) throw new Error(`${where}: no JSON schema`);
  return media ? toJsonSchema(media.schema) : undefined;
}

// Success responses: the 2xx ones; an operation whose success is a redirect (artifact download) keeps its 3xx.
function successResponses(responses, where) {
  const codes = Object.keys(responses).filter((code) => code.startsWith("2"));
  const chosen = codes.length > 0 ? codes : Object.keys(responses).filter((code) => /^30[27]$/.test(code));
  if (chosen.length === 0) throw new Error(`${where}: no success response`);
  return Object.fromEntries(
    chosen.map((code) => {
      const { content, headers } = responses[code];
      const entry = {};
      const schema = jsonSchemaOf(content, `${where} ${code}`);
      if (schema) entry.schema = schema;
      if (headers) entry.headers = Object.keys(headers).sort();
      return [code, entry];
    }),
  );
}

function extractOperation(doc, method, path) {
  const where = `${method.toUpperCase()} ${path}`;
  const operation = doc.paths[path]?.[method];
  if (!operation) throw new Error(`${where} is not in the description`);
  const extracted = {
    method: method.toUpperCase(),
    path,
    operationId: operation.operationId,
    documentationUrl: operation.externalDocs?.url ?? "https://docs.github.com/rest",
    parameters: (operation.parameters ?? []).map((parameter) => ({
      name: parameter.name,
      in: parameter.in,
      required: parameter.required === true,
      schema: toJsonSchema(parameter.schema ?? {}),
    })),
    responses: successResponses(operation.responses, where),
  };
  if (operation.requestBody) {
    extracted.requestBody = {
      required: operation.requestBody.required === true,
      schema: jsonSchemaOf(operation.requestBody.content, `${where} request body`),
    };
  }
  return extracted;
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

async function main(argv) {
  const specPath = argv[0] === undefined ? undefined : findSpec(argv[0]);
  if (!specPath) {
    process.stderr.write(argv[0] === undefined ? USAGE : `No ${SPEC_FILE} found at ${argv[0]}\n\n${USAGE}`);
    return 2;
  }
  const doc = JSON.parse(readFileSync(specPath, "utf8"));
  const version = packageVersion(specPath, doc);
  const operations = OPERATIONS.map(([method, path]) => extractOperation(doc, method, path)).sort(
    (a, b) => a.path.localeCompare(b.path, "en") || a.method.localeCompare(b.method, "en"),
  );
  const output = {
    generatedBy: "scripts/extract-openapi.mjs",
    source: { package: PACKAGE, version, file: SPEC_FILE, openapi: doc.openapi },
    conversion:
      "OpenAPI 3.0 schemas as JSON Schema draft-07: nullable folded into type/enum (or anyOf with null); " +
      "description, example(s), deprecated, readOnly, writeOnly and x-* keys dropped.",
    operations,
  };
  const text = await format(JSON.stringify(sortKeys(output)), {
    ...(await resolveConfig(OUTPUT)),
    filepath: OUTPUT,
  });
  writeFileSync(OUTPUT, text);
  process.stdout.write(
    `Wrote ${operations.length} operations from ${PACKAGE}@${version} to ${OUTPUT} (${text.length} bytes)\n`,
  );
  if (version !== PINNED_VERSION) {
    process.stdout.write(`Note: the simulator was written against ${PINNED_VERSION}; run its tests.\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
