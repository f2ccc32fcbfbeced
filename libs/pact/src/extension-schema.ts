/**
 * JSON Schema of the CarbonTrace proof extension carried by every ProductFootprint (PACT Data Model
 * Extension, `dataSchema`): where the lot's proof bundle and the calculation behind the numbers are.
 */
export const PROOF_EXTENSION_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "CarbonTrace proof extension 1.0.0",
  description:
    "Links a PACT ProductFootprint to the lot it was computed for, the lot's proof bundle (events, signatures, Merkle proofs and ledger anchors a recipient can verify offline) and the calculation behind the numbers.",
  type: "object",
  required: [
    "lot",
    "proofBundle",
    "calculation",
    "factorLibraryVersion",
    "anchored",
    "eventCount",
    "totalKgCO2e",
    "stages",
  ],
  properties: {
    lot: { type: "string", format: "uri", description: "GS1 Digital Link URI of the lot" },
    proofBundle: {
      type: "string",
      format: "uri",
      description: "URL of the lot's proof bundle (verify with `npx carbontrace verify`)",
    },
    calculation: {
      type: "string",
      format: "uri",
      description: "URL of the calculation: every contribution, factor and source",
    },
    factorLibraryVersion: { type: "string", description: "Version of the emission factor library used" },
    anchored: {
      type: "boolean",
      description: "Every event behind the footprint was anchored on the ledger at publication",
    },
    eventCount: { type: "integer", minimum: 0 },
    totalKgCO2e: { type: "string", pattern: "^[+-]?\\d+(\\.\\d+)?$", description: "Footprint of the whole lot" },
    stages: {
      type: "array",
      items: {
        type: "object",
        required: ["stage", "kgCO2ePerDeclaredUnit"],
        properties: {
          stage: { type: "string", description: "role/business step of the events the emissions belong to" },
          kgCO2ePerDeclaredUnit: { type: "string", pattern: "^[+-]?\\d+(\\.\\d+)?$" },
        },
      },
    },
  },
} as const;
