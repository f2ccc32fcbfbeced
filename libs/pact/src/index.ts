export { criteriaFromEventData, criteriaFromQuery, isUnfiltered, type FootprintCriteria } from "./criteria.js";
export { pactDecimal } from "./decimal.js";
export {
  PACT_EVENT_TYPES,
  parsePactEvent,
  requestFulfilledEvent,
  requestRejectedEvent,
  type PactCloudEvent,
  type PactError,
  type PactEventType,
} from "./events.js";
export { PROOF_EXTENSION_SCHEMA } from "./extension-schema.js";
export {
  PACT_SPEC_VERSION,
  toProductFootprint,
  type CarbonContent,
  type FootprintPublication,
  type PactCarbonFootprint,
  type PactDataModelExtension,
  type PactProductFootprint,
  type ProofLinks,
} from "./product-footprint.js";
export { areasOfRegion, expandGeography, PACT_REGIONS } from "./regions.js";
export { lotProductIds } from "./product-ids.js";
