import fc from "fast-check";

/**
 * Requests generated from an OpenAPI 3.0 document, for the API fuzz run (test/api/fuzz.e2e-spec.ts): values of the
 * shapes the document declares, the same values mutated, and hostile values of every kind that ever gave a 500
 * (issue 14). Nothing here knows the routes; what a test knows about them comes in as `FuzzContext`.
 */

/** The parts of a Schema Object the generators read; `$ref`s are resolved before. */
export interface Schema {
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly nullable?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly items?: Schema;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly oneOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
}

export interface Parameter {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required?: boolean;
  readonly schema?: Schema;
  readonly example?: unknown;
}

export interface MediaType {
  readonly schema?: Schema;
}

export interface ResponseSpec {
  readonly description?: string;
  readonly content?: Readonly<Record<string, MediaType>>;
}

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly parameters: readonly Parameter[];
  readonly requestBody?: { readonly required?: boolean; readonly content: Readonly<Record<string, MediaType>> };
  readonly responses: Readonly<Record<string, ResponseSpec>>;
}

/** A dereferenced OpenAPI document, as far as operations go. */
export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;

/** Every operation of the document, in document order. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => {
      const operation = item[method] as Omit<Operation, "method" | "path" | "parameters"> & {
        readonly parameters?: readonly Parameter[];
      };
      return { ...operation, method, path, parameters: operation.parameters ?? [] };
    }),
  );
}

/** One request as sent: what a failure reports, and what replays it. */
export interface FuzzRequest {
  readonly identity: string;
  readonly method: string;
  /** Path and query, percent-encoded as sent. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What a test knows that the document does not say: who can call, and values that exist on this service. */
export interface FuzzContext {
  /** Callers by name (e.g. none, admin, partner): the headers that make a request theirs. */
  readonly identities: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Known values by parameter name (ids, GTINs, lots, CIDs that exist), so that requests reach past lookups. */
  readonly known: Readonly<Record<string, readonly string[]>>;
  /** Known good bodies by operation id, e.g. an EPCIS document for capture: mutated like generated ones. */
  readonly seeds: Readonly<Record<string, readonly unknown[]>>;
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile values

const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udc00y",
  "%00",
  "%",
  "../../../etc/passwd",
  "null",
  "NaN",
  "-1",
  "0",
  "1e309",
  "-99999999999",
  "99999999999999999999",
  "2147483648",
  "9007199254740993",
  "0x1F",
  "1.5",
  "true",
  "[]",
  "{}",
  "<script>alert(1)</script>",
  "' OR '1'='1",
  "\u202eevil",
  "😀",
  "\r\n",
  "İſ",
  "__proto__",
  "constructor",
  // Dates JavaScript reads but PostgreSQL's timestamptz cannot hold, and dates that do not exist.
  "-271821-04-20T00:00:00.000Z",
  "+275760-09-13T00:00:00.000Z",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59.999Z",
  "2026-02-30T00:00:00Z",
  "2026-10-01T08:00:00+99:00",
  "urn:epc:class:lgtin:6901234.000003.A(1)",
  "https://id.gs1.org/01/06901234000030/10/A(1)",
];

const HOSTILE_NUMBERS = [
  -1,
  0,
  1.5,
  -1.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e21,
  1e308,
  -1e308,
  5e-324,
];

/** Nested `depth` levels deep: within the service's limit (64), at it, and far past it. */
function nested(kind: "array" | "object", depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === "array" ? [value] : { a: value };
  return value;
}

const overlongString = fc.constantFrom(1_000, 20_000, 300_000).map((n) => "x".repeat(n));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  { weight: 1, arbitrary: overlongString },
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(...HOSTILE_NUMBERS),
  hostileString,
  fc.constantFrom<unknown>([], {}, [null], { "": null }),
  fc
    .tuple(fc.constantFrom<"array" | "object">("array", "object"), fc.constantFrom(10, 63, 64, 65, 1_000))
    .map(([kind, depth]) => nested(kind, depth)),
  // Own properties named like the prototype chain (JSON.parse makes them own, as a body parser does).
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown),
  fc.constant(Array.from({ length: 5_000 }, () => 1)),
  fc.jsonValue({ maxDepth: 2 }),
);

// ---------------------------------------------------------------------------------------------------------------
// Values of a schema's shape

const MAX_DEPTH = 6;

function known(context: FuzzContext, name: string | undefined): string[] {
  return name === undefined ? [] : [...(context.known[name] ?? [])];
}

/** A value of the schema's shape (valid as far as the schema says), its example, or a known value of that name. */
export function shaped(
  schema: Schema | undefined,
  context: FuzzContext,
  name?: string,
  depth = 0,
): fc.Arbitrary<unknown> {
  const candidates: unknown[] = [...(schema?.example === undefined ? [] : [schema.example]), ...known(context, name)];
  const shape =
    schema === undefined || depth > MAX_DEPTH ? fc.jsonValue({ maxDepth: 1 }) : shapeOf(schema, context, depth);
  // Known values weigh most: they are what gets a request past "not found" into the route's own rules.
  return fc.oneof(
    { weight: 3, arbitrary: shape },
    ...(candidates.length === 0
      ? []
      : [{ weight: known(context, name).length > 0 ? 6 : 2, arbitrary: fc.constantFrom(...candidates) }]),
    ...(schema?.nullable === true ? [{ weight: 1, arbitrary: fc.constant(null) }] : []),
  );
}

function shapeOf(schema: Schema, context: FuzzContext, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives !== undefined && alternatives.length > 0) {
    return fc.oneof(...alternatives.map((alternative) => shaped(alternative, context, undefined, depth + 1)));
  }
  if (schema.allOf !== undefined) return shapeOf(mergeAll(schema), context, depth);
  switch (schema.type ?? (schema.properties === undefined ? undefined : "object")) {
    case "string":
      return stringOf(schema);
    case "integer":
      return fc.integer(boundsOf(schema, -1_000, 100_000, true));
    case "number":
      return fc.double({ ...boundsOf(schema, -1_000, 100_000, false), noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(shaped(schema.items, context, undefined, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case "object":
      return objectOf(schema, context, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function mergeAll(schema: Schema): Schema {
  const parts = [schema, ...(schema.allOf ?? [])];
  return {
    type: "object",
    properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})) as Record<string, Schema>,
    required: parts.flatMap((part) => part.required ?? []),
  };
}

function boundsOf(schema: Schema, min: number, max: number, integer: boolean): { min: number; max: number } {
  const step = integer ? 1 : 1e-6;
  const low = schema.minimum === undefined ? min : schema.minimum + (schema.exclusiveMinimum === true ? step : 0);
  const high =
    schema.maximum === undefined ? Math.max(max, low) : schema.maximum - (schema.exclusiveMaximum === true ? step : 0);
  return integer ? { min: Math.ceil(low), max: Math.floor(high) } : { min: low, max: high };
}

const date = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.date({
      min: new Date("2000-01-01T00:00:00Z"),
      max: new Date("2100-01-01T00:00:00Z"),
      noInvalidDate: true,
    }),
  },
  // Anywhere JavaScript can count, far past what a database column holds.
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }) },
);

function stringOf(schema: Schema): fc.Arbitrary<string> {
  switch (schema.format) {
    case "date-time":
      return date.map((d) => d.toISOString());
    case "date":
      return date.map((d) => d.toISOString().slice(0, 10));
    case "uuid":
      return fc.uuid();
    case "uri":
    case "url":
      return fc.webUrl();
    default:
      break;
  }
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern, "u"));
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ unit: "grapheme", minLength, maxLength }),
    fc.stringMatching(/^[0-9]{1,14}$/),
  );
}

function objectOf(schema: Schema, context: FuzzContext, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length > 0) {
    const model = Object.fromEntries(
      Object.entries(properties).map(([name, child]) => [name, shaped(child, context, name, depth + 1)]),
    );
    const required = (schema.required ?? []).filter((name) => name in properties);
    return fc.record(model, { requiredKeys: required });
  }
  const values =
    typeof schema.additionalProperties === "object"
      ? shaped(schema.additionalProperties, context, undefined, depth + 1)
      : fc.jsonValue({ maxDepth: 2 });
  return fc.dictionary(fc.string({ maxLength: 12 }), values, { maxKeys: 4 });
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations of a value

type Path = ReadonlyArray<string | number>;

type Mutation =
  | { readonly kind: "replace"; readonly value: unknown }
  | { readonly kind: "delete" }
  | { readonly kind: "unknown-property"; readonly key: string; readonly value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: hostileValue.map((value): Mutation => ({ kind: "replace", value })) },
  { weight: 2, arbitrary: fc.constant<Mutation>({ kind: "delete" }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.oneof(fc.constantFrom("extra", "__proto__", "constructor", "ct:x"), hostileString), hostileValue)
      .map(([key, value]): Mutation => ({ kind: "unknown-property", key, value })),
  },
);

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (out.length > 500 || prefix.length > MAX_DEPTH + 4) return out;
  if (Array.isArray(value)) value.forEach((child, i) => pathsOf(child, [...prefix, i], out));
  else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) pathsOf(child, [...prefix, key], out);
  }
  return out;
}

function copy(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

function apply(root: unknown, path: Path, change: Mutation): unknown {
  if (path.length === 0) {
    if (change.kind === "replace") return copy(change.value);
    if (change.kind === "delete") return undefined;
  }
  const target = path
    .slice(0, change.kind === "unknown-property" ? path.length : -1)
    .reduce<unknown>(
      (node, key) => (typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined),
      root,
    );
  if (typeof target !== "object" || target === null) return root;
  const record = target as Record<string | number, unknown>;
  const last = path.at(-1);
  // Values are copied in: generated constants are shared between runs and must never be changed in place.
  if (change.kind === "unknown-property") {
    if (!Array.isArray(target)) {
      Object.defineProperty(record, change.key, { value: copy(change.value), enumerable: true, writable: true });
    }
  } else if (last !== undefined && change.kind === "replace") record[last] = copy(change.value);
  else if (last !== undefined && Array.isArray(target) && typeof last === "number") target.splice(last, 1);
  else if (last !== undefined) Reflect.deleteProperty(record, last);
  return root;
}

/** The value with one to three changes at places chosen in it: a hostile value, a deletion, an unknown member. */
export function mutated(value: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(value);
  return fc
    .array(fc.tuple(fc.constantFrom(...paths), mutation), { minLength: 1, maxLength: 3 })
    .map((changes) => changes.reduce((root, [path, change]) => apply(root, path, change), copy(value)));
}

/** Shaped values, mutated shaped values and hostile values, in proportions that keep most requests well-formed. */
export function fuzzed(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: base },
    { weight: 4, arbitrary: base.chain(mutated) },
    { weight: 1, arbitrary: hostileValue },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

/** A value in `percent` % of requests, else undefined (fc.option's `freq` is the odds of undefined, not of a value). */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> {
  return fc.oneof(
    { weight: 100 - percent, arbitrary: fc.constant(undefined) },
    { weight: percent, arbitrary: arbitrary },
  );
}

/**
 * Percent-encoding that does not give up on lone surrogates (encodeURIComponent throws): they are sent as the
 * three bytes UTF-8 would give them (WTF-8), which is not valid UTF-8, as a hostile client would send them.
 */
export function percentEncode(text: string): string {
  // Most values are well-formed: one call for the whole string (the same bytes as unit by unit, without a callback
  // per character for the 20,000-character hostile ones).
  if (text.isWellFormed()) return encodeURIComponent(text);
  return text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g, (unit) => {
    const code = unit.charCodeAt(0);
    if (unit.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join("");
    }
    return encodeURIComponent(unit);
  });
}

/** A generated value as text in a URL, a header or a form field: strings as they are, anything else as JSON. */
function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  return value === undefined ? "" : JSON.stringify(value);
}

/** Path segments no encoder makes: malformed escapes, encoded NUL and dots, overlong segments. */
const RAW_SEGMENTS = [
  "%00",
  "%",
  "%zz",
  "%E0%A4%A",
  "%C0%AE%C0%AE",
  "..",
  "%2e%2e",
  "%2F",
  "a%2Fb",
  "%20",
  "x".repeat(5_000),
];

/**
 * Hostile text for URLs and headers: at most 20,000 characters, past Node's 16 KiB limit on the request head (a 431)
 * but not so long that the client is still writing when the server closes the connection.
 */
const hostileInUrl = hostileString.map((text) => text.slice(0, 20_000));

function segment(parameter: Parameter, context: FuzzContext): fc.Arbitrary<string> {
  const value = fc
    .oneof(
      { weight: 5, arbitrary: shaped(parameter.schema, context, parameter.name) },
      { weight: 2, arbitrary: hostileInUrl },
    )
    .map((v) => percentEncode(textOf(v)));
  return fc.oneof({ weight: 8, arbitrary: value }, { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) });
}

function queryValue(parameter: Parameter, context: FuzzContext): fc.Arbitrary<string[]> {
  const one = fc
    .oneof(
      { weight: 5, arbitrary: shaped(parameter.schema, context, parameter.name) },
      { weight: 2, arbitrary: hostileInUrl },
    )
    .map((v) => textOf(v).slice(0, 20_000));
  // Repeated keys: Express hands the route an array where a string was expected.
  return fc.oneof(
    { weight: 6, arbitrary: one.map((v) => [v]) },
    { weight: 1, arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }) },
  );
}

function queryOf(parameters: readonly Parameter[], context: FuzzContext): fc.Arbitrary<string> {
  const declared = parameters.filter((p) => p.in === "query");
  // Optional parameters are mostly left out, so that a request with several still has a chance of being valid.
  const pairs = declared.map((parameter) =>
    fc.oneof(
      { weight: parameter.required === true ? 1 : 6, arbitrary: fc.constant(undefined) },
      {
        weight: 3,
        arbitrary: queryValue(parameter, context).map((values) => values.map((v) => [parameter.name, v] as const)),
      },
    ),
  );
  const unknown = sometimes(
    fc
      .tuple(fc.constantFrom("extra", "__proto__", "constructor", "a[b]", "x.y"), hostileInUrl)
      .map(([k, v]) => [[k, v] as const]),
    10,
  );
  const raw = sometimes(fc.constantFrom("%", "%zz", "a=%E0%A4%A", "=", "&&", "a"), 5);
  return fc.tuple(fc.tuple(...pairs, unknown), raw).map(([groups, rawPart]) => {
    const encoded = groups.flatMap((group) => group ?? []).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`);
    const all = [...encoded, ...(rawPart === undefined ? [] : [rawPart])];
    return all.length === 0 ? "" : `?${all.join("&")}`;
  });
}

/** Header values a client can send at all (Node refuses control characters and non-Latin-1). */
const headerSafe = (value: string): string => value.replace(/[^\x20-\x7e]/g, "?").slice(0, 8_000);

function headersOf(parameters: readonly Parameter[], context: FuzzContext): fc.Arbitrary<Record<string, string>> {
  const declared = parameters
    .filter((p) => p.in === "header")
    .map((parameter) =>
      sometimes(
        fc
          .oneof(shaped(parameter.schema, context, parameter.name), hostileInUrl)
          .map((v) => [parameter.name, headerSafe(textOf(v))] as const),
        30,
      ),
    );
  const accept = sometimes(
    fc.constantFrom("application/json", "text/html", "application/linkset+json", "*/*", "image/png", "garbage/;;q=x"),
    30,
  );
  const language = sometimes(fc.constantFrom("zh-CN", "en;q=0.5, zh;q=1", "*", "x;q=abc", ","), 20);
  const host = sometimes(fc.constantFrom("a b", "example.com:99999", "[::1", "évil.example", ""), 5);
  return fc.tuple(fc.tuple(...declared), accept, language, host).map(([pairs, a, l, h]) => ({
    ...Object.fromEntries(pairs.filter((pair) => pair !== undefined)),
    ...(a === undefined ? {} : { accept: a }),
    ...(l === undefined ? {} : { "accept-language": headerSafe(l) }),
    ...(h === undefined ? {} : { host: headerSafe(h) }),
  }));
}

interface Body {
  readonly contentType?: string;
  readonly body?: string;
}

const WRONG_CONTENT_TYPES = [
  "text/plain",
  "application/xml",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "application/json; charset=latin1",
  "application/octet-stream",
  "application/ld+json",
  "image/png",
];

/** Bodies no serialiser makes; the deep ones are text because building them as values overflows the stack. */
const BROKEN_JSON = [
  '{"a":',
  "\u00ff\u00fe",
  "[".repeat(100_000),
  `${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`,
  "",
  '{"a":1}{"b":2}',
  "nul\u0000",
  "\ufeff{}",
];

function encode(contentType: string, value: unknown): string {
  if (contentType.startsWith("application/x-www-form-urlencoded") && typeof value === "object" && value !== null) {
    return new URLSearchParams(Object.entries(value).map(([k, v]): [string, string] => [k, textOf(v)])).toString();
  }
  return value === undefined ? "" : JSON.stringify(value);
}

/** Past every body limit (4 MiB by default). */
const OVERSIZE_BODY = `"${"x".repeat(4.5 * 1024 * 1024)}"`;

const BOUNDARY = "fuzzboundary7MA4YWxkTrZu0gW";
const PNG = "\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR";

function multipartOf(): fc.Arbitrary<Body> {
  const part = fc.record({
    field: fc.constantFrom("file", "file", "file", "other", ""),
    filename: fc.oneof(fc.constantFrom("ticket.txt", "photo.png", "a.pdf"), hostileString.map(headerSafe)),
    type: fc.constantFrom("text/plain", "image/png", "application/pdf", "application/json", "text/html", "x/y", ""),
    content: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom(PNG, "%PDF-1.7\n", "{}", "\u0000\u0001")),
  });
  return fc.array(part, { minLength: 0, maxLength: 2 }).map((parts) => ({
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body:
      parts
        .map(
          (p) =>
            `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.field}"; filename="${p.filename.replace(/"/g, "")}"\r\n` +
            `${p.type === "" ? "" : `Content-Type: ${p.type}\r\n`}\r\n${p.content}\r\n`,
        )
        .join("") + `--${BOUNDARY}--\r\n`,
  }));
}

/** The media types an operation is sent bodies in: those it declares, or JSON for a write that declares none. */
function bodyMediaOf(operation: Operation): Array<[string, MediaType]> {
  const declared = Object.entries(operation.requestBody?.content ?? {});
  const writes = ["post", "put", "patch"].includes(operation.method);
  if (declared.length === 0 && !writes) return [];
  return declared.length === 0 ? [["application/json", {}]] : declared;
}

function bodyOf(operation: Operation, context: FuzzContext): fc.Arbitrary<Body> {
  const media = bodyMediaOf(operation);
  if (media.length === 0) return fc.constant({});
  const seeds = context.seeds[operation.operationId] ?? [];
  const variants = media.map(([contentType, { schema }]) => {
    if (contentType.startsWith("multipart/")) return multipartOf();
    const base = fc.oneof(
      { weight: 3, arbitrary: shaped(schema, context) },
      ...(seeds.length === 0 ? [] : [{ weight: 4, arbitrary: fc.constantFrom(...seeds) }]),
    );
    return fc.oneof(
      { weight: 12, arbitrary: fuzzed(base).map((value) => ({ contentType, body: encode(contentType, value) })) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom(...WRONG_CONTENT_TYPES), base)
          .map(([type, value]) => ({ contentType: type, body: encode(type, value) })),
      },
      { weight: 2, arbitrary: fc.constantFrom(...BROKEN_JSON).map((body) => ({ contentType, body })) },
      { weight: 1, arbitrary: fc.constant<Body>({}) },
    );
  });
  return fc.oneof(...variants);
}

/** The path with each `{name}` of the given path parameters replaced by the value given for it. */
function filledPath(
  path: string,
  parameters: readonly Parameter[],
  valueOf: (parameter: Parameter, index: number) => string,
): string {
  return parameters.reduce((built, parameter, i) => built.replace(`{${parameter.name}}`, valueOf(parameter, i)), path);
}

/** Requests for one operation: its path and query filled, headers, a body, and one of the identities. */
export function requestsFor(operation: Operation, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const pathParameters = operation.parameters.filter((p) => p.in === "path");
  const path = fc
    .tuple(...pathParameters.map((parameter) => segment(parameter, context)))
    .map((values) => filledPath(operation.path, pathParameters, (_, i) => values[i] ?? ""));
  return fc
    .record({
      identity: fc.constantFrom(...Object.keys(context.identities)),
      path,
      query: queryOf(operation.parameters, context),
      headers: headersOf(operation.parameters, context),
      body: bodyOf(operation, context),
    })
    .map(({ identity, path: filled, query, headers, body }) => ({
      identity,
      method: operation.method,
      url: `${filled}${query}`,
      headers: {
        ...headers,
        ...context.identities[identity],
        ...(body.contentType === undefined ? {} : { "content-type": body.contentType }),
      },
      ...(body.body === undefined ? {} : { body: body.body }),
    }));
}

/**
 * One request per media type an operation takes a body in (multipart has limits of its own), with a body past
 * every body limit (4 MiB by default), known path values and no other oddity: sent once each rather than mixed
 * into the generated requests, where each would cost the parser its full read again.
 */
export function oversizeRequestsFor(operation: Operation, context: FuzzContext, identity: string): FuzzRequest[] {
  const url = filledPath(
    operation.path,
    operation.parameters.filter((p) => p.in === "path"),
    (parameter) => percentEncode(context.known[parameter.name]?.[0] ?? "1"),
  );
  return bodyMediaOf(operation)
    .filter(([contentType]) => !contentType.startsWith("multipart/"))
    .map(([contentType]) => ({
      identity,
      method: operation.method,
      url,
      headers: { ...context.identities[identity], "content-type": contentType },
      body: OVERSIZE_BODY,
    }));
}

/** A request as a failure report shows it: long strings cut, so that the report stays readable. */
export function summarise(request: FuzzRequest): Record<string, unknown> {
  const cut = (text: string): string =>
    text.length <= 300 ? text : `${text.slice(0, 300)}… (${String(text.length)} chars)`;
  return {
    identity: request.identity,
    method: request.method.toUpperCase(),
    url: cut(request.url),
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([k, v]) => [k, k === "authorization" ? `${v.slice(0, 12)}…` : cut(v)]),
    ),
    ...(request.body === undefined ? {} : { body: cut(request.body) }),
  };
}
