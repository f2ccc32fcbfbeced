import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
 * The EPCIS schema tests run the service with: the official one when the conformance data is here, else a small
 * structural stand-in (document shape, event basics), so that capture is testable in any clone. Tests of the
 * official schema's own rules use describeWithConformance.
 */
export function epcisSchemaForTests(): string {
  if (existsSync(OFFICIAL_EPCIS_SCHEMA)) return OFFICIAL_EPCIS_SCHEMA;
  const path = join(tmpdir(), "carbontrace-epcis-schema-stand-in.json");
  writeFileSync(path, JSON.stringify(STAND_IN_SCHEMA));
  return path;
}

const STAND_IN_SCHEMA = {
  $id: "https://carbontrace.test/EPCIS-JSON-Schema-stand-in.json",
  $comment: "Test stand-in for the GS1 EPCIS 2.0 JSON Schema when ../shared/conformance is absent.",
  type: "object",
  required: ["@context", "type", "schemaVersion", "creationDate", "epcisBody"],
  properties: {
    type: { enum: ["EPCISDocument", "EPCISQueryDocument"] },
    epcisBody: {
      type: "object",
      properties: {
        eventList: {
          type: "array",
          items: {
            type: "object",
            required: ["type", "eventTime", "eventTimeZoneOffset"],
            properties: {
              eventTime: { type: "string", format: "date-time" },
              eventTimeZoneOffset: { type: "string", pattern: "^[+-]\\d{2}:\\d{2}$" },
            },
          },
        },
      },
    },
  },
  definitions: {},
};
