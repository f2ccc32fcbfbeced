import type { OpenAPIObject, OperationObject, ReferenceObject, ResponseObject, SchemaObject } from "@nestjs/swagger";
import type { Access } from "../auth/principal.js";
import { PROBLEM_CONTENT_TYPE, titleOf } from "./problem-details.js";

const PROBLEM_REF = "#/components/schemas/Problem";

/** RFC 9457 problem details as ProblemDetailsFilter writes them: the members, our `code`, and extensions. */
export const PROBLEM_SCHEMA: SchemaObject = {
  type: "object",
  description:
    "RFC 9457 problem details. Branch on `code` (stable; listed in docs/problems.md), not on `detail` or `title`. " +
    "Further members carry what the code needs, e.g. `errors` for REQUEST.VALIDATION_FAILED.",
  required: ["type", "title", "status", "detail", "code"],
  properties: {
    type: { type: "string", example: "tag:carbontrace.org,2026:problem:REQUEST.VALIDATION_FAILED" },
    title: { type: "string", example: "Bad Request" },
    status: { type: "integer", minimum: 400, maximum: 599, example: 400 },
    detail: { type: "string", example: "organisation: organisation must be a string" },
    code: { type: "string", minLength: 1, example: "REQUEST.VALIDATION_FAILED" },
    instance: { type: "string", description: "The request's path and query", example: "/participants" },
    errors: {
      type: "array",
      description: "REQUEST.VALIDATION_FAILED: each refused field and why",
      items: {
        type: "object",
        required: ["field", "problems"],
        properties: { field: { type: "string" }, problems: { type: "array", items: { type: "string" } } },
      },
    },
  },
  additionalProperties: true,
};

/** What a route is, as far as the errors it can answer go. */
export interface RouteFacts {
  /** Who may call it (the route's @Allow level); undefined when the route was not found among the controllers. */
  readonly access: Access | undefined;
  /** Media types it declares with @ApiProduces: a route that produces text/html serves browsers error pages too. */
  readonly produces: readonly string[];
}

const WHY: Readonly<Record<number, string>> = {
  400: "The request is malformed or fails validation (NUL characters, lone surrogates, nesting, types, ranges)",
  401: "Credentials are missing, unknown or revoked (any route refuses credentials it cannot verify)",
  403: "The caller may not do this",
  404: "What the request names does not exist",
  409: "The request conflicts with what is stored or recorded on the ledger",
  413: "The body is larger than the service accepts",
  415: "The body's content type is not one this route reads",
  429: "Too many failed authentications from this address; see Retry-After",
  431: "The request line and headers exceed 16 KiB (e.g. an overlong path or query)",
};

/** The 4xx statuses a route can answer, from what every route shares and what this one has. */
export function errorStatusesOf(method: string, operation: OperationObject, facts: RouteFacts): number[] {
  const statuses = [400, 401, 429, 431];
  if (facts.access !== "public") statuses.push(403);
  // A route that names something (in its path or query) can find it missing.
  const parameters = (operation.parameters ?? []).filter(
    (p): p is Exclude<typeof p, ReferenceObject> => !("$ref" in p),
  );
  if (parameters.some((parameter) => parameter.in === "path" || parameter.in === "query")) statuses.push(404);
  const writes = method !== "get" && method !== "head" && method !== "options";
  if (writes) statuses.push(409, 413, 415);
  return statuses.sort((a, b) => a - b);
}

function problemContent(): NonNullable<ResponseObject["content"]> {
  return { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: PROBLEM_REF } } };
}

/**
 * The error answers, declared on every operation in one pass: each 4xx status the route can give as
 * problem+json (merged into what a route declares itself, e.g. PACT's own error format, since requests refused
 * before the route is reached are problem+json there too), and `default` for server errors. Routes whose success
 * is an HTML page answer browsers' 400 and 404 with a page as well.
 */
export function declareErrorResponses(
  document: OpenAPIObject,
  factsOf: (operationId: string | undefined) => RouteFacts,
): OpenAPIObject {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA },
  };
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item) as Array<[string, unknown]>) {
      if (!isOperation(method, operation)) continue;
      declareOn(method, operation, factsOf(operation.operationId));
    }
  }
  return document;
}

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

function isOperation(method: string, value: unknown): value is OperationObject {
  return METHODS.has(method) && typeof value === "object" && value !== null;
}

function declareOn(method: string, operation: OperationObject, facts: RouteFacts): void {
  const html = facts.produces.includes("text/html") || servesHtml(operation);
  for (const status of errorStatusesOf(method, operation, facts)) {
    const declared = operation.responses[String(status)] as ResponseObject | undefined;
    const content = {
      ...problemContent(),
      ...(html && (status === 400 || status === 404) ? { "text/html": { schema: { type: "string" } } } : {}),
      ...declared?.content,
    };
    operation.responses[String(status)] = {
      ...declared,
      description: describe(status, declared?.description),
      content,
      ...headersOf(status, declared),
    };
  }
  operation.responses.default ??= {
    description: "A server error (500, or 503 while a dependency is down), as problem+json that reveals nothing",
    content: problemContent(),
  };
  // The security requirement follows the access level the guard enforces, whatever the class decorators said.
  if (facts.access === "public") delete operation.security;
  else if (facts.access !== undefined && facts.access !== "pact") operation.security ??= [{ bearer: [] }];
}

function describe(status: number, declared: string | undefined): string {
  const why = WHY[status] ?? titleOf(status);
  return declared === undefined || declared === "" ? why : `${why}: ${declared}`;
}

const HEADERS: Readonly<Record<number, NonNullable<ResponseObject["headers"]>>> = {
  401: { "WWW-Authenticate": { description: "The scheme to authenticate with", schema: { type: "string" } } },
  429: { "Retry-After": { description: "Seconds until the address may try again", schema: { type: "integer" } } },
};

function headersOf(status: number, declared: ResponseObject | undefined): Pick<ResponseObject, "headers"> {
  const extra = HEADERS[status];
  return extra === undefined && declared?.headers === undefined ? {} : { headers: { ...extra, ...declared?.headers } };
}

function servesHtml(operation: OperationObject): boolean {
  return Object.entries(operation.responses).some(
    ([status, response]) =>
      status.startsWith("2") &&
      response !== undefined &&
      "content" in response &&
      response.content?.["text/html"] !== undefined,
  );
}
