import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { BUILT_IN_FACTORS, FACTOR_CLASSIFICATION } from "./classification.js";
import { parseCsv, parseFactorsCsv } from "./csv.js";

const HEADER = "id,name,category,value,unit,region,year,source,source_url_or_repo_path,licence";
const BUNDLED = readFileSync(new URL("../data/emission-factors.csv", import.meta.url), "utf8");

describe("parseCsv", () => {
  it("splits plain fields and records (LF and CRLF)", () => {
    expect(parseCsv("a,b,c\r\n1,2,3\n")).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
  });

  it("keeps commas, line breaks and doubled quotes inside quoted fields", () => {
    expect(parseCsv('x,"a, b","say ""hi""","two\nlines"\n')).toEqual([["x", "a, b", 'say "hi"', "two\nlines"]]);
  });

  it("keeps empty fields, including a last one", () => {
    expect(parseCsv("a,,c,\n")).toEqual([["a", "", "c", ""]]);
  });

  it("rejects a quoted field that never ends", () => {
    expect(() => parseCsv('a,"open\n')).toThrow(expect.objectContaining({ code: "FOOTPRINT.CSV_INVALID" }));
  });
});

describe("parseFactorsCsv", () => {
  it("turns a row into a normalised, classified factor", () => {
    const text = `${HEADER}\nEPA2025_T2_diesel,"Diesel fuel, mobile",fuel,10.21,kgCO2/US gallon (tank-to-wheel),US,2025,"EPA, Hub",https://epa.gov,public domain\n`;
    const { factors, skipped } = parseFactorsCsv(text);
    expect(skipped).toEqual([]);
    expect(factors).toHaveLength(1);
    expect(factors[0]).toMatchObject({
      id: "EPA2025_T2_diesel",
      name: "Diesel fuel, mobile",
      value: 10.21,
      unit: "kgCO2/US gallon (tank-to-wheel)",
      perUnit: "L",
      gas: "CO2",
      region: "US",
      year: 2025,
      source: "EPA, Hub",
      sourceUrl: "https://epa.gov",
      licence: "public domain",
      activity: "fuel.diesel",
    });
    // 10.21 kg/gal ÷ 3.785411784 L/gal = 2.6972 kg/L
    expect(factors[0]?.kgPerUnit).toBeCloseTo(2.6972, 4);
  });

  it("lists rows it cannot use, with the reason", () => {
    const text = [
      HEADER,
      "LOSS,grid loss,electricity,0.042,fraction (not an emission factor),US,2025,s,u,l",
      "BAD_VALUE,x,fuel,n/a,kgCO2e/litre,GB,2025,s,u,l",
      "BAD_YEAR,x,fuel,1,kgCO2e/litre,GB,recent,s,u,l",
      "SHORT,x,fuel",
      "DUP,x,fuel,1,kgCO2e/litre,GB,2025,s,u,l",
      "DUP,x,fuel,2,kgCO2e/litre,GB,2025,s,u,l",
    ].join("\n");
    const { factors, skipped } = parseFactorsCsv(text);
    expect(factors.map((factor) => factor.id)).toEqual(["DUP"]);
    expect(skipped.map((row) => row.id)).toEqual(["LOSS", "BAD_VALUE", "BAD_YEAR", "SHORT", "DUP"]);
    expect(skipped[0]?.reason).toContain("not an emission factor");
    expect(skipped[4]?.reason).toContain("duplicate");
  });

  it("takes the first year of a range", () => {
    const { factors } = parseFactorsCsv(
      `${HEADER}\nT,tree,equivalence,60,kgCO2 per tree over 10 years,US,2024-2025,s,u,l`,
    );
    expect(factors[0]?.year).toBe(2024);
  });

  it("rejects a file whose header is not the factor set's", () => {
    expect(() => parseFactorsCsv("id,value\nX,1")).toThrow(expect.objectContaining({ code: "FOOTPRINT.CSV_INVALID" }));
  });
});

describe("the bundled factor set", () => {
  const { factors, skipped } = parseFactorsCsv(BUNDLED);
  const byId = new Map(factors.map((factor) => [factor.id, factor]));

  it("classifies only factors that exist in it", () => {
    const missing = [...FACTOR_CLASSIFICATION.keys()].filter((id) => !byId.has(id));
    expect(missing).toEqual([]);
    expect(skipped.filter((row) => /^(MEE|DESNZ)/.test(row.id))).toEqual([]);
  });

  it("classifies the official grids and the Ember rows only where no official factor exists", () => {
    const grid = factors.filter((factor) => factor.activity === "electricity.grid").map((factor) => factor.id);
    expect(grid).toEqual(
      expect.arrayContaining([
        "MEE2021_CN",
        "MEE2022_CN",
        "MEE2023_CN",
        "MEE2022_CN-East",
        "MEE2023_CN-Southwest",
        "DESNZ2024_7_400_4000_5_1",
        "DESNZ2025_7_400_4000_5_1",
        "EPA2025_T6_US_CO2e",
        "EMBER_EU",
        "EMBER_World",
      ]),
    );
    expect(grid).toHaveLength(3 + 14 + 2 + 1 + 3);
    for (const id of [
      "EMBER_CHN",
      "EMBER_USA",
      "EMBER_GBR",
      "OEFDB_GHGP2021_CN-E",
      "MEE_reporting_grid_0.5703",
      "MEE2023_CN-fossil",
      "MEE2023_CN-excl-market-nonfossil",
      "DESNZ2025_13_402_4000_5_1",
      "DESNZ2025_15_917_4000_5_1",
    ]) {
      expect(byId.get(id)?.activity).toBeUndefined();
    }
  });

  it("classifies the virgin plastics as cradle-to-gate resin, not the DESNZ factors that include forming", () => {
    expect(byId.get("HOPEWELL2009_PET_virgin")).toMatchObject({ activity: "material.pet.virgin", kgPerUnit: 3400 });
    expect(byId.get("HOPEWELL2009_PP_virgin")).toMatchObject({ activity: "material.pp.virgin", kgPerUnit: 2000 });
    expect(byId.get("HOPEWELL2009_HDPE_virgin")).toMatchObject({ activity: "material.hdpe.virgin", kgPerUnit: 1900 });
    expect(byId.get("DESNZ2025_19_505_5140_15_1")?.activity).toBeUndefined();
    expect(byId.get("DESNZ2025_19_506_5156_15_1")?.activity).toBe("material.board.virgin");
    expect(byId.get("DESNZ2025_19_506_5160_15_1")?.activity).toBe("material.paper.virgin");
  });

  it("classifies fuels, freight and the consumer equivalences", () => {
    const expected: Record<string, string> = {
      DESNZ2025_1_101_1011_8_1: "fuel.diesel",
      EPA2025_T2_diesel: "fuel.diesel",
      EPA2025_T2_gasoline: "fuel.petrol",
      DESNZ2025_1_100_1004_1_1: "fuel.natural_gas",
      DESNZ2025_1_100_1004_6_1: "fuel.natural_gas",
      EPA2025_T1_NG_CO2e: "fuel.natural_gas",
      DESNZ2025_27_304_3140_14_1: "freight.road.hgv",
      EPA2025_T8_truck_CO2e_tkm: "freight.road.hgv",
      DESNZ2025_27_304_3136_14_1: "freight.road.hgv_articulated",
      DESNZ2025_27_304_3124_14_1: "freight.road.hgv_rigid",
      DESNZ2025_27_303_3102_14_1: "freight.road.van",
      DESNZ2025_27_315_3151_14_1: "freight.rail",
      EPA2025_T8_rail_CO2e_tkm: "freight.rail",
      DESNZ2025_27_320_3235_14_1: "freight.sea",
      DESNZ2025_27_320_3221_14_1: "freight.sea.bulk",
      EPA2025_T8_water_CO2e_tkm: "freight.inland_waterway",
      DESNZ2025_4_301_3074_4_1: "equivalence.car_km",
      EPA_tree_seedling_10yr: "equivalence.tree",
    };
    for (const [id, activity] of Object.entries(expected))
      expect({ id, activity: byId.get(id)?.activity }).toEqual({ id, activity });
  });

  it("normalises the units of the factors the engine uses most", () => {
    // EPA 10.21 kg CO2 per US gallon ÷ 3.785411784 L = 2.6972 kg/L
    expect(byId.get("EPA2025_T2_diesel")?.kgPerUnit).toBeCloseTo(2.6972, 4);
    // EPA tree: 60 kg CO2 per tree over 10 years (perUnit "unit")
    expect(byId.get("EPA_tree_seedling_10yr")).toMatchObject({ perUnit: "unit", kgPerUnit: 60, year: 2024 });
    expect(byId.get("MEE2023_CN-East")).toMatchObject({ perUnit: "kWh", kgPerUnit: 0.55, gas: "CO2" });
  });

  it("holds the built-in method factors", () => {
    expect(BUILT_IN_FACTORS.map((factor) => [factor.id, factor.activity, factor.kgPerUnit])).toEqual([
      ["CT_RENEWABLE_EAC", "electricity.renewable", 0],
      ["CT_RECYCLED_CUT_OFF", "material.recycled", 0],
    ]);
  });
});
