// The operations extracted from GitHub's OpenAPI description (openapi.json, written by
// scripts/extract-openapi.mjs) and the matching of a request's method and path to one of them.
import { readFileSync } from "node:fs";

export interface ParameterSpec {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: JsonSchema;
}

export interface OperationSpec {
  method: string;
  path: string;
  operationId: string;
  documentationUrl: string;
  parameters: ParameterSpec[];
  requestBody?: { required: boolean; schema: JsonSchema };
  responses: Record<string, { schema?: JsonSchema; headers?: string[] }>;
}

export type JsonSchema = Record<string, unknown>;

interface SpecFile {
  source: { package: string; version: string };
  operations: OperationSpec[];
}

export interface MatchedOperation {
  operation: OperationSpec;
  pathParams: Record<string, string>;
}

// Parameters that GitHub lets span several path segments (a file path, a branch name with slashes,
// `base...head` with such branches). Octokit percent-encodes the slashes; raw callers may not.
const MULTI_SEGMENT = new Set(["path", "ref", "basehead"]);

interface Route {
  operation: OperationSpec;
  pattern: RegExp;
  names: string[];
  literalSegments: number;
}

function compileRoute(operation: OperationSpec): Route {
  const names: string[] = [];
  const segments = operation.path.split("/").slice(1);
  const source = segments
    .map((segment) => {
      const name = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (name === undefined) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(name);
      return MULTI_SEGMENT.has(name) ? "(.+?)" : "([^/]+)";
    })
    .join("/");
  return {
    operation,
    pattern: new RegExp(`^/${source}$`),
    names,
    literalSegments: segments.filter((segment) => !segment.startsWith("{")).length,
  };
}

export class OperationTable {
  readonly sourceVersion: string;
  private readonly routes: Route[];

  constructor(file: SpecFile) {
    this.sourceVersion = `${file.source.package}@${file.source.version}`;
    // More literal segments first: /issues/comments/{comment_id} wins over /issues/{issue_number}.
    this.routes = file.operations.map(compileRoute).sort((a, b) => b.literalSegments - a.literalSegments);
  }

  static load(): OperationTable {
    const text = readFileSync(new URL("./openapi.json", import.meta.url), "utf8");
    return new OperationTable(JSON.parse(text) as SpecFile);
  }

  match(method: string, rawPathname: string): MatchedOperation | undefined {
    for (const route of this.routes) {
      if (route.operation.method !== method) continue;
      const found = route.pattern.exec(rawPathname);
      if (!found) continue;
      const pathParams: Record<string, string> = {};
      route.names.forEach((name, index) => {
        pathParams[name] = safeDecode(found[index + 1] ?? "");
      });
      return { operation: route.operation, pathParams };
    }
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
