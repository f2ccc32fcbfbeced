import { DomainError } from "#common";
import { decimal, multiply, type Decimal } from "./decimal.js";

/**
 * UN/CEFACT Recommendation 20 codes as EPCIS quantity `uom`. Masses convert exactly to kilograms; counted
 * units (no uom, or a count code) stay counts; anything else (volumes, lengths) is kept in its own unit.
 */
const KILOGRAMS_PER: Readonly<Record<string, string>> = {
  KGM: "1",
  GRM: "0.001",
  MGM: "0.000001",
  TNE: "1000",
  LBR: "0.45359237",
  ONZ: "0.028349523125",
  STN: "907.18474",
  LTN: "1016.0469088",
};

const COUNT_CODES = new Set(["EA", "H87", "C62", "XPK", "XBX"]);

export type TrackedUnit = "KGM" | "EA" | (string & {});

export interface NormalisedQuantity {
  /** Amount in `unit`. */
  readonly amount: Decimal;
  readonly unit: TrackedUnit;
  /** True when `unit` is KGM (the amount is a mass). */
  readonly isMass: boolean;
}

/** A quantity as lots are tracked in: a non-negative amount in kg (masses), counts, or its own unit. */
export function normaliseQuantity(quantity: number | string, uom: string | undefined): NormalisedQuantity {
  const amount = decimal(quantity);
  if (amount.digits < 0n) {
    throw new DomainError("CAPTURE.QUANTITY_INVALID", "invalid", `A quantity cannot be negative: ${String(quantity)}`, {
      quantity,
    });
  }
  if (uom === undefined || COUNT_CODES.has(uom)) return { amount, unit: "EA", isMass: false };
  const factor = KILOGRAMS_PER[uom];
  if (factor !== undefined) return { amount: multiply(amount, decimal(factor)), unit: "KGM", isMass: true };
  return { amount, unit: uom, isMass: false };
}

export function isMassUnit(uom: string | undefined): boolean {
  return uom !== undefined && uom in KILOGRAMS_PER;
}
