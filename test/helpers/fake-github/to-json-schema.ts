type Schema = Record<string, unknown>;

// Keys whose values are schemas, or maps/lists of schemas, in OpenAPI 3.0's schema object.
const SCHEMA_KEYS = new Set(["items", "not", "additionalProperties"]);
const SCHEMA_LIST_KEYS = new Set(["allOf", "anyOf", "oneOf"]);
// OpenAPI-only annotations with no meaning for validation (and `example` is not JSON Schema's `examples`).
const DROPPED_KEYS = new Set(["nullable", "example", "discriminator", "xml", "externalDocs"]);

/**
 * An OpenAPI 3.0 schema as plain JSON Schema (draft-07, Ajv's default): `nullable: true` becomes
 * a `"null"` type (and a `null` enum member), boolean `exclusiveMinimum` a number. Ajv has a
 * `nullable` keyword of its own, but it throws on `nullable` without `type`, which GitHub's
 * description has; converting keeps every operation compilable.
 */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== "object") return schema;
  const source = schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (DROPPED_KEYS.has(key) || key.startsWith("x-")) continue;
    if (key === "properties" && value && typeof value === "object") {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, toJsonSchema(property)]));
    } else if (SCHEMA_KEYS.has(key) && value && typeof value === "object") out[key] = toJsonSchema(value);
    else if (SCHEMA_LIST_KEYS.has(key) && Array.isArray(value)) out[key] = value.map(toJsonSchema);
    else out[key] = value;
  }
  convertExclusiveBound(out, "exclusiveMinimum", "minimum");
  convertExclusiveBound(out, "exclusiveMaximum", "maximum");
  if (source.nullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

// OpenAPI 3.0 (like draft-04) writes `exclusiveMinimum: true` next to `minimum`.
function convertExclusiveBound(schema: Schema, exclusive: string, bound: string): void {
  if (typeof schema[exclusive] !== "boolean") return;
  if (schema[exclusive] === true && typeof schema[bound] === "number") {
    schema[exclusive] = schema[bound];
    delete schema[bound];
  } else delete schema[exclusive];
}
