import { describe, expect, it } from "@jest/globals";
import { assessClaim, type ClaimInput } from "./claim.js";

/** The Asian Games mascot per unit: conventional 1.63 kg, made 1.48 kg CO2e, as a lot of 10,000 units. */
const MASCOTS: ClaimInput = { footprintKg: 14800, units: 10000, baselineKg: 16300, retiredKg: 15000 };

const lot = (input: Partial<ClaimInput>): ClaimInput => ({ ...MASCOTS, ...input });

describe("assessClaim — the Asian Games mascot", () => {
  it("shows 1.63 − 0.15 = 1.48 kg for one mascot offset exactly", () => {
    const claim = assessClaim({ footprintKg: 1.48, units: 1, baselineKg: 1.63, retiredKg: 1.48 });
    expect(claim.status).toBe("zero-carbon");
    expect(claim.display).toEqual({
      baseline: "1.63",
      reduction: "0.15",
      footprint: "1.48",
      offset: "1.48",
      identity: "1.63 − 0.15 = 1.48 = 1.48 kg",
    });
    const { baseline, reduction, footprint } = claim.display;
    expect(`${baseline ?? ""} − ${reduction ?? ""} = ${footprint} kg`).toBe("1.63 − 0.15 = 1.48 kg");
    expect(claim.lot).toEqual({
      baselineKg: 1.63,
      reductionKg: 0.15,
      footprintKg: 1.48,
      retiredKg: 1.48,
      offsetKg: 1.48,
      surplusKg: 0,
      shortfallKg: 0,
    });
    expect(claim.toZeroCarbonKg).toBe(0);
  });

  it("gives the same label for a lot of 10,000 offset with 15 credits, and reports the surplus", () => {
    const claim = assessClaim(MASCOTS);
    expect(claim.status).toBe("zero-carbon");
    expect(claim.units).toBe(10000);
    expect(claim.display.identity).toBe("1.63 − 0.15 = 1.48 = 1.48 kg");
    // 15,000 kg retired − 14,800 kg emitted = 200 kg surplus; 14,800 kg applied.
    expect(claim.lot).toEqual({
      baselineKg: 16300,
      reductionKg: 1500,
      footprintKg: 14800,
      retiredKg: 15000,
      offsetKg: 14800,
      surplusKg: 200,
      shortfallKg: 0,
    });
    expect(claim.perUnit.baselineKg).toBeCloseTo(1.63, 12);
    expect(claim.perUnit.reductionKg).toBeCloseTo(0.15, 12);
    expect(claim.perUnit.footprintKg).toBeCloseTo(1.48, 12);
    expect(claim.perUnit.retiredKg).toBeCloseTo(1.5, 12);
    expect(claim.perUnit.offsetKg).toBeCloseTo(1.48, 12);
    expect(claim.perUnit.surplusKg).toBeCloseTo(0.02, 12);
    expect(claim.perUnit.shortfallKg).toBe(0);
  });
});

describe("assessClaim — zero-carbon is decided to the gram", () => {
  it("is zero-carbon when exactly offset", () => {
    const claim = assessClaim(lot({ retiredKg: 14800 }));
    expect(claim.status).toBe("zero-carbon");
    expect(claim.lot.surplusKg).toBe(0);
    expect(claim.lot.shortfallKg).toBe(0);
  });

  it("is not zero-carbon when under-offset by 1 g, and shows the offset rounded down", () => {
    const claim = assessClaim(lot({ retiredKg: 14799.999 }));
    expect(claim.status).toBe("reduced");
    expect(claim.lot.shortfallKg).toBe(0.001);
    expect(claim.lot.offsetKg).toBe(14799.999);
    // 14,799,999 g / 10,000 units = 1479.9999 g a unit, shown as 1.47, not 1.48.
    expect(claim.display.offset).toBe("1.47");
    expect(claim.display.identity).toBe("1.63 − 0.15 = 1.48 kg");
    expect(claim.toZeroCarbonKg).toBe(0.001);
  });

  it("rounds a footprint finer than a gram up and retired offsets down", () => {
    const one = { units: 1, baselineKg: 1.63, retiredKg: 1.48 };
    // 1.4799996 kg → 1480 g; 1.4800004 kg → 1481 g, which 1.48 kg retired does not cover.
    expect(assessClaim({ ...one, footprintKg: 1.4799996 }).status).toBe("zero-carbon");
    expect(assessClaim({ ...one, footprintKg: 1.4800004 }).status).toBe("reduced");
    expect(assessClaim({ ...one, footprintKg: 1.4800004 }).lot.shortfallKg).toBe(0.001);
    // 1.4809999 kg retired → 1480 g.
    expect(assessClaim({ ...one, footprintKg: 1.481, retiredKg: 1.4809999 }).lot.retiredKg).toBe(1.48);
  });

  it("is zero-carbon when over-offset", () => {
    const claim = assessClaim(lot({ retiredKg: 20000 }));
    expect(claim.status).toBe("zero-carbon");
    expect(claim.lot.surplusKg).toBe(5200);
    expect(claim.display.offset).toBe("1.48");
  });

  it("withholds the label when the lot is offset but the per-unit figures cannot show it", () => {
    // 1,481 kg over 1,000 units = 1.481 kg a unit: shown footprint 1.49 (up), shown offset 1.48 (down).
    const offsetToTheGram = assessClaim({ footprintKg: 1481, units: 1000, retiredKg: 1481 });
    expect(offsetToTheGram.lot.shortfallKg).toBe(0);
    expect(offsetToTheGram.status).toBe("measured");
    expect(offsetToTheGram.display.footprint).toBe("1.49");
    expect(offsetToTheGram.display.offset).toBe("1.48");
    expect(offsetToTheGram.display.identity).toBe("1.49 kg");
    // 1.49 kg × 1,000 − 1,481 kg
    expect(offsetToTheGram.toZeroCarbonKg).toBe(9);

    const topped = assessClaim({ footprintKg: 1481, units: 1000, retiredKg: 1490 });
    expect(topped.status).toBe("zero-carbon");
    expect(topped.display.identity).toBe("1.49 = 1.49 kg");
  });
});

describe("assessClaim — reductions and baselines", () => {
  it("claims a measured footprint only, without a baseline or offsets", () => {
    for (const baselineKg of [undefined, null]) {
      const claim = assessClaim({ footprintKg: 14800, units: 10000, baselineKg, retiredKg: 0 });
      expect(claim.status).toBe("measured");
      expect(claim.display).toEqual({
        baseline: null,
        reduction: null,
        footprint: "1.48",
        offset: "0.00",
        identity: "1.48 kg",
      });
      expect(claim.lot.baselineKg).toBeNull();
      expect(claim.lot.reductionKg).toBeNull();
      expect(claim.lot.shortfallKg).toBe(14800);
    }
  });

  it("is zero-carbon without a baseline, showing footprint = offset", () => {
    const claim = assessClaim({ footprintKg: 14800, units: 10000, retiredKg: 15000 });
    expect(claim.status).toBe("zero-carbon");
    expect(claim.display.identity).toBe("1.48 = 1.48 kg");
  });

  it("makes no reduction claim when the baseline is lower than or equal to the footprint", () => {
    const higher = assessClaim(lot({ baselineKg: 14000, retiredKg: 0 }));
    expect(higher.status).toBe("measured");
    expect(higher.lot.reductionKg).toBeNull();
    expect(higher.display.baseline).toBe("1.40");
    expect(higher.display.reduction).toBeNull();
    expect(higher.display.identity).toBe("1.48 kg");
    expect(assessClaim(lot({ baselineKg: 14800, retiredKg: 0 })).status).toBe("measured");
    // Still zero-carbon when offset, but without the baseline in the identity.
    expect(assessClaim(lot({ baselineKg: 14000 })).display.identity).toBe("1.48 = 1.48 kg");
  });

  it("claims a reduction when partly offset, and says so only as an amount", () => {
    const claim = assessClaim(lot({ retiredKg: 5000 }));
    expect(claim.status).toBe("reduced");
    expect(claim.display.offset).toBe("0.50");
    expect(claim.display.identity).toBe("1.63 − 0.15 = 1.48 kg");
    expect(claim.lot.shortfallKg).toBe(9800);
  });

  it("never shows a reduction larger than the real one", () => {
    // 1.639 a unit → shown 1.63 (down); 1.481 → shown 1.49 (up); shown reduction 0.14 ≤ real 0.158.
    const claim = assessClaim({ footprintKg: 1.481, units: 1, baselineKg: 1.639, retiredKg: 0 });
    expect(claim.status).toBe("reduced");
    expect(claim.display.identity).toBe("1.63 − 0.14 = 1.49 kg");
    expect(claim.lot.reductionKg).toBeCloseTo(0.158, 12);
  });

  it("makes no reduction claim when the reduction vanishes in the rounding", () => {
    // 1.485 → shown 1.48 (down), 1.481 → shown 1.49 (up): nothing to show, though 4 g lower.
    const claim = assessClaim({ footprintKg: 1.481, units: 1, baselineKg: 1.485, retiredKg: 0 });
    expect(claim.lot.reductionKg).toBeCloseTo(0.004, 12);
    expect(claim.status).toBe("measured");
    expect(claim.display.reduction).toBeNull();
    expect(claim.display.identity).toBe("1.49 kg");
  });
});

describe("assessClaim — what the label shows never exceeds the truth", () => {
  it("holds for many lots: footprint shown ≥ real, offset shown ≤ retired, the identity adds up", () => {
    let seed = 20230923;
    const next = (limit: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % limit;
    };
    // Amounts are whole grams here, so the truth is known exactly: kg = g / 1000 prints as the decimal.
    for (let i = 0; i < 2000; i++) {
      const units = 1 + next(5000);
      const footprintG = 1 + next(5_000_000);
      const baselineG = next(3) === 0 ? null : 1 + next(6_000_000);
      const retiredG = next(2) === 0 ? Math.max(0, footprintG + next(2001) - 1000) : next(10) * 1_000_000;
      const claim = assessClaim({
        footprintKg: footprintG / 1000,
        units,
        baselineKg: baselineG === null ? null : baselineG / 1000,
        retiredKg: retiredG / 1000,
      });
      const { display } = claim;
      // A shown hundredth of a kg per unit is 10 g × units for the lot.
      const lotG = (shown: string | null): number => Math.round(Number(shown) * 100) * 10 * units;
      expect(lotG(display.footprint)).toBeGreaterThanOrEqual(footprintG);
      expect(lotG(display.footprint) - footprintG).toBeLessThan(10 * units);
      expect(lotG(display.offset)).toBeLessThanOrEqual(retiredG);
      expect(lotG(display.offset)).toBeLessThanOrEqual(lotG(display.footprint));
      if (display.reduction !== null) {
        expect(lotG(display.baseline) - lotG(display.reduction)).toBe(lotG(display.footprint));
        expect(lotG(display.reduction)).toBeLessThanOrEqual((baselineG ?? 0) - footprintG);
        expect(claim.status).not.toBe("measured");
      }
      if (claim.status === "zero-carbon") {
        expect(retiredG).toBeGreaterThanOrEqual(footprintG);
        expect(display.offset).toBe(display.footprint);
        expect(display.identity.endsWith(`${display.footprint} = ${display.offset} kg`)).toBe(true);
        expect(claim.toZeroCarbonKg).toBe(0);
      } else {
        expect(claim.toZeroCarbonKg).toBeGreaterThan(0);
        // No "= offset" term: the identity ends at the footprint.
        const { identity, footprint } = display;
        expect(identity === `${footprint} kg` || identity.endsWith(` = ${footprint} kg`)).toBe(true);
      }
    }
  });
});

describe("assessClaim — input", () => {
  it.each([
    [{ units: 0 }, "units"],
    [{ units: -5 }, "units"],
    [{ units: 1.5 }, "units"],
    [{ units: Number.NaN }, "units"],
    [{ footprintKg: 0 }, "footprintKg"],
    [{ footprintKg: -1 }, "footprintKg"],
    [{ footprintKg: Number.NaN }, "footprintKg"],
    [{ footprintKg: Number.POSITIVE_INFINITY }, "footprintKg"],
    [{ retiredKg: -0.001 }, "retiredKg"],
    [{ retiredKg: Number.NaN }, "retiredKg"],
    [{ baselineKg: 0 }, "baselineKg"],
    [{ baselineKg: -16300 }, "baselineKg"],
  ])("refuses %p as OFFSET.CLAIM_INPUT naming %s", (change, field) => {
    expect(() => assessClaim(lot(change))).toThrow(
      expect.objectContaining({ code: "OFFSET.CLAIM_INPUT", kind: "invalid", details: { field } }),
    );
  });

  it("accepts zero retired offsets", () => {
    expect(assessClaim(lot({ retiredKg: 0 })).lot.offsetKg).toBe(0);
  });
});
