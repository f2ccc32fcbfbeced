import { describe, expect, it } from "@jest/globals";
import { toText } from "./decimal.js";
import { isMassUnit, normaliseQuantity } from "./units.js";

describe("normaliseQuantity", () => {
  it("converts masses to kilograms exactly", () => {
    const cases: Array<[number, string, string]> = [
      [200, "KGM", "200"],
      [1.5, "TNE", "1500"],
      [250, "GRM", "0.25"],
      [10, "LBR", "4.5359237"],
    ];
    for (const [amount, uom, kg] of cases) {
      const q = normaliseQuantity(amount, uom);
      expect({ unit: q.unit, isMass: q.isMass, amount: toText(q.amount) }).toEqual({
        unit: "KGM",
        isMass: true,
        amount: kg,
      });
    }
  });

  it("keeps counts as EA, with or without a count code", () => {
    expect(normaliseQuantity(12, undefined)).toMatchObject({ unit: "EA", isMass: false });
    expect(normaliseQuantity(12, "H87")).toMatchObject({ unit: "EA", isMass: false });
  });

  it("keeps other units as they are", () => {
    expect(normaliseQuantity(3, "LTR")).toMatchObject({ unit: "LTR", isMass: false });
    expect(isMassUnit("LTR")).toBe(false);
    expect(isMassUnit("TNE")).toBe(true);
  });
});
