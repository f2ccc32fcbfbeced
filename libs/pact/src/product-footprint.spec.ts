import { describe, expect, it } from "@jest/globals";
import type { FootprintResult } from "#footprint";
import { HAS_PACT_V3, pactV3Validator } from "../../../test/support/pact-schema.js";
import { pactDecimal } from "./decimal.js";
import { toProductFootprint, type FootprintPublication } from "./product-footprint.js";

const factor = {
  id: "MEE2023_CN-East",
  name: "China electricity CO2 emission factor 2023, East China grid",
  category: "electricity",
  value: 0.55,
  unit: "kgCO2/kWh (CO2 only)",
  perUnit: "kWh" as const,
  kgPerUnit: 0.55,
  gas: "CO2" as const,
  region: "CN-East",
  year: 2023,
  source: "China MEE & National Bureau of Statistics, 2023 electricity CO2 emission factors",
  sourceUrl: "https://www.mee.gov.cn/",
  licence: "official figures",
  activity: "electricity.grid",
  proxy: false,
};

/** 1000 boxes, 592.1956 kg in all: 0.5921956 kg per box, in three stages. */
const RESULT: FootprintResult = {
  lot: "https://id.gs1.org/01/06901234000030/10/B1",
  libraryVersion: "1",
  totalKg: 592.1956,
  declaredUnit: { unit: "EA", amount: 1000 },
  perUnitKg: 0.5921956,
  stages: [
    { stage: "recycler/commissioning", role: "recycler", bizStep: "commissioning", kg: 132, perUnitKg: 0.132 },
    { stage: "moulder/commissioning", role: "moulder", bizStep: "commissioning", kg: 448, perUnitKg: 0.448 },
    { stage: "moulder/shipping", role: "moulder", bizStep: "shipping", kg: 12.1956, perUnitKg: 0.0121956 },
  ],
  contributions: [],
  factorsUsed: [
    factor,
    { ...factor, id: "DESNZ2025_HGV", source: "UK DESNZ GHG Conversion Factors 2025, AR5 GWP basis", year: 2025 },
  ],
  externalInputs: [],
  primaryDataShare: 92.57002,
  dqi: { technologicalDQR: 1.2, geographicalDQR: 1.04, temporalDQR: 2 },
  referencePeriod: { start: "2025-03-01T08:00:00+08:00", end: "2025-03-12T08:00:00+08:00" },
};

const PUBLICATION: FootprintPublication = {
  id: "8f0c6b0e-8a43-4bb5-9a5e-4a1f0c2d3e4f",
  created: new Date("2025-04-01T00:00:00Z"),
  status: "Active",
  precedingPfIds: [],
  company: { name: "Moulder Co.", ids: ["urn:uuid:6d1e5f4a-3b2c-4d1e-8f7a-9b8c7d6e5f4a", "urn:gln:6901234000004"] },
  product: {
    description: "12 L storage box of recycled PET",
    nameCompany: "rPET box 12 L",
    ids: ["urn:gtin:06901234000030"],
    classifications: ["urn:pact:productclassification:un-cpc:36490"],
  },
  validity: { start: new Date("2025-04-01T00:00:00Z"), end: new Date("2028-04-01T00:00:00Z") },
  geographyCountry: "CN",
  massPerDeclaredUnitKg: 0.48,
  carbonContent: { fossilKg: 0.3, recycledKg: 0.3 },
  result: RESULT,
  proof: {
    lot: "https://id.gs1.org/01/06901234000030/10/B1",
    proofBundle: "https://ct.example/lots/06901234000030/B1/bundle",
    calculation: "https://ct.example/footprints/calculations/1",
    dataSchema: "https://ct.example/ns/pact/proof/1.0.0/schema.json",
    documentation: "https://ct.example/docs",
    anchored: true,
    eventCount: 5,
  },
};

describe("pactDecimal", () => {
  it("writes fixed notation without exponent or trailing zeros", () => {
    expect(pactDecimal(0.5921956)).toBe("0.592196");
    expect(pactDecimal(1e-7)).toBe("0");
    expect(pactDecimal(1.5e-6)).toBe("0.000002");
    expect(pactDecimal(12)).toBe("12");
    expect(pactDecimal(-0.25)).toBe("-0.25");
    expect(pactDecimal(92.57002, 2)).toBe("92.57");
    expect(() => pactDecimal(Number.NaN)).toThrow(expect.objectContaining({ code: "PACT.NOT_A_DECIMAL" }));
  });
});

describe("toProductFootprint", () => {
  const footprint = toProductFootprint(PUBLICATION);

  it("states the footprint per declared unit (one box), from the engine's numbers", () => {
    expect(footprint.pcf).toMatchObject({
      declaredUnitOfMeasurement: "piece",
      declaredUnitAmount: "1",
      productMassPerDeclaredUnit: "0.48",
      // 592.1956 kg / 1000 boxes, six decimals
      pcfExcludingBiogenicUptake: "0.592196",
      pcfIncludingBiogenicUptake: "0.592196",
      fossilGhgEmissions: "0.592196",
      fossilCarbonContent: "0.3",
      recycledCarbonContent: "0.3",
      geographyCountry: "CN",
      primaryDataShare: "92.57",
      dqi: { technologicalDQR: "1.2", geographicalDQR: "1.04", temporalDQR: "2" },
      referencePeriodStart: "2025-03-01T08:00:00+08:00",
      ipccCharacterizationFactors: ["AR5"],
    });
    expect(footprint.pcf.secondaryEmissionFactorSources).toEqual([
      { name: "China MEE & National Bureau of Statistics, 2023 electricity CO2 emission factors", version: "2023" },
      { name: "UK DESNZ GHG Conversion Factors 2025, AR5 GWP basis", version: "2025" },
    ]);
    expect(footprint.pcf.boundaryProcessesDescription).toContain("moulder/shipping 0.012196 kgCO2e");
  });

  it("links the footprint to the lot's proof bundle in a data model extension", () => {
    expect(footprint.extensions).toEqual([
      {
        specVersion: "2.0.0",
        dataSchema: "https://ct.example/ns/pact/proof/1.0.0/schema.json",
        documentation: "https://ct.example/docs",
        data: expect.objectContaining({
          lot: PUBLICATION.proof.lot,
          proofBundle: PUBLICATION.proof.proofBundle,
          factorLibraryVersion: "1",
          anchored: true,
          totalKgCO2e: "592.1956",
        }) as unknown,
      },
    ]);
  });

  it("names its predecessors and leaves optional members out when empty", () => {
    expect(footprint).not.toHaveProperty("precedingPfIds");
    const next = toProductFootprint({ ...PUBLICATION, precedingPfIds: [PUBLICATION.id] });
    expect(next.precedingPfIds).toEqual([PUBLICATION.id]);
    const bare = toProductFootprint({ ...PUBLICATION, product: { ...PUBLICATION.product, classifications: [] } });
    expect(bare).not.toHaveProperty("productClassifications");
  });

  it("uses kilograms for lots counted by mass, and refuses units PACT has no declared unit for", () => {
    const bulk = toProductFootprint({
      ...PUBLICATION,
      result: { ...RESULT, declaredUnit: { unit: "KGM", amount: 600 } },
    });
    expect(bulk.pcf.declaredUnitOfMeasurement).toBe("kilogram");
    expect(() =>
      toProductFootprint({ ...PUBLICATION, result: { ...RESULT, declaredUnit: { unit: "XBX", amount: 3 } } }),
    ).toThrow(expect.objectContaining({ code: "PACT.UNSUPPORTED_UNIT" }));
  });

  (HAS_PACT_V3 ? it : it.skip)("validates against the official PACT v3 ProductFootprint schema", () => {
    const validate = pactV3Validator("ProductFootprint");
    expect(validate(footprint)).toEqual([]);
    expect(validate(toProductFootprint({ ...PUBLICATION, precedingPfIds: [PUBLICATION.id] }))).toEqual([]);
    // and the schema does catch a broken one
    expect(validate({ ...footprint, pcf: { ...footprint.pcf, pcfExcludingBiogenicUptake: 0.5 } })).not.toEqual([]);
  });
});
