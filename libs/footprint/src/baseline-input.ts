import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { DomainError } from "#common";
import type { BaselineScenario } from "./model.js";

const positive = { type: "number", exclusiveMinimum: 0, maximum: 1e12 };
const text = { type: "string", minLength: 1, maxLength: 200 };
const sourced = { basis: { enum: ["measured", "calculated", "estimated"] }, factorId: text };

/** JSON Schema of a baseline declaration: activities per declared unit, in the engine's shapes. */
export const BASELINE_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["description", "year", "activities"],
  properties: {
    description: { type: "string", minLength: 1, maxLength: 1000 },
    year: { type: "integer", minimum: 1990, maximum: 2100 },
    activities: {
      type: "array",
      minItems: 1,
      maxItems: 200,
      items: {
        oneOf: [
          {
            type: "object",
            additionalProperties: false,
            required: ["kind", "kWh", "gridRegion"],
            properties: {
              kind: { const: "electricity" },
              kWh: positive,
              gridRegion: text,
              renewable: { type: "boolean" },
              ...sourced,
            },
          },
          {
            type: "object",
            additionalProperties: false,
            required: ["kind", "fuelType", "amount", "unit"],
            properties: {
              kind: { const: "fuel" },
              fuelType: text,
              amount: positive,
              unit: { enum: ["L", "kg", "t", "m3", "kWh"] },
              region: text,
              ...sourced,
            },
          },
          {
            type: "object",
            additionalProperties: false,
            required: ["kind", "mode", "distanceKm", "massKg"],
            properties: {
              kind: { const: "transport" },
              mode: { enum: ["road", "rail", "sea", "inland_waterway", "air"] },
              vehicle: text,
              distanceKm: positive,
              massKg: positive,
              region: text,
              ...sourced,
            },
          },
          {
            type: "object",
            additionalProperties: false,
            required: ["kind", "material", "origin", "massKg"],
            properties: {
              kind: { const: "material" },
              material: text,
              origin: { enum: ["virgin", "recycled"] },
              massKg: positive,
              region: text,
              ...sourced,
            },
          },
        ],
      },
    },
  },
} as const;

interface DeclaredBaseline {
  readonly description: string;
  readonly year: number;
  readonly activities: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

let compiled: ValidateFunction<DeclaredBaseline> | undefined;

/**
 * Compiled on first use, not when the module loads: ajv compiles to code with `new Function`, which the journey
 * page's Content Security Policy forbids, and the page imports this library without ever parsing a baseline.
 */
function validator(): ValidateFunction<DeclaredBaseline> {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile<DeclaredBaseline>(BASELINE_SCHEMA);
  return compiled;
}

/**
 * A baseline as declared (e.g. the same box from virgin PET with grid power): checked against the schema, with
 * amounts that have no `basis` read as estimated (a baseline is a scenario, not a measurement).
 */
export function parseBaselineScenario(value: unknown): BaselineScenario {
  const validate = validator();
  if (!validate(value)) {
    const errors = (validate.errors ?? []).map(describe);
    throw new DomainError(
      "FOOTPRINT.BASELINE_INVALID",
      "invalid",
      `The baseline is not valid: ${errors.slice(0, 5).join("; ")}`,
      {
        errors,
      },
    );
  }
  const scenario: DeclaredBaseline = value;
  return {
    description: scenario.description,
    year: scenario.year,
    activities: scenario.activities.map(
      (activity) => ({ basis: "estimated", ...activity }) as unknown as BaselineScenario["activities"][number],
    ),
  };
}

function describe(error: ErrorObject): string {
  return `${error.instancePath === "" ? "/" : error.instancePath} ${error.message ?? error.keyword}`;
}
