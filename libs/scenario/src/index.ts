export {
  BOX_MASS_KG,
  RPET_FLOWS,
  RPET_GTINS,
  RPET_PARTICIPANTS,
  epcisDocument,
  lotUri,
  rpetDocuments,
  rpetLots,
  withCheckDigit,
  type EvidenceLinks,
  type RpetLots,
  type ScenarioParticipant,
} from "./rpet.js";
export { rpetEvidenceDocuments, type EvidenceDocument, type EvidenceKind, type EvidenceSlot } from "./evidence.js";
export { fileKeys, type ParticipantKeys } from "./keys.js";
export {
  BASELINE,
  runRpetScenario,
  waitAnchored,
  type EnrolledParticipant,
  type ParticipantKey,
  type ScenarioOptions,
  type ScenarioResult,
  type UploadedEvidence,
} from "./run.js";
export {
  DEMO_CREDITS,
  RPET_PRODUCT,
  journeyOf,
  runRpetJourney,
  verifyAsCertifier,
  type JourneyResult,
  type JourneyView,
  type Retirement,
} from "./journey.js";
