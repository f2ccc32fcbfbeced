export { epcisDocument, lotUri, type EvidenceLinks } from "./document-parts.js";
export {
  BOX_MASS_KG,
  RPET_FLOWS,
  RPET_GTINS,
  RPET_PARTICIPANTS,
  rpetDocuments,
  rpetLots,
  withCheckDigit,
  type RpetLots,
  type ScenarioParticipant,
} from "./rpet.js";
export {
  PLUSH_FLOWS,
  PLUSH_GTINS,
  PLUSH_PARTICIPANTS,
  plushDocuments,
  plushEvidenceDocuments,
  plushLots,
  type PlushLots,
} from "./plush-toy.js";
export { rpetEvidenceDocuments, type EvidenceDocument, type EvidenceKind, type EvidenceSlot } from "./evidence.js";
export { fileKeys, type ParticipantKeys } from "./keys.js";
export {
  BASELINE,
  PLUSH_TOY_SCENARIO,
  RPET_PRODUCT,
  RPET_SCENARIO,
  SCENARIOS,
  runRpetScenario,
  runScenario,
  waitAnchored,
  type EnrolledParticipant,
  type ParticipantKey,
  type ScenarioDefinition,
  type ScenarioOptions,
  type ScenarioResult,
  type UploadedEvidence,
} from "./run.js";
export {
  DEMO_CREDITS,
  journeyOf,
  runJourney,
  runNamedJourney,
  runRpetJourney,
  verifyAsCertifier,
  type JourneyResult,
  type JourneyView,
  type Retirement,
} from "./journey.js";
