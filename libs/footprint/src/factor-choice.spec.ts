import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { parseFactorsCsv } from "./csv.js";
import { activityKeyOf, chooseFactor, type ChoiceContext } from "./factor-choice.js";
import { createFactorLibrary } from "./library.js";
import type { Activity, ElectricityActivity, EmissionFactor, FactorLibrary } from "./model.js";
import { PROXY_RULES } from "./proxy-rules.js";

const REAL: FactorLibrary = createFactorLibrary(
  "1",
  parseFactorsCsv(readFileSync(new URL("../data/emission-factors.csv", import.meta.url), "utf8")).factors,
);

function factor(id: string, activity: string | undefined, fields: Partial<EmissionFactor>): EmissionFactor {
  return {
    id,
    name: id,
    category: "test",
    value: 1,
    unit: "kgCO2e/kWh",
    perUnit: "kWh",
    kgPerUnit: 1,
    gas: "CO2e",
    region: "GB",
    year: 2025,
    source: "test fixture",
    sourceUrl: "",
    licence: "",
    activity,
    ...fields,
  };
}

const at = (year: number, eventRegion?: string): ChoiceContext => ({
  year,
  ...(eventRegion === undefined ? {} : { eventRegion }),
});

const grid = (gridRegion: string, kWh = 1000): ElectricityActivity => ({
  kind: "electricity",
  kWh,
  gridRegion,
  basis: "measured",
});

describe("activityKeyOf", () => {
  it("names the key of each activity kind", () => {
    expect(activityKeyOf(grid("CN-East"))).toBe("electricity.grid");
    expect(activityKeyOf({ ...grid("CN"), renewable: true })).toBe("electricity.renewable");
    expect(activityKeyOf({ kind: "fuel", fuelType: "Natural gas", amount: 1, unit: "m3", basis: "measured" })).toBe(
      "fuel.natural_gas",
    );
    expect(
      activityKeyOf({
        kind: "transport",
        mode: "road",
        vehicle: "hgv_articulated",
        distanceKm: 1,
        massKg: 1,
        basis: "measured",
      }),
    ).toBe("freight.road.hgv_articulated");
    expect(
      activityKeyOf({
        kind: "transport",
        mode: "sea",
        vehicle: "container_ship",
        distanceKm: 1,
        massKg: 1,
        basis: "measured",
      }),
    ).toBe("freight.sea");
    expect(activityKeyOf({ kind: "material", material: "PET", origin: "virgin", massKg: 1, basis: "measured" })).toBe(
      "material.pet.virgin",
    );
    expect(
      activityKeyOf({ kind: "material", material: "masterbatch", origin: "virgin", massKg: 1, basis: "measured" }),
    ).toBe("material.colourant.virgin");
    const recycled = { kind: "material", material: "PET", origin: "recycled", massKg: 1, basis: "measured" } as const;
    expect(activityKeyOf({ ...recycled, traced: true })).toBe("material.recycled");
    expect(activityKeyOf(recycled)).toBe("material.pet.recycled");
    expect(activityKeyOf({ ...recycled, material: "rPET" })).toBe("material.pet.recycled");
  });
});

describe("chooseFactor with the bundled library", () => {
  it("b: takes the factor of the activity's region and the event's year", () => {
    const choice = chooseFactor(grid("CN-East"), at(2023), REAL);
    // 1000 kWh × 0.55 kg/kWh (MEE2023 CN-East) = 550 kg
    expect(choice).toMatchObject({ selection: "exact", amount: 1000, unit: "kWh", kg: 550 });
    expect(choice.factor.id).toBe("MEE2023_CN-East");
    expect(choice.dqr).toEqual({ technological: 1, geographical: 1, temporal: 1 });
  });

  it("c: takes the latest earlier year when the event's year has no factor", () => {
    const choice = chooseFactor(grid("CN-East"), at(2025), REAL);
    expect(choice.factor.id).toBe("MEE2023_CN-East");
    expect(choice.selection).toBe("earlier-year");
    // 2025 − 2023 = 2 years → temporal DQR 2
    expect(choice.dqr.temporal).toBe(2);
  });

  it("c: never takes a factor newer than the event; the regional grid then goes to the national proxy", () => {
    // CN-East has factors for 2022 and 2023 only; in 2021 the proxy table gives the MEE 2021 national average
    const choice = chooseFactor(grid("CN-East"), at(2021), REAL);
    expect(choice.factor.id).toBe("MEE2021_CN");
    expect(choice.selection).toBe("proxy");
    // 1000 kWh × 0.5568 = 556.8 kg
    expect(choice.kg).toBeCloseTo(556.8, 9);
    expect(choice.dqr).toEqual({ technological: 1, geographical: 2, temporal: 1 });
  });

  it("b: a grid code or province code is priced with its MEE regional grid (CN-EC, Zhejiang → East China)", () => {
    for (const code of ["CN-EC", "CN-ZJ"]) {
      const choice = chooseFactor(grid(code), at(2025), REAL);
      expect(choice.factor.id).toBe("MEE2023_CN-East");
      expect(choice.selection).toBe("earlier-year");
      // 1000 kWh × 0.55 = 550 kg
      expect(choice.kg).toBeCloseTo(550, 9);
      expect(choice.dqr.geographical).toBe(1);
    }
  });

  it("d: a Chinese grid code without a factor takes the national average (geographical DQR 2)", () => {
    const choice = chooseFactor(grid("CN-XX"), at(2025), REAL);
    expect(choice.factor.id).toBe("MEE2023_CN");
    expect(choice.selection).toBe("proxy");
    expect(choice.proxyReason).toBe(PROXY_RULES[0]?.reason);
    expect(choice.dqr.geographical).toBe(2);
  });

  it("d: any other grid without a factor takes the world average", () => {
    const choice = chooseFactor(grid("FR"), at(2025), REAL);
    expect(choice.factor.id).toBe("EMBER_World");
    expect(choice.selection).toBe("proxy");
    expect(choice.dqr.geographical).toBe(2);
  });

  it("uses the official grid factors of GB and the US, not Ember's", () => {
    expect(chooseFactor(grid("GB"), at(2024), REAL).factor.id).toBe("DESNZ2024_7_400_4000_5_1");
    expect(chooseFactor(grid("GB"), at(2025), REAL).factor.id).toBe("DESNZ2025_7_400_4000_5_1");
    expect(chooseFactor(grid("US"), at(2025), REAL).factor.id).toBe("EPA2025_T6_US_CO2e");
    expect(chooseFactor(grid("EU"), at(2025), REAL).factor.id).toBe("EMBER_EU");
  });

  it("prices renewable electricity with the certificate factor", () => {
    const choice = chooseFactor({ ...grid("CN-East"), renewable: true }, at(2025), REAL);
    expect(choice).toMatchObject({ selection: "renewable", kg: 0 });
    expect(choice.factor.id).toBe("CT_RENEWABLE_EAC");
  });

  it("d: road freight in China takes the DESNZ factor of the same vehicle", () => {
    const leg: Activity = {
      kind: "transport",
      mode: "road",
      vehicle: "hgv_articulated",
      distanceKm: 500,
      massKg: 2000,
      region: "CN",
      basis: "measured",
    };
    const choice = chooseFactor(leg, at(2025), REAL);
    expect(choice.factor.id).toBe("DESNZ2025_27_304_3136_14_1");
    // 2 t × 500 km = 1000 t.km × 0.078 kg/t.km = 78 kg
    expect(choice).toMatchObject({ selection: "proxy", amount: 1000, unit: "t.km" });
    expect(choice.kg).toBeCloseTo(78, 9);
    expect(choice.dqr).toEqual({ technological: 1, geographical: 3, temporal: 1 });
  });

  it("falls back from a vehicle without a factor in the region to the mode's generic key (technological DQR 2)", () => {
    const leg: Activity = {
      kind: "transport",
      mode: "road",
      vehicle: "hgv_articulated",
      distanceKm: 100,
      massKg: 1000,
      region: "US",
      basis: "measured",
    };
    const choice = chooseFactor(leg, at(2025), REAL);
    expect(choice.factor.id).toBe("EPA2025_T8_truck_CO2e_tkm");
    expect(choice.selection).toBe("exact");
    expect(choice.dqr).toEqual({ technological: 2, geographical: 1, temporal: 1 });
  });

  it("prices a road leg without a vehicle with the generic HGV factor (technological DQR 2)", () => {
    const leg: Activity = {
      kind: "transport",
      mode: "road",
      distanceKm: 100,
      massKg: 1000,
      region: "CN",
      basis: "measured",
    };
    const choice = chooseFactor(leg, at(2025), REAL);
    expect(choice.factor.id).toBe("DESNZ2025_27_304_3140_14_1");
    // 1 t × 100 km = 100 t.km × 0.10163 = 10.163 kg
    expect(choice.kg).toBeCloseTo(10.163, 9);
    expect(choice.dqr.technological).toBe(2);
  });

  it("prices sea legs with the global DESNZ ship factors", () => {
    const container: Activity = {
      kind: "transport",
      mode: "sea",
      vehicle: "container_ship",
      distanceKm: 10000,
      massKg: 1000,
      region: "CN",
      basis: "calculated",
    };
    const choice = chooseFactor(container, at(2025), REAL);
    expect(choice.factor.id).toBe("DESNZ2025_27_320_3235_14_1");
    // 1 t × 10000 km × 0.01612 = 161.2 kg
    expect(choice.kg).toBeCloseTo(161.2, 9);
    expect(choice.dqr).toEqual({ technological: 1, geographical: 2, temporal: 1 });
    const bulk = chooseFactor({ ...container, vehicle: "bulk_carrier" }, at(2025), REAL);
    expect(bulk.factor.id).toBe("DESNZ2025_27_320_3221_14_1");
  });

  it("d: virgin resin takes the European cradle-to-gate factor", () => {
    const pet: Activity = { kind: "material", material: "PET", origin: "virgin", massKg: 500, basis: "calculated" };
    const inChina = chooseFactor(pet, at(2025, "CN"), REAL);
    expect(inChina.factor.id).toBe("HOPEWELL2009_PET_virgin");
    // 0.5 t × 3400 kg/t = 1700 kg
    expect(inChina).toMatchObject({ selection: "proxy", amount: 0.5, unit: "t", kg: 1700 });
    // CN is not in the EU (3); 2025 − 2009 = 16 years (3)
    expect(inChina.dqr).toEqual({ technological: 1, geographical: 3, temporal: 3 });
    expect(chooseFactor(pet, at(2025, "DE"), REAL).dqr.geographical).toBe(2);
    expect(chooseFactor(pet, at(2025, "EU"), REAL).selection).toBe("earlier-year");
  });

  it("d: colour masterbatch takes virgin PP, flagged as a technology proxy", () => {
    const masterbatch: Activity = {
      kind: "material",
      material: "masterbatch",
      origin: "virgin",
      massKg: 10,
      basis: "measured",
    };
    const choice = chooseFactor(masterbatch, at(2025, "CN"), REAL);
    expect(choice.factor.id).toBe("HOPEWELL2009_PP_virgin");
    // 0.01 t × 2000 kg/t = 20 kg
    expect(choice.kg).toBeCloseTo(20, 9);
    expect(choice.selection).toBe("proxy");
    expect(choice.dqr.technological).toBe(3);
  });

  it("prices recycled material traced to a lot with the cut-off factor", () => {
    const choice = chooseFactor(
      { kind: "material", material: "PET", origin: "recycled", massKg: 500, basis: "measured", traced: true },
      at(2025, "CN"),
      REAL,
    );
    expect(choice.factor.id).toBe("CT_RECYCLED_CUT_OFF");
    expect(choice.kg).toBe(0);
    expect(choice.primaryData).toBe(true);
  });

  it("prices untraced recycled material with the DESNZ closed-loop factor, as secondary data", () => {
    const choice = chooseFactor(
      { kind: "material", material: "PET", origin: "recycled", massKg: 500, basis: "measured" },
      at(2025, "CN"),
      REAL,
    );
    expect(choice.factor.id).toBe("DESNZ2025_19_505_5143_15_1");
    // 0.5 t × 2213.9 kg/t = 1106.95 kg
    expect(choice.kg).toBeCloseTo(1106.95, 9);
    expect(choice.selection).toBe("proxy");
    expect(choice.primaryData).toBe(false);
    expect(choice.dqr.technological).toBe(3);
    const inBritain = chooseFactor(
      { kind: "material", material: "mixed plastics", origin: "recycled", massKg: 1000, basis: "estimated" },
      at(2025, "GB"),
      REAL,
    );
    expect(inBritain).toMatchObject({ selection: "exact", kg: 1575.39, primaryData: false });
    expect(() =>
      chooseFactor(
        { kind: "material", material: "aluminium", origin: "recycled", massKg: 1, basis: "measured" },
        at(2025, "CN"),
        REAL,
      ),
    ).toThrow(expect.objectContaining({ code: "FOOTPRINT.FACTOR_MISSING" }));
  });

  it("prices fuels in their own unit, with the GB factor as the proxy elsewhere", () => {
    const diesel: Activity = { kind: "fuel", fuelType: "diesel", amount: 100, unit: "L", basis: "measured" };
    const china = chooseFactor(diesel, at(2025, "CN"), REAL);
    expect(china.factor.id).toBe("DESNZ2025_1_101_1011_8_1");
    // 100 L × 2.57082 kg/L = 257.082 kg
    expect(china.kg).toBeCloseTo(257.082, 9);
    expect(china.selection).toBe("proxy");
    const us = chooseFactor(diesel, at(2025, "US"), REAL);
    expect(us.factor.id).toBe("EPA2025_T2_diesel");
    // 100 L × (10.21 kg / 3.785411784 L) = 269.7197 kg
    expect(us.kg).toBeCloseTo(269.7197, 3);
    const gasInUs = chooseFactor(
      { kind: "fuel", fuelType: "natural gas", amount: 100, unit: "kWh", basis: "measured" },
      at(2025, "US"),
      REAL,
    );
    expect(gasInUs.factor.id).toBe("EPA2025_T1_NG_CO2e");
  });

  it("takes a unit the region does not have from the proxy (natural gas in m3 in the US → DESNZ per m3)", () => {
    const gas: Activity = {
      kind: "fuel",
      fuelType: "natural_gas",
      amount: 10,
      unit: "m3",
      region: "US",
      basis: "measured",
    };
    const choice = chooseFactor(gas, at(2025), REAL);
    expect(choice.factor.id).toBe("DESNZ2025_1_100_1004_1_1");
    expect(choice.selection).toBe("proxy");
  });

  it("goes straight to the proxy rules when the region is unknown (geographical DQR 3)", () => {
    const diesel: Activity = { kind: "fuel", fuelType: "diesel", amount: 1, unit: "L", basis: "measured" };
    const choice = chooseFactor(diesel, at(2025), REAL);
    expect(choice.region).toBeUndefined();
    expect(choice.factor.id).toBe("DESNZ2025_1_101_1011_8_1");
    expect(choice.selection).toBe("proxy");
    expect(choice.dqr.geographical).toBe(3);
  });

  it("e: FOOTPRINT.FACTOR_MISSING names the key, region, year and unit", () => {
    const bamboo: Activity = { kind: "material", material: "bamboo", origin: "virgin", massKg: 1, basis: "measured" };
    expect(() => chooseFactor(bamboo, at(2025, "CN"), REAL)).toThrow(
      expect.objectContaining({
        code: "FOOTPRINT.FACTOR_MISSING",
        kind: "invalid",
        message: "No emission factor for material.bamboo.virgin in region CN for 2025 or earlier, per t or kg",
      }),
    );
  });

  it("e: road freight before any factor's year is missing, not priced with a newer factor", () => {
    const leg: Activity = {
      kind: "transport",
      mode: "road",
      vehicle: "hgv",
      distanceKm: 1,
      massKg: 1,
      region: "GB",
      basis: "measured",
    };
    expect(() => chooseFactor(leg, at(2023), REAL)).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.FACTOR_MISSING" }),
    );
  });

  it("FOOTPRINT.UNIT_MISMATCH when the key's factors are all in other units (natural gas in kg)", () => {
    const gas: Activity = {
      kind: "fuel",
      fuelType: "natural gas",
      amount: 10,
      unit: "kg",
      region: "GB",
      basis: "measured",
    };
    expect(() => chooseFactor(gas, at(2025), REAL)).toThrow(
      expect.objectContaining({
        code: "FOOTPRINT.UNIT_MISMATCH",
        details: expect.objectContaining({ available: ["kWh", "m3"] }),
      }),
    );
  });
});

describe("chooseFactor rule a: a named factor", () => {
  it("uses the named factor even where another would be chosen", () => {
    const choice = chooseFactor({ ...grid("CN", 100), factorId: "EMBER_CHN" }, at(2025), REAL);
    // 100 kWh × 0.5575 kg/kWh = 55.75 kg
    expect(choice).toMatchObject({ selection: "named", kg: 55.75 });
    expect(choice.factor.id).toBe("EMBER_CHN");
  });

  it("rejects an unknown id with FOOTPRINT.FACTOR_UNKNOWN", () => {
    expect(() => chooseFactor({ ...grid("CN"), factorId: "NOPE" }, at(2025), REAL)).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.FACTOR_UNKNOWN", kind: "invalid" }),
    );
  });

  it("rejects a factor in a unit the activity cannot use with FOOTPRINT.UNIT_MISMATCH", () => {
    const leg: Activity = {
      kind: "transport",
      mode: "road",
      distanceKm: 1,
      massKg: 1,
      basis: "measured",
      factorId: "MEE2023_CN",
    };
    expect(() => chooseFactor(leg, at(2025), REAL)).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.UNIT_MISMATCH" }),
    );
  });
});

describe("chooseFactor arithmetic and ties", () => {
  it("converts kg of fuel to a factor per tonne", () => {
    const library: FactorLibrary = {
      version: "t",
      factors: [factor("COAL", "fuel.coal", { perUnit: "t", kgPerUnit: 2400, region: "CN" })],
    };
    const choice = chooseFactor(
      { kind: "fuel", fuelType: "coal", amount: 500, unit: "kg", region: "CN", basis: "measured" },
      at(2025),
      library,
    );
    // 500 kg = 0.5 t × 2400 kg/t = 1200 kg
    expect(choice).toMatchObject({ amount: 0.5, unit: "t", kg: 1200 });
  });

  it("breaks ties by the lowest id", () => {
    const library: FactorLibrary = {
      version: "t",
      factors: [
        factor("GRID_B", "electricity.grid", { kgPerUnit: 0.2 }),
        factor("GRID_A", "electricity.grid", { kgPerUnit: 0.3 }),
      ],
    };
    expect(chooseFactor(grid("GB"), at(2025), library).factor.id).toBe("GRID_A");
  });

  it("rates estimated data technological DQR 2", () => {
    const library: FactorLibrary = { version: "t", factors: [factor("GRID", "electricity.grid", {})] };
    expect(chooseFactor({ ...grid("GB"), basis: "estimated" }, at(2025), library).dqr.technological).toBe(2);
  });

  it("rejects negative or non-finite amounts", () => {
    const library: FactorLibrary = { version: "t", factors: [factor("GRID", "electricity.grid", {})] };
    expect(() => chooseFactor(grid("GB", -1), at(2025), library)).toThrow(
      expect.objectContaining({ code: "FOOTPRINT.ACTIVITY_INVALID" }),
    );
  });
});
