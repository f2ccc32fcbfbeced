import { existsSync, readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import formatsModule from "ajv-formats";
import { parse } from "yaml";
import { conformancePath } from "./conformance.js";

/** The PACT Technical Specifications v3 OpenAPI document of this workplace (not redistributable: never copied here). */
export const PACT_V3_OPENAPI = conformancePath("pact", "v3", "openapi.yaml");
export const HAS_PACT_V3 = existsSync(PACT_V3_OPENAPI);

export type Validate = (value: unknown) => string[];

/**
 * Validates against a component schema of the official PACT v3 OpenAPI document (JSON Schema 2020-12, as
 * OpenAPI 3.1 uses), with its `decimal` and `urn` formats; returns the problems (empty: valid).
 */
export function pactV3Validator(component: string): Validate {
  const document = parse(readFileSync(PACT_V3_OPENAPI, "utf8")) as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  formatsModule.default(ajv);
  ajv.addFormat("decimal", /^[+-]?\d+(\.\d+)?$/);
  ajv.addFormat("urn", /^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$/i);
  ajv.addSchema({ ...document, $id: "https://pact.test/openapi.json" });
  const validate = ajv.getSchema(`https://pact.test/openapi.json#/components/schemas/${component}`);
  if (validate === undefined) throw new Error(`no component ${component} in ${PACT_V3_OPENAPI}`);
  return (value) =>
    validate(value)
      ? []
      : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message ?? e.keyword}`);
}
