import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { loadOpenApiIndex, type OpenApiOperation, type OpenApiSpecName } from "./load-open-api-index.js";
import type { RecordedRequest } from "./recorded-request.js";
import { toJsonSchema } from "./to-json-schema.js";

export type CheckedRequest = Pick<RecordedRequest, "seq" | "method" | "path" | "query" | "body"> & { kind?: RecordedRequest["kind"] };

export interface OpenApiViolation {
  seq: number;
  method: string;
  path: string;
  /** Absent when no operation of the description has this method and path. */
  operationId?: string;
  /**
   * `route`: no such operation. `path`/`query`/`body`: a schema says no (GitHub answers 422).
   * `unknown-property`: a query parameter or top-level body key the operation does not declare;
   * GitHub ignores those, so it is usually a misspelt parameter that silently does nothing.
   */
  kind: "route" | "path" | "query" | "body" | "unknown-property";
  /** Ajv's error text, e.g. `body/conclusion must be equal to one of the allowed values`. */
  message: string;
  errors?: ErrorObject[];
}

export interface OpenApiCheckOptions {
  spec?: OpenApiSpecName;
}

interface OperationValidators {
  path: ValidateFunction;
  query: ValidateFunction;
  body?: ValidateFunction;
  queryNames: Set<string>;
  bodyNames?: Set<string>;
}

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;
let ajvs: { strict: Ajv; coercing: Ajv } | undefined;
const validators = new Map<string, OperationValidators>();

/** Every REST request of `requests` against GitHub's OpenAPI description. */
export function checkRequestsAgainstOpenApi(requests: readonly CheckedRequest[], options: OpenApiCheckOptions = {}): OpenApiViolation[] {
  return requests.filter((r) => (r.kind ?? "rest") === "rest" && !isGraphql(r)).flatMap((r) => checkRequestAgainstOpenApi(r, options));
}

// The description covers REST only: git (smart HTTP) is skipped by kind, and GraphQL (one endpoint,
// `POST /api/graphql` on GHES, `/graphql` on github.com, whose schema is GraphQL's own) would be
// reported as an unknown route. Also by path, for records made without a kind.
const GRAPHQL_PATHS = new Set(["/api/graphql", "/graphql"]);
function isGraphql(request: CheckedRequest): boolean {
  return request.kind === "graphql" || GRAPHQL_PATHS.has(request.path);
}

/**
 * One request: its method and path must name an operation, and its path parameters, query
 * parameters (both as strings, coerced as GitHub would) and JSON body must fit the operation's
 * schemas. Validators are compiled per operation on first use and kept for the process.
 */
export function checkRequestAgainstOpenApi(request: CheckedRequest, { spec = "api.github.com" }: OpenApiCheckOptions = {}): OpenApiViolation[] {
  const at = { seq: request.seq, method: request.method, path: request.path };
  const found = loadOpenApiIndex(spec).find(request.method, request.path);
  if (!found) return [{ ...at, kind: "route", message: `no operation of ${spec} matches ${request.method} ${request.path}` }];
  const { operation, params } = found;
  const v = getValidators(spec, operation);
  const violations: OpenApiViolation[] = [];
  const report = (kind: OpenApiViolation["kind"], message: string, errors?: ErrorObject[] | null) =>
    violations.push({ ...at, operationId: operation.operationId, kind, message, ...(errors ? { errors } : {}) });

  if (!v.path(structuredClone(params))) report("path", errorsText(v.path.errors, "path"), v.path.errors);
  if (!v.query(structuredClone(request.query))) report("query", errorsText(v.query.errors, "query"), v.query.errors);
  const unknownQuery = Object.keys(request.query).filter((name) => !v.queryNames.has(name));
  if (unknownQuery.length > 0) report("unknown-property", `query has parameters the operation does not declare: ${unknownQuery.join(", ")}`);

  const body = request.body;
  const json = operation.requestBody?.content["application/json"];
  if (body === undefined) {
    if (operation.requestBody?.required && json) report("body", "body is required");
  } else if (!operation.requestBody) {
    report("unknown-property", "the operation takes no request body");
  } else if (v.body) {
    if (!v.body(body)) report("body", errorsText(v.body.errors, "body"), v.body.errors);
    if (v.bodyNames && isPlainObject(body)) {
      const unknown = Object.keys(body).filter((name) => !v.bodyNames!.has(name));
      if (unknown.length > 0) report("unknown-property", `body has properties the operation does not declare: ${unknown.join(", ")}`);
    }
  }
  return violations;
}

function getValidators(spec: OpenApiSpecName, operation: OpenApiOperation): OperationValidators {
  const key = `${spec} ${operation.method} ${operation.path.template}`;
  const cached = validators.get(key);
  if (cached) return cached;
  const { strict, coercing } = getAjvs();
  const queryParameters = operation.parameters.filter((p) => p.in === "query");
  const bodySchema = operation.requestBody?.content["application/json"]?.schema;
  const created: OperationValidators = {
    path: coercing.compile(parametersSchema(operation.parameters.filter((p) => p.in === "path"))),
    query: coercing.compile(parametersSchema(queryParameters)),
    queryNames: new Set(queryParameters.map((p) => p.name)),
    ...(bodySchema ? { body: strict.compile(toJsonSchema(bodySchema) as object) } : {}),
  };
  const bodyNames = bodySchema ? declaredPropertyNames(bodySchema) : undefined;
  if (bodyNames) created.bodyNames = bodyNames;
  validators.set(key, created);
  return created;
}

function parametersSchema(parameters: OpenApiCheckParameter[]): object {
  return {
    type: "object",
    properties: Object.fromEntries(parameters.map((p) => [p.name, toJsonSchema(p.schema ?? {})])),
    required: parameters.filter((p) => p.required || p.in === "path").map((p) => p.name),
  };
}

type OpenApiCheckParameter = OpenApiOperation["parameters"][number];

/** Top-level keys an object body may have, or undefined when the schema leaves them open. */
function declaredPropertyNames(schema: Record<string, unknown>): Set<string> | undefined {
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) return undefined;
  const names = new Set<string>();
  const collect = (s: unknown) => {
    if (!isPlainObject(s)) return false;
    if (isPlainObject(s.properties)) for (const name of Object.keys(s.properties)) names.add(name);
    return isPlainObject(s.properties);
  };
  if (!collect(schema)) return undefined;
  for (const key of ["allOf", "anyOf", "oneOf"]) for (const branch of (schema[key] as unknown[] | undefined) ?? []) collect(branch);
  return names;
}

function getAjvs(): { strict: Ajv; coercing: Ajv } {
  if (ajvs) return ajvs;
  // strict: false because the description carries keywords Ajv does not know (`x-*`, `readOnly`…);
  // validateSchema: false because some of its annotations do not meet draft-07's meta-schema.
  const options = { strict: false, allErrors: true, validateSchema: false, validateFormats: true } as const;
  const make = (coerceTypes: boolean | "array") => {
    const ajv = addFormats(new Ajv({ ...options, coerceTypes }));
    // OpenAPI formats that JSON Schema does not define: range checks only, or none.
    ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    for (const name of ["binary", "byte", "repo.nwo", "ip/cidr", "float", "double", "password"]) ajv.addFormat(name, true);
    return ajv;
  };
  // Path and query values arrive as strings; GitHub reads `per_page=100` as the integer 100.
  ajvs = { strict: make(false), coercing: make("array") };
  return ajvs;
}

function errorsText(errors: ErrorObject[] | null | undefined, dataVar: string): string {
  return getAjvs().strict.errorsText(errors, { dataVar, separator: "; " }) + allowedValues(errors);
}

// Ajv's text for `enum` omits the allowed values, which is what a reader needs.
function allowedValues(errors: ErrorObject[] | null | undefined): string {
  const enums = (errors ?? []).filter((e) => e.keyword === "enum").map((e) => `${e.instancePath || "/"}: ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`);
  return enums.length > 0 ? ` (allowed: ${enums.join("; ")})` : "";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
