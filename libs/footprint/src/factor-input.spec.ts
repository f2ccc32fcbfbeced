import { describe, expect, it } from "@jest/globals";
import { factorFromInput, type FactorInput } from "./factor-input.js";

const input: FactorInput = {
  id: "EPA_RAIL",
  name: "Rail",
  category: "freight_rail",
  value: 0.021,
  unit: "kgCO2/short ton-mile",
  region: "US",
  year: 2025,
  source: "EPA",
  sourceUrl: "https://www.epa.gov",
  licence: "public domain",
  activity: "freight.rail",
};

describe("factorFromInput", () => {
  it("normalises the unit like the bundled set", () => {
    const factor = factorFromInput(input);
    expect(factor).toMatchObject({
      id: "EPA_RAIL",
      perUnit: "t.km",
      gas: "CO2",
      activity: "freight.rail",
      value: 0.021,
    });
    // 0.021 kg per short ton-mile ÷ 1.4599723 t.km = 0.014384 kg/t.km
    expect(factor.kgPerUnit).toBeCloseTo(0.014384, 6);
  });

  it("leaves a factor without activity usable by id only", () => {
    expect(factorFromInput({ ...input, activity: undefined }).activity).toBeUndefined();
    expect(factorFromInput({ ...input, activity: " " }).activity).toBeUndefined();
  });

  it("rejects a unit that is not an emission factor unit", () => {
    expect(() => factorFromInput({ ...input, unit: "fraction" })).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.FACTOR_INVALID", kind: "invalid" }),
    );
    expect(() => factorFromInput({ ...input, value: Number.NaN })).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.FACTOR_INVALID" }),
    );
  });

  it("refuses a factor for an activity in a unit that activity is not measured in", () => {
    // a rail factor per litre cannot price tonne-kilometres
    expect(() => factorFromInput({ ...input, unit: "kgCO2e/litre" })).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.UNIT_MISMATCH", details: expect.objectContaining({ perUnit: "L" }) }),
    );
    expect(() => factorFromInput({ ...input, activity: "electricity.grid" })).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.UNIT_MISMATCH" }),
    );
    expect(() => factorFromInput({ ...input, activity: "trains" })).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.FACTOR_INVALID" }),
    );
    expect(factorFromInput({ ...input, unit: "kgCO2e/kWh", activity: "electricity.grid" }).perUnit).toBe("kWh");
  });
});
