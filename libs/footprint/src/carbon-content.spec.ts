import { describe, expect, it } from "@jest/globals";
import { carbonContentOf, carbonFractionOf } from "./carbon-content.js";

describe("carbon content", () => {
  it("derives carbon fractions from the repeat units", () => {
    // PET C10H8O4: 10 × 12.011 = 120.11; + 8 × 1.008 = 8.064; + 4 × 15.999 = 63.996 → 192.17; 120.11 / 192.17
    expect(carbonFractionOf("PET")).toBeCloseTo(120.11 / 192.17, 12);
    expect(carbonFractionOf("PET")).toBeCloseTo(0.625, 3);
    // PP C3H6: 36.033 / (36.033 + 6.048) = 36.033 / 42.081
    expect(carbonFractionOf("PP")).toBeCloseTo(36.033 / 42.081, 12);
  });

  it("splits a product's carbon into fossil, biogenic and recycled", () => {
    // a 0.82 kg rPET box, 100 % recycled: 0.82 × 0.62502 = 0.51252 kg C, all fossil, all recycled
    const box = carbonContentOf("PET", 0.82, 1);
    expect(box.fossilKg).toBeCloseTo(0.82 * (120.11 / 192.17), 12);
    expect(box.recycledKg).toBeCloseTo(box.fossilKg, 12);
    expect(box.biogenicKg).toBe(0);
    // PLA C3H4O2: 36.033 / 72.063 ≈ 0.5 biogenic
    const cup = carbonContentOf("PLA", 0.01);
    expect(cup.biogenicKg).toBeCloseTo(0.01 * (36.033 / 72.063), 12);
    expect(cup.fossilKg).toBe(0);
  });

  it("refuses impossible masses and shares", () => {
    expect(() => carbonContentOf("PET", -1)).toThrow(expect.objectContaining({ code: "FOOTPRINT.MASS_INVALID" }));
    expect(() => carbonContentOf("PET", 1, 1.5)).toThrow(expect.objectContaining({ code: "FOOTPRINT.SHARE_INVALID" }));
  });
});
