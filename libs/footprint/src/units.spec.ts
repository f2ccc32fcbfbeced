import { describe, expect, it } from "@jest/globals";
import { parseFactorUnit } from "./units.js";

describe("parseFactorUnit", () => {
  it("keeps kgCO2e per kWh, whatever note follows in parentheses", () => {
    expect(parseFactorUnit("kgCO2e/kWh", 0.177)).toEqual({ perUnit: "kWh", kgPerUnit: 0.177, gas: "CO2e" });
    expect(parseFactorUnit("kgCO2e/kWh (gross CV)", 0.18296)).toEqual({
      perUnit: "kWh",
      kgPerUnit: 0.18296,
      gas: "CO2e",
    });
    expect(
      parseFactorUnit(
        "kgCO2e/kWh (Ember emissions intensity of generation; lifecycle basis per Ember methodology - verify)",
        0.47294,
      ),
    ).toEqual({ perUnit: "kWh", kgPerUnit: 0.47294, gas: "CO2e" });
  });

  it("marks kgCO2 per kWh as CO2 only", () => {
    expect(parseFactorUnit("kgCO2/kWh (CO2 only)", 0.5306)).toEqual({ perUnit: "kWh", kgPerUnit: 0.5306, gas: "CO2" });
    expect(parseFactorUnit("kgCO2/kWh (=tCO2/MWh)", 0.5703)).toEqual({ perUnit: "kWh", kgPerUnit: 0.5703, gas: "CO2" });
  });

  it("reads per-tonne factors: kg per tonne as is, t per tonne × 1000", () => {
    expect(parseFactorUnit("kgCO2e/tonne", 3863.9)).toEqual({ perUnit: "t", kgPerUnit: 3863.9, gas: "CO2e" });
    // 3.4 tCO2e/t × 1000 kg/t = 3400 kg CO2e/t
    expect(parseFactorUnit("tCO2e/tonne (=kgCO2e/kg)", 3.4)).toEqual({ perUnit: "t", kgPerUnit: 3400, gas: "CO2e" });
    expect(parseFactorUnit("tCO2e/tonne", 2.0)).toEqual({ perUnit: "t", kgPerUnit: 2000, gas: "CO2e" });
  });

  it("reads per-tonne-km factors and converts short ton-miles", () => {
    expect(parseFactorUnit("kgCO2e/tonne.km", 0.10163)).toEqual({ perUnit: "t.km", kgPerUnit: 0.10163, gas: "CO2e" });
    expect(parseFactorUnit("kgCO2e/tonne.km (derived)", 0.128411)?.kgPerUnit).toBe(0.128411);
    // 1 short ton-mile = 0.90718474 t × 1.609344 km = 1.4599723 t.km; 0.186 / 1.4599723 = 0.1273997 kg/t.km
    const truck = parseFactorUnit(
      "kgCO2/short ton-mile (CO2 only; CH4 0.0016 g, N2O 0.0054 g per short ton-mile)",
      0.186,
    );
    expect(truck?.perUnit).toBe("t.km");
    expect(truck?.gas).toBe("CO2");
    expect(truck?.kgPerUnit).toBeCloseTo(0.1273997, 6);
  });

  it("converts per short ton of material to per tonne", () => {
    // 230 kg / 0.90718474 t = 253.5318 kg/t
    const recycled = parseFactorUnit("kgCO2e/short ton material", 230);
    expect(recycled?.perUnit).toBe("t");
    expect(recycled?.kgPerUnit).toBeCloseTo(253.5318, 3);
  });

  it("reads per-litre factors and converts US gallons", () => {
    expect(parseFactorUnit("kgCO2e/litre", 2.57082)).toEqual({ perUnit: "L", kgPerUnit: 2.57082, gas: "CO2e" });
    // 10.21 kg / 3.785411784 L = 2.697197 kg/L
    const diesel = parseFactorUnit("kgCO2/US gallon (tank-to-wheel)", 10.21);
    expect(diesel?.perUnit).toBe("L");
    expect(diesel?.gas).toBe("CO2");
    expect(diesel?.kgPerUnit).toBeCloseTo(2.697197, 5);
  });

  it("reads per-m3 factors and converts standard cubic feet", () => {
    expect(parseFactorUnit("kgCO2e/m3", 2.06672)).toEqual({ perUnit: "m3", kgPerUnit: 2.06672, gas: "CO2e" });
    // 0.05444 kg / 0.0283168466 m3 = 1.922530 kg/m3
    const gas = parseFactorUnit("kgCO2/scf", 0.05444);
    expect(gas?.perUnit).toBe("m3");
    expect(gas?.kgPerUnit).toBeCloseTo(1.92253, 4);
  });

  it("converts energy units to kWh", () => {
    // 53.06 kg / 293.07107 kWh = 0.181048 kg/kWh
    expect(parseFactorUnit("kgCO2/mmBtu (HHV)", 53.06)?.kgPerUnit).toBeCloseTo(0.181048, 5);
    expect(parseFactorUnit("kgCO2/mmBtu (HHV)", 53.06)?.perUnit).toBe("kWh");
    // 74100 kg / 277777.778 kWh = 0.266760 kg/kWh
    expect(parseFactorUnit("kgCO2/TJ (NCV)", 74100)?.kgPerUnit).toBeCloseTo(0.26676, 5);
    expect(parseFactorUnit("kgCO2/TJ (NCV)", 74100)?.perUnit).toBe("kWh");
  });

  it("reads per-km factors and converts vehicle-miles", () => {
    expect(parseFactorUnit("kgCO2e/km", 0.16725)).toEqual({ perUnit: "km", kgPerUnit: 0.16725, gas: "CO2e" });
    expect(parseFactorUnit("kgCO2/km (derived)", 0.251006)).toEqual({ perUnit: "km", kgPerUnit: 0.251006, gas: "CO2" });
    // 0.297 kg / 1.609344 km = 0.184546 kg/km
    const car = parseFactorUnit("kgCO2/vehicle-mile (CO2 only; CH4 0.0059 g, N2O 0.0053 g per mile)", 0.297);
    expect(car?.perUnit).toBe("km");
    expect(car?.kgPerUnit).toBeCloseTo(0.184546, 5);
  });

  it("reads the tree equivalence as a count", () => {
    expect(parseFactorUnit("kgCO2 per tree over 10 years (sequestration, not emission)", 60)).toEqual({
      perUnit: "unit",
      kgPerUnit: 60,
      gas: "CO2",
    });
  });

  it("returns undefined for what is not an emission factor", () => {
    expect(parseFactorUnit("fraction (not an emission factor)", 0.042)).toBeUndefined();
    expect(parseFactorUnit("kgCO2e/furlong", 1)).toBeUndefined();
    expect(parseFactorUnit("", 1)).toBeUndefined();
  });
});
