import { existsSync } from "node:fs";
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
