import { describe, expect, it } from "@jest/globals";
import { BASELINE_SCHEMA } from "#footprint";
import { toOpenApi30Schema } from "./openapi-dialect.js";

describe("toOpenApi30Schema", () => {
  it("states JSON Schema 2020-12 keywords in OpenAPI 3.0's dialect, in nested schemas too", () => {
    const schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: {
        kind: { const: "fuel" },
        amount: { type: "number", exclusiveMinimum: 0, maximum: 1e12 },
        note: { type: ["string", "null"], examples: ["a", "b"] },
        items: { type: "array", items: { oneOf: [{ const: 1 }, { type: "integer", exclusiveMaximum: 10 }] } },
      },
    };
    expect(toOpenApi30Schema(schema)).toEqual({
      type: "object",
      properties: {
        kind: { enum: ["fuel"] },
        amount: { type: "number", minimum: 0, exclusiveMinimum: true, maximum: 1e12 },
        note: { type: "string", nullable: true, example: "a" },
        items: {
          type: "array",
          items: { oneOf: [{ enum: [1] }, { type: "integer", maximum: 10, exclusiveMaximum: true }] },
        },
      },
    });
  });

  it("keeps the tighter bound when an inclusive and an exclusive one are both given", () => {
    expect(toOpenApi30Schema({ type: "number", minimum: 5, exclusiveMinimum: 0 })).toEqual({
      type: "number",
      minimum: 5,
    });
    expect(toOpenApi30Schema({ type: "number", minimum: 0, exclusiveMinimum: 5 })).toEqual({
      type: "number",
      minimum: 5,
      exclusiveMinimum: true,
    });
  });

  it("leaves no 2020-12 keyword in the baseline schema the footprint lib validates with", () => {
    const text = JSON.stringify(toOpenApi30Schema(BASELINE_SCHEMA));
    expect(text).not.toMatch(/"const"|"exclusiveMinimum":\d/);
  });
});
