export { add, compare, decimal, negate, sum, toText, ZERO, type Decimal } from "./decimal.js";
export { parseDocument, type EpcisEvent, type ParsedDocument } from "./document.js";
export { EpcisSchemaValidator, type SchemaProblem } from "./epcis-schema-validator.js";
export { canonicalIdentifier, lotOf, productClassOf, type LotIdentifier } from "./identifiers.js";
export {
  applyDeltas,
  custodyActionsOf,
  emptyCustody,
  glnOf,
  locationGlnsOf,
  receiverOf,
  stepCustody,
  type CustodyAction,
  type CustodyContext,
  type CustodyDelta,
  type CustodyStep,
  type Holding,
  type LotCustody,
} from "./custody.js";
export { checkYield, lotMovementsOf, type Direction, type LotMovement } from "./lot-movements.js";
export {
  combinedMovement,
  mergedMovements,
  stepLotBalance,
  unknownLot,
  type LotBalance,
  type RecordedMovement,
} from "./lot-balance.js";
export {
  checkEventCount,
  expandCbv,
  prepareEvents,
  type EventReference,
  type EventSummary,
  type PreparedEvent,
} from "./prepare.js";
export {
  PARTICIPANT_ROLES,
  PROCESSES_OF,
  roleFor,
  rolesAllowedFor,
  SUPPLY_CHAIN_ROLES,
  type ParticipantRole,
  type SupplyChainRole,
} from "./role-policy.js";
export { isMassUnit, normaliseQuantity, type NormalisedQuantity, type TrackedUnit } from "./units.js";
export {
  BASES,
  CT_NAMESPACE,
  CT_PREFIX,
  EXTENSION_CONTEXT,
  EXTENSION_SCHEMA,
  evidenceCidsOf,
  PROCESSES,
  readExtension,
  TRANSPORT_MODES,
  type Activity,
  type Basis,
  type CarbonTraceExtension,
  type ElectricityUse,
  type EvidenceLink,
  type FuelUse,
  type MaterialInput,
  type Process,
  type TransportLeg,
  type UnitMass,
} from "./vocabulary.js";
export { extensionValidatorSource } from "./extension-validator-source.js";
export { captureDocumentFromXml } from "./xml-binding.js";
export {
  producedLotDocument,
  receivedLotDocument,
  shippedLotDocument,
  storedLotDocument,
  transformedLotDocument,
  zoneOffsetAt,
  type LotQuantity,
  type ProducedLotStep,
  type ReceivedLotStep,
  type ShippedLotStep,
  type SpokenUnit,
  type StepCircumstances,
  type StoredLotStep,
  type TransformedLotStep,
  type TransportMode,
} from "./step-document.js";
