export {
  BOX_MASS_KG,
  RPET_GTINS,
  RPET_PARTICIPANTS,
  epcisDocument,
  lotUri,
  rpetDocuments,
  rpetLots,
  withCheckDigit,
  type RpetLots,
  type ScenarioParticipant,
} from "./rpet.js";
export { BASELINE, runRpetScenario, type ScenarioOptions, type ScenarioResult } from "./run.js";
