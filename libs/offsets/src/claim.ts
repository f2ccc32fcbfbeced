import { DomainError } from "#common";
import { divide, gramsToKg, hundredths, kgToGrams } from "./grams.js";

/**
 * What a lot may claim on its label, from its footprint, the conventional product's footprint (baseline) and the
 * offsets retired for it. The label shows, per unit, "baseline − reduction = footprint = offset".
 *
 * Every amount is first turned into whole grams, each rounded against the claim: footprint up, baseline and
 * retired offsets down (see grams.ts: exact, no tolerance). Gram amounts are then compared exactly.
 *
 * The label shows kilograms per unit with two decimals, rounded so the label never says more than the truth:
 * footprint up, baseline and offset down, reduction = shown baseline − shown footprint (so at most the real
 * reduction, and the shown identity adds up exactly). A claim is made only if the label can show it that way:
 * - "zero-carbon": retired ≥ footprint for the whole lot, and the retired offset per unit rounded down still
 *   reaches the footprint per unit rounded up. A lot offset to the gram whose per-unit figures fall inside one
 *   hundredth (1.481 kg footprint, 1.481 kg offset: shown 1.49 = 1.48) is not labelled zero-carbon; retiring
 *   `toZeroCarbonKg` more (under 0.01 kg a unit) earns the label.
 * - "reduced": a baseline, footprint < baseline, and a reduction of at least 0.01 kg a unit once rounded.
 * - "measured" otherwise.
 */
export type ClaimStatus = "zero-carbon" | "reduced" | "measured";

export interface ClaimInput {
  /** Footprint of the whole lot, kg CO2e (> 0). */
  readonly footprintKg: number;
  /** Units declared in the lot (whole number ≥ 1). */
  readonly units: number;
  /** Footprint of as many conventional products, kg CO2e (> 0), if known. */
  readonly baselineKg?: number | null;
  /** Offsets retired for this lot, kg CO2e (1 credit = 1000 kg), ≥ 0. */
  readonly retiredKg: number;
}

/** Amounts in kg CO2e, at gram resolution (for the lot) or the lot's grams divided by the units (per unit). */
export interface ClaimAmounts {
  readonly baselineKg: number | null;
  /** baseline − footprint, only when positive. */
  readonly reductionKg: number | null;
  readonly footprintKg: number;
  readonly retiredKg: number;
  /** The part of the retired offsets applied to this lot: min(retired, footprint). */
  readonly offsetKg: number;
  /** retired − footprint when positive. */
  readonly surplusKg: number;
  /** footprint − retired when positive. */
  readonly shortfallKg: number;
}

/** Per-unit figures for the label, kg with two decimals ("1.48"). */
export interface ClaimDisplay {
  /** Rounded down; null without a baseline. */
  readonly baseline: string | null;
  /** Shown baseline − shown footprint, when at least 0.01; null otherwise. */
  readonly reduction: string | null;
  /** Rounded up. */
  readonly footprint: string;
  /** Offset applied, rounded down and never above the shown footprint. */
  readonly offset: string;
  /** The claim as one line: "1.63 − 0.15 = 1.48 = 1.48 kg" (the "= offset" part only for zero-carbon). */
  readonly identity: string;
}

export interface Claim {
  readonly status: ClaimStatus;
  readonly units: number;
  readonly lot: ClaimAmounts;
  readonly perUnit: ClaimAmounts;
  readonly display: ClaimDisplay;
  /** More offsets (kg, for the lot) to retire before the label may say zero-carbon; 0 when it does. */
  readonly toZeroCarbonKg: number;
}

/** Decides the claim for one lot. Bad input throws OFFSET.CLAIM_INPUT (kind "invalid") naming the field. */
export function assessClaim(input: ClaimInput): Claim {
  const units = checkUnits(input.units);
  const footprint = kgToGrams(checkAmount("footprintKg", input.footprintKg, false), "up");
  const retired = kgToGrams(checkAmount("retiredKg", input.retiredKg, true), "down");
  const baselineKg = input.baselineKg ?? null;
  const baseline = baselineKg === null ? null : kgToGrams(checkAmount("baselineKg", baselineKg, false), "down");

  // Hundredths of a kg per unit: tens of grams per unit.
  const perHundredth = 10n * BigInt(units);
  const shownFootprint = divide(footprint, perHundredth, "up");
  const shownRetired = divide(retired, perHundredth, "down");
  const shownOffset = min(shownRetired, shownFootprint);
  const shownBaseline = baseline === null ? null : divide(baseline, perHundredth, "down");
  const shownReduction =
    shownBaseline !== null && shownBaseline > shownFootprint ? shownBaseline - shownFootprint : null;

  const zeroCarbon = retired >= footprint && shownRetired >= shownFootprint;
  const reduced = baseline !== null && footprint < baseline && shownReduction !== null;
  const status: ClaimStatus = zeroCarbon ? "zero-carbon" : reduced ? "reduced" : "measured";

  const lot = amounts(footprint, baseline, retired, 1);
  const reductionPart =
    shownReduction === null ? "" : `${hundredths(shownBaseline ?? 0n)} − ${hundredths(shownReduction)} = `;
  const offsetPart = zeroCarbon ? ` = ${hundredths(shownOffset)}` : "";
  return {
    status,
    units,
    lot,
    perUnit: amounts(footprint, baseline, retired, units),
    display: {
      baseline: shownBaseline === null ? null : hundredths(shownBaseline),
      reduction: shownReduction === null ? null : hundredths(shownReduction),
      footprint: hundredths(shownFootprint),
      offset: hundredths(shownOffset),
      identity: `${reductionPart}${hundredths(shownFootprint)}${offsetPart} kg`,
    },
    toZeroCarbonKg: gramsToKg(max(0n, shownFootprint * perHundredth - retired)),
  };
}

function amounts(footprint: bigint, baseline: bigint | null, retired: bigint, units: number): ClaimAmounts {
  const kg = (grams: bigint): number => gramsToKg(grams) / units;
  return {
    baselineKg: baseline === null ? null : kg(baseline),
    reductionKg: baseline !== null && baseline > footprint ? kg(baseline - footprint) : null,
    footprintKg: kg(footprint),
    retiredKg: kg(retired),
    offsetKg: kg(min(retired, footprint)),
    surplusKg: kg(max(0n, retired - footprint)),
    shortfallKg: kg(max(0n, footprint - retired)),
  };
}

function checkUnits(units: number): number {
  if (!Number.isSafeInteger(units) || units < 1) {
    throw inputError("units", `The number of units must be a whole number of at least 1; got ${units}`);
  }
  return units;
}

function checkAmount(field: string, kg: number, zeroAllowed: boolean): number {
  if (!Number.isFinite(kg) || kg < 0 || (!zeroAllowed && kg === 0)) {
    const rule = zeroAllowed ? "zero or more" : "more than zero";
    throw inputError(field, `The ${field} must be a number of kilograms ${rule}; got ${kg}`);
  }
  return kg;
}

function inputError(field: string, message: string): DomainError {
  return new DomainError("OFFSET.CLAIM_INPUT", "invalid", message, { field });
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
