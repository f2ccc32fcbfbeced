import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { parseCsv } from "#footprint";
import {
  DEFAULT_EQUIVALENCE_FACTORS,
  equivalentsOf,
  type EquivalenceFactors,
  type Equivalent,
  type FactorSource,
} from "./equivalents.js";

const BUNDLED = readFileSync(new URL("../../footprint/data/emission-factors.csv", import.meta.url), "utf8");

const byKind = (equivalents: Equivalent[], kind: Equivalent["kind"]): Equivalent => {
  const found = equivalents.find((e) => e.kind === kind);
  if (found === undefined) throw new Error(`no ${kind}`);
  return found;
};

describe("equivalentsOf", () => {
  it("turns the mascot's 1.48 kg into bulb hours, car km and tree-days", () => {
    const equivalents = equivalentsOf(1.48, DEFAULT_EQUIVALENCE_FACTORS);
    expect(equivalents.map((e) => e.kind)).toEqual(["light-bulb-hours", "car-km", "tree-days"]);
    // 0.06 kWh × 0.5306 kg/kWh = 0.031836 kg an hour; 1.48 / 0.031836 = 46.488 h
    const bulb = byKind(equivalents, "light-bulb-hours");
    expect(bulb.kgPerUnit).toBeCloseTo(0.031836, 12);
    expect(bulb.value).toBeCloseTo(46.48825, 4);
    expect(bulb.factor.id).toBe("MEE2023_CN");
    // 1.48 / 0.16725 kg/km = 8.849 km
    const car = byKind(equivalents, "car-km");
    expect(car.value).toBeCloseTo(8.84903, 4);
    expect(car.factor.id).toBe("DESNZ2025_4_301_3074_4_1");
    // 60 kg / 3652.5 days = 16.43 g a day; 1.48 × 3652.5 / 60 = 90.095 days
    const tree = byKind(equivalents, "tree-days");
    expect(tree.kgPerUnit).toBeCloseTo(0.016427, 6);
    expect(tree.value).toBeCloseTo(90.095, 9);
    expect(tree.factor.id).toBe("EPA_tree_seedling_10yr");
  });

  it("labels each equivalent in plain English and Chinese", () => {
    expect(equivalentsOf(1, DEFAULT_EQUIVALENCE_FACTORS).map((e) => e.label)).toEqual([
      { en: "hours of a 60 W light bulb", zh: "60瓦灯泡点亮的小时数" },
      { en: "kilometres driven by an average car", zh: "普通汽车行驶的公里数" },
      { en: "days of CO2 taken up by a young tree", zh: "一棵小树吸收二氧化碳的天数" },
    ]);
  });

  it("uses the grid factor the caller gives", () => {
    const us: FactorSource = {
      ...DEFAULT_EQUIVALENCE_FACTORS.electricity,
      id: "EPA2025_T6_US_CO2",
      value: 0.349957,
      unit: "kgCO2/kWh (CO2 only; converted from 771.523 lb CO2/MWh)",
    };
    const bulb = byKind(equivalentsOf(1000, { ...DEFAULT_EQUIVALENCE_FACTORS, electricity: us }), "light-bulb-hours");
    // 1000 / (0.06 × 0.349957) = 47,624.9 h
    expect(bulb.value).toBeCloseTo(47624.9, 1);
    expect(bulb.factor.id).toBe("EPA2025_T6_US_CO2");
  });

  it("gives zero for zero", () => {
    expect(equivalentsOf(0, DEFAULT_EQUIVALENCE_FACTORS).map((e) => e.value)).toEqual([0, 0, 0]);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses %p kg as OFFSET.EQUIVALENCE_INPUT", (kg) => {
    expect(() => equivalentsOf(kg, DEFAULT_EQUIVALENCE_FACTORS)).toThrow(
      expect.objectContaining({ code: "OFFSET.EQUIVALENCE_INPUT", kind: "invalid" }),
    );
  });

  it.each<[keyof EquivalenceFactors, Partial<FactorSource>]>([
    ["car", { unit: "kgCO2/vehicle-mile", value: 0.297 }],
    ["car", { value: 0 }],
    ["electricity", { unit: "kgCO2e/MWh" }],
    ["electricity", { value: Number.NaN }],
    ["tree", { unit: "kgCO2 per tree per year" }],
    ["tree", { value: -60 }],
  ])("refuses a %s factor with %p as OFFSET.EQUIVALENCE_FACTOR", (role, change) => {
    const factors = { ...DEFAULT_EQUIVALENCE_FACTORS, [role]: { ...DEFAULT_EQUIVALENCE_FACTORS[role], ...change } };
    expect(() => equivalentsOf(1, factors)).toThrow(
      expect.objectContaining({
        code: "OFFSET.EQUIVALENCE_FACTOR",
        details: expect.objectContaining({ factor: role }),
      }),
    );
  });
});

describe("DEFAULT_EQUIVALENCE_FACTORS", () => {
  const [header, ...rows] = parseCsv(BUNDLED);
  const csvRow = (id: string): Record<string, string> => {
    const row = rows.find((r) => r[0] === id);
    if (row === undefined || header === undefined) throw new Error(`${id} is not in the CSV`);
    return Object.fromEntries(header.map((column, i) => [column, row[i] ?? ""]));
  };

  it.each(["electricity", "car", "tree"] as const)("copies the %s factor from its CSV row", (role) => {
    const factor = DEFAULT_EQUIVALENCE_FACTORS[role];
    const row = csvRow(factor.id);
    expect(factor).toEqual({
      id: row.id,
      name: row.name,
      value: Number(row.value),
      unit: row.unit,
      region: row.region,
      year: row.year,
      source: row.source,
      url: /https:\/\/[^\s;)]+/.exec(row.source_url_or_repo_path ?? "")?.[0],
      reference: row.source_url_or_repo_path,
      licence: row.licence,
    });
  });

  it("picks the China national 2023 grid, the DESNZ 2025 average car and the EPA tree seedling", () => {
    expect(DEFAULT_EQUIVALENCE_FACTORS.electricity).toMatchObject({ id: "MEE2023_CN", value: 0.5306, region: "CN" });
    expect(DEFAULT_EQUIVALENCE_FACTORS.car).toMatchObject({ id: "DESNZ2025_4_301_3074_4_1", value: 0.16725 });
    expect(DEFAULT_EQUIVALENCE_FACTORS.tree).toMatchObject({ id: "EPA_tree_seedling_10yr", value: 60 });
  });
});
