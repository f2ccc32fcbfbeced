import { DomainError } from "#common";

/** IUPAC 2021 standard atomic weights (abridged): C, H, O. */
const ATOMIC_WEIGHT = { C: 12.011, H: 1.008, O: 15.999 } as const;

/** Repeat units of common packaging polymers, and whether their carbon is biogenic. */
const POLYMERS = {
  PET: { formula: { C: 10, H: 8, O: 4 }, biogenic: false, name: "polyethylene terephthalate" },
  PE: { formula: { C: 2, H: 4, O: 0 }, biogenic: false, name: "polyethylene" },
  PP: { formula: { C: 3, H: 6, O: 0 }, biogenic: false, name: "polypropylene" },
  PS: { formula: { C: 8, H: 8, O: 0 }, biogenic: false, name: "polystyrene" },
  PLA: { formula: { C: 3, H: 4, O: 2 }, biogenic: true, name: "polylactic acid" },
} as const;

export type Polymer = keyof typeof POLYMERS;
export const POLYMER_NAMES = Object.keys(POLYMERS) as Polymer[];

/** Mass fraction of carbon in a polymer, from its repeat unit: PET (C10H8O4) 120.11 / 192.17 ≈ 0.625. */
export function carbonFractionOf(polymer: Polymer): number {
  const { C, H, O } = POLYMERS[polymer].formula;
  const carbon = C * ATOMIC_WEIGHT.C;
  return carbon / (carbon + H * ATOMIC_WEIGHT.H + O * ATOMIC_WEIGHT.O);
}

/**
 * Carbon in a product made of one polymer, kg of carbon (PACT fossil/biogenic/recycled carbon content):
 * mass × carbon fraction, fossil or biogenic by the polymer's origin; the recycled part is the recycled share
 * of it (recycled PET carbon is still fossil carbon, counted once more as recycled content).
 */
export function carbonContentOf(
  polymer: Polymer,
  massKg: number,
  recycledShare = 0,
): { fossilKg: number; biogenicKg: number; recycledKg: number } {
  if (!(massKg >= 0) || !Number.isFinite(massKg)) {
    throw new DomainError(
      "FOOTPRINT.MASS_INVALID",
      "invalid",
      `A product mass of ${String(massKg)} kg is not possible`,
    );
  }
  if (!(recycledShare >= 0 && recycledShare <= 1)) {
    throw new DomainError("FOOTPRINT.SHARE_INVALID", "invalid", "The recycled share must be from 0 to 1", {
      recycledShare,
    });
  }
  const carbon = massKg * carbonFractionOf(polymer);
  const biogenic = POLYMERS[polymer].biogenic;
  return {
    fossilKg: biogenic ? 0 : carbon,
    biogenicKg: biogenic ? carbon : 0,
    recycledKg: carbon * recycledShare,
  };
}
