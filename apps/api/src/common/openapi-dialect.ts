import type { OpenAPIObject } from "@nestjs/swagger";

/** A JSON value as found in a schema: what the rewriting walks. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Keywords whose value is one schema. */
const SUBSCHEMA = ["items", "additionalProperties", "not"] as const;
/** Keywords whose value is a list of schemas. */
const SUBSCHEMA_LISTS = ["allOf", "oneOf", "anyOf"] as const;
/** JSON Schema 2020-12 keywords that say nothing a client of OpenAPI 3.0 can use. */
const DROPPED = ["$schema", "$id", "$comment"] as const;

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * One schema written in JSON Schema 2020-12 (as the libs' ajv validators are, e.g. BASELINE_SCHEMA) as an
 * OpenAPI 3.0 Schema Object, which is an older dialect: `const` becomes a one-value `enum`, numeric
 * `exclusiveMinimum`/`exclusiveMaximum` become `minimum`/`maximum` with the boolean flag, `type: [T, "null"]`
 * becomes `type: T, nullable: true`, and `examples` the single `example`. The libs keep one schema for
 * validation and documentation; the document states it in the dialect it declares.
 */
export function toOpenApi30Schema(schema: unknown): unknown {
  return rewrite(schema as Json);
}

function rewrite(schema: Json): Json {
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if ((DROPPED as readonly string[]).includes(key)) continue;
    out[key] = rewriteMember(key, value);
  }
  convertConst(out);
  convertExclusiveBound(out, "exclusiveMinimum", "minimum");
  convertExclusiveBound(out, "exclusiveMaximum", "maximum");
  convertTypeList(out);
  convertExamples(out);
  return out;
}

function rewriteMember(key: string, value: Json): Json {
  if ((SUBSCHEMA as readonly string[]).includes(key)) return rewrite(value);
  if ((SUBSCHEMA_LISTS as readonly string[]).includes(key) && Array.isArray(value)) {
    return value.map(rewrite);
  }
  if (key === "properties" && isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, rewrite(child)]));
  }
  return value;
}

function convertConst(schema: JsonObject): void {
  if (!("const" in schema)) return;
  const value = schema.const;
  delete schema.const;
  schema.enum = [value];
}

function convertExclusiveBound(
  schema: JsonObject,
  keyword: "exclusiveMinimum" | "exclusiveMaximum",
  bound: "minimum" | "maximum",
): void {
  const limit = schema[keyword];
  if (typeof limit !== "number") return;
  const inclusive = schema[bound];
  // Both given: the tighter one wins (an inclusive bound past the exclusive one makes the latter moot).
  if (typeof inclusive === "number" && (keyword === "exclusiveMinimum" ? inclusive > limit : inclusive < limit)) {
    Reflect.deleteProperty(schema, keyword);
    return;
  }
  schema[bound] = limit;
  schema[keyword] = true;
}

function convertTypeList(schema: JsonObject): void {
  const types = schema.type;
  if (!Array.isArray(types)) return;
  const concrete = types.filter((type) => type !== "null");
  if (concrete.length !== 1) return; // not expressible in 3.0 with one `type`; the validator test says so
  schema.type = concrete[0] ?? null;
  if (concrete.length !== types.length) schema.nullable = true;
}

function convertExamples(schema: JsonObject): void {
  const examples = schema.examples;
  if (!Array.isArray(examples)) return;
  delete schema.examples;
  if (examples.length > 0 && !("example" in schema)) schema.example = examples[0] ?? null;
}

/** Every place of a document that holds a schema, rewritten by `toOpenApi30Schema`. */
export function toOpenApi30Document(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  for (const [name, schema] of Object.entries(schemas)) schemas[name] = rewrite(schema as Json) as never;
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Record<string, unknown>)) {
      if (isObject(operation as Json)) rewriteOperation(operation as JsonObject);
    }
  }
  return document;
}

function rewriteOperation(operation: JsonObject): void {
  for (const parameter of Array.isArray(operation.parameters) ? operation.parameters : []) {
    if (isObject(parameter) && "schema" in parameter) parameter.schema = rewrite(parameter.schema);
  }
  const bodies = [operation.requestBody, ...(isObject(operation.responses) ? Object.values(operation.responses) : [])];
  for (const body of bodies) {
    if (!isObject(body) || !isObject(body.content)) continue;
    for (const media of Object.values(body.content)) {
      if (isObject(media) && "schema" in media) media.schema = rewrite(media.schema);
    }
  }
}
