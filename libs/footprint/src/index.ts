/**
 * The product carbon footprint engine (ISO 14067, GHG Protocol Product Standard, exported as PACT v3): emission
 * factors from the curated CSV, the factor choice rules, lot footprints over the lot graph, baselines and
 * reduction suggestions. Pure code: it runs in the API, the CLI and the browser.
 */
export { compareWithBaseline, suggestReductions } from "./baseline.js";
export { BASELINE_SCHEMA, parseBaselineScenario } from "./baseline-input.js";
export { carbonContentOf, carbonFractionOf, POLYMER_NAMES, type Polymer } from "./carbon-content.js";
export {
  BUILT_IN_FACTORS,
  FACTOR_CLASSIFICATION,
  RECYCLED_CUT_OFF_ID,
  RENEWABLE_EAC_ID,
  classifiedActivityOf,
  type Classification,
} from "./classification.js";
export { FACTOR_CSV_COLUMNS, parseCsv, parseFactorsCsv, type ParsedFactors, type SkippedRow } from "./csv.js";
export {
  GENERIC_TRANSPORT_KEYS,
  activityKeyOf,
  activityRegionOf,
  amountIn,
  chooseFactor,
  usableUnits,
  type ChoiceContext,
  type FactorChoice,
} from "./factor-choice.js";
export { factorFromInput, type FactorInput } from "./factor-input.js";
export { createFactorLibrary, librarySha256, type StoredFactorContent } from "./library.js";
export { bareBizStep, computeLotFootprint, stageOf } from "./lot-footprint.js";
export type {
  Activity,
  ActivityUnit,
  BaselineScenario,
  Basis,
  Comparison,
  Contribution,
  ElectricityActivity,
  EmissionFactor,
  FactorLibrary,
  FootprintEvent,
  FootprintGraph,
  FootprintLot,
  FootprintResult,
  FuelActivity,
  MaterialActivity,
  StageResult,
  Suggestion,
  TransportActivity,
} from "./model.js";
export { PROXY_RULES, type ProxyRule } from "./proxy-rules.js";
export { recycledContentOf, type RecycledContent } from "./recycled-content.js";
export { geographicalDqr, temporalDqr } from "./regions.js";
export { parseFactorUnit, type FactorUnit } from "./units.js";
export {
  MODEL_ROLES,
  PEER_MINIMUM,
  PRODUCT_MODEL_SCHEMA,
  STEP_KINDS,
  checkIntensities,
  intensityWarning,
  modelStageOf,
  parseProductModel,
  reviewIntensities,
  type ExpectedActivity,
  type IntensityCheck,
  type PeerFigures,
  type ReviewedIntensity,
  type StageOutput,
  type Localized,
  type ModelRole,
  type ModelStage,
  type ProductModel,
  type StepKind,
} from "./product-model.js";
export {
  BUILT_IN_MODELS,
  PLUSH_TOY_MODEL,
  RPET_BOTTLE_TO_BOTTLE_MODEL,
  RPET_STORAGE_BOX_MODEL,
} from "./product-models.js";
