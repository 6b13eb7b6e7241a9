// Validates requests and the simulator's own responses against the extracted OpenAPI schemas with ajv.
// Validators are compiled on first use per operation, so the simulator starts quickly.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { JsonSchema, OperationSpec } from "./spec.js";

export interface ParsedParams {
  values: Record<string, unknown>;
  errors: string[];
}

function newAjv(coerceTypes: boolean): Ajv {
  // strict: false because GitHub's schemas name `required` properties they do not define (check-run actions).
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes });
  addFormats.default(ajv);
  return ajv;
}

function describe(prefix: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = `${prefix}${error.instancePath.replaceAll("/", ".")}`;
    const extra =
      error.keyword === "additionalProperties"
        ? ` (${String((error.params as { additionalProperty?: unknown }).additionalProperty)})`
        : error.keyword === "enum"
          ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
          : "";
    return `${where} ${error.message ?? error.keyword}${extra}`;
  });
}

export class Validator {
  // Query and path values arrive as strings: coerce them to the declared types (integers, booleans).
  private readonly paramsAjv = newAjv(true);
  private readonly strictAjv = newAjv(false);
  private readonly cache = new Map<string, ValidateFunction>();

  private compile(key: string, ajv: Ajv, schema: JsonSchema): ValidateFunction {
    let validate = this.cache.get(key);
    if (!validate) {
      validate = ajv.compile(schema);
      this.cache.set(key, validate);
    }
    return validate;
  }

  /**
   * Path and query parameters as one object. Unknown query parameters are errors: GitHub ignores them,
   * which is how a misspelt `per_page` goes unnoticed against the real API.
   */
  params(operation: OperationSpec, pathParams: Record<string, string>, query: URLSearchParams): ParsedParams {
    const declared = operation.parameters.filter((p) => p.in === "path" || p.in === "query");
    const schema = {
      type: "object",
      properties: Object.fromEntries(declared.map((p) => [p.name, p.schema])),
      required: declared.filter((p) => p.required).map((p) => p.name),
      additionalProperties: false,
    };
    const values: Record<string, unknown> = {};
    const errors: string[] = [];
    for (const [name, value] of query) {
      if (name in values) errors.push(`query.${name} is given more than once`);
      values[name] = value;
    }
    Object.assign(values, pathParams);
    const validate = this.compile(`${operation.operationId} params`, this.paramsAjv, schema);
    if (!validate(values)) errors.push(...describe("params", validate.errors));
    return { values, errors };
  }

  /** The JSON body; unknown top-level properties are errors for the same reason as unknown query parameters. */
  body(operation: OperationSpec, body: unknown): string[] {
    const spec = operation.requestBody;
    if (!spec) return body === undefined ? [] : ["body is not expected for this operation"];
    if (body === undefined) return spec.required ? ["body is required"] : [];
    const schema = closeTopLevel(spec.schema);
    const validate = this.compile(`${operation.operationId} body`, this.strictAjv, schema);
    return validate(body) ? [] : describe("body", validate.errors);
  }

  /** The simulator's own success response; errors here are simulator bugs. */
  response(operation: OperationSpec, status: number, body: unknown): string[] {
    const spec = operation.responses[String(status)];
    if (!spec) return [`status ${status} is not a documented success response`];
    if (!spec.schema) return [];
    const validate = this.compile(`${operation.operationId} ${status}`, this.strictAjv, spec.schema);
    return validate(body) ? [] : describe("response", validate.errors);
  }
}

function closeTopLevel(schema: JsonSchema): JsonSchema {
  const isPlainObject = schema["type"] === "object" && schema["properties"] !== undefined;
  if (!isPlainObject || "additionalProperties" in schema) return schema;
  return { ...schema, additionalProperties: false };
}
