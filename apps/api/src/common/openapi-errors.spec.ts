import { describe, expect, it } from "@jest/globals";
import type { OpenAPIObject, OperationObject } from "@nestjs/swagger";
import { declareErrorResponses, errorStatusesOf } from "./openapi-errors.js";

const operation = (extra: Partial<OperationObject> = {}): OperationObject => ({
  responses: { "200": { description: "" } },
  ...extra,
});

describe("errorStatusesOf", () => {
  it("declares what every route can answer, and more for protected routes, lookups and writes", () => {
    expect(errorStatusesOf("get", operation(), { access: "public", produces: [] })).toEqual([400, 401, 429, 431]);
    const lookup = operation({ parameters: [{ name: "id", in: "path", required: true }] });
    expect(errorStatusesOf("get", lookup, { access: "admin", produces: [] })).toEqual([400, 401, 403, 404, 429, 431]);
    expect(errorStatusesOf("post", operation(), { access: "participant", produces: [] })).toEqual([
      400, 401, 403, 409, 413, 415, 429, 431,
    ]);
  });
});

describe("declareErrorResponses", () => {
  const document = (op: OperationObject): OpenAPIObject => ({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: { "/x": { get: op } },
    components: {},
  });

  it("adds problem+json to a route's own declaration and keeps its own format beside it", () => {
    const own = operation({
      responses: {
        "200": { description: "" },
        "400": { description: "PACT error", content: { "application/json": { schema: { type: "object" } } } },
      },
    });
    const done = declareErrorResponses(document(own), () => ({ access: "pact", produces: [] }));
    const answer = done.paths["/x"]?.get?.responses["400"] as { description: string; content: object };
    expect(Object.keys(answer.content)).toEqual(["application/problem+json", "application/json"]);
    expect(answer.description).toMatch(/: PACT error$/);
    expect(done.components?.schemas?.Problem).toBeDefined();
  });

  it("declares HTML error pages for routes that produce HTML, and no security on public routes", () => {
    const page = operation({ security: [{ bearer: [] }] });
    const done = declareErrorResponses(document(page), () => ({ access: "public", produces: ["text/html"] }));
    const get = done.paths["/x"]?.get;
    expect(Object.keys((get?.responses["400"] as { content: object }).content)).toContain("text/html");
    expect(get?.security).toBeUndefined();
  });
});
