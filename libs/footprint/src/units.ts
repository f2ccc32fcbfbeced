import type { ActivityUnit } from "./model.js";

/** A factor's unit once normalised: what it is per, and how many kg of gas per one of that. */
export interface FactorUnit {
  readonly perUnit: ActivityUnit;
  readonly kgPerUnit: number;
  readonly gas: "CO2e" | "CO2";
}

/** Exact definitions (NIST SP 811): the international mile, the short ton, the US liquid gallon, the cubic foot. */
export const KM_PER_MILE = 1.609344;
export const TONNES_PER_SHORT_TON = 0.90718474;
export const LITRES_PER_US_GALLON = 3.785411784;
export const CUBIC_METRES_PER_SCF = 0.0283168466;
/** 1 short ton-mile = 0.90718474 t × 1.609344 km ≈ 1.4599723 t.km. */
export const TONNE_KM_PER_SHORT_TON_MILE = TONNES_PER_SHORT_TON * KM_PER_MILE;
/** 1 mmBtu (10⁶ IT Btu = 1.05505585262 GJ) in kWh, as the EPA Emission Factors Hub rounds it. */
export const KWH_PER_MMBTU = 293.07107;
/** 1 TJ = 10¹² J ÷ 3.6 × 10⁶ J/kWh ≈ 277,777.778 kWh. */
export const KWH_PER_TJ = 1e12 / 3.6e6;

/** Kilograms of gas per one numerator mass unit. */
const KG_PER_MASS: Readonly<Record<string, number>> = { kg: 1, t: 1000 };

/**
 * Each denominator the factor set uses: the activity unit it becomes, and how many of that unit one source
 * denominator is (a factor per short ton-mile is divided by 1.4599723 to be per t.km).
 */
const DENOMINATORS: Readonly<Record<string, { readonly perUnit: ActivityUnit; readonly size: number }>> = {
  kWh: { perUnit: "kWh", size: 1 },
  mmBtu: { perUnit: "kWh", size: KWH_PER_MMBTU },
  TJ: { perUnit: "kWh", size: KWH_PER_TJ },
  kg: { perUnit: "kg", size: 1 },
  tonne: { perUnit: "t", size: 1 },
  "short ton material": { perUnit: "t", size: TONNES_PER_SHORT_TON },
  "tonne.km": { perUnit: "t.km", size: 1 },
  "short ton-mile": { perUnit: "t.km", size: TONNE_KM_PER_SHORT_TON_MILE },
  litre: { perUnit: "L", size: 1 },
  "US gallon": { perUnit: "L", size: LITRES_PER_US_GALLON },
  m3: { perUnit: "m3", size: 1 },
  scf: { perUnit: "m3", size: CUBIC_METRES_PER_SCF },
  km: { perUnit: "km", size: 1 },
  "vehicle-mile": { perUnit: "km", size: KM_PER_MILE },
};

/** `<kg|t><CO2e|CO2>/<denominator>`, once the trailing parenthesised note is gone. */
const RATIO = /^(kg|t)(CO2e|CO2)\/(.+)$/;
/** The EPA tree equivalence is a count, not a ratio: one tree seedling grown for ten years. */
const PER_TREE = /^kgCO2 per tree over 10 years\b/;

/**
 * Normalises a source unit ("kgCO2/short ton-mile (CO2 only; …)") to what the engine multiplies by: the
 * activity unit it is per and kg of gas per one of those. A parenthesised note (gross CV, derived, CO2 only)
 * does not change the arithmetic: the gas comes from the unit itself. Returns undefined for anything that is
 * not an emission factor (e.g. "fraction (not an emission factor)").
 */
export function parseFactorUnit(unit: string, value: number): FactorUnit | undefined {
  const text = unit.trim();
  if (PER_TREE.test(text)) return { perUnit: "unit", kgPerUnit: value, gas: "CO2" };
  const match = RATIO.exec(stripNote(text));
  if (match === null) return undefined;
  const [, mass = "", gas = "", denominator = ""] = match;
  const massFactor = KG_PER_MASS[mass];
  const per = DENOMINATORS[denominator.trim()];
  if (massFactor === undefined || per === undefined) return undefined;
  return { perUnit: per.perUnit, kgPerUnit: (value * massFactor) / per.size, gas: gas === "CO2" ? "CO2" : "CO2e" };
}

function stripNote(unit: string): string {
  const open = unit.indexOf("(");
  return (open === -1 ? unit : unit.slice(0, open)).trim();
}
