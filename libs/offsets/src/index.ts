/**
 * Carbon offsets for labels: registry serials of retired credits (parse, validate, split, overlap), the claim a
 * lot may make from its footprint, baseline and retired offsets, with consumer wording in English and Chinese,
 * and everyday equivalents of an amount of CO2e. Pure code: it runs in the API, the CLI and the browser.
 */
export {
  assessClaim,
  type Claim,
  type ClaimAmounts,
  type ClaimDisplay,
  type ClaimInput,
  type ClaimStatus,
} from "./claim.js";
export { gramsToKg, kgToGrams } from "./grams.js";
export { offsetLotKey } from "./lot-key.js";
export { claimText, type ClaimBasis, type ClaimLanguage, type ClaimText } from "./claim-text.js";
export {
  REGISTRIES,
  formatSerial,
  parseCreditSerial,
  rangesOverlap,
  splitRange,
  subRange,
  type CreditSerialRange,
  type ParseSerialOptions,
  type Registry,
  type SerialRangeLike,
} from "./credit-serial.js";
export {
  DEFAULT_EQUIVALENCE_FACTORS,
  LIGHT_BULB_KWH_PER_HOUR,
  TREE_DAYS,
  equivalentsOf,
  type EquivalenceFactors,
  type Equivalent,
  type EquivalentKind,
  type FactorSource,
} from "./equivalents.js";
