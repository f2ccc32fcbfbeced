/** Emission factors and lots shared by the engine's specs (round numbers, so results can be worked out by hand). */
import type { EmissionFactor, FactorLibrary, FootprintLot } from "#footprint";

export function factor(id: string, activity: string, fields: Partial<EmissionFactor>): EmissionFactor {
  return {
    id,
    name: id,
    category: "test",
    value: fields.kgPerUnit ?? 1,
    unit: "test",
    perUnit: "kWh",
    kgPerUnit: 1,
    gas: "CO2e",
    region: "CN",
    year: 2025,
    source: "test fixture",
    sourceUrl: "",
    licence: "",
    activity,
    ...fields,
  };
}

export const FIXTURE_LIBRARY: FactorLibrary = {
  version: "7",
  factors: [
    factor("GRID_CN_EAST", "electricity.grid", { region: "CN-East", kgPerUnit: 0.5 }),
    factor("HGV_CN", "freight.road.hgv", { perUnit: "t.km", kgPerUnit: 0.1 }),
    factor("RAIL_CN", "freight.rail", { perUnit: "t.km", kgPerUnit: 0.02 }),
    factor("PET_EU", "material.pet.virgin", { perUnit: "t", kgPerUnit: 2000, region: "EU", year: 2015 }),
    factor("RPET_GB", "material.pet.recycled", { perUnit: "t", kgPerUnit: 1000, region: "GB", year: 2025 }),
    factor("DIESEL_CN", "fuel.diesel", { perUnit: "L", kgPerUnit: 2.5 }),
    factor("COAL_CN", "fuel.coal", { perUnit: "t", kgPerUnit: 2400 }),
  ],
};

export const lot = (id: string, produced: number, external = false, unit = "KGM"): FootprintLot => ({
  id,
  unit,
  produced,
  external,
});
